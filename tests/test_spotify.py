"""Spotify Web API parsers on every recorded response, plus the documented error body."""

from __future__ import annotations

import gzip
from pathlib import Path
from typing import Any

import pytest

from conftest import DEMO
from linernotes.normalize.records import EntityKind, PayloadError, ReleaseKind, SourceRecord
from linernotes.normalize.spotify import (
    SpotifyError,
    documents,
    normalize_isrc,
    normalize_upc,
    parse_album,
    parse_response,
    parse_track,
    search_candidates,
)

SPOTIFY = DEMO / "spotify"
SYNTHETIC = Path(__file__).parent / "fixtures" / "synthetic" / "spotify"

# Every recorded file: (documents in it, records each parses to) or "search" with its hit count.
RECORDED: dict[str, tuple[int, int] | tuple[str, int]] = {
    "beets_album_info.json.gz": (1, 1),
    "beets_multiartist_track.json.gz": (1, 1),
    "beets_track_info.json.gz": (1, 1),
    "zmb3_artist_top_tracks.json.gz": (1, 10),
    "zmb3_find_album.json.gz": (2, 1),  # the same album twice, back to back
    "zmb3_find_album_tracks.json.gz": (1, 1),
    "zmb3_find_albums.json.gz": (1, 4),
    "zmb3_find_artist.json.gz": (1, 1),
    "zmb3_find_track.json.gz": (1, 1),
    "zmb3_related_artists.json.gz": (1, 20),
    "beets_japanese_track_request.json.gz": ("search", 1),
    "beets_missing_request.json.gz": ("search", 0),
    "beets_track_request.json.gz": ("search", 1),
    "zmb3_search_artist.json.gz": ("search", 1),
    "zmb3_search_tracks.json.gz": ("search", 2),
}


def docs(name: str) -> list[Any]:
    with gzip.open(SPOTIFY / name, "rb") as f:
        return documents(f.read())


def one(name: str, index: int = 0) -> SourceRecord:
    return parse_response(docs(name)[0], "2026-11-01")[index]


def credits(record: SourceRecord, subject: str) -> list[tuple[str, str]]:
    return [(c.credited_name, c.role) for c in record.credits if c.subject.value == subject]


def test_every_recorded_file_is_covered() -> None:
    assert sorted(p.name for p in SPOTIFY.glob("*.json.gz")) == sorted(RECORDED)


@pytest.mark.parametrize(("name", "expected"), sorted(RECORDED.items()))
def test_every_recorded_file_parses(name: str, expected: tuple[Any, int]) -> None:
    found = docs(name)
    if expected[0] == "search":
        (payload,) = found
        assert len(search_candidates(payload)) == expected[1]
        with pytest.raises(PayloadError, match="search_candidates"):
            parse_response(payload, "t")
        return
    assert len(found) == expected[0]
    for payload in found:
        records = parse_response(payload, "t")
        assert len(records) == expected[1]
        assert all(r.source == "spotify" for r in records)


def test_track_with_isrc_album_and_its_place_on_the_album() -> None:
    record = one("beets_track_info.json.gz")
    assert record.record_id == "tracks/6NPVjNh8Jhru9xOmyQigds"
    (happy,) = record.recordings
    assert (happy.title, happy.duration_ms) == ("Happy", 233305)
    assert [(r.namespace, r.value) for r in happy.also_known_as] == [("isrc", "USQ4E1300686")]
    assert (happy.release and happy.release.value) == "5l3zEmMrOhOzG8d8s83GOL"
    assert (happy.track_position, happy.track_label) == (4, "4")
    (album,) = record.releases
    assert (album.kind, album.date) == (ReleaseKind.COMPILATION, "2013-06-18")
    # "Various Artists" is Spotify's placeholder, not a person: never an artist or a credit.
    assert [a.name for a in record.artists] == ["Pharrell Williams"]
    assert credits(record, "6NPVjNh8Jhru9xOmyQigds") == [("Pharrell Williams", "main_artist")]
    assert credits(record, "5l3zEmMrOhOzG8d8s83GOL") == []
    assert {c.raw_role for c in record.credits} == {"artists"}


def test_second_billed_artist_not_on_the_album_is_featured() -> None:
    record = one("zmb3_find_track.json.gz")
    assert credits(record, "1zHlj4dQ8ZAtrayhuDDmkY") == [
        ("Pitbull", "main_artist"),
        ("Ke$ha", "featured_artist"),
    ]
    assert [c.position for c in record.credits] == [0, 1]


