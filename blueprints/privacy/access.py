"""The access log: noting when a coach looks at what a client shares, cheaply.

One row per coach, client, kind and day. The first look of the day inserts it; later looks
only read it, and update it at most once per REFRESH_AFTER, so a coach refreshing the prep
page does not write on every request.
"""
import peewee as pw

from blueprints.privacy.models import REFRESH_AFTER, VIEW_KINDS, CoachView
from database import db


def record_views(coach_id, client_id, kinds, now):
    """Note that the coach saw `kinds` (a subset of VIEW_KINDS) of the client's shared things."""
    kinds = [kind for kind in kinds if kind in VIEW_KINDS]
    if not kinds:
        return
    day = now.date()  # UTC: the client sees first and last times in their own zone
    seen = {row.kind: row for row in CoachView.select().where(
        (CoachView.coach == coach_id) & (CoachView.client == client_id) & (CoachView.day == day)
        & CoachView.kind.in_(kinds))}
    for kind in kinds:
        row = seen.get(kind)
        if row is None:
            try:
                with db.atomic():  # a savepoint: two tabs at once must not fail the page
                    CoachView.create(coach=coach_id, client=client_id, kind=kind, day=day, first_at=now, last_at=now)
            except pw.IntegrityError:
                pass
        elif now - row.last_at >= REFRESH_AFTER:
            CoachView.update(last_at=now, count=CoachView.count + 1).where(
                (CoachView.id == row.id) & (CoachView.last_at <= now - REFRESH_AFTER)).execute()
