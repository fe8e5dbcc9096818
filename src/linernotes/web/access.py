"""Who is asking, and what their plan lets them see: handle reveals and API request rates.

Every way to see a handle (a page, the API, an export) goes through `reveal`, which counts the
people revealed against the visitor's plan and raises a 429 ApiError past the limit.

A visitor is a signed-in user (session cookie), an API key's owner, or anonymous. Anonymous
visitors are counted twice, by their signed visitor cookie and by their address, and the limit
holds for both: clearing cookies does not start a new day. The address is the socket's peer;
X-Forwarded-For is not read (anyone can send it). Behind a reverse proxy, run uvicorn with
--proxy-headers and --forwarded-allow-ips so that the peer it reports is the client.

Counts live in the catalog (store/accounts.py), so they hold across server processes. Time comes
from `app.state.now` (a callable returning an aware UTC datetime), so tests can move the clock.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from fastapi import FastAPI, Request
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import MutableHeaders
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from linernotes.store import accounts
from linernotes.store.db import Database
from linernotes.web import auth, credentials, deps
from linernotes.web.config import Plan, WebConfig
from linernotes.web.errors import ApiError, error_response

Clock = Callable[[], datetime]

# Sign-up and login attempts per address in a window: enough for typos, too few to guess.
AUTH_ATTEMPTS = 20
AUTH_WINDOW = timedelta(minutes=15)
API_PREFIX = "/api/"


def utc_now() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True, slots=True)
class Visitor:
    """The person behind a request: a signed-in user, an API key's owner, or anonymous (known by
    a signed cookie and by address). `at` is the moment of the request, by the app's clock."""

    plan: Plan
    address: str
    user_id: int | None = None
    email: str | None = None
    anon_id: str | None = None
    api_key_id: int | None = None
    at: datetime = field(default_factory=utc_now)

    @property
    def signed_in(self) -> bool:
        return self.user_id is not None

    @property
    def reveal_subjects(self) -> tuple[str, ...]:
        """Who reveals are counted against: the user, or the cookie and the address."""
        if self.user_id is not None:
            return (f"user:{self.user_id}",)
        return (f"visitor:{self.anon_id}", f"address:{self.address}")

    @property
    def api_subject(self) -> str:
        return f"user:{self.user_id}" if self.user_id is not None else f"address:{self.address}"


def clock(request: Request) -> Clock:
    found: Clock = getattr(request.app.state, "now", utc_now)
    return found


def visitor(request: Request) -> Visitor:
    """Who is asking (resolved once per request). Raises ApiError(401) for an API key that is
    unknown or revoked: a client that sends a key means to use it, and must hear it failed."""
    found: Visitor | None = getattr(request.state, "visitor", None)
    if found is None:
        found = _resolve(request)
        request.state.visitor = found
    return found


def forget_visitor(request: Request) -> None:
    """Resolve again on next use (after logging in or out during this request)."""
    request.state.visitor = None


def _resolve(request: Request) -> Visitor:
    config: WebConfig = request.app.state.config
    at = clock(request)()
    address = request.client.host if request.client else "unknown"
    anon = auth.visitor_id(request)
    db = deps.db(request)
    key, where = _sent_key(request)
    if key is not None:
        found = credentials.key_user(db, key, at)
        if found is None:
            raise ApiError(
                401,
                "bad_api_key",
                "this API key is unknown or was revoked: make a new one on your account page",
                where,
                {"WWW-Authenticate": "Bearer"},
            )
        api_key, user = found
        return Visitor(config.plan(user.plan), address, user.id, user.email, anon, api_key.id, at)
    token = auth.session_token(request)
    signed_in = credentials.session_user(db, token, at) if token else None
    if signed_in is not None:
        plan = config.plan(signed_in.plan)
        return Visitor(plan, address, signed_in.id, signed_in.email, anon, None, at)
    return Visitor(config.plan("anonymous"), address, anon_id=anon, at=at)


def _sent_key(request: Request) -> tuple[str | None, str]:
    header = request.headers.get("authorization", "")
    scheme, _, value = header.partition(" ")
    if scheme.lower() == "bearer" and value.strip():
        return value.strip(), "header.Authorization"
    sent = request.headers.get("x-api-key", "").strip()
    return (sent or None), "header.X-API-Key"


