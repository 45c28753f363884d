"""Writes of the coach's practice: a new coach with their profile, the public page's settings
and address."""
from peewee import IntegrityError

from blueprints.auth.models import COACH, PHOTO_SIZES, CoachPhoto, CoachProfile, SlugRedirect, User
from blueprints.coach.photo import photo_sizes
from blueprints.auth.passwords import hash_password
from blueprints.auth.slugs import slug_from_name
from blueprints.intake.service import add_default_questions
from database import db, utcnow, write_transaction
from scheduling.service import bump_version


def taken_slugs():
    """Every slug in use, current or kept as a redirect."""
    return ({p.slug for p in CoachProfile.select(CoachProfile.slug)}
            | {r.old_slug for r in SlugRedirect.select(SlugRedirect.old_slug)})


def create_coach(email, name, password, timezone="Europe/London"):
    """A coach account with its practice profile and the default intake questions. The
    practice's first coach is its admin."""
    with db.atomic():
        first = not CoachProfile.select().exists()
        user = User.create(email=email.strip().lower(), name=name.strip(), role=COACH,
                           password_hash=hash_password(password), timezone=timezone)
        CoachProfile.create(user=user, slug=slug_from_name(name, taken_slugs()), is_admin=first)
        add_default_questions(user)
    return user


class SlugTaken(Exception):
    """Another coach's page has (or had) that address."""


def change_slug(profile, slug, now=None):
    """Move the coach's page to /coaches/<slug>; the old address keeps answering with a redirect.
    The coach may take back an address of their own from before."""
    if slug == profile.slug:
        return False
    now = now or utcnow()
    try:
        with write_transaction():
            if CoachProfile.select().where((CoachProfile.slug == slug) & (CoachProfile.id != profile.id)).exists():
                raise SlugTaken()
            earlier = SlugRedirect.get_or_none(SlugRedirect.old_slug == slug)
            if earlier is not None and earlier.profile_id != profile.id:
                raise SlugTaken()
            SlugRedirect.delete().where(SlugRedirect.old_slug == slug).execute()
            SlugRedirect.create(old_slug=profile.slug, profile=profile.id, created_at=now)
            CoachProfile.update(slug=slug, updated_at=now).where(CoachProfile.id == profile.id).execute()
    except IntegrityError:  # a coach racing for the same address got there first
        raise SlugTaken() from None
    profile.slug = slug
    return True


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


def save_prep_email(profile, wanted):
    """Whether the coach gets each session's prep by email the morning before (journal.prep_email)."""
    CoachProfile.update(prep_email=bool(wanted), updated_at=utcnow()).where(CoachProfile.id == profile.id).execute()
    return ("Session prep will arrive by email at 07:00 the day before each session." if wanted
            else "No more session prep emails.")


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

