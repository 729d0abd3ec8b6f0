"""Users of the web workspace and the API: accounts, passwords (argon2), bearer tokens, sign-in throttling.

Only hashes are stored: argon2 for passwords, SHA-256 for tokens (random 256-bit secrets, looked up
by their hash). After ``MAX_FAILURES`` wrong passwords in a row an account is locked for
``LOCK_MINUTES``; a sign-in never says whether the name or the password was wrong.
"""

from __future__ import annotations

import hashlib
import re
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from functools import lru_cache

from sqlalchemy import select
from sqlalchemy.orm import Session

from .errors import NotFound, TranslatorError
from .models import ApiToken, TokenScope, User
from .permissions import Actor, Role, check_languages

MIN_PASSWORD = 8
MAX_FAILURES = 5
LOCK_MINUTES = 15
TOKEN_PREFIX = "trt_"
#: a token's last use is written at most this often: an API read should not be a write
LAST_USED_EVERY = timedelta(minutes=1)
_NAME = re.compile(r"[^\s\x00-\x1f\x7f]([^\x00-\x1f\x7f]{0,198}[^\s\x00-\x1f\x7f])?")
_DURATION = re.compile(r"(\d{1,5})\s*([hdw])")
_UNITS = {"h": timedelta(hours=1), "d": timedelta(days=1), "w": timedelta(weeks=1)}


@dataclass(frozen=True)
class SignIn:
    """A sign-in's outcome: the user, or why not (the same words for a wrong name
    as for a wrong password)."""

    user: User | None
    problem: str = ""


@dataclass(frozen=True)
class NewToken:
    secret: str  # shown once; only its hash is kept
    token: ApiToken


@lru_cache(maxsize=1)
def _hasher():  # type: ignore[no-untyped-def]
    from argon2 import PasswordHasher  # imported when a password is checked: the CLI's other commands skip it

    return PasswordHasher()


@lru_cache(maxsize=1)
def _decoy() -> str:
    """A hash to verify against when the name is unknown, so that a sign-in takes as long either way."""
    return _hasher().hash(secrets.token_urlsafe(16))


def now() -> datetime:
    return datetime.now(timezone.utc)


def actor(user: User, writes: bool = True) -> Actor:
    return Actor(user.name, user.role, tuple(user.languages or ()), writes)


def check_name(name: str) -> str:
    if not _NAME.fullmatch(name):
        raise TranslatorError(f"{name!r} is not a user name: 1 to 200 characters, no control characters, "
                              "no spaces at either end")
    return name


def check_password(password: str) -> str:
    if len(password) < MIN_PASSWORD:
        raise TranslatorError(f"a password needs at least {MIN_PASSWORD} characters")
    return password


def hash_password(password: str) -> str:
    return _hasher().hash(check_password(password))


def get_user(session: Session, name: str) -> User:
    user = session.scalar(select(User).where(User.name == name))
    if user is None:
        raise NotFound(f"no user {name!r}; 'translator users list' shows them")
    return user


def list_users(session: Session) -> list[User]:
    return list(session.scalars(select(User).order_by(User.name)))


def add_user(session: Session, name: str, role: Role, languages: list[str], targets: list[str],
             password: str | None) -> User:
    """A new user; ``languages`` (each a workspace target) bound their role, none: every language."""
    check_name(name)
    if session.scalar(select(User.id).where(User.name == name)) is not None:
        raise TranslatorError(f"there is already a user {name!r}")
    user = User(name=name, role=role, languages=list(check_languages(languages, targets)),
                password_hash=hash_password(password) if password is not None else None)
    session.add(user)
    session.flush()
    return user


def change_user(session: Session, name: str, targets: list[str], role: Role | None = None,
                languages: list[str] | None = None) -> User:
    user = get_user(session, name)
    if role is not None:
        user.role = role
    if languages is not None:
        user.languages = list(check_languages(languages, targets))
    return user


def remove_user(session: Session, name: str) -> None:
    """The user and their tokens go; what they did stays in the history under their name."""
    session.delete(get_user(session, name))
    session.flush()


def set_password(session: Session, name: str, password: str) -> User:
    user = get_user(session, name)
    user.password_hash = hash_password(password)
    user.failed_sign_ins, user.locked_until = 0, None
    return user


