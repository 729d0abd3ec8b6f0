"""Who a request speaks for, and the guards around it: the session secret, CSRF tokens, sign-in
throttling per client, and the security headers of every response.

Pages sign in with a session cookie (signed with the workspace's secret; HttpOnly, SameSite=Lax, Secure
over https); every state-changing page request carries the session's CSRF token (a form field, or the
``X-CSRF-Token`` header that htmx sends). The API takes ``Authorization: Bearer <token>`` only, never the
cookie, so a page elsewhere cannot make a signed-in browser call it.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
import threading
import time
from collections import deque

from starlette.datastructures import MutableHeaders
from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from ..db import transaction
from ..models import User
from ..permissions import Actor
from ..users import actor, note_token_use, token_actor
from ..workspace import STATE_DIR, Workspace

SECRET_FILE = "session-secret"
SESSION_COOKIE = "translator_session"
CSRF_HEADER = "x-csrf-token"
CSRF_FIELD = "csrf_token"
#: sign-in failures one client may have in ``CLIENT_WINDOW`` seconds before it must wait
CLIENT_FAILURES = 20
CLIENT_WINDOW = 15 * 60
#: no inline script anywhere (the few behaviours htmx lacks are in static/keys.js); the report's inline styles stay
CONTENT_SECURITY_POLICY = ("default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
                           "img-src 'self' data:; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; "
                           "form-action 'self'")
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def session_secret(workspace: Workspace) -> str:
    """The workspace's session secret, made on first use, readable by its owner only."""
    path = workspace.root / STATE_DIR / SECRET_FILE
    try:
        secret = path.read_text(encoding="ascii").strip()
        if len(secret) >= 32:
            return secret
    except (OSError, UnicodeDecodeError):
        pass
    path.parent.mkdir(parents=True, exist_ok=True)
    secret = secrets.token_urlsafe(48)
    temporary = path.with_suffix(".tmp")
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "w", encoding="ascii") as out:
        out.write(secret + "\n")
    os.chmod(temporary, 0o600)  # whatever the umask made of it
    os.replace(temporary, path)
    return secret


def session_actor(request: Request, workspace: Workspace) -> Actor | None:
    """The signed-in user of a page request (a user removed since signs out)."""
    user_id = request.session.get("user")
    if not isinstance(user_id, int):
        return None
    with transaction(workspace.database_url, write=False) as session:
        user = session.get(User, user_id)
        if user is None or user.password_hash is None or request.session.get("stamp") != stamp(user):
            request.session.clear()
            return None
        return actor(user)


def bearer_actor(request: Request, workspace: Workspace) -> Actor | None:
    """Who an API request's bearer token speaks for (None: no token, or not a live one)."""
    scheme, _, secret = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not secret.strip():
        return None
    return secret_actor(workspace, secret.strip())


def secret_actor(workspace: Workspace, secret: str) -> Actor | None:
    """Who an API token speaks for (None: not a live one)."""
    with transaction(workspace.database_url, write=False) as session:
        use = token_actor(session, secret)
    if use is None:
        return None
    if use.note_use:  # at most once a minute per token: most API requests only read
        with transaction(workspace.database_url, write=True) as session:
            note_token_use(session, use.token_id)
    return use.actor


def stamp(user: User) -> str:
    """Part of a session that a new password invalidates: changing it signs the user out everywhere. A
    digest of the hash, not a piece of it: the (signed, not encrypted) cookie tells nothing of the hash."""
    return hashlib.sha256((user.password_hash or "").encode("utf-8")).hexdigest()[:16]


def csrf_token(request: Request) -> str:
    token = request.session.get("csrf")
    if not isinstance(token, str):
        token = request.session["csrf"] = secrets.token_urlsafe(32)
    return token


def csrf_valid(request: Request, sent: str | None) -> bool:
    expected = request.session.get("csrf")
    return isinstance(expected, str) and isinstance(sent, str) and hmac.compare_digest(expected, sent)


class ClientThrottle:
    """Sign-in failures per client address, in this process: a client guessing many names is slowed
    down as each account is after its own failures."""

    def __init__(self, limit: int = CLIENT_FAILURES, window: float = CLIENT_WINDOW) -> None:
        self.limit, self.window = limit, window
        self._failures: dict[str, deque[float]] = {}
        self._lock = threading.Lock()

    def blocked(self, client: str) -> bool:
        with self._lock:
            return len(self._recent(client)) >= self.limit

    def failed(self, client: str) -> None:
        with self._lock:
            self._recent(client).append(time.monotonic())

    def _recent(self, client: str) -> deque[float]:
        failures = self._failures.setdefault(client, deque())
        while failures and failures[0] < time.monotonic() - self.window:
            failures.popleft()
        return failures


class SecurityHeaders:
    """Every response: the content security policy and its companions; the session cookie marked Secure
    when the request came over https."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        https = scope.get("scheme") == "https"

        async def sending(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                headers.setdefault("content-security-policy", CONTENT_SECURITY_POLICY)
                headers.setdefault("x-content-type-options", "nosniff")
                headers.setdefault("referrer-policy", "same-origin")
                headers.setdefault("x-frame-options", "DENY")
                if https:
                    cookies = [(k, v) for k, v in message["headers"] if k == b"set-cookie"]
                    message["headers"] = [(k, v) for k, v in message["headers"] if k != b"set-cookie"] + [
                        (k, v + b"; Secure" if v.startswith(SESSION_COOKIE.encode()) and b"Secure" not in v else v)
                        for k, v in cookies]
            await send(message)

        await self.app(scope, receive, sending)
