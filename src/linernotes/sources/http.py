"""The one HTTP client every source uses (httpx).

It sends a User-Agent naming the product, its version and a contact; applies each source's
timeout and rate limit; retries 429/502/503/504 and transport failures with backoff, honouring
Retry-After; keeps successful responses in an on-disk cache for the source's TTL; and turns
failures into typed `SourceError`s that name the source, the URL (credentials redacted) and the
status. Credentials are `Secret`s: they go into request headers and nowhere else.

`HttpClient.within(deadline)` gives a view of a client whose requests fit a time budget: a
request that could not start, or a retry that could not wait, before the deadline raises
`OutOfTime` instead of sleeping past it.
"""

from __future__ import annotations

import base64
import copy
import logging
import random
import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from email.utils import parsedate_to_datetime
from pathlib import Path
from typing import Any, TypeVar

import httpx
import orjson

from linernotes import settings
from linernotes.sources import deadline as budget
from linernotes.sources.http_cache import ResponseCache, cache_key
from linernotes.sources.http_policy import (
    AUTH_HEADER_FORMATS,
    POLICIES,
    Auth,
    Credentials,
    SourcePolicy,
    redact_url,
    scrub,
    user_agent,
)
from linernotes.sources.ratelimit import (
    SHARED_LIMITERS,
    Clock,
    Deadline,
    RateLimiter,
    RateLimiters,
    WaitTooLong,
)

log = logging.getLogger("linernotes.http")
T = TypeVar("T")

RETRY_STATUSES = frozenset({429, 502, 503, 504})
# Where each source puts its error message in a JSON error body (Spotify {"error": {"message"}},
# Discogs {"message"}, MusicBrainz {"error"}, Genius {"meta": {"message"}}).
ERROR_MESSAGE_PATHS: tuple[tuple[str, ...], ...] = (
    ("error", "message"),
    ("meta", "message"),
    ("message",),
    ("error",),
)
# Spotify tokens are renewed this long before they expire, so none expires in flight.
TOKEN_MARGIN = 60.0


class SourceError(Exception):
    """A request to a source failed. The text names the source, the URL and the status."""

    def __init__(
        self, source: str, url: str, message: str, status: int | None = None, attempts: int = 1
    ) -> None:
        self.source = source
        self.url = url
        self.status = status
        self.attempts = attempts
        self.message = message
        status_text = f" (HTTP {status})" if status is not None else ""
        super().__init__(f"{source}: {message}{status_text} at {url}")


class NotFound(SourceError):
    pass


class AuthError(SourceError):
    pass


class RateLimited(SourceError):
    pass


class SourceUnavailable(SourceError):
    pass


class BadResponse(SourceError):
    pass


class UnexpectedStatus(SourceError):
    """A status the client has no rule for (400, 405, 500, ...)."""


class OutOfTime(SourceError):
    """A request was not made, or not retried, because the time budget would run out first (or
    ran out while it was in flight). `status` is the last failed attempt's, if any."""


Params = Mapping[str, str | int]


@dataclass(frozen=True, slots=True)
class _Call:
    """One logical request, however many attempts it takes."""

    policy: SourcePolicy
    url: str
    params: dict[str, str]
    accept: str
    shown: str  # the URL as errors and logs may show it: credentials redacted

    @property
    def source(self) -> str:
        return self.policy.name


@dataclass(frozen=True, slots=True)
class _Failure:
    """Why an attempt is worth retrying: a retryable status, a truncated body, or a transport
    error."""

    response: httpx.Response | None
    error: httpx.RequestError | None
    truncated: bool = False


