"""Candidates from the sources' search answers, and choosing the one record meant.

Real recorded search answers (Spotify, Discogs), MusicBrainz's recorded XML answers in the JSON
search shape, and the synthetic Genius search for "24K Magic"."""

from __future__ import annotations

import gzip
import json
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import pytest

from linernotes.demo.build import data_dir
from linernotes.ingest.live import SOURCES, Target
from linernotes.lookup.candidates import (
    AT_LEAST,
    Candidate,
    Wanted,
    best,
    from_discogs,
    from_genius,
    from_musicbrainz,
    from_spotify,
    same_record,
    score,
)
from linernotes.normalize.musicbrainz_search import (
    parse_recording_search,
    parse_release_search,
)
from linernotes.normalize.records import PayloadError

FIXTURES = Path(__file__).parent / "fixtures" / "synthetic"
DEMO = data_dir()
MB_XML = {"mb": "http://musicbrainz.org/ns/mmd-2.0#"}
MB_SCORE = "{http://musicbrainz.org/ns/ext#-2.0}score"


def fixture(path: str) -> Any:
    return json.loads((FIXTURES / path).read_text(encoding="utf-8"))


def recorded(path: str) -> Any:
    with gzip.open(DEMO / path, "rt", encoding="utf-8") as f:
        return json.load(f)


def genius() -> list[Candidate]:
    return from_genius(fixture("genius/search_24k_magic.json"))


def spotify_tracks() -> list[Candidate]:
    return from_spotify(recorded("spotify/zmb3_search_tracks.json.gz"))


def discogs() -> list[Candidate]:
    return from_discogs(
        recorded("discogs/api/database_search_q_trash80_per_page_50_page_1.json.gz")
    )


def mb_recordings() -> list[Candidate]:
    return from_musicbrainz(fixture("musicbrainz/search_recording.json"))


def mb_releases() -> list[Candidate]:
    return from_musicbrainz(fixture("musicbrainz/search_release.json"))


def song(title: str, *artists: str, key: str = "x") -> Candidate:
    return Candidate("spotify", "song", key, "track", title, artists)


# -- converters -------------------------------------------------------------------------------


def test_genius_search_hits_are_songs_to_fetch() -> None:
    magic, fake_love = genius()
    assert magic == Candidate(
        "genius", "song", "2872960", "song", "24K Magic", ("Bruno Mars",), date="2016-10-07"
    )
    assert magic.target == Target("genius", "song", "2872960")
    assert (fake_love.title, fake_love.artists) == ("Fake Love", ("Drake",))


def test_spotify_search_hits_keep_order_isrc_and_album() -> None:
    funk, girl = spotify_tracks()
    assert (funk.what, funk.fetch_kind, funk.key) == ("song", "track", "4rmPQGwcLQjCoFq5NrTA0D")
    assert (funk.title, funk.artists, funk.isrc) == (
        "Uptown Funk",
        ("Mark Ronson", "Bruno Mars"),
        "GBARL1401524",
    )
    assert (girl.title, girl.album, girl.isrc) == (
        "Uptown Girl",
        "The Essential Billy Joel",
        "USSM18300270",
    )
    (artist,) = from_spotify(recorded("spotify/zmb3_search_artist.json.gz"))
    assert (artist.what, artist.title, artist.target) == (
        "artist",
        "Tania Bowra",
        Target("spotify", "artist", "08td7MxkoHQkXnWAYD8d6Q"),
    )


def test_discogs_search_rows_split_artist_from_title() -> None:
    found = discogs()
    assert len(found) == 13  # every row: an artist and twelve releases, none dropped
    artist, icarus_cdr, icarus_file, *_ = found
    assert (artist.what, artist.fetch_kind, artist.key, artist.title) == (
        "artist",
        "artist",
        "95780",
        "Trash80",
    )
    assert (icarus_cdr.what, icarus_cdr.fetch_kind, icarus_cdr.key) == (
        "album",
        "release",
        "1743771",
    )
    assert (icarus_cdr.title, icarus_cdr.artists, icarus_cdr.date) == (
        "Icarus",
        ("Trash80",),
        "2008",
    )
    assert (icarus_cdr.formats, icarus_file.formats) == (("CDr",), ("File",))
    darwinia = next(c for c in found if c.key == "3329867")
    assert (darwinia.title, darwinia.artists) == ("Darwinia Soundtrack", ("Trash80 & Dma-Sc",))
    no_year = next(c for c in found if c.key == "2674683")  # the row has no year at all
    assert no_year.date is None


