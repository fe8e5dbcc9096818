"""Producers and handles in the cases the demo data does not contain: featured-only songs,
combined pages linked to their members, and one person with two different handles."""

from __future__ import annotations

from linernotes.ingest.pipeline import ingest
from linernotes.normalize.genius import parse_api_song
from linernotes.normalize.handles import EvidenceKind, Platform
from linernotes.normalize.records import (
    ArtistRecord,
    EntityKind,
    HandleRecord,
    Ref,
    SourceRecord,
)
from linernotes.store import read_people, read_producers
from linernotes.store.catalog import Catalog
from linernotes.store.read_names import exact
from test_pipeline import stream_of


def _song(
    song_id: int,
    primary: tuple[int, str],
    producer: tuple[int, str],
    featured: tuple[int, str] | None = None,
) -> SourceRecord:
    person = lambda p: {"id": p[0], "name": p[1]}  # noqa: E731
    payload = {
        "id": song_id,
        "title": f"Song {song_id}",
        "release_date": f"2020-01-{song_id:02d}",
        "primary_artist": person(primary),
        "producer_artists": [person(producer)],
        "featured_artists": [person(featured)] if featured else [],
    }
    return parse_api_song(payload, "2026-11-01")


def _artist_id(catalog: Catalog, name: str) -> int:
    (found,) = exact(catalog.db, EntityKind.ARTIST, name)
    return found.id


def test_featured_only_songs_are_listed_apart(empty: Catalog) -> None:
    ingest(
        empty.db,
        stream_of(
            "s",
            [
                _song(1, (1, "Future"), (10, "Metro Boomin")),
                _song(2, (2, "Drake"), (11, "Boi-1da"), (1, "Future")),
            ],
        ),
    )
    answer = read_producers.producers(empty.db, _artist_id(empty, "Future"))
    assert (answer.songs, [p.name for p in answer.producers]) == (1, ["Metro Boomin"])
    assert (answer.featured_songs, [p.name for p in answer.featured_producers]) == (1, ["Boi-1da"])


def test_combined_page_counts_for_members_only_when_linked(empty: Catalog) -> None:
    songs = [
        _song(1, (1, "Metro Boomin"), (1, "Metro Boomin")),
        _song(2, (3, "21 Savage & Metro Boomin"), (1, "Metro Boomin")),
    ]
    ingest(empty.db, stream_of("s", songs))
    metro = _artist_id(empty, "Metro Boomin")
    before = read_producers.producers(empty.db, metro)
    assert before.songs == 1
    assert [(p.name, p.linked) for p in before.combined_pages] == [
        ("21 Savage & Metro Boomin", False)
    ]
    linked = SourceRecord("musicbrainz", "artists/x", "2026-11-01")
    linked.artists = [
        ArtistRecord(
            Ref(EntityKind.ARTIST, "genius", "3"),
            "21 Savage & Metro Boomin",
            members=[Ref(EntityKind.ARTIST, "genius", "1")],
        )
    ]
    ingest(empty.db, stream_of("m", [linked]))
    after = read_producers.producers(empty.db, metro)
    assert after.songs == 2
    assert after.combined_pages[0].linked


def test_two_different_handles_for_one_person_are_both_shown_strongest_first(
    empty: Catalog,
) -> None:
    ingest(empty.db, stream_of("s", [_song(1, (1, "Drake"), (10, "40"))]))
    record = SourceRecord("handles-file", "drake", "2026-11-01")
    ref = Ref(EntityKind.ARTIST, "genius", "1")
    record.handles = [
        HandleRecord(ref, Platform.INSTAGRAM, "drake_fan_page", EvidenceKind.WEAK, 0.4),
        HandleRecord(ref, Platform.INSTAGRAM, "champagnepapi", EvidenceKind.OFFICIAL_SITE, 0.85),
    ]
    ingest(empty.db, stream_of("h", [record]))
    views = read_people.handles(empty.db, [_artist_id(empty, "Drake")])[_artist_id(empty, "Drake")]
    assert [(v.handle, v.verified) for v in views] == [
        ("champagnepapi", True),
        ("drake_fan_page", False),
    ]
