"""Genius parsers on the real recorded responses and snapshot rows."""

from __future__ import annotations

import pytest

from conftest import demo_json, demo_rows
from linernotes.normalize.genius import (
    parse_api_artist,
    parse_api_song,
    parse_snapshot_song,
)
from linernotes.normalize.pseudo import pseudo_song_reason
from linernotes.normalize.records import PayloadError


def test_api_song_wrapped_and_bare_shapes_parse_alike() -> None:
    wrapped = demo_json("genius-api-song_2872960.json.gz")
    bare = wrapped["response"]["song"]
    assert parse_api_song(wrapped, "t") == parse_api_song(bare, "t")


def test_24k_magic_record() -> None:
    record = parse_api_song(demo_json("genius-api-song_2872960.json.gz"), "2018")
    (recording,) = record.recordings
    assert (recording.title, recording.date) == ("24K Magic", "2016-10-07")
    assert {(r.namespace, r.value) for r in recording.also_known_as} == {
        ("spotify", "2gFvRmQiWg9fN9i74Q0aiw"),
        ("apple_music", "1161504024"),
        ("genius_page", "Bruno-mars-24k-magic-lyrics"),  # the page a user pastes
    }
    (release,) = record.releases
    assert (release.ref.value, release.title) == ("229460", "24K Magic")
    facts = [(f.kind, f.value, f.org.value if f.org else None) for f in record.facts]
    assert [f for f in facts if not f[0].startswith("version:")] == [
        ("label", "Atlantic Records", "68978")
    ]
    # Genius's song relationships: other versions and borrowings, named by their Genius ids.
    assert (
        "version:remixed_by",
        "United State of Pop 2016 by\xa0DJ\xa0Earworm",
        "2996367",
    ) in facts
    assert ("version:sampled_in", "Take it Slow by\xa0Rapsody", "2910234") in facts
    assert "Atlantic Records" not in {a.name for a in record.artists}
    assert not record.problems
    mixing = [c.credited_name for c in record.credits if c.role == "mixing_engineer"]
    assert mixing == ["Șerban Ghenea", "John Hanes"]


def test_api_artist_gives_handles_with_source_field_evidence() -> None:
    record = parse_api_artist(demo_json("genius-api-artist_500.json.gz"), "2018")
    handles = {(h.platform.value, h.handle, h.evidence.value) for h in record.handles}
    assert handles == {
        ("instagram", "brunomars", "source_field"),
        ("twitter", "BrunoMars", "source_field"),
        ("facebook", "brunomars", "source_field"),
    }
    assert {a.name for a in record.artists[0].aliases} == {
        "Peter G. Hernandez",
        "Peter Gene Hernandez",
    }


def test_invalid_handle_in_api_artist_is_reported_not_stored() -> None:
    payload = {"id": 7, "name": "X", "instagram_name": "bad..name", "twitter_name": "fine_one"}
    record = parse_api_artist(payload, "t")
    assert [h.handle for h in record.handles] == ["fine_one"]
    assert [p.kind for p in record.problems] == ["invalid_handle"]
    assert "bad..name" in record.problems[0].message


@pytest.mark.parametrize(
    "payload",
    [
        {},
        {"song": {"title": "no id"}},
        {"id": 1, "title": "", "primary_artist": {"id": 2}},
        {"id": 1, "title": "T", "primary_artist": "Drake"},
    ],
)
def test_malformed_song_payload_raises_a_clear_error(payload: dict[str, object]) -> None:
    with pytest.raises(PayloadError):
        parse_api_song(payload, "t")


def test_snapshot_song_labels_split_into_facts() -> None:
    row = next(s for s in demo_rows("genius-2017-songs.jsonl.gz") if s["id"] == 2890553)
    record = parse_snapshot_song(row)
    assert [f.value for f in record.facts] == [
        "Cash Money Records",
        "Young Money",
        "Republic Records",
        "Octobers Very Own",
    ]
    assert {c.role for c in record.credits} == {"main_artist", "producer", "songwriter"}


def test_pseudo_songs_in_the_snapshot_are_exactly_the_lists_and_playlists() -> None:
    flagged = {
        s["title"]
        for s in demo_rows("genius-2017-songs.jsonl.gz")
        if pseudo_song_reason(s["title"])
    }
    assert flagged == {
        "The 25 Best Pop Songs of 2016: Nominations",
        "Best Songs of 2016 Nominations",
        "Halloween Playlist Part II: A to Z",
        "My Spotify Playlist",
        "2017 Playlist",
    }
    assert pseudo_song_reason("Best of Me") is None
    assert pseudo_song_reason("1942 Flows") is None
