from urllib.parse import urlsplit

from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
import re

from wtforms import BooleanField, StringField, TextAreaField, URLField
from wtforms.validators import DataRequired, Length, ValidationError

NAME_HINT = "Give this calendar a name, like “Work” or “Family”."
MAX_ADDRESSES = 10
_EMAIL = re.compile(r"^[^@\s<>,;]{1,64}@[^@\s<>,;]+\.[^@\s<>,;]+$")


class OwnAddressesMixin:
    """The coach's other email addresses on the calendar, so invitations they declined there are free."""

    own_addresses = TextAreaField("Your other email addresses in this calendar (optional)",
                                  validators=[Length(max=2000)], render_kw={"rows": 2})

    def validate_own_addresses(self, field):
        words = self.addresses()
        wrong = [word for word in words if not _EMAIL.match(word)]
        if wrong:
            raise ValidationError(f"“{wrong[0][:80]}” isn’t an email address. Write one address a line.")
        if len(words) > MAX_ADDRESSES:
            raise ValidationError(f"At most {MAX_ADDRESSES} addresses.")

    def addresses(self):
        """The addresses written in the field, lower-cased, each once, in order."""
        words = re.split(r"[\s,;]+", (self.own_addresses.data or "").strip())
        return list(dict.fromkeys(word.lower().removeprefix("mailto:") for word in words if word))


class UrlSourceForm(OwnAddressesMixin, FlaskForm):
    name = StringField("Name", validators=[DataRequired(NAME_HINT), Length(max=120)])
    url = URLField("Secret address (iCal format)", validators=[
        DataRequired("Paste the calendar’s secret address."), Length(max=2000)])

    def validate_url(self, field):
        # fetch.py checks again (and much more) before connecting; this is for a quick, clear answer.
        scheme = urlsplit(field.data.strip()).scheme.lower()
        if scheme not in ("http", "https", "webcal", "webcals"):
            raise ValidationError("Paste an address that starts with https:// or webcal://.")


class UploadSourceForm(OwnAddressesMixin, FlaskForm):
    name = StringField("Name", validators=[DataRequired(NAME_HINT), Length(max=120)])
    file = FileField("Calendar file (.ics)", validators=[
        FileRequired("Choose the .ics file you exported from your calendar.")])


class OpenSlotsForm(FlaskForm):
    include_open_slots = BooleanField("Also show my open slots, as free time")


class RegenerateFeedForm(FlaskForm):
    confirm = BooleanField("Yes, make a new address: the old one stops working",
                           validators=[DataRequired("Tick the box to confirm.")])
