"""A much-credited person's top collaborators, counted ahead: always what counting now would
say, after new songs, merges, pseudo-songs and changes that land while counting; the worker
and `linernotes db digest` count them before a visitor waits."""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from conftest import Cli
from linernotes.ingest.pipeline import ingest
from linernotes.normalize.genius import parse_api_song
from linernotes.normalize.records import EntityKind, SourceRecord
from linernotes.store import digest, read_people
from linernotes.store.catalog import Catalog
from linernotes.store.db import Database
from linernotes.store.merge import merge
from linernotes.store.read_names import exact
from linernotes.watch.worker import Options, Worker
from test_pipeline import stream_of

MAX = (10, "Max Martin")
FUTURE, DRAKE, SZA = (1, "Future"), (2, "Drake"), (3, "SZA")


def _song(song_id: int, primary: tuple[int, str], producer: tuple[int, str] = MAX) -> SourceRecord:
    person = lambda p: {"id": p[0], "name": p[1]}  # noqa: E731
    return parse_api_song(
        {
            "id": song_id,
            "title": f"Song {song_id}",
            "release_date": f"2020-01-{song_id:02d}",
            "primary_artist": person(primary),
            "producer_artists": [person(producer)],
        },
        "2026-11-01",
    )


_streams = itertools.count()


def _add(db: Database, *songs: SourceRecord) -> None:
    ingest(db, stream_of(f"s{next(_streams)}", list(songs)))  # a new stream: none resumed


def _id(db: Database, name: str) -> int:
    (found,) = exact(db, EntityKind.ARTIST, name)
    return found.id


def _shown(db: Database, name: str) -> list[tuple[str, int]]:
    return [(c.name, c.shared_songs) for c in read_people.person(db, _id(db, name)).collaborators]


def _state(db: Database, name: str) -> str:
    row = db.one("SELECT stale FROM person_digest WHERE artist_id = ?", (_id(db, name),))
    return "none" if row is None else ("stale" if row[0] else "fresh")


@pytest.fixture
def heavy_at(
    monkeypatch: pytest.MonkeyPatch, new_catalog: Callable[[str], Path | str]
) -> Iterator[tuple[Database, Path | str]]:
    """A catalog where three credits make a person much credited, and Max Martin is one."""
    monkeypatch.setattr(digest, "DIGEST_FROM", 3)
    at = new_catalog("digest")
    catalog = Catalog.open(at)
    _add(catalog.db, _song(1, FUTURE), _song(2, FUTURE), _song(3, FUTURE), _song(4, DRAKE))
    yield catalog.db, at
    catalog.close()


@pytest.fixture
def heavy(heavy_at: tuple[Database, Path | str]) -> Database:
    return heavy_at[0]


def test_the_first_visit_counts_and_keeps_the_top_collaborators(heavy: Database) -> None:
    assert _state(heavy, "Max Martin") == "none"
    assert _shown(heavy, "Max Martin") == [("Future", 3), ("Drake", 1)]
    assert _state(heavy, "Max Martin") == "fresh"
    assert _shown(heavy, "Max Martin") == [("Future", 3), ("Drake", 1)]  # read from the digest
    assert _state(heavy, "Future") == "none"  # nobody asked for Future's page yet
    assert [c.name for c in read_people.person(heavy, _id(heavy, "Drake")).collaborators] == [
        "Max Martin"
    ]
    assert _state(heavy, "Drake") == "none"  # 1 credit: counted live, nothing kept


def test_a_new_song_shows_at_once_and_other_songs_leave_the_digest_alone(
    heavy: Database,
) -> None:
    _shown(heavy, "Max Martin")
    _add(heavy, _song(5, SZA, producer=(11, "Metro Boomin")))  # not one of Max Martin's songs
    assert _state(heavy, "Max Martin") == "fresh"
    _add(heavy, _song(6, DRAKE), _song(7, DRAKE), _song(8, SZA))
    assert _state(heavy, "Max Martin") == "stale"
    assert _shown(heavy, "Max Martin") == [("Drake", 3), ("Future", 3), ("SZA", 1)]


def test_a_merge_moves_the_counts_and_forgets_the_dropped_persons_digest(
    heavy: Database,
) -> None:
    _add(heavy, _song(5, DRAKE), _song(6, DRAKE))
    _shown(heavy, "Max Martin"), _shown(heavy, "Drake")
    assert _state(heavy, "Drake") == "fresh"
    future, drake = _id(heavy, "Future"), _id(heavy, "Drake")
    with heavy.transaction():
        merge(heavy, EntityKind.ARTIST, future, drake, "test", method="manual")
    assert heavy.one("SELECT 1 FROM person_digest WHERE artist_id = ?", (drake,)) is None
    assert _shown(heavy, "Max Martin") == [("Future", 6)]


