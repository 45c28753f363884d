"""Writes of the practice: its name and text, inviting a coach, a coach joining. Each one
transaction; the views only call these."""
from flask import current_app, url_for

from blueprints.auth.models import User, on_behalf_of
from blueprints.coach.service import create_coach
from blueprints.practice.models import CoachInvitation, Practice
from database import db, utcnow, write_transaction
from mail import queue_email


class AlreadyHasAccount(Exception):
    """That address already signs in here (a coach or a client)."""


class InvitationUnusable(Exception):
    """The link is unknown, used or expired: str(exc) says which, for the page."""


def save_practice(name, about, now=None):
    now = now or utcnow()
    with db.atomic():
        practice = Practice.select().order_by(Practice.id).first() or Practice(name=name)
        practice.name, practice.about, practice.updated_at = name.strip(), (about or "").strip(), now
        practice.save()
    return practice


def invite_coach(admin, email, name, now=None):
    """Email `email` a link to join the practice as a coach; earlier unused links to it stop working."""
    email, now = email.strip().lower(), now or utcnow()
    with db.atomic():
        if User.by_email(email):
            raise AlreadyHasAccount(email)
        CoachInvitation.update(expires_at=now).where(
            (CoachInvitation.email == email) & CoachInvitation.accepted_at.is_null()
            & (CoachInvitation.expires_at > now)).execute()
        invitation, token = CoachInvitation.issue(admin, email, name, now=now)
        practice = Practice.current(current_app.config["SITE_NAME"])
        link = current_app.config["SITE_URL"] + url_for("practice.join", token=token)
        queue_email(email, f"{admin.name} invited you to coach with {practice.name}", "coach_invite",
                    **on_behalf_of(admin), invitation=invitation, admin=admin, practice=practice, link=link)
    return invitation


def usable_invitation(token, now=None):
    invitation = CoachInvitation.by_token(token)
    if invitation is None:
        raise InvitationUnusable("This invitation link isn't one we know. Check that it was copied whole.")
    if invitation.accepted_at is not None:
        raise InvitationUnusable("This invitation has already been used. Sign in with the email it was sent to.")
    if invitation.expires_at <= (now or utcnow()):
        raise InvitationUnusable("This invitation has expired. Ask the person who invited you for a new one.")
    return invitation


def join(invitation, name, password, timezone, now=None):
    """Use the invitation once: the new coach's account and page. Two tabs racing: the second
    gets InvitationUnusable."""
    now = now or utcnow()
    with write_transaction():
        claimed = CoachInvitation.update(accepted_at=now).where(
            (CoachInvitation.id == invitation.id) & CoachInvitation.accepted_at.is_null()
            & (CoachInvitation.expires_at > now)).execute()
        if claimed != 1:
            raise InvitationUnusable("This invitation has already been used. Sign in with the email it was sent to.")
        if User.by_email(invitation.email):
            raise AlreadyHasAccount(invitation.email)
        return create_coach(invitation.email, name, password, timezone)
