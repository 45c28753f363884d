"""Creating accounts: shared by the first-run page, `create-coach` and `seed-demo`."""
from blueprints.auth.models import CLIENT, COACH, User
from blueprints.auth.passwords import hash_password
from database import db


def slug_for(name, taken):
    base = "".join(c if c.isalnum() else "-" for c in name.lower()).strip("-") or "coach"
    base = "-".join(filter(None, base.split("-")))[:50]
    slug, n = base, 2
    while slug in taken:
        slug, n = f"{base}-{n}", n + 1
    return slug


def create_coach(email, name, password, timezone="Europe/London"):
    """A coach account with its practice profile and the default intake questions."""
    from blueprints.booking.intake import add_default_questions
    from blueprints.coach.models import CoachProfile

    with db.atomic():
        user = User.create(email=email.strip().lower(), name=name.strip(), role=COACH,
                           password_hash=hash_password(password), timezone=timezone)
        taken = {p.slug for p in CoachProfile.select(CoachProfile.slug)}
        CoachProfile.create(user=user, slug=slug_for(name, taken), timezone=timezone)
        add_default_questions(user)
    return user


def create_client(coach, email, name, password=None, timezone=None):
    return User.create(email=email.strip().lower(), name=name.strip(), role=CLIENT, coach=coach,
                       password_hash=hash_password(password) if password else None,
                       timezone=timezone or coach.timezone)
