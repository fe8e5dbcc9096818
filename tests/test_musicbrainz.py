"""MusicBrainz parsers on every recorded ws/2 JSON response, plus the cases none of them has."""

from __future__ import annotations

import copy
import json
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from conftest import demo_json
from linernotes.ingest.pipeline import Item, Stream, ingest
from linernotes.normalize.handles import EvidenceKind, Platform
from linernotes.normalize.musicbrainz import (
    PayloadError,
    parse_artist,
    parse_recording,
    parse_release,
    parse_release_group,
    ref_from_url,
    release_kind,
    upc_of,
)
from linernotes.normalize.records import (
    Alias,
    ArtistKind,
    EntityKind,
    Ref,
    ReleaseKind,
    SourceRecord,
)
from linernotes.normalize.roles import UNMAPPED
from linernotes.sources.musicbrainz_types import MbReleaseGroup
from linernotes.store.catalog import Catalog

SYNTHETIC = Path(__file__).parent / "fixtures" / "synthetic" / "musicbrainz"
T = "2026-11-21"


def mb(name: str) -> dict[str, Any]:
    return demo_json(f"musicbrainz/ws2-json/{name}.json.gz")


def credits(record: SourceRecord) -> set[tuple[str, str, str, str]]:
    """(name as credited, role, raw role, detail) of every credit."""
    return {(c.credited_name, c.role, c.raw_role, c.detail) for c in record.credits}


def artist_named(record: SourceRecord, name: str) -> Any:
    return next(a for a in record.artists if a.name == name)


def ids(refs: list[Ref]) -> set[tuple[str, str]]:
    return {(r.namespace, r.value) for r in refs}


# -- recordings ------------------------------------------------------------------------------


def test_recording_with_artist_and_work_relationships() -> None:
    record = parse_recording(mb("recording"), T)
    assert record.record_id == "recordings/cb2cc207-8125-445c-9ef9-6ea44eee959a"
    (recording,) = record.recordings
    assert (recording.title, recording.duration_ms, recording.date) == (
        "Thinking Out Loud",
        281000,
        "2014-06-20",
    )
    assert ids(recording.also_known_as) == {("isrc", "GBAHS1400099")}
    assert credits(record) == {
        ("Ed Sheeran", "main_artist", "artist-credit", ""),
        ("Ed Sheeran", "performer", "performer", ""),
        ("Ed Sheeran", "lead_vocalist", "vocal+lead vocals", ""),
        # The attribute is "guitar family"; the release credits it as "acoustic guitar".
        ("Ed Sheeran", "instrumentalist", "instrument+guitar family", "acoustic guitar"),
        # The work's writers, credited on the recording with the source's wording kept.
        ("Ed Sheeran", "songwriter", "work:writer", ""),
        ("Amy Wadge", "songwriter", "work:writer", ""),
    }
    # Covers of the work and the DJ-mix that samples it are other recordings: no credits here.
    assert {a.name for a in record.artists} == {"Ed Sheeran", "Amy Wadge"}
    assert artist_named(record, "Ed Sheeran").sort_name == "Sheeran, Ed"
    assert not record.problems


def test_recording_of_a_classical_work_credits_composer_as_credited() -> None:
    record = parse_recording(mb("recording_composer"), T)
    assert credits(record) == {
        ("Pyotr Ilyich Tchaikovsky", "main_artist", "artist-credit", ""),
        ("Charles Dutoit", "conductor", "conductor", ""),
        ("Colin Moorfoot", "engineer", "engineer", ""),
        ("Orchestre symphonique de Montréal", "orchestra", "performing orchestra", ""),
        ("Ray Minshull", "producer", "producer", ""),
        ("Tchaikovsky", "composer", "work:composer", ""),  # target-credit, not his name
    }
    composer = artist_named(record, "Пётр Ильич Чайковский")
    assert composer.kind is ArtistKind.PERSON
    assert Alias("Piotr Ilitch Tchaïkovski", "legal") in composer.aliases
    assert Alias("Tchaikovski", "alternate") in composer.aliases  # a search hint
    assert artist_named(record, "Orchestre symphonique de Montréal").kind is ArtistKind.GROUP


