"""Role mapping tables and the Discogs role-string grammar, checked against real recorded data."""

from __future__ import annotations

import functools
import gzip
import json
import re
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from linernotes.demo.build import data_dir
from linernotes.normalize.role_maps import (
    GENIUS_FIELD_ROLES,
    DiscogsRolePart,
    RoleMapping,
    map_discogs_role,
    map_genius_label,
    map_musicbrainz,
    parse_discogs_roles,
)
from linernotes.normalize.roles import ROLES, UNMAPPED

DEMO_DATA = data_dir()
GENIUS_FILES = [
    DEMO_DATA / "genius-api-song_2872960.json.gz",
    DEMO_DATA / "genius-api-song_2890553.json.gz",
]
MUSICBRAINZ_DIR = DEMO_DATA / "musicbrainz" / "ws2-json"
DISCOGS_SAMPLE = DEMO_DATA / "discogs" / "dump" / "discogs_20200806_releases.sample800.xml.gz"

# (role, detail, fact) expected for a mapping.
Expected = tuple[str | None, str | None, str | None]


def outcome(mapping: RoleMapping) -> Expected:
    return mapping.role, mapping.detail, mapping.fact


# --- RoleMapping ----------------------------------------------------------------------------


def test_role_mapping_flags() -> None:
    assert RoleMapping("Label", None, fact="label").is_fact
    assert not RoleMapping("Producer", "producer").is_fact
    assert RoleMapping("Hype Man", UNMAPPED).is_unmapped
    assert not RoleMapping("Producer", "producer").is_unmapped


# --- Genius ---------------------------------------------------------------------------------

# Every label in the recorded Genius responses, with what it must become.
GENIUS_RECORDED: dict[str, Expected] = {
    "Engineer": ("engineer", None, None),
    "Recording Engineer": ("recording_engineer", None, None),
    "Mixing Engineer": ("mixing_engineer", None, None),
    "Mastering Engineer": ("mastering_engineer", None, None),
    "Assistant Producer": ("assistant_producer", None, None),
    "Talkbox": ("instrumentalist", "Talkbox", None),
    "Guitar": ("instrumentalist", "Guitar", None),
    "Background Vocals": ("background_vocalist", None, None),
    "Additional Production": ("additional_producer", None, None),
    "Label": (None, None, "label"),
    "Premiere": (None, None, "premiere"),
}


def genius_song(path: Path) -> dict[str, Any]:
    with gzip.open(path, "rt", encoding="utf-8") as f:
        payload: dict[str, Any] = json.load(f)
    # One file is a full API answer, the other the bare song object.
    song: dict[str, Any] = payload["response"]["song"] if "response" in payload else payload
    return song


def recorded_genius_labels() -> list[str]:
    return [
        performance["label"]
        for path in GENIUS_FILES
        for performance in genius_song(path).get("custom_performances") or []
    ]


def test_every_recorded_genius_label_maps_as_expected() -> None:
    labels = recorded_genius_labels()
    assert set(labels) == set(GENIUS_RECORDED)
    for label in labels:
        mapping = map_genius_label(label)
        assert not mapping.is_unmapped, label
        assert mapping.raw == label
        assert outcome(mapping) == GENIUS_RECORDED[label], label


