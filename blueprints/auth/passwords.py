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
        key = (hasher.time_cost, hasher.memory_cost)
        _DUMMY.setdefault(key, hasher.hash("not a real password"))
        password_hash, password = _DUMMY[key], password + "\0"
    try:
        return hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False