def test_two_producers_stay_producers_and_target_credit_names_the_singer() -> None:
    record = parse_recording(mb("recording_credits"), T)
    roles = Counter(c.role for c in record.credits)
    assert roles == {
        "main_artist": 1,
        "arranger": 2,
        "producer": 2,  # never co_producer: MusicBrainz did not say "co"
        "engineer": 1,
        "instrumentalist": 4,
        "vocalist": 1,
    }
    assert ("Frida", "vocalist", "vocal+solo", "solo") in credits(record)
    assert ("Michael Brecker", "instrumentalist", "instrument+EWI", "EWI") in credits(record)
    frida = next(c for c in record.credits if c.credited_name == "Frida")
    assert frida.artist == Ref(EntityKind.ARTIST, "musicbrainz", artist_mbid(record, "Frida"))


def artist_mbid(record: SourceRecord, credited: str) -> str:
    credit = next(c for c in record.credits if c.credited_name == credited)
    return credit.artist.value


def test_generic_instrument_sound_and_visual_credits() -> None:
    record = parse_recording(mb("recording_generic_instrument"), T)
    assert credits(record) == {
        ("ilhamdz", "animator", "animation", ""),
        ("Xeapher", "illustrator", "illustration", ""),
        ("SixteenInMono", "instrumentalist", "instrument", ""),
        ("QueenPb", "mixing_engineer", "mix", ""),
        ("Todd Barriage", "engineer", "sound", "sound"),
        ("Camila", "vocalist", "vocal", ""),
        ("Michi Mochievee", "vocalist", "vocal", ""),
    }
    assert artist_named(record, "Camila").kind is ArtistKind.UNKNOWN  # a "Character"
    assert artist_named(record, "QueenPb").disambiguation == "Vocaloid producer"


def test_instrumental_performance_credits_the_composer_not_the_lyricist() -> None:
    record = parse_recording(mb("recording_instrumental"), T)
    assert credits(record) == {("Bobby Scott", "composer", "work:composer", "")}
    assert "Ric Marlow" not in {a.name for a in record.artists}


def test_medley_of_many_works_credits_each_writer_once() -> None:
    record = parse_recording(mb("recording_multiple_works"), T)
    roles = Counter(c.role for c in record.credits)
    assert roles == {"composer": 10, "lyricist": 3, "arranger": 1}
    kosaki = Counter(c.role for c in record.credits if c.credited_name == "神前暁")
    assert kosaki == {"composer": 1, "lyricist": 1, "arranger": 1}  # composer of 15 works
    assert len({c.artist for c in record.credits}) == len(record.artists) == 11


def test_music_video_credits_use_the_name_as_credited() -> None:
    record = parse_recording(mb("recording_video"), T)
    assert credits(record) == {
        ("Paradise Lost", "main_artist", "artist-credit", ""),
        ("Edward 209", "producer", "producer", ""),
        ("Edward 209", "video_director", "video director", ""),
        ("Gregor Mackintosh", "composer", "work:composer", ""),
        ("Nick Holmes", "lyricist", "work:lyricist", ""),
    }
    assert "Edward Mavskegg" in {a.name for a in record.artists}
    assert artist_named(record, "Paradise Lost").kind is ArtistKind.GROUP


# -- releases --------------------------------------------------------------------------------


def test_release_with_tracks_label_and_release_credits() -> None:
    record = parse_release(mb("release"), T)
    (release,) = record.releases
    assert (release.title, release.kind, release.date) == (
        "The Dark Side of the Moon",
        ReleaseKind.ALBUM,
        "1973-03-24",
    )
    # "123" (hand-edited upstream) is no UPC; the Discogs url names the same release.
    assert ids(release.also_known_as) == {("discogs", "1873013")}
    assert [(r.track_position, r.track_label, r.title) for r in record.recordings][:3] == [
        (1, "A1", "Speak to Me"),
        (2, "A2", "Breathe"),
        (3, "A3", "On the Run"),
    ]
    assert [r.track_label for r in record.recordings][-1] == "B5"
    assert {r.release for r in record.recordings} == {release.ref}
    assert credits(record) == {
        ("Pink Floyd", "main_artist", "artist-credit", ""),
        ("George Hardie N.T.A.", "designer", "design/illustration", ""),
        ("Hipgnosis", "designer", "design/illustration", ""),
        ("Hipgnosis", "photographer", "photography", ""),
        ("Hipgnosis", "producer", "producer", ""),
    }
    assert {c.subject for c in record.credits} == {release.ref}
    facts = {(f.kind, f.value, f.org.value if f.org else None) for f in record.facts}
    label = "993af7f6-bb99-456b-83e7-5e728ea80a0e"
    assert facts == {
        ("musicbrainz_release_group", "f5093c06-23e3-404f-aeaa-40f72885ee3a", None),
        ("label", "Harvest", label),
        ("catalog_number", "SHVL 804", label),
    }
    assert "Harvest" not in {a.name for a in record.artists}


