"""What the coach's page for one client shows of this feature: invitations, archive, package,
and the coach's private notes. Every query here is scoped to the signed-in coach's own client."""
from zoneinfo import ZoneInfo

from blueprints.clients.forms import NoteForm, PackageForm
from blueprints.clients.models import ClientRecord, Invitation, PrivateNote
from blueprints.clients.package import package_progress
from database import utcnow
from scheduling.models import ACTIVE_STATUSES, Booking


def client_sessions(coach, client):
    """Every booking of the coach with this client, oldest first (the note form's choices)."""
    return list(Booking.of_coach(coach, client).where(Booking.status.in_(ACTIVE_STATUSES)).order_by(Booking.starts_at))


def progress_of(record, client, now=None):
    if record is None or not record.package_sessions:
        return None
    starts = [b.starts_at for b in Booking.select(Booking.starts_at).where(
        (Booking.client == client) & (Booking.coach == record.coach_id) & (Booking.kind == "session")
        & Booking.status.in_(ACTIVE_STATUSES))]
    return package_progress(record.package_sessions, starts, record.package_since, now or utcnow())


def record_context(coach, client, zone, note_form=None, package_form=None):
    record = ClientRecord.of(coach, client)
    notes = list(PrivateNote.of_coach_about(coach, client))
    if package_form is None:
        since = record.package_since if record and record.package_since else utcnow()
        package_form = PackageForm(formdata=None, sessions=record.package_sessions if record else None,
                                   since=since.astimezone(ZoneInfo(zone)).date(),
                                   note=record.package_note if record else "")
    return dict(
        record=record,
        archived=bool(record and record.archived_at),
        invitations=list(Invitation.of_client(coach, client)),
        notes=[n for n in notes if n.booking_id is None],
        session_notes=_by_booking(notes),
        note_form=note_form or NoteForm(formdata=None, sessions=client_sessions(coach, client), zone=zone),
        package_form=package_form,
        package=progress_of(record, client),
    )


def _by_booking(notes):
    grouped = {}
    for note in notes:
        if note.booking_id is not None:
            grouped.setdefault(note.booking_id, []).append(note)
    return grouped