class HttpClient:
    """Fetch from the sources. Thread-safe; one per process is plenty.

    `clock`, `transport` and `rng` are for tests: a `FakeClock`, an `httpx.MockTransport` (see
    `sources.replay`) and a fixed jitter. With a custom clock the client gets rate limiters of
    its own; otherwise it shares the process-wide ones.
    """

    def __init__(
        self,
        policies: Mapping[str, SourcePolicy] | None = None,
        *,
        credentials: Credentials | None = None,
        clock: Clock | None = None,
        transport: httpx.BaseTransport | None = None,
        cache_dir: Path | None = None,
        use_cache: bool = True,
        contact: str | None = None,
        timeout: float | None = None,
        rng: Callable[[], float] = random.random,
        limiters: RateLimiters | None = None,
    ) -> None:
        self.policies = dict(POLICIES if policies is None else policies)
        self.credentials = Credentials.from_settings() if credentials is None else credentials
        self._limiters = limiters or (SHARED_LIMITERS if clock is None else RateLimiters(clock))
        self._clock = clock or self._limiters.clock
        root = cache_dir or settings.http_cache_dir()
        self._cache = ResponseCache(root, self._clock) if use_cache else None
        self._rng = rng
        self._timeout = settings.http_timeout() if timeout is None else timeout
        self.user_agent = user_agent(contact)
        self._http = httpx.Client(
            transport=transport,
            headers={"User-Agent": self.user_agent},
            follow_redirects=True,  # httpx drops Authorization when a redirect changes host
        )
        self._spotify = _SpotifyToken(self._http, self._clock, self.credentials)
        self._deadline: Deadline | None = None  # set on the views `within` makes

    @property
    def clock(self) -> Clock:
        """The clock the client paces and caches by: make a `Deadline` for `within` on it."""
        return self._clock

    @property
    def deadline(self) -> Deadline | None:
        """The deadline of a view made by `within`; None on a normal client."""
        return self._deadline

    def within(self, deadline: Deadline) -> HttpClient:
        """A view of this client whose requests respect `deadline`. It shares everything (the
        connections, the cache, the rate limiters, the Spotify token); closing it does nothing,
        only the client it came from owns the connections.

        A cache hit is answered even past the deadline. A request goes only if its rate-limit
        slot comes before the deadline, with a timeout cut to the time left; a Retry-After or
        backoff pause longer than the time left is not waited for. Each of these raises
        `OutOfTime`, as does a failed attempt (a timeout included) that ends past the deadline; a
        timeout that ends before it is retried (`SourceUnavailable` when retries run out), as
        without a deadline."""
        view = copy.copy(self)
        view._deadline = deadline
        return view

    def __enter__(self) -> HttpClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        if self._deadline is None:  # views share their parent's connections; it closes them
            self._http.close()

    def get_json(self, source: str, path_or_url: str, params: Params | None = None) -> Any:
        """The parsed JSON body. `path_or_url` is relative to the source's base URL, or an
        absolute URL on the source's own host."""
        policy = self.policy(source)
        merged = {**dict(policy.json_params), **(params or {})}
        call = self._call(policy, path_or_url, merged, "application/json")
        return self._get(call, _parse_json)

    def get_bytes(
        self, source: str, path_or_url: str, params: Params | None = None, accept: str = "*/*"
    ) -> bytes:
        """The raw body (MusicBrainz XML, say: no fmt=json is added here)."""
        call = self._call(self.policy(source), path_or_url, params or {}, accept)
        return self._get(call, _as_bytes)

    def policy(self, source: str) -> SourcePolicy:
        try:
            return self.policies[source]
        except KeyError:
            known = ", ".join(sorted(self.policies))
            raise ValueError(f"no HTTP policy for source {source!r} (known: {known})") from None

    # The request cycle: cache, then the network with retries, then validate and store.

    def _call(self, policy: SourcePolicy, path_or_url: str, params: Params, accept: str) -> _Call:
        url = policy.url(path_or_url)
        texts = {name: str(value) for name, value in params.items()}
        shown = self._shown(httpx.URL(url).copy_merge_params(texts))
        return _Call(policy, url, texts, accept, shown)

    def _get(self, call: _Call, parse: Callable[[bytes], T]) -> T:
        key = cache_key("GET", call.url, call.params)
        ttl = call.policy.cache_ttl
        hit = self._cache.get(call.source, key, ttl) if self._cache else None
        if hit is not None:
            try:
                return parse(hit.body)
            except ValueError:
                log.warning(
                    "%s: cached body unreadable, fetching again: %s", call.source, call.shown
                )
        response = self._fetch(call)
        try:
            value = parse(response.content)
        except ValueError as err:
            raise BadResponse(call.source, call.shown, str(err), response.status_code) from None
        if self._cache is not None and ttl > 0:
            self._cache.put(call.source, key, response)
        return value

    def _fetch(self, call: _Call) -> httpx.Response:
        self._check_credentials(call)
        limiter = self._limiter(call.policy)
        attempts = call.policy.max_retries + 1
        failure = _Failure(None, None)
        for attempt in range(1, attempts + 1):
            outcome = self._attempt(call, limiter)
            if isinstance(outcome, httpx.Response):
                return self._checked(call, outcome)
            failure = outcome
            self._log_failure(call, failure, attempt, attempts)
            self._check_in_time(call, failure, attempt)
            if attempt < attempts:
                delay, reason = self._delay(call, failure, attempt)
                limiter.hold(delay)  # even when not waiting: the pause holds for every caller
                self._check_pause(call, failure, attempt, delay, reason)
        raise self._gave_up(call, failure, attempts)

    def _attempt(self, call: _Call, limiter: RateLimiter) -> httpx.Response | _Failure:
        try:
            response = self._send(call, limiter)
            if response.status_code == 401 and call.policy.auth is Auth.SPOTIFY:
                # Spotify tokens expire (or get revoked) early: renew once and try again.
                self._spotify.invalidate()
                response = self._send(call, limiter)
        except httpx.RequestError as err:  # transport failures, undecodable bodies, redirects
            return _Failure(None, err)
        if response.status_code in RETRY_STATUSES:
            return _Failure(response, None)
        if _truncated(response):
            return _Failure(response, None, truncated=True)
        return response

    def _send(self, call: _Call, limiter: RateLimiter) -> httpx.Response:
        self._acquire(call, limiter)
        headers = {"Accept": call.accept}
        # After the wait (tokens expire); the timeout after the token (fetching one takes time).
        headers.update(self._auth_headers(call.policy, self._time_left(call, self._timeout)))
        timeout = self._time_left(call, call.policy.timeout or self._timeout)
        request = self._http.build_request(
            "GET", call.url, params=call.params, headers=headers, timeout=timeout
        )
        response = self._http.send(request)
        log.debug("%s: GET %s -> %s", call.source, call.shown, response.status_code)
        return response

    # The time budget (only on views made by `within`; the rules are in `sources.deadline`).

    def _acquire(self, call: _Call, limiter: RateLimiter) -> None:
        if self._deadline is None:
            limiter.acquire()
            return
        left = self._time_left(call)
        try:
            limiter.acquire(limit=left)
        except WaitTooLong as late:
            message = budget.slot_too_late(self._deadline, late.wait, left)
            raise OutOfTime(call.source, call.shown, message) from None

    def _time_left(self, call: _Call, timeout: float = float("inf")) -> float:
        """`timeout` cut to the time left of the budget; OutOfTime when none is left."""
        refusal = budget.run_out(self._deadline)
        if refusal is not None:
            raise OutOfTime(call.source, call.shown, refusal)
        return budget.bounded(self._deadline, timeout)

    def _check_in_time(self, call: _Call, failure: _Failure, attempt: int) -> None:
        refusal = budget.ran_out_during(self._deadline, attempt, _what(failure))
        if refusal is not None:
            raise OutOfTime(call.source, call.shown, refusal, _status(failure), attempt)

    def _check_pause(
        self, call: _Call, failure: _Failure, attempt: int, delay: float, reason: str
    ) -> None:
        refusal = budget.pause_too_long(self._deadline, delay, reason)
        if refusal is not None:
            raise OutOfTime(call.source, call.shown, refusal, _status(failure), attempt)

    # Credentials.

    def _check_credentials(self, call: _Call) -> None:
        policy = call.policy
        if policy.auth_required and not self._has_credentials(policy):
            raise AuthError(call.source, call.shown, _missing(policy))

    def _auth_headers(self, policy: SourcePolicy, timeout: float) -> dict[str, str]:
        if policy.auth is Auth.SPOTIFY:
            return {"Authorization": f"Bearer {self._spotify.token(policy, timeout)}"}
        template = AUTH_HEADER_FORMATS.get(policy.auth)
        token = self.credentials.get(policy.credential_envs[0]) if template else None
        return {"Authorization": template.format(token.reveal())} if template and token else {}

    def _has_credentials(self, policy: SourcePolicy) -> bool:
        return self.credentials.has_all(policy.credential_envs)

    def _limiter(self, policy: SourcePolicy) -> RateLimiter:
        return self._limiters.get(policy.name, policy.rate_for(self._has_credentials(policy)))

    # Outcomes.

    def _checked(self, call: _Call, response: httpx.Response) -> httpx.Response:
        status = response.status_code
        if response.is_success:
            return response
        detail = self._server_message(response)
        if status == 404:
            raise NotFound(call.source, call.shown, f"not found{detail}", status)
        if status in (401, 403):
            raise AuthError(call.source, call.shown, self._refusal(call.policy) + detail, status)
        raise UnexpectedStatus(call.source, call.shown, f"unexpected response{detail}", status)

    def _refusal(self, policy: SourcePolicy) -> str:
        if not policy.credential_envs:
            return "access refused"
        if self._has_credentials(policy):
            return f"the credentials were refused; check {_envs(policy)}"
        return _missing(policy)

    def _delay(self, call: _Call, failure: _Failure, attempt: int) -> tuple[float, str]:
        """Seconds before the next attempt and why: the server's Retry-After when it sent one,
        else exponential backoff with jitter (half fixed, half random, so clients spread out)."""
        policy = call.policy
        asked = _retry_after(failure.response, self._clock.time())
        if asked is None:
            step = min(policy.backoff_cap, policy.backoff_base * 2.0 ** (attempt - 1))
            return step / 2 + self._rng() * step / 2, "backoff"
        if asked > policy.max_retry_after:
            kind = RateLimited if _status(failure) == 429 else SourceUnavailable
            message = (
                f"asked to wait {asked:g} s, more than the {policy.max_retry_after:g} s allowed"
            )
            raise kind(call.source, call.shown, message, _status(failure), attempt)
        return asked, "Retry-After"

    def _gave_up(self, call: _Call, failure: _Failure, attempts: int) -> SourceError:
        status, error = _status(failure), failure.error
        tries = f"after {attempts} attempts"
        if failure.truncated or isinstance(error, (httpx.RemoteProtocolError, httpx.DecodingError)):
            unreadable = isinstance(error, httpx.DecodingError)
            reason = "body could not be decoded" if unreadable else "body cut short"
            return BadResponse(call.source, call.shown, f"{reason} {tries}", status, attempts)
        if error is not None:
            reason = self._scrub(f"{type(error).__name__}: {error}")
            return SourceUnavailable(call.source, call.shown, f"{reason} {tries}", None, attempts)
        detail = self._server_message(failure.response) if failure.response else ""
        kind = RateLimited if status == 429 else SourceUnavailable
        return kind(call.source, call.shown, f"gave up {tries}{detail}", status, attempts)

    def _log_failure(self, call: _Call, failure: _Failure, attempt: int, attempts: int) -> None:
        log.warning(
            "%s: GET %s failed (%s), attempt %d of %d",
            call.source,
            call.shown,
            _what(failure),
            attempt,
            attempts,
        )

    def _server_message(self, response: httpx.Response) -> str:
        """': <message>' from the source's JSON error body, or '' when there is none."""
        try:
            body = orjson.loads(response.content)
        except ValueError:
            return ""
        for path in ERROR_MESSAGE_PATHS:
            value: Any = body
            for step in path:
                value = value.get(step) if isinstance(value, dict) else None
            if isinstance(value, str) and value.strip():
                return ": " + self._scrub(value.strip()[:200])
        return ""

    def _shown(self, url: str | httpx.URL) -> str:
        return self._scrub(redact_url(url))

    def _scrub(self, text: str) -> str:
        return scrub(text, self.credentials.revealed() + self._spotify.revealed())


