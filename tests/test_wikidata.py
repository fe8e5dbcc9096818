"""Wikidata entities: the recorded Michael Jackson item, ranks, bad values, and the cross-links
that make one artist out of several sources' records."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from conftest import demo_json
from linernotes.ingest.pipeline import Item, Stream, ingest
from linernotes.normalize.handles import EvidenceKind, Platform
from linernotes.normalize.records import (
    Alias,
    ArtistKind,
    ArtistRecord,
    EntityKind,
    PayloadError,
    Ref,
    SourceRecord,
)
from linernotes.normalize.wikidata import parse_entity, unwrap_entity
from linernotes.store.catalog import Catalog

MJ_FILE = "wikidata/Q2831.json.gz"


@pytest.fixture(scope="module")
def mj() -> SourceRecord:
    return parse_entity(demo_json(MJ_FILE))


def links(record: SourceRecord) -> set[tuple[str, str]]:
    return {(r.namespace, r.value) for r in record.artists[0].also_known_as}


def test_michael_jackson_carries_the_ids_that_join_him_across_sources(mj: SourceRecord) -> None:
    (artist,) = mj.artists
    assert (mj.source, mj.record_id) == ("wikidata", "entities/Q2831")
    assert mj.retrieved_at == "2022-08-12T07:36:10Z"  # the entity's last edit
    assert artist.ref == Ref(EntityKind.ARTIST, "wikidata", "Q2831")
    assert (artist.name, artist.kind) == ("Michael Jackson", ArtistKind.PERSON)
    assert links(mj) == {
        ("discogs", "15885"),
        ("genius_slug", "Michael-jackson"),  # case as Wikidata and Genius's URL write it
        ("genius", "835"),  # P6351, the slug's numeric companion
        ("musicbrainz", "f27ec8db-af05-4f36-916e-3d57f91ecf5e"),
        ("spotify", "3fMbdgg4jU18AjLCKBhRSm"),
        ("apple_music", "32940"),
        ("youtube", "UC5OrDvL9DscpcAstz7JnQGA"),
    }
    assert not mj.problems


def test_michael_jacksons_handles_rest_on_wikidata_evidence(mj: SourceRecord) -> None:
    found = {(h.platform, h.handle, h.note, h.quote) for h in mj.handles}
    assert found == {
        (Platform.INSTAGRAM, "michaeljackson", "Wikidata P2003", "michaeljackson"),
        (Platform.TWITTER, "michaeljackson", "Wikidata P2002", "michaeljackson"),
        (Platform.FACEBOOK, "michaeljackson", "Wikidata P2013", "michaeljackson"),
    }
    assert {h.evidence for h in mj.handles} == {EvidenceKind.WIKIDATA}
    assert {h.confidence for h in mj.handles} == {0.9}


def test_names_description_and_picture(mj: SourceRecord) -> None:
    (artist,) = mj.artists
    assert Alias("The King of Pop") in artist.aliases
    assert Alias("Michael Joseph Jackson", "legal") in artist.aliases  # P1477, also an alias
    assert [a.name for a in artist.aliases].count("Michael Joseph Jackson") == 1
    assert artist.disambiguation == "American singer, songwriter, and dancer (1958–2009)"
    # P18 has a preferred and a normal image: the preferred one is used.
    assert artist.image_url == (
        "https://commons.wikimedia.org/wiki/Special:FilePath/"
        "Michael_Jackson_Dangerous_World_Tour_1993.jpg"
    )


def test_envelope_and_bare_entity_parse_alike() -> None:
    payload = demo_json(MJ_FILE)
    assert parse_entity(payload, "t") == parse_entity(payload["entities"]["Q2831"], "t")


def stream_of(name: str, items: list[Item]) -> Stream:
    def numbered(after: int) -> Iterator[tuple[int, Item]]:
        yield from ((n, i) for n, i in enumerate(items, start=1) if n > after)

    return Stream(name, "v1", numbered)


def _artist_page(source: str, ref: Ref) -> SourceRecord:
    record = SourceRecord(source, f"artists/{ref.value}", "2026-11-01")
    record.artists = [ArtistRecord(ref, "Michael Jackson")]
    return record


def test_acceptance_one_artist_across_wikidata_genius_and_discogs(
    empty: Catalog, mj: SourceRecord
) -> None:
    """Michael Jackson is one artist across Wikidata (Q2831), Genius (artist 835, through the
    P2373 slug) and Discogs (15885), linked by those ids alone."""
    ingest(empty.db, stream_of("wikidata", [mj]))
    genius = _artist_page("genius", Ref(EntityKind.ARTIST, "genius_slug", "Michael-jackson"))
    discogs = _artist_page("discogs", Ref(EntityKind.ARTIST, "discogs", "15885"))
    ingest(empty.db, stream_of("others", [genius, discogs]))
    assert empty.counts()["artist"] == 1
    ids = empty.db.execute("SELECT DISTINCT entity_id FROM external_id WHERE entity_kind='artist'")
    assert len(list(ids)) == 1
    rules = dict(
        empty.db.execute(
            "SELECT namespace, rule FROM external_id WHERE namespace IN ('genius_slug', 'discogs')"
        )
    )
    assert rules == {"genius_slug": "source_id", "discogs": "source_id"}
    handle = empty.db.one(
        "SELECT h.handle, e.evidence_kind, e.source FROM handle h"
        " JOIN handle_evidence e ON e.handle_id = h.id WHERE h.platform = 'instagram'"
    )
    assert handle == ("michaeljackson", "wikidata", "wikidata")


def _entity(claims: dict[str, list[dict[str, Any]]], **extra: Any) -> dict[str, Any]:
    return {
        "id": "Q1",
        "labels": {"en": {"language": "en", "value": "X"}},
        "claims": claims,
        **extra,
    }


def _statement(value: Any, rank: str = "normal", **qualifiers: Any) -> dict[str, Any]:
    snak = {"snaktype": "value", "datavalue": {"value": value, "type": "string"}}
    return {"rank": rank, "mainsnak": snak, "qualifiers": qualifiers}


def test_deprecated_statements_are_skipped_and_preferred_come_first() -> None:
    entity = _entity(
        {
            "P2003": [
                _statement("old.account", "deprecated"),
                _statement("second_account"),
                _statement("main_account", "preferred"),
                _statement("ended_account", P582=[{"snaktype": "value"}]),  # has an end time
            ],
            "P1953": [_statement("999", "deprecated"), _statement("42")],
        }
    )
    record = parse_entity(entity, "t")
    assert [h.handle for h in record.handles] == ["main_account", "second_account"]
    assert links(record) == {("discogs", "42")}


def test_invalid_values_are_reported_not_stored() -> None:
    entity = _entity(
        {
            "P1953": [_statement("not-a-number")],
            "P434": [_statement("f27ec8db")],
            "P2003": [_statement("bad..name")],
            "P2002": [{"rank": "normal", "mainsnak": {"snaktype": "somevalue"}}],  # unknown value
        }
    )
    record = parse_entity(entity, "t")
    assert links(record) == set() and record.handles == []
    assert sorted(p.kind for p in record.problems) == ["invalid_handle", "invalid_id", "invalid_id"]
    assert all(p.locator == "wikidata:entities/Q1" for p in record.problems)
    assert any("P1953" in p.message and "not-a-number" in p.message for p in record.problems)


@pytest.mark.parametrize(
    ("classes", "kind"),
    [
        (["Q215380"], ArtistKind.GROUP),
        (["Q9212979"], ArtistKind.GROUP),
        (["Q95074"], ArtistKind.UNKNOWN),  # a fictional character: not guessed
    ],
)
def test_kind_from_instance_of(classes: list[str], kind: ArtistKind) -> None:
    statements = [
        {"rank": "normal", "mainsnak": {"snaktype": "value", "datavalue": {"value": {"id": q}}}}
        for q in classes
    ]
    assert parse_entity(_entity({"P31": statements}), "t").artists[0].kind is kind


def test_name_falls_back_to_another_language_and_needs_one() -> None:
    labels = {"fr": {"language": "fr", "value": "Les Rita Mitsouko"}}
    assert parse_entity({"id": "Q2", "labels": labels}, "t").artists[0].name == "Les Rita Mitsouko"
    with pytest.raises(PayloadError, match="no label"):
        parse_entity({"id": "Q2", "labels": {}}, "t")


def test_payload_without_an_item_is_refused() -> None:
    with pytest.raises(PayloadError, match="Q-id"):
        unwrap_entity({"entities": {}})
    with pytest.raises(PayloadError):
        parse_entity({"id": "P2003"}, "t")  # a property, not an item
