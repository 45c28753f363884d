"""What each journal screen shows, read with the named queries of the models.

Coach-facing context (`coach_prep_context`) is built only from `JournalEntry.shared_by`, so a
private entry cannot reach a coach's page whatever the template does.
"""
from datetime import timedelta

from blueprints.journal import search, timeline
from blueprints.journal.forms import AssignForm, CommentForm, EntryForm
from blueprints.journal.models import (
    JournalAssignment,
    JournalComment,
    JournalDraft,
    JournalEntry,
    JournalPrompt,
    JournalTag,
)
from blueprints.journal.prompts import ensure_library
from database import utcnow
from scheduling.models import Booking

TREND_WEEKS = 8


def client_prompts(client, also=None):
    """The prompts a client may answer: their coach's active library (plus `also`, e.g. a retired
    prompt an entry being edited already answers)."""
    if not client.coach_id:
        return []
    ensure_library(client.coach_id)
    prompts = list(JournalPrompt.active(client.coach_id))
    if also is not None and all(p.id != also.id for p in prompts):
        prompts.append(also)
    return prompts


def entry_form(client, entry=None, formdata=None, draft=None, prompt_id=None, csrf=True):
    """The writing form: from the request, else a kept draft, else the entry, else empty."""
    kwargs = {}
    if formdata is None and draft is not None:
        kwargs = {k: v for k, v in draft.values.items() if k != "shared"}
        kwargs["shared"] = draft.values.get("shared") in ("y", "on", "true", True)
    elif formdata is None and entry is not None:
        kwargs = dict(body=entry.body, prompt_source=str(entry.prompt_source_id or ""),
                      mood=str(entry.mood or ""), energy=str(entry.energy or ""), tags=entry.tags,
                      shared=entry.shared)
    elif formdata is None and prompt_id:
        kwargs = dict(prompt_source=str(prompt_id))
    form = EntryForm(formdata=formdata, meta={"csrf": csrf} if not csrf else None, **kwargs)
    form.set_prompts(client_prompts(client, also=entry.prompt_source if entry and entry.prompt_source_id else None))
    if entry is not None:  # edited in place next to the new-entry form: ids stay unique, names stay
        for f in form:
            f.id = f.label.field_id = f"{f.name}-{entry.id}"
    return form


def assignment_for(client):
    """The prompt the coach asked about, and whether the client has answered it since."""
    assignment = JournalAssignment.current(client)
    if assignment is None:
        return None, None
    answer = (JournalEntry.of_client(client)
              .where((JournalEntry.prompt_source == assignment.prompt_id)
                     & (JournalEntry.created_at >= assignment.assigned_at)).first())
    return assignment, answer


def trend_of(entries_query, now):
    """Mood and energy over the last weeks of `entries_query` (the client's own, or only the shared)."""
    since = now - timedelta(weeks=TREND_WEEKS)
    days = [timeline.Day(int(row[0]), *row[1:]) for row in JournalEntry.days_noted(entries_query, since)]
    return timeline.sparkline_of_days(days, now, weeks=TREND_WEEKS)


def journal_page(client, filters, cursor=None, form=None, draft=None, deleted=None):
    now = utcnow()
    query = search.filtered(client, filters, client.timezone)
    entries, next_cursor = search.page(query, cursor)
    assignment, answer = assignment_for(client)
    if form is None:
        draft = JournalDraft.find(client, "new")
        form = entry_form(client, draft=draft)
    return dict(
        form=form, draft=draft, entries=entries, next_cursor=next_cursor, cursor=cursor,
        groups=timeline.group_by_session(entries, list(Booking.sessions_of_client(client))),
        comments=JournalComment.on_entries([e.id for e in entries]),
        assignment=assignment, answer=answer, trend=trend_of(JournalEntry.of_client(client), now),
        tag_names=JournalTag.names_of(client), now=now, deleted=deleted,
        coach_name=client.coach.name if client.coach_id else "Your coach",
    )


def home_context(client):
    """For the client's home (/me): the assigned prompt and the latest entries."""
    assignment, answer = assignment_for(client)
    return dict(journal_assignment=assignment, journal_answer=answer,
                journal_recent=list(JournalEntry.of_client(client).limit(3)),
                journal_coach_name=client.coach.name if client.coach_id else "Your coach")


def last_and_next_session(coach, client, now):
    sessions = Booking.sessions_of_client(client).where(Booking.coach == coach)
    last = sessions.where(Booking.starts_at <= now).order_by(Booking.starts_at.desc()).first()
    upcoming = sessions.where(Booking.starts_at > now).first()
    return last, upcoming


def prep_material(coach, client, now):
    """What the client shared for the coming session — the prep page's and the prep email's one
    source. Every entry comes from `JournalEntry.shared_by`: nothing private can be in it."""
    shared = JournalEntry.shared_by(client, coach)
    last, upcoming = last_and_next_session(coach, client, now)
    since_last = shared.where(JournalEntry.created_at > last.starts_at) if last else shared
    assignment = JournalAssignment.current(client)
    return dict(
        prep_entries=list(since_last.limit(50)), prep_last=last, prep_next=upcoming, prep_assignment=assignment,
        prep_answers=list(shared.where(JournalEntry.prompt_source == assignment.prompt_id).limit(10))
        if assignment else [],
        prep_earlier=list(shared.where(JournalEntry.created_at <= last.starts_at).limit(10)) if last else [],
        prep_trend=trend_of(shared, now),
    )


def coach_prep_context(coach, client):
    """Session prep on the coach's client page: only what the client shared, since the last session."""
    material = prep_material(coach, client, utcnow())
    entries, answers, earlier = material["prep_entries"], material["prep_answers"], material["prep_earlier"]
    assignment = material["prep_assignment"]
    ensure_library(coach)
    assign_form = AssignForm(formdata=None, prefix="assign", prompt=str(assignment.prompt_id) if assignment else "")
    assign_form.set_prompts(JournalPrompt.active(coach))
    shown = entries + [e for e in answers + earlier if e not in entries]
    return dict(
        material,
        prep_shown=list(dict.fromkeys(shown)),
        prep_comment_forms={e.id: reply_form(e.id, formdata=None) for e in shown},
        prep_comments=JournalComment.on_entries({e.id for e in entries + answers + earlier}),
        prep_assign_form=assign_form,
    )


def reply_form(entry_id, formdata=None):
    """One reply form per entry: its own prefix keeps the ids on the page unique."""
    return CommentForm(formdata=formdata, prefix=f"reply-{entry_id}")
