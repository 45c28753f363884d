"""Every table of the app, in the order they can be created. Migrations and tests use this list."""
from blueprints.auth.models import AccountNotice, LoginSession, LoginThrottle, PasswordReset, User
from blueprints.availability.models import DateOverride, OneOffSlot, WeeklyHours
from blueprints.booking.models import Booking, IntakeAnswer, IntakeQuestion
from blueprints.calendar.models import BusyBlock, BusySource
from blueprints.clients.models import ClientRecord, Invitation, PrivateNote
from blueprints.coach.models import CoachProfile
from blueprints.goals.models import CheckIn, Goal, Milestone
from blueprints.journal.models import JOURNAL_MODELS
from blueprints.sessions.models import SessionType
from mail import OutboxMessage
from ratelimit import RateLimitCounter

ALL_MODELS = [
    User, PasswordReset, CoachProfile, SessionType,
    WeeklyHours, DateOverride, OneOffSlot,
    IntakeQuestion, Booking, IntakeAnswer,
    BusySource, BusyBlock,
    Invitation, ClientRecord, PrivateNote,
    *JOURNAL_MODELS, Goal, Milestone, CheckIn,
    OutboxMessage, RateLimitCounter,
    LoginSession, LoginThrottle, AccountNotice,
]
