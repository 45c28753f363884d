from flask_wtf import FlaskForm
from wtforms import BooleanField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, ValidationError

from blueprints.clients.forms import clean_text
from web.forms import email_field, zone_field


class PageSettingsForm(FlaskForm):
    name = StringField("Your name, as visitors see it", validators=[DataRequired("Enter your name."), Length(max=120)])
    headline = StringField("Headline", validators=[DataRequired("Write a short headline."), Length(max=200)])
    intro_markdown = TextAreaField("About you and your coaching", validators=[
        DataRequired("Write a few words for your visitors."), Length(max=20000)])
    timezone = zone_field()


class PrepEmailForm(FlaskForm):
    prep_email = BooleanField("Session prep by email")


class NewClientForm(FlaskForm):
    name = StringField("Name", validators=[DataRequired("Enter the client's name."), Length(max=120)])
    email = email_field("Enter the client's email.")
    note = TextAreaField("Welcome note (optional)", filters=[clean_text], validators=[Length(max=2000)])

    def validate_email(self, field):
        from blueprints.auth.models import User
        if User.by_email(field.data):
            raise ValidationError("There is already an account with this email.")