def test_release_without_group_or_media_keeps_its_release_credits() -> None:
    record = parse_release(mb("release_djmix"), T)
    (release,) = record.releases
    assert release.kind is ReleaseKind.UNKNOWN  # no release group in the response
    assert ids(release.also_known_as) == {("upc", "0602527121956")}
    assert not record.recordings
    roles = Counter(c.role for c in record.credits)
    assert roles["executive_producer"] == 2 and roles["mastering_engineer"] == 2
    mix = next(c for c in record.credits if c.role == "dj_mixer")
    # The "medium 2" attribute is a scope: the credit covers the second disc only.
    assert (mix.credited_name, mix.raw_role, mix.detail, mix.tracks) == (
        "Frankmusik",
        "mix-DJ+medium 2",
        "",
        "medium 2",
    )


def test_multi_disc_release_labels_tracks_by_disc() -> None:
    record = parse_release(mb("release_multidisc"), T)
    (release,) = record.releases
    assert (release.kind, ids(release.also_known_as)) == (
        ReleaseKind.SINGLE,
        {("upc", "4547366518764")},
    )
    assert [(r.track_position, r.track_label) for r in record.recordings] == [
        (1, "1-1"),
        (2, "1-2"),
        (3, "1-3"),
        (4, "1-4"),
        (5, "2-1"),
        (6, "2-2"),
        (7, "2-3"),
    ]
    assert record.recordings[4].title == "ケアレス (Music Video)"


def test_beets_spelling_of_a_release_parses_like_ws2() -> None:
    record = parse_release(mb("release_official_beets"), T)
    (release,) = record.releases
    assert (release.title, release.kind) == ("百花繚乱", ReleaseKind.SINGLE)
    assert ids(release.also_known_as) == {
        ("upc", "199066336168"),
        ("spotify", "3LDV2xGL9HiqCsQujEPQLb"),
        ("apple_music", "1786972161"),
    }
    (recording,) = record.recordings
    assert ids(recording.also_known_as) == {
        ("isrc", "JPP302400868"),
        ("spotify", "782PTXsbAWB70ySDZ5NHmP"),
        ("apple_music", "1857886416"),
    }
    on_recording = {(c.credited_name, c.role, c.raw_role) for c in record.credits}
    assert on_recording == {
        ("幾田りら", "main_artist", "artist-credit"),  # on the release and on the recording
        ("KOHD", "arranger", "arranger"),
        ("山本秀哉", "producer", "producer"),
        ("幾田りら", "vocalist", "vocal"),
        ("幾田りら", "composer", "work:composer"),
        ("幾田りら", "lyricist", "work:lyricist"),
    }
    assert len([c for c in record.credits if c.subject == release.ref]) == 1
    # Copyright relationships name a rights holder: facts, not credits. "[no label]" is no label.
    facts = Counter((f.subject.kind, f.kind, f.value) for f in record.facts)
    assert facts == {
        (
            EntityKind.RELEASE,
            "musicbrainz_release_group",
            "da0d6bbb-f44b-4fff-8739-9d72db0402a1",
        ): 1,
        (EntityKind.RELEASE, "copyright", "Lilas Ikuta"): 1,
        (EntityKind.RELEASE, "phonographic_copyright", "Lilas Ikuta"): 1,
        (EntityKind.RECORDING, "phonographic_copyright", "Lilas Ikuta"): 1,
    }
    assert artist_named(record, "幾田りら").aliases == [Alias("Lilas Ikuta", "alias")]


