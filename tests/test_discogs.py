"""Discogs API payloads -> source records, on every recorded API response, plus the field rules
(names, dates, barcodes, durations, joins, tracklists) on small built inputs."""

from __future__ import annotations

import gzip
import json
from typing import Any

import pytest

from linernotes.demo.build import data_dir
from linernotes.normalize import discogs
from linernotes.normalize.discogs_artist import split_name
from linernotes.normalize.discogs_release import (
    barcode_to_upc,
    duration_ms,
    release_date,
    release_kind,
)
from linernotes.normalize.records import (
    ArtistKind,
    EntityKind,
    Ref,
    ReleaseKind,
    SourceRecord,
)
from linernotes.normalize.roles import ROLES, UNMAPPED
from linernotes.sources.discogs_dump import iter_releases

API = data_dir() / "discogs" / "api"
WHEN = "2026-11-21"


def payload(name: str) -> dict[str, Any]:
    with gzip.open(API / f"{name}.json.gz", "rt", encoding="utf-8") as f:
        value: dict[str, Any] = json.load(f)
    return value


def release(name: str) -> SourceRecord:
    return discogs.parse_api_release(payload(name), WHEN)


def credits(record: SourceRecord, subject: str | None = None) -> list[tuple[str, str, str, str]]:
    """(credited name, role, raw role, detail) on one subject (the release by default)."""
    wanted = subject or record.record_id.split("/")[1]
    return [
        (c.credited_name, c.role, c.raw_role, c.detail)
        for c in record.credits
        if c.subject.value == wanted
    ]


def artist(discogs_id: int) -> Ref:
    return Ref(EntityKind.ARTIST, "discogs", str(discogs_id))


# -- every recorded response ------------------------------------------------------------------

RELEASE_FILES = sorted(p.name.removesuffix(".json.gz") for p in API.glob("releases_*.json.gz"))


@pytest.mark.parametrize("name", RELEASE_FILES)
def test_every_recorded_release_parses(name: str) -> None:
    record = release(name)
    discogs_id = payload(name)["id"]
    assert record.source == "discogs" and record.record_id == f"releases/{discogs_id}"
    (rel,) = record.releases
    assert rel.ref == Ref(EntityKind.RELEASE, "discogs", str(discogs_id))
    assert record.recordings and all(r.release == rel.ref for r in record.recordings)
    assert [r.track_position for r in record.recordings] == list(
        range(1, len(record.recordings) + 1)
    )
    assert all(c.role in ROLES for c in record.credits)
    credited = {c.artist for c in record.credits}
    assert credited == {a.ref for a in record.artists}  # one record per credited artist
    assert len(record.artists) == len({a.ref for a in record.artists})


def test_producer_written_by_list_gives_one_credit_per_part() -> None:
    record = release("releases_79")
    assert credits(record) == [
        ("The Persuader", "main_artist", "Main", ""),
        ("Jesper Dahlbäck", "producer", "Producer", ""),
        ("Jesper Dahlbäck", "songwriter", "Written-By", ""),
    ]
    (rel,) = record.releases
    assert (rel.title, rel.date, rel.kind) == ("City Of Islands", "1998-12", ReleaseKind.UNKNOWN)
    assert [(r.track_label, r.title, r.duration_ms) for r in record.recordings] == [
        ("A1", "Djurgårdsbron", 312_000),
        ("A2", "Centralbron", 260_000),
        ("B1", "Strömsbron", 287_000),
        ("B2", "Kungsbron", 282_000),
    ]
    # No track lists its own artists, so the release's main artist is credited on each track.
    assert credits(record, "79:B2") == [("The Persuader", "main_artist", "Main", "")]
    assert [(f.kind, f.value, f.raw) for f in record.facts] == [
        ("label", "Svek", "label"),
        ("discogs_master", "4242", "master_id"),
    ]
    assert record.facts[0].org == Ref(EntityKind.ARTIST, "discogs_label", "5")
    assert not record.problems


