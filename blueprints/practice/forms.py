from flask_wtf import FlaskForm
from wtforms import StringField
from wtforms.validators import DataRequired, Length

from web.forms import email_field, new_password_fields, zone_field


class PracticeForm(FlaskForm):
    name = StringField("Practice name", validators=[DataRequired("Enter the practice's name."), Length(max=120)])
    about = StringField("A line about the practice", validators=[Length(max=300)])


class InviteCoachForm(FlaskForm):
    name = StringField("Their name", validators=[DataRequired("Enter the coach's name."), Length(max=120)])
    email = email_field("Enter the coach's email.", label="Their email")


class JoinForm(FlaskForm):
    """A new coach accepting their invitation: the name visitors will see, their zone, a password."""
    name = StringField("Your name, as visitors see it", validators=[DataRequired("Enter your name."), Length(max=120)])
    timezone = zone_field(default="Europe/London")
    password, confirm = new_password_fields("Choose a password", "Repeat the password")
