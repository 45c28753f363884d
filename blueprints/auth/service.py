"""Creating client accounts (a coach with their practice: blueprints/coach/service.py; invitations:
blueprints/clients/service.py)."""
from blueprints.auth.models import CLIENT, User
from blueprints.auth.passwords import hash_password


def create_client(coach, email, name, password=None, timezone=None):
    return User.create(email=email.strip().lower(), name=name.strip(), role=CLIENT, coach=coach,
                       password_hash=hash_password(password) if password else None,
                       timezone=timezone or coach.timezone)
