"""Forms of the account page: a new email address, a new password."""
from flask_wtf import FlaskForm
from wtforms import PasswordField
from wtforms.validators import DataRequired, Length

from web.forms import email_field, new_password_fields


def current_password_field(label="Password"):
    return PasswordField(label, validators=[DataRequired("Enter your current password."), Length(max=1000)])


class ChangeEmailForm(FlaskForm):
    email = email_field(missing="Enter the new address.", label="New email")
    password = current_password_field()


class ChangePasswordForm(FlaskForm):
    current = current_password_field("Current password")
    password, confirm = new_password_fields()
