from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, PasswordField, StringField
from wtforms.validators import DataRequired, Length

from web.forms import email_field, new_password_fields, zone_field


class LoginForm(FlaskForm):
    email = EmailField("Email", validators=[DataRequired("Enter your email address."), Length(max=254)])
    password = PasswordField("Password", validators=[DataRequired("Enter your password."), Length(max=1000)])
    remember = BooleanField("Keep me signed in on this device")


class ResetRequestForm(FlaskForm):
    email = email_field()


class NewPasswordForm(FlaskForm):
    password, confirm = new_password_fields()


class FirstCoachForm(NewPasswordForm):
    name = StringField("Your name", validators=[DataRequired("Enter your name."), Length(max=120)])
    email = email_field()
    timezone = zone_field(default="Europe/London")


class SignOutEverywhereForm(FlaskForm):
    """Only the CSRF token: one button that ends every session of the account."""
