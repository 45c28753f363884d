"""Accounts: one user table (a role says whether someone is a coach or a client), password
resets, and each coach's practice profile. The bottom of the app: imports nothing of the web."""
import hashlib
import secrets
from dataclasses import dataclass
from datetime import timedelta

import peewee as pw

from database import BaseModel, UTCDateTimeField, utcnow

COACH, CLIENT = "coach", "client"
ROLES = (COACH, CLIENT)


def hash_token(token):
    """Store only a digest of emailed tokens: a leaked table leaks no working link."""
    return hashlib.sha256(token.encode()).hexdigest()


class User(BaseModel):
    email = pw.CharField(max_length=254, unique=True)  # stored lower-cased
    name = pw.CharField(max_length=120)
    role = pw.CharField(max_length=10, choices=[(r, r) for r in ROLES], index=True)
    password_hash = pw.CharField(max_length=255, null=True)
    # A client belongs to one coach; a coach has none.
    coach = pw.ForeignKeyField("self", null=True, backref="clients", on_delete="SET NULL")
    timezone = pw.CharField(max_length=64, default="Europe/London")  # the one home of anyone's zone
    # Part of the login cookie: changing it (password reset) signs out every other session.
    session_nonce = pw.CharField(max_length=32, default=lambda: secrets.token_hex(8))
    # Secret for the client's personal calendar feed (coaches keep theirs on CoachProfile).
    feed_token = pw.CharField(max_length=64, null=True, unique=True)
    created_at = UTCDateTimeField(default=utcnow)

    @property
    def is_coach(self):
        return self.role == COACH

    @property
    def is_client(self):
        return self.role == CLIENT

    @property
    def is_practice_admin(self):
        """A coach whose profile carries the admin flag (read once per loaded user)."""
        if not hasattr(self, "_is_practice_admin"):
            self._is_practice_admin = self.is_coach and CoachProfile.select().where(
                (CoachProfile.user == self.id) & CoachProfile.is_admin).exists()
        return self._is_practice_admin

    # The LoginSession key of the browser this user object was loaded for.
    session_key = None

    # What Flask-Login asks of a signed-in user (its UserMixin would make this module import Flask).
    is_authenticated, is_active, is_anonymous = True, True, False

    def get_id(self):
        return f"{self.id}:{self.session_nonce}:{self.session_key or ''}"

    def start_login_session(self):
        """Flask-Login's `id_attribute` (set in app.py): every `login_user()`, wherever it is
        called, opens a server-side session and puts its key into the login cookie."""
        self.session_key = LoginSession.start(self)
        return self.get_id()

    @classmethod
    def by_email(cls, email):
        return cls.get_or_none(cls.email == (email or "").strip().lower())

    @classmethod
    def coaches(cls):
        return cls.select().where(cls.role == COACH).order_by(cls.id)

    @classmethod
    def from_session_id(cls, session_id):
        """The user of a login cookie, if its session is still open (one query)."""
        user_id, nonce, key = ((session_id or "") + "::").split(":")[:3]
        if not (user_id.isascii() and user_id.isdigit() and nonce.isascii() and key) or len(user_id) > 18:
            return None
        user = (cls.select().join(LoginSession, on=(LoginSession.user == cls.id))
                .where((cls.id == int(user_id)) & (LoginSession.key_hash == hash_token(key))).first())
        if user is None or not secrets.compare_digest(user.session_nonce, nonce):
            return None
        user.session_key = key
        return user


class PasswordReset(BaseModel):
    user = pw.ForeignKeyField(User, backref="password_resets", on_delete="CASCADE")
    token_hash = pw.CharField(max_length=64, unique=True)
    expires_at = UTCDateTimeField()
    used_at = UTCDateTimeField(null=True)
    created_at = UTCDateTimeField(default=utcnow)

    @classmethod
    def issue(cls, user, hours):
        """Create a reset for `user`; return the plain token (only ever sent by email)."""
        token = secrets.token_urlsafe(32)
        cls.create(user=user, token_hash=hash_token(token), expires_at=utcnow() + timedelta(hours=hours))
        return token

    @classmethod
    def usable(cls, token):
        """The unexpired, unused reset for `token`, or None."""
        return cls.get_or_none(
            (cls.token_hash == hash_token(token or ""))
            & cls.used_at.is_null()
            & (cls.expires_at > utcnow())
        )