@pytest.mark.parametrize(
    ("label", "expected"),
    [
        ("Co-Producer", ("co_producer", None, None)),
        ("Vocal Producer", ("vocal_producer", None, None)),
        ("Executive Producer", ("executive_producer", None, None)),
        ("Producer", ("producer", None, None)),
        ("Assistant Mixing Engineer", ("assistant_mixing_engineer", None, None)),
        ("Mixing Assistant", ("assistant_mixing_engineer", None, None)),
        ("Assistant Recording Engineer", ("assistant_recording_engineer", None, None)),
        ("Assistant Engineer", ("assistant_engineer", None, None)),
        ("Programmer", ("programmer", None, None)),
        ("Drum Programmer", ("programmer", "Drums", None)),
        ("Lead Vocals", ("lead_vocalist", None, None)),
        ("Vocals", ("vocalist", None, None)),
        ("Additional Vocals", ("background_vocalist", None, None)),
        ("Backing Vocals", ("background_vocalist", None, None)),
        ("Bass", ("instrumentalist", "Bass", None)),
        ("Drums", ("instrumentalist", "Drums", None)),
        ("Keyboards", ("instrumentalist", "Keyboards", None)),
        ("Piano", ("instrumentalist", "Piano", None)),
        ("Strings", ("instrumentalist", "Strings", None)),
        ("Saxophone", ("instrumentalist", "Saxophone", None)),
        ("Synthesizer", ("instrumentalist", "Synthesizer", None)),
        ("Acoustic Guitar", ("instrumentalist", "Acoustic Guitar", None)),
        ("Publisher", (None, None, "publisher")),
        ("Copyright ©", (None, None, "copyright")),
        ("Phonographic Copyright ℗", (None, None, "phonographic_copyright")),
        ("Distributor", (None, None, "distributor")),
        ("Recorded At", (None, None, "recorded_at")),
        ("Mixed At", (None, None, "mixed_at")),
        ("Mastered At", (None, None, "mastered_at")),
        ("Manufacturer", (None, None, "manufacturer")),
        # Matching forgives case, spacing and punctuation.
        ("  mixing   engineer ", ("mixing_engineer", None, None)),
        ("ADDITIONAL-PRODUCTION", ("additional_producer", None, None)),
        ("co producer", ("co_producer", None, None)),
        # Unknown wording is kept, never guessed.
        ("Hype Man", (UNMAPPED, None, None)),
        ("", (UNMAPPED, None, None)),
    ],
)
def test_genius_label(label: str, expected: Expected) -> None:
    mapping = map_genius_label(label)
    assert outcome(mapping) == expected
    assert mapping.raw == label


def test_genius_fields() -> None:
    assert GENIUS_FIELD_ROLES["primary_artist"] == "main_artist"
    assert GENIUS_FIELD_ROLES["producer_artists"] == "producer"
    assert GENIUS_FIELD_ROLES["writer_artists"] == "songwriter"
    assert GENIUS_FIELD_ROLES["featured_artists"] == "featured_artist"


# --- MusicBrainz ----------------------------------------------------------------------------

# Every (type, attributes) pair among the artist relationships in the recorded fixtures.
MUSICBRAINZ_RECORDED: dict[tuple[str, tuple[str, ...]], tuple[str, str | None]] = {
    ("animation", ()): ("animator", None),
    ("arranger", ()): ("arranger", None),
    ("art direction", ()): ("art_director", None),
    ("composer", ()): ("composer", None),
    ("conductor", ()): ("conductor", None),
    ("design/illustration", ()): ("designer", None),
    ("editor", ()): ("editor", None),
    ("engineer", ()): ("engineer", None),
    ("illustration", ()): ("illustrator", None),
    ("instrument", ()): ("instrumentalist", None),
    ("instrument", ("EWI",)): ("instrumentalist", "EWI"),
    ("instrument", ("bass",)): ("instrumentalist", "bass"),
    ("instrument", ("electric guitar",)): ("instrumentalist", "electric guitar"),
    ("instrument", ("guitar family",)): ("instrumentalist", "guitar family"),
    ("instrument", ("membranophone",)): ("instrumentalist", "membranophone"),
    ("lyricist", ()): ("lyricist", None),
    ("mastering", ()): ("mastering_engineer", None),
    ("mix", ()): ("mixing_engineer", None),
    ("mix-DJ", ("medium 2",)): ("dj_mixer", "medium 2"),
    ("performer", ()): ("performer", None),
    ("performing orchestra", ()): ("orchestra", None),
    ("photography", ()): ("photographer", None),
    ("producer", ()): ("producer", None),
    ("producer", ("executive",)): ("executive_producer", None),
    ("remixer", ()): ("remixer", None),
    ("sound", ()): ("engineer", "sound"),
    ("video director", ()): ("video_director", None),
    ("vocal", ()): ("vocalist", None),
    ("vocal", ("lead vocals",)): ("lead_vocalist", None),
    ("vocal", ("solo",)): ("vocalist", "solo"),
    ("writer", ()): ("songwriter", None),
}


def artist_relations(node: Any) -> Iterator[dict[str, Any]]:
    """Every artist relationship anywhere in a MusicBrainz answer, work relations included."""
    if isinstance(node, dict):
        for relation in node.get("relations") or []:
            if relation.get("target-type") == "artist":
                yield relation
        for value in node.values():
            yield from artist_relations(value)
    elif isinstance(node, list):
        for item in node:
            yield from artist_relations(item)