def test_discogs_master_rows_barcodes_and_numbered_artists() -> None:
    """Current answers list barcodes (text included) and numbered names ("Steve Mac (2)")."""
    row = {
        "type": "master",
        "id": 1214003,
        "title": "Steve Mac (2) - Paradise - Remixes",
        "year": 2017,
        "barcode": ["Made in the EU", "0 190295 80123 4"],
        "format": ["Vinyl", '12"'],
    }
    label = {"type": "label", "id": 1, "title": "8bitpeoples"}
    (master,) = from_discogs({"results": [row, label]})  # a label has no credits to fetch
    assert master.target == Target("discogs", "master", "1214003")
    assert (master.title, master.artists) == ("Paradise - Remixes", ("Steve Mac",))
    assert (master.date, master.upc) == ("2017", "190295801234")


def test_every_candidate_kind_is_one_the_live_sources_fetch() -> None:
    found = genius() + spotify_tracks() + discogs() + mb_recordings() + mb_releases()
    for candidate in found:
        kinds, _ = SOURCES[candidate.source]
        assert candidate.fetch_kind in kinds, candidate


def test_musicbrainz_recording_search_in_the_json_shape() -> None:
    hits = parse_recording_search(fixture("musicbrainz/search_recording.json"))
    top = hits[0]
    assert (top.id, top.title, top.score, top.artists) == (
        "cb4d4d70-930c-4d1a-a157-776de18be66a",
        "Thief of Hearts",
        100,
        ("Dynamo Go",),
    )
    assert top.length_ms == 198586
    can = next(h for h in hits if h.artists == ("CAN",))
    assert len(can.releases) == 4
    # Shown by its earliest release: "Delay 1968" of 1981, though a 2006 reissue is listed too.
    assert can.first_release is not None and can.first_release.date == "1981"
    (candidate,) = [c for c in mb_recordings() if c.key == can.id]
    assert (candidate.fetch_kind, candidate.album, candidate.date) == (
        "recording",
        "Delay 1968",
        "1981",
    )


def test_musicbrainz_release_search_in_the_json_shape() -> None:
    hits = parse_release_search(fixture("musicbrainz/search_release.json"))
    top = hits[0]
    assert (top.title, top.score, top.kind, top.barcode, top.track_count) == (
        "Affordable Pop Music",
        100,
        "EP",
        "9421021463277",
        4,
    )
    pair = next(h for h in hits if len(h.artists) == 2)
    assert (pair.artists, pair.credit) == (
        ("Neil Watson", "Mark Sandell"),
        "Neil Watson & Mark Sandell",
    )
    candidate = mb_releases()[0]
    assert (candidate.what, candidate.fetch_kind, candidate.upc) == (
        "album",
        "release",
        "9421021463277",
    )


@pytest.mark.parametrize("kind", ["recording", "release"])
def test_musicbrainz_fixtures_hold_the_recorded_xml_values(kind: str) -> None:
    """The JSON fixtures were rewritten from the recorded XML: read the XML again, independently,
    and compare hit for hit."""
    with gzip.open(DEMO / f"musicbrainz/ws2-xml/search-{kind}.xml.gz") as f:
        root = ET.parse(f).getroot()
    expected = [
        (
            hit.get("id"),
            hit.findtext("mb:title", namespaces=MB_XML),
            int(hit.get(MB_SCORE) or -1),
            tuple(n.text for n in hit.findall("mb:artist-credit//mb:artist/mb:name", MB_XML)),
        )
        for hit in root.findall(f"mb:{kind}-list/mb:{kind}", MB_XML)
    ]
    payload = fixture(f"musicbrainz/search_{kind}.json")
    parse = parse_recording_search if kind == "recording" else parse_release_search
    assert [(h.id, h.title, h.score, h.artists) for h in parse(payload)] == expected
    assert len(expected) == 25


