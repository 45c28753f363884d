"""Settings, read from the environment (and `.env`), with safe defaults for a newcomer.

Tests subclass `Config` (see tests/conftest.py) instead of patching globals.
"""
import os
import secrets
from pathlib import Path

from dotenv import load_dotenv

# `.env` fills in what the environment does not set (it never overrides a real variable).
load_dotenv(os.environ.get("DOTENV_PATH", ".env"))


def default_site_url(environ=os.environ):
    """SITE_URL when set; else this machine on the port the app serves on (`make run PORT=5790`
    passes PORT), so links in emails, calendar files and feeds reach the running site."""
    url = environ.get("SITE_URL") or f"http://127.0.0.1:{environ.get('PORT') or '5000'}"
    return url.rstrip("/")


def _bool(name, default=False):
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


class Config:
    # SECRET_KEY: from the environment, else generated once into the instance folder (see load_secret_key).
    SECRET_KEY = os.environ.get("SECRET_KEY")
    DATABASE_URL = os.environ.get("DATABASE_URL")  # default: sqlite file in the instance folder
    SITE_URL = default_site_url()
    SITE_NAME = os.environ.get("SITE_NAME", "Let's talk")

    # Mail. With no MAIL_SERVER the worker prints each message to the log instead of sending it.
    MAIL_SERVER = os.environ.get("MAIL_SERVER", "")
    MAIL_PORT = int(os.environ.get("MAIL_PORT", "25"))
    MAIL_USERNAME = os.environ.get("MAIL_USERNAME", "")
    MAIL_PASSWORD = os.environ.get("MAIL_PASSWORD", "")
    MAIL_USE_TLS = _bool("MAIL_USE_TLS")      # STARTTLS
    MAIL_USE_SSL = _bool("MAIL_USE_SSL")      # implicit TLS
    MAIL_FROM = os.environ.get("MAIL_FROM", "Let's talk <no-reply@localhost>")
    MAIL_TIMEOUT = float(os.environ.get("MAIL_TIMEOUT", "10"))
    MAIL_MAX_ATTEMPTS = int(os.environ.get("MAIL_MAX_ATTEMPTS", "8"))

    # Sessions and CSRF: a token valid for the whole session, so a long reflection is not
    # rejected because the form sat open for an hour.
    WTF_CSRF_TIME_LIMIT = None
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = _bool("SESSION_COOKIE_SECURE")
    REMEMBER_COOKIE_SAMESITE = "Lax"

    # Largest request body (forms); calendar uploads have their own, larger limit (2 MB file).
    # The proxy in front should refuse bodies larger than the largest of them too.
    MAX_CONTENT_LENGTH = int(os.environ.get("MAX_CONTENT_LENGTH", str(1024 * 1024)))

    PASSWORD_RESET_HOURS = 2
    # argon2id parameters; tests lower them (hashing on purpose costs ~50 ms).
    ARGON2_TIME_COST = 3
    ARGON2_MEMORY_COST = 65536

    # Rate limits live in the database, so they hold across several gunicorn workers.
    RATELIMIT_ENABLED = _bool("RATELIMIT_ENABLED", True)
    RATELIMIT_STORAGE_URI = "peewee://"
    RATELIMIT_HEADERS_ENABLED = True
    LOGIN_RATE_LIMIT = os.environ.get("LOGIN_RATE_LIMIT", "10 per minute;50 per hour")
    BOOKING_RATE_LIMIT = os.environ.get("BOOKING_RATE_LIMIT", "5 per minute;20 per hour")
    # Upcoming discovery calls one email address may hold at once (friendly message beyond).
    BOOKING_MAX_UPCOMING_PER_EMAIL = int(os.environ.get("BOOKING_MAX_UPCOMING_PER_EMAIL", "2"))
    # Wrong two-step sign-in codes per account (right codes don't count).
    TWO_FACTOR_RATE_LIMIT = os.environ.get("TWO_FACTOR_RATE_LIMIT", "5 per 5 minutes;20 per day")

    # Calendar sources: never fetch private addresses unless the operator allows it.
    CALENDAR_ALLOW_PRIVATE_URLS = _bool("CALENDAR_ALLOW_PRIVATE_URLS")
    CALENDAR_REFRESH_MINUTES = int(os.environ.get("CALENDAR_REFRESH_MINUTES", "15"))
    # One fetch of a calendar address, everything included (lookup, connect, headers, body).
    CALENDAR_FETCH_TIMEOUT = float(os.environ.get("CALENDAR_FETCH_TIMEOUT", "10"))
    CALENDAR_REFRESH_RATE_LIMIT = os.environ.get("CALENDAR_REFRESH_RATE_LIMIT", "5 per minute;30 per hour")

    # Prospects who never became clients: their details are removed this many months after the
    # call (blueprints/booking/retention.py); 0 keeps them.
    PROSPECT_RETENTION_MONTHS = int(os.environ.get("PROSPECT_RETENTION_MONTHS", "12"))

    # Reverse proxies in front of the app whose X-Forwarded-For/-Proto/-Host/-Port are trusted
    # (0: none — the app is reached directly). See deploy/README.md.
    PROXY_FIX = int(os.environ.get("PROXY_FIX", "0"))
    # One JSON line per request on stderr (logs.py).
    REQUEST_LOG = _bool("REQUEST_LOG", True)
    # PostgreSQL: each worker keeps coaches' stamps and hears of changes by LISTEN/NOTIFY
    # (scheduling/stamps.py); off, every public page reads its coach's stamp from the database.
    STAMP_LISTEN = _bool("STAMP_LISTEN", True)

    WORKER_INTERVAL_SECONDS = float(os.environ.get("WORKER_INTERVAL_SECONDS", "30"))


def load_secret_key(instance_path):
    """Return the secret key stored in the instance folder, creating it on first start."""
    path = Path(instance_path) / "secret_key"
    if path.exists():
        return path.read_text().strip()
    path.parent.mkdir(parents=True, exist_ok=True)
    key = secrets.token_hex(32)
    # O_EXCL: two workers starting together must agree on one key.
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return path.read_text().strip()
    with os.fdopen(fd, "w") as handle:
        handle.write(key)
    return key
