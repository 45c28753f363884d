"""Every write of the journal: entries, tags, drafts, held saves, prompts, assignments, comments."""
import json
import secrets

from blueprints.auth.models import hash_token, on_behalf_of
from blueprints.journal.models import (
    JournalAssignment, JournalComment, JournalDraft, JournalEntry, JournalHeldSave, JournalPrompt, JournalTag,
)
from database import db, utcnow
from mail import queue_email

NEW = "new"


def draft_key(entry=None):
    return f"entry-{entry.id}" if entry is not None else NEW


def _prompt_text(client, prompt_id):
    if not prompt_id:
        return None, ""
    prompt = JournalPrompt.get_or_none((JournalPrompt.id == prompt_id) & (JournalPrompt.coach == client.coach_id))
    return (prompt.id, prompt.text) if prompt else (None, "")


def _apply(entry, client, values, now):
    entry.prompt_source, entry.prompt = _prompt_text(client, values.get("prompt_source"))
    entry.body = values["body"]
    entry.mood, entry.energy = values.get("mood"), values.get("energy")
    entry.tags = ", ".join(values.get("tags") or [])
    entry.shared = bool(values.get("shared"))
    entry.updated_at = now


def _replace_tags(entry, client, names):
    JournalTag.delete().where(JournalTag.entry == entry).execute()
    if names:
        JournalTag.insert_many([{"entry": entry.id, "client": client.id, "name": n} for n in names]).execute()


def create_entry(client, values, now=None):
    now = now or utcnow()
    with db.atomic():
        entry = JournalEntry(client=client, created_at=now)
        _apply(entry, client, values, now)
        entry.save()
        _replace_tags(entry, client, values.get("tags"))
        JournalDraft.delete().where((JournalDraft.client == client) & (JournalDraft.key == NEW)).execute()
    return entry


def update_entry(entry, client, values, now=None):
    now = now or utcnow()
    with db.atomic():
        _apply(entry, client, values, now)
        entry.save()
        _replace_tags(entry, client, values.get("tags"))
        JournalDraft.delete().where((JournalDraft.client == client) & (JournalDraft.key == draft_key(entry))).execute()
    return entry


def set_shared(entry, shared):
    entry.shared = bool(shared)
    JournalEntry.update(shared=entry.shared).where(JournalEntry.id == entry.id).execute()
    return entry


def delete_entry(entry, now=None):
    """Hide the entry at once (from the coach too); the worker erases it after the undo window."""
    entry.deleted_at = now or utcnow()
    JournalEntry.update(deleted_at=entry.deleted_at).where(JournalEntry.id == entry.id).execute()


def restore_entry(client, entry_id, now=None):
    entry = JournalEntry.recently_deleted(client, entry_id, now)
    if entry is not None:
        JournalEntry.update(deleted_at=None).where(JournalEntry.id == entry.id).execute()
        entry.deleted_at = None
    return entry


def purge_deleted(app=None, now=None):
    """Worker task: erase entries past their undo window and saves nobody came back for."""
    now = now or utcnow()
    with db.atomic():
        erased = JournalEntry.purgeable(now).execute()
        JournalHeldSave.purgeable(now).execute()
    return erased


# --- never lose a word -----------------------------------------------------------------

def save_draft(client, key, data, now=None):
    now = now or utcnow()
    payload = json.dumps(data)
    with db.atomic():
        updated = (JournalDraft.update(data=payload, updated_at=now)
                   .where((JournalDraft.client == client) & (JournalDraft.key == key)).execute())
        if not updated:
            JournalDraft.create(client=client, key=key, data=payload, updated_at=now)
    return now


def discard_draft(client, key):
    JournalDraft.delete().where((JournalDraft.client == client) & (JournalDraft.key == key)).execute()


def hold_save(target, data, trusted):
    """Keep a signed-out save server-side; return the token only the sending browser gets."""
    token = secrets.token_urlsafe(24)
    JournalHeldSave.create(token_hash=hash_token(token), target=str(target), data=json.dumps(data),
                           trusted=bool(trusted))
    return token


def take_held_save(token):
    """The held save for `token`, removed from the table (it is used once), or None."""
    if not token:
        return None
    with db.atomic():
        row = JournalHeldSave.get_or_none(JournalHeldSave.token_hash == hash_token(token))
        if row is not None:
            JournalHeldSave.delete().where(JournalHeldSave.id == row.id).execute()
    return row


# --- the coach's side ------------------------------------------------------------------

def add_prompt(coach, text):
    return JournalPrompt.create(coach=coach, text=text.strip())


def edit_prompt(prompt, text):
    prompt.text = text.strip()
    prompt.save()


def retire_prompt(prompt, retired=True, now=None):
    prompt.retired_at = (now or utcnow()) if retired else None
    prompt.save()
    if retired:  # a retired prompt is no longer asked of anyone
        JournalAssignment.update(cleared_at=prompt.retired_at).where(
            (JournalAssignment.prompt == prompt) & JournalAssignment.cleared_at.is_null()).execute()


def assign_prompt(coach, client, prompt, now=None):
    """Ask `client` to think about `prompt` before the next session (None clears the ask)."""
    now = now or utcnow()
    with db.atomic():
        JournalAssignment.update(cleared_at=now).where(
            (JournalAssignment.client == client) & JournalAssignment.cleared_at.is_null()).execute()
        if prompt is not None:
            return JournalAssignment.create(client=client, coach=coach, prompt=prompt, assigned_at=now)
    return None


def add_comment(coach, entry, body, link, site_name):
    """The coach's reply under a shared entry; the client is told by email — without the entry's text."""
    with db.atomic():
        comment = JournalComment.create(entry=entry, author=coach, body=body)
        client = entry.client
        queue_email(client.email, f"{coach.name} replied to your journal entry", "journal_comment",
                    client=client, coach=coach, link=link, site_name=site_name, **on_behalf_of(coach))
    return comment
