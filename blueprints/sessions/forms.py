from datetime import date, timedelta

from flask_wtf import FlaskForm
from wtforms import BooleanField, DateField, IntegerField, SelectField, StringField, TextAreaField, TimeField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, ValidationError

from blueprints.auth.models import ADDRESS, MEETING_PLACES, VIDEO
from blueprints.clients.forms import clean_text


class SessionTypeForm(FlaskForm):
    name = StringField("Name", filters=[clean_text], validators=[
        DataRequired("Name the session, e.g. “Coaching session”."), Length(max=80)])
    minutes = IntegerField("Length in minutes", default=60, validators=[
        InputRequired("Enter the length in minutes."),
        NumberRange(min=15, max=480, message="Enter a length from 15 to 480 minutes.")])
    location_kind = SelectField("Where you meet", choices=list(MEETING_PLACES.items()), default=VIDEO)
    location_detail = StringField("Video link, phone details or address", filters=[clean_text],
                                  validators=[Length(max=500)])

    def validate_location_detail(self, field):
        detail = (field.data or "").strip()
        if self.location_kind.data == VIDEO and detail and not detail.startswith("https://"):
            raise ValidationError("Paste the video room's address, starting with https://.")
        if self.location_kind.data == VIDEO and any(c.isspace() for c in detail):
            raise ValidationError("A video link has no spaces: paste only the address.")
        if self.location_kind.data == ADDRESS and not detail:
            raise ValidationError("Enter the address where you meet.")


AHEAD = timedelta(days=2 * 365)


def check_day(form, field):
    """A date from today to two years ahead: an impossible or far-off year is a typo, not a plan."""
    today = date.today()
    if field.data is not None and not (today - timedelta(days=1) <= field.data <= today + AHEAD):
        raise ValidationError("Choose a date from today up to two years ahead.")


class ScheduleForm(FlaskForm):
    """The coach puts a session in for a client, at any time (times in the coach's zone)."""
    session_type = SelectField("Session", coerce=int)
    day = DateField("Date", validators=[InputRequired("Enter the date."), check_day])
    start_time = TimeField("Start time", validators=[InputRequired("Enter the start time.")])
    clash_ok = BooleanField("Book it even though it overlaps something in my calendar")


class MoveForm(FlaskForm):
    """The coach moves a booking to any time (in the coach's zone), with a message to the person."""
    day = DateField("New date", validators=[InputRequired("Enter the date."), check_day])
    start_time = TimeField("New start time", validators=[InputRequired("Enter the start time.")])
    message = TextAreaField("Message to them (goes into the email)", filters=[clean_text], validators=[Length(max=2000)])
    clash_ok = BooleanField("Move it even though it overlaps something in my calendar")


def schedule_form_for(coach_id, formdata=None):
    """The schedule form offering `coach_id`'s session types (formdata=None: an empty form)."""
    from scheduling.models import SessionType
    form = ScheduleForm() if formdata == "request" else ScheduleForm(formdata=formdata)
    form.session_type.choices = [(t.id, t.label) for t in SessionType.offered_by(coach_id)]
    return form