def test_release_group_lists_its_releases_and_distrusts_shared_barcodes() -> None:
    record = parse_release_group(mb("release_group"), T)
    assert record.record_id == "release-groups/f5093c06-23e3-404f-aeaa-40f72885ee3a"
    assert len(record.releases) == 25
    assert {r.kind for r in record.releases} == {ReleaseKind.ALBUM}
    group_facts = {(f.subject, f.kind, f.value) for f in record.facts}
    assert group_facts == {
        (r.ref, "musicbrainz_release_group", "f5093c06-23e3-404f-aeaa-40f72885ee3a")
        for r in record.releases
    }
    upcs = sorted(ref.value for r in record.releases for ref in r.also_known_as)
    # 015775151727 and 077774600125 are each printed on several pressings: ids of none.
    assert upcs == [
        "077778147923",
        "4988006628977",
        "4988006641594",
        "4988006680951",
        "4988006683129",
    ]
    assert sorted(p.message.split()[1] for p in record.problems) == [
        "015775151727",
        "077774600125",
    ]
    assert {p.kind for p in record.problems} == {"shared_barcode"}


@pytest.mark.parametrize(
    ("primary", "secondary", "kind"),
    [
        ("Album", [], ReleaseKind.ALBUM),
        ("EP", [], ReleaseKind.EP),
        ("Single", [], ReleaseKind.SINGLE),
        ("Album", ["Compilation"], ReleaseKind.COMPILATION),
        ("Album", ["DJ-mix"], ReleaseKind.COMPILATION),
        ("Album", ["Compilation", "Mixtape/Street"], ReleaseKind.MIXTAPE),
        ("Album", ["Live"], ReleaseKind.ALBUM),
        ("Broadcast", [], ReleaseKind.UNKNOWN),
        (None, [], ReleaseKind.UNKNOWN),
    ],
)
def test_release_kind_from_group_types(
    primary: str | None, secondary: list[str], kind: ReleaseKind
) -> None:
    group: MbReleaseGroup = {"primary-type": primary, "secondary-types": secondary}
    assert release_kind(group) is kind


@pytest.mark.parametrize(
    ("barcode", "upc"),
    [
        ("0602527121956", "0602527121956"),
        (" 199066336168 ", "199066336168"),
        ("123", None),
        ("0602527121957", None),  # wrong check digit
        ("", None),
        (None, None),
    ],
)
def test_barcode_is_a_upc_only_when_it_is_a_valid_gtin(
    barcode: str | None, upc: str | None
) -> None:
    assert upc_of(barcode) == upc


# -- artists ---------------------------------------------------------------------------------


def test_recorded_artist_with_aliases() -> None:
    record = parse_artist(mb("artist"), T)
    assert record.record_id == "artists/b8a7c51f-362c-4dcb-a259-bc6e0095f0a6"
    (artist,) = record.artists
    assert (artist.name, artist.kind, artist.sort_name, artist.disambiguation) == (
        "Ed Sheeran",
        ArtistKind.PERSON,
        "Sheeran, Ed",
        "famous UK singer-songwriter",
    )
    assert artist.aliases == [
        Alias("Shearan", "alternate"),
        Alias("Ed Sheeran (en)", "alias"),
        Alias("Ed Sheeran (en_CA)", "alias"),
    ]
    assert not record.handles and not artist.also_known_as and not record.problems


def synthetic_artist() -> dict[str, Any]:
    value: dict[str, Any] = json.loads((SYNTHETIC / "artist_url_rels.json").read_text())
    return value


def test_artist_url_relationships_give_handles_and_cross_links() -> None:
    record = parse_artist(synthetic_artist(), T)
    (artist,) = record.artists
    assert ids(artist.also_known_as) == {
        ("discogs", "1234567"),
        ("wikidata", "Q987654321"),
        ("genius_slug", "Synthetic-producer"),
        ("spotify", "0SyntheticProducer0000"),
        ("apple_music", "1234567890"),
    }
    handles = {(h.platform, h.handle, h.evidence, h.note, h.quote) for h in record.handles}
    assert handles == {
        (
            Platform.INSTAGRAM,
            "synthetic.producer",
            EvidenceKind.SOURCE_FIELD,
            "MusicBrainz url relationship social network",
            "https://www.instagram.com/synthetic.producer/",
        ),
        (
            Platform.TWITTER,
            "SynthProducer",
            EvidenceKind.SOURCE_FIELD,
            "MusicBrainz url relationship social network",
            "https://twitter.com/SynthProducer",
        ),
    }
    assert {h.confidence for h in record.handles} == {0.9}
    ((kind, message),) = [(p.kind, p.message) for p in record.problems]
    assert kind == "invalid_handle" and "/pages/" in message
    assert {(a.name, a.kind) for a in artist.aliases} == {
        ("Synthia Q. Producer", "legal"),
        ("Synth P", "alias"),
        ("Synthetik Producer", "alternate"),
    }


