"""Password hashing with argon2id (memory-hard); cost comes from the app config."""
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask import current_app

# A real hash to verify against when the email is unknown, so both answers take as long.
_DUMMY = {}


def _hasher():
    config = current_app.config
    return PasswordHasher(time_cost=config["ARGON2_TIME_COST"], memory_cost=config["ARGON2_MEMORY_COST"])


def hash_password(password):
    return _hasher().hash(password)


def verify_password(password_hash, password):
    hasher = _hasher()
    if not password_hash:
        # Verify against a hash made once per cost setting: hashing here on every call would
        # make an unknown address cost a hash *and* a verify, twice a known one's time.
        password_hash, password = _dummy_hash(hasher), password + "\0"
    try:
        return hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def _dummy_hash(hasher):
    key = (hasher.time_cost, hasher.memory_cost, hasher.parallelism, hasher.hash_len, hasher.salt_len)
    if key not in _DUMMY:
        _DUMMY[key] = hasher.hash("not a real password")
    return _DUMMY[key]
