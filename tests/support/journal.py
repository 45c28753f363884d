"""The journal tests: entries written through the service, sessions to prepare for, the entry form."""
from datetime import timedelta


def write(client_user, body="A thought", at=None, **fields):
    """An entry straight through the service (as the form would make it)."""
    from blueprints.journal import service
    values = dict(body=body, prompt_source=None, mood=None, energy=None, tags=[], shared=False)
    values.update(fields)
    return service.create_entry(client_user, values, now=at)


def session(coach, client, starts_at, n=[0]):
    from scheduling.models import Booking
    n[0] += 1
    return Booking.create(coach=coach, client=client, kind="session", name=client.name, email=client.email,
                          timezone="Europe/London", starts_at=starts_at, ends_at=starts_at + timedelta(hours=1),
                          uid=f"journal-session-{n[0]}@test")


def entry_data(body="Today I noticed something.", **extra):
    data = {"body": body, "prompt_source": "", "mood": "", "energy": "", "tags": ""}
    data.update(extra)
    return data
