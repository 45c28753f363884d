"""Forms of goals, steps, check-ins, the wheel of life and the coach's side of them."""
from datetime import date

from flask_wtf import FlaskForm
from wtforms import (BooleanField, DateField, IntegerField, RadioField, SelectChoice, SelectField, StringField,
                     TextAreaField)
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional, ValidationError

from blueprints.goals.models import STATUSES

EARLIEST, LATEST = date(2000, 1, 1), date(2100, 12, 31)


def sensible_date(form, field):
    if field.data and not EARLIEST <= field.data <= LATEST:
        raise ValidationError("Choose a date between 2000 and 2100.")


def optional_date(label):
    return DateField(label, validators=[Optional(), sensible_date],
                     render_kw={"min": EARLIEST.isoformat(), "max": LATEST.isoformat()})


def whole_number(label, low, high, message):
    return IntegerField(label, validators=[InputRequired(message), NumberRange(low, high, message)],
                        render_kw={"min": low, "max": high, "inputmode": "numeric"})


def int_or_none(value):
    """An id from a form: anything that is not a whole number is no choice at all."""
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


class GoalForm(FlaskForm):
    title = StringField("Goal", validators=[DataRequired("Name your goal in a few words."), Length(max=200)])
    why = TextAreaField("Why it matters to you", validators=[Length(max=5000)])
    life_area = SelectField("Life area", coerce=int_or_none, validate_choice=False)
    target_date = optional_date("Target date (optional)")
    shared = BooleanField("Share with my coach", default=True)

    def __init__(self, *args, areas=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.life_area.choices = [SelectChoice(a.id, a.name) for a in areas]

    def validate_life_area(self, field):
        if field.data not in {choice.value for choice in field.choices}:
            raise ValidationError("Choose a life area.")


class StatusForm(FlaskForm):
    status = RadioField("Status", choices=[SelectChoice(k, v) for k, v in STATUSES.items()],
                        validators=[InputRequired("Choose a status.")])
    reflection = TextAreaField("Reflection (optional)", validators=[Length(max=5000)])


class ProgressForm(FlaskForm):
    manual_progress = whole_number("Your own figure (%)", 0, 100, "Enter a number from 0 to 100.")


class StepForm(FlaskForm):
    title = StringField("New step", validators=[DataRequired("Write the step."), Length(max=200)])
    due_date = optional_date("Due (optional)")


class StepEditForm(FlaskForm):
    title = StringField("Step", validators=[DataRequired("Write the step."), Length(max=200)])
    due_date = optional_date("Due (optional)")


class CheckInForm(FlaskForm):
    progress = whole_number("Progress (%)", 0, 100, "Enter a number from 0 to 100.")
    confidence = whole_number("Confidence (1–10)", 1, 10, "Enter a number from 1 to 10.")
    note = TextAreaField("Note (optional)", validators=[Length(max=1000, message="Keep the note under 1,000 characters.")])


class CommentForm(FlaskForm):
    body = TextAreaField("Comment", validators=[DataRequired("Write a comment."), Length(max=2000)])


class SuggestStepForm(FlaskForm):
    title = StringField("Suggested step", validators=[DataRequired("Write the step."), Length(max=200)])
    due_date = optional_date("Due (optional)")


class WheelRequestForm(FlaskForm):
    message = StringField("Message (optional)", validators=[Length(max=300)])


class AreaForm(FlaskForm):
    name = StringField("Area name", validators=[DataRequired("Name the area."), Length(max=60)])


def wheel_form(areas, formdata=None, previous=None):
    """One 0–10 score and an optional word per life area, plus the sharing choice.

    Built per request because the coach's areas decide which fields exist. `previous` maps
    area id to the last score, which the form starts from.
    """
    previous = previous or {}

    class WheelForm(FlaskForm):
        shared = BooleanField("Share with my coach", default=True)

    for area in areas:
        setattr(WheelForm, f"score_{area.id}", IntegerField(
            area.name, default=previous.get(area.id, 5),
            validators=[InputRequired(f"Rate {area.name} from 0 to 10."),
                        NumberRange(0, 10, f"Rate {area.name} from 0 to 10.")],
            render_kw={"min": 0, "max": 10, "inputmode": "numeric"}))
        setattr(WheelForm, f"word_{area.id}", StringField(
            f"A word on {area.name} (optional)", validators=[Length(max=40, message="Keep it to one or two words.")]))
    form = WheelForm(formdata=formdata) if formdata is not None else WheelForm()
    form.area_fields = [(a, form[f"score_{a.id}"], form[f"word_{a.id}"]) for a in areas]
    return form
