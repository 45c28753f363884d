"""Everything a client wrote or was told, as one zip: Markdown files a person can read, the same
data as one JSON file a program can read (its schema: export.schema.json), and each session as
an .ics file.

Built as it is sent: every query is read in keyset batches (`batches`), each batch's companions
(comments, steps, check-ins, answers) in one query per batch, and the zip and the JSON are
written chunk by chunk — memory stays the size of one batch however long the journal.

What is never read here: the coach's private notes (clients.models.PrivateNote), other people's
rows. Every query starts from `client`.
"""
import json
import re
from datetime import date
from zoneinfo import ZoneInfo

import peewee as pw

from blueprints.auth.models import User
from blueprints.calendar.events import VISITOR, booking_event
from blueprints.calendar.ics import event_calendar
from blueprints.goals.models import CheckIn, Goal, GoalComment, LifeArea, Step, StepSuggestion, Wheel, WheelScore
from blueprints.intake.models import IntakeAnswer
from blueprints.journal.models import ENERGIES, MOODS, JournalComment, JournalDraft, JournalEntry
from blueprints.privacy.zipstream import stream_zip
from scheduling.models import Booking, SessionType

BATCH = 500
FORMAT, VERSION = "letstalk-export", 1
JSON_NAME = "letstalk-export.json"


def batches(query, key, size=BATCH):
    """Lists of `query`'s rows in `key` order, `size` at a time (keyset: no OFFSET, no open cursor)."""
    last = None
    while True:
        page = query if last is None else query.where(key > last)
        rows = list(page.order_by(key).limit(size))
        if rows:
            yield rows
        if len(rows) < size:
            return
        last = getattr(rows[-1], key.name)


# --- plain values ---------------------------------------------------------------------------------

def stamp(moment, zone):
    return moment.astimezone(zone).isoformat() if moment else None


def day(value):
    return value.isoformat() if isinstance(value, date) else None


def comment_dict(comment, client, zone):
    return {"author": comment.author.name, "from_coach": comment.author_id != client.id,
            "date": stamp(comment.created_at, zone), "body": comment.body}


def entries(client, zone):
    """The client's journal entries (oldest first), each with the comments on it."""
    query = JournalEntry.select().where((JournalEntry.client == client) & JournalEntry.deleted_at.is_null())
    for rows in batches(query, JournalEntry.id):
        comments = JournalComment.on_entries([row.id for row in rows])
        for entry in rows:
            yield {"id": entry.id, "date": stamp(entry.created_at, zone), "updated": stamp(entry.updated_at, zone),
                   "prompt": entry.prompt, "mood": entry.mood, "energy": entry.energy, "tags": entry.tag_list,
                   "shared": entry.shared, "body": entry.body,
                   "comments": [comment_dict(c, client, zone) for c in comments.get(entry.id, [])]}


def drafts(client, zone):
    """Autosaved text not yet saved as an entry (a few at most: one per form)."""
    for draft in JournalDraft.select().where(JournalDraft.client == client).order_by(JournalDraft.id):
        try:
            values = draft.values
        except ValueError:
            values = {}
        yield {"saved": stamp(draft.updated_at, zone),
               "text": str(values.get("body", "")) if isinstance(values, dict) else ""}


def _grouped(rows, key):
    grouped = {}
    for row in rows:
        grouped.setdefault(getattr(row, key), []).append(row)
    return grouped


def goals(client, zone):
    """The client's goals (oldest first) with their steps, check-ins and the comments on them."""
    query = (Goal.select(Goal, LifeArea).join(LifeArea, pw.JOIN.LEFT_OUTER).where(Goal.client == client))
    for rows in batches(query, Goal.id, size=200):
        ids = [goal.id for goal in rows]
        steps = _grouped(Step.of_goals(ids), "goal_id")
        check_ins = _grouped(CheckIn.of_goals(ids), "goal_id")
        comments = _grouped(GoalComment.of_goals(ids), "goal_id")
        suggestions = _grouped(StepSuggestion.of_goals(ids), "goal_id")
        for goal in rows:
            yield {
                "id": goal.id, "title": goal.title, "why": goal.why,
                "life_area": goal.life_area.name if goal.life_area_id else None,
                "status": goal.status, "target_date": day(goal.target_date), "reflection": goal.reflection,
                "manual_progress": goal.manual_progress, "shared": goal.shared,
                "created": stamp(goal.created_at, zone), "status_changed": stamp(goal.status_changed_at, zone),
                "steps": [{"title": s.title, "due_date": day(s.due_date), "done": stamp(s.done_at, zone),
                           "suggested_by_coach": s.suggested_by_id is not None} for s in steps.get(goal.id, [])],
                "check_ins": [{"date": stamp(c.created_at, zone), "progress": c.progress,
                               "confidence": c.confidence, "note": c.note} for c in check_ins.get(goal.id, [])],
                "comments": [comment_dict(c, client, zone) for c in comments.get(goal.id, [])],
                "suggestions": [{"title": s.title, "due_date": day(s.due_date), "status": s.status,
                                 "date": stamp(s.created_at, zone)} for s in suggestions.get(goal.id, [])],
            }


