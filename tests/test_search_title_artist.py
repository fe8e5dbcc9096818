"""A title and its artist typed together ("24k magic bruno mars", "elton john duets") find the
record, and a search says whether it found what was meant (a live look-up starts when not)."""

from __future__ import annotations

import pytest

from linernotes.search import sync, title_artist
from linernotes.search.engine import Hit, NameIndex
from linernotes.search.rank import Match, Tier
from linernotes.search.title_artist import is_good, merge_hits, search_all, title_and_artist
from linernotes.store.catalog import Catalog
from linernotes.store.db import Database


@pytest.fixture
def index(demo: Catalog) -> NameIndex:
    return sync.open_index(demo.db)


def known(db: Database, kind: str, namespace: str, value: str) -> int:
    """The catalog's id of a record a source knows by this id."""
    row = db.one(
        "SELECT entity_id FROM external_id WHERE entity_kind = ? AND namespace = ? AND value = ?",
        (kind, namespace, value),
    )
    assert row is not None, f"the demo has no {kind} {namespace}:{value}"
    return int(row[0])


@pytest.mark.parametrize(
    ("query", "kind", "namespace", "value", "why"),
    [
        (
            "24k magic bruno mars",
            "recording",
            "genius",
            "2872960",
            "title “24K Magic” by Bruno Mars",
        ),
        (
            "bruno mars 24k magic",
            "recording",
            "genius",
            "2872960",
            "title “24K Magic” by Bruno Mars",
        ),
        ("elton john duets", "release", "discogs", "9343063", "title “Duets” by Elton John"),
        ("Duets — Elton", "release", "discogs", "9343063", "title “Duets” by Elton John"),
    ],
)
def test_a_title_typed_with_its_artist_finds_that_record_first(
    demo: Catalog, index: NameIndex, query: str, kind: str, namespace: str, value: str, why: str
) -> None:
    assert index.search(query) == []  # no single name holds every word
    hits = search_all(demo.db, index, query)
    assert (hits[0].kind, hits[0].id) == (kind, known(demo.db, kind, namespace, value))
    assert hits[0].match.why == why
    assert is_good(hits)


def test_the_exact_title_ranks_before_titles_that_only_contain_it(
    demo: Catalog, index: NameIndex
) -> None:
    hits = search_all(demo.db, index, "elton john duets")
    assert [(h.name, h.match.tier) for h in hits] == [
        ("Duets", Tier.WHOLE),
        ("Duets For One", Tier.WORDS),  # also Elton John's
    ]


def test_a_typo_in_either_part_still_finds_it_and_says_so(demo: Catalog, index: NameIndex) -> None:
    hits = search_all(demo.db, index, "24k magik brunno mars")
    assert hits[0].id == known(demo.db, "recording", "genius", "2872960")
    assert hits[0].match.tier is Tier.TYPO
    assert hits[0].match.why == (
        "title “24K Magic” by Bruno Mars; typo: magik → magic; typo: brunno → bruno"
    )
    assert is_good(hits)


def test_a_title_by_someone_else_is_not_offered(demo: Catalog, index: NameIndex) -> None:
    assert title_and_artist(demo.db, index, "24k magic taylor swift") == []
    hits = search_all(demo.db, index, "24k magic taylor swift")
    assert not any(h.name == "24K Magic" for h in hits)
    assert not is_good(hits)  # the catalog does not hold it: worth a live look-up


def test_only_main_artists_count(demo: Catalog, index: NameIndex) -> None:
    # Drake is featured on Rihanna's "Work": typing "work drake" does not mean it.
    assert [h.name for h in title_and_artist(demo.db, index, "work rihanna")] == ["Work"]
    assert title_and_artist(demo.db, index, "work drake") == []


def test_an_album_without_artists_of_its_own_is_its_songs_artists(
    demo: Catalog, index: NameIndex
) -> None:
    # The Genius album "24K Magic" credits Bruno Mars on its songs, not on itself.
    hits = title_and_artist(demo.db, index, "24k magic bruno mars", kinds=("release",))
    assert [(h.kind, h.id) for h in hits] == [
        ("release", known(demo.db, "release", "genius", "229460"))
    ]


