"""Who a browser is, and proof that a form was posted from our own page.

Two cookies, both HttpOnly and SameSite=Lax (Secure in production):
- the visitor cookie: a random anonymous id signed with the app's secret, set on the first
  request (by `access.install`'s middleware, before the handler runs, so the very first page's
  forms carry a valid CSRF token);
- the session cookie: a random token, set at login; the catalog holds only its sha256.

A CSRF token is HMAC(secret, session token or visitor id): no server state, different for every
browser, and a page on another site cannot read it (the cookies it is made from are HttpOnly and
our pages are same-origin).
"""

from __future__ import annotations

import hashlib
import hmac
import secrets

from fastapi import Request
from fastapi.responses import Response
from itsdangerous import BadSignature, URLSafeSerializer

from linernotes.web.config import WebConfig
from linernotes.web.errors import ApiError

VISITOR_COOKIE = "ln_visitor"
SESSION_COOKIE = "ln_session"
CSRF_FIELD = "csrf_token"
CSRF_HEADER = "X-CSRF-Token"
VISITOR_MAX_AGE = 400 * 24 * 3600  # seconds: the longest a browser keeps a cookie (RFC 6265bis)


def _config(request: Request) -> WebConfig:
    config: WebConfig = request.app.state.config
    return config


def _signer(secret: str) -> URLSafeSerializer:
    return URLSafeSerializer(secret, salt="linernotes.visitor")


def new_visitor_id() -> str:
    return secrets.token_urlsafe(16)


def sign_visitor(secret: str, visitor_id: str) -> str:
    return _signer(secret).dumps(visitor_id)


def unsign_visitor(secret: str, cookie: str | None) -> str | None:
    """The visitor id in a cookie, or None if it is missing or was not signed by us."""
    if not cookie:
        return None
    try:
        found = _signer(secret).loads(cookie)
    except BadSignature:
        return None
    return found if isinstance(found, str) and 0 < len(found) <= 64 else None


def visitor_id(request: Request) -> str:
    """This browser's anonymous id. The middleware puts it on request.state before the handler;
    without the middleware (an app that did not install it) it is read from the cookie, or made
    up for this request."""
    found: str | None = getattr(request.state, "visitor_id", None)
    if found is None:
        found = unsign_visitor(_config(request).secret_key, request.cookies.get(VISITOR_COOKIE))
        if found is None:
            found = new_visitor_id()
            request.state.visitor_id_is_new = True
        request.state.visitor_id = found
    return found


def session_token(request: Request) -> str | None:
    """The session cookie's token as sent (valid or not: `access.visitor` checks it)."""
    override: str | None = getattr(request.state, "session_token", None)
    if override is not None:
        return override or None  # "" = logged out during this request
    return request.cookies.get(SESSION_COOKIE) or None


def set_session_cookie(request: Request, response: Response, token: str, max_age: int) -> None:
    """Log the browser in: the cookie carries the token (JS cannot read it), and the rest of
    this request (a page it renders, its CSRF token) sees the new session."""
    response.set_cookie(
        SESSION_COOKIE,
        token,
        max_age=max_age,
        httponly=True,
        samesite="lax",
        secure=_config(request).secure_cookies,
        path="/",
    )
    request.state.session_token = token


def clear_session_cookie(request: Request, response: Response) -> None:
    response.delete_cookie(
        SESSION_COOKIE,
        httponly=True,
        samesite="lax",
        secure=_config(request).secure_cookies,
        path="/",
    )
    request.state.session_token = ""


def csrf_token(request: Request) -> str:
    """The token this browser's forms carry: bound to its session if it has one, else to its
    anonymous visitor id."""
    token = session_token(request)
    basis = f"session:{token}" if token else f"visitor:{visitor_id(request)}"
    key = _config(request).secret_key.encode()
    return hmac.new(key, f"csrf:{basis}".encode(), hashlib.sha256).hexdigest()


async def require_csrf(request: Request) -> None:
    """FastAPI dependency for every state-changing POST from a browser: the form field
    `csrf_token` or the header X-CSRF-Token must match this browser's token; else 403."""
    sent = request.headers.get(CSRF_HEADER)
    if not sent:
        content_type = request.headers.get("content-type", "")
        if content_type.startswith(("application/x-www-form-urlencoded", "multipart/form-data")):
            form = await request.form()  # cached by Starlette: the handler's Form() reads it again
            field = form.get(CSRF_FIELD)
            sent = field if isinstance(field, str) else None
    if not sent or not hmac.compare_digest(sent.encode(), csrf_token(request).encode()):
        raise ApiError(
            403,
            "csrf_failed",
            "this form has expired or did not come from this site: reload the page and try again",
            f"form.{CSRF_FIELD}",
        )
