"""Identifiers and pasted links find their entity directly (issue 5, item 2)."""

from __future__ import annotations

import pytest

from conftest import Cli
from linernotes.search.identifiers import recognise


@pytest.mark.parametrize(
    ("query", "kind", "name"),
    [
        ("https://genius.com/Bruno-mars-24k-magic-lyrics", "recording", "24K Magic"),
        ("https://open.spotify.com/track/2gFvRmQiWg9fN9i74Q0aiw", "recording", "24K Magic"),
        ("USRC15701155", "recording", "Blue Christmas"),
        ("us-rc1-57-01155", "recording", "Blue Christmas"),  # any case, hyphens as printed
        ("https://www.wikidata.org/wiki/Q2831", "artist", "Michael Jackson"),
        ("https://www.discogs.com/release/9343063", "release", "Duets"),
        ("https://www.discogs.com/artist/15885", "artist", "Michael Jackson"),
        ("https://genius.com/artists/Michael-jackson", "artist", "Michael Jackson"),
        # Barcodes as the Discogs sample writes them: spaced, hyphenated, or bare UPC-A.
        ("0 9362-47555-2 4", "release", None),
        ("7 52743 00531 5", "release", None),
        ("074646362822", "release", None),
    ],
)
def test_an_identifier_or_link_goes_straight_to_its_entity(
    run: Cli, query: str, kind: str, name: str | None
) -> None:
    found = run.json("search", query)
    assert found["matched_by"]
    assert len(found[kind]) == 1
    if name:
        assert found[kind][0]["name"] == name


def test_an_unknown_identifier_says_so(run: Cli) -> None:
    result = run("search", "GBAHS9999999", ok=False)
    assert result.exit_code == 1
    assert "Nothing in the catalog has the ISRC GBAHS9999999" in result.output


@pytest.mark.parametrize(
    "text", ["Metro Boomin", "21 Savage", "2017 Playlist", "blink-182", "Area 51 1234"]
)
def test_names_with_digits_are_not_identifiers(text: str) -> None:
    assert recognise(text) is None


def test_a_link_of_an_unknown_site_is_not_an_identifier() -> None:
    assert recognise("https://example.com/track/1") is None