def wheels(client, zone):
    """The client's wheels of life (oldest first): a score of 0–10 for each life area."""
    for rows in batches(Wheel.select().where(Wheel.client == client), Wheel.id, size=200):
        scores = _grouped(WheelScore.of_wheels([wheel.id for wheel in rows]), "wheel_id")
        for wheel in rows:
            yield {"id": wheel.id, "date": stamp(wheel.created_at, zone), "shared": wheel.shared,
                   "scores": [{"life_area": s.area_name, "score": s.score, "word": s.word}
                              for s in scores.get(wheel.id, [])]}


def sessions(client, zone):
    """(plain values, booking) for each of the client's calls and sessions, any status, oldest first."""
    query = (Booking.select(Booking, User, SessionType)
             .join(User, on=(Booking.coach == User.id)).switch(Booking)
             .join(SessionType, pw.JOIN.LEFT_OUTER).where(Booking.client == client))
    for rows in batches(query, Booking.id, size=200):
        answers = _grouped(IntakeAnswer.of_bookings([b.id for b in rows]), "booking_id")
        for booking in rows:
            yield {"id": booking.id, "what": booking.session_label, "coach": booking.coach.name,
                   "starts": stamp(booking.starts_at, zone), "ends": stamp(booking.ends_at, zone),
                   "status": booking.status, "location": booking.location,
                   "answers": [{"question": a.question_label, "answer": a.answer}
                               for a in answers.get(booking.id, [])]}, booking


# --- JSON -----------------------------------------------------------------------------------------

def _array(items):
    for index, item in enumerate(items):
        yield ("," if index else "") + "\n    " + json.dumps(item, ensure_ascii=False)


def json_chunks(client, now):
    """The whole export as one JSON document, a few rows at a time."""
    zone = ZoneInfo(client.timezone)
    coach = User.get_or_none(User.id == client.coach_id) if client.coach_id else None
    head = {"format": FORMAT, "version": VERSION, "exported": stamp(now, zone),
            "client": {"name": client.name, "email": client.email, "timezone": client.timezone,
                       "since": stamp(client.created_at, zone)},
            "coach": {"name": coach.name, "email": coach.email} if coach else None}
    yield json.dumps(head, ensure_ascii=False, indent=2)[:-2] + ",\n"  # open: the lists follow
    sections = (("journal", entries(client, zone)), ("drafts", drafts(client, zone)), ("goals", goals(client, zone)),
                ("wheels", wheels(client, zone)), ("sessions", (s for s, _ in sessions(client, zone))))
    for index, (name, items) in enumerate(sections):
        yield f'  "{name}": ['
        yield from _array(items)
        yield "\n  ]" + ("," if index < len(sections) - 1 else "") + "\n"
    yield "}\n"


# --- Markdown -------------------------------------------------------------------------------------

def front_matter(values):
    """YAML front matter; every value written as JSON, which YAML reads as the same value."""
    lines = ["---"]
    for key, value in values.items():
        lines.append(f"{key}: {json.dumps(value, ensure_ascii=False)}")
    return "\n".join(lines + ["---", ""])


def slug(text, limit=40):
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:limit].strip("-") or "untitled"


def comments_md(comments):
    if not comments:
        return ""
    lines = ["", "## Comments", ""]
    for comment in comments:
        quoted = "\n".join("> " + line for line in comment["body"].splitlines())
        lines += [f"**{comment['author']}**, {comment['date']}:", "", quoted, ""]
    return "\n".join(lines)


def entry_file(entry):
    name = f"journal/{entry['date'][:10]}-{entry['date'][11:16].replace(':', '')}-entry-{entry['id']}.md"
    head = front_matter({"date": entry["date"], "prompt": entry["prompt"], "mood": entry["mood"],
                         "mood_label": MOODS.get(entry["mood"]), "energy": entry["energy"],
                         "energy_label": ENERGIES.get(entry["energy"]), "tags": entry["tags"],
                         "shared": entry["shared"]})
    title = f"# {entry['prompt']}\n\n" if entry["prompt"] else ""
    return name, [head, "\n", title, entry["body"], "\n", comments_md(entry["comments"])]


