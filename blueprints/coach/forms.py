from flask_wtf import FlaskForm
from wtforms import EmailField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Email, Length, ValidationError

from blueprints.clients.forms import clean_text
from web import time_zone_choices


class PageSettingsForm(FlaskForm):
    name = StringField("Your name, as visitors see it", validators=[DataRequired("Enter your name."), Length(max=120)])
    headline = StringField("Headline", validators=[DataRequired("Write a short headline."), Length(max=200)])
    intro_markdown = TextAreaField("About you and your coaching", validators=[
        DataRequired("Write a few words for your visitors."), Length(max=20000)])
    timezone = SelectField("Your time zone", choices=time_zone_choices)


class NewClientForm(FlaskForm):
    name = StringField("Name", validators=[DataRequired("Enter the client's name."), Length(max=120)])
    email = EmailField("Email", validators=[
        DataRequired("Enter the client's email."),
        Email("Enter an email address like name@example.com.", check_deliverability=False),
        Length(max=254),
    ])
    note = TextAreaField("Welcome note (optional)", filters=[clean_text], validators=[Length(max=2000)])

    def validate_email(self, field):
        from blueprints.auth.models import User
        if User.by_email(field.data):
            raise ValidationError("There is already an account with this email.")
