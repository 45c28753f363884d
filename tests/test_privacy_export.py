"""/me/export: one zip with everything the client wrote or was told — and nothing else."""
import io
import json
import tracemalloc
import zipfile
from datetime import timedelta
from pathlib import Path

import jsonschema
import pytest
from icalendar import Calendar

from support.accounts import sign_in
from support.pages import HX
from support.privacy import fill

SCHEMA = json.loads((Path(__file__).resolve().parent.parent / "blueprints/privacy/export.schema.json").read_text())


@pytest.fixture
def lives(app, users):
    with app.app_context():
        return {who: fill(users, who, tag, slot) for slot, (who, tag) in
                enumerate((("client_a", "alpha"), ("client_b", "bravo"), ("other_client", "oscar")))}


def unzip(response):
    assert response.status_code == 200 and response.mimetype == "application/zip"
    assert "attachment" in response.headers["Content-Disposition"]
    archive = zipfile.ZipFile(io.BytesIO(response.get_data()))
    assert archive.testzip() is None
    return {name: archive.read(name) for name in archive.namelist()}


def everything(files):
    return b"\n".join(files.values()).decode("utf-8")


@pytest.mark.parametrize("headers", [{}, HX], ids=["page", "htmx"])
def test_the_export_has_everything_of_the_client_and_nothing_else(client, lives, headers):
    sign_in(client, "client_a")
    response = client.get("/me/export", headers=headers)
    assert response.is_streamed
    files = unzip(response)
    text = everything(files)
    for word in lives["client_a"]["client"]:
        assert word in text or word == "alphamail", word  # (email already sent is not part of it)
    for who in ("client_b", "other_client"):
        for word in lives[who]["client"] + lives[who]["coach_private"]:
            assert word not in text, word
    for word in lives["client_a"]["coach_private"]:
        assert word not in text, f"the coach's private note {word} leaked"
    names = set(files)
    assert len([n for n in names if n.startswith("journal/") and "-entry-" in n]) == 2
    assert len([n for n in names if n.startswith("goals/")]) == 1
    assert len([n for n in names if n.startswith("wheels/")]) == 1
    assert len([n for n in names if n.startswith("sessions/") and n.endswith(".ics")]) == 2


def test_each_entry_is_markdown_with_front_matter(client, lives):
    sign_in(client, "client_a")
    files = unzip(client.get("/me/export"))
    shared = next(body.decode() for name, body in files.items()
                  if name.startswith("journal/") and b"alphasharedentry" in body)
    head, _, body = shared.removeprefix("---\n").partition("\n---\n")
    matter = dict(line.split(": ", 1) for line in head.splitlines())
    assert set(matter) >= {"date", "prompt", "mood", "energy", "tags", "shared"}
    assert json.loads(matter["shared"]) is True and json.loads(matter["mood"]) == 4
    assert json.loads(matter["tags"]) == ["alphatagword"]
    assert "Today alphasharedentry happened." in body and "alphareply" in body  # the coach's reply follows
    goal = next(body.decode() for name, body in files.items() if name.startswith("goals/"))
    assert "- [ ] Step alphastep" in goal and "40%" in goal and "alphacheckin" in goal


def test_sessions_come_as_calendar_files(client, lives):
    sign_in(client, "client_a")
    files = unzip(client.get("/me/export"))
    uids = set()
    for name, body in files.items():
        if name.endswith(".ics"):
            event = next(iter(Calendar.from_ical(body).walk("VEVENT")))
            uids.add(str(event["UID"]))
    assert uids == {"alpha-session-0@test", "alpha-session-1@test"}


def test_the_json_validates_against_the_committed_schema(client, lives):
    sign_in(client, "client_a")
    files = unzip(client.get("/me/export"))
    data = json.loads(files["letstalk-export.json"])
    jsonschema.validate(data, SCHEMA)
    assert len(data["journal"]) == 2 and len(data["goals"]) == 1 and len(data["sessions"]) == 2
    assert data["client"]["email"] == "alex@example.com"
    assert data["goals"][0]["steps"][0]["title"] == "Step alphastep"
    alone = client.get("/me/export.json")
    assert alone.status_code == 200 and alone.is_streamed
    assert json.loads(alone.get_data()) == data | {"exported": json.loads(alone.get_data())["exported"]}


def test_the_schema_catches_a_broken_export():
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate({"format": "letstalk-export", "version": 1, "journal": [{"body": 3}]}, SCHEMA)


def test_an_empty_account_exports_a_valid_zip(client, users):
    sign_in(client, "client_b")
    files = unzip(client.get("/me/export"))
    jsonschema.validate(json.loads(files["letstalk-export.json"]), SCHEMA)
    assert "README.md" in files


@pytest.mark.parametrize("url", ["/me/export", "/me/export.json"])
@pytest.mark.parametrize("who, status", [("anonymous", 302), ("coach", 403), ("other_coach", 403)])
def test_only_a_client_downloads_their_own(client, lives, url, who, status):
    sign_in(client, who)
    response = client.get(url)
    assert response.status_code == status
    assert b"alpha" not in response.get_data()


def test_ten_thousand_entries_stream_in_bounded_memory(app, client, users):
    """Memory while the zip is written holds no text: what it needs grows only with the number
    of files (a zip's central directory, ~0.7 kB per file), never with what they say."""
    from blueprints.journal.models import JournalEntry
    from blueprints.privacy.export import export_zip
    from database import db, utcnow
    client_a, now = users["client_a"], utcnow()
    body = "I kept thinking about the conversation with my manager. " * 36  # ~2 kB, ~350 words
    rows = [dict(client=client_a.id, body=f"{n} {body}", prompt="How was today?", tags="work",
                 created_at=now - timedelta(minutes=n), updated_at=now - timedelta(minutes=n)) for n in range(10_000)]
    with db.atomic():
        for start in range(0, len(rows), 500):
            JournalEntry.insert_many(rows[start:start + 500]).execute()
    journal_size = sum(len(r["body"]) for r in rows)
    del rows
    with app.test_request_context("/me/export"):
        tracemalloc.start()
        try:
            chunks = export_zip(client_a, now, "Let's talk")
            total, biggest = 0, 0
            buffer = io.BytesIO()
            for chunk in chunks:
                total += len(chunk)
                biggest = max(biggest, len(chunk))
                buffer.write(chunk)
                if buffer.tell() > 1_000_000:
                    buffer = io.BytesIO()  # like a socket: what is sent is gone
            _, peak = tracemalloc.get_traced_memory()
        finally:
            tracemalloc.stop()
    assert total > 0 and biggest < 1_000_000
    assert peak < 2_000_000 + 1_000 * 10_000, f"peak {peak} bytes for 10,000 files"
    assert peak < journal_size / 2, f"peak {peak} bytes for a {journal_size}-byte journal"
    # And the whole download is a real zip with every entry in it.
    sign_in(client, "client_a")
    archive = zipfile.ZipFile(io.BytesIO(client.get("/me/export").get_data()))
    assert len([n for n in archive.namelist() if n.startswith("journal/") and "-entry-" in n]) == 10_000


def test_exports_are_rate_limited_per_client(app, client, users):
    app.config["EXPORT_RATE_LIMIT"] = "2 per hour"
    sign_in(client, "client_a")
    assert [client.get(url).status_code for url in ("/me/export", "/me/export.json", "/me/export")] == [200, 200, 429]
    sign_in(client, "client_b")
    assert client.get("/me/export").status_code == 200  # another client has their own allowance
