"""Writes of the coach's practice: a new coach with their profile, the public page's settings."""

from blueprints.auth.models import COACH, PHOTO_SIZES, CoachPhoto, CoachProfile, User
from blueprints.coach.photo import photo_sizes
from blueprints.auth.passwords import hash_password
from blueprints.intake.service import add_default_questions
from database import db, utcnow
from scheduling.service import bump_version


def slug_for(name, taken):
    base = "".join(c if c.isalnum() else "-" for c in name.lower()).strip("-") or "coach"
    base = "-".join(filter(None, base.split("-")))[:50]
    slug, n = base, 2
    while slug in taken:
        slug, n = f"{base}-{n}", n + 1
    return slug


def create_coach(email, name, password, timezone="Europe/London"):
    """A coach account with its practice profile and the default intake questions."""
    with db.atomic():
        user = User.create(email=email.strip().lower(), name=name.strip(), role=COACH,
                           password_hash=hash_password(password), timezone=timezone)
        taken = {p.slug for p in CoachProfile.select(CoachProfile.slug)}
        CoachProfile.create(user=user, slug=slug_for(name, taken))
        add_default_questions(user)
    return user


class PracticeExists(Exception):
    """A coach was created meanwhile: the first-run page has done its job."""


class EmailTaken(Exception):
    """An account with that email already exists."""


def create_first_coach(email, name, password, timezone):
    """The practice's first coach (the first-run page), unless someone was quicker."""
    with db.atomic():
        if User.coaches().exists():
            raise PracticeExists()
        if User.by_email(email):
            raise EmailTaken()
        return create_coach(email, name, password, timezone)


PROFILE_TEXT = ("bio", "credentials", "testimonial_1_quote", "testimonial_1_by", "testimonial_2_quote",
                "testimonial_2_by", "sender_name")


def save_page_settings(profile, form):
    """The public page's text, the coach's name and time zone, in one transaction."""
    moved = profile.timezone != form.timezone.data
    text = {name: (getattr(form, name).data or "").strip() for name in PROFILE_TEXT}
    with db.atomic():
        CoachProfile.update(headline=form.headline.data.strip(), intro_markdown=form.intro_markdown.data,
                            updated_at=utcnow(), **text).where(CoachProfile.id == profile.id).execute()
        User.update(name=form.name.data.strip(), timezone=form.timezone.data).where(
            User.id == profile.user_id).execute()
        if moved:
            bump_version(profile.user_id)  # weekly hours now mean other instants
    return "Your page is updated."


def save_photo(profile, data):
    """Replace the coach's photo with cleaned, resized copies of `data` (raises PhotoRefused:
    nothing is stored then)."""
    made, digest = photo_sizes(data, PHOTO_SIZES)
    with db.atomic():
        CoachPhoto.delete().where(CoachPhoto.profile == profile.id).execute()
        for size, (jpeg, width, height) in made.items():
            CoachPhoto.create(profile=profile.id, size=size, data=jpeg, width=width, height=height)
        CoachProfile.update(photo_digest=digest, updated_at=utcnow()).where(CoachProfile.id == profile.id).execute()
    return "Your photo is on your page."


def remove_photo(profile):
    with db.atomic():
        CoachPhoto.delete().where(CoachPhoto.profile == profile.id).execute()
        CoachProfile.update(photo_digest="", updated_at=utcnow()).where(CoachProfile.id == profile.id).execute()
    return "Your photo is removed."

