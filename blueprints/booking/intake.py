"""The questions a visitor answers when booking; the coach can edit them."""
from blueprints.booking.models import IntakeQuestion

DEFAULT_QUESTIONS = [
    ("What would you like to change in your working life?", True,
     "A few sentences is plenty — whatever is on your mind."),
    ("How did you hear about me?", False, ""),
]


def add_default_questions(coach):
    for position, (label, required, help_text) in enumerate(DEFAULT_QUESTIONS):
        IntakeQuestion.create(coach=coach, label=label, required=required, help_text=help_text,
                              multiline=position == 0, position=position)
