"""Handing a client over to another coach of the practice.

What moves: the client (User.coach), their record (package and archive start afresh: a package
was bought from the first coach), a pending invitation, and their goals' life areas (to the new
coach's area of the same name). What the client shared — journal entries, goals — is then the
new coach's to read, because every coach query goes through `User.coach`. What stays: the first
coach's private notes (they are read only by their author), past bookings with the first coach,
and the prompt they had assigned (cleared, so the new coach's prep starts clean). The client
and the new coach are told by email.
"""
from blueprints.auth.models import COACH, CoachProfile, User, on_behalf_of
from blueprints.clients.models import ClientRecord, Invitation
from blueprints.goals.models import Goal, LifeArea
from blueprints.goals.service import ensure_areas
from blueprints.journal.models import JournalAssignment
from database import utcnow, write_transaction
from mail import queue_email
from scheduling.models import CONFIRMED, Booking


class HandoverRefused(Exception):
    """str(exc) says why, for the coach."""


def other_coaches(coach):
    """The practice's other coaches a client could be handed to, first coach first."""
    return [p for p in CoachProfile.listed() if p.user_id != coach.id]


def hand_over(coach, client, new_coach_id, message="", now=None):
    """Make `client` (of `coach`) the client of coach `new_coach_id`; returns the new coach."""
    now = now or utcnow()
    with write_transaction():
        fresh = User.get_or_none((User.id == client.id) & (User.coach == coach.id))
        new_coach = User.get_or_none((User.id == new_coach_id) & (User.role == COACH) & (User.id != coach.id))
        if fresh is None or new_coach is None:
            raise HandoverRefused("Choose one of the practice's other coaches.")
        upcoming = Booking.select().where((Booking.coach == coach.id) & (Booking.client == client.id)
                                          & (Booking.status == CONFIRMED) & (Booking.ends_at > now))
        if upcoming.exists():
            raise HandoverRefused(f"{fresh.name} still has a booking with you. Cancel it (they'll be emailed), "
                                  f"or hand {fresh.name} over once it has taken place.")
        User.update(coach=new_coach).where(User.id == client.id).execute()
        ClientRecord.update(coach=new_coach, archived_at=None, package_sessions=None, package_since=None,
                            package_note="", updated_at=now).where(ClientRecord.client == client.id).execute()
        Invitation.update(coach=new_coach).where((Invitation.client == client.id)
                                                 & Invitation.accepted_at.is_null()).execute()
        JournalAssignment.update(cleared_at=now).where((JournalAssignment.client == client.id)
                                                       & JournalAssignment.cleared_at.is_null()).execute()
        move_goal_areas(client.id, coach.id, new_coach.id)
        tell_about_handover(fresh, coach, new_coach, (message or "").strip())
    return new_coach


def move_goal_areas(client_id, old_coach_id, new_coach_id):
    """Each goal in one of the old coach's life areas moves to the new coach's area of the same
    name; a goal whose area the new coach doesn't have keeps showing it by name."""
    by_name = {area.name.casefold(): area.id for area in ensure_areas(new_coach_id)}
    old_areas = LifeArea.select().where(LifeArea.coach == old_coach_id)
    for goal in Goal.select().where((Goal.client == client_id) & Goal.life_area.in_(old_areas)):
        if (new_area := by_name.get(goal.life_area.name.casefold())) is not None:
            Goal.update(life_area=new_area).where(Goal.id == goal.id).execute()


def tell_about_handover(client, old_coach, new_coach, message):
    """The client hears it from the coach they knew (replies reach them); the new coach too."""
    queue_email(client.email, f"Your coach is now {new_coach.name}", "client_handover", **on_behalf_of(old_coach),
                client=client, old_coach=old_coach, new_coach=new_coach, message=message)
    queue_email(new_coach.email, f"{old_coach.name} handed {client.name} over to you", "client_handover_coach",
                reply_to=old_coach.email, client=client, old_coach=old_coach, new_coach=new_coach, message=message)
