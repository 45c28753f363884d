from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, PasswordField, SelectField, StringField
from wtforms.validators import DataRequired, Email, EqualTo, Length

from web import time_zone_choices

MIN_PASSWORD = 10


class LoginForm(FlaskForm):
    email = EmailField("Email", validators=[DataRequired("Enter your email address."), Length(max=254)])
    password = PasswordField("Password", validators=[DataRequired("Enter your password."), Length(max=1000)])
    remember = BooleanField("Keep me signed in on this device")


class ResetRequestForm(FlaskForm):
    email = EmailField("Email", validators=[
        DataRequired("Enter your email address."),
        Email("Enter an email address like name@example.com.", check_deliverability=False),
        Length(max=254),
    ])


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
    email = EmailField("Email", validators=[
        DataRequired("Enter your email address."),
        Email("Enter an email address like name@example.com.", check_deliverability=False),
        Length(max=254),
    ])
    timezone = SelectField("Your time zone", choices=time_zone_choices, default="Europe/London")


class SignOutEverywhereForm(FlaskForm):
    """Only the CSRF token: one button that ends every session of the account."""
