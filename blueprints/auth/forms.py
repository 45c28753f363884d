from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, PasswordField, StringField
from wtforms.validators import DataRequired, EqualTo, Length

from web.forms import email_field, zone_field

MIN_PASSWORD = 10


class LoginForm(FlaskForm):
    email = EmailField("Email", validators=[DataRequired("Enter your email address."), Length(max=254)])
    password = PasswordField("Password", validators=[DataRequired("Enter your password."), Length(max=1000)])
    remember = BooleanField("Keep me signed in on this device")


class ResetRequestForm(FlaskForm):
    email = email_field()


class NewPasswordForm(FlaskForm):
    password = PasswordField("New password", validators=[
        DataRequired("Choose a password."),
        Length(min=MIN_PASSWORD, max=1000, message=f"Use at least {MIN_PASSWORD} characters."),
    ])
    confirm = PasswordField("Repeat the new password", validators=[
        DataRequired("Repeat the password."), EqualTo("password", "The two passwords are not the same."),
    ])


class FirstCoachForm(NewPasswordForm):
    name = StringField("Your name", validators=[DataRequired("Enter your name."), Length(max=120)])
    email = email_field()
    timezone = zone_field(default="Europe/London")
