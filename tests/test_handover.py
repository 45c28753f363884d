"""A coach hands a client over to another coach of the practice: the client and the new coach
are told; what the client shared goes with them; the first coach's private notes stay theirs."""
from datetime import timedelta

from support.accounts import sign_in
from support.goals import make_goal
from support.journal import session, write
from support.pages import HX, readable


def hand_over(client, client_id, coach_id, message="", **headers):
    return client.post(f"/coach/clients/{client_id}/handover", data={"handover-coach": coach_id, "handover-message": message},
                       headers=headers)


def test_a_client_handed_over_moves_with_what_they_shared_and_not_the_notes(client, users):
    from blueprints.clients.models import PrivateNote
    from blueprints.clients.service import add_note
    from blueprints.goals.models import Goal
    from mail import OutboxMessage
    jo, pat, alex = users["coach"], users["other_coach"], users["client_a"]
    write(alex, "Shared: I want to teach.", shared=True)
    write(alex, "Private: I'm scared of the pay cut.")
    goal = make_goal(alex, "Teach adults")  # in Jo's "Work & career"
    add_note(jo.id, alex, "Jo's own note: watch for over-committing.")
    sign_in(client, "coach")
    page = readable(client.get(f"/coach/clients/{alex.id}"))
    assert "Hand over to another coach" in page and "Pat Other" in page
    response = hand_over(client, alex.id, pat.id, "Pat knows teaching careers inside out.")
    assert response.status_code == 303 and response.headers["Location"] == "/coach/clients"
    assert client.get(f"/coach/clients/{alex.id}").status_code == 404  # no longer Jo's
    assert "Alex Morgan" not in readable(client.get("/coach/clients"))

    sign_in(client, "other_coach")
    pats_view = readable(client.get(f"/coach/clients/{alex.id}"))
    assert "Shared: I want to teach." in pats_view and "Teach adults" in pats_view
    assert "Private: I'm scared" not in pats_view and "watch for over-committing" not in pats_view
    assert PrivateNote.select().where(PrivateNote.coach == jo.id).count() == 1  # kept, with their author
    assert Goal.get_by_id(goal.id).life_area.coach_id == pat.id  # Pat's "Work & career"

    told = {m.to_addr: m for m in OutboxMessage.select()}
    assert told["alex@example.com"].subject == "Your coach is now Pat Other"
    assert "Pat knows teaching careers inside out." in told["alex@example.com"].text_body
    assert "Jo Whitfield handed Alex Morgan over to you" == told["other@example.com"].subject

    from scheduling.models import SessionType
    SessionType.create(coach=pat, name="Career deep-dive", minutes=60)
    sign_in(client, "client_a")
    assert "Career deep-dive" in readable(client.get("/me/book"))  # Alex now books with Pat


def test_a_client_with_a_booking_still_to_come_is_not_handed_over(client, users):
    from blueprints.auth.models import User
    from database import utcnow
    alex, pat = users["client_a"], users["other_coach"]
    session(users["coach"], alex, utcnow() + timedelta(days=3))
    sign_in(client, "coach")
    response = hand_over(client, alex.id, pat.id, **HX)
    assert response.status_code == 409 and "<html" not in response.get_data(as_text=True)
    assert "Alex Morgan still has a booking with you." in readable(response)
    assert User.get_by_id(alex.id).coach_id == users["coach"].id


def test_only_to_another_coach_of_the_practice_and_only_ones_own_client(client, users):
    from blueprints.auth.models import User
    jo, alex = users["coach"], users["client_a"]
    sign_in(client, "coach")
    for not_a_coach in (jo.id, users["client_b"].id, 999999):
        response = hand_over(client, alex.id, not_a_coach)
        assert response.status_code == 409 and "Choose one of the practice's other coaches." in readable(response)
    assert hand_over(client, users["other_client"].id, users["other_coach"].id).status_code == 404
    sign_in(client, "other_coach")
    assert hand_over(client, alex.id, users["other_coach"].id).status_code == 404
    assert User.get_by_id(alex.id).coach_id == jo.id


def test_a_practice_of_one_coach_offers_no_hand_over(app, client, one_coach):
    from blueprints.auth.service import create_client
    from support.accounts import PASSWORD
    with app.app_context():
        alex = create_client(one_coach, "alex@example.com", "Alex Morgan", PASSWORD)
    sign_in(client, "coach")
    assert "Hand over" not in readable(client.get(f"/coach/clients/{alex.id}"))
    assert hand_over(client, alex.id, one_coach.id).status_code == 404
