"""Forms of the account page: a new email address, a new password."""
from flask_wtf import FlaskForm
from wtforms import EmailField, PasswordField
from wtforms.validators import DataRequired, Email, EqualTo, Length

from blueprints.auth.forms import MIN_PASSWORD


class ChangeEmailForm(FlaskForm):
    email = EmailField("New email", validators=[
        DataRequired("Enter the new address."),
        Email("Enter an email address like name@example.com.", check_deliverability=False),
        Length(max=254),
    ])
    password = PasswordField("Password", validators=[DataRequired("Enter your password."), Length(max=1000)])


class ChangePasswordForm(FlaskForm):
    current = PasswordField("Current password", validators=[DataRequired("Enter your current password."),
                                                            Length(max=1000)])
    password = PasswordField("New password", validators=[
        DataRequired("Choose a password."),
        Length(min=MIN_PASSWORD, max=1000, message=f"Use at least {MIN_PASSWORD} characters."),
    ])
    confirm = PasswordField("Repeat the new password", validators=[
        DataRequired("Repeat the password."), EqualTo("password", "The two passwords are not the same."),
    ])