def recorded_musicbrainz_pairs() -> set[tuple[str, tuple[str, ...]]]:
    pairs = set()
    for path in sorted(MUSICBRAINZ_DIR.glob("*.json.gz")):
        payload = json.loads(gzip.decompress(path.read_bytes()))
        for relation in artist_relations(payload):
            pairs.add((relation["type"], tuple(relation.get("attributes") or ())))
    return pairs


def test_every_recorded_musicbrainz_relation_maps_as_expected() -> None:
    pairs = recorded_musicbrainz_pairs()
    assert pairs == set(MUSICBRAINZ_RECORDED)
    for rel_type, attributes in pairs:
        mapping = map_musicbrainz(rel_type, attributes)
        assert (mapping.role, mapping.detail) == MUSICBRAINZ_RECORDED[(rel_type, attributes)]
        assert mapping.raw == "+".join((rel_type, *attributes))


@pytest.mark.parametrize(
    ("rel_type", "attributes", "role", "detail"),
    [
        ("producer", ["co"], "co_producer", None),
        ("producer", ["additional"], "additional_producer", None),
        ("producer", ["assistant"], "assistant_producer", None),
        ("producer", ["associate"], "associate_producer", None),
        ("engineer", ["assistant"], "assistant_engineer", None),
        ("mix", ["assistant"], "assistant_mixing_engineer", None),
        ("recording", ["assistant"], "assistant_recording_engineer", None),
        ("mastering", ["assistant"], "assistant_mastering_engineer", None),
        ("engineer", ["co"], "engineer", "co"),
        ("vocal", ["background vocals"], "background_vocalist", None),
        ("vocal", ["choir vocals"], "choir", None),
        ("vocal", ["tenor vocals"], "vocalist", "tenor vocals"),
        ("vocal", ["guest", "lead vocals"], "lead_vocalist", "guest"),
        ("instrument", ["piano", "guest"], "instrumentalist", "piano, guest"),
        ("programming", ["drums (drum set)"], "programmer", "drums (drum set)"),
        ("audio", [], "engineer", "audio"),
        ("vocal arranger", [], "arranger", "vocals"),
        ("instrument arranger", ["strings"], "arranger", "strings"),
        ("orchestrator", [], "orchestrator", None),
        ("librettist", [], "librettist", None),
        ("liner notes", [], "liner_notes", None),
        ("graphic design", [], "designer", "graphic design"),
        ("design", [], "designer", None),
        ("chorus master", [], "chorus_master", None),
        ("tribute", [], UNMAPPED, None),
    ],
)
def test_musicbrainz_relation(
    rel_type: str, attributes: list[str], role: str, detail: str | None
) -> None:
    mapping = map_musicbrainz(rel_type, attributes)
    assert (mapping.role, mapping.detail) == (role, detail)


def test_musicbrainz_company_relations_are_facts() -> None:
    mapping = map_musicbrainz("phonographic copyright", [])
    assert mapping.is_fact
    assert mapping.fact == "phonographic_copyright"


# --- Discogs: real role strings -------------------------------------------------------------


@functools.cache
def discogs_role_strings() -> tuple[str, ...]:
    found: set[str] = set()
    with gzip.open(DISCOGS_SAMPLE) as f:
        for _, element in ET.iterparse(f):
            if element.tag == "role" and element.text:
                found.add(element.text)
            element.clear()
    return tuple(sorted(found))


def test_discogs_sample_has_the_expected_variety() -> None:
    assert len(discogs_role_strings()) == 993


