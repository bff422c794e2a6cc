"""argon2id hashing through argon2-cffi; the cost is configurable so tests stay fast."""

from contextlib import suppress

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask import current_app

# Verified against when the email is unknown, so both paths take the same time.
_DUMMY = {}


def hasher() -> PasswordHasher:
    params = current_app.config.get("ARGON2_PARAMS") or {}
    return PasswordHasher(**params)


def hash_password(password: str) -> str:
    return hasher().hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    ph = hasher()
    if password_hash is None:
        key = repr(sorted((current_app.config.get("ARGON2_PARAMS") or {}).items()))
        password_hash = _DUMMY.setdefault(key, ph.hash("not-a-real-password"))
        with suppress(VerificationError, InvalidHashError):
            ph.verify(password_hash, password)
        return False
    try:
        return ph.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(password_hash: str) -> bool:
    return hasher().check_needs_rehash(password_hash)