class LoginSession(BaseModel):
    """One signed-in browser. Its key is in the login cookie (stored here only as a digest);
    deleting the row signs that browser out, whatever copies of its cookies exist."""

    user = pw.ForeignKeyField(User, backref="login_sessions", on_delete="CASCADE")
    key_hash = pw.CharField(max_length=64, unique=True)
    created_at = UTCDateTimeField(default=utcnow)

    @classmethod
    def start(cls, user):
        """A new session for `user`; returns the plain key (it goes into the cookie only)."""
        key = secrets.token_urlsafe(24)
        cls.create(user=user, key_hash=hash_token(key))
        return key

    @classmethod
    def end(cls, key):
        cls.delete().where(cls.key_hash == hash_token(key or "")).execute()

    @classmethod
    def end_all(cls, user):
        return cls.delete().where(cls.user == user).execute()

    @classmethod
    def count_for(cls, user):
        return cls.select().where(cls.user == user).count()


class LoginThrottle(BaseModel):
    """Failed sign-ins per email address (known or not: the answer must not tell them apart).

    Keyed by a digest of the address, so the table holds no addresses of strangers."""

    email_hash = pw.CharField(max_length=64, primary_key=True)
    failures = pw.IntegerField(default=0)
    blocked_until = UTCDateTimeField(null=True)
    updated_at = UTCDateTimeField(default=utcnow)


class AccountNotice(BaseModel):
    """Account email to work out in the worker: a reset request or a sign-in warning.

    Queued alike for known and unknown addresses, so the web request does the same work (and
    takes the same time) either way; the worker looks the address up."""

    RESET, LOGIN_WARNING = "reset", "login_warning"

    kind = pw.CharField(max_length=20)
    email = pw.CharField(max_length=254)
    created_at = UTCDateTimeField(default=utcnow, index=True)

# --- the coach's practice ------------------------------------------------------------------

# Where a call or session happens: the coach's discovery calls (below) and session types (scheduling).
VIDEO, PHONE, ADDRESS = "video", "phone", "address"
MEETING_PLACES = {VIDEO: "Video call", PHONE: "Phone call", ADDRESS: "In person"}
LOCATION_KINDS = tuple(MEETING_PLACES)


def meeting_place_text(kind, detail):
    """What a booking snapshots as its location: 'Video call: https://…', 'In person: 1 High St'."""
    label = MEETING_PLACES.get(kind, "Call")
    detail = (detail or "").strip()
    return f"{label}: {detail}" if detail else label


@dataclass(frozen=True)
class HowWeMeet:
    """Where and how a call happens, said in full: `label` ("Video call"), `sentence` (what the
    person does, and when the link comes if it comes later), `link` (a video call's own link)."""
    label: str
    sentence: str
    link: str = ""


def how_we_meet(kind, location, coach_name, phone=None):
    """The meeting place of a booking (its `location_kind` and `location` snapshot) or of an offer.

    `phone`: the visitor's number when known, "" when they gave none, None before they book.
    """
    label = MEETING_PLACES.get(kind)
    location = (location or "").strip()
    if label is None:  # an old booking without a kind: its text is all we have
        return HowWeMeet(location or "Call", location and f"{location}." or
                         f"{coach_name} will email you the details before the call.")
    detail = location[len(label) + 2:].strip() if location.startswith(label + ": ") else ""
    if kind == VIDEO:
        link = next((w for w in detail.split() if w.startswith(("https://", "http://"))), "")
        if link:
            return HowWeMeet(label, f"Join at the start time with this link: {link}", link)
        return HowWeMeet(label, f"{coach_name} will email you the link to join before the call.")
    if kind == PHONE:
        if detail:
            return HowWeMeet(label, detail if detail.endswith((".", "!", "?")) else detail + ".")
        if phone is None:
            return HowWeMeet(label, f"{coach_name} will call you on the phone number you give.")
        if phone:
            return HowWeMeet(label, f"{coach_name} will call you on {phone}.")
        return HowWeMeet(label, f"{coach_name} will email you the number to call before the call.")
    return HowWeMeet(label, f"At {detail}." if detail else f"{coach_name} will email you the address before we meet.")