# (role string) -> [(role, detail, uncredited), ...] for strings taken from the real sample.
DISCOGS_EXAMPLES: dict[str, list[tuple[str | None, str | None, bool]]] = {
    "Written-By": [("songwriter", None, False)],
    "Producer": [("producer", None, False)],
    "Remix": [("remixer", None, False)],
    "Music By": [("composer", None, False)],
    "Mastered By": [("mastering_engineer", None, False)],
    "Mixed By": [("mixing_engineer", None, False)],
    "Executive-Producer": [("executive_producer", None, False)],
    "Engineer [Assistant]": [("assistant_engineer", None, False)],
    "Co-producer": [("co_producer", None, False)],
    "Recorded By, Mixed By": [
        ("recording_engineer", None, False),
        ("mixing_engineer", None, False),
    ],
    "Remix, Producer [Additional]": [
        ("remixer", None, False),
        ("additional_producer", None, False),
    ],
    "Producer [Additional Production]": [("additional_producer", None, False)],
    "Producer [Assistance]": [("assistant_producer", None, False)],
    "Songwriter [Uncredited]": [("songwriter", None, True)],
    "Music By [Not Credited]": [("composer", None, True)],
    "Engineer [Recording Engineer]": [("recording_engineer", None, False)],
    "Engineer [Mixing]": [("mixing_engineer", None, False)],
    "Mixed By [Assistant]": [("assistant_mixing_engineer", None, False)],
    "Recorded By [Assistant]": [("assistant_recording_engineer", None, False)],
    "Written-By [Ain't No Stopping Us Now]": [("songwriter", "Ain't No Stopping Us Now", False)],
    "Featuring": [("featured_artist", None, False)],
    "Vocals [Featuring]": [("featured_artist", "Vocals", False)],
    "Rap [Featuring]": [("featured_artist", "Rap", False)],
    "Photography By [Cover]": [("photographer", "Cover", False)],
    "Lacquer Cut By": [("cutting_engineer", None, False)],
    "Guitar": [("instrumentalist", "Guitar", False)],
    "Written-by, Performer [All Instruments Except Drums]": [
        ("songwriter", None, False),
        ("performer", "All Instruments Except Drums", False),
    ],
    "Violin [Guest]": [("instrumentalist", "Violin (Guest)", False)],
    "Directed By [Recording] [Uncredited]": [(UNMAPPED, "Recording", True)],
    "Composed By, Producer, Mixed By, [35 mm] Photography By": [
        ("composer", None, False),
        ("producer", None, False),
        ("mixing_engineer", None, False),
        ("photographer", "35 mm", False),
    ],
    "Vocals [Uncredited], Guitar [Uncredited], Keyboards [Uncredited]": [
        ("vocalist", None, True),
        ("instrumentalist", "Guitar", True),
        ("instrumentalist", "Keyboards", True),
    ],
    "Executive-Producer [Co-Executive Producer]": [
        ("executive_producer", "Co-Executive Producer", False)
    ],
    "Producer [Produced By], Mixed By, Mastered By": [
        ("producer", None, False),
        ("mixing_engineer", None, False),
        ("mastering_engineer", None, False),
    ],
    "Tenor Vocals": [("vocalist", "Tenor Vocals", False)],
    "Backing Vocals": [("background_vocalist", None, False)],
    "Guitar, Lap Steel Guitar": [
        ("instrumentalist", "Guitar", False),
        ("instrumentalist", "Lap Steel Guitar", False),
    ],
    "Steel Guitar [Lap]": [("instrumentalist", "Steel Guitar (Lap)", False)],
}


@pytest.mark.parametrize("text", list(DISCOGS_EXAMPLES))
def test_discogs_real_example(text: str) -> None:
    assert text in discogs_role_strings()
    mappings = map_discogs_role(text)
    assert [(m.role, m.detail, m.uncredited) for m in mappings] == DISCOGS_EXAMPLES[text]


def squash(text: str) -> str:
    return " ".join(text.split())


def test_every_real_discogs_string_parses_back_without_losing_text() -> None:
    for text in discogs_role_strings():
        parts = parse_discogs_roles(text)
        assert squash(", ".join(part.raw for part in parts)) == squash(text), text
        assert [m.raw for m in map_discogs_role(text)] == [part.raw for part in parts]


def test_real_discogs_codes_exist() -> None:
    for text in discogs_role_strings():
        for mapping in map_discogs_role(text):
            assert mapping.role is None or mapping.role in ROLES, (text, mapping)


# Names in the sample we deliberately leave unmapped: vague ("Other", "Crew"), ambiguous
# ("Directed By" can be a conductor or a film director, "Chanter" a singer or a bagpipe part) or
# outside the credits we explain (booking, lighting, choreography).
DISCOGS_KNOWN_UNMAPPED = {
    "Administrator", "All Sounds", "Booking", "Chanter", "Choreography", "Concept By",
    "Consultant", "Crew", "Directed By", "Lighting", "Lithography", "Musical Assistance", "Other",
    "Plated By", "Presenter", "Realization", "Supervised By", "Toy",
}  # fmt: skip

# Wording that belongs to production, engineering or writing: none of it may stay unmapped.
CORE_WORDS = re.compile(
    r"produc|engineer|mix|master|record|writ|compos|lyric|arrang|program|remix|music by|words"
    r"|libretto|orchestra",
    re.IGNORECASE,
)


