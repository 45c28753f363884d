"""Forms of the availability editor. Cross-field rules live here, so a form is valid only when
what it describes can be stored as is."""
from datetime import timedelta

from flask_wtf import FlaskForm
from wtforms import (DateField, FieldList, Form, FormField, IntegerField, RadioField, SelectChoice, SelectField,
                     SelectMultipleField, StringField, TimeField)
from wtforms.validators import InputRequired, Length, NumberRange, Optional, ValidationError
from wtforms.widgets import CheckboxInput, ListWidget, TextInput

from blueprints.auth.models import MEETING_PLACES
from scheduling.models import WEEKDAYS, DateOverride
from scheduling.ranges import ends_after, local_instant
from timezones import format_clock
from web.clock import viewer_hour12

# Times as people type them: "09:30" (also "9:30", "9.30", "0930", with seconds), or on a
# 12-hour clock "9:30 am", "9:30PM", "9 pm".
TIME_FORMATS = ["%H:%M", "%H:%M:%S", "%H.%M", "%H%M", "%I:%M %p", "%I:%M%p", "%I.%M %p", "%I %p", "%I%p"]
END_HINT = "The end must be after the start (00:00 means midnight)."
# Nobody books years ahead; a far-off date (year 9999) is a typo the slot engine can't count to.
FURTHEST_AHEAD = timedelta(days=2 * 366)
TOO_FAR = "Pick a date within the next two years."


class WallTimeInput(TextInput):
    """A time typed as text, on the viewer's clock (web.clock: 09:30, or 9:30 AM). A browser's
    own time input follows the browser's locale, which need not be the clock our pages show
    times on; this one always shows the page's."""

    def __call__(self, field, **kwargs):
        for name, value in (("placeholder", "h:mm am" if viewer_hour12() else "hh:mm"), ("autocomplete", "off"),
                            ("size", 8), ("maxlength", 10), ("class", "time-input")):
            kwargs.setdefault(name, value)
        return super().__call__(field, **kwargs)


class WallTimeField(TimeField):
    """A local wall-clock time to the minute (seconds are dropped), typed either way."""

    widget = WallTimeInput()

    def __init__(self, label, validators=None, **kwargs):
        super().__init__(label, validators, format=TIME_FORMATS,
                         invalid_value_message="Enter a time like 09:30 or 9:30 am.", **kwargs)

    def _value(self):
        if self.raw_data:
            return " ".join(self.raw_data)
        return format_clock(self.data, viewer_hour12()) if self.data is not None else ""

    def process_formdata(self, valuelist):
        # Babel writes "9:30 AM" with a narrow no-break space; people type an ordinary one.
        valuelist = [" ".join(value.replace("\u202f", " ").split()) for value in valuelist]
        super().process_formdata(valuelist)
        if self.data is not None:
            self.data = self.data.replace(second=0, microsecond=0)


def whole_number(label, low, high, message, required=True):
    first = InputRequired("Enter a number.") if required else Optional()
    return IntegerField(label, validators=[first, NumberRange(low, high, message)])


class RangeFields(Form):
    """One range of a day in the week grid: both times, or neither (an empty pair adds nothing,
    and emptying a stored range removes it)."""
    start = WallTimeField("From", validators=[Optional()])
    end = WallTimeField("Until", validators=[Optional()])

    def validate(self, extra_validators=None):
        if not super().validate(extra_validators):
            return False
        start, end = self.start.data, self.end.data
        if (start is None) != (end is None):
            (self.end if end is None else self.start).errors.append("Enter both times, or clear both to remove the range.")
        elif start is not None and not ends_after(start, end):
            self.end.errors.append(END_HINT)
        return not (self.start.errors or self.end.errors)

    @property
    def pair(self):
        return (self.start.data, self.end.data) if self.start.data is not None else None


class CheckboxList(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


WEEKDAY_CHOICES = [SelectChoice(str(n), name) for n, name in enumerate(WEEKDAYS)]
WORKDAYS = range(5)  # Monday to Friday: "all weekdays"


class WeekForm(FlaskForm):
    """The whole week on one form: each day's ranges, edited in place, with one empty pair more
    to add a range; and "copy a day to other days", which saves the grid as entered first."""
    day0, day1, day2, day3, day4, day5, day6 = (FieldList(FormField(RangeFields), min_entries=1, max_entries=12)
                                                for _ in range(7))
    copy_from = SelectField("Copy the hours of", choices=WEEKDAY_CHOICES, default="0")
    copy_to = CheckboxList("To", choices=WEEKDAY_CHOICES, validators=[Optional()])

    def __init__(self, *args, copy=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.copy = copy  # None, "chosen" (the ticked days) or "weekdays" (Monday to Friday)

    def days(self):
        return [(n, name, getattr(self, f"day{n}")) for n, name in enumerate(WEEKDAYS)]

    def week(self):
        """{weekday: [(start, end)]} as entered, with the copy asked for made."""
        week = {n: [entry.form.pair for entry in ranges if entry.form.pair] for n, _, ranges in self.days()}
        source = int(self.copy_from.data)
        targets = WORKDAYS if self.copy == "weekdays" else self.copy_to.data if self.copy else ()
        for day in targets:
            week[int(day)] = list(week[source])
        return week

    def validate(self, extra_validators=None):
        valid = super().validate(extra_validators)
        if self.copy == "chosen" and not self.copy_to.data:
            self.copy_to.errors = [*self.copy_to.errors, "Tick the days to copy to."]
            return False
        return valid


def week_form(hours, formdata=None):
    """The grid for the stored `hours`, each day with one empty pair more; or the posted grid
    (its copy button says what to copy: "Copy to ticked days" or "Copy to all weekdays")."""
    if formdata is not None:
        copy = "weekdays" if "copy_weekdays" in formdata else "chosen" if "copy_chosen" in formdata else None
        return WeekForm(formdata=formdata, copy=copy)
    data = {f"day{n}": [{"start": h.start_time, "end": h.end_time} for h in hours if h.weekday == n] + [{}]
            for n in range(7)}
    return WeekForm(formdata=None, data=data)


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
