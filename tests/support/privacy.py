"""A client's whole life in the app, every piece carrying a marker word, for the export and
erasure tests: find every marker of theirs, none of anyone else's."""
from datetime import timedelta


def fill(users, who, tag, slot=0):
    """Entries (shared and private, with a coach reply and a draft), a goal with a step, a
    check-in, a comment and a suggestion, a wheel, a past and a future session with intake
    answers, and the coach's private notes (general and about one session). `slot` moves the
    sessions by that many hours, so two clients of one coach never overlap.

    Returns {"client": [words of the client's data], "coach_private": [words of the coach's notes]}."""
    from blueprints.clients.models import PrivateNote
    from blueprints.goals.models import CheckIn, GoalComment, Step, StepSuggestion, Wheel, WheelRequest, WheelScore
    from blueprints.intake.models import IntakeAnswer
    from blueprints.journal import service
    from blueprints.journal.models import JournalAssignment, JournalComment, JournalDraft, JournalPrompt
    from database import utcnow
    from support.goals import make_goal
    from mail import OutboxMessage
    from scheduling.models import Booking

    client, coach = users[who], users["coach"] if users[who].coach_id == users["coach"].id else users["other_coach"]
    now = utcnow()
    words = [f"{tag}{kind}" for kind in ("sharedentry", "privateentry", "reply", "draft", "goal", "why", "step",
                                          "checkin", "goalcomment", "suggestion", "wheelword", "answer", "mail",
                                          "tagword")]
    w = dict(zip(("shared", "private", "reply", "draft", "goal", "why", "step", "checkin", "goalcomment",
                  "suggestion", "wheel", "answer", "mail", "tag"), words))
    base = dict(prompt_source=None, mood=4, energy=3, shared=False)
    shared = service.create_entry(client, dict(base, body=f"Today {w['shared']} happened.", tags=[w["tag"]],
                                               shared=True), now=now - timedelta(days=2))
    service.create_entry(client, dict(base, body=f"Only for me: {w['private']}.", tags=[]), now=now - timedelta(days=1))
    JournalComment.create(entry=shared, author=coach, body=f"Thanks for sharing {w['reply']}.")
    JournalDraft.create(client=client, key="new", data=f'{{"body": "{w["draft"]}"}}')
    prompt = JournalPrompt.create(coach=coach, text="What gave you energy this week?")
    JournalAssignment.create(client=client, coach=coach, prompt=prompt)

    goal = make_goal(client, title=f"Goal {w['goal']}", why=f"Because {w['why']}")
    Step.create(goal=goal, title=f"Step {w['step']}", position=0)
    CheckIn.create(goal=goal, progress=40, confidence=6, note=f"Note {w['checkin']}")
    GoalComment.create(goal=goal, author=coach, body=f"Comment {w['goalcomment']}")
    StepSuggestion.create(goal=goal, author=coach, title=f"Try {w['suggestion']}")
    wheel = Wheel.create(client=client)
    WheelScore.create(wheel=wheel, area_name="Work & career", score=6, word=w["wheel"])
    WheelRequest.create(client=client, coach=coach, message="Before our next session, please")

    sessions = []
    for n, start in enumerate((now - timedelta(days=3, hours=2 * slot), now + timedelta(days=3, hours=2 * slot))):
        booking = Booking.create(coach=coach, client=client, kind="session", name=client.name, email=client.email,
                                 timezone="Europe/London", starts_at=start, ends_at=start + timedelta(hours=1),
                                 location="Video call: https://meet.example.com/x", uid=f"{tag}-session-{n}@test")
        IntakeAnswer.create(booking=booking, question_label="What would you like to change?",
                            answer=f"Answer {w['answer']}", position=0)
        sessions.append(booking)
    OutboxMessage.create(to_addr=client.email, subject="Your coach replied",
                         text_body=f"Hello {client.name}, about {w['mail']}")
    # What the session prep email sends the coach: the client's shared words, under their name.
    OutboxMessage.create(to_addr=coach.email, subject=f"Session prep: {client.name}",
                         text_body=f"Your session with {client.name} is tomorrow. Today {w['shared']} happened.")
    private = [f"{tag}coachnote", f"{tag}sessionnote"]
    PrivateNote.create(coach=coach, client=client, body=f"Private {private[0]}")
    PrivateNote.create(coach=coach, client=client, booking=sessions[0], body=f"Private {private[1]}")
    return {"client": words, "coach_private": private, "sessions": sessions, "goal": goal, "entry": shared}
