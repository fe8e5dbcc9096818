"""A user's side of notifications: the notifications themselves (in-app list and feed), how they
want to be told (instant or daily, email or not, the feed's secret address), and their webhook
endpoints. Only SQL and shape checks; the address policy for webhooks is watch/address.py's.
"""

from __future__ import annotations

import base64
import json
import secrets
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from linernotes.store.db import Database, Row, now_iso

MODES = ("instant", "daily")


@dataclass(frozen=True, slots=True)
class Notification:
    id: int
    account_id: int
    event_id: int
    event: dict[str, Any]  # the event JSON (watch/events.py)
    reasons: list[dict[str, Any]]  # which follows matched
    created_at: str
    read_at: str | None


def _notification(row: Row) -> Notification:
    event: dict[str, Any] = json.loads(str(row[3]))
    reasons: list[dict[str, Any]] = json.loads(str(row[4]))
    return Notification(
        id=int(row[0]),
        account_id=int(row[1]),
        event_id=int(row[2]),
        event=event,
        reasons=reasons,
        created_at=str(row[5]),
        read_at=None if row[6] is None else str(row[6]),
    )


def notifications(
    db: Database,
    account_id: int,
    *,
    limit: int = 50,
    before: int | None = None,
    unread_only: bool = False,
) -> list[Notification]:
    """Newest first; `before` (a notification id) pages back."""
    where = ["n.account_id = ?"]
    params: list[Any] = [account_id]
    if before is not None:
        where.append("n.id < ?")
        params.append(before)
    if unread_only:
        where.append("n.read_at IS NULL")
    rows = db.execute(
        "SELECT n.id, n.account_id, n.event_id, e.summary, n.reasons, n.created_at, n.read_at"
        " FROM notification n JOIN watch_event e ON e.id = n.event_id"
        f" WHERE {' AND '.join(where)} ORDER BY n.id DESC LIMIT ?",
        (*params, limit),
    )
    return [_notification(r) for r in rows]


def notification_by_id(db: Database, account_id: int, notification_id: int) -> Notification | None:
    row = db.one(
        "SELECT n.id, n.account_id, n.event_id, e.summary, n.reasons, n.created_at, n.read_at"
        " FROM notification n JOIN watch_event e ON e.id = n.event_id"
        " WHERE n.id = ? AND n.account_id = ?",
        (notification_id, account_id),
    )
    return None if row is None else _notification(row)


def unread_count(db: Database, account_id: int) -> int:
    row = db.one(
        "SELECT count(*) FROM notification WHERE account_id = ? AND read_at IS NULL",
        (account_id,),
    )
    return int(row[0]) if row else 0


def mark_read(db: Database, account_id: int, ids: list[int] | None, at: str) -> int:
    """Mark these (None: all) of the account's unread notifications read; how many were."""
    if ids is None:
        rows = db.execute(
            "UPDATE notification SET read_at = ? WHERE account_id = ? AND read_at IS NULL"
            " RETURNING id",
            (at, account_id),
        )
        return len(rows)
    if not ids:
        return 0
    marks = ", ".join("?" for _ in ids)
    rows = db.execute(
        "UPDATE notification SET read_at = ? WHERE account_id = ? AND read_at IS NULL"
        f" AND id IN ({marks}) RETURNING id",
        (at, account_id, *ids),
    )
    return len(rows)


# Settings -------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class NotifySettings:
    mode: str  # instant | daily
    digest_hour: int  # 0..23, UTC: when a daily digest goes out
    email: bool
    feed_token: str  # the secret in the Atom feed's address


def _new_token() -> str:
    return secrets.token_urlsafe(24)


def notify_settings(db: Database, account_id: int) -> NotifySettings:
    """The account's settings; the row (with a new feed token) is made on first use."""
    row = db.one(
        "SELECT mode, digest_hour, email, feed_token FROM notify_setting WHERE account_id = ?",
        (account_id,),
    )
    if row is None:
        db.execute(
            "INSERT INTO notify_setting (account_id, feed_token) VALUES (?, ?)"
            " ON CONFLICT (account_id) DO NOTHING",
            (account_id, _new_token()),
        )
        return notify_settings(db, account_id)
    return NotifySettings(str(row[0]), int(row[1]), bool(row[2]), str(row[3]))