def test_a_song_found_to_be_a_list_page_stops_counting(heavy: Database) -> None:
    _shown(heavy, "Max Martin")
    song = heavy.one("SELECT id FROM recording WHERE title = 'Song 4'")
    assert song is not None
    with heavy.transaction():
        heavy.execute("UPDATE recording SET pseudo_reason = 'list' WHERE id = ?", (song[0],))
    assert _state(heavy, "Max Martin") == "stale"
    assert _shown(heavy, "Max Martin") == [("Future", 3)]


def test_a_credit_written_while_counting_leaves_the_digest_stale(
    heavy: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    counted = digest.count_live

    def count_then_write(db: Database, artist_id: int) -> dict[int, int]:
        found = counted(db, artist_id)
        monkeypatch.setattr(digest, "count_live", counted)
        _add(db, _song(9, SZA))  # another writer, between the count and its saving
        return found

    monkeypatch.setattr(digest, "count_live", count_then_write)
    assert _shown(heavy, "Max Martin") == [("Future", 3), ("Drake", 1)]  # what was counted
    assert _state(heavy, "Max Martin") == "stale"
    assert _shown(heavy, "Max Martin") == [("Future", 3), ("Drake", 1), ("SZA", 1)]
    assert _state(heavy, "Max Martin") == "fresh"


def _cells(db: Database, name: str) -> dict[tuple[str, str], tuple[int, list[str]]]:
    found = read_people.person(db, _id(db, name), titles=2).by_role_year
    return {(c.role, c.year): (c.count, [s.title for s in c.songs]) for c in found}


def test_credits_by_role_and_year_follow_new_songs_and_dates(heavy: Database) -> None:
    assert _cells(heavy, "Max Martin") == {("producer", "2020"): (4, ["Song 4", "Song 3"])}
    assert _state(heavy, "Max Martin") == "fresh"
    _add(heavy, _song(5, SZA))
    assert _cells(heavy, "Max Martin") == {("producer", "2020"): (5, ["Song 5", "Song 4"])}
    with heavy.transaction():  # a source corrects a song's date: it moves to another year
        heavy.execute("UPDATE recording SET date = '2019-06-01' WHERE title = 'Song 5'")
    assert _state(heavy, "Max Martin") == "stale"
    assert _cells(heavy, "Max Martin") == {
        ("producer", "2020"): (4, ["Song 4", "Song 3"]),
        ("producer", "2019"): (1, ["Song 5"]),
    }


def test_an_album_credit_joins_the_persons_credits_at_once(heavy: Database) -> None:
    _cells(heavy, "Max Martin")
    max_martin = _id(heavy, "Max Martin")
    with heavy.transaction():
        heavy.execute(
            "INSERT INTO release (title, folded, date, created_at) VALUES ('Album', 'album',"
            " '2021-03-01', '2026-11-01')"
        )
        album = heavy.one("SELECT id FROM release WHERE title = 'Album'")
        assert album is not None
        heavy.execute(
            "INSERT INTO credit (artist_id, role, subject_kind, subject_id)"
            " VALUES (?, 'executive_producer', 'release', ?)",
            (max_martin, album[0]),
        )
    assert _cells(heavy, "Max Martin")[("executive_producer", "2021")] == (1, ["Album"])


def test_the_worker_counts_stale_digests_again(heavy: Database) -> None:
    _shown(heavy, "Max Martin")
    _add(heavy, _song(5, SZA))
    worker = Worker(heavy, "w", options=Options(tasks=("digests",)))
    try:
        assert worker.work_waiting()
        assert worker.round().digested == 1
        assert _state(heavy, "Max Martin") == "fresh" and not worker.work_waiting()
    finally:
        worker.close()
    kept = digest.fresh(heavy, _id(heavy, "Max Martin"))
    assert kept is not None and kept.collaborators[_id(heavy, "SZA")] == 1


def test_db_digest_counts_everyone_much_credited_ahead(
    heavy_at: tuple[Database, Path | str],
) -> None:
    db, at = heavy_at
    assert Cli(at).json("db", "digest", "--least", "3")["made"] == 2  # Max Martin and Future
    assert (_state(db, "Max Martin"), _state(db, "Future")) == ("fresh", "fresh")
    assert Cli(at).json("db", "digest", "--least", "3")["made"] == 0