@pytest.mark.parametrize(
    ("payload", "says"),
    [
        ({"created": "x", "count": 0}, "no 'recordings' or 'releases' list"),
        ({"error": "Invalid query"}, "MusicBrainz answered an error: 'Invalid query'"),
        ({"recordings": [{"id": "nope", "title": "T", "score": 1}]}, "recording hit 1 has no MBID"),
        (
            {"releases": [{"id": "e94757ff-2655-4690-b369-4012beba6114", "title": "", "score": 5}]},
            "release hit 1 has no title",
        ),
        (
            {"recordings": [{"id": "cb4d4d70-930c-4d1a-a157-776de18be66a", "title": "T"}]},
            "recording hit 1 has no score",
        ),
        (
            {
                "recordings": [
                    {
                        "id": "cb4d4d70-930c-4d1a-a157-776de18be66a",
                        "title": "T",
                        "score": 9,
                        "artist-credit": [{"joinphrase": " & "}],
                    }
                ]
            },
            "recording hit 1: an artist-credit part has no name",
        ),
    ],
)
def test_bad_musicbrainz_search_answers_say_what_is_wrong(payload: Any, says: str) -> None:
    with pytest.raises(PayloadError, match=says.replace("(", r"\(").replace(")", r"\)")):
        from_musicbrainz(payload)


def test_other_bad_search_answers_say_what_is_wrong() -> None:
    with pytest.raises(PayloadError, match="not a Genius search response"):
        from_genius({"response": {}})
    with pytest.raises(PayloadError, match="no tracks, albums or artists page"):
        from_spotify({"href": "https://api.spotify.com/v1/search"})
    with pytest.raises(PayloadError, match="Spotify error 401"):
        from_spotify({"error": {"status": 401, "message": "No token provided"}})
    with pytest.raises(PayloadError, match="not a Discogs search answer"):
        from_discogs({"message": "You are making requests too quickly."})
    with pytest.raises(PayloadError, match="result 1 has no id"):
        from_discogs({"results": [{"type": "release", "title": "A - B"}]})


# -- choosing ---------------------------------------------------------------------------------


def test_typed_words_pick_24k_magic_over_fake_love() -> None:
    chosen = best(Wanted("24k magic bruno mars"), genius())
    assert chosen is not None and chosen.target == Target("genius", "song", "2872960")
    # In any order, with "by", and with a typo.
    assert best(Wanted("Bruno Mars - 24K Magic"), genius()) == chosen
    assert best(Wanted("24k magic by bruno marz"), genius()) == chosen
    # A word no source has is forgiven among enough others; one in three is too many.
    assert best(Wanted("24k magic bruno mars deluxe"), genius()) == chosen
    assert best(Wanted("24k magic drake"), genius()) is None


def test_spotify_search_best_is_the_track_the_query_names() -> None:
    funk, girl = spotify_tracks()
    assert best(Wanted("uptown funk"), spotify_tracks()) == funk
    assert best(Wanted("uptown girl"), spotify_tracks()) == girl
    assert best(Wanted("billy joel uptwn girl"), spotify_tracks()) == girl


def test_free_text_finds_albums_and_artists_too() -> None:
    chosen = best(Wanted("trash80 icarus", what="album"), discogs())
    assert chosen is not None and chosen.target == Target("discogs", "release", "1743771")
    artist = best(Wanted("trash80"), discogs())
    assert artist is not None and artist.target == Target("discogs", "artist", "95780")
    release = best(Wanted("affordable pop music dynamo go"), mb_releases())
    assert release is not None and release.key == "e94757ff-2655-4690-b369-4012beba6114"


def test_a_remix_loses_to_the_original() -> None:
    remix = song("Uptown Funk (Dave Audé Remix)", "Mark Ronson", "Bruno Mars", key="remix")
    live = song("Uptown Funk - Live", "Mark Ronson", "Bruno Mars", key="live")
    funk = spotify_tracks()[0]
    everything = [remix, live, *spotify_tracks()]  # the versions listed first
    assert best(Wanted("uptown funk bruno mars"), everything) == funk
    known = Wanted("", "Uptown Funk (feat. Bruno Mars)", "Mark Ronson & Bruno Mars")
    assert best(known, everything) == funk
    assert score(known, remix) < AT_LEAST and score(known, live) < AT_LEAST
    # Only versions to choose from: none is the song.
    assert best(known, [remix, live]) is None
    assert best(Wanted("uptown funk"), [remix, live]) is None
    # Asked for, a version is what is wanted, and the original is not.
    assert best(Wanted("uptown funk remix"), everything) == remix
    assert best(Wanted("", "Uptown Funk (Dave Audé Remix)", "Mark Ronson"), everything) == remix


