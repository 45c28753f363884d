"""Booking forms. The intake questions are the coach's own, so the booking form is built per coach."""
from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, HiddenField, StringField, TelField, TextAreaField
from wtforms.validators import DataRequired, Email, Length, Optional

NAME_MAX, PHONE_MAX, ANSWER_MAX, REASON_MAX = 120, 40, 5000, 2000


def _too_long(limit):
    return f"Please keep this under {limit:,} characters."


class BookingForm(FlaskForm):
    start = HiddenField()
    tz = HiddenField()
    name = StringField("Your name", validators=[
        DataRequired("Please tell us your name."), Length(max=NAME_MAX, message=_too_long(NAME_MAX))])
    email = EmailField("Email", validators=[
        DataRequired("Please enter your email address: the confirmation goes there."),
        Email("Enter an email address like name@example.com.", check_deliverability=False),
        Length(max=254, message=_too_long(254)),
    ])
    phone = TelField("Phone (optional)", validators=[
        Optional(), Length(max=PHONE_MAX, message=_too_long(PHONE_MAX))])
    consent = BooleanField("I agree that my details are stored to arrange this call.", validators=[
        DataRequired("Please agree, so we can keep your details for the call.")])
    # Honeypot: hidden from people and screen readers; bots that fill every field fill it.
    website = StringField("Leave this field empty")

    @classmethod
    def for_questions(cls, questions, **kwargs):
        """A form class with one field per intake question (`q<id>`), then an instance of it."""
        class IntakeForm(cls):
            pass
        for question in questions:
            required = DataRequired("Please answer this question.") if question.required else Optional()
            kind = TextAreaField if question.multiline else StringField
            setattr(IntakeForm, answer_field(question), kind(
                question.label, description=question.help_text,
                validators=[required, Length(max=ANSWER_MAX, message=_too_long(ANSWER_MAX))]))
        return IntakeForm(**kwargs)

    def intake_fields(self, questions):
        return [self[answer_field(q)] for q in questions]

    def visitor(self):
        return {"name": self.name.data.strip(), "email": self.email.data.strip(),
                "phone": (self.phone.data or "").strip()}

    def answers(self, questions):
        """(question, answer) pairs in the order asked."""
        return [(q, (self[answer_field(q)].data or "").strip()) for q in questions]


def answer_field(question):
    return f"q{question.id}"


class CancelForm(FlaskForm):
    reason = TextAreaField("Anything you'd like to tell the coach? (optional)", validators=[
        Optional(), Length(max=REASON_MAX, message=_too_long(REASON_MAX))])


class CoachCancelForm(FlaskForm):
    message = TextAreaField("Message to the visitor (goes into the cancellation email)", validators=[
        Optional(), Length(max=REASON_MAX, message=_too_long(REASON_MAX))])
