"""Form fields every feature words the same way."""
from wtforms import EmailField, SelectField
from wtforms.validators import DataRequired, Email, Length

from timezones import time_zone_choices


def email_field(missing="Enter your email address.", label="Email"):
    """An email address: required (`missing` says so), well-formed, at most 254 characters."""
    return EmailField(label, validators=[
        DataRequired(missing),
        Email("Enter an email address like name@example.com.", check_deliverability=False),
        Length(max=254),
    ])


def zone_field(default=None):
    """The person's own time zone, from the Area/City list."""
    return SelectField("Your time zone", choices=time_zone_choices, default=default)