def goal_file(goal):
    head = front_matter({k: goal[k] for k in ("title", "life_area", "status", "target_date", "shared", "created")})
    lines = [f"# {goal['title']}", ""]
    if goal["why"]:
        lines += ["## Why", "", goal["why"], ""]
    if goal["steps"]:
        lines += ["## Steps", ""] + [
            f"- [{'x' if s['done'] else ' '}] {s['title']}" + (f" (due {s['due_date']})" if s["due_date"] else "")
            for s in goal["steps"]] + [""]
    if goal["check_ins"]:
        lines += ["## Check-ins", ""] + [
            f"- {c['date']}: {c['progress']}%" + (f", confidence {c['confidence']}/10" if c["confidence"] else "")
            + (f" — {c['note']}" if c["note"] else "") for c in goal["check_ins"]] + [""]
    if goal["suggestions"]:
        lines += ["## Steps your coach suggested", ""] + [f"- {s['title']} ({s['status']})" for s in goal["suggestions"]] + [""]
    if goal["reflection"]:
        lines += ["## Reflection", "", goal["reflection"], ""]
    return f"goals/{goal['id']}-{slug(goal['title'])}.md", [head, "\n", "\n".join(lines), comments_md(goal["comments"])]


def wheel_file(wheel):
    rows = [f"| {s['life_area']} | {s['score']} | {s['word']} |" for s in wheel["scores"]]
    body = "\n".join([f"# Wheel of life, {wheel['date'][:10]}", "", "| Life area | Score (0–10) | Word |",
                      "|---|---|---|", *rows, ""])
    return f"wheels/{wheel['date'][:10]}-wheel-{wheel['id']}.md", [front_matter(
        {"date": wheel["date"], "shared": wheel["shared"]}), "\n", body]


def session_lines(client, zone):
    yield "# Sessions\n\nEvery call and session, oldest first; each has a calendar file in this folder.\n"
    for values, _ in sessions(client, zone):
        yield f"\n## {values['starts'][:16].replace('T', ' ')} — {values['what']} with {values['coach']}\n\n"
        yield f"- Status: {values['status']}\n- Ends: {values['ends'][:16].replace('T', ' ')}\n"
        if values["location"]:
            yield f"- Where: {values['location']}\n"
        for answer in values["answers"]:
            yield f"\n**{answer['question']}**\n\n{answer['answer'] or '—'}\n"


README = """# Your {site} export

Everything you wrote here and everything you were told, as of {exported}:

- `journal/`: one Markdown file per entry (and any unsaved draft); the lines between `---` at the top (front matter) hold
  its date, prompt, mood, energy, tags and whether you shared it; your coach's comments follow it.
- `goals/`: one file per goal with its steps, check-ins and comments.
- `wheels/`: your wheels of life.
- `sessions/`: `index.md` lists your calls and sessions (with your answers to the booking
  questions); each `.ics` file opens in any calendar.
- `{json}`: all of the above in one file for programs (schema: `format` "{format}", version {version}).

Times are in your time zone ({zone}).
"""


def zip_members(client, now, site_name):
    """(name, chunks) for every file of the zip, each read from the database only when written."""
    zone = ZoneInfo(client.timezone)
    yield "README.md", [README.format(site=site_name, exported=stamp(now, zone), json=JSON_NAME, format=FORMAT,
                                      version=VERSION, zone=client.timezone)]
    yield from (entry_file(entry) for entry in entries(client, zone))
    yield from ((f"journal/unsaved-draft-{n + 1}.md", [front_matter({"saved": d["saved"]}), "\n", d["text"], "\n"])
                for n, d in enumerate(drafts(client, zone)))
    yield from (goal_file(goal) for goal in goals(client, zone))
    yield from (wheel_file(wheel) for wheel in wheels(client, zone))
    yield "sessions/index.md", session_lines(client, zone)
    for values, booking in sessions(client, zone):
        name = f"sessions/{values['starts'][:10]}-{slug(values['what'])}-{values['id']}.ics"
        yield name, [event_calendar([booking_event(booking, VISITOR)], method="PUBLISH")]
    yield JSON_NAME, json_chunks(client, now)


def export_zip(client, now, site_name):
    """The bytes of the client's export zip, as a generator."""
    return stream_zip(zip_members(client, now, site_name), when=now.astimezone(ZoneInfo(client.timezone)))


def file_name(client, now):
    return f"letstalk-export-{slug(client.name, 30)}-{now.astimezone(ZoneInfo(client.timezone)):%Y-%m-%d}"
