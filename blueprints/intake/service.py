"""Writes of intake questions, one transaction each; each returns the sentence the coach sees.

Intake questions do not move free slots, so they leave the availability version alone.
"""
from blueprints.intake.models import IntakeAnswer, IntakeQuestion
from database import db

DEFAULT_QUESTIONS = [
    ("What would you like to change in your working life?", True,
     "A few sentences is plenty — whatever is on your mind."),
    ("How did you hear about me?", False, ""),
]


def add_default_questions(coach):
    """A new coach starts with these (inside the caller's transaction)."""
    for position, (label, required, help_text) in enumerate(DEFAULT_QUESTIONS):
        IntakeQuestion.create(coach=coach, label=label, required=required, help_text=help_text,
                              multiline=position == 0, position=position)


def add_question(coach_id, form):
    with db.atomic():
        last = (IntakeQuestion.select(IntakeQuestion.position).where(IntakeQuestion.coach == coach_id)
                .order_by(IntakeQuestion.position.desc()).first())
        IntakeQuestion.create(coach=coach_id, position=(last.position + 1) if last else 0, **_values(form))
    return "Question added. Visitors answer it from their next booking on."


def update_question(question, form):
    # Earlier answers keep the wording they were given with (IntakeAnswer.question_label).
    with db.atomic():
        IntakeQuestion.update(**_values(form)).where(IntakeQuestion.id == question.id).execute()
    return "Question saved."


def retire_question(question):
    # Never deleted: answers already given still point at their question.
    with db.atomic():
        IntakeQuestion.update(active=False).where(IntakeQuestion.id == question.id).execute()
    return f"Removed “{question.label}”. Answers already given keep it."


def save_answers(booking, answers):
    """Store (question, answer) pairs with the booking, in the order asked (caller's transaction)."""
    for position, (question, answer) in enumerate(answers):
        IntakeAnswer.create(booking=booking, question=question, question_label=question.label,
                            answer=answer, position=position)


def _values(form):
    return {"label": form.label.data.strip(), "help_text": (form.help_text.data or "").strip(),
            "required": form.required.data, "multiline": form.multiline.data}