class _SpotifyToken:
    """Spotify's client-credentials flow: POST the client id and secret to the accounts service
    for a bearer token, keep it until shortly before it expires, renew on demand."""

    def __init__(self, http: httpx.Client, clock: Clock, credentials: Credentials) -> None:
        self._http = http
        self._clock = clock
        self._credentials = credentials
        self._token: tuple[str, float] | None = None  # (token, monotonic expiry)
        self._lock = threading.Lock()

    def revealed(self) -> list[str]:
        return [self._token[0]] if self._token else []

    def invalidate(self) -> None:
        with self._lock:
            self._token = None

    def token(self, policy: SourcePolicy, timeout: float) -> str:
        with self._lock:
            now = self._clock.monotonic()
            if self._token is None or self._token[1] <= now:
                self._token = self._fetch(policy, now, timeout)
            return self._token[0]

    def _fetch(self, policy: SourcePolicy, now: float, timeout: float) -> tuple[str, float]:
        client_id, client_secret = (self._credentials.get(e) for e in policy.credential_envs)
        if client_id is None or client_secret is None:
            raise AuthError(policy.name, policy.token_url, _missing(policy))
        pair = f"{client_id.reveal()}:{client_secret.reveal()}".encode()
        headers = {"Authorization": "Basic " + base64.b64encode(pair).decode()}
        try:
            response = self._http.post(
                policy.token_url,
                data={"grant_type": "client_credentials"},
                headers=headers,
                timeout=timeout,
            )
        except httpx.TransportError as err:
            reason = f"token request failed ({type(err).__name__})"
            raise SourceUnavailable(policy.name, policy.token_url, reason) from None
        return _read_token(policy, response, now)


