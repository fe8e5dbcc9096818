"""Change events: what the change log holds after real writes, and how it is grouped."""

from __future__ import annotations

import gzip
import json
from pathlib import Path
from typing import Any

from linernotes.ingest import readers
from linernotes.ingest.pipeline import ingest
from linernotes.normalize.genius import SNAPSHOT_RETRIEVED
from linernotes.normalize.records import EntityKind
from linernotes.store.catalog import Catalog
from linernotes.store.db import Database
from linernotes.store.merge import merge
from linernotes.watch import events, follows
from watch_support import (
    NOW,
    credit,
    entity,
    fake_love_payload,
    new_user,
    pending_changes,
    uncredit,
)


def _write_song(folder: Path, song: dict[str, Any]) -> Path:
    path = folder / f"genius-api-song_{song['id']}.json.gz"
    with gzip.open(path, "wt", encoding="utf-8") as f:
        json.dump(song, f)
    return path


def _ingest_song(db: Database, folder: Path, song: dict[str, Any]) -> None:
    report = ingest(db, readers.genius_api_files([_write_song(folder, song)], SNAPSHOT_RETRIEVED))
    assert report.written == 1, report


def _names(
    db: Database, rows: list[tuple[str, str, int, str, str, str, int]]
) -> set[tuple[str, str, str]]:
    found = set()
    for change, _what, artist_id, role, _detail, _kind, _subject in rows:
        name = db.one("SELECT name FROM artist WHERE id = ?", (artist_id,))
        assert name is not None
        found.add((change, str(name[0]), role))
    return found


def _credited(song: dict[str, Any], key: str) -> set[str]:
    return {a["name"] for a in song[key]}


def test_a_changed_genius_response_logs_exactly_its_changes(empty: Catalog, tmp_path: Path) -> None:
    db = empty.db
    song = fake_love_payload()
    _ingest_song(db, tmp_path, song)
    first = _names(db, pending_changes(db))
    expected = (
        {("added", n, "producer") for n in _credited(song, "producer_artists")}
        | {("added", n, "songwriter") for n in _credited(song, "writer_artists")}
        | {("added", song["primary_artist"]["name"], "main_artist")}
    )
    assert first == expected
    events.skip_pending(db)
    # Genius corrects the song: Vinylz is no longer a producer, Starrah produced it, and a new
    # person wrote on it.
    changed = json.loads(json.dumps(song))
    starrah = next(a for a in song["writer_artists"] if a["name"] == "Starrah")
    changed["producer_artists"] = [
        *(a for a in song["producer_artists"] if a["name"] != "Vinylz"),
        starrah,
    ]
    newcomer = {
        **starrah,
        "id": 99999901,
        "name": "A. Newcomer",
        "api_path": "/artists/99999901",
        "url": "https://genius.com/artists/A-newcomer",
    }
    changed["writer_artists"] = [
        *(a for a in song["writer_artists"] if a["name"] != "Starrah"),
        newcomer,
    ]
    again = tmp_path / "again"
    again.mkdir()
    _ingest_song(db, again, changed)
    assert _names(db, pending_changes(db)) == {
        ("removed", "Vinylz", "producer"),
        ("added", "Starrah", "producer"),
        ("removed", "Starrah", "songwriter"),
        ("added", "A. Newcomer", "songwriter"),
    }
    made = events.group(db, NOW)
    assert [e.subject_kind for e in made.events] == ["recording"]
    summary = events.event_summary(db, made.events[0].id)
    assert summary is not None
    assert summary["id"] == f"evt_{made.events[0].id}"
    assert summary["type"] == "credits.changed"
    assert summary["subject"]["title"] == "Fake Love"
    assert summary["subject"]["artists"] == ["Drake"]
    assert summary["new_subject"] is False
    told = [
        (c["change"], c["person"]["name"], c["role"], c["previous_role"])
        for c in summary["changes"]
    ]
    assert told == [
        ("corrected", "Starrah", "producer", "songwriter"),
        ("removed", "Vinylz", "producer", None),
        ("added", "A. Newcomer", "songwriter", None),
    ]
    assert pending_changes(db) == []  # the cursor moved past them
    assert events.group(db, NOW).events == []


def test_an_unchanged_response_logs_nothing(empty: Catalog, tmp_path: Path) -> None:
    db = empty.db
    song = fake_love_payload()
    _ingest_song(db, tmp_path, song)
    events.skip_pending(db)
    # Another release date: the record is written again, its credits are the same.
    again = {**song, "release_date": "2016-10-24", "release_date_for_display": "October 24, 2016"}
    (tmp_path / "b").mkdir()
    _ingest_song(db, tmp_path / "b", again)
    assert pending_changes(db) == []


