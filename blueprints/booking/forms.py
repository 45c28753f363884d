"""Booking forms. The intake questions are the coach's own, so the booking form is built per coach
(`BookingForm.for_questions`, from blueprints/intake/forms.py)."""
from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, HiddenField, StringField, TelField, TextAreaField
from wtforms.validators import DataRequired, Email, Length, Optional

from blueprints.intake.forms import AnswersMixin, too_long

NAME_MAX, PHONE_MAX, REASON_MAX = 120, 40, 2000


class BookingForm(AnswersMixin, FlaskForm):
    start = HiddenField()
    tz = HiddenField()
    name = StringField("Your name", validators=[
        DataRequired("Please tell us your name."), Length(max=NAME_MAX, message=too_long(NAME_MAX))])
    email = EmailField("Email", validators=[
        DataRequired("Please enter your email address: the confirmation goes there."),
        Email("Enter an email address like name@example.com.", check_deliverability=False),
        Length(max=254, message=too_long(254)),
    ])
    phone = TelField("Phone (optional)", validators=[
        Optional(), Length(max=PHONE_MAX, message=too_long(PHONE_MAX))])
    consent = BooleanField("I agree that my details are stored to arrange this call.", validators=[
        DataRequired("Please agree, so we can keep your details for the call.")])
    # Honeypot: hidden from people and screen readers; bots that fill every field fill it.
    website = StringField("Leave this field empty")

    def visitor(self):
        return {"name": self.name.data.strip(), "email": self.email.data.strip(),
                "phone": (self.phone.data or "").strip()}


class CancelForm(FlaskForm):
    reason = TextAreaField("Anything you'd like to tell the coach? (optional)", validators=[
        Optional(), Length(max=REASON_MAX, message=too_long(REASON_MAX))])


class CoachCancelForm(FlaskForm):
    message = TextAreaField("Message to the visitor (goes into the cancellation email)", validators=[
        Optional(), Length(max=REASON_MAX, message=too_long(REASON_MAX))])