# Handle reveals -------------------------------------------------------------------------------


def _day(at: datetime) -> str:
    return at.astimezone(UTC).date().isoformat()


def next_day(at: datetime) -> datetime:
    """When today's reveals stop counting: the next midnight UTC."""
    today = at.astimezone(UTC).replace(hour=0, minute=0, second=0, microsecond=0)
    return today + timedelta(days=1)


def revealed_today(db: Database, who: Visitor) -> set[int]:
    """The people this visitor has revealed today (shown again without a new reveal)."""
    return accounts.revealed(db, who.reveal_subjects[0], _day(who.at))


def reveals_left(db: Database, who: Visitor) -> int:
    day = _day(who.at)
    used = max(len(accounts.revealed(db, s, day)) for s in who.reveal_subjects)
    return max(0, who.plan.reveals_per_day - used)


def reveal(db: Database, who: Visitor, artist_ids: Iterable[int]) -> None:
    """Count these people's handles as revealed to `who`; raise ApiError(429) past the plan.

    All or nothing: either every person is counted, or none is and the 429 says why. A person
    already revealed today costs nothing. Checked and written in one write transaction (writers
    take turns on both backends), so two processes cannot both spend the last reveal."""
    wanted = sorted(set(artist_ids))
    day = _day(who.at)
    if not wanted or all(set(wanted) <= accounts.revealed(db, s, day) for s in who.reveal_subjects):
        return  # nothing new: no write, no wait for the write lock
    with db.transaction():
        for subject in who.reveal_subjects:
            seen = accounts.revealed(db, subject, day)
            new = [i for i in wanted if i not in seen]
            if len(seen) + len(new) > who.plan.reveals_per_day:
                raise _reveal_limit(who, len(seen), len(new))
            if not seen:  # the subject's first reveal today: earlier days no longer count
                accounts.forget_reveals(db, day)
            accounts.add_reveals(db, subject, day, new, who.at)


def _reveal_limit(who: Visitor, used: int, asked: int) -> ApiError:
    plan = who.plan
    resets = next_day(who.at)
    wait = _seconds_until(who.at, resets)
    left = max(0, plan.reveals_per_day - used)
    message = (
        f"Daily limit reached: the {plan.name} plan reveals the handles of"
        f" {_people(plan.reveals_per_day)} a day, {left} left and this needs {asked}. The limit"
        " resets at"
        f" {resets:%H:%M} UTC ({resets:%Y-%m-%d}, in {_duration(wait)}). {upgrade_hint(plan)}"
    ).strip()
    return ApiError(429, "limit_reached", message, "reveals", {"Retry-After": str(wait)})


def _people(n: int) -> str:
    return "1 person" if n == 1 else f"{n} people"


def upgrade_hint(plan: Plan) -> str:
    if plan.name == "anonymous":
        return "Sign up for a free account to reveal more each day."
    if plan.name == "free":
        return "The pro plan reveals more each day."
    return ""


def _seconds_until(at: datetime, then: datetime) -> int:
    return max(1, math.ceil((then - at).total_seconds()))


def _duration(seconds: int) -> str:
    hours, rest = divmod(seconds, 3600)
    minutes = math.ceil(rest / 60)
    if hours and minutes:
        return f"{hours} h {minutes} min"
    return f"{hours} h" if hours else f"{max(1, minutes)} min"


# Request rates --------------------------------------------------------------------------------


def _window(at: datetime, length: timedelta) -> tuple[datetime, datetime]:
    """The fixed window holding `at`: [start, end)."""
    seconds = int(length.total_seconds())
    epoch = math.floor(at.timestamp())
    start = datetime.fromtimestamp(epoch - epoch % seconds, UTC)
    return start, start + length


@dataclass(frozen=True, slots=True)
class Rate:
    limit: int
    count: int
    resets: datetime
    wait: int  # seconds until `resets`

    @property
    def exceeded(self) -> bool:
        return self.count > self.limit

    def headers(self) -> dict[str, str]:
        return {
            "X-RateLimit-Limit": str(self.limit),
            "X-RateLimit-Remaining": str(max(0, self.limit - self.count)),
            "X-RateLimit-Reset": str(int(self.resets.timestamp())),
        }


