"""Sending due deliveries: claim a batch with a lease, send concurrently, record every attempt.

At least once: a delivery is marked delivered only after its request was answered, in one
transaction per batch with its attempt rows. A worker killed before that leaves its claims
'sending'; when their lease ends (or when a worker of the same name starts again) they are
claimed again and sent again, with the same event id, so a receiver can drop the duplicate. At
most the batch in flight is sent twice.

Order: deliveries to one endpoint are sent one after another, oldest event first, and a newer
one is not claimed while an older one of its endpoint waits for a retry or is held by another
worker. When a receiver is down its first delivery fails, the rest of its group is held behind
it, and once it answers again the backlog goes out in order.

Retries: exponential backoff from 30 s, doubling up to 4 h, with ±20% jitter so retries to a
receiver that came back do not arrive all at once; after 15 attempts (about a day) the delivery
is 'failed'. A 410 Gone from a webhook disables the endpoint (its owner said it is gone for
good): that delivery and the endpoint's other waiting ones become 'failed' at once.
"""

from __future__ import annotations

import asyncio
import os
import random
import signal
from collections.abc import Callable, Coroutine
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from email.message import EmailMessage
from typing import Any, Protocol, TypeVar

import orjson
import uvloop

from linernotes import settings
from linernotes.store.db import Database
from linernotes.watch import http1, webhook
from linernotes.watch.email import Item, digest_message, instant_message
from linernotes.watch.webhook import Outcome

MAX_ATTEMPTS = 15
FIRST_DELAY = timedelta(seconds=30)
LONGEST_DELAY = timedelta(hours=4)
JITTER = 0.2
# Named points where a test makes the worker SIGKILL itself ("after_send" or "after_send:3" for
# the third time there): the crash tests need real deaths at exact places.
CRASH_ENV = "LINERNOTES_CRASH_AT"
T = TypeVar("T")


class Mailer(Protocol):
    def send(self, message: EmailMessage) -> Outcome: ...


def stamp(at: datetime) -> str:
    """Delivery times: ISO 8601 UTC to the microsecond, so text order is time order."""
    return at.isoformat(timespec="microseconds")


def retry_delay(attempt: int, rand: random.Random) -> timedelta:
    """How long after failed attempt number `attempt` (1-based) to try again."""
    base = min(FIRST_DELAY * (1 << min(attempt - 1, 20)), LONGEST_DELAY)
    factor: float = 1 + JITTER * (2 * rand.random() - 1)
    return base * factor


class _Crash:
    """The SIGKILL points (see CRASH_ENV); counts visits (all on the sender's event loop)."""

    def __init__(self, spec: str) -> None:
        name, _, nth = spec.partition(":")
        self.name, self.nth, self.seen = name, int(nth or "1"), 0

    def at(self, point: str) -> None:
        if point != self.name:
            return
        self.seen += 1
        if self.seen >= self.nth:
            os.kill(os.getpid(), signal.SIGKILL)


@dataclass(slots=True)
class Claimed:
    id: int
    notification_id: int
    channel: str
    endpoint_id: int | None
    attempts: int
    account_id: int
    email: str
    mode: str
    event_id: int
    event: dict[str, Any]
    reasons: list[dict[str, Any]]
    url: str
    secret: str
    disabled: bool


@dataclass(slots=True)
class Sent:
    """One request or message and the deliveries it carried (several for a digest)."""

    deliveries: list[Claimed]
    outcome: Outcome
    started_at: str


@dataclass(slots=True)
class GroupResult:
    sent: list[Sent] = field(default_factory=list)
    held: list[Claimed] = field(default_factory=list)  # not tried: an older one failed first
    gone: list[Claimed] = field(default_factory=list)  # endpoint disabled: failed untried


@dataclass(frozen=True, slots=True)
class BatchReport:
    claimed: int
    delivered: int
    failed: int  # attempts that did not deliver (retried later, or given up)
    given_up: int

    def __add__(self, other: BatchReport) -> BatchReport:
        return BatchReport(
            self.claimed + other.claimed,
            self.delivered + other.delivered,
            self.failed + other.failed,
            self.given_up + other.given_up,
        )