# Grouping, on hand-made credits: the triggers log whatever writes credits.


def test_one_event_per_subject_netted_and_named_at_grouping(empty: Catalog) -> None:
    db = empty.db
    drake, vinylz, dukes = (entity(db, "artist", n) for n in ("Drake", "Vinylz", "Frank Dukes"))
    song, other = entity(db, "recording", "Fake Love"), entity(db, "recording", "Other")
    album = entity(db, "release", "More Life")
    credit(db, drake, "main_artist", "recording", song)
    credit(db, vinylz, "producer", "recording", song)
    credit(db, dukes, "mixing_engineer", "recording", other)
    credit(db, dukes, "producer", "release", album)
    uncredit(db, dukes, "mixing_engineer", "recording", other)  # added and gone: no change
    credit(db, dukes, "recording_engineer", "recording", other)
    db.execute("UPDATE artist SET name = 'Vinylz (renamed)' WHERE id = ?", (vinylz,))
    made = events.group(db, NOW)
    assert made.changes == 6 and not made.more
    by_subject = {(e.subject_kind, e.subject_id): e for e in made.events}
    assert set(by_subject) == {("recording", song), ("recording", other), ("release", album)}
    fake_love = events.event_summary(db, by_subject["recording", song].id)
    assert fake_love is not None
    assert fake_love["new_subject"] is True
    assert fake_love["subject"] == {
        "kind": "recording",
        "id": song,
        "title": "Fake Love",
        "artists": ["Drake"],
        "path": f"/song/{song}",
    }
    assert fake_love["created_at"] == "2026-03-14T22:58:30.123456+00:00"
    assert fake_love["changes"][0] == {
        "change": "added",
        "person": {"id": vinylz, "name": "Vinylz (renamed)", "path": f"/person/{vinylz}"},
        "role": "producer",
        "role_label": "Producer",
        "family": "production",
        "detail": "",
        "previous_role": None,
    }
    assert [c["role"] for c in fake_love["changes"]] == ["producer", "main_artist"]
    others = events.event_summary(db, by_subject["recording", other].id)
    assert others is not None
    # Removed mixing and added recording engineer of one person on one subject: a correction.
    # The mixing credit came and went within the grouping: only the engineer credit is news.
    assert [(c["change"], c["role"]) for c in others["changes"]] == [
        ("added", "recording_engineer")
    ]
    assert by_subject["release", album].production
    assert not by_subject["recording", other].production


def test_a_credit_removed_and_written_again_is_no_event(empty: Catalog) -> None:
    db = empty.db
    dukes, song = entity(db, "artist", "Frank Dukes"), entity(db, "recording", "Song")
    credit(db, dukes, "producer", "recording", song)
    events.skip_pending(db)
    uncredit(db, dukes, "producer", "recording", song)
    credit(db, dukes, "producer", "recording", song)
    made = events.group(db, NOW)
    assert (made.changes, made.events) == (2, [])
    assert pending_changes(db) == []


def test_corrections_pair_a_persons_removed_and_added_credits(empty: Catalog) -> None:
    db = empty.db
    dukes, song = entity(db, "artist", "Frank Dukes"), entity(db, "recording", "Song")
    credit(db, dukes, "producer", "recording", song)
    events.skip_pending(db)
    uncredit(db, dukes, "producer", "recording", song)
    credit(db, dukes, "co_producer", "recording", song)
    credit(db, dukes, "songwriter", "recording", song)
    made = events.group(db, NOW)
    summary = events.event_summary(db, made.events[0].id)
    assert summary is not None
    assert [(c["change"], c["role"], c["previous_role"]) for c in summary["changes"]] == [
        ("corrected", "co_producer", "producer"),
        ("added", "songwriter", None),
    ]
    assert made.events[0].production  # corrected to a production role


