"""Two-step sign-in: a time-based code from an authenticator app (TOTP, RFC 6238), ten
single-use recovery codes, and devices remembered for 30 days.

Coaches hold every client's words, so their accounts offer it first; clients may turn it on too.
Codes are checked here with plain values; the views (twofactor_views.py) only parse and render.
"""
import secrets
from datetime import timedelta

import peewee as pw
import pyotp
import segno
from markupsafe import Markup

from blueprints.auth.models import User, hash_token
from database import BaseModel, UTCDateTimeField, db, utcnow

RECOVERY_CODE_COUNT = 10
DEVICE_DAYS = 30
VALID_WINDOW = 1  # one 30-second step either side: phones whose clocks drift a little still work
# Recovery codes: 16 characters without look-alikes (0/o, 1/l/i) ≈ 78 bits, so a plain
# SHA-256 digest is as safe to store as the hashed reset tokens.
RECOVERY_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"


class TwoFactor(BaseModel):
    """A user's authenticator secret; the row exists only while two-step sign-in is on."""

    user = pw.ForeignKeyField(User, unique=True, backref="two_factor", on_delete="CASCADE")
    secret = pw.CharField(max_length=64)
    # The highest time step accepted so far: a code (or an older one) never works twice.
    last_step = pw.BigIntegerField(default=0)
    enabled_at = UTCDateTimeField(default=utcnow)

    @classmethod
    def for_user(cls, user):
        return cls.get_or_none(cls.user == user)


class RecoveryCode(BaseModel):
    user = pw.ForeignKeyField(User, backref="recovery_codes", on_delete="CASCADE")
    code_hash = pw.CharField(max_length=64, unique=True)
    used_at = UTCDateTimeField(null=True)
    created_at = UTCDateTimeField(default=utcnow)

    @classmethod
    def unused(cls, user):
        return cls.select().where((cls.user == user) & cls.used_at.is_null())


class TrustedDevice(BaseModel):
    """A browser that may skip the code until `expires_at`; its token lives in a cookie."""

    user = pw.ForeignKeyField(User, backref="trusted_devices", on_delete="CASCADE")
    token_hash = pw.CharField(max_length=64, unique=True)
    expires_at = UTCDateTimeField()
    created_at = UTCDateTimeField(default=utcnow)

    @classmethod
    def valid(cls, user, token, now):
        return cls.select().where(
            (cls.user == user) & (cls.token_hash == hash_token(token or "")) & (cls.expires_at > now)).exists()


# --- pure parts -----------------------------------------------------------------------------

def new_secret():
    return pyotp.random_base32()


def provisioning_uri(secret, account, issuer):
    return pyotp.TOTP(secret).provisioning_uri(name=account, issuer_name=issuer)


def qr_svg(uri):
    """The QR code as inline SVG, drawn here: the secret never goes to another service."""
    svg = segno.make(uri, error="m").svg_inline(scale=5, border=2, dark="#1d2430", light="#ffffff")
    return Markup(svg)


def grouped(secret):
    """The secret in fours, for typing it into an app by hand."""
    return " ".join(secret[i:i + 4] for i in range(0, len(secret), 4))


def digits_only(code):
    return "".join(ch for ch in (code or "") if not ch.isspace() and ch != "-")


def matching_step(secret, code, now):
    """The time step whose code is `code` (within the allowed drift), or None."""
    code = digits_only(code)
    if len(code) != 6 or not code.isascii() or not code.isdigit():
        return None
    totp = pyotp.TOTP(secret)
    current = totp.timecode(now)
    for offset in range(-VALID_WINDOW, VALID_WINDOW + 1):
        if secrets.compare_digest(totp.at(now, counter_offset=offset), code):
            return current + offset
    return None


def normalise_recovery_code(code):
    return digits_only(code).lower()


def new_recovery_codes():
    """Ten codes as shown to the person: xxxx-xxxx-xxxx-xxxx."""
    codes = []
    for _ in range(RECOVERY_CODE_COUNT):
        raw = "".join(secrets.choice(RECOVERY_ALPHABET) for _ in range(16))
        codes.append("-".join(raw[i:i + 4] for i in range(0, 16, 4)))
    return codes


# --- what the views call ----------------------------------------------------------------------

def is_enabled(user):
    return TwoFactor.select().where(TwoFactor.user == user).exists()


def replace_recovery_codes(user):
    """New codes replace any old ones; the plain codes are returned once, never stored."""
    codes = new_recovery_codes()
    with db.atomic():
        RecoveryCode.delete().where(RecoveryCode.user == user).execute()
        RecoveryCode.insert_many(
            [{"user": user.id, "code_hash": hash_token(normalise_recovery_code(c)), "created_at": utcnow()}
             for c in codes]).execute()
    return codes


def enable(user, secret, code, now):
    """Turn two-step sign-in on if `code` proves the app has `secret`; the recovery codes, or None."""
    step = matching_step(secret, code, now)
    if step is None:
        return None
    with db.atomic():
        TwoFactor.delete().where(TwoFactor.user == user).execute()
        TwoFactor.create(user=user, secret=secret, last_step=step, enabled_at=now)
        return replace_recovery_codes(user)


def disable(user):
    with db.atomic():
        TwoFactor.delete().where(TwoFactor.user == user).execute()
        RecoveryCode.delete().where(RecoveryCode.user == user).execute()
        TrustedDevice.delete().where(TrustedDevice.user == user).execute()


def _use_totp(user, code, now):
    two_factor = TwoFactor.for_user(user)
    step = matching_step(two_factor.secret, code, now) if two_factor else None
    if step is None:
        return False
    # One UPDATE decides: a second request with the same code (or an older one) matches nothing.
    return TwoFactor.update(last_step=step).where(
        (TwoFactor.user == user) & (TwoFactor.last_step < step)).execute() == 1


def _use_recovery_code(user, code, now):
    digest = hash_token(normalise_recovery_code(code))
    return RecoveryCode.update(used_at=now).where(
        (RecoveryCode.user == user) & (RecoveryCode.code_hash == digest) & RecoveryCode.used_at.is_null()
    ).execute() == 1


def check_code(user, code, now):
    """'app' or 'recovery' when `code` is good (and now spent), else None."""
    if _use_totp(user, code, now):
        return "app"
    if len(normalise_recovery_code(code)) == 16 and _use_recovery_code(user, code, now):
        return "recovery"
    return None


def trust_device(user, now):
    """Remember this browser for DEVICE_DAYS; returns the token for its cookie."""
    token = secrets.token_urlsafe(32)
    TrustedDevice.create(user=user, token_hash=hash_token(token), expires_at=now + timedelta(days=DEVICE_DAYS))
    return token


def forget_devices(user):
    return TrustedDevice.delete().where(TrustedDevice.user == user).execute()


def code_needed(user, device_token, now):
    """Does signing in as `user` from this browser need a code?"""
    return is_enabled(user) and not TrustedDevice.valid(user, device_token, now)