EMPTY = BatchReport(0, 0, 0, 0)

_CLAIM = (
    "UPDATE delivery SET state = 'sending', claimed_by = ?, claimed_until = ?"
    " WHERE id IN (SELECT d.id FROM delivery d"
    " WHERE d.state IN ('pending', 'sending') AND d.due_at <= ?"
    " AND (d.claimed_until IS NULL OR d.claimed_until < ? OR d.claimed_by = ?)"
    # Per-endpoint order: not while an older one of its endpoint waits or is held elsewhere.
    " AND NOT EXISTS (SELECT 1 FROM delivery o WHERE o.endpoint_id = d.endpoint_id"
    " AND o.id < d.id AND o.state IN ('pending', 'sending')"
    " AND (o.due_at > ? OR (o.claimed_until >= ? AND o.claimed_by <> ?)))"
    " ORDER BY d.due_at, d.id LIMIT ?{lock})"
    " RETURNING id"
)
_LOCK = {"postgresql": " FOR UPDATE SKIP LOCKED", "sqlite": ""}

_DETAILS = (
    "SELECT d.id, d.notification_id, d.channel, d.endpoint_id, d.attempts, n.account_id,"
    " a.email, coalesce(s.mode, 'instant'), n.event_id, e.summary, n.reasons,"
    " coalesce(w.url, ''), coalesce(w.secret, ''), w.disabled_at"
    " FROM delivery d JOIN notification n ON n.id = d.notification_id"
    " JOIN account a ON a.id = n.account_id JOIN watch_event e ON e.id = n.event_id"
    " LEFT JOIN notify_setting s ON s.account_id = n.account_id"
    " LEFT JOIN webhook_endpoint w ON w.id = d.endpoint_id"
    " WHERE d.id IN ({marks})"
)


def claim(db: Database, worker: str, now: datetime, limit: int, lease: timedelta) -> list[Claimed]:
    """Up to `limit` due deliveries, now 'sending' for `worker` until the lease ends."""
    at = stamp(now)
    query = _CLAIM.format(lock=_LOCK[db.dialect])
    rows = db.execute(query, (worker, stamp(now + lease), at, at, worker, at, at, worker, limit))
    ids = [int(r[0]) for r in rows]
    found: list[Claimed] = []
    for chunk in (ids[i : i + 500] for i in range(0, len(ids), 500)):
        marks = ", ".join("?" * len(chunk))
        found += [_claimed(r) for r in db.execute(_DETAILS.format(marks=marks), chunk)]
    return sorted(found, key=lambda c: (c.event_id, c.id))


def _claimed(r: tuple[Any, ...]) -> Claimed:
    return Claimed(
        id=int(r[0]),
        notification_id=int(r[1]),
        channel=str(r[2]),
        endpoint_id=None if r[3] is None else int(r[3]),
        attempts=int(r[4]),
        account_id=int(r[5]),
        email=str(r[6]),
        mode=str(r[7]),
        event_id=int(r[8]),
        event=orjson.loads(r[9]),
        reasons=orjson.loads(r[10]),
        url=str(r[11]),
        secret=str(r[12]),
        disabled=r[13] is not None,
    )


def groups(claimed: list[Claimed]) -> list[list[Claimed]]:
    """Deliveries sent one after another: per webhook endpoint, per account's mailbox."""
    out: dict[tuple[str, int], list[Claimed]] = {}
    for c in claimed:
        key = (c.channel, c.endpoint_id if c.endpoint_id is not None else c.account_id)
        out.setdefault(key, []).append(c)
    return list(out.values())


