"""Two coaches in one practice: nothing of one coach — bookings, clients, journal entries, notes,
goals, feeds, hours, calendars, settings — is reachable by the other coach or the other coach's
clients; the admin coach sees the practice's settings, not the other coach's clients.

Every route of the app with an id in it is walked with the owner's ids, as each intruder, by
every method it takes: each answer must be a refusal (403/404) or a redirect to sign in, and
the owner's things must be as they were afterwards."""
import secrets
from datetime import time, timedelta

import pytest

from support.accounts import sign_in
from support.booking import make_booking
from support.journal import session, write
from support.pages import readable

MARK = "zz-secret-of-the-owner"  # in every text the owner's things carry


def world_of(coach, client):
    """One coach's things, each carrying MARK; returns {route parameter: id}."""
    from blueprints.clients.models import PrivateNote
    from blueprints.goals.models import Goal, Step, StepSuggestion, Wheel
    from blueprints.goals.service import ensure_areas
    from blueprints.intake.models import IntakeQuestion
    from blueprints.journal.models import JournalPrompt
    from database import utcnow
    from scheduling.models import BusySource, DateOverride, OneOffSlot, SessionType, WeeklyHours
    now = utcnow().replace(microsecond=0)
    call = make_booking(coach, now + timedelta(days=4), name=f"Casey {MARK}", answer=MARK)
    session(coach, client, now - timedelta(days=3))
    area = ensure_areas(coach.id)[0]
    goal = Goal.create(client=client, title=f"Goal {MARK}", life_area=area, shared=True)
    step = Step.create(goal=goal, title=f"Step {MARK}", position=0)
    return {
        "client_id": client.id, "booking_id": call.id,
        "entry_id": write(client, f"Entry {MARK}", shared=True).id,
        "goal_id": goal.id, "step_id": step.id, "area_id": area.id,
        "suggestion_id": StepSuggestion.create(goal=goal, author=coach, title=f"Suggest {MARK}").id,
        "wheel_id": Wheel.create(client=client).id,
        "note_id": PrivateNote.create(coach=coach, client=client, body=f"Note {MARK}").id,
        "type_id": SessionType.create(coach=coach, name=f"Type {MARK}", minutes=60).id,
        "prompt_id": JournalPrompt.create(coach=coach, text=f"Prompt {MARK}").id,
        "source_id": BusySource.create(coach=coach, name=f"Source {MARK}", url="https://cal.example/x.ics").id,
        "hours_id": WeeklyHours.create(coach=coach, weekday=2, start_time=time(9), end_time=time(12)).id,
        "override_id": DateOverride.create(coach=coach, day=(now + timedelta(days=9)).date(), kind="block",
                                           note=MARK).id,
        "slot_id": OneOffSlot.create(coach=coach, starts_at=now + timedelta(days=11, hours=2)).id,
        "question_id": IntakeQuestion.create(coach=coach, label=f"Question {MARK}", position=9).id,
    }


def snapshot(coach, client):
    """What an intruder might change: rows of the owner's, as plain values."""
    import models
    rows = {}
    for model in models.ALL_MODELS:
        if model.__name__ in ("OutboxMessage", "RateLimitCounter", "LoginSession", "LoginThrottle", "AccountNotice"):
            continue
        rows[model.__name__] = sorted(str(row) for row in model.select().tuples())
    return rows


ANY_VALUES = {"action": "retire", "decision": "accept", "weekday": 2}


def owners_routes(app, ids):
    """(method, url) for every route whose every parameter names one of the owner's things."""
    for rule in app.url_map.iter_rules():
        if not rule.arguments or rule.arguments & {"token", "slug", "digest"}:
            continue  # secrets, public pages and photos: tested on their own
        if rule.arguments & {"name", "filename"} or not rule.arguments - set(ANY_VALUES):
            continue  # no id of anyone's in it (e.g. /coach/availability/hours/<weekday> adds one's own)
        values = {arg: ids.get(arg, ANY_VALUES.get(arg)) for arg in rule.arguments}
        if None in values.values():
            pytest.fail(f"{rule.rule}: say which of the owner's things its {set(rule.arguments)} are")
        with app.test_request_context():
            from flask import url_for
            url = url_for(rule.endpoint, **values)
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            yield method, url


