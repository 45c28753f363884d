"""Writes about a coach's clients: making a client, invitations (send, undo, accept), archive,
packages and private notes. Each function is one transaction; views only call them."""
from dataclasses import dataclass

from flask import current_app, url_for

from blueprints.auth.models import User, on_behalf_of
from blueprints.auth.passwords import hash_password
from blueprints.auth.service import create_client
from blueprints.clients.models import ClientRecord, Invitation, PrivateNote
from database import db, utcnow, write_transaction
from mail import queue_email
from scheduling.models import CONFIRMED, Booking

# Why an invitation link can't be used; each has its own page saying what to do.
MISSING, EXPIRED, USED, WRONG_ACCOUNT = "missing", "expired", "used", "wrong_account"


class EmailTaken(Exception):
    """The email belongs to a coach or to another coach's client."""


class InvitationUnusable(Exception):
    def __init__(self, reason, invitation=None):
        super().__init__(reason)
        self.reason, self.invitation = reason, invitation


class CannotUndo(Exception):
    """The client has already accepted (or otherwise started using their account)."""


class HasSessions(CannotUndo):
    """Coaching sessions are booked for them: cancel those first, so nobody is left expecting one."""


@dataclass
class NewClient:
    client: User
    invited: bool  # False when the person already was this coach's client


def make_client(coach, name, email, note="", booking=None):
    """Make `email` the coach's client (creating the account and inviting them), and put every
    booking of theirs — the discovery call and its answers — on the client's record."""
    email = email.strip().lower()
    with db.atomic():
        client = User.by_email(email)
        if client is not None and (client.is_coach or client.coach_id != coach.id):
            raise EmailTaken(email)
        invited = client is None
        if invited:
            zone = booking.timezone if booking is not None else None
            client = create_client(coach, email, name, timezone=zone)
            ClientRecord.create(coach=coach, client=client)
            send_invitation(coach, client, note)
        emails = {email} | ({booking.email.strip().lower()} if booking is not None else set())
        Booking.update(client=client).where(
            (Booking.coach == coach) & Booking.client.is_null() & Booking.email.in_(list(emails))).execute()
        if booking is not None:
            Booking.update(client=client).where((Booking.id == booking.id) & (Booking.coach == coach)).execute()
    return NewClient(client, invited)


def send_invitation(coach, client, note=""):
    """Email the client a fresh link to the welcome page; earlier unused links stop working."""
    now = utcnow()
    with db.atomic():
        Invitation.update(expires_at=now).where(
            (Invitation.client == client) & Invitation.accepted_at.is_null() & (Invitation.expires_at > now)).execute()
        invitation, token = Invitation.issue(coach, client, note.strip(), now=now)
        link = current_app.config["SITE_URL"] + url_for("clients.welcome", token=token)
        queue_email(client.email, f"{coach.name} invited you to {current_app.config['SITE_NAME']}",
                    "client_invite", client=client, coach=coach, link=link, note=invitation.note,
                    expires_at=invitation.expires_at, **on_behalf_of(coach))
    return invitation


def resend_invitation(coach, client):
    if client.password_hash:
        raise CannotUndo()
    last = Invitation.of_client(coach, client).first()
    return send_invitation(coach, client, last.note if last else "")


def undo_client(coach, client):
    """Take back "make client" while the invitation is unused: the account goes, bookings stay
    (as the prospect's bookings they were). Refused once the client has set a password."""
    with write_transaction():
        fresh = User.get_or_none((User.id == client.id) & (User.coach == coach))
        used = Invitation.select().where((Invitation.client == client) & Invitation.accepted_at.is_null(False))
        if fresh is None or fresh.password_hash or used.exists():
            raise CannotUndo()
        if Booking.select().where((Booking.client == client) & (Booking.kind == "session")
                                  & (Booking.status == CONFIRMED)).exists():
            raise HasSessions()
        Booking.update(client=None).where(Booking.client == client).execute()
        User.delete().where((User.id == client.id) & User.password_hash.is_null()).execute()


def invitation_for(token, viewer, now=None):
    """The invitation behind `token` if `viewer` (None when signed out) may accept it now."""
    now = now or utcnow()
    invitation = Invitation.by_token(token)
    if invitation is None:
        raise InvitationUnusable(MISSING)
    if viewer is not None and viewer.id != invitation.client_id:
        raise InvitationUnusable(WRONG_ACCOUNT, invitation)
    if invitation.accepted_at is not None or invitation.client.password_hash:
        raise InvitationUnusable(USED, invitation)
    if invitation.expires_at <= now:
        raise InvitationUnusable(EXPIRED, invitation)
    return invitation


def accept_invitation(invitation, password, now=None):
    """Use the invitation once: set the password. Two tabs racing: the second gets USED."""
    now = now or utcnow()
    with write_transaction():
        claimed = Invitation.update(accepted_at=now).where(
            (Invitation.id == invitation.id) & Invitation.accepted_at.is_null() & (Invitation.expires_at > now)
        ).execute()
        client = User.get_or_none(User.id == invitation.client_id)
        if claimed != 1 or client is None or client.password_hash:
            raise InvitationUnusable(USED, invitation)
        client.password_hash = hash_password(password)
        client.session_nonce = User.session_nonce.default()
        client.save()
    return client


def record_of(coach, client):
    """The client's record, created on first need (clients made before records existed)."""
    record = ClientRecord.of(coach, client)
    if record is None:
        record = ClientRecord.create(coach=coach, client=client)
    return record


def set_archived(coach, client, archived, now=None):
    now = now or utcnow()
    with db.atomic():
        record = record_of(coach, client)
        record.archived_at, record.updated_at = (now if archived else None), now
        record.save()


def set_package(coach, client, sessions, since, note="", now=None):
    """Record a package ("6 sessions, paid") counted from `since`; sessions=None removes it."""
    now = now or utcnow()
    with db.atomic():
        record = record_of(coach, client)
        record.package_sessions = sessions
        record.package_since = since if sessions else None
        record.package_note = (note or "").strip() if sessions else ""
        record.updated_at = now
        record.save()


def add_note(coach, client, body, booking=None, now=None):
    now = now or utcnow()
    return PrivateNote.create(coach=coach, client=client, booking=booking, body=body.strip(),
                              created_at=now, updated_at=now)


def update_note(note, body, now=None):
    note.body, note.updated_at = body.strip(), now or utcnow()
    note.save()


def delete_note(note):
    note.delete_instance()