@dataclass
class Sender:
    """What sending needs: the pool, a mailer (None: email is not configured), the clock. Sends
    run on an event loop of the sender's own (uvloop), kept between batches so connections are
    reused; the rest of the worker stays synchronous."""

    pool: http1.Pool
    mailer: Mailer | None
    wall: Callable[[], datetime]
    timeout: float
    base_url: str = field(default_factory=settings.BASE_URL.value)
    crash: _Crash = field(default_factory=lambda: _Crash(os.environ.get(CRASH_ENV, "")))
    loop: asyncio.Runner = field(
        default_factory=lambda: asyncio.Runner(loop_factory=uvloop.new_event_loop)
    )

    def run(self, work: Coroutine[Any, Any, T]) -> T:
        return self.loop.run(work)

    def close(self) -> None:
        self.run(self._close_pool())
        self.loop.close()

    async def _close_pool(self) -> None:
        self.pool.close()
        await asyncio.sleep(0)  # the transports finish closing on their own loop

    def __enter__(self) -> Sender:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    async def group(self, members: list[Claimed]) -> GroupResult:
        result = GroupResult()
        if members[0].disabled:
            result.gone = members
            return result
        daily = members[0].mode == "daily"
        units = [members] if daily else [[m] for m in members]
        for i, unit in enumerate(units):
            self.crash.at("before_send")
            started = stamp(self.wall())
            outcome = await self._send(unit, daily)
            self.crash.at("after_send")
            result.sent.append(Sent(unit, outcome, started))
            if not outcome.ok and unit[0].channel == "webhook":
                result.held = [m for rest in units[i + 1 :] for m in rest]
                break
        return result

    async def _send(self, unit: list[Claimed], daily: bool) -> Outcome:
        if unit[0].channel == "email":
            # smtplib blocks: on a thread, so webhooks keep going meanwhile.
            return await asyncio.to_thread(self._mail, unit, daily)
        now = self.wall()
        sent_at = stamp(now)
        bodies = [webhook.event_body(c.event, c.reasons, c.notification_id, sent_at) for c in unit]
        if daily:
            msg_id = "dgst_" + "_".join(str(c.id) for c in unit[:1]) + f"_{len(unit)}"
            body = webhook.digest_body(msg_id, bodies, sent_at)
        else:
            msg_id, body = str(unit[0].event["id"]), bodies[0]
        content = webhook.dumps(body)
        headers = webhook.signed_headers(unit[0].secret, msg_id, content, now.timestamp())
        return await webhook.post(self.pool, unit[0].url, content, headers, self.timeout)

    def _mail(self, unit: list[Claimed], daily: bool) -> Outcome:
        if self.mailer is None:
            return Outcome("error", None, "email is not configured (LINERNOTES_SMTP_HOST)", 0)
        items = [Item(c.event, c.reasons) for c in unit]
        to = unit[0].email
        if daily:
            message = digest_message(to, items, self.base_url)
        else:
            message = instant_message(to, items[0], self.base_url)
        return self.mailer.send(message)


async def send_batch(sender: Sender, claimed: list[Claimed], in_flight: int) -> list[GroupResult]:
    """Send every group, up to `in_flight` groups side by side; results in group order."""
    parts = groups(claimed)
    gate = asyncio.Semaphore(max(in_flight, 1))
    half, sent = (len(claimed) + 1) // 2, 0

    async def one(part: list[Claimed]) -> GroupResult:
        nonlocal sent
        async with gate:
            result = await sender.group(part)
        sent += sum(len(s.deliveries) for s in result.sent)
        if sent >= half:
            sender.crash.at("mid_batch")
        return result

    return list(await asyncio.gather(*(one(p) for p in parts)))


