"""One search over names, aliases and titles: prefixes, typos, any order, ranked, kept in step."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from backends import Backend
from conftest import Cli
from linernotes.normalize.records import EntityKind
from linernotes.search import sync
from linernotes.search.analyze import Doc
from linernotes.search.engine import NameIndex
from linernotes.search.rank import Tier, best_match
from linernotes.store.catalog import Catalog
from linernotes.store.merge import merge


def first(run: Cli, query: str, kind: str = "artist") -> dict[str, Any]:
    hits = run.json("search", query, "--kind", kind)[kind]
    assert hits, f"nothing found for {query!r}"
    found: dict[str, Any] = hits[0]
    return found


@pytest.mark.parametrize(
    ("query", "name"),
    [
        ("serban ghenea", "Șerban Ghenea"),
        ("ghenea serban", "Șerban Ghenea"),  # any order
        ("mike will made it", "Mike WiLL Made-It"),
        ("benny blanco", "benny blanco"),  # the source writes it with a zero-width space
        ("antonof", "Jack Antonoff"),  # typed so far, or a letter short
        ("jack antonof", "Jack Antonoff"),
        ("metro bo", "Metro Boomin"),  # type-ahead
        ("metro bomin", "Metro Boomin"),  # a typo: found, not just suggested
        ("kendrik lamar", "Kendrick Lamar"),
        ("jayz", "Jay-Z"),  # the name with its punctuation and spaces gone
        ("drake", "Drake"),  # importance: the artist with the credits, before "Justin Drake"
    ],
)
def test_names_are_found_however_they_are_typed(run: Cli, query: str, name: str) -> None:
    assert first(run, query)["name"] == name


def test_a_typo_hit_says_which_word_it_corrected(run: Cli) -> None:
    hit = first(run, "kendrik lamar")
    assert "typo: kendrik → kendrick" in hit["why"]
    assert "typo" in run("search", "kendrik lamar").stdout


def test_songs_and_albums_are_found_by_title(run: Cli) -> None:
    assert first(run, "humble", "recording")["name"] == "HUMBLE."
    assert first(run, "24k magic", "recording")["name"] == "24K Magic"
    assert first(run, "duets", "release")["name"] == "Duets"


def test_typos_are_not_offered_when_a_kind_matches_exactly(run: Cli) -> None:
    found = run.json("search", "humble")
    assert [h["name"] for h in found["recording"]][:1] == ["HUMBLE."]
    assert found["artist"] == []  # no "Alf Tumble" one letter away


def test_look_alikes_carry_what_tells_them_apart(run: Cli) -> None:
    hits = run.json("search", "drake", "--kind", "artist")["artist"]
    assert all(h["context"] for h in hits)
    assert hits[0]["context"].startswith("songwriter")


@pytest.mark.parametrize(
    "query", ['"', "AND OR NOT", "name:drake", "(", "*", "drake~2", "\\", "a" * 500, "^^^ +-"]
)
def test_search_syntax_never_breaks_a_query(run: Cli, query: str) -> None:
    result = run("search", query, ok=False)
    assert result.exit_code in (0, 1)
    assert "Traceback" not in result.output


def test_nothing_close_is_said_plainly(run: Cli) -> None:
    result = run("search", "zzqxv wvvkj", ok=False)
    assert result.exit_code == 1
    assert "Nothing matches 'zzqxv wvvkj'" in result.output


def test_the_index_follows_new_names_renames_and_merges(
    demo_path: Path | str, backend: Backend
) -> None:
    catalog = Catalog.open(backend.copy(demo_path, "c"))
    db = catalog.db
    try:
        kendrick = sync.search(db, "kendrick lamar", ("artist",))[0].id
        with db.transaction():
            row = db.one(
                "INSERT INTO artist (name, folded, kind, created_at)"
                " VALUES ('K-Dot', 'k dot', 'person', '2026-11-21') RETURNING id"
            )
        assert row is not None
        k_dot = int(row[0])
        assert [h.id for h in sync.search(db, "k-dot", ("artist",))] == [k_dot]
        with db.transaction():
            merge(db, EntityKind.ARTIST, kendrick, k_dot, "test")
            db.execute("UPDATE artist SET name = 'Kendrick Duckworth' WHERE id = ?", (kendrick,))
        found = sync.search(db, "k-dot", ("artist",))  # merged: its name lives on as an alias
        assert [(h.id, h.match.why) for h in found] == [(kendrick, "whole alias “K-Dot”")]
        assert sync.search(db, "duckworth", ("artist",))[0].id == kendrick
        assert sync.status(db)["pending"] == 0
    finally:
        catalog.close()


def test_index_rebuild_and_status(demo_path: Path | str, backend: Backend) -> None:
    path = backend.copy(demo_path, "c", index=False)
    run = Cli(path)
    result = run("index", "rebuild")
    assert "Indexed" in result.stderr
    status = run.json("index", "status")
    assert status["current"] is True
    assert status["pending"] == 0
    catalog = Catalog.open(path)
    counts = catalog.counts()
    catalog.close()
    assert status["names"] == counts["artist"] + counts["release"] + counts["recording"]


def test_a_missing_index_is_built_on_first_search(demo_path: Path | str, backend: Backend) -> None:
    path = backend.copy(demo_path, "c", index=False)
    assert first(Cli(path), "serban ghenea")["name"] == "Șerban Ghenea"
    catalog = Catalog.open(path)
    where = sync.index_path(catalog.db)
    catalog.close()
    assert where is not None and where.is_dir()


def test_aliases_are_searched_and_shown() -> None:
    index = NameIndex.create(None)
    index.write(
        [Doc("artist", 1, "Aubrey Graham", ("Drake",), 5), Doc("artist", 2, "Drakeo", (), 9)]
    )
    hits = index.search("drake")
    assert [h.id for h in hits] == [1, 2]  # a whole alias beats a longer name, however important
    assert hits[0].match.why == "whole alias “Drake”"


@pytest.mark.parametrize(
    ("typed", "tier"),
    [
        ("jack antonoff", Tier.WHOLE),
        ("antonoff jack", Tier.WORDS),
        ("jack anto", Tier.PREFIX),
        ("jack antonof", Tier.PREFIX),  # still typing: "antonof" starts "antonoff"
        ("jakc antonoff", Tier.TYPO),
    ],
)
def test_match_tiers(typed: str, tier: Tier) -> None:
    assert best_match(typed, "Jack Antonoff", ()).tier is tier