def test_handle_events_never_show_the_handle(empty: Catalog) -> None:
    db = empty.db
    dukes = entity(db, "artist", "Frank Dukes")
    db.execute(
        "INSERT INTO handle (artist_id, platform, handle) VALUES (?, 'instagram', 'frankdukes')",
        (dukes,),
    )
    db.execute(
        "INSERT INTO handle (artist_id, platform, handle) VALUES (?, 'twitter', 'dukes_old')",
        (dukes,),
    )
    events.skip_pending(db)
    db.execute("DELETE FROM handle WHERE platform = 'twitter'")
    db.execute(
        "INSERT INTO handle (artist_id, platform, handle) VALUES (?, 'tiktok', 'frankdukes')",
        (dukes,),
    )
    made = events.group(db, NOW)
    assert [(e.subject_kind, e.subject_id) for e in made.events] == [("artist", dukes)]
    row = db.one("SELECT kind, summary FROM watch_event WHERE id = ?", (made.events[0].id,))
    assert row is not None and row[0] == "handles"
    assert "frankdukes" not in row[1] and "dukes_old" not in row[1]
    summary = json.loads(row[1])
    assert summary["type"] == "handles.changed"
    assert summary["subject"] == {
        "kind": "artist",
        "id": dukes,
        "title": "Frank Dukes",
        "artists": [],
        "path": f"/person/{dukes}",
    }
    person = {"id": dukes, "name": "Frank Dukes", "path": f"/person/{dukes}"}
    assert summary["changes"] == [
        {"change": "added", "platform": "tiktok", "person": person},
        {"change": "removed", "platform": "twitter", "person": person},
    ]


def test_the_limit_leaves_the_rest_for_the_next_call(empty: Catalog) -> None:
    db = empty.db
    dukes = entity(db, "artist", "Frank Dukes")
    songs = [entity(db, "recording", f"Song {i}") for i in range(5)]
    for song in songs:
        credit(db, dukes, "producer", "recording", song)
    first = events.group(db, NOW, limit=3)
    assert (first.changes, len(first.events), first.more) == (3, 3, True)
    second = events.group(db, NOW, limit=3)
    assert (second.changes, len(second.events), second.more) == (2, 2, False)
    told = [e.subject_id for e in first.events + second.events]
    assert told == songs
    assert [e.id for e in first.events + second.events] == sorted(
        e.id for e in first.events + second.events
    )


def test_merges_log_no_changes_and_move_follows(empty: Catalog) -> None:
    db = empty.db
    keep, drop = entity(db, "artist", "Frank Dukes"), entity(db, "artist", "Frank Dukes 2")
    song, other = entity(db, "recording", "Song"), entity(db, "recording", "Other")
    credit(db, keep, "producer", "recording", song)
    credit(db, drop, "producer", "recording", song)  # both hold it: one credit after the merge
    credit(db, drop, "songwriter", "recording", other)
    db.execute(
        "INSERT INTO handle (artist_id, platform, handle) VALUES (?, 'instagram', 'frankdukes')",
        (drop,),
    )
    user = new_user(db, "fan@example.com")
    both = new_user(db, "both@example.com")
    follows.add_follow(db, user, "person", drop)
    follows.add_follow(db, both, "person", drop)
    follows.add_follow(db, both, "person", keep)
    events.skip_pending(db)
    with db.transaction():
        merge(db, EntityKind.ARTIST, keep, drop, "test")
    assert pending_changes(db) == []
    assert [(f.target_id, f.target_name) for f in follows.follows(db, user)] == [
        (keep, "Frank Dukes")
    ]
    assert [f.target_id for f in follows.follows(db, both)] == [keep]


def test_changes_of_merged_away_entities_are_told_as_the_kept_ones(empty: Catalog) -> None:
    db = empty.db
    keep, drop = entity(db, "artist", "Frank Dukes"), entity(db, "artist", "Dukes")
    song, twin = entity(db, "recording", "Song"), entity(db, "recording", "Song (dup)")
    credit(db, drop, "producer", "recording", twin)  # logged before the merges
    with db.transaction():
        merge(db, EntityKind.ARTIST, keep, drop, "test")
        merge(db, EntityKind.RECORDING, song, twin, "test")
    made = events.group(db, NOW)
    assert [(e.subject_kind, e.subject_id) for e in made.events] == [("recording", song)]
    summary = events.event_summary(db, made.events[0].id)
    assert summary is not None
    assert summary["subject"]["title"] == "Song"
    assert [(c["change"], c["person"]["id"], c["person"]["name"]) for c in summary["changes"]] == [
        ("added", keep, "Frank Dukes")
    ]


def test_prune_keeps_the_recent_log(empty: Catalog) -> None:
    db = empty.db
    dukes = entity(db, "artist", "Frank Dukes")
    for i in range(6):
        credit(db, dukes, "producer", "recording", entity(db, "recording", f"S{i}"))
    events.group(db, NOW, limit=4)
    assert events.prune(db, keep=1) == 3
    assert len(pending_changes(db)) == 2  # past the cursor: never pruned
    assert events.prune(db, keep=1) == 0