def test_name_as_credited_and_repeated_label() -> None:
    record = release("releases_2")
    assert credits(record)[1:] == [
        ("Alexi Delano", "producer", "Producer", ""),
        ("Alexi Delano", "recording_engineer", "Recorded By", ""),
        ("Cari Lekebusch", "producer", "Producer", ""),
        ("Cari Lekebusch", "recording_engineer", "Recorded By", ""),
        ("A. Delano", "songwriter", "Written-By", ""),
        ("C. Lekebusch", "songwriter", "Written-By", ""),
    ]
    # Svek is listed twice (two catalogue numbers): one label fact.
    assert [f.value for f in record.facts if f.kind == "label"] == ["Svek"]
    # Matrix / runout identifiers are not barcodes.
    assert record.releases[0].also_known_as == []


def test_compilation_with_track_artists_remixes_and_companies() -> None:
    record = release("releases_3")
    (rel,) = record.releases
    assert rel.kind is ReleaseKind.COMPILATION
    assert rel.also_known_as == [Ref(EntityKind.RELEASE, "upc", "0074646362822")]
    assert credits(record) == [
        ("Josh Wink", "main_artist", "Main", ""),
        ("Josh Wink", "dj_mixer", "DJ Mix", ""),
    ]
    # Tracks with their own artists credit those, in order, and not the DJ.
    assert credits(record, "3:1") == [
        ("Heiko Laux", "main_artist", "Main", ""),
        ("Johannes Heil", "main_artist", "Main", ""),
    ]
    assert credits(record, "3:2") == [("K.A.B.", "main_artist", "Main", "")]
    assert ("Mood II Swing", "remixer", "Remix", "") in credits(record, "3:3")
    # "Presents" joins two main artists.
    assert credits(record, "3:10")[:2] == [
        ("Stacey Pullen", "main_artist", "Main", ""),
        ("Black Odyssey", "main_artist", "Main", ""),
    ]
    assert credits(record, "3:10")[2][2] == "Presenter"  # the raw role, as written
    care = next(a for a in record.artists if a.ref == artist(267132))
    assert (care.name, care.disambiguation) == ("Care Company", "Discogs (2)")
    assert {(f.kind, f.value, f.raw) for f in record.facts} >= {
        ("manufacturer", "Columbia Records", "Manufactured By"),
        ("distributor", "Columbia Records", "Distributed By"),
    }


def test_bracketed_qualifier_and_studio_fact() -> None:
    record = release("releases_1")
    assert credits(record)[1] == (
        "Jesper Dahlbäck",
        "composer",
        "Music By [All Tracks By]",
        "All Tracks By",
    )
    assert ("recorded_at", "The Globe Studios") in {(f.kind, f.value) for f in record.facts}
    assert [r.track_label for r in record.recordings] == ["A", "B1", "B2", "C1", "C2", "D"]
    assert record.releases[0].date == "1999-03"


def test_self_released_album_has_no_label_fact() -> None:
    record = release("releases_3329867")
    (rel,) = record.releases
    assert (rel.kind, rel.date) == (ReleaseKind.ALBUM, "2005")
    assert record.facts == []  # "Not On Label" is Discogs' placeholder, not a company
    assert credits(record) == [
        ("Trash80", "main_artist", "Main", ""),
        ("Dma-Sc", "main_artist", "Main", ""),
    ]


def test_api_artist_with_groups_handles_and_name_variations() -> None:
    record = discogs.parse_api_artist(payload("artists_3"), WHEN)
    wink, *groups = record.artists
    assert (wink.ref, wink.name, wink.kind) == (artist(3), "Josh Wink", ArtistKind.PERSON)
    assert wink.aliases[0].name == "Joshua Winkelman" and wink.aliases[0].kind == "legal"
    assert {a.name for a in wink.aliases if a.kind == "variation"} >= {"DJ Wink", "J. Winkelman"}
    # Aliases name other Discogs artists (Dinky Dog, Size 9): neither names nor records of his.
    assert not {"Dinky Dog", "Size 9"} & {a.name for a in wink.aliases}
    assert all(g.kind is ArtistKind.GROUP and g.members == [artist(3)] for g in groups)
    force = next(g for g in groups if g.ref == artist(1642275))
    assert (force.name, force.disambiguation) == ("The Force", "Discogs (23)")
    assert [(h.platform.value, h.handle, h.evidence.value, h.quote) for h in record.handles] == [
        ("twitter", "joshwink1", "source_field", "http://twitter.com/joshwink1")
    ]
    assert record.handles[0].note == "Discogs artist urls"


