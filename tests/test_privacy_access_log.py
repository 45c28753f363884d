"""The access log: when the coach opened what a client shares, noted cheaply (one row per coach,
client, kind and day), shown to the client on /me — times in their zone, never what was read."""
from datetime import timedelta

import pytest

from support.accounts import sign_in
from support.journal import write


def views():
    from blueprints.privacy.models import CoachView
    return {(v.client_id, v.kind): v for v in CoachView.select()}


@pytest.fixture
def shared(app, users):
    with app.app_context():
        from support.goals import make_goal
        write(users["client_a"], body="A shared thought about ferrets", shared=True)
        make_goal(users["client_a"], title="Run a half marathon")
        write(users["client_b"], body="Only for me", shared=False)
    return users


def test_opening_a_clients_page_notes_what_was_shared_there(client, shared):
    sign_in(client, "coach")
    assert client.get(f"/coach/clients/{shared['client_a'].id}").status_code == 200
    seen = views()
    assert set(seen) == {(shared["client_a"].id, "journal"), (shared["client_a"].id, "goals")}
    assert seen[(shared["client_a"].id, "journal")].coach_id == shared["coach"].id


def test_nothing_shared_nothing_noted(client, shared):
    sign_in(client, "coach")
    client.get(f"/coach/clients/{shared['client_b'].id}")
    assert views() == {}


def test_refreshing_the_page_does_not_write_again(client, shared):
    from blueprints.privacy.models import CoachView
    sign_in(client, "coach")
    url = f"/coach/clients/{shared['client_a'].id}"
    client.get(url)
    first = views()[(shared["client_a"].id, "journal")]
    for _ in range(5):
        client.get(url)
    again = views()[(shared["client_a"].id, "journal")]
    assert (again.count, again.last_at) == (1, first.last_at) and CoachView.select().count() == 2
    # Fifteen minutes on, a look counts again (still one row for the day).
    for row in CoachView.select():
        CoachView.update(last_at=row.last_at - timedelta(minutes=16)).where(CoachView.id == row.id).execute()
    client.get(url)
    assert views()[(shared["client_a"].id, "journal")].count == 2 and CoachView.select().count() == 2


@pytest.mark.parametrize("who", ["client_a", "client_b", "other_coach"])
def test_only_the_coach_opening_the_page_is_noted(client, shared, who):
    sign_in(client, who)
    client.get(f"/coach/clients/{shared['client_a'].id}")
    assert views() == {}


def test_record_views_tolerates_a_row_made_meanwhile(app, shared):
    from blueprints.privacy.access import record_views
    from database import utcnow
    now = utcnow()
    record_views(shared["coach"].id, shared["client_a"].id, ["journal"], now)
    record_views(shared["coach"].id, shared["client_a"].id, ["journal", "nonsense"], now)
    assert list(views()) == [(shared["client_a"].id, "journal")]


def test_excerpts_on_the_dashboard_count_as_a_look(client, shared):
    sign_in(client, "coach")
    assert client.get("/coach").status_code == 200
    assert set(views()) == {(shared["client_a"].id, "journal")}


# --- what the client sees -------------------------------------------------------------------------

@pytest.mark.parametrize("url, headers", [("/me", {}), ("/me/sections/access", {"HX-Request": "true"})],
                         ids=["page", "htmx"])
def test_the_client_sees_when_in_their_zone_never_what(app, client, shared, url, headers):
    from blueprints.auth.models import User
    from blueprints.privacy.access import record_views
    from datetime import datetime, timezone
    User.update(timezone="Asia/Tokyo").where(User.id == shared["client_a"].id).execute()
    record_views(shared["coach"].id, shared["client_a"].id, ["journal", "goals"],
                 datetime(2026, 3, 2, 23, 30, tzinfo=timezone.utc))
    sign_in(client, "client_a")
    response = client.get(url, headers=headers)
    from support.pages import readable
    page = readable(response)
    assert response.status_code == 200 and ("<html" in response.get_data(as_text=True)) == (not headers)
    assert "Jo Whitfield looked at your shared journal entries on Tue 3 Mar 2026, 08:30" in page
    assert "Jo Whitfield looked at your goals" in page
    assert "ferrets" not in page.split("Who has looked")[1]  # never the text that was read


def test_each_client_sees_only_their_own_log(client, shared):
    sign_in(client, "coach")
    client.get(f"/coach/clients/{shared['client_a'].id}")
    sign_in(client, "client_b")
    from support.pages import readable
    page = readable(client.get("/me"))
    assert "Jo Whitfield looked at" not in page and "hasn't opened your shared entries" in page
