"""What other pages show of sessions: the coach's schedule form on a client's page, and the
client's next session on /me."""
from zoneinfo import ZoneInfo

from blueprints.sessions.forms import schedule_form_for
from database import utcnow
from scheduling.models import Booking, SessionType


def schedule_context(coach, zone, schedule_form=None):
    form = schedule_form or schedule_form_for(coach, formdata=None)
    if schedule_form is None:
        form.day.data = utcnow().astimezone(ZoneInfo(zone)).date()
    return dict(schedule_form=form, session_types=list(SessionType.offered_by(coach)))


def next_session_context(client_id, now=None):
    """The client's next session (or call) with its links, for the /me partial."""
    booking = Booking.next_for_client(client_id, now or utcnow())
    from blueprints.clients.models import ClientRecord
    from blueprints.clients.page import progress_of
    record = ClientRecord.get_or_none(ClientRecord.client == client_id)
    return dict(next_booking=booking, package=progress_of(record, client_id, now))