DEFAULT_HEADLINE = "Whether you call it a job or a career — let's talk."
# The intro follows the headline on the landing page, so it must not open with the same words.
DEFAULT_INTRO = """\
What matters is that work gives you what you need for your whole life: enough money, yes,
but also time, energy, people you like and a reason to get up in the morning.

If something about your working life doesn't fit any more — or you're not sure what you want
next — a short, free discovery call is a good place to start. We'll talk about where you
are, where you'd like to be, and whether coaching with me is the right way to get there.

No preparation, no obligation.
"""


def new_secret():
    return secrets.token_urlsafe(24)


class CoachProfile(BaseModel):
    user = pw.ForeignKeyField(User, backref="coach_profiles", unique=True, on_delete="CASCADE")
    slug = pw.CharField(max_length=60, unique=True)
    headline = pw.CharField(max_length=200, default=DEFAULT_HEADLINE)
    intro_markdown = pw.TextField(default=DEFAULT_INTRO)

    # Discovery-call settings (minutes unless named otherwise).
    call_minutes = pw.IntegerField(default=30)
    step_minutes = pw.IntegerField(default=30)
    buffer_minutes = pw.IntegerField(default=0)
    min_notice_hours = pw.IntegerField(default=12)
    horizon_days = pw.IntegerField(default=60)
    max_per_day = pw.IntegerField(null=True)
    location_kind = pw.CharField(max_length=10, default="video", choices=[(k, k) for k in LOCATION_KINDS])
    location_detail = pw.CharField(max_length=500, default="")

    # Subscription feed of bookings; rotating it makes the old address answer 404.
    feed_token = pw.CharField(max_length=64, unique=True, default=new_secret)
    feed_include_open_slots = pw.BooleanField(default=False)

    # Email the coach each client's session prep the morning before (blueprints/journal/prep_email.py).
    prep_email = pw.BooleanField(default=False)

    # Bumped on every change that alters free slots; part of the slot cache key.
    availability_version = pw.IntegerField(default=0)
    updated_at = UTCDateTimeField(default=utcnow)

    # What builds a visitor's trust on the public page; every one may be empty (then not shown).
    bio = pw.TextField(default="")  # a short paragraph or two, plain text
    credentials = pw.TextField(default="")  # one per line
    testimonial_1_quote = pw.TextField(default="")
    testimonial_1_by = pw.CharField(max_length=120, default="")
    testimonial_2_quote = pw.TextField(default="")
    testimonial_2_by = pw.CharField(max_length=120, default="")
    # Digest of the current photo (its CoachPhoto rows): part of its URL, so it can be cached for
    # a year; empty when the coach has no photo.
    photo_digest = pw.CharField(max_length=64, default="")
    # Emails sent for the coach say From: "<sender_name> <MAIL_FROM's address>"; empty keeps MAIL_FROM.
    sender_name = pw.CharField(max_length=120, default="")
    # When the coach last opened their bookings list: newer bookings are marked "new".
    bookings_seen_at = UTCDateTimeField(null=True)

    # The admin edits the practice's name and text and invites coaches (the first coach is one);
    # it grants nothing over another coach's clients or bookings.
    is_admin = pw.BooleanField(default=False)

    @classmethod
    def primary(cls):
        """The practice's first coach: the one the landing page and /book speak for."""
        return cls.select(cls, User).join(User).order_by(cls.id).first()

    @classmethod
    def stamp_sql(cls, param="?"):
        """The SQL of a coach's stamp (id, availability_version, updated_at): what cached public
        pages depend on. (the first coach's, one coach's by id with `param` as its placeholder)"""
        select = f"SELECT id, availability_version, updated_at FROM {cls._meta.table_name}"
        return f"{select} ORDER BY id LIMIT 1", f"{select} WHERE id = {param}"

    @classmethod
    def primary_stamp(cls):
        """The primary coach's stamp, or None. Plain SQL: on a cache hit it is the only query."""
        database = cls._meta.database
        return database.execute_sql(cls.stamp_sql(database.param)[0]).fetchone()

    @classmethod
    def stamp_of(cls, profile_id):
        """One coach's stamp, or None."""
        database = cls._meta.database
        return database.execute_sql(cls.stamp_sql(database.param)[1], (profile_id,)).fetchone()

    @classmethod
    def by_feed_token(cls, token):
        """The profile whose feed address holds `token`, with its user (one query), or None."""
        return cls.select(cls, User).join(User).where(cls.feed_token == (token or "")).first()

    @classmethod
    def by_slug(cls, slug):
        """The coach whose public page is /coaches/<slug>, with their user row."""
        return cls.select(cls, User).join(User).where(cls.slug == slug).first()

    @classmethod
    def listed(cls):
        """Every coach of the practice, first coach first, each with their user row."""
        return cls.select(cls, User).join(User).order_by(cls.id)

    @classmethod
    def slug_stamp(cls, slug):
        """Like `primary_stamp`, for the coach at /coaches/<slug>: one plain query."""
        database = cls._meta.database
        return database.execute_sql(
            f"SELECT id, availability_version, updated_at FROM {cls._meta.table_name} WHERE slug = {database.param}",
            (slug,)).fetchone()

    @classmethod
    def for_user(cls, user):
        """The coach's profile, with the user row read in the same query (their zone lives there)."""
        return cls.select(cls, User).join(User).where(cls.user == user).first()

    @property
    def timezone(self):
        """The coach's zone: their weekly hours are wall-clock times in it. Stored once, on the
        coach's `User.timezone` (written by blueprints/coach/service.py)."""
        return self.user.timezone

    def location_text(self):
        return meeting_place_text(self.location_kind, self.location_detail)

    def credential_lines(self):
        return [line.strip() for line in self.credentials.splitlines() if line.strip()]

    def testimonials(self):
        """[(quote, attribution)] of the testimonials that have a quote, in order."""
        pairs = [(self.testimonial_1_quote, self.testimonial_1_by), (self.testimonial_2_quote, self.testimonial_2_by)]
        return [(quote.strip(), by.strip()) for quote, by in pairs if quote.strip()]

    @property
    def has_photo(self):
        return bool(self.photo_digest)

    @property
    def book_slug(self):
        """What links to this coach's booking page pass as `slug`: None for the practice's first
        coach, whose page stays /book, else their slug (/coaches/<slug>/book)."""
        if not hasattr(self, "_book_slug"):
            earlier = CoachProfile.select().where(CoachProfile.id < self.id).exists()
            self._book_slug = self.slug if earlier else None
        return self._book_slug

    @property
    def bookings_last_seen(self):
        """Bookings made after this are new to the coach (never looked: since their account began)."""
        return self.bookings_seen_at or self.user.created_at