@pytest.mark.parametrize(
    ("url", "kind", "expected"),
    [
        ("https://www.discogs.com/artist/15885-Frank-Dukes", EntityKind.ARTIST, "discogs:15885"),
        ("https://www.discogs.com/de/artist/15885", EntityKind.ARTIST, "discogs:15885"),
        ("https://www.discogs.com/release/1873013", EntityKind.RELEASE, "discogs:1873013"),
        ("https://www.discogs.com/master/10362", EntityKind.RELEASE, None),  # a grouping
        ("https://www.wikidata.org/wiki/Q2831", EntityKind.ARTIST, "wikidata:Q2831"),
        ("https://www.wikidata.org/wiki/Property:P434", EntityKind.ARTIST, None),
        (
            "https://genius.com/artists/Michael-jackson",
            EntityKind.ARTIST,
            "genius_slug:Michael-jackson",
        ),
        ("https://genius.com/artists/Beyonc%C3%A9/", EntityKind.ARTIST, "genius_slug:Beyoncé"),
        ("https://genius.com/Ed-sheeran-thinking-out-loud-lyrics", EntityKind.ARTIST, None),
        (
            "https://open.spotify.com/intl-de/artist/6eUKZXaKkcviH0Ku9w2n3V",
            EntityKind.ARTIST,
            "spotify:6eUKZXaKkcviH0Ku9w2n3V",
        ),
        ("https://open.spotify.com/artist/6eUKZXaKkcviH0Ku9w2n3V", EntityKind.RELEASE, None),
        (
            "https://music.apple.com/jp/album/1786972161",
            EntityKind.RELEASE,
            "apple_music:1786972161",
        ),
        ("https://example.com/artist/1", EntityKind.ARTIST, None),
    ],
)
def test_ids_in_urls(url: str, kind: EntityKind, expected: str | None) -> None:
    ref = ref_from_url(url, kind)
    assert (f"{ref.namespace}:{ref.value}" if ref else None) == expected


# -- cases the recordings lack ---------------------------------------------------------------


def with_artist_credit(*parts: tuple[str, str]) -> dict[str, Any]:
    """recording.json with its artist credit replaced by (name, join phrase) pairs."""
    payload = copy.deepcopy(mb("recording"))
    payload["artist-credit"] = [
        {"name": name, "joinphrase": join, "artist": {"id": f"{i:08d}-0000-4000-8000-{i:012d}",
                                                      "name": name}}
        for i, (name, join) in enumerate(parts, start=1)
    ]  # fmt: skip
    return payload


@pytest.mark.parametrize("joinphrase", [" feat. ", " ft. ", " featuring ", " (Feat. ", " Ft "])
def test_artists_after_a_featuring_join_phrase_are_featured(joinphrase: str) -> None:
    payload = with_artist_credit(("Drake", joinphrase), ("Rihanna", " & "), ("Future", ""))
    record = parse_recording(payload, T)
    billed = [(c.credited_name, c.role, c.raw_role) for c in record.credits][:3]
    assert billed == [
        ("Drake", "main_artist", "artist-credit"),
        ("Rihanna", "featured_artist", joinphrase.strip()),
        ("Future", "featured_artist", joinphrase.strip()),
    ]


@pytest.mark.parametrize("joinphrase", [" & ", " x ", ", ", " and ", " vs. ", " with "])
def test_other_join_phrases_keep_everyone_main(joinphrase: str) -> None:
    record = parse_recording(with_artist_credit(("Drake", joinphrase), ("Future", "")), T)
    main = [c.credited_name for c in record.credits if c.role == "main_artist"]
    assert main == ["Drake", "Future"]


def test_special_purpose_artists_are_not_credited() -> None:
    payload = copy.deepcopy(mb("release_djmix"))
    payload["artist-credit"] = [
        {
            "name": "Various Artists",
            "joinphrase": "",
            "artist": {"id": "89ad4ac3-39f7-470e-963a-56509c546377", "name": "Various Artists"},
        }
    ]
    record = parse_release(payload, T)
    assert "Various Artists" not in {a.name for a in record.artists}
    assert "main_artist" not in {c.role for c in record.credits}