def real_discogs_unmapped() -> list[DiscogsRolePart]:
    return [
        part
        for text in discogs_role_strings()
        for part, mapping in zip(parse_discogs_roles(text), map_discogs_role(text), strict=True)
        if mapping.is_unmapped
    ]


def test_real_discogs_unmapped_parts_are_the_known_few() -> None:
    unmapped = real_discogs_unmapped()
    total = sum(len(parse_discogs_roles(text)) for text in discogs_role_strings())
    names = {part.name for part in unmapped}
    summary = f"{len(unmapped)} of {total} parts unmapped: {sorted(names)}"
    assert names == DISCOGS_KNOWN_UNMAPPED, summary
    assert len(unmapped) <= total // 20, summary


def test_no_core_discogs_name_is_unmapped() -> None:
    for part in real_discogs_unmapped():
        assert not CORE_WORDS.search(part.name), part


# --- Discogs: grammar -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Engineer [Assistant]", [("Engineer", ("Assistant",))]),
        ("Brass [Brass, Choir], Vocals", [("Brass", ("Brass, Choir",)), ("Vocals", ())]),
        ("  Mixed By  ,, Producer ,", [("Mixed By", ()), ("Producer", ())]),
        ("Management  [Marketing]", [("Management", ("Marketing",))]),
        ("Engineer [Assistant, Mixed By", [("Engineer", ("Assistant, Mixed By",))]),
        ("Guitar ] [Solo]", [("Guitar ]", ("Solo",))]),
        ("Strings [Arr. [1st] Part]", [("Strings", ("Arr. [1st] Part",))]),
        ("", []),
        (" , ", []),
    ],
)
def test_parse_discogs_roles(text: str, expected: list[tuple[str, tuple[str, ...]]]) -> None:
    assert [(p.name, p.qualifiers) for p in parse_discogs_roles(text)] == expected


def test_unbalanced_bracket_keeps_the_rest_as_one_qualifier() -> None:
    (part,) = parse_discogs_roles("Producer [Additional, Mixed By, Engineer")
    assert part.raw == "Producer [Additional, Mixed By, Engineer"
    assert part.qualifiers == ("Additional, Mixed By, Engineer",)


names = st.text(st.characters(exclude_characters="[],"), min_size=1)
qualifiers = st.text(st.characters(exclude_characters="[]"), min_size=1)
clean_names = names.map(squash).filter(bool)
clean_qualifiers = qualifiers.map(squash).filter(bool)
credit_lists = st.lists(
    st.tuples(clean_names, st.lists(clean_qualifiers, max_size=3).map(tuple)),
    min_size=1,
    max_size=6,
)


def render(credits: list[tuple[str, tuple[str, ...]]]) -> str:
    return ", ".join(name + "".join(f" [{q}]" for q in quals) for name, quals in credits)


@given(credit_lists)
def test_parse_round_trips_rendered_credits(
    credits: list[tuple[str, tuple[str, ...]]],
) -> None:
    parsed = parse_discogs_roles(render(credits))
    assert [(p.name, p.qualifiers) for p in parsed] == credits


@given(clean_names, st.lists(clean_qualifiers, min_size=1, max_size=4))
def test_commas_inside_brackets_never_split(name: str, quals: list[str]) -> None:
    text = name + " [" + ", ".join(quals) + "]"
    (part,) = parse_discogs_roles(text)
    assert part.qualifiers == (squash(", ".join(quals)),)


def without_spaces_and_commas(text: str) -> str:
    return re.sub(r"[\s,]", "", text)


# Plain text rarely contains brackets, so half the examples are made mostly of them.
any_text = st.one_of(st.text(), st.text(alphabet="[], aZ\t"))


@given(any_text)
def test_any_text_parses_without_losing_characters(text: str) -> None:
    parts = parse_discogs_roles(text)
    kept = "".join(part.raw for part in parts)
    assert without_spaces_and_commas(kept) == without_spaces_and_commas(text)
    assert all(part.raw == part.raw.strip() and part.raw for part in parts)


@given(any_text)
def test_any_text_maps_one_credit_per_part(text: str) -> None:
    mappings = map_discogs_role(text)
    assert [m.raw for m in mappings] == [p.raw for p in parse_discogs_roles(text)]
    assert all(m.role is None or m.role in ROLES for m in mappings)
