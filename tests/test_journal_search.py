"""Search and filters (full text on SQLite FTS5 and PostgreSQL tsvector) and keyset pagination."""
from datetime import date, datetime, timedelta, timezone

import pytest

from support.accounts import sign_in
from support.journal import write
from support.pages import HX


@pytest.fixture
def journal(users):
    from blueprints.journal.models import JournalPrompt
    from blueprints.journal.prompts import ensure_library
    ensure_library(users["coach"])
    prompt = JournalPrompt.active(users["coach"]).first()
    at = datetime(2026, 3, 2, 12, tzinfo=timezone.utc)
    alex = users["client_a"]
    rows = {
        "teaching": write(alex, "I loved teaching the workshop on Thursday.", at=at, mood=5, tags=["teaching"]),
        "meetings": write(alex, "Back-to-back meetings; no time to think.", at=at + timedelta(days=10), mood=2,
                          tags=["meetings", "boundaries"], prompt_source=prompt.id),
        "family": write(alex, "Dinner with family, phone off.", at=at + timedelta(days=40), mood=4, tags=["family"]),
        "cafe": write(alex, "Café meeting with Zoë about naïve plans", at=at + timedelta(days=41), mood=3),
    }
    write(users["client_b"], "Sam also teaches workshops", at=at, tags=["teaching"])
    return {"prompt": prompt, **rows}


def found(client, **params):
    from urllib.parse import urlencode
    html = client.get("/journal?" + urlencode(params)).get_data(as_text=True)
    results = html.split('id="journal-results"')[1]
    return {key for key, marker in {"teaching": "loved teaching", "meetings": "Back-to-back",
                                    "family": "Dinner with family", "cafe": "Café meeting",
                                    "sam": "Sam also"}.items() if marker in results}


@pytest.fixture(params=["few", "many"])
def plan(request, monkeypatch):
    """Both ways SQLite finds a filtered page (search.few): every match fetched and sorted, or the
    journal walked newest first. The same entries must come back either way."""
    from blueprints.journal import search
    monkeypatch.setattr(search, "FEW", 10**6 if request.param == "few" else 1)
    return request.param


@pytest.fixture
def alex(client, users, journal, plan):
    return sign_in(client, "client_a")


@pytest.mark.parametrize("query,expected", [
    ("workshop", {"teaching"}),
    ("teach", {"teaching"}),           # a word's beginning finds it
    ("TEACHING thursday", {"teaching"}),  # every word, any case
    ("meeting", {"meetings", "cafe"}),
    ("teaching meetings", set()),
    ("zoë", {"cafe"}),
    ("boundaries", {"meetings"}),      # tags are searched too
    ('"unbalanced', set()),            # punctuation and operators are never syntax
    ("NEAR( OR * -", set()),
    ("(family)* ^", {"family"}),
    ("* - ) :", {"teaching", "meetings", "family", "cafe"}),  # no words: no text filter
])
def test_full_text_search(alex, query, expected):
    assert found(alex, q=query) == expected


def test_filters(alex, journal):
    assert found(alex, tag="teaching") == {"teaching"}
    assert found(alex, prompt=journal["prompt"].id) == {"meetings"}
    assert found(alex, mood=4) == {"family"}
    assert found(alex, since="2026-03-10", until="2026-04-10") == {"meetings"}
    assert found(alex, since="2026-04-11") == {"family", "cafe"}
    assert found(alex, q="meeting", mood=3) == {"cafe"}


@pytest.mark.parametrize("params,message", [
    ({"since": "2026-02-30"}, "Not a valid date value."),
    ({"since": "2026-05-01", "until": "2026-04-01"}, "comes before its start"),
    ({"mood": "7"}, "Choose a number from 1 to 5"),
    ({"prompt": "x"}, "Choose a prompt from the list."),
])
def test_bad_filters_are_explained(alex, params, message):
    from urllib.parse import urlencode
    response = alex.get("/journal?" + urlencode(params))
    assert response.status_code == 422 and message in response.get_data(as_text=True)


def test_search_results_as_an_htmx_fragment(alex):
    response = alex.get("/journal?q=workshop", headers={**HX, "HX-Target": "journal-results"})
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and html.lstrip().startswith('<div id="journal-results"')
    assert "loved teaching" in html and "<h1" not in html and 'id="entry-form"' not in html


def test_keyset_pages_walk_every_entry_once(client, users):
    from blueprints.journal.search import PAGE_SIZE
    at = datetime(2026, 1, 1, tzinfo=timezone.utc)
    alex = users["client_a"]
    for n in range(PAGE_SIZE * 2 + 5):
        # Pairs share a timestamp: the id breaks the tie.
        write(alex, f"Entry number {n:03d}.", at=at + timedelta(hours=n // 2))
    client = sign_in(client, "client_a")
    seen, url, pages = [], "/journal", 0
    import re
    while url:
        html = client.get(url, headers={**HX, "HX-Target": "journal-results"}).get_data(as_text=True)
        seen += re.findall(r"Entry number (\d{3})\.", html)
        pages += 1
        older = re.search(r'<a class="button" href="([^"]+)"[^>]*>Older entries', html)
        url = older.group(1).replace("&amp;", "&") if older else None
    assert pages == 3 and len(seen) == len(set(seen)) == PAGE_SIZE * 2 + 5
    assert seen == sorted(seen, reverse=True)


def test_search_and_tag_pages_walk_every_match_once(client, users, plan):
    at = datetime(2026, 1, 1, tzinfo=timezone.utc)
    for n in range(50):
        write(users["client_a"], f"Walked the dog, day {n:02d}", at=at + timedelta(hours=n // 2), tags=["dog"])
        write(users["client_a"], f"Other thing {n:02d}", at=at + timedelta(hours=n // 2), tags=["other"])
    write(users["client_b"], "Walked the dog, day 99", at=at, tags=["dog"])
    client = sign_in(client, "client_a")
    import re
    for url in ("/journal?q=dog", "/journal?tag=dog", "/journal?q=walk&tag=dog"):
        seen = []
        while url:
            html = client.get(url).get_data(as_text=True).split('id="journal-results"')[1]
            seen += re.findall(r"Walked the dog, day (\d\d)", html)
            assert "Other thing" not in html
            older = re.search(r'<a class="button" href="([^"]+)"[^>]*>Older entries', html)
            url = older.group(1).replace("&amp;", "&") if older else None
        assert seen == [f"{n:02d}" for n in range(49, -1, -1)]


def test_pages_keep_the_search(client, users):
    at = datetime(2026, 1, 1, tzinfo=timezone.utc)
    for n in range(25):
        write(users["client_a"], f"Walked the dog, day {n}", at=at + timedelta(days=n))
        write(users["client_a"], f"Other thing {n}", at=at + timedelta(days=n, hours=1))
    client = sign_in(client, "client_a")
    html = client.get("/journal?q=dog").get_data(as_text=True)
    assert "Other thing" not in html and "q=dog" in html.split("Older entries")[0].rsplit("href=", 1)[1]


def test_a_malformed_cursor_is_the_first_page(alex):
    assert alex.get("/journal?before=garbage_99999999999999999999999").status_code == 200


def test_search_unit_helpers():
    from blueprints.journal.search import decode_cursor, search_words
    assert search_words('"Zoë\'s" NEAR(x) -y *') == ["zoë", "s", "near", "x", "y"]
    assert decode_cursor("20260101T000000.000000_7") == (datetime(2026, 1, 1, tzinfo=timezone.utc), 7)
    assert decode_cursor("nonsense") is None and decode_cursor("") is None
    assert date  # imported for readability of the period tests
