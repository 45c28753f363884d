"""Form fields every feature words the same way."""
from wtforms import EmailField, PasswordField, SelectField
from wtforms.validators import DataRequired, Email, EqualTo, Length

from timezones import canonical_zone, time_zone_choices, zone_label

MIN_PASSWORD = 10


def email_field(missing="Enter your email address.", label="Email", filters=()):
    """An email address: required (`missing` says so), well-formed, at most 254 characters."""
    return EmailField(label, filters=list(filters), validators=[
        DataRequired(missing),
        Email("Enter an email address like name@example.com.", check_deliverability=False),
        Length(max=254),
    ])


class ZoneField(SelectField):
    """A zone from the list. A stored old name (US/Michigan) shows as today's (America/Detroit);
    a stored zone the list no longer offers stays offered to its owner, so saving the form
    never changes it behind their back."""

    def process_data(self, value):
        super().process_data(canonical_zone(value) or value)
        if self.data and not any(zone == self.data for zone, _ in time_zone_choices()):
            self.choices = [(self.data, zone_label(self.data)), *time_zone_choices()]


def zone_field(default=None):
    """The person's own time zone, from the Area/City list."""
    return ZoneField("Your time zone", choices=time_zone_choices, default=default)


def new_password_fields(label="New password", repeat_label="Repeat the new password"):
    """(password, confirm): a new password of at least MIN_PASSWORD characters, typed twice."""
    password = PasswordField(label, validators=[
        DataRequired("Choose a password."),
        Length(min=MIN_PASSWORD, max=1000, message=f"Use at least {MIN_PASSWORD} characters."),
    ])
    confirm = PasswordField(repeat_label, validators=[
        DataRequired("Repeat the password."), EqualTo("password", "The two passwords are not the same."),
    ])
    return password, confirm
