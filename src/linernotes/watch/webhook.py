"""Webhook requests: Standard Webhooks bodies and signatures, and one POST through a checked pool.

Signing follows Standard Webhooks (standardwebhooks.com), so receivers can use its libraries:
`webhook-id` is the event id (stable across retries, for dropping duplicates), `webhook-timestamp`
the send time in seconds, and `webhook-signature` is "v1," + base64 of HMAC-SHA256 keyed with the
secret's bytes over "{id}.{timestamp}.{body}".

Redirects are not followed, as Stripe and Svix do not: a 3xx is a failed attempt recorded with
its Location. Following one would let a public name send us on to a private address, and a
receiver that moved should have its URL changed by its owner.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import orjson

from linernotes import settings
from linernotes.watch.address import Policy
from linernotes.watch.http1 import Failure, Pool, Response

SECRET_PREFIX = "whsec_"
USER_AGENT = "linernotes-webhooks/1"


def secret_key(secret: str) -> bytes:
    """The HMAC key a "whsec_<base64>" secret stands for."""
    return base64.b64decode(secret.removeprefix(SECRET_PREFIX))


def signature(secret: str, msg_id: str, timestamp: int, body: bytes) -> str:
    """The webhook-signature header's value."""
    signed = f"{msg_id}.{timestamp}.".encode() + body
    digest = hmac.new(secret_key(secret), signed, hashlib.sha256).digest()
    return "v1," + base64.b64encode(digest).decode()


def verify(secret: str, headers: dict[str, str], body: bytes) -> bool:
    """Whether a request carries a valid signature (what a receiver checks)."""
    try:
        msg_id, stamp = headers["webhook-id"], int(headers["webhook-timestamp"])
    except (KeyError, ValueError):
        return False
    expected = signature(secret, msg_id, stamp, body)
    offered = headers.get("webhook-signature", "").split()
    return any(hmac.compare_digest(expected, value) for value in offered)


def event_body(
    event: dict[str, Any], reasons: list[dict[str, Any]], notification_id: int, sent_at: str
) -> dict[str, Any]:
    """The JSON one instant notification sends."""
    return {
        "id": event["id"],
        "type": event["type"],
        "timestamp": sent_at,
        "data": event,
        "reasons": reasons,
        "notification_id": notification_id,
    }


def digest_body(digest_id: str, items: list[dict[str, Any]], sent_at: str) -> dict[str, Any]:
    """One request for a daily digest: `items` are event bodies (event_body's shape)."""
    return {"id": digest_id, "type": "digest", "timestamp": sent_at, "events": items}


def signed_headers(secret: str, msg_id: str, body: bytes, now: float) -> list[tuple[str, str]]:
    stamp = int(now)
    return [
        ("Content-Type", "application/json"),
        ("User-Agent", USER_AGENT),
        ("webhook-id", msg_id),
        ("webhook-timestamp", str(stamp)),
        ("webhook-signature", signature(secret, msg_id, stamp, body)),
    ]


@dataclass(frozen=True, slots=True)
class Outcome:
    """What one attempt came to, as delivery_attempt records it."""

    outcome: str  # delivered, rejected (an HTTP status), refused, timeout, error
    status_code: int | None
    error: str
    duration_ms: int

    @property
    def ok(self) -> bool:
        return self.outcome == "delivered"


def new_pool(policy: Policy, size: int = 64) -> Pool:
    """Connections reused across deliveries (up to `size` kept open an origin), every one
    opened to an address the policy checked."""
    return Pool(policy, keep=size)


def timeout_setting() -> float:
    """LINERNOTES_WEBHOOK_TIMEOUT in seconds; ValueError naming the setting when it is bad."""
    raw = settings.WEBHOOK_TIMEOUT.value()
    try:
        value = float(raw)
    except ValueError:
        value = -1.0
    if not 0 < value <= 300:
        raise ValueError(f"{settings.WEBHOOK_TIMEOUT.env}={raw!r}: seconds from 0 to 300")
    return value


async def post(
    pool: Pool,
    url: str,
    body: bytes,
    headers: list[tuple[str, str]],
    timeout: float,
    clock: Callable[[], float] = time.monotonic,
) -> Outcome:
    """POST once; any 2xx is delivered. Never raises for the receiver's faults."""
    started = clock()

    def done(outcome: str, status: int | None, error: str) -> Outcome:
        return Outcome(outcome, status, error, int((clock() - started) * 1000))

    try:
        response = await pool.post(url, body, headers, timeout)
    except Failure as failure:
        return done(failure.kind, None, str(failure))
    except TimeoutError:
        return done("timeout", None, f"no answer within {timeout:g} s")
    status = response.status
    if 200 <= status < 300:
        return done("delivered", status, "")
    return done("rejected", status, _rejection(response))


def _rejection(response: Response) -> str:
    if 300 <= response.status < 400:
        location = response.header("location")
        return f"redirect to {location or '(no Location)'} not followed: update the webhook's URL"
    text = response.body[:200].decode("utf-8", "replace").strip()
    return f"HTTP {response.status}" + (f": {text}" if text else "")


def dumps(value: dict[str, Any]) -> bytes:
    return orjson.dumps(value)