def test_a_title_shared_by_many_songs_is_still_found_by_its_artist(
    demo: Catalog, index: NameIndex, monkeypatch: pytest.MonkeyPatch
) -> None:
    # As if "Intro" were the title of more songs than the index hands back for it.
    monkeypatch.setattr(title_artist, "TITLE_CANDIDATES", 2)
    intros = index.search("intro", ("recording",), 2)
    assert "Kantine" not in {a for h in intros for a in _main_artists(demo.db, h.id)}
    hits = search_all(demo.db, index, "intro kantine")
    assert (hits[0].name, hits[0].match.why) == ("Intro", "title “Intro” by Kantine")
    assert _main_artists(demo.db, hits[0].id) == ["Kantine"]


@pytest.mark.parametrize("query", ["drake", "bruno mars", "kendrik lamar", "metro bo"])
def test_names_are_found_as_before(demo: Catalog, index: NameIndex, query: str) -> None:
    assert search_all(demo.db, index, query) == index.search(query)


def test_nonsense_is_not_a_good_answer(demo: Catalog, index: NameIndex) -> None:
    hits = search_all(demo.db, index, "zzqx flurbo")
    assert not is_good(hits)
    assert is_good(search_all(demo.db, index, "drake"))


def test_kinds_and_limits_are_kept(demo: Catalog, index: NameIndex) -> None:
    assert search_all(demo.db, index, "24k magic bruno mars", ("artist",)) == []
    hits = search_all(demo.db, index, "elton john duets", ("recording",))
    assert [h.name for h in hits] == ["Duets For One"]
    assert len(search_all(demo.db, index, "elton john duets", limit=1)) == 1


def test_bad_kinds_and_limits_say_what_is_wrong(demo: Catalog, index: NameIndex) -> None:
    with pytest.raises(ValueError, match="unknown search kind 'song'"):
        search_all(demo.db, index, "duets", ("song",))
    with pytest.raises(ValueError, match="recording and release only, not artist"):
        title_and_artist(demo.db, index, "duets elton john", ("artist",))
    with pytest.raises(ValueError, match="limit must be 1 or more, not 0"):
        search_all(demo.db, index, "duets", limit=0)
    with pytest.raises(TypeError, match="not the string 'recording'"):
        search_all(demo.db, index, "duets", "recording")


def test_merged_hits_list_each_record_once_at_its_best_match() -> None:
    plain = [_hit(1, Tier.WORDS, importance=50), _hit(2, Tier.PREFIX, importance=90)]
    more = [_hit(2, Tier.WHOLE, importance=90), _hit(3, Tier.WORDS, importance=70)]
    merged = merge_hits(plain, more, 10)
    assert [(h.id, h.match.tier) for h in merged] == [
        (2, Tier.WHOLE),
        (3, Tier.WORDS),  # same tier as 1: the more important first
        (1, Tier.WORDS),
    ]
    assert [h.id for h in merge_hits(plain, more, 2)] == [2, 3]


def test_a_guess_is_not_a_good_answer() -> None:
    assert not is_good([])
    assert not is_good([_hit(1, Tier.OTHER, importance=99)])
    assert is_good([_hit(1, Tier.OTHER, importance=99), _hit(2, Tier.TYPO, importance=1)])


def _main_artists(db: Database, recording_id: int) -> list[str]:
    rows = db.execute(
        "SELECT a.name FROM credit c JOIN artist a ON a.id = c.artist_id"
        " WHERE c.subject_kind = 'recording' AND c.subject_id = ? AND c.role = 'main_artist'",
        (recording_id,),
    )
    return sorted(str(r[0]) for r in rows)


def _hit(entity_id: int, tier: Tier, importance: int) -> Hit:
    match = Match(tier, f"Song {entity_id}", "test")
    return Hit("recording", entity_id, f"Song {entity_id}", (), importance, 1.0, match)
