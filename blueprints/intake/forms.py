"""The coach's question editor form, and the answer fields a booking form gets per question."""
from flask_wtf import FlaskForm
from wtforms import BooleanField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, Optional, ValidationError

ANSWER_MAX = 5000


def too_long(limit):
    return f"Please keep this under {limit:,} characters."


class QuestionForm(FlaskForm):
    label = StringField("Question", validators=[InputRequired("Write the question."), Length(max=200)])
    help_text = StringField("Hint below the question (optional)", validators=[Length(max=300)])
    required = BooleanField("An answer is required")
    multiline = BooleanField("Long answer (several lines)", default=True)

    def validate_label(self, field):
        if not (field.data or "").strip():
            raise ValidationError("Write the question.")


def question_form(question=None, formdata=None):
    """The form for one question (or a new one); prefixes keep many on one page apart."""
    prefix = f"question-{question.id}" if question else "new-question"
    return QuestionForm(formdata=formdata, obj=question, prefix=prefix)


def answer_field(question):
    return f"q{question.id}"


class AnswersMixin:
    """Added to a form class: one field per intake question (`q<id>`), read back in order."""

    @classmethod
    def for_questions(cls, questions, **kwargs):
        """A subclass with a field per question, then an instance of it."""
        class WithAnswers(cls):
            pass
        for question in questions:
            required = DataRequired("Please answer this question.") if question.required else Optional()
            kind = TextAreaField if question.multiline else StringField
            setattr(WithAnswers, answer_field(question), kind(
                question.label, description=question.help_text,
                validators=[required, Length(max=ANSWER_MAX, message=too_long(ANSWER_MAX))]))
        return WithAnswers(**kwargs)

    def intake_fields(self, questions):
        return [self[answer_field(q)] for q in questions]

    def answers(self, questions):
        """(question, answer) pairs in the order asked."""
        return [(q, (self[answer_field(q)].data or "").strip()) for q in questions]