def count_request(db: Database, subject: str, limit: int, at: datetime, length: timedelta) -> Rate:
    start, end = _window(at, length)
    count = accounts.hit(db, subject, accounts.stamp(start))
    return Rate(limit, count, end, _seconds_until(at, end))


def count_api_request(db: Database, who: Visitor) -> Rate:
    return count_request(db, f"api:{who.api_subject}", who.plan.api_per_minute, who.at, _MINUTE)


def api_limit_error(who: Visitor, rate: Rate) -> ApiError:
    per = "per address without an API key" if who.plan.name == "anonymous" else "per account"
    message = (
        f"Rate limit reached: the {who.plan.name} plan allows {rate.limit} API requests a minute"
        f" ({per}). The limit resets at {rate.resets:%H:%M} UTC, in {rate.wait} s."
    )
    return ApiError(
        429, "rate_limited", message, "requests", {"Retry-After": str(rate.wait), **rate.headers()}
    )


def count_auth_attempt(db: Database, who: Visitor) -> None:
    """Count a sign-up or login attempt from this address; ApiError(429) past AUTH_ATTEMPTS."""
    rate = count_request(db, f"auth:{who.address}", AUTH_ATTEMPTS, who.at, AUTH_WINDOW)
    if rate.exceeded:
        message = (
            f"Too many sign-up and login attempts from your address ({AUTH_ATTEMPTS} in"
            f" {int(AUTH_WINDOW.total_seconds()) // 60} minutes). Try again at"
            f" {rate.resets:%H:%M} UTC, in {_duration(rate.wait)}."
        )
        raise ApiError(
            429, "too_many_attempts", message, "address", {"Retry-After": str(rate.wait)}
        )


_MINUTE = timedelta(minutes=1)


# The middleware -------------------------------------------------------------------------------


def install(app: FastAPI) -> None:
    """The visitor cookie on every answer that needs one, and API rate limits."""
    if not hasattr(app.state, "now"):
        app.state.now = utc_now
    app.add_middleware(AccessMiddleware)


def _cookie_header(name: str, value: str, max_age: int, secure: bool) -> tuple[bytes, bytes]:
    response = Response()
    response.set_cookie(
        name, value, max_age=max_age, httponly=True, samesite="lax", secure=secure, path="/"
    )
    return response.raw_headers[-1]


class AccessMiddleware:
    """Pure ASGI (no buffering of answers). Before the handler: the visitor id from its signed
    cookie, or a new one (so the first page's forms carry a valid CSRF token); for /api, the
    request counted against the visitor's rate. After: the cookie if new (pages), rate headers
    (API)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"].startswith("/static/"):
            await self.app(scope, receive, send)
            return
        request = Request(scope)
        config: WebConfig = request.app.state.config
        anon = auth.unsign_visitor(config.secret_key, request.cookies.get(auth.VISITOR_COOKIE))
        new_cookie = anon is None
        request.state.visitor_id = anon or auth.new_visitor_id()
        extra: dict[str, str] = {}
        if scope["path"].startswith(API_PREFIX):
            try:
                rate, who = await run_in_threadpool(_count_api, request)
            except ApiError as error:
                await error_response(error)(scope, receive, send)
                return
            if rate.exceeded:
                await error_response(api_limit_error(who, rate))(scope, receive, send)
                return
            extra = rate.headers()
        cookie = None
        # API clients are counted by key or address; a cookie on every anonymous answer would
        # only keep shared caches from storing it.
        if new_cookie and not scope["path"].startswith(API_PREFIX):
            signed = auth.sign_visitor(config.secret_key, request.state.visitor_id)
            cookie = _cookie_header(
                auth.VISITOR_COOKIE, signed, auth.VISITOR_MAX_AGE, config.secure_cookies
            )

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for name, value in extra.items():
                    headers[name] = value
                if cookie is not None:
                    message["headers"].append(cookie)
            await send(message)

        await self.app(scope, receive, send_with_headers)


def _count_api(request: Request) -> tuple[Rate, Visitor]:
    who = visitor(request)
    return count_api_request(deps.db(request), who), who
