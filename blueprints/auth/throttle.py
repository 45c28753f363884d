"""Per-address sign-in back-off: after a few wrong passwords for one email address, each
further attempt waits longer — wherever the attempts come from.

Keyed by the address typed, known or not, so the answer never tells whether an account
exists. The owner is never locked out for good: a password reset clears the back-off, and the
owner is emailed when it starts (through the worker, like every account email).
"""
from datetime import timedelta

from peewee import IntegrityError

from blueprints.auth.models import LoginThrottle, hash_token
from database import db, utcnow

FREE_FAILURES = 5  # typos and a forgotten password or two cost nothing
FIRST_WAIT = timedelta(seconds=30)
LONGEST_WAIT = timedelta(minutes=15)
FORGET_AFTER = timedelta(hours=1)  # a quiet hour starts the count again


def _key(email):
    return hash_token((email or "").strip().lower())


def wait_for(email, now=None):
    """How long `email` must wait before its next attempt (None: it may try now)."""
    now = now or utcnow()
    row = LoginThrottle.get_or_none(LoginThrottle.email_hash == _key(email))
    if row is None or row.blocked_until is None or row.blocked_until <= now:
        return None
    return row.blocked_until - now


def backoff(failures):
    """The wait after `failures` failures in a row: 0 for the first few, then 30 s, 1, 2, 4 … 15 min."""
    if failures < FREE_FAILURES:
        return timedelta(0)
    return min(FIRST_WAIT * 2 ** (failures - FREE_FAILURES), LONGEST_WAIT)


def record_failure(email, now=None):
    """Count a wrong password for `email`; True when this failure starts the back-off."""
    now = now or utcnow()
    key = _key(email)
    with db.atomic():
        row = LoginThrottle.get_or_none(LoginThrottle.email_hash == key)
        if row is None:
            try:
                with db.atomic():
                    row = LoginThrottle.create(email_hash=key, failures=0, updated_at=now)
            except IntegrityError:  # a parallel attempt created it first
                row = LoginThrottle.get_by_id(key)
        failures = 1 if row.updated_at < now - FORGET_AFTER else row.failures + 1
        wait = backoff(failures)
        LoginThrottle.update(failures=failures, updated_at=now,
                             blocked_until=now + wait if wait else None).where(
            LoginThrottle.email_hash == key).execute()
    return failures == FREE_FAILURES


def clear(email):
    LoginThrottle.delete().where(LoginThrottle.email_hash == _key(email)).execute()


def in_words(wait):
    seconds = max(1, int(wait.total_seconds() + 0.999))
    if seconds < 60:
        return f"{seconds} second{'s' if seconds != 1 else ''}"
    minutes = (seconds + 59) // 60
    return f"{minutes} minute{'s' if minutes != 1 else ''}"
