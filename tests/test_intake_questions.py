"""The coach edits the intake questions visitors answer when booking (a section of /coach/availability)."""
import re
from datetime import timedelta

import pytest

from database import utcnow
from support.accounts import sign_in
from support.availability import version
from support.pages import HX

FIRST_DEFAULT = "What would you like to change in your working life?"


def questions(user):
    from blueprints.intake.models import IntakeQuestion
    return [(q.label, q.help_text, q.required, q.multiline) for q in IntakeQuestion.for_coach(user)]


def first_question(user):
    from blueprints.intake.models import IntakeQuestion
    return IntakeQuestion.for_coach(user).first()


def add(client, headers=None, **fields):
    data = {f"new-question-{name}": value for name, value in fields.items()}
    return client.post("/coach/availability/questions", data=data, headers=headers or {})


def edit(client, question, headers=None, **fields):
    data = {f"question-{question.id}-{name}": value for name, value in fields.items()}
    return client.post(f"/coach/availability/questions/{question.id}", data=data, headers=headers or {})


def test_the_default_questions_are_listed_for_editing(client, users):
    sign_in(client, "coach")
    html = client.get("/coach/availability/questions").get_data(as_text=True)
    assert f'value="{FIRST_DEFAULT}"' in html
    assert "How did you hear about me?" in html
    question = first_question(users["coach"])
    assert re.search(rf'id="question-{question.id}-required"[^>]*checked|checked[^>]*id="question-{question.id}-required"', html)


def test_adding_a_question_without_javascript(client, users):
    sign_in(client, "coach")
    before = version(users["coach"])
    response = add(client, label="  What's your current role?  ", help_text="Job title is enough.", required="y")
    assert response.status_code == 303 and response.headers["Location"] == "/coach/availability/questions"
    assert questions(users["coach"])[-1] == ("What's your current role?", "Job title is enough.", True, False)
    assert version(users["coach"]) == before  # questions don't move free slots
    html = client.get("/coach/availability/questions").get_data(as_text=True)
    assert "Question added." in html and 'value="What&#39;s your current role?"' in html


def test_adding_a_question_with_htmx_swaps_only_the_section(client, users):
    sign_in(client, "coach")
    response = add(client, headers=HX, label="Anything else?", multiline="y")
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and "<html" not in html
    assert html.lstrip().startswith('<section id="questions"')
    assert 'id="preview"' not in html
    assert 'value="Anything else?"' in html
    assert questions(users["coach"])[-1] == ("Anything else?", "", False, True)


@pytest.mark.parametrize("fields,message", [
    ({"label": ""}, "Write the question."),
    ({"label": "   "}, "Write the question."),
    ({"label": "x" * 201}, "Field cannot be longer than 200 characters."),
    ({"label": "Fine?", "help_text": "y" * 301}, "Field cannot be longer than 300 characters."),
])
@pytest.mark.parametrize("headers", [{}, HX], ids=["page", "htmx"])
def test_an_invalid_new_question_is_refused(client, users, fields, message, headers):
    sign_in(client, "coach")
    before = questions(users["coach"])
    response = add(client, headers=headers, **fields)
    html = response.get_data(as_text=True)
    assert response.status_code == 422 and message in html
    assert ("<html" in html) == (not headers)
    assert questions(users["coach"]) == before


def test_editing_a_question(client, users):
    sign_in(client, "coach")
    question = first_question(users["coach"])
    response = edit(client, question, headers=HX, label="What should change at work?", help_text="")
    assert response.status_code == 200 and "Question saved." in response.get_data(as_text=True)
    assert questions(users["coach"])[0] == ("What should change at work?", "", False, False)
    response = edit(client, question, label="What should change at work?", required="y", multiline="y")
    assert response.status_code == 303
    assert questions(users["coach"])[0] == ("What should change at work?", "", True, True)


@pytest.mark.parametrize("headers", [{}, HX], ids=["page", "htmx"])
def test_an_invalid_edit_keeps_the_input_next_to_its_question(client, users, headers):
    sign_in(client, "coach")
    question = first_question(users["coach"])
    response = edit(client, question, headers=headers, label="", help_text="kept hint")
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert re.search(rf'id="question-{question.id}-label-error">Write the question.', html)
    assert 'value="kept hint"' in html
    assert questions(users["coach"])[0][0] == FIRST_DEFAULT


def test_removing_a_question_keeps_answers_already_given(client, users):
    from blueprints.intake.models import IntakeAnswer, IntakeQuestion
    from scheduling.models import Booking
    question = first_question(users["coach"])
    starts = utcnow() + timedelta(days=3)
    booking = Booking.create(coach=users["coach"], name="Vic", email="vic@example.com", timezone="Europe/London",
                             starts_at=starts, ends_at=starts + timedelta(minutes=30), uid="intake-test@letstalk")
    answer = IntakeAnswer.create(booking=booking, question=question, question_label=question.label, answer="More time")
    sign_in(client, "coach")
    response = client.post(f"/coach/availability/questions/{question.id}/delete", headers=HX)
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and f'value="{FIRST_DEFAULT}"' not in html
    assert [q[0] for q in questions(users["coach"])] == ["How did you hear about me?"]
    assert IntakeQuestion.get_by_id(question.id).active is False
    kept = IntakeAnswer.get_by_id(answer.id)
    assert kept.question_id == question.id and kept.question_label == FIRST_DEFAULT
    # A removed question can't be edited or removed again.
    assert edit(client, question, label="Back?").status_code == 404
    assert client.post(f"/coach/availability/questions/{question.id}/delete").status_code == 404


def test_a_new_question_goes_last_even_after_removals(client, users):
    from blueprints.intake.models import IntakeQuestion
    sign_in(client, "coach")
    last = list(IntakeQuestion.for_coach(users["coach"]))[-1]
    client.post(f"/coach/availability/questions/{last.id}/delete")
    add(client, label="Newest?")
    labels = [q[0] for q in questions(users["coach"])]
    assert labels == [FIRST_DEFAULT, "Newest?"]


def test_every_question_removed_says_so(client, users):
    from blueprints.intake.models import IntakeQuestion
    sign_in(client, "coach")
    for question in list(IntakeQuestion.for_coach(users["coach"])):
        client.post(f"/coach/availability/questions/{question.id}/delete")
    assert "No questions: people book with their name and email only." in client.get("/coach/availability/questions").get_data(as_text=True)


def test_the_questions_have_their_own_page(client, users):
    sign_in(client, "coach")
    response = client.get("/coach/availability/questions")
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and '<section id="questions"' in html and 'id="weekly-hours"' not in html