@pytest.mark.parametrize("owner, owners_client, intruders", [
    ("coach", "client_a", ["other_coach", "other_client"]),
    ("other_coach", "other_client", ["coach", "client_a"]),  # "coach" is the practice's admin
])
def test_nothing_of_one_coach_is_reachable_by_the_other_or_their_clients(app, client, users, owner,
                                                                       owners_client, intruders):
    ids = world_of(users[owner], users[owners_client])
    before = snapshot(users[owner], users[owners_client])
    routes = list(owners_routes(app, ids))
    assert len(routes) >= 55  # the walk covers the app, not a handful
    for intruder in intruders:
        sign_in(client, intruder)
        for method, url in routes:
            response = client.open(url, method=method, data={"csrf_token": "x"})
            if response.status_code in (302, 303):
                # Sent to sign in, or back to one's own page (an undo of one's own that isn't there):
                # that it changed nothing of the owner's is checked at the end.
                assert response.headers["Location"] in ("/journal",) or "/login" in response.headers["Location"], (
                    intruder, method, url, response.headers["Location"])
                continue
            assert response.status_code in (403, 404), (intruder, method, url, response.status_code)
            assert MARK not in response.get_data(as_text=True), (intruder, method, url)
    assert snapshot(users[owner], users[owners_client]) == before


COACH_PAGES = ["/coach", "/coach/bookings", "/coach/bookings?show=past", "/coach/clients", "/coach/availability",
               "/coach/calendar", "/coach/settings", "/coach/prompts", "/coach/sessions", "/coach/areas",
               "/coach/practice", "/healthz?deep=1"]
CLIENT_PAGES = ["/me", "/me/book", "/journal", "/goals", "/goals/done", "/wheel", "/me/calendar"]


@pytest.mark.parametrize("owner, owners_client, intruder, pages", [
    ("coach", "client_a", "other_coach", COACH_PAGES),
    ("coach", "client_a", "other_client", CLIENT_PAGES),
    ("other_coach", "other_client", "coach", COACH_PAGES),  # the admin
    ("other_coach", "other_client", "client_a", CLIENT_PAGES),
])
def test_no_page_of_the_other_side_shows_the_owners_things(client, users, owner, owners_client, intruder, pages):
    from blueprints.auth.models import CoachProfile
    world_of(users[owner], users[owners_client])
    owners_feed = CoachProfile.for_user(users[owner]).feed_token
    sign_in(client, intruder)
    for url in pages:
        response = client.get(url)
        html = response.get_data(as_text=True)
        assert response.status_code in (200, 403), (url, response.status_code)
        assert MARK not in html and owners_feed not in html, url
        assert users[owners_client].name not in readable(html), url


def test_each_coach_feed_has_only_their_own_bookings(client, users):
    from blueprints.auth.models import CoachProfile
    world_of(users["coach"], users["client_a"])
    pats_feed = client.get(f"/calendar/{CoachProfile.for_user(users['other_coach']).feed_token}.ics")
    assert pats_feed.status_code == 200 and MARK not in pats_feed.get_data(as_text=True)
    jos_feed = client.get(f"/calendar/{CoachProfile.for_user(users['coach']).feed_token}.ics")
    assert MARK in jos_feed.get_data(as_text=True)  # the check above can fail
    assert client.get(f"/calendar/{secrets.token_urlsafe(24)}.ics").status_code == 404


def test_forms_refuse_the_other_coachs_things_by_id(client, users):
    """Ids inside forms (a prompt to assign, a session a note is about, a session type to book)
    must be the coach's own too."""
    from blueprints.clients.models import PrivateNote
    from blueprints.journal.models import JournalAssignment
    from database import utcnow
    from scheduling.models import Booking
    jos = world_of(users["coach"], users["client_a"])
    jos_session = Booking.get((Booking.coach == users["coach"]) & (Booking.kind == "session"))
    olly = users["other_client"].id
    sign_in(client, "other_coach")
    assigned = client.post(f"/coach/clients/{olly}/journal/assign", data={"assign-prompt": jos["prompt_id"]})
    assert assigned.status_code == 422 and not JournalAssignment.select().exists()
    noted = client.post(f"/coach/clients/{olly}/notes", data={"body": "x", "booking": jos_session.id})
    assert noted.status_code == 422 and not PrivateNote.select().where(PrivateNote.coach == users["other_coach"]).exists()
    day = (utcnow() + timedelta(days=20)).date().isoformat()
    scheduled = client.post(f"/coach/clients/{olly}/sessions", data={
        "session_type": jos["type_id"], "day": day, "start_time": "10:00"})
    assert scheduled.status_code in (404, 422)
    assert not Booking.select().where(Booking.coach == users["other_coach"]).exists()
