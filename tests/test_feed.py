"""The Atom feed (watch/feed.py), read back with feedparser as feed readers read it."""

from __future__ import annotations

from typing import Any

import feedparser  # type: ignore[import-untyped]
from lxml import etree  # type: ignore[import-untyped]

from linernotes.watch.feed import ENTRIES, atom_feed, entry_id
from linernotes.watch.inbox import Notification

BASE = "https://linernotes.example"
SELF = f"{BASE}/feed/secret-token.atom"


def event(event_id: int, title: str = "No Complaints", **extra: Any) -> dict[str, Any]:
    return {
        "id": f"evt_{event_id}",
        "type": "credits.changed",
        "created_at": "2026-03-14T12:00:00.000000+00:00",
        "changed_at": "2026-03-14T11:59:00+00:00",
        "subject": {
            "kind": "recording",
            "id": 570,
            "title": title,
            "artists": ["Metro Boomin", "Offset", "Drake"],
            "path": "/song/570",
        },
        "new_subject": False,
        "changes": [
            {
                "change": "added",
                "person": {"id": 1653, "name": "Șerban Ghenea", "path": "/person/1653"},
                "role": "mixing_engineer",
                "role_label": "Mixing Engineer",
                "family": "engineering",
                "detail": "",
                "previous_role": None,
            }
        ],
        **extra,
    }


def notification(n: int, **extra: Any) -> Notification:
    return Notification(
        id=n,
        account_id=7,
        event_id=100 + n,
        event=event(100 + n, **extra),
        reasons=[{"follow_id": 1, "kind": "artist", "target": {"id": 413, "name": "Metro Boomin"}}],
        created_at=f"2026-03-14T12:{n:02d}:00.000000+00:00",
        read_at=None,
    )


def parse(body: bytes) -> Any:
    parsed = feedparser.parse(body)
    assert not parsed.bozo, parsed.bozo_exception  # well-formed, as a reader sees it
    return parsed


def test_entries_match_the_notifications_newest_first() -> None:
    body = atom_feed([notification(3), notification(2)], account_id=7, base_url=BASE, self_url=SELF)
    parsed = parse(body)
    assert parsed.version == "atom10"
    assert [e.id for e in parsed.entries] == [
        "tag:linernotes.example,2026:event/103",
        "tag:linernotes.example,2026:event/102",
    ]
    first = parsed.entries[0]
    assert first.title == "New credits on “No Complaints” by Metro Boomin, Offset & Drake"
    assert first.link == "https://linernotes.example/song/570"
    assert first.updated == "2026-03-14T12:03:00+00:00"
    assert first.published == "2026-03-14T11:59:00+00:00"
    assert "added: Șerban Ghenea, Mixing Engineer" in first.content[0].value
    assert "you follow Metro Boomin" in first.content[0].value
    assert parsed.feed.updated == "2026-03-14T12:03:00+00:00"
    assert any(link.rel == "self" and link.href == SELF for link in parsed.feed.links)


def test_an_entry_id_is_the_same_on_every_read_and_names_the_event() -> None:
    once = atom_feed([notification(1)], account_id=7, base_url=BASE, self_url=SELF)
    again = atom_feed(
        [notification(2), notification(1)], account_id=7, base_url=BASE, self_url=SELF
    )
    assert parse(once).entries[0].id == parse(again).entries[1].id == entry_id(BASE, 101)


def test_the_feed_holds_the_latest_fifty() -> None:
    many = [notification(n % 60) for n in range(70)]
    assert len(parse(atom_feed(many, account_id=7, base_url=BASE, self_url=SELF)).entries) == (
        ENTRIES
    )


def test_an_empty_feed_is_still_valid_atom() -> None:
    body = atom_feed([], account_id=7, base_url=BASE, self_url=SELF)
    root = etree.fromstring(body)
    assert root.tag == "{http://www.w3.org/2005/Atom}feed"
    parsed = parse(body)
    assert parsed.entries == []
    assert parsed.feed.id == "tag:linernotes.example,2026:feed/7"


def test_titles_say_what_kind_of_change_it_was() -> None:
    removed = notification(1)
    removed.event["changes"][0]["change"] = "removed"
    handles = notification(2, type="handles.changed")
    handles.event["subject"] = {
        "kind": "artist",
        "id": 1653,
        "title": "Șerban Ghenea",
        "artists": [],
        "path": "/person/1653",
    }
    handles.event["changes"] = [
        {
            "change": "added",
            "platform": "instagram",
            "person": {"id": 1653, "name": "Șerban Ghenea", "path": "/person/1653"},
        }
    ]
    new_song = notification(3, new_subject=True)
    parsed = parse(
        atom_feed([new_song, handles, removed], account_id=7, base_url=BASE, self_url=SELF)
    )
    titles = [e.title for e in parsed.entries]
    assert titles == [
        "New song: “No Complaints” by Metro Boomin, Offset & Drake",
        "Handles of Șerban Ghenea changed",
        "Credits removed on “No Complaints” by Metro Boomin, Offset & Drake",
    ]
    assert parsed.entries[1].link == "https://linernotes.example/person/1653"
    assert "Instagram handle" in parsed.entries[1].summary
    assert "@" not in parsed.entries[1].content[0].value  # a handle's text costs a reveal


def test_text_that_looks_like_markup_stays_text() -> None:
    body = atom_feed(
        [notification(1, title="<script>alert(1)</script> & Co")],
        account_id=7,
        base_url=BASE,
        self_url=SELF,
    )
    assert b"<script>" not in body
    assert (
        parse(body).entries[0].title.startswith("New credits on “<script>alert(1)</script> & Co”")
    )