def test_odd_relationships_are_reported_and_nothing_is_dropped_silently() -> None:
    payload = copy.deepcopy(mb("recording_credits"))
    producer = next(r for r in payload["relations"] if r["type"] == "producer")
    forward = {**producer, "direction": "forward"}
    unknown = {**producer, "type": "cheerleader", "attributes": ["enthusiastic"]}
    payload["relations"] = [forward, unknown]
    payload["isrcs"] = ["SEAYD7601230", "not-an-isrc"]
    record = parse_recording(payload, T)
    assert [(c.role, c.raw_role, c.detail) for c in record.credits] == [
        ("main_artist", "artist-credit", ""),
        (UNMAPPED, "cheerleader+enthusiastic", "enthusiastic"),
    ]
    assert ids(record.recordings[0].also_known_as) == {("isrc", "SEAYD7601230")}
    assert sorted(p.kind for p in record.problems) == [
        "bad_isrc",
        "unexpected_direction",
        "unknown_role",
    ]


def test_label_and_place_relationships_are_facts_with_their_mbid() -> None:
    payload = copy.deepcopy(mb("release_multidisc"))
    label = {"id": "00000000-0000-4000-8000-00000000000a", "name": "Sony Music Labels"}
    studio = {"id": "00000000-0000-4000-8000-00000000000b", "name": "Sony Music Studios Tokyo"}
    payload["relations"] = [
        {"type": "licensor", "target-type": "label", "direction": "backward", "label": label},
        {"type": "phonographic copyright", "target-type": "label", "label": label},
        {"type": "recorded at", "target-type": "place", "place": studio, "target-credit": ""},
    ]
    record = parse_release(payload, T)
    facts = {
        (f.kind, f.value, f.raw, f.org.namespace if f.org else "")
        for f in record.facts
        if f.kind != "musicbrainz_release_group"
    }
    assert facts == {
        ("licensor", "Sony Music Labels", "licensor", "musicbrainz_label"),
        (
            "phonographic_copyright",
            "Sony Music Labels",
            "phonographic copyright",
            "musicbrainz_label",
        ),
        ("recorded_at", "Sony Music Studios Tokyo", "recorded at", "musicbrainz_place"),
    }
    assert not record.credits and not record.artists


def test_artist_without_name_is_reported_and_skipped() -> None:
    payload = copy.deepcopy(mb("recording_video"))
    payload["artist-credit"][0]["artist"]["name"] = ""
    record = parse_recording(payload, T)
    assert "Paradise Lost" not in {c.credited_name for c in record.credits}
    assert [p.kind for p in record.problems] == ["bad_artist"]


def test_pseudo_release_is_flagged() -> None:
    payload = {**mb("release_multidisc"), "status": "Pseudo-Release"}
    (release,) = parse_release(payload, T).releases
    assert release.pseudo_reason and "pseudo-release" in release.pseudo_reason


@pytest.mark.parametrize(
    ("parse", "payload"),
    [
        (parse_recording, {}),
        (parse_recording, {"id": "not-an-mbid", "title": "X"}),
        (parse_recording, {"id": "cb2cc207-8125-445c-9ef9-6ea44eee959a", "title": " "}),
        (parse_release, {"id": "b84ee12a-09ef-421b-82de-0441a926375b"}),
        (parse_artist, {"id": "b8a7c51f-362c-4dcb-a259-bc6e0095f0a6", "name": ""}),
        (parse_release_group, {"title": "no id"}),
    ],
)
def test_payload_without_id_or_title_raises_a_clear_error(
    parse: Any, payload: dict[str, Any]
) -> None:
    with pytest.raises(PayloadError):
        parse(payload, T)


def test_broken_tracks_are_problems_and_the_rest_of_the_release_stays() -> None:
    payload = copy.deepcopy(mb("release_multidisc"))
    del payload["media"][1]["tracks"][0]["recording"]
    payload["media"][1]["tracks"][1]["recording"]["id"] = "not-an-mbid"
    payload["media"][1]["tracks"][2]["recording"]["title"] = ""  # the track's title stands in
    record = parse_release(payload, T)
    assert [r.track_label for r in record.recordings] == ["1-1", "1-2", "1-3", "1-4", "2-3"]
    assert record.recordings[-1].title == "ケアレス (30秒メッセージコメント入りCM)"
    assert [(p.kind, p.message[:30]) for p in record.problems] == [
        ("bad_track", "track 2-1 has no recording; sk"),
        ("bad_track", "track 2-2: recording has no us"),
    ]