def test_lone_track_on_a_later_disc_keeps_its_label_not_a_wrong_position() -> None:
    suspicious = one("zmb3_artist_top_tracks.json.gz", 0)
    (recording,) = suspicious.recordings
    assert recording.title == "Suspicious Minds"
    assert (recording.track_position, recording.track_label) == (None, "3-19")
    falling = one("zmb3_artist_top_tracks.json.gz", 1)
    assert credits(falling, "5l5oJ7rf3ZODYsrAS1hah4") == [
        ("Elvis Presley", "main_artist"),
        ("The Jordanaires", "featured_artist"),
    ]


def test_album_with_upc_label_copyrights_and_tracks() -> None:
    record = one("beets_album_info.json.gz")
    assert record.record_id == "albums/5l3zEmMrOhOzG8d8s83GOL"
    (album,) = record.releases
    assert album.title == "Despicable Me 2 (Original Motion Picture Soundtrack)"
    assert [(r.namespace, r.value) for r in album.also_known_as] == [("upc", "857970002363")]
    assert [(f.kind, f.value, f.raw) for f in record.facts] == [
        ("label", "Back Lot Music", "label"),
        ("copyright", "2013 Back Lot Music", "copyrights[C]"),
        ("phonographic_copyright", "2013 Back Lot Music", "copyrights[P]"),
    ]
    assert len(record.recordings) == 24
    happy = next(r for r in record.recordings if r.title == "Happy")
    assert (happy.track_position, happy.ref.value) == (4, "6NPVjNh8Jhru9xOmyQigds")
    # On a compilation no track artist is an album artist: the first billed is the main one.
    assert credits(record, happy.ref.value) == [("Pharrell Williams", "main_artist")]


def test_two_disc_album_numbers_tracks_across_discs_and_pads_no_upc() -> None:
    record = one("zmb3_find_albums.json.gz", 0)
    (album,) = record.releases
    assert album.title == "The Best Of Keane (Deluxe Edition)"
    # Spotify wrote 00602537518357: the UPC-A inside it is the one other sources print.
    assert [r.value for r in album.also_known_as] == ["602537518357"]
    assert len(record.recordings) == 38
    snowed = next(r for r in record.recordings if r.title == "Snowed Under")
    assert (snowed.track_position, snowed.track_label) == (21, "2-1")
    assert credits(record, "41MnTivkwTO3UUJ8DrqEJJ") == [("Keane", "main_artist")]


def test_album_guests_are_featured_and_dates_keep_their_precision() -> None:
    night_train = one("zmb3_find_albums.json.gz", 2)
    guests = {(c.credited_name, c.role) for c in night_train.credits} - {("Keane", "main_artist")}
    assert guests == {("K'NAAN", "featured_artist"), ("Tigarah", "featured_artist")}
    mirrored = one("zmb3_find_albums.json.gz", 3)
    assert (mirrored.releases[0].date, mirrored.facts[0].value) == ("2007-03", "Warp Records")


def test_concatenated_documents_are_each_read() -> None:
    first, second = docs("zmb3_find_album.json.gz")
    assert first == second
    record = parse_album(first, "t")
    (album,) = record.releases
    assert (album.title, album.date, album.kind) == ("She's So Unusual", "1983", ReleaseKind.ALBUM)
    assert [r.value for r in album.also_known_as] == ["5099749994324"]  # an EAN-13 stays 13
    assert [r.track_position for r in record.recordings] == list(range(1, 14))


def test_album_tracks_page_points_at_its_album() -> None:
    record = one("zmb3_find_album_tracks.json.gz")
    assert record.record_id == "albums/0sNOF9WDwhWunNAHPD3Baj/tracks?offset=0"
    (track,) = record.recordings
    assert track.release is not None and track.release.kind is EntityKind.RELEASE
    assert (track.title, track.release.value, track.track_position) == (
        "Money Changes Everything",
        "0sNOF9WDwhWunNAHPD3Baj",
        1,
    )
    assert record.releases == []


