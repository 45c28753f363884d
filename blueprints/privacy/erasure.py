"""Deleting a client's account: asked for with the password, erased by the worker after a grace
period in which signing in cancels it.

Erasing removes everything of the client's and everything about them that is not the coach's
own: journal (entries, tags, drafts, comments, the full-text index), goals (steps, check-ins,
comments, suggestions), wheels, intake answers, their email in the outbox, sign-in records,
the access log. Their calls and sessions stay as anonymous rows — name and contact gone, the
ones still ahead cancelled — so the coach's history and calendar feed stay consistent (the
feed shows them as cancelled). The user row stays as "Former client" with no way to sign in.
The coach's private notes are the coach's: kept until the coach chooses to delete them.
"""
import secrets

import peewee as pw
from flask import current_app, url_for

from blueprints.auth.models import (AccountNotice, LoginSession, LoginThrottle, PasswordReset, User,
                                    hash_token)
from blueprints.auth.account_changes import EmailChange
from blueprints.auth.twofactor import RecoveryCode, TrustedDevice, TwoFactor
from blueprints.clients.models import ClientRecord, Invitation, PrivateNote
from blueprints.goals.models import (CheckIn, Goal, GoalComment, Step, StepSuggestion, Wheel, WheelRequest,
                                     WheelScore)
from blueprints.intake.models import IntakeAnswer
from blueprints.journal.models import (JournalAssignment, JournalComment, JournalDraft, JournalEntry,
                                       JournalHeldSave, JournalTag)
from blueprints.privacy.models import DELETE, GRACE, KEEP, AccountDeletion, CoachView
from database import db, is_postgres, utcnow, write_transaction
from mail import OutboxMessage, queue_email
from ratelimit import RateLimitCounter
from scheduling.models import ACTIVE_STATUSES, CANCELLED, Booking, new_manage_token
from timezones import local_time

FORMER_CLIENT = "Former client"
ANONYMOUS_BOOKING = "Former client (details removed)"


def erased_email(user_id):
    return f"erased-{user_id}@erased.invalid"


def is_erased(user):
    return user.email == erased_email(user.id)


# --- asking, cancelling ---------------------------------------------------------------------------

def request_deletion(client, now=None):
    """Start the grace period, sign the client out everywhere, tell them and their coach."""
    now = now or utcnow()
    with db.atomic():
        AccountDeletion.delete().where(AccountDeletion.user == client).execute()  # an erased one never asks
        deletion = AccountDeletion.create(user=client, coach=client.coach_id, requested_at=now,
                                          erase_after=now + GRACE)
        LoginSession.end_all(client.id)
        when = local_time(deletion.erase_after, client.timezone, "%A %-d %B %Y, %H:%M")
        queue_email(client.email, "Your account will be deleted", "account_deletion_requested", user=client,
                    when=when, login_url=site_url("auth.login"))
        coach = User.get_or_none(User.id == client.coach_id) if client.coach_id else None
        if coach:
            queue_email(coach.email, f"{client.name} asked to delete their account", "account_deletion_coach",
                        coach=coach, client=client,
                        when=local_time(deletion.erase_after, coach.timezone, "%A %-d %B %Y"),
                        client_url=site_url("coach.client_detail", client_id=client.id))
    return deletion


def cancel_deletion(user):
    """Signing in during the grace period: nothing will be deleted. Returns True if one was pending."""
    with db.atomic():
        deletion = AccountDeletion.pending_for(user)
        if deletion is None or not AccountDeletion.delete().where(AccountDeletion.id == deletion.id).execute():
            return False
        queue_email(user.email, "Your account will not be deleted", "account_deletion_cancelled", user=user)
        coach = User.get_or_none(User.id == user.coach_id) if user.coach_id else None
        if coach:
            queue_email(coach.email, f"{user.name} kept their account", "account_deletion_cancelled_coach",
                        coach=coach, client=user)
    return True


def decide_notes(deletion, decision):
    """The coach keeps or deletes their own private notes about a client who is (being) deleted."""
    assert decision in (KEEP, DELETE)
    with db.atomic():
        AccountDeletion.update(notes_decision=decision).where(AccountDeletion.id == deletion.id).execute()
        if decision == DELETE and deletion.erased_at:
            PrivateNote.delete().where((PrivateNote.client == deletion.user_id)
                                       & (PrivateNote.coach == deletion.coach_id)).execute()


def site_url(endpoint, **values):
    return current_app.config["SITE_URL"] + url_for(endpoint, **values)


# --- erasing --------------------------------------------------------------------------------------

def erase_due(app, now=None):
    """Worker task: erase every account whose grace period is over. Returns how many."""
    now = now or utcnow()
    erased = 0
    with app.test_request_context("/"):  # emails build absolute links with url_for
        for deletion in list(AccountDeletion.due(now).limit(20)):
            if erase_client(deletion, now):
                erased += 1
    if erased:
        compact_search_index()
    return erased


