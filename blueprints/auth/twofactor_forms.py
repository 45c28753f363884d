"""Forms of two-step sign-in: entering a code, turning it on and off, new recovery codes."""
from flask_wtf import FlaskForm
from wtforms import BooleanField, PasswordField, StringField
from wtforms.validators import DataRequired, Length

ENTER_CODE = "Enter the 6-digit code from your app, or a recovery code."


def code_field(label="Code"):
    return StringField(label, validators=[DataRequired(ENTER_CODE), Length(max=40, message=ENTER_CODE)])


class SignInCodeForm(FlaskForm):
    code = code_field("Code from your authenticator app, or a recovery code")
    remember_device = BooleanField("Remember this device for 30 days")


class EnableTwoFactorForm(FlaskForm):
    code = StringField("Code from your app", validators=[
        DataRequired("Enter the 6-digit code your app shows."), Length(max=40)])


class NewRecoveryCodesForm(FlaskForm):
    code = code_field("Code from your app, or a recovery code")


class DisableTwoFactorForm(FlaskForm):
    password = PasswordField("Password", validators=[DataRequired("Enter your password."), Length(max=1000)])
    code = code_field("Code from your app, or a recovery code")