def set_notify_settings(
    db: Database,
    account_id: int,
    *,
    mode: str | None = None,
    digest_hour: int | None = None,
    email: bool | None = None,
) -> NotifySettings:
    """Change what is given; ValueError (saying which value and why) on a bad one."""
    if mode is not None and mode not in MODES:
        raise ValueError(f"mode must be one of {', '.join(MODES)}, got {mode!r}")
    if digest_hour is not None and (
        isinstance(digest_hour, bool)
        or not isinstance(digest_hour, int)
        or not 0 <= digest_hour <= 23
    ):
        raise ValueError(f"digest_hour must be a whole hour 0..23 (UTC), got {digest_hour!r}")
    current = notify_settings(db, account_id)
    db.execute(
        "UPDATE notify_setting SET mode = ?, digest_hour = ?, email = ? WHERE account_id = ?",
        (
            current.mode if mode is None else mode,
            current.digest_hour if digest_hour is None else digest_hour,
            int(current.email if email is None else email),
            account_id,
        ),
    )
    return notify_settings(db, account_id)


def reset_feed_token(db: Database, account_id: int) -> str:
    """A new feed address: the old one stops working at once."""
    notify_settings(db, account_id)
    token = _new_token()
    db.execute("UPDATE notify_setting SET feed_token = ? WHERE account_id = ?", (token, account_id))
    return token


def account_by_feed_token(db: Database, token: str) -> int | None:
    if not token:
        return None
    row = db.one("SELECT account_id FROM notify_setting WHERE feed_token = ?", (token,))
    return None if row is None else int(row[0])


# Webhook endpoints ----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Endpoint:
    id: int
    account_id: int
    url: str
    secret: str  # "whsec_" + base64: the Standard Webhooks secret format
    created_at: str
    disabled_at: str | None

    @property
    def active(self) -> bool:
        return self.disabled_at is None


_ENDPOINT = "SELECT id, account_id, url, secret, created_at, disabled_at FROM webhook_endpoint"


def _endpoint(row: Row) -> Endpoint:
    return Endpoint(
        int(row[0]),
        int(row[1]),
        str(row[2]),
        str(row[3]),
        str(row[4]),
        None if row[5] is None else str(row[5]),
    )


def check_url_shape(url: str) -> None:
    """http or https, a host, no user:password in it; ValueError saying what is wrong. Where the
    address leads (private, loopback) is checked by watch/address.py."""
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as error:
        raise ValueError(f"webhook URL {url!r} is not a valid URL: {error}") from None
    if parts.scheme not in ("http", "https"):
        raise ValueError(f"webhook URL {url!r} must start with http:// or https://")
    if not parts.hostname:
        raise ValueError(f"webhook URL {url!r} has no host")
    if parts.username is not None or parts.password is not None:
        raise ValueError(f"webhook URL {url!r} must not carry a user or password")
    if port == 0:
        raise ValueError(f"webhook URL {url!r} has port 0")
    if any(c.isspace() for c in url):
        raise ValueError(f"webhook URL {url!r} contains white space")


def new_secret() -> str:
    return "whsec_" + base64.b64encode(secrets.token_bytes(24)).decode("ascii")


def add_endpoint(db: Database, account_id: int, url: str, at: str | None = None) -> Endpoint:
    """A new endpoint with a new signing secret; adding a URL again returns the existing one."""
    check_url_shape(url)
    with db.transaction():
        db.execute(
            "INSERT INTO webhook_endpoint (account_id, url, secret, created_at)"
            " VALUES (?, ?, ?, ?) ON CONFLICT (account_id, url) DO NOTHING",
            (account_id, url, new_secret(), at or now_iso()),
        )
        row = db.one(f"{_ENDPOINT} WHERE account_id = ? AND url = ?", (account_id, url))
    assert row is not None
    return _endpoint(row)


def endpoints(db: Database, account_id: int) -> list[Endpoint]:
    return [
        _endpoint(r)
        for r in db.execute(f"{_ENDPOINT} WHERE account_id = ? ORDER BY id", (account_id,))
    ]


def endpoint_by_id(db: Database, endpoint_id: int) -> Endpoint | None:
    row = db.one(f"{_ENDPOINT} WHERE id = ?", (endpoint_id,))
    return None if row is None else _endpoint(row)


def remove_endpoint(db: Database, account_id: int, endpoint_id: int) -> bool:
    """Remove it (its pending deliveries go with it); False when the account has no such one."""
    rows = db.execute(
        "DELETE FROM webhook_endpoint WHERE id = ? AND account_id = ? RETURNING id",
        (endpoint_id, account_id),
    )
    return bool(rows)


def disable_endpoint(db: Database, endpoint_id: int, at: str) -> None:
    """Stop sending to it (kept, so its delivery log stays readable)."""
    db.execute(
        "UPDATE webhook_endpoint SET disabled_at = ? WHERE id = ? AND disabled_at IS NULL",
        (at, endpoint_id),
    )