def test_api_artist_with_inverted_article_and_real_name() -> None:
    record = discogs.parse_api_artist(payload("artists_1"), WHEN)
    (persuader,) = record.artists
    assert persuader.name == "The Persuader"
    assert [(a.name, a.kind) for a in persuader.aliases] == [
        ("Jesper Dahlbäck", "legal"),
        ("Persuader", "variation"),
        ("The Presuader", "variation"),
    ]


def test_api_master_is_a_grouping_fact_on_its_main_release() -> None:
    record = discogs.parse_api_master(payload("masters_4242"), WHEN)
    assert record.record_id == "masters/4242"
    (fact,) = record.facts
    assert (fact.subject, fact.kind, fact.value) == (
        Ref(EntityKind.RELEASE, "discogs", "79"),
        "discogs_master",
        "4242",
    )
    assert not record.releases  # never an identity link between releases


def test_api_label_search_and_paging() -> None:
    label = discogs.label_from_api(payload("labels_1"))
    assert (label["id"], label["name"], label["parent"]) == (1, "Planet E", None)
    assert [s["name"] for s in label["sublabels"]][:2] == ["Antidote (4)", "Community Projects"]
    assert "http://twitter.com/planetedetroit" in label["urls"]
    search = payload("database_search_q_trash80_per_page_50_page_1")
    assert discogs.listed_items(search)[:2] == [("artist", 95780), ("release", 1743771)]
    assert discogs.next_page_url(search) is None
    page = payload("artists_1_releases_per_page_50_page_1")
    assert ("master", 4242) in discogs.listed_items(page)
    assert discogs.next_page_url(page) == "/artists/1/releases?per_page=50&page=2"


@pytest.mark.parametrize(
    "bad",
    [
        {},
        {"title": "no id"},
        {"id": 7, "title": ""},
        {"id": 0, "title": "T"},
        ["not", "an", "object"],
    ],
)
def test_payload_without_id_or_title_raises(bad: Any) -> None:
    with pytest.raises(discogs.PayloadError):
        discogs.parse_api_release(bad, WHEN)


# -- field rules ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Care Company (2)", ("Care Company", "Discogs (2)")),
        ("Persuader, The", ("The Persuader", None)),
        ("Force, The (23)", ("The Force", "Discogs (23)")),
        ("Earth, Wind & Fire", ("Earth, Wind & Fire", None)),
        ("Sid (16)", ("Sid", "Discogs (16)")),
        ("Boney M.", ("Boney M.", None)),
    ],
)
def test_split_name(raw: str, expected: tuple[str, str | None]) -> None:
    assert split_name(raw) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1999-07-13", "1999-07-13"),
        ("1998-06-00", "1998-06"),
        ("1999-00-00", "1999"),
        ("2005", "2005"),
        ("1999-13-40", "1999"),
        ("", None),
        ("0000-00-00", None),
        ("unknown", None),
    ],
)
def test_release_date_keeps_precision(text: str, expected: str | None) -> None:
    assert release_date(text) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("074646362822", "0074646362822"),  # UPC-A
        ("0 74646 36282 2", "0074646362822"),  # as printed
        ("7 961220 922684 >", "7961220922684"),  # EAN-13 with the quiet-zone mark
        ("5025425406522", "5025425406522"),
        ("074646362823", None),  # wrong check digit
        ("5924000351", None),  # too short
        ("", None),
    ],
)
def test_barcode_to_upc(value: str, expected: str | None) -> None:
    assert barcode_to_upc(value) == expected


def test_duration_and_kind() -> None:
    assert duration_ms("3:45") == 225_000
    assert duration_ms("1:02:03") == 3_723_000
    assert [duration_ms(t) for t in ("", "3", "0:00", "3:4x")] == [None] * 4
    assert release_kind(["LP", "Album", "Compilation"]) is ReleaseKind.COMPILATION
    assert release_kind(['12"', "Maxi-Single"]) is ReleaseKind.SINGLE
    assert release_kind(["Mini-Album"]) is ReleaseKind.EP
    assert release_kind(['7"', "45 RPM"]) is ReleaseKind.UNKNOWN


# -- built inputs for what no recording shows -------------------------------------------------


def credit(discogs_id: int, name: str, **fields: str) -> dict[str, Any]:
    return {
        "id": discogs_id,
        "name": name,
        "anv": "",
        "join": "",
        "role": "",
        "tracks": "",
    } | fields