def on_behalf_of(coach):
    """queue_email's keywords for a message sent for `coach` (a User) to their visitors and
    clients: replies go to the coach, and From carries the name they chose (if any)."""
    profile = CoachProfile.get_or_none(CoachProfile.user == coach)
    return dict(reply_to=coach.email, from_name=profile.sender_name if profile else "")


PHOTO_SIZES = {"large": 480, "small": 160}  # longest side in pixels: the landing page (2x) and lists


class CoachPhoto(BaseModel):
    """One stored size of a coach's photo: a cleaned, re-encoded JPEG (no metadata), kept in the
    database so every server and every backup has it."""

    profile = pw.ForeignKeyField(CoachProfile, backref="photos", on_delete="CASCADE")
    size = pw.CharField(max_length=10, choices=[(s, s) for s in PHOTO_SIZES])
    data = pw.BlobField()
    width = pw.IntegerField()
    height = pw.IntegerField()
    created_at = UTCDateTimeField(default=utcnow)

    class Meta:
        indexes = ((("profile", "size"), True),)

    @classmethod
    def of(cls, profile_id, size):
        return cls.get_or_none((cls.profile == profile_id) & (cls.size == size))


class SlugRedirect(BaseModel):
    """A coach's earlier page address: /coaches/<old_slug>… answers 301 to their current one."""

    old_slug = pw.CharField(max_length=60, unique=True)
    profile = pw.ForeignKeyField(CoachProfile, backref="old_slugs", on_delete="CASCADE")
    created_at = UTCDateTimeField(default=utcnow)

    @classmethod
    def current_slug(cls, old_slug):
        """The slug that `old_slug` now leads to, or None."""
        row = (CoachProfile.select(CoachProfile.slug).join(cls, on=(cls.profile == CoachProfile.id))
               .where(cls.old_slug == old_slug).first())
        return row.slug if row else None
