"""A user's notifications as an Atom 1.0 feed (RFC 4287): a pure function of the notifications.

The feed's address carries a secret token (web/pages_follows.py serves it without a login), so
a feed reader needs no credentials. Each entry is one notification; its id is a tag URI (RFC
4151) built from the event id, so an entry keeps its id however often the feed is read and
whichever address the feed was read at. Links point at the song, album or person page on the
web app's public address (LINERNOTES_BASE_URL).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlsplit

from lxml import etree  # type: ignore[import-untyped]

from linernotes.watch.inbox import Notification

ATOM = "http://www.w3.org/2005/Atom"
XHTML = "http://www.w3.org/1999/xhtml"
TAG_DATE = "2026"  # the year the tag authority first minted these ids; never changes
ENTRIES = 50  # the latest notifications a feed holds
EPOCH = "1970-01-01T00:00:00+00:00"  # an empty feed's `updated`


def _tag_authority(base_url: str) -> str:
    host = urlsplit(base_url).hostname or "linernotes"
    return host.lower()


def entry_id(base_url: str, event_id: int) -> str:
    """The stable id of the entry announcing an event: tag:HOST,2026:event/ID."""
    return f"tag:{_tag_authority(base_url)},{TAG_DATE}:event/{event_id}"


def feed_id(base_url: str, account_id: int) -> str:
    return f"tag:{_tag_authority(base_url)},{TAG_DATE}:feed/{account_id}"


def rfc3339(stamp: str) -> str:
    """A stored time as Atom wants it (RFC 3339, with its offset; naive times are UTC)."""
    try:
        at = datetime.fromisoformat(stamp)
    except ValueError:
        return EPOCH
    if at.tzinfo is None:
        at = at.replace(tzinfo=UTC)
    return at.astimezone(UTC).isoformat(timespec="seconds")


def _el(parent: Any, name: str, text: str | None = None, **attrs: str) -> Any:
    element = etree.SubElement(parent, f"{{{ATOM}}}{name}", **attrs)
    if text is not None:
        element.text = text
    return element


def _people(names: Sequence[object]) -> str:
    shown = [str(n) for n in names if str(n)]
    if len(shown) <= 2:
        return " & ".join(shown)
    return ", ".join(shown[:-1]) + " & " + shown[-1]


def entry_title(event: dict[str, Any]) -> str:
    """One line saying what changed and where: 'New credits on "Song" by Artist'."""
    subject = event.get("subject") or {}
    title = str(subject.get("title") or "")
    by = _people(subject.get("artists") or [])
    if event.get("type") == "handles.changed":
        return f"Handles of {title} changed"
    changes = event.get("changes") or []
    kinds = {str(c.get("change", "")) for c in changes}
    what = (
        "New credits"
        if kinds == {"added"}
        else "Credits removed"
        if kinds == {"removed"}
        else "Credits changed"
    )
    if event.get("new_subject"):
        what = "New " + ("album" if subject.get("kind") == "release" else "song")
        return f"{what}: “{title}”" + (f" by {by}" if by else "")
    return f"{what} on “{title}”" + (f" by {by}" if by else "")


def change_line(change: dict[str, Any]) -> str:
    """A change in words: 'added: Șerban Ghenea, Mixing Engineer'."""
    person = str((change.get("person") or {}).get("name") or "someone")
    verb = str(change.get("change") or "changed")
    if "platform" in change:
        return f"{verb}: {person}’s {str(change['platform']).capitalize()} handle"
    label = str(change.get("role_label") or change.get("role") or "")
    detail = str(change.get("detail") or "")
    line = f"{verb}: {person}, {label}" + (f" ({detail})" if detail else "")
    previous = change.get("previous_role")
    if verb == "corrected" and previous:
        line += f" (was {previous})"
    return line


def _why(reasons: Sequence[dict[str, Any]]) -> str:
    parts = []
    for reason in reasons:
        if reason.get("kind") == "trending":
            parts.append(f"#{reason.get('position')} on {reason.get('chart')} (trending)")
        else:
            target = reason.get("target") or {}
            parts.append(f"you follow {target.get('name') or reason.get('kind')}")
    return "; ".join(parts)


def _content(entry: Any, notification: Notification, link: str) -> None:
    """The changes as an XHTML list (readers show it as is; no HTML escaping games)."""
    content = _el(entry, "content", type="xhtml")
    div = etree.SubElement(content, f"{{{XHTML}}}div")
    items = etree.SubElement(div, f"{{{XHTML}}}ul")
    for change in notification.event.get("changes") or []:
        etree.SubElement(items, f"{{{XHTML}}}li").text = change_line(change)
    why = _why(notification.reasons)
    if why:
        etree.SubElement(div, f"{{{XHTML}}}p").text = f"Why: {why}."
    anchor = etree.SubElement(etree.SubElement(div, f"{{{XHTML}}}p"), f"{{{XHTML}}}a", href=link)
    anchor.text = "See the credits"


def _entry(feed: Any, notification: Notification, base_url: str) -> None:
    event = notification.event
    subject = event.get("subject") or {}
    link = base_url.rstrip("/") + str(subject.get("path") or "/")
    entry = _el(feed, "entry")
    _el(entry, "id", entry_id(base_url, notification.event_id))
    _el(entry, "title", entry_title(event))
    _el(entry, "updated", rfc3339(notification.created_at))
    _el(entry, "published", rfc3339(str(event.get("changed_at") or notification.created_at)))
    _el(entry, "link", rel="alternate", type="text/html", href=link)
    _el(entry, "summary", "; ".join(change_line(c) for c in event.get("changes") or []))
    _content(entry, notification, link)


def atom_feed(
    notifications: Sequence[Notification],
    *,
    account_id: int,
    base_url: str,
    self_url: str,
    title: str = "linernotes: your notifications",
) -> bytes:
    """The latest ENTRIES notifications (newest first, as given) as an Atom document.

    `self_url` is the feed's own address (with its token: the reader already holds it)."""
    feed = etree.Element(f"{{{ATOM}}}feed", nsmap={None: ATOM})
    shown = list(notifications[:ENTRIES])
    _el(feed, "id", feed_id(base_url, account_id))
    _el(feed, "title", title)
    _el(feed, "subtitle", "New credits on the artists, people and records you follow.")
    _el(feed, "updated", max((rfc3339(n.created_at) for n in shown), default=EPOCH))
    _el(feed, "link", rel="self", type="application/atom+xml", href=self_url)
    _el(feed, "link", rel="alternate", type="text/html", href=base_url.rstrip("/") + "/follows")
    author = _el(feed, "author")
    _el(author, "name", "linernotes")
    _el(feed, "generator", "linernotes")
    for notification in shown:
        _entry(feed, notification, base_url)
    result: bytes = etree.tostring(feed, xml_declaration=True, encoding="utf-8")
    return result