def erase_client(deletion, now):
    if not is_postgres():
        # Deleted rows' bytes are overwritten with zeros, not left in free pages of the file.
        db.execute_sql("PRAGMA secure_delete = ON")
    with write_transaction():
        # Claim it: a second worker (or a sign-in that cancelled it meanwhile) finds nothing to do.
        if not AccountDeletion.update(erased_at=now).where(
                (AccountDeletion.id == deletion.id) & AccountDeletion.erased_at.is_null()).execute():
            return False
        client = User.get_by_id(deletion.user_id)
        name, email = client.name, client.email
        _erase_journal(client, now)
        _erase_goals(client)
        _anonymise_bookings(client, email, now)
        _erase_account(client, email)
        _erase_mail(name, email)
        if deletion.notes_decision == DELETE:
            PrivateNote.delete().where(PrivateNote.client == client.id).execute()
        ClientRecord.update(archived_at=now, updated_at=now).where(
            (ClientRecord.client == client.id) & ClientRecord.archived_at.is_null()).execute()
        User.update(name=FORMER_CLIENT, email=erased_email(client.id), password_hash=None, feed_token=None,
                    session_nonce=secrets.token_hex(8)).where(User.id == client.id).execute()
        coach = User.get_or_none(User.id == deletion.coach_id) if deletion.coach_id else None
        if coach:
            # No name: the email is kept in the outbox, and the client's name is theirs.
            queue_email(coach.email, "A former client's account has been deleted", "account_erased_coach",
                        coach=coach, notes=PrivateNote.select().where(PrivateNote.client == client.id).count(),
                        client_url=site_url("coach.client_detail", client_id=client.id))
    return True


def _erase_journal(client, now):
    entries = JournalEntry.select(JournalEntry.id).where(JournalEntry.client == client.id)
    targets = [str(row.id) for row in entries]
    for start in range(0, len(targets), 500):  # an edit saved while signed out names its entry's id
        JournalHeldSave.delete().where(JournalHeldSave.target.in_(targets[start:start + 500])).execute()
    JournalHeldSave.purgeable(now).execute()  # unsigned saves of new entries: gone after 12 hours anyway
    JournalComment.delete().where(JournalComment.entry.in_(entries) | (JournalComment.author == client.id)).execute()
    JournalTag.delete().where(JournalTag.client == client.id).execute()
    JournalEntry.delete().where(JournalEntry.client == client.id).execute()  # triggers empty the FTS rows
    JournalDraft.delete().where(JournalDraft.client == client.id).execute()
    JournalAssignment.delete().where(JournalAssignment.client == client.id).execute()


def _erase_goals(client):
    goals = Goal.select(Goal.id).where(Goal.client == client.id)
    for model in (Step, CheckIn, GoalComment, StepSuggestion):
        model.delete().where(model.goal.in_(goals)).execute()
    GoalComment.delete().where(GoalComment.author == client.id).execute()
    Goal.delete().where(Goal.client == client.id).execute()
    wheels = Wheel.select(Wheel.id).where(Wheel.client == client.id)
    WheelScore.delete().where(WheelScore.wheel.in_(wheels)).execute()
    Wheel.delete().where(Wheel.client == client.id).execute()
    WheelRequest.delete().where(WheelRequest.client == client.id).execute()


def _anonymise_bookings(client, email, now):
    """Their calls stay as anonymous rows; the ones ahead are cancelled, so every calendar that
    shows them (the coach's feed, invitations already accepted) drops them."""
    theirs = Booking.select(Booking.id).where((Booking.client == client.id) | (pw.fn.LOWER(Booking.email) == email))
    ids = [row.id for row in theirs]
    if not ids:
        return
    IntakeAnswer.delete().where(IntakeAnswer.booking.in_(ids)).execute()
    Booking.update(status=CANCELLED, cancelled_at=now, cancelled_by="", sequence=Booking.sequence + 1).where(
        Booking.id.in_(ids) & Booking.status.in_(ACTIVE_STATUSES) & (Booking.ends_at > now)).execute()
    for booking_id in ids:  # a new secret each: the old manage links stop working
        Booking.update(name=ANONYMOUS_BOOKING, email="", phone="", cancel_reason="", manage_token=new_manage_token(),
                       anonymised_at=now, updated_at=now).where(Booking.id == booking_id).execute()


def _erase_account(client, email):
    for model in (LoginSession, PasswordReset, EmailChange, TwoFactor, RecoveryCode, TrustedDevice, Invitation):
        model.delete().where(model.client == client.id if model is Invitation else model.user == client.id).execute()
    CoachView.delete().where(CoachView.client == client.id).execute()
    AccountNotice.delete().where(AccountNotice.email == email).execute()
    LoginThrottle.delete().where(LoginThrottle.email_hash == hash_token(email)).execute()
    RateLimitCounter.delete().where(RateLimitCounter.key.contains(email)
                                    | RateLimitCounter.key.contains(f"account:{client.id}/")).execute()


def _erase_mail(name, email):
    """Messages to them, and messages to anyone that name them (a coach's booking notice)."""
    mentions = pw.fn.LOWER(OutboxMessage.to_addr) == email
    for column in (OutboxMessage.subject, OutboxMessage.text_body, OutboxMessage.html_body, OutboxMessage.ics):
        mentions |= column.contains(email) | column.contains(name)
    OutboxMessage.delete().where(mentions).execute()


def compact_search_index():
    """SQLite's FTS5 index keeps deleted words in old segments until they are merged: merge now,
    then move the write-ahead log (which holds old copies of pages) into the file and empty it.
    PostgreSQL's dead rows and index entries are reclaimed by autovacuum."""
    if not is_postgres():
        db.execute_sql("PRAGMA secure_delete = ON")
        db.execute_sql("INSERT INTO journal_entry_fts(journal_entry_fts) VALUES ('optimize')")
        db.execute_sql("PRAGMA wal_checkpoint(TRUNCATE)")