def test_artist_lookup_and_related_artists() -> None:
    pitbull = one("zmb3_find_artist.json.gz")
    (artist,) = pitbull.artists
    assert (pitbull.record_id, artist.name) == ("artists/0TnOYISbd1XYRBk9myaseg", "Pitbull")
    assert artist.image_url == "https://i.scdn.co/image/b648bc1dbd4e85a4f176543e84537994500a9803"
    related = parse_response(docs("zmb3_related_artists.json.gz")[0], "t")
    assert related[0].artists[0].name == "The Everly Brothers"


def test_hand_edited_artist_ids_are_reported_and_the_isrc_normalised() -> None:
    record = one("beets_multiartist_track.json.gz")
    (recording,) = record.recordings
    assert [r.value for r in recording.also_known_as] == ["GBSMU4566095"]  # was GB-SMU-45-66095
    assert sorted(p.message for p in record.problems) == [
        "artist 'Bar' has no Spotify id ('67890')",
        "artist 'Foo' has no Spotify id ('12345')",
    ]
    assert credits(record, "0yhKyyjyKXWUieJ4w1IAEa") == [
        ("Project Skylate", "main_artist"),
        ("Sugar Shrill", "main_artist"),
    ]


def test_search_candidates_summarise_hits() -> None:
    (payload,) = docs("zmb3_search_tracks.json.gz")
    funk, girl = search_candidates(payload)
    assert (funk.kind, funk.id, funk.name) == ("track", "4rmPQGwcLQjCoFq5NrTA0D", "Uptown Funk")
    assert (funk.artists, funk.album, funk.isrc) == (
        ("Mark Ronson", "Bruno Mars"),
        "Uptown Funk",
        "GBARL1401524",
    )
    assert (girl.album, girl.isrc) == ("The Essential Billy Joel", "USSM18300270")
    (tania,) = search_candidates(docs("zmb3_search_artist.json.gz")[0])
    assert (tania.kind, tania.name, tania.artists) == ("artist", "Tania Bowra", ())


def test_album_search_hits_carry_date_and_barcode() -> None:
    album = {
        "type": "album",
        "id": "0sNOF9WDwhWunNAHPD3Baj",
        "name": "She's So Unusual",
        "release_date": "1983",
        "release_date_precision": "year",
        "external_ids": {"upc": "5099749994324"},
        "artists": [{"id": "2BTZIqw0ntH9MvilQ3ewNY", "name": "Cyndi Lauper"}],
    }
    (hit,) = search_candidates({"albums": {"items": [album]}})
    assert (hit.date, hit.upc, hit.artists) == ("1983", "5099749994324", ("Cyndi Lauper",))


def test_error_body_raises_spotify_error_with_status_and_message() -> None:
    (body,) = documents((SYNTHETIC / "error_404.json").read_text(encoding="utf-8"))
    for parse in (parse_response, parse_track, parse_album):
        with pytest.raises(SpotifyError) as caught:
            parse(body, "t")
        assert (caught.value.status, caught.value.message) == (404, "Resource not found")
    limited = {"error": {"status": 429, "message": "API rate limit exceeded"}}
    with pytest.raises(SpotifyError, match="429"):
        search_candidates(limited)


def test_track_without_a_usable_id_is_refused() -> None:
    with pytest.raises(PayloadError, match="Spotify id"):
        parse_track({"id": None, "name": "local file", "is_local": True}, "t")
    with pytest.raises(PayloadError, match="not a Spotify"):
        parse_response({"something": "else"}, "t")


def test_bad_tracks_inside_an_album_are_reported_and_the_rest_kept() -> None:
    (album,) = docs("zmb3_find_album.json.gz")[:1]
    album["tracks"]["items"][1]["id"] = None
    album["external_ids"] = {"upc": "12345"}
    record = parse_album(album, "t")
    assert len(record.recordings) == 12
    assert sorted(p.kind for p in record.problems) == ["bad_track", "invalid_id"]


@pytest.mark.parametrize(
    ("raw", "upc"),
    [
        ("857970002363", "857970002363"),
        ("0602537518357", "602537518357"),
        ("00602537518357", "602537518357"),
        ("5099749994324", "5099749994324"),
        ("12345", None),
        ("ABCDEFGHIJKL", None),
    ],
)
def test_barcodes_have_one_spelling(raw: str, upc: str | None) -> None:
    assert normalize_upc(raw) == upc


def test_isrc_spellings() -> None:
    assert normalize_isrc("us-q4e-13-00686") == "USQ4E1300686"
    assert normalize_isrc("USQ4E13006") is None
