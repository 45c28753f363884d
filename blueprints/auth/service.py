"""Creating client accounts (a coach with their practice: blueprints/coach/service.py; invitations:
blueprints/clients/service.py); a new password from a reset link."""
from blueprints.auth import throttle
from blueprints.auth.models import CLIENT, LoginSession, PasswordReset, User
from blueprints.auth.passwords import hash_password
from database import db, utcnow


def create_client(coach, email, name, password=None, timezone=None):
    return User.create(email=email.strip().lower(), name=name.strip(), role=CLIENT, coach=coach,
                       password_hash=hash_password(password) if password else None,
                       timezone=timezone or coach.timezone)


def reset_password(reset_row, password):
    """Use one reset link: the new password, every browser signed out. None if it was used meanwhile."""
    with db.atomic():
        # Re-read inside the transaction: two tabs must not both use one link.
        used = PasswordReset.update(used_at=utcnow()).where(
            (PasswordReset.id == reset_row.id) & PasswordReset.used_at.is_null()).execute()
        if not used:
            return None
        user = reset_row.user
        # One link used: the account's other outstanding links stop working too.
        PasswordReset.update(used_at=utcnow()).where(
            (PasswordReset.user == user.id) & PasswordReset.used_at.is_null()).execute()
        user.password_hash = hash_password(password)
        user.session_nonce = User.session_nonce.default()
        user.save()
        LoginSession.end_all(user)  # signs out every other browser
        throttle.clear(user.email)  # the owner is back in: no more waiting
    return user