# -- into the catalog ------------------------------------------------------------------------

RECORDED = {
    "artist": parse_artist,
    "recording": parse_recording,
    "recording_composer": parse_recording,
    "recording_credits": parse_recording,
    "recording_generic_instrument": parse_recording,
    "recording_instrumental": parse_recording,
    "recording_multiple_works": parse_recording,
    "recording_video": parse_recording,
    "release": parse_release,
    "release_djmix": parse_release,
    "release_group": parse_release_group,
    "release_multidisc": parse_release,
    "release_official_beets": parse_release,
}


def all_records() -> list[SourceRecord]:
    records = [parse(mb(name), T) for name, parse in RECORDED.items()]
    return [*records, parse_artist(synthetic_artist(), T)]


def stream(records: list[SourceRecord]) -> Stream:
    def items(after: int) -> Iterator[tuple[int, Item]]:
        yield from ((n, r) for n, r in enumerate(records, start=1) if n > after)

    return Stream("musicbrainz-test", "v1", items)


def test_every_recorded_file_ingests_and_merges_by_mbid(empty: Catalog) -> None:
    report = ingest(empty.db, stream(all_records()))
    assert report.written == len(RECORDED) + 1
    assert not report.unmapped_roles
    assert {p.kind for p in report.problems} == {"shared_barcode", "invalid_handle"}
    db = empty.db
    # Ed Sheeran from the artist lookup and from the recording's credits is one artist.
    rows = db.execute("SELECT kind, sort_name FROM artist WHERE name = 'Ed Sheeran'")
    assert [tuple(r) for r in rows] == [("person", "Sheeran, Ed")]
    songwriters = db.execute(
        "SELECT a.name, s.raw_role FROM credit c JOIN artist a ON a.id = c.artist_id"
        " JOIN credit_source s ON s.credit_id = c.id JOIN recording r ON r.id = c.subject_id"
        " WHERE c.subject_kind = 'recording' AND r.title = 'Thinking Out Loud'"
        " AND c.role = 'songwriter' ORDER BY a.name"
    )
    assert [tuple(r) for r in songwriters] == [
        ("Amy Wadge", "work:writer"),
        ("Ed Sheeran", "work:writer"),
    ]
    tracks = db.execute(
        "SELECT t.position, t.label FROM track t JOIN release l ON l.id = t.release_id"
        " WHERE l.title = 'ケアレス' ORDER BY t.position"
    )
    assert [tuple(t) for t in tracks][4] == (5, "2-1")
    handles = db.execute(
        "SELECT h.platform, h.handle, e.evidence_kind FROM handle h"
        " JOIN handle_evidence e ON e.handle_id = h.id JOIN artist a ON a.id = h.artist_id"
        " WHERE a.name = 'Synthetic Producer' ORDER BY h.platform"
    )
    assert [tuple(h) for h in handles] == [
        ("instagram", "synthetic.producer", "source_field"),
        ("twitter", "SynthProducer", "source_field"),
    ]
    cross = db.execute(
        "SELECT e.namespace FROM external_id e JOIN artist a ON a.id = e.entity_id"
        " WHERE e.entity_kind = 'artist' AND a.name = 'Synthetic Producer' ORDER BY 1"
    )
    assert [r[0] for r in cross] == [
        "apple_music",
        "discogs",
        "genius_slug",
        "musicbrainz",
        "spotify",
        "wikidata",
    ]


def test_ingesting_the_recorded_files_twice_changes_nothing(empty: Catalog) -> None:
    ingest(empty.db, stream(all_records()))
    before = empty.counts()
    # A new fingerprint makes the pipeline read everything again; every record is unchanged.
    again = ingest(empty.db, Stream("musicbrainz-test", "v2", stream(all_records()).items))
    assert again.written == 0 and again.unchanged == len(RECORDED) + 1
    after = empty.counts()
    # (The pipeline clears a changed stream's problems and skips unchanged records whole.)
    before.pop("ingest_problem"), after.pop("ingest_problem")
    assert after == before
