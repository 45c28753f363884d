from urllib.parse import urlsplit

from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import BooleanField, StringField, URLField
from wtforms.validators import DataRequired, Length, ValidationError

NAME_HINT = "Give this calendar a name, like “Work” or “Family”."


class UrlSourceForm(FlaskForm):
    name = StringField("Name", validators=[DataRequired(NAME_HINT), Length(max=120)])
    url = URLField("Secret address (iCal format)", validators=[
        DataRequired("Paste the calendar’s secret address."), Length(max=2000)])

    def validate_url(self, field):
        # fetch.py checks again (and much more) before connecting; this is for a quick, clear answer.
        scheme = urlsplit(field.data.strip()).scheme.lower()
        if scheme not in ("http", "https", "webcal", "webcals"):
            raise ValidationError("Paste an address that starts with https:// or webcal://.")


class UploadSourceForm(FlaskForm):
    name = StringField("Name", validators=[DataRequired(NAME_HINT), Length(max=120)])
    file = FileField("Calendar file (.ics)", validators=[
        FileRequired("Choose the .ics file you exported from your calendar.")])


class OpenSlotsForm(FlaskForm):
    include_open_slots = BooleanField("Also show my open slots, as free time")


class RegenerateFeedForm(FlaskForm):
    confirm = BooleanField("Yes, make a new address: the old one stops working",
                           validators=[DataRequired("Tick the box to confirm.")])