def _read_token(policy: SourcePolicy, response: httpx.Response, now: float) -> tuple[str, float]:
    url = policy.token_url
    if response.status_code in (400, 401, 403):
        reason = f"the accounts service refused the client credentials; check {_envs(policy)}"
        raise AuthError(policy.name, url, reason, response.status_code)
    if not response.is_success:
        raise SourceUnavailable(policy.name, url, "token request failed", response.status_code)
    try:
        body = orjson.loads(response.content)
        token, lifetime = str(body["access_token"]), float(body["expires_in"])
    except (ValueError, KeyError, TypeError):
        raise BadResponse(policy.name, url, "token response without access_token") from None
    return token, now + max(lifetime - TOKEN_MARGIN, 0.0)


def _parse_json(body: bytes) -> Any:
    try:
        return orjson.loads(body)
    except orjson.JSONDecodeError:
        raise ValueError(f"not JSON; the body starts {body[:80]!r}") from None


def _as_bytes(body: bytes) -> bytes:
    return body


def _truncated(response: httpx.Response) -> bool:
    """Fewer bytes than Content-Length promised (only checkable when the body is not encoded)."""
    declared = response.headers.get("content-length", "")
    if not declared.isdigit() or "content-encoding" in response.headers:
        return False
    return int(declared) > len(response.content)


def _retry_after(response: httpx.Response | None, now: float) -> float | None:
    """Retry-After in seconds: delta-seconds or an HTTP-date (RFC 9110 section 10.2.3)."""
    raw = response.headers.get("retry-after", "").strip() if response is not None else ""
    if not raw:
        return None
    if raw.isdigit():
        return float(raw)
    try:
        when = parsedate_to_datetime(raw)
    except (TypeError, ValueError):
        return None  # unreadable: fall back to our own backoff
    return max(when.timestamp() - now, 0.0)


def _status(failure: _Failure) -> int | None:
    return failure.response.status_code if failure.response is not None else None


def _what(failure: _Failure) -> str:
    """A failed attempt in a word or two, for logs and messages."""
    if failure.truncated:
        return "truncated body"
    status = _status(failure)
    return f"HTTP {status}" if status is not None else type(failure.error).__name__


def _envs(policy: SourcePolicy) -> str:
    return " and ".join(policy.credential_envs)


def _missing(policy: SourcePolicy) -> str:
    return f"no token configured for {policy.name}: set {_envs(policy)}"
