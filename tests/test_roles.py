"""The role vocabulary: its shape, its guides and the lookups other code relies on."""

from __future__ import annotations

import re

import pytest

from linernotes.normalize.role_maps import mapping_tables
from linernotes.normalize.roles import (
    FAMILY_LABELS,
    FAMILY_ORDER,
    ROLES,
    UNMAPPED,
    Family,
    Role,
    Scope,
    find_role,
    get_role,
    roles_in_family,
)

# Codes other modules use literally; renaming one must fail here first.
REQUIRED_CODES = (
    "main_artist", "featured_artist", "producer", "co_producer", "additional_producer",
    "assistant_producer", "associate_producer", "vocal_producer", "executive_producer", "engineer",
    "recording_engineer", "mixing_engineer", "mastering_engineer", "assistant_engineer",
    "assistant_recording_engineer", "assistant_mixing_engineer", "assistant_mastering_engineer",
    "programmer", "songwriter", "composer", "lyricist", "arranger", "remixer", "instrumentalist",
    "vocalist", "lead_vocalist", "background_vocalist", "conductor", "orchestra", "dj_mixer",
    "a_and_r", "manager", "art_director", "designer", "photographer", "video_director",
    "liner_notes", "unmapped",
)  # fmt: skip

# A sentence ends at . ! or ? followed by space and a capital (or an opening quote/bracket), so
# "A&R" and quoted "feat." inside a sentence do not end it.
SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z\"'(])")
SCOPE_WORDS = {Scope.TRACK: "per track", Scope.RELEASE: "per release"}


def sentences(text: str) -> list[str]:
    return [s for s in SENTENCE_END.split(text.strip()) if s]


@pytest.mark.parametrize("code", REQUIRED_CODES)
def test_required_code_exists(code: str) -> None:
    assert ROLES[code].code == code


def test_codes_are_snake_case_and_keys_match() -> None:
    for key, role in ROLES.items():
        assert key == role.code
        assert re.fullmatch(r"[a-z]+(_[a-z]+)*", role.code), role.code


def test_labels_are_unique() -> None:
    labels = [role.label for role in ROLES.values()]
    assert len(labels) == len(set(labels))


def test_ddex_names_look_like_ddex_values() -> None:
    for role in ROLES.values():
        assert re.fullmatch(r"[A-Z][A-Za-z]+", role.ddex), role


@pytest.mark.parametrize("role", list(ROLES.values()), ids=list(ROLES))
def test_guide_has_two_to_five_sentences_and_states_scope(role: Role) -> None:
    parts = sentences(role.guide)
    assert 2 <= len(parts) <= 5, parts
    assert all(part.endswith((".", "!", "?")) for part in parts), parts
    assert SCOPE_WORDS[role.scope] in parts[-1], parts[-1]


def test_roles_are_in_family_display_order_production_first() -> None:
    ranks = [FAMILY_ORDER.index(role.family) for role in ROLES.values()]
    assert ranks == sorted(ranks)
    assert next(iter(ROLES.values())).family is Family.PRODUCTION


def test_every_family_is_ordered_labelled_and_used() -> None:
    assert set(FAMILY_ORDER) == set(Family)
    assert set(FAMILY_LABELS) == set(Family)
    for family in FAMILY_ORDER:
        assert roles_in_family(family), family


def test_roles_in_family_keeps_display_order() -> None:
    production = [role.code for role in roles_in_family(Family.PRODUCTION)]
    assert production[0] == "producer"
    assert "executive_producer" in production


def test_every_record_producer_is_in_production() -> None:
    # A video producer makes the film, not the record, so it stays with the visual credits.
    for role in ROLES.values():
        if role.code.endswith("producer") and role.code != "video_producer":
            assert role.family is Family.PRODUCTION, role.code


@pytest.mark.parametrize(
    ("code", "scope"),
    [("producer", Scope.TRACK), ("executive_producer", Scope.RELEASE)],
)
def test_usual_scope(code: str, scope: Scope) -> None:
    assert ROLES[code].scope is scope


def test_unmapped_entry_explains_raw_text() -> None:
    role = ROLES[UNMAPPED]
    assert role.family is Family.OTHER
    assert "as the source wrote it" in role.guide


def test_get_role_unknown_code_says_which() -> None:
    assert get_role("producer").label == "Producer"
    with pytest.raises(KeyError, match="no_such_role"):
        get_role("no_such_role")


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("mixing_engineer", "mixing_engineer"),
        ("Mixing engineer", "mixing_engineer"),
        ("mixing-engineer", "mixing_engineer"),
        ("  MIXING   ENGINEERS ", "mixing_engineer"),
        ("Executive Producer", "executive_producer"),
        ("co-producer", "co_producer"),
        ("Co Producers", "co_producer"),
        ("A&R", "a_and_r"),
        ("a & r", "a_and_r"),
        ("a_and_r", "a_and_r"),
        ("dj mixer", "dj_mixer"),
        ("Liner Notes", "liner_notes"),
    ],
)
def test_find_role_forgives_spelling(text: str, code: str) -> None:
    found = find_role(text)
    assert found is not None
    assert found.code == code


@pytest.mark.parametrize("text", ["", "   ", "--", "beatmaker extraordinaire"])
def test_find_role_returns_none_for_unknown(text: str) -> None:
    assert find_role(text) is None


def test_every_code_a_mapping_table_produces_exists() -> None:
    for table, codes in mapping_tables():
        for code in codes:
            assert code is None or code in ROLES, (table, code)