def built_release(**fields: Any) -> dict[str, Any]:
    """A release payload in the API's shape (GET /releases/{id}), with only what a test needs."""
    base: dict[str, Any] = {
        "id": 900,
        "title": "Built",
        "artists": [credit(1, "Main Act")],
        "tracklist": [{"position": "1", "title": "One", "duration": "3:00", "type_": "track"}],
    }
    return base | fields


def test_featuring_join_makes_the_following_artists_featured() -> None:
    artists = [
        credit(1, "Lead", join="Feat."),
        credit(2, "Guest One", join="&"),
        credit(3, "Guest Two"),
    ]
    record = discogs.parse_api_release(built_release(artists=artists), WHEN)
    assert credits(record) == [
        ("Lead", "main_artist", "Main", ""),
        ("Guest One", "featured_artist", "Feat.", ""),
        ("Guest Two", "featured_artist", "Feat.", ""),
    ]
    assert credits(record, "900:1") == credits(record)  # the track has no artists of its own
    with_join = [credit(1, "Lead", join="With"), credit(2, "Band")]
    record = discogs.parse_api_release(built_release(artists=with_join), WHEN)
    assert [c[1] for c in credits(record)] == ["main_artist", "featured_artist"]


def test_unknown_role_is_kept_raw_and_reported_once() -> None:
    extra = [credit(5, "Hype", role="Hype Man"), credit(6, "Also Hype", role="Hype Man")]
    record = discogs.parse_api_release(built_release(extraartists=extra), WHEN)
    assert credits(record)[1:] == [
        ("Hype", UNMAPPED, "Hype Man", ""),
        ("Also Hype", UNMAPPED, "Hype Man", ""),
    ]
    (problem,) = record.problems
    assert problem.kind == "unknown_role" and "'Hype Man'" in problem.message


def test_credit_without_artist_id_is_kept_by_name_and_reported() -> None:
    extra = [
        credit(0, "Somebody", role="Mixed By, Mastered By"),
        credit(5, "Real Person", role="Mixed By"),
        credit(6, "No Role"),
    ]
    record = discogs.parse_api_release(built_release(extraartists=extra), WHEN)
    kept = [c[0] for c in credits(record) if c[1] != "main_artist"]
    assert kept == ["Somebody", "Somebody", "Real Person"]  # mixing and mastering: both kept
    (unlinked,) = [a for a in record.artists if a.ref.namespace == "discogs_unlinked"]
    assert (unlinked.ref.value, unlinked.name) == ("somebody", "Somebody")
    missing, empty = record.problems
    assert missing.kind == "unlinked_artist"  # once for the credit, naming all its roles
    assert all(s in missing.message for s in ("900", "Somebody", "Mixed By, Mastered By"))
    assert empty.kind == "empty_role" and "No Role" in empty.message


def test_scoped_and_uncredited_credits() -> None:
    tracks = [
        {"position": p, "title": p, "duration": "", "type_": "track"} for p in ("A1", "A2", "B1")
    ]
    extra = [
        credit(7, "Producer Person", role="Producer", tracks="A1 to A2"),
        credit(8, "Everyone", role="Engineer [Uncredited]", tracks="All"),
        credit(9, "Typo", role="Producer", tracks="Somebody's Name"),
    ]
    record = discogs.parse_api_release(built_release(tracklist=tracks, extraartists=extra), WHEN)
    release_credits = [(c.credited_name, c.role, c.detail, c.tracks) for c in record.credits]
    assert ("Producer Person", "producer", "", "A1 to A2") in release_credits
    assert ("Everyone", "engineer", "uncredited", "") in release_credits  # "All" = whole release
    assert ("Typo", "producer", "", "Somebody's Name") in release_credits  # kept as written
    (problem,) = record.problems
    assert problem.kind == "unparsed_track_scope" and "Somebody's Name" in problem.message


