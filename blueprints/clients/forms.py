from flask_wtf import FlaskForm
from wtforms import DateField, IntegerField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, NumberRange, Optional, ValidationError

from web.forms import email_field, new_password_fields

NO_CONTROL_CHARS = str.maketrans("", "", "".join(chr(c) for c in range(32) if c not in (9, 10, 13)))


def clean_text(value):
    """Control characters (NUL and friends) are dropped; line breaks and tabs are kept."""
    return value.translate(NO_CONTROL_CHARS) if isinstance(value, str) else value


class MakeClientForm(FlaskForm):
    name = StringField("Name", filters=[clean_text], validators=[DataRequired("Enter the client's name."), Length(max=120)])
    email = email_field("Enter the client's email.", filters=[clean_text])
    note = TextAreaField("Welcome note (optional)", filters=[clean_text], validators=[Length(max=2000)])


class WelcomeForm(FlaskForm):
    password, confirm = new_password_fields("Choose a password", "Repeat the password")


class NoteForm(FlaskForm):
    body = TextAreaField("Private note", filters=[clean_text], validators=[
        DataRequired("Write the note first."), Length(max=20000)])
    booking = SelectField("About", coerce=int, default=0)

    def __init__(self, *args, sessions=(), zone="UTC", **kwargs):
        super().__init__(*args, **kwargs)
        from timezones import local_time
        self.booking.choices = [(0, "The client in general")] + [
            (b.id, f"{b.session_label}, {local_time(b.starts_at, zone, '%a %-d %b %Y, %H:%M')}") for b in sessions]

    def validate_body(self, field):
        if not (field.data or "").strip():
            raise ValidationError("Write the note first.")


class PackageForm(FlaskForm):
    sessions = IntegerField("Sessions in the package", validators=[
        Optional(), NumberRange(min=1, max=200, message="Enter a number from 1 to 200, or leave it empty for no package.")])
    since = DateField("Counting sessions from", validators=[Optional()])
    note = StringField("Note (optional)", filters=[clean_text], validators=[Length(max=200)])

    def validate_since(self, field):
        if self.sessions.data and field.data is None:
            raise ValidationError("Enter the date the package starts.")
