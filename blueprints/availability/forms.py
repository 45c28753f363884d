"""Forms of the availability editor. Cross-field rules live here, so a form is valid only when
what it describes can be stored as is."""
from datetime import timedelta

from flask_wtf import FlaskForm
from wtforms import DateField, IntegerField, RadioField, SelectChoice, StringField, TimeField
from wtforms.validators import InputRequired, Length, NumberRange, Optional, ValidationError

from blueprints.auth.models import MEETING_PLACES
from scheduling.models import DateOverride
from scheduling.ranges import ends_after, local_instant

TIME_FORMATS = ["%H:%M", "%H:%M:%S"]  # browsers send seconds when an input has a `step`
END_HINT = "The end must be after the start (00:00 means midnight)."
# Nobody books years ahead; a far-off date (year 9999) is a typo the slot engine can't count to.
FURTHEST_AHEAD = timedelta(days=2 * 366)
TOO_FAR = "Pick a date within the next two years."


class WallTimeField(TimeField):
    """A local wall-clock time to the minute (seconds are dropped)."""

    def __init__(self, label, validators=None, **kwargs):
        super().__init__(label, validators, format=TIME_FORMATS,
                         invalid_value_message="Enter a time like 09:30.", **kwargs)

    def process_formdata(self, valuelist):
        super().process_formdata(valuelist)
        if self.data is not None:
            self.data = self.data.replace(second=0, microsecond=0)


def whole_number(label, low, high, message, required=True):
    first = InputRequired("Enter a number.") if required else Optional()
    return IntegerField(label, validators=[first, NumberRange(low, high, message)])


class HoursForm(FlaskForm):
    """One range of weekly hours; the weekday comes from the URL (one form per weekday row)."""
    start = WallTimeField("From", validators=[InputRequired("Enter a start time.")])
    end = WallTimeField("Until", validators=[InputRequired("Enter an end time.")])

    def validate_end(self, field):
        if self.start.data and field.data and not ends_after(self.start.data, field.data):
            raise ValidationError(END_HINT)


class OverrideForm(FlaskForm):
    day = DateField("Date", validators=[InputRequired("Pick a date.")])
    kind = RadioField("On that date", default=DateOverride.BLOCK, validators=[InputRequired("Choose one.")],
                      choices=[SelectChoice(DateOverride.BLOCK, "I'm not available (block)"),
                               SelectChoice(DateOverride.EXTRA, "I'm available for extra hours")])
    start = WallTimeField("From", validators=[Optional()])
    end = WallTimeField("Until", validators=[Optional()])
    note = StringField("Note (only you see it)", validators=[Length(max=200)])

    def __init__(self, *args, today=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = today

    def validate_day(self, field):
        if self.today and field.data and field.data < self.today:
            raise ValidationError("Pick today or a later date.")
        if self.today and field.data and field.data > self.today + FURTHEST_AHEAD:
            raise ValidationError(TOO_FAR)

    def validate(self, extra_validators=None):
        valid = super().validate(extra_validators)
        if self.start.errors or self.end.errors:
            return False
        start, end = self.start.data, self.end.data
        if (start is None) != (end is None):
            missing = self.end if end is None else self.start
            missing.errors.append("Enter both times, or neither to block the whole day.")
        elif start is None and self.kind.data == DateOverride.EXTRA:
            self.start.errors.append("Extra hours need a start and an end time.")
        elif start is not None and not ends_after(start, end):
            self.end.errors.append(END_HINT)
        return valid and not (self.start.errors or self.end.errors)


class OneOffForm(FlaskForm):
    """A single extra start time; `zone` and `now` decide what "in the past" means."""
    day = DateField("Date", validators=[InputRequired("Pick a date.")])
    at = WallTimeField("Start time", validators=[InputRequired("Enter a start time.")])

    def __init__(self, *args, zone=None, now=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.zone, self.now, self.starts_at = zone, now, None

    def validate_day(self, field):
        if field.data and self.now and field.data > self.now.astimezone(self.zone).date() + FURTHEST_AHEAD:
            raise ValidationError(TOO_FAR)

    def validate_at(self, field):
        if self.day.data is None or field.data is None or self.day.errors:
            return
        instant = local_instant(self.day.data, field.data, self.zone)
        if instant is None:
            raise ValidationError("That time doesn't exist on this date: the clocks go forward then.")
        if instant <= self.now:
            raise ValidationError("That time has passed. Pick a time in the future.")
        self.starts_at = instant


class CallSettingsForm(FlaskForm):
    call_minutes = whole_number("Call length (minutes)", 15, 240, "Between 15 and 240 minutes.")
    step_minutes = whole_number("Offer a start time every (minutes)", 5, 240, "Between 5 and 240 minutes.")
    buffer_minutes = whole_number("Free time between calls (minutes)", 0, 120, "Between 0 and 120 minutes.")
    min_notice_hours = whole_number("Minimum notice (hours)", 0, 720, "Between 0 and 720 hours (30 days).")
    horizon_days = whole_number("Book up to (days ahead)", 1, 365, "Between 1 and 365 days.")
    max_per_day = whole_number("At most (calls a day)", 1, 50, "Between 1 and 50, or leave empty.", required=False)
    location_kind = RadioField("Where the call happens", validators=[InputRequired("Choose where the call happens.")],
                               choices=[SelectChoice(kind, label) for kind, label in MEETING_PLACES.items()])
    location_detail = StringField("Link, phone number or address", validators=[Length(max=500)])

    def validate_location_detail(self, field):
        # Without an address nobody can find an in-person meeting; a video link or phone number
        # may follow by email, or the coach may ring the number the visitor gives.
        if self.location_kind.data == "address" and not (field.data or "").strip():
            raise ValidationError("Enter the address where you'll meet.")
