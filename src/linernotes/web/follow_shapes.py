"""What the follow and notify faces (API, pages, CLI) share: follows, notifications and webhooks
as JSON, where a followed thing's page is, the feed's address, and adding a webhook under the
address policy (watch/address.py), so the three faces refuse the same URLs with the same words.
"""

from __future__ import annotations

from typing import Any

from linernotes import settings
from linernotes.store.db import Database
from linernotes.watch import address, inbox
from linernotes.watch.follows import Follow
from linernotes.watch.inbox import Endpoint, Notification, NotifySettings
from linernotes.watch.trending import TrendingRecord, latest_date, trending

PAGES = {"artist": "/artist", "person": "/person", "release": "/album"}
RESOURCES = {
    "artist": "/api/v1/artists/{id}",
    "person": "/api/v1/people/{id}",
    "release": "/api/v1/releases/{id}/credits",
}
KIND_WORDS = {"artist": "artist", "person": "person", "release": "album", "trending": "trending"}


class WebhookExists(ValueError):
    """The account has a webhook at this URL already (its secret is not shown again)."""


def base_url() -> str:
    return settings.BASE_URL.value().rstrip("/")


def feed_path(token: str) -> str:
    return f"/feed/{token}.atom"


def feed_url(token: str) -> str:
    return base_url() + feed_path(token)


def target_page(kind: str, target_id: int) -> str | None:
    prefix = PAGES.get(kind)
    return f"{prefix}/{target_id}" if prefix else None


def follow_json(follow: Follow) -> dict[str, Any]:
    resource = RESOURCES.get(follow.kind)
    return {
        "id": follow.id,
        "kind": follow.kind,
        "target_id": follow.target_id,
        "target_name": follow.target_name,
        "chart": follow.chart,
        "top_n": follow.top_n,
        "created_at": follow.created_at,
        "page": target_page(follow.kind, follow.target_id),
        "url": resource.format(id=follow.target_id) if resource else None,
    }


def follow_label(follow: Follow) -> str:
    """A follow in words: 'artist Metro Boomin', 'trending: top 10 of Billboard Hot 100'."""
    if follow.kind == "trending":
        return f"trending: top {follow.top_n} of {follow.chart}"
    return f"{KIND_WORDS[follow.kind]} {follow.target_name or '#' + str(follow.target_id)}"


def event_page(notification: Notification) -> str:
    subject = notification.event.get("subject") or {}
    return str(subject.get("path") or "/follows")


def notification_json(notification: Notification) -> dict[str, Any]:
    return {
        "id": notification.id,
        "event": notification.event,
        "reasons": notification.reasons,
        "created_at": notification.created_at,
        "read_at": notification.read_at,
        "read": notification.read_at is not None,
        "page": event_page(notification),
    }


def settings_json(found: NotifySettings) -> dict[str, Any]:
    return {
        "mode": found.mode,
        "digest_hour": found.digest_hour,
        "email": found.email,
        "feed_url": feed_url(found.feed_token),
    }


def webhook_json(endpoint: Endpoint, *, with_secret: bool = False) -> dict[str, Any]:
    out: dict[str, Any] = {
        "id": endpoint.id,
        "url": endpoint.url,
        "created_at": endpoint.created_at,
        "disabled_at": endpoint.disabled_at,
        "active": endpoint.disabled_at is None,
    }
    if with_secret:
        out["secret"] = endpoint.secret
    return out


def add_webhook(
    db: Database, account_id: int, url: str, policy: address.Policy | None = None
) -> Endpoint:
    """A new webhook endpoint, its URL checked for shape and then for where it leads (a private,
    loopback or link-local address is refused unless the settings allow its network).

    ValueError (AddressRefused is one) with a message saying what is wrong; WebhookExists when
    the account has this URL already."""
    url = url.strip()
    inbox.check_url_shape(url)
    used = policy or address.default_policy()
    address.check_url(url, used.allow, used.resolve)
    if any(e.url == url for e in inbox.endpoints(db, account_id)):
        raise WebhookExists(f"you have a webhook at {url} already (remove it to get a new secret)")
    return inbox.add_endpoint(db, account_id, url)


def trending_json(record: TrendingRecord) -> dict[str, Any]:
    """One trending record: its place in the chart's latest top and, when the catalog holds the
    recording, its page and API resource."""
    held = record.recording_id is not None
    return {
        "position": record.position,
        "recording_id": record.recording_id,
        "title": record.title,
        "artist": record.artist,
        "streams": record.streams,
        "page": f"/song/{record.recording_id}" if held else None,
        "url": f"/api/v1/recordings/{record.recording_id}/credits" if held else None,
    }


def trending_answer(db: Database, chart: str, top_n: int) -> dict[str, Any]:
    """A chart's trending records, as the CLI's --json and the API give them."""
    found = trending(db, chart, top_n)
    return {
        "chart": chart,
        "date": found[0].date if found else latest_date(db, chart),
        "top_n": top_n,
        "records": [trending_json(r) for r in found],
    }
