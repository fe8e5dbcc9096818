"""The secrets of accounts: passwords, session tokens and API keys. Shared by the web app and
`linernotes users`.

Passwords are hashed with argon2id (argon2-cffi's defaults, RFC 9106's low-memory profile) and
hashed again at the next login when those parameters change. Session tokens and API keys are
random (32 bytes); the catalog keeps only their sha256, so a copy of the catalog opens no
account. A key's text is returned once, to be shown once, and never logged.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from datetime import datetime, timedelta
from functools import lru_cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from linernotes.store import accounts
from linernotes.store.accounts import AccountExists, ApiKey, User
from linernotes.store.db import Database

HASHER = PasswordHasher()
MIN_PASSWORD = 10  # characters
MAX_PASSWORD = 1024  # characters: longer is not a password, and costs hashing time
MAX_EMAIL = 254  # RFC 5321's limit on a whole address
MAX_KEY_NAME = 80
KEY_PREFIX = "ln_"
KEY_SHOWN = 10  # characters of a key kept in clear to tell keys apart: "ln_" + 7 of 43
SESSION_LIFETIME = timedelta(days=30)
KEY_TOUCH_EVERY = timedelta(minutes=1)  # "last used" to the minute: no write per request

_EMAIL = re.compile(r"[^@\s]+@[^@\s.]+(\.[^@\s.]+)+")


class AccountError(ValueError):
    """Input an account cannot take; `where` names the field."""

    def __init__(self, message: str, where: str) -> None:
        super().__init__(message)
        self.message = message
        self.where = where


def normalise_email(text: str) -> str:
    """The email as stored: trimmed, lower case; AccountError if it is not an address."""
    email = text.strip().lower()
    if not email:
        raise AccountError("enter your email address", "email")
    if len(email) > MAX_EMAIL or not _EMAIL.fullmatch(email):
        raise AccountError(f"{text.strip()!r} is not an email address (name@example.com)", "email")
    return email


def check_password(password: str) -> None:
    if len(password) < MIN_PASSWORD:
        raise AccountError(f"the password must have at least {MIN_PASSWORD} characters", "password")
    if len(password) > MAX_PASSWORD:
        raise AccountError(f"the password must have at most {MAX_PASSWORD} characters", "password")


def check_plan(plan: str) -> str:
    if plan not in accounts.PLANS:
        raise AccountError(f"plan must be one of {', '.join(accounts.PLANS)}, not {plan!r}", "plan")
    return plan


def sign_up(db: Database, email: str, password: str, at: datetime, plan: str = "free") -> User:
    """A new user; AccountError on a bad email, password or plan, or an email already taken."""
    email = normalise_email(email)
    check_password(password)
    check_plan(plan)
    try:
        return accounts.add_user(db, email, HASHER.hash(password), plan, at)
    except AccountExists:
        raise AccountError(
            f"there is already an account for {email}: log in instead", "email"
        ) from None


@lru_cache(maxsize=1)
def _stand_in() -> str:
    """A hash to check unknown emails' passwords against, so a wrong email takes as long to
    refuse as a wrong password (the time does not tell which emails have accounts)."""
    return HASHER.hash(secrets.token_urlsafe(16))


def authenticate(db: Database, email: str, password: str) -> User | None:
    """The user with this email and password, or None (whichever of the two was wrong)."""
    try:
        email = normalise_email(email)
    except AccountError:
        email = ""
    user = accounts.user_by_email(db, email) if email else None
    stored = user.password_hash if user else _stand_in()
    try:
        HASHER.verify(stored, password[:MAX_PASSWORD])
    except (VerificationError, InvalidHashError):
        return None
    if user is None:
        return None
    if HASHER.check_needs_rehash(stored):
        accounts.set_password_hash(db, user.id, HASHER.hash(password))
    return user


def set_password(db: Database, user: User, password: str) -> None:
    check_password(password)
    accounts.set_password_hash(db, user.id, HASHER.hash(password))


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def start_session(db: Database, user: User, at: datetime) -> str:
    """A new session for `user`; its token (for the cookie: the catalog keeps only its hash)."""
    token = secrets.token_urlsafe(32)
    accounts.remove_expired_sessions(db, user.id, at)
    accounts.add_session(db, user.id, token_hash(token), at, at + SESSION_LIFETIME)
    return token


def end_session(db: Database, token: str) -> None:
    accounts.remove_session(db, token_hash(token))


def session_user(db: Database, token: str, at: datetime) -> User | None:
    return accounts.session_user(db, token_hash(token), at)


def check_key_name(name: str) -> str:
    name = " ".join(name.split())
    if len(name) > MAX_KEY_NAME:
        raise AccountError(f"a key's name must have at most {MAX_KEY_NAME} characters", "name")
    return name


def new_key(db: Database, user: User, name: str, at: datetime) -> tuple[ApiKey, str]:
    """A new API key for `user`: the stored record, and the key's text (to show once)."""
    name = check_key_name(name) or f"key made {at:%Y-%m-%d %H:%M} UTC"
    text = KEY_PREFIX + secrets.token_urlsafe(32)
    return accounts.add_key(db, user.id, name, text[:KEY_SHOWN], token_hash(text), at), text


def key_user(db: Database, text: str, at: datetime) -> tuple[ApiKey, User] | None:
    """The active key with this text and its owner; None if unknown or revoked. Found by its
    hash (a look-up by the hash of a secret leaks nothing through timing), then compared in
    constant time all the same."""
    digest = token_hash(text)
    found = accounts.key_by_hash(db, digest)
    if found is None:
        return None
    key, stored = found
    if not hmac.compare_digest(stored, digest) or not key.active:
        return None
    user = accounts.user_by_id(db, key.user_id)
    if user is None:
        return None
    last = datetime.fromisoformat(key.last_used_at) if key.last_used_at else None
    if last is None or at - last >= KEY_TOUCH_EVERY:
        accounts.touch_key(db, key.id, at)
    return key, user