def record(
    db: Database, worker: str, results: list[GroupResult], now: datetime, rand: random.Random
) -> BatchReport:
    """Write what the batch came to, in one transaction: attempts, states, retries."""
    delivered = failed = given_up = 0
    attempts: list[tuple[Any, ...]] = []
    updates: list[tuple[Any, ...]] = []
    at = stamp(now)
    with db.transaction():
        for result in results:
            retry_at, endpoint_gone = at, False
            for sent in result.sent:
                o = sent.outcome
                for c in sent.deliveries:
                    number = c.attempts + 1
                    attempts.append(
                        (c.id, number, worker, sent.started_at, o.duration_ms, o.outcome,
                         o.status_code, o.error)
                    )  # fmt: skip
                    if o.ok:
                        delivered += 1
                        updates.append(("delivered", None, number, "", None, at, c.id))
                        continue
                    failed += 1
                    gone = o.status_code == 410 and c.channel == "webhook"
                    if gone or number >= MAX_ATTEMPTS:
                        given_up += 1
                        updates.append(("failed", at, number, o.error, None, None, c.id))
                        if gone and c.endpoint_id is not None:
                            _disable(db, c.endpoint_id, at)
                            endpoint_gone = True
                        continue
                    retry_at = stamp(now + retry_delay(number, rand))
                    updates.append(("pending", retry_at, number, o.error, None, None, c.id))
            if endpoint_gone:
                result.gone, result.held = result.gone + result.held, []
            for c in result.held:  # untried: due with the failed one, after it in order
                updates.append(("pending", retry_at, c.attempts, "", None, None, c.id))
            for c in result.gone:
                given_up += 1
                note = "the endpoint is disabled"
                updates.append(("failed", at, c.attempts, note, None, None, c.id))
        db.executemany(
            "INSERT INTO delivery_attempt (delivery_id, attempt, worker, started_at, duration_ms,"
            " outcome, status_code, error) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            attempts,
        )
        db.executemany(
            "UPDATE delivery SET state = ?, due_at = coalesce(?, due_at), attempts = ?,"
            " last_error = ?,"
            " claimed_until = ?, delivered_at = ?, claimed_by = '' WHERE id = ?",
            updates,
        )
    claimed = sum(len(s.deliveries) for r in results for s in r.sent)
    claimed += sum(len(r.held) + len(r.gone) for r in results)
    return BatchReport(claimed, delivered, failed, given_up)


def _disable(db: Database, endpoint_id: int, at: str) -> None:
    """410 Gone: the endpoint is disabled and what it still had waiting fails with it."""
    db.execute(
        "UPDATE webhook_endpoint SET disabled_at = ? WHERE id = ? AND disabled_at IS NULL",
        (at, endpoint_id),
    )
    db.execute(
        "UPDATE delivery SET state = 'failed', last_error = ? WHERE endpoint_id = ?"
        " AND state = 'pending'",
        ("the endpoint answered 410 Gone and was disabled", endpoint_id),
    )


@dataclass(frozen=True, slots=True)
class AttemptView:
    """One line of an account's delivery log."""

    delivery_id: int
    channel: str
    target: str  # the webhook's URL, or "email"
    event_id: int
    attempt: int
    started_at: str
    duration_ms: int
    outcome: str
    status_code: int | None
    error: str
    state: str  # the delivery's state now


def attempts(db: Database, account_id: int, limit: int = 50) -> list[AttemptView]:
    """The account's latest delivery attempts, newest first."""
    rows = db.execute(
        "SELECT t.delivery_id, d.channel, coalesce(w.url, 'email'), n.event_id, t.attempt,"
        " t.started_at, t.duration_ms, t.outcome, t.status_code, t.error, d.state"
        " FROM delivery_attempt t JOIN delivery d ON d.id = t.delivery_id"
        " JOIN notification n ON n.id = d.notification_id"
        " LEFT JOIN webhook_endpoint w ON w.id = d.endpoint_id"
        f" WHERE n.account_id = ? ORDER BY t.id DESC LIMIT {int(limit)}",
        (account_id,),
    )
    return [
        AttemptView(
            int(r[0]),
            str(r[1]),
            str(r[2]),
            int(r[3]),
            int(r[4]),
            str(r[5]),
            int(r[6]),
            str(r[7]),
            None if r[8] is None else int(r[8]),
            str(r[9]),
            str(r[10]),
        )
        for r in rows
    ]


def run_once(
    db: Database,
    sender: Sender,
    worker: str,
    *,
    limit: int = 500,
    in_flight: int = 16,
    lease: timedelta = timedelta(minutes=5),
    rand: random.Random | None = None,
) -> BatchReport:
    """Claim one batch, send it, record it."""
    claimed = claim(db, worker, sender.wall(), limit, lease)
    if not claimed:
        return EMPTY
    results = sender.run(send_batch(sender, claimed, in_flight))
    return record(db, worker, results, sender.wall(), rand or random.Random())
