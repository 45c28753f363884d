"""Long lists come in pages that start after the last row shown (keyset): the coach's bookings
(each tab) and clients. Page and htmx fragment alike; another coach's row is no cursor."""
from datetime import timedelta

import pytest

from support.accounts import sign_in
from support.booking import make_booking
from support.pages import HX


def names_in(html, prefix):
    import re
    return re.findall(rf"({prefix} \d+)", html)


def test_past_and_cancelled_bookings_come_a_page_at_a_time_latest_first(app, users):
    import re

    from database import utcnow
    now = utcnow().replace(microsecond=0)
    for i in range(120):
        make_booking(users["coach"], now - timedelta(days=1 + i), status="completed", name=f"Past {i:03d}",
                     email=f"p{i}@example.org")
        # Cancelled calls two by two at the same start: the id breaks the tie, none skipped or repeated.
        make_booking(users["coach"], now + timedelta(days=200 - i // 2), status="cancelled", name=f"Gone {i:03d}",
                     email=f"g{i}@example.org", cancelled_at=now)
    coach = sign_in(app.test_client(), "coach")
    for show, prefix in (("past", "Past"), ("cancelled", "Gone")):
        seen, url = [], f"/coach/bookings?show={show}"
        for expected in (25, 25, 25, 25, 20):
            html = coach.get(url).get_data(as_text=True)
            page = names_in(html, prefix)
            assert len(page) == expected
            seen += page
            assert ("Earlier</a>" in html) == (expected == 25)
            if expected == 25:
                url = re.search(rf'href="(/coach/bookings\?show={show}&amp;after=\d+)"', html).group(1)
                url = url.replace("&amp;", "&")
        assert sorted(seen) == [f"{prefix} {i:03d}" for i in range(120)]
        if show == "past":
            assert seen == [f"Past {i:03d}" for i in range(120)]  # latest first, across pages


def test_a_later_page_as_an_htmx_fragment(app, users):
    from database import utcnow
    now = utcnow().replace(microsecond=0)
    calls = [make_booking(users["coach"], now + timedelta(days=2, hours=i), name=f"Soon {i:03d}",
                          email=f"s{i}@example.org") for i in range(30)]
    coach = sign_in(app.test_client(), "coach")
    response = coach.get(f"/coach/bookings?after={calls[24].id}", headers=HX)
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and "<html" not in html
    assert names_in(html, "Soon") == [f"Soon {i:03d}" for i in range(25, 30)]
    assert "Soonest</a>" in html and "Later</a>" not in html


def test_another_coachs_booking_is_no_cursor(app, users):
    from database import utcnow
    theirs = make_booking(users["other_coach"], utcnow() + timedelta(days=3))
    coach = sign_in(app.test_client(), "coach")
    assert coach.get(f"/coach/bookings?after={theirs.id}").status_code == 404
    assert coach.get(f"/coach/clients?after={users['other_client'].id}").status_code == 404


def test_clients_come_fifty_at_a_time_by_name(app, users):
    from blueprints.auth.service import create_client
    for i in range(70):
        create_client(users["coach"], f"c{i}@example.org", f"Person {i:03d}")
    coach = sign_in(app.test_client(), "coach")
    first = coach.get("/coach/clients").get_data(as_text=True)
    listed = names_in(first, "Person")
    assert listed == [f"Person {i:03d}" for i in range(49)]  # and Alex Morgan first: 50 by name
    import re
    after = re.search(r'href="/coach/clients\?after=(\d+)"', first).group(1)
    second = coach.get(f"/coach/clients?after={after}", headers=HX)
    rest = names_in(second.get_data(as_text=True), "Person")
    assert rest == [f"Person {i:03d}" for i in range(49, 70)]  # then Sam Rivera
    assert "Next clients" not in second.get_data(as_text=True) and "From A" in second.get_data(as_text=True)