def test_a_radio_edit_is_the_same_recording() -> None:
    edit = song("Uptown Funk - Radio Edit", "Mark Ronson", "Bruno Mars")
    assert best(Wanted("", "Uptown Funk", "Mark Ronson"), [edit]) == edit
    assert best(Wanted("uptown funk radio edit"), [edit]) == edit
    assert best(Wanted("uptown funk mark ronson"), [edit]) == edit


def test_a_word_of_the_title_is_not_a_version() -> None:
    """ "Live" in "Live Your Life" is the title, not a live recording."""
    tune = song("Live Your Life", "T.I.", "Rihanna")
    assert best(Wanted("live your life rihanna"), [tune]) == tune
    assert best(Wanted("", "Live Your Life (feat. Rihanna)", "T.I."), [tune]) == tune


def test_same_title_by_another_artist_is_refused_when_the_artist_is_known() -> None:
    cover = song("24K Magic", "Pentatonix")
    identified = Wanted("24k magic").identified(genius()[0])
    assert (identified.title, identified.artist) == ("24K Magic", "Bruno Mars")
    assert score(identified, cover) < AT_LEAST
    assert best(identified, [cover]) is None
    assert best(identified, [cover, *genius()]) == genius()[0]
    # The same by name only in part: "Mars" is not "Bruno Mars".
    assert best(identified, [song("24K Magic", "Mars")]) is None
    # Typed words naming the artist refuse it too.
    assert best(Wanted("24k magic bruno mars"), [cover]) is None


def test_known_title_and_artist_match_across_sources() -> None:
    """Once Genius identified the song, MusicBrainz's hits are chosen by title and artist."""
    wanted = Wanted("", "Thief", "CAN")
    chosen = best(wanted, mb_recordings())
    assert chosen is not None and chosen.key == "b47c4a38-a130-484a-83cd-810e7b627ddf"
    third_day = best(Wanted("", "Thief", "Third Day"), mb_recordings())
    assert third_day is not None and third_day.key == "5d93c09f-e20c-4518-a94a-cb91207c6a3c"
    assert best(Wanted("", "Thief", "Radiohead"), mb_recordings()) is None


def test_two_records_scoring_alike_are_not_guessed_between() -> None:
    """ "thief" names a Third Day song and a CAN song equally: fetching either could show the
    wrong credits. Two releases of one album are one record, so those are fine."""
    assert best(Wanted("thief"), mb_recordings()) is None
    assert best(Wanted("uptown"), spotify_tracks()) is None
    icarus = best(Wanted("icarus"), discogs())
    assert icarus is not None and icarus.key == "1743771"
    cdr, file = (c for c in discogs() if c.title == "Icarus")
    assert same_record(cdr, file)
    assert not same_record(*[c for c in mb_recordings() if c.title == "Thief"])


def test_nothing_close_gives_none() -> None:
    everything = genius() + spotify_tracks() + discogs() + mb_recordings() + mb_releases()
    assert best(Wanted("nothing like this at all"), everything) is None
    # Each explains one word of two: neither is it.
    assert best(Wanted("magic love"), genius()) is None
    assert best(Wanted(""), everything) is None


def test_what_is_wanted_keeps_other_kinds_out() -> None:
    album = Candidate("spotify", "album", "a", "album", "24K Magic", ("Bruno Mars",))
    assert best(Wanted("24k magic bruno mars", what="album"), [*genius(), album]) == album
    assert best(Wanted("24k magic bruno mars", what="song"), [album, *genius()]) == genius()[0]
    assert (
        score(
            Wanted("", "24K Magic", "Bruno Mars"),
            Candidate("x", "artist", "1", "artist", "24K Magic"),
        )
        == 0
    )