def sign_in(session: Session, name: str, password: str, at: datetime | None = None) -> SignIn:
    """The user with this name and password, or the problem; a failure is counted in the session (commit
    it: a refused sign-in is not an error to roll back)."""
    from argon2.exceptions import InvalidHashError, VerificationError

    at = at or now()
    user = session.scalar(select(User).where(User.name == name).with_for_update())
    if user is not None and user.locked_until is not None and user.locked_until > at:
        return SignIn(None, f"too many failed sign-ins: try again in {_minutes(user.locked_until - at)}")
    try:
        _hasher().verify(user.password_hash if user is not None and user.password_hash else _decoy(), password)
        valid = user is not None and user.password_hash is not None
    except (VerificationError, InvalidHashError):
        valid = False
    if user is None or not valid:
        if user is not None:
            user.failed_sign_ins += 1
            if user.failed_sign_ins >= MAX_FAILURES:
                user.failed_sign_ins, user.locked_until = 0, at + timedelta(minutes=LOCK_MINUTES)
        return SignIn(None, "wrong name or password")
    user.failed_sign_ins, user.locked_until = 0, None
    if user.password_hash and _hasher().check_needs_rehash(user.password_hash):
        user.password_hash = _hasher().hash(password)
    return SignIn(user)


def make_token(session: Session, name: str, scope: TokenScope, lifetime: timedelta | None) -> NewToken:
    """A new API token for the user; ``lifetime`` None: until revoked."""
    user = get_user(session, name)
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    created = now()
    token = ApiToken(user_id=user.id, token_hash=_digest(secret), scope=scope, created_at=created,
                     expires_at=created + lifetime if lifetime else None)
    session.add(token)
    session.flush()
    return NewToken(secret, token)


def tokens(session: Session, name: str) -> list[ApiToken]:
    user = get_user(session, name)
    return list(session.scalars(select(ApiToken).where(ApiToken.user_id == user.id).order_by(ApiToken.id)))


def revoke_token(session: Session, name: str, token_id: int | None) -> int:
    """Revoke one of the user's tokens (None: all of them); how many were revoked."""
    live = [t for t in tokens(session, name) if t.revoked_at is None and (token_id is None or t.id == token_id)]
    if token_id is not None and not live:
        raise TranslatorError(f"{name} has no live token {token_id}; 'translator users tokens {name}' lists them")
    for token in live:
        token.revoked_at = now()
    return len(live)


@dataclass(frozen=True)
class TokenUse:
    actor: Actor
    token_id: int
    note_use: bool  # its last use is older than LAST_USED_EVERY: worth a write (``note_token_use``)


def token_actor(session: Session, secret: str, at: datetime | None = None) -> TokenUse | None:
    """Who a bearer token speaks for, or None for a token that is unknown, expired or revoked. Reads only."""
    at = at or now()
    token = session.scalar(select(ApiToken).where(ApiToken.token_hash == _digest(secret)))
    if token is None or token.revoked_at is not None or (token.expires_at is not None and token.expires_at <= at):
        return None
    return TokenUse(actor(token.user, writes=token.scope is TokenScope.WRITE), token.id,
                    token.last_used_at is None or at - token.last_used_at >= LAST_USED_EVERY)


def note_token_use(session: Session, token_id: int, at: datetime | None = None) -> None:
    token = session.get(ApiToken, token_id)
    if token is not None:
        token.last_used_at = at or now()


def parse_lifetime(text: str) -> timedelta | None:
    """``90d``, ``12h``, ``2w``: a token's lifetime; ``never``: None."""
    if text.strip().lower() == "never":
        return None
    match = _DURATION.fullmatch(text.strip().lower())
    if not match or int(match.group(1)) == 0:
        raise TranslatorError(f"{text!r} is not a lifetime: a number of hours, days or weeks (12h, 90d, 2w) or never")
    return int(match.group(1)) * _UNITS[match.group(2)]


def _digest(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def _minutes(left: timedelta) -> str:
    minutes = max(1, -(-int(left.total_seconds()) // 60))
    return f"{minutes} minute{'s' if minutes != 1 else ''}"