def test_headings_index_tracks_and_sub_tracks() -> None:
    tracklist = [
        {"position": "", "title": "Side One", "type_": "heading"},
        {
            "position": "",
            "title": "Suite",
            "type_": "index",
            "extraartists": [credit(20, "Composer", role="Composed By")],
            "sub_tracks": [
                {"position": "A1", "title": "I. Allegro", "type_": "track"},
                {"position": "A2", "title": "II. Adagio", "type_": "track"},
            ],
        },
        {
            "position": "B1",
            "title": "Medley",
            "type_": "track",
            "sub_tracks": [
                {
                    "position": "B1a",
                    "title": "Part",
                    "type_": "track",
                    "extraartists": [credit(21, "Writer", role="Written-By")],
                }
            ],
        },
    ]
    record = discogs.parse_api_release(built_release(tracklist=tracklist), WHEN)
    assert [(r.track_position, r.track_label, r.title) for r in record.recordings] == [
        (1, "A1", "I. Allegro"),
        (2, "A2", "II. Adagio"),
        (3, "B1", "Medley"),  # a numbered track's sub-tracks are parts of it
    ]
    assert ("Composer", "composer", "Composed By", "") in credits(record, "900:A2")
    assert ("Writer", "songwriter", "Written-By", "") in credits(record, "900:B1")


def test_repeated_and_missing_positions_get_distinct_keys() -> None:
    tracklist = [
        {"position": "A", "title": "x", "type_": "track"},
        {"position": "A", "title": "y", "type_": "track"},
    ]
    record = discogs.parse_api_release(built_release(tracklist=tracklist), WHEN)
    assert [r.ref.value for r in record.recordings] == ["900:A", "900:A#2"]
    unnumbered = [{"position": "", "title": t} for t in ("First", "Second")]
    record = discogs.parse_api_release(built_release(tracklist=unnumbered), WHEN)
    assert [(r.ref.value, r.track_label) for r in record.recordings] == [
        ("900:#1", None),
        ("900:#2", None),
    ]


def test_artist_urls_become_handles_cross_links_or_problems() -> None:
    urls = [
        "https://www.instagram.com/SomeOne.Music/",
        "https://x.com/someone",
        "https://www.instagram.com/p/Cabc123/",  # a post, not a profile
        "https://www.wikidata.org/wiki/Q2831",
        "https://musicbrainz.org/artist/F27EC8DB-AF05-4F36-916E-3D57F91ECF5E",
        "https://genius.com/artists/Michael-jackson",
        "https://www.discogs.com/artist/15885",
        "http://www.michaeljackson.com",
    ]
    record = discogs.parse_api_artist({"id": 15885, "name": "Michael Jackson", "urls": urls}, WHEN)
    (mj,) = record.artists
    assert mj.ref == artist(15885)
    assert [(h.platform.value, h.handle) for h in record.handles] == [
        ("instagram", "someone.music"),
        ("twitter", "someone"),
    ]
    assert {(r.namespace, r.value) for r in mj.also_known_as} == {
        ("wikidata", "Q2831"),
        ("musicbrainz", "f27ec8db-af05-4f36-916e-3d57f91ecf5e"),
        ("genius_slug", "Michael-jackson"),
    }
    (problem,) = record.problems
    assert problem.kind == "invalid_handle" and "/p/" in problem.message


def test_group_members_get_records_and_real_name_is_not_a_legal_name() -> None:
    group = {
        "id": 2,
        "name": "Mr. James Barth & A.D.",
        "realname": "Cari Lekebusch & Alexi Delano",
        "members": [{"id": 26, "name": "Alexi Delano"}, {"id": 27, "name": "Cari Lekebusch"}],
    }
    record = discogs.parse_api_artist(group, WHEN)
    duo, *members = record.artists
    assert duo.kind is ArtistKind.GROUP and duo.aliases == []
    assert duo.members == [artist(26), artist(27)]
    assert [(m.ref, m.name) for m in members] == [
        (artist(26), "Alexi Delano"),
        (artist(27), "Cari Lekebusch"),
    ]


def test_api_and_dump_give_the_same_record_ids() -> None:
    dump = data_dir() / "discogs" / "dump" / "discogs_20200806_releases.sample800.xml.gz"
    from_dump = next(r for _, r in iter_releases(dump) if isinstance(r, SourceRecord))
    from_api = release("releases_2")
    assert from_dump.record_id == from_api.record_id == "releases/2"
    producers = {(c.artist, c.role) for c in from_api.credits if c.role == "producer"}
    assert producers == {(c.artist, c.role) for c in from_dump.credits if c.role == "producer"}
