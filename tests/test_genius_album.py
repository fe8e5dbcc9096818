"""Genius albums (album-level credits, tracks) and search, on documented-shape fixtures."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from backends import Backend
from linernotes.ingest.pipeline import ingest
from linernotes.normalize.genius_album import parse_api_album, parse_search
from linernotes.normalize.records import EntityKind, PayloadError
from linernotes.store import read_credits
from linernotes.store.catalog import Catalog
from linernotes.store.read_names import exact
from test_pipeline import stream_of

SYNTHETIC = Path(__file__).parent / "fixtures" / "synthetic" / "genius"


def load(name: str) -> Any:
    return json.loads((SYNTHETIC / name).read_text(encoding="utf-8"))


def album_record() -> Any:
    tracks = load("album_229460_tracks.json")["response"]["tracks"]
    return parse_api_album(load("album_229460.json"), tracks, "2026-11-01")


def test_album_level_credits_are_release_credits() -> None:
    record = album_record()
    (release,) = record.releases
    assert (release.title, release.date) == ("24K Magic", "2016-11-18")
    on_release = {(c.role, c.credited_name) for c in record.credits if c.subject == release.ref}
    assert ("executive_producer", "Bruno Mars") in on_release
    assert ("main_artist", "Bruno Mars") in on_release
    assert [(f.kind, f.value) for f in record.facts] == [("label", "Atlantic Records")]
    assert [p.kind for p in record.problems] == ["unknown_role"]  # "Vibe Curator": kept, reported
    assert ("unmapped", "Philip Lawrence") in on_release


def test_album_tracks_keep_their_numbers() -> None:
    record = album_record()
    assert [(r.title, r.track_position, r.track_label) for r in record.recordings] == [
        ("24K Magic", 1, "1"),
        ("That’s What I Like", 3, "3"),
    ]


def test_album_joins_the_snapshot_album_and_shows_release_level_apart(
    demo_path: Path | str, backend: Backend
) -> None:
    catalog = Catalog.open(backend.copy(demo_path, "c"))
    ingest(catalog.db, stream_of("album", [album_record()]))
    (album,) = exact(catalog.db, EntityKind.RELEASE, "24K Magic")
    answer = read_credits.release_credits(catalog.db, album.id)
    assert {(c.role, c.name) for c in answer.release_credits} >= {
        ("executive_producer", "Bruno Mars")
    }
    assert [t.title for t in answer.tracks] == ["24K Magic", "That’s What I Like"]
    assert all(c.role != "executive_producer" for t in answer.tracks for c in t.credits)
    catalog.close()


def test_search_hits() -> None:
    hits = parse_search(load("search_24k_magic.json"))
    assert [(h.genius_id, h.title, h.artist) for h in hits] == [
        (2872960, "24K Magic", "Bruno Mars"),
        (2890553, "Fake Love", "Drake"),
    ]
    with pytest.raises(PayloadError):
        parse_search({"response": {}})
