"""Every table of the app, in the order they can be created. Migrations and tests use this list."""
from blueprints.auth.account_changes import EmailChange
from blueprints.auth.models import (AccountNotice, CoachPhoto, CoachProfile, LoginSession, LoginThrottle,
                                    PasswordReset, SlugRedirect, User)
from blueprints.auth.twofactor import RecoveryCode, TrustedDevice, TwoFactor
from blueprints.clients.models import ClientRecord, Invitation, PrivateNote
from blueprints.goals.models import GOAL_MODELS
from blueprints.intake.models import IntakeAnswer, IntakeQuestion
from blueprints.journal.models import JOURNAL_MODELS
from blueprints.practice.models import CoachInvitation, Practice
from mail import OutboxMessage
from ratelimit import RateLimitCounter
from scheduling.models import Booking, BusyBlock, BusySource, DateOverride, OneOffSlot, SessionType, WeeklyHours

ALL_MODELS = [
    User, PasswordReset, CoachProfile, CoachPhoto, SlugRedirect, Practice, CoachInvitation, SessionType,
    WeeklyHours, DateOverride, OneOffSlot,
    IntakeQuestion, Booking, IntakeAnswer,
    BusySource, BusyBlock,
    Invitation, ClientRecord, PrivateNote,
    *JOURNAL_MODELS, *GOAL_MODELS,
    OutboxMessage, RateLimitCounter,
    TwoFactor, RecoveryCode, TrustedDevice, EmailChange,
    LoginSession, LoginThrottle, AccountNotice,
]
