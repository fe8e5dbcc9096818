"""Identity: one person across sources when the evidence says so, never two people on a name."""

from __future__ import annotations

import unicodedata
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from backends import Backend
from conftest import Cli
from linernotes.demo.build import core_streams
from linernotes.ingest.pipeline import Stream, ingest
from linernotes.normalize.records import EntityKind
from linernotes.resolve.members import parts
from linernotes.resolve.name_keys import compact, person_keys
from linernotes.resolve.overrides import entity_of
from linernotes.resolve.people import resolve_people
from linernotes.resolve.person_match import Decision, PersonProfile, compare
from linernotes.resolve.recordings import RecordingProfile, compare_recordings
from linernotes.resolve.releases import ReleaseProfile, compare_releases
from linernotes.resolve.titles import title_key
from linernotes.store.catalog import Catalog

ARTIST = EntityKind.ARTIST


def person(entity_id: int, name: str, **kw: object) -> PersonProfile:
    return PersonProfile(entity_id, name, frozenset({compact(name)}), **kw)  # type: ignore[arg-type]


# -- the comparison, on its own ---------------------------------------------------------------


def test_a_shared_name_alone_is_only_a_possible_match() -> None:
    verdict = compare(person(1, "John Hanes"), person(2, "John Hanes"))
    assert verdict.decision is Decision.REVIEW
    assert "no shared songs, collaborators or accounts" in verdict.reason


def test_a_shared_name_with_a_shared_song_is_one_person() -> None:
    a = person(1, "Șerban Ghenea", works=frozenset({"24k magic"}))
    b = person(2, "Serban Ghenea", works=frozenset({"24k magic"}))
    verdict = compare(a, b)
    assert verdict.decision is Decision.MERGE
    assert "'24k magic'" in verdict.reason


def test_two_ids_of_one_source_are_two_people_whatever_the_evidence() -> None:
    shared = {"works": frozenset({"a", "b", "c"}), "collaborators": frozenset({"x", "y"})}
    a = person(1, "James Taylor", ids=frozenset({("discogs", "1")}), **shared)
    b = person(2, "James Taylor", ids=frozenset({("discogs", "262944")}), **shared)
    verdict = compare(a, b)
    assert verdict.decision is Decision.APART
    assert "discogs keeps them apart" in verdict.reason


def test_a_name_several_people_bear_needs_more_evidence() -> None:
    plain = compare(
        person(1, "Steve Mac", collaborators=frozenset({"littlemix"})),
        person(2, "Steve Mac", collaborators=frozenset({"littlemix"})),
    )
    assert plain.decision is Decision.MERGE
    disambiguated = compare(
        person(1, "Steve Mac", collaborators=frozenset({"littlemix"})),
        person(2, "Steve Mac", collaborators=frozenset({"littlemix"}), disambiguated=True),
    )
    assert disambiguated.decision is Decision.REVIEW


def test_namesakes_with_nothing_shared_stay_apart_however_rare_the_name() -> None:
    # Two songwriters named Lionel Richie, the only two in the catalog, with no song,
    # collaborator or account in common: a possible same person for review, never a merge (in a
    # catalog of millions, two people bear most names, and both write songs).
    a = person(1, "Lionel Richie", works=frozenset({"hello"}), collaborators=frozenset({"x"}))
    b = person(2, "Lionel Richie", works=frozenset({"endless"}), collaborators=frozenset({"y"}))
    verdict = compare(a, b)
    assert verdict.decision is Decision.REVIEW
    assert verdict.reason == (
        "same name (Lionel Richie / Lionel Richie); no shared songs, collaborators or accounts"
    )


def test_a_social_account_both_sources_link_is_corroboration() -> None:
    account = frozenset({("instagram", "lionelrichie")})
    verdict = compare(
        person(1, "Lionel Richie", accounts=account), person(2, "Lionel Richie", accounts=account)
    )
    assert verdict.decision is Decision.MERGE
    assert "both linked to 'instagram @lionelrichie'" in verdict.reason
    # Different accounts say nothing either way.
    other = compare(
        person(1, "Lionel Richie", accounts=account),
        person(2, "Lionel Richie", accounts=frozenset({("instagram", "lionel_fan")})),
    )
    assert other.decision is Decision.REVIEW


@pytest.mark.parametrize(
    "slip",
    [
        "Micheal Smithson",  # two letters swapped, one a vowel
        "Michael Smiithson",  # a letter doubled
        "Michal Smithson",  # a vowel dropped
        "MICHAEL SMITHSON",
    ],
)
def test_a_slip_of_the_keyboard_keeps_the_consonant_skeleton_key(slip: str) -> None:
    # The typo block that stays small in a large catalog: affixes ("michae", "thson") are shared
    # by hundreds of names there, the skeleton "mchlsmthsn" by few.
    assert "k:mchlsmthsn" in person_keys("Michael Smithson") & person_keys(slip)


def test_short_names_give_no_skeleton_key() -> None:
    assert not any(key.startswith("k:") for key in person_keys("Rick Ross"))


def test_keys_built_before_a_new_kind_of_key_are_rebuilt_at_the_next_resolve(
    empty: Catalog,
) -> None:
    from test_people import _credited

    ingest(empty.db, _stream("a", [_credited("genius", "Michael Smithson", ["Song"])]))
    resolve_people(empty.db)
    # As a catalog resolved by an older version has it: no skeleton keys, no key version.
    empty.db.execute("DELETE FROM identity_key WHERE key LIKE 'k:%'")
    empty.db.execute("DELETE FROM identity_mark WHERE name = 'keys'")
    ingest(empty.db, _stream("b", [_credited("discogs", "Other Person", ["Other Song"])]))
    resolve_people(empty.db)
    old = entity_of(empty.db, ARTIST, "genius:Michael Smithson-id")
    keys = {
        str(r[0])
        for r in empty.db.execute("SELECT key FROM identity_key WHERE entity_id = ?", (old,))
    }
    assert "k:mchlsmthsn" in keys


def test_a_typo_joins_only_with_strong_corroboration() -> None:
    evidence = {"works": frozenset({"uptown funk"}), "collaborators": frozenset({"brunomars"})}
    assert compare(person(1, "Jeff Bhasker"), person(2, "Jeff Bhaskher")).decision is (
        Decision.APART
    )
    joined = compare(person(1, "Jeff Bhasker", **evidence), person(2, "Jeff Bhaskher", **evidence))
    assert joined.decision is Decision.MERGE
    assert "near name" in joined.reason


def test_different_names_never_match() -> None:
    shared = {"works": frozenset({"a", "b"}), "collaborators": frozenset({"x", "y", "z"})}
    assert (
        compare(person(1, "Hamish Stuart", **shared), person(2, "Alan Gorrie", **shared)).decision
        is Decision.APART
    )


def test_a_group_is_not_a_person() -> None:
    verdict = compare(person(1, "Bangles", kind="group"), person(2, "Bangles", kind="person"))
    assert verdict.decision is Decision.APART


# -- names and titles -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Șerban Ghenea", "Serban Ghenea"),
        ("\u200bbenny blanco", "Benny Blanco"),
        ("Mike WiLL Made-It", "Mike Will Made It"),
        ("The Weeknd", "Weeknd"),
        ("Hall & Oates", "Hall and Oates"),
        ("A$AP Ferg", "ASAP Ferg"),
    ],
)
def test_spellings_of_one_name_share_the_exact_key(a: str, b: str) -> None:
    assert compact(a) == compact(b)
    assert f"n:{compact(a)}" in person_keys(b)


def test_a_name_with_a_comma_stays_one_name() -> None:
    assert compact("Tyler, The Creator") == "tylercreator"
    assert compact("Tyler, The Creator") != compact("Tyler")


@pytest.mark.parametrize(
    ("a", "b", "same"),
    [
        ("Despacito (feat. Justin Bieber)", "Despacito", True),
        ("Despacito - Remix", "Despacito (Remix)", True),
        ("Despacito - Remix", "Despacito", False),
        ("Hello (Kygo Remix)", "Hello (Remix)", False),
        ("Hello - Live at Wembley", "Hello", False),
        ("Let's Dance (2018 Remaster)", "Let’s Dance", True),
        ("Sorry - Radio Edit", "Sorry (Radio Edit)", True),
        ("Sorry - Radio Edit", "Sorry", True),
        ("Stay - Original Mix", "Stay", True),
        ("Closer (Acoustic)", "Closer", False),
    ],
)
def test_titles_tolerate_spelling_but_keep_versions_apart(a: str, b: str, same: bool) -> None:
    assert (title_key(a) == title_key(b)) is same


# -- the demo catalog -------------------------------------------------------------------------


def same(catalog: Catalog, a: str, b: str) -> bool:
    return entity_of(catalog.db, ARTIST, a) == entity_of(catalog.db, ARTIST, b)


def test_serban_ghenea_is_one_person_however_a_source_spells_him(demo: Catalog) -> None:
    assert same(demo, "genius:640944", "discogs:105435")
    reasons = demo.db.execute(
        "SELECT method, reason FROM entity_merge WHERE dropped_refs LIKE '%discogs:105435%'"
    )
    assert reasons[0][0] == "scored"
    assert "John Hanes" in reasons[0][1]


def test_michael_jackson_is_one_artist_across_five_sources(demo: Catalog) -> None:
    refs = [
        "wikidata:Q2831",
        "genius:835",
        "discogs:15885",
        "credit_sheet_person:number-ones/michael jackson",
    ]
    assert len({entity_of(demo.db, ARTIST, r) for r in refs}) == 1


def test_a_number_ones_producer_is_one_person_with_genius(demo: Catalog) -> None:
    # Max Martin: Genius snapshot and number-ones sheet, joined by the songs both credit.
    assert same(demo, "genius:27835", "credit_sheet_person:number-ones/max martin")


@pytest.mark.parametrize(
    ("a", "b"),
    [
        # Discogs "(N)" artists: the sheet's James Taylor is not Discogs' James Taylor (2).
        ("credit_sheet_person:number-ones/james taylor", "discogs:262944"),
        ("credit_sheet_person:number-ones/mick jones", "discogs:366152"),
        ("credit_sheet_person:number-ones/fantasia", "discogs:206044"),
    ],
)
def test_look_alike_names_stay_apart(demo: Catalog, a: str, b: str) -> None:
    assert not same(demo, a, b)


def test_identity_show_explains_every_link(run: Cli) -> None:
    out = run("identity", "show", "Serban Ghenea").stdout
    assert "discogs:105435" in out and "genius:640944" in out
    assert "scored" in out and "John Hanes" in out


def test_the_review_queue_lists_near_matches_with_their_reason(run: Cli) -> None:
    pairs = run.json("identity", "review", "--limit", "500")
    assert pairs and all(0.45 <= p["score"] < 0.8 for p in pairs)
    assert [p["score"] for p in pairs] == sorted((p["score"] for p in pairs), reverse=True)
    # Genius's Stevie Wonder (a writer credit on a Drake interlude) and the sheet's and Discogs'
    # (his own songs): the same name, nothing shared: for review, not merged.
    wonder = [p for p in pairs if p["a_name"] == p["b_name"] == "Stevie Wonder"]
    assert wonder and "no shared songs, collaborators or accounts" in wonder[0]["reason"]


def test_ambiguous_names_are_listed(run: Cli) -> None:
    groups = run.json("identity", "ambiguous", "--limit", "200")
    assert any(len(g["artists"]) > 1 for g in groups)


# -- the user's decisions ---------------------------------------------------------------------


@pytest.fixture
def core_copy(core_path: Path | str, backend: Backend) -> Cli:
    return Cli(backend.copy(core_path, "core"))


def test_manual_merge_and_split_outlive_a_full_reingest(core_copy: Cli) -> None:
    cli = core_copy
    # Genius has two pages for one manager (Austin "Carl" Rosen): the user says they are one.
    cli("identity", "merge", "genius:986640", "genius:1668463", "--note", "same person")
    catalog = Catalog.open(cli.db)
    try:
        assert same(catalog, "genius:986640", "genius:1668463")
        # A full re-ingest: every stream read again from the start, then resolved afresh.
        catalog.db.execute("DELETE FROM ingest_checkpoint")
        catalog.db.execute("DELETE FROM source_record")
        for stream in core_streams():
            ingest(catalog.db, stream)
        resolve_people(catalog.db, everything=True)
        assert same(catalog, "genius:986640", "genius:1668463")
    finally:
        catalog.close()


def test_a_split_is_kept_when_resolving_again(core_copy: Cli) -> None:
    cli = core_copy
    cli("identity", "merge", "genius:986640", "genius:1668463")
    cli("identity", "split", "genius:1668463")
    catalog = Catalog.open(cli.db)
    try:
        assert not same(catalog, "genius:986640", "genius:1668463")
        report = resolve_people(catalog.db, everything=True)
        assert not same(catalog, "genius:986640", "genius:1668463")
        assert report.overrides == 0  # the later split replaced the merge: nothing to redo
    finally:
        catalog.close()


def test_a_split_takes_its_credits_back(core_copy: Cli) -> None:
    def credits_of(ref: str) -> set[tuple[object, ...]]:
        catalog = Catalog.open(core_copy.db)
        try:
            rows = catalog.db.execute(
                "SELECT c.role, c.subject_id FROM credit c WHERE c.artist_id = ?",
                (entity_of(catalog.db, ARTIST, ref),),
            )
            return {tuple(r) for r in rows}
        finally:
            catalog.close()

    austin, carl = credits_of("genius:986640"), credits_of("genius:1668463")
    assert austin and carl
    core_copy("identity", "merge", "genius:986640", "genius:1668463")
    assert credits_of("genius:986640") == austin | carl
    core_copy("identity", "split", "genius:1668463")
    assert credits_of("genius:1668463") == carl  # each credit row knows whom its source named
    assert credits_of("genius:986640") == austin


def test_bad_references_say_what_is_wrong(core_copy: Cli) -> None:
    result = core_copy("identity", "merge", "genius27835", "genius:1", ok=False)
    assert result.exit_code == 1 and "namespace:value" in result.output
    result = core_copy("identity", "split", "discogs:999999999", ok=False)
    assert "no artist has the reference discogs:999999999" in result.output


# -- recordings -------------------------------------------------------------------------------


def recording(entity_id: int, title: str, **kw: object) -> RecordingProfile:
    return RecordingProfile(entity_id, title, title_key(title), **kw)  # type: ignore[arg-type]


def test_the_same_song_from_two_sources_is_one_recording() -> None:
    a = recording(1, "Shape of You", artists=frozenset({7}), duration_ms=233_712)
    b = recording(2, "Shape Of You (feat. Nobody)", artists=frozenset({7}), duration_ms=233_000)
    verdict = compare_recordings(a, b)
    assert verdict.decision is Decision.MERGE
    assert "durations agree" in verdict.reason


@pytest.mark.parametrize(
    ("b", "why"),
    [
        (recording(2, "Fake Love", artists=frozenset({8})), "no primary artist in common"),
        (recording(2, "Fake Love (Acoustic)", artists=frozenset({7})), "different versions"),
        (
            recording(2, "Fake Love (Immortal Version)", artists=frozenset({7})),
            "different titles",
        ),
        (recording(2, "Fake Love", artists=frozenset({7}), duration_ms=300_000), "durations"),
        (
            recording(2, "Fake Love", artists=frozenset({7}), ids=frozenset({("genius", "9")})),
            "genius keeps them apart",
        ),
        (
            recording(2, "Fake Love", artists=frozenset({7}), ids=frozenset({("genius", "5")})),
            "another version",
        ),
    ],
)
def test_other_songs_and_versions_stay_apart(b: RecordingProfile, why: str) -> None:
    a = recording(
        1,
        "Fake Love",
        artists=frozenset({7}),
        duration_ms=210_000,
        ids=frozenset({("genius", "2890553")}),
        related=frozenset({("genius", "5")}),  # Genius: song 5 is a remix of this one
    )
    verdict = compare_recordings(a, b)
    assert verdict.decision is Decision.APART
    assert why in verdict.reason


def test_a_number_one_is_one_song_across_genius_the_sheet_and_discogs(demo: Catalog) -> None:
    def song(ref: str) -> int | None:
        return entity_of(demo.db, EntityKind.RECORDING, ref)

    # "Blue Christmas": Spotify's ISRC and Genius's song, joined by title and Elvis.
    assert song("isrc:USRC15701155") == song("genius:197055")
    merged = demo.db.execute(
        "SELECT reason FROM entity_merge WHERE entity_kind = 'recording' AND method = 'scored'"
    )
    assert merged and all("same primary artist" in r[0] for r in merged)


# -- combined pages ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("21 Savage & Metro Boomin", ["21 Savage", "Metro Boomin"]),
        ("Selena Gomez x Marshmello", ["Selena Gomez", "Marshmello"]),
        ("Tyler, The Creator", []),
        ("21 Savage, Offset & Metro Boomin", ["21 Savage", "Offset", "Metro Boomin"]),
        ("Earth, Wind & Fire", ["Earth", "Wind", "Fire"]),  # no artist "Fire": left whole
        ("Nard & B", []),
    ],
)
def test_combined_names_split_only_where_they_join_people(name: str, expected: list[str]) -> None:
    assert parts(name) == expected


def test_a_combined_page_links_to_its_members(demo: Catalog) -> None:
    rows = demo.db.execute(
        "SELECT a.name FROM artist g JOIN artist_member m ON m.group_id = g.id"
        " JOIN artist a ON a.id = m.member_id WHERE g.name = '21 Savage & Metro Boomin'"
        " AND m.source = 'identity:combined' ORDER BY a.name"
    )
    assert [r[0] for r in rows] == ["21 Savage", "Metro Boomin"]
    whole = demo.db.execute(
        "SELECT COUNT(*) FROM artist g JOIN artist_member m ON m.group_id = g.id"
        " WHERE g.name IN ('Tyler, The Creator', 'Earth, Wind & Fire')"
    )
    assert whole[0][0] == 0


def test_a_persons_page_says_which_records_are_them_and_why(run: Cli) -> None:
    out = run("person", "Max Martin").stdout
    assert "genius:27835" in out and "discogs:61337" in out
    assert "joined credit_sheet_person:number-ones/max martin (scored)" in out
    answer = run.json("person", "Max Martin")
    assert answer["by_role_year"]  # the page itself is unchanged
    methods = {j["method"] for j in answer["identity"]["joined"]}
    assert methods == {"scored"}


# -- credits after merging --------------------------------------------------------------------


def test_sources_that_disagree_on_a_role_are_both_kept_and_shown(empty: Catalog) -> None:
    from conftest import demo_json
    from linernotes.normalize.credit_sheet import parse_credit_sheet
    from linernotes.normalize.genius import parse_api_song
    from linernotes.resolve.run import resolve
    from linernotes.store.read_credits import recording_credits

    sheet_path = (
        Path(__file__).parent / "fixtures/synthetic/credit_sheets/co_producer_disagrees.csv"
    )
    song = parse_api_song(demo_json("genius-api-song_2872960.json.gz"), "2018")
    sheet = parse_credit_sheet(sheet_path.read_text(encoding="utf-8"), "sheet.csv", "2026-11-01")
    for name, records in (("genius", [song]), ("sheet", sheet.records)):
        ingest(empty.db, _stream(name, records))
    resolve(empty.db)
    recording_id = entity_of(empty.db, EntityKind.RECORDING, "genius:2872960")
    assert recording_id is not None
    answer = recording_credits(empty.db, recording_id)
    shampoo = [c for c in answer.credits if c.name == "Shampoo Press & Curl"]
    assert {c.role for c in shampoo} == {"producer", "co_producer"}  # one person, both claims
    assert len({c.artist_id for c in shampoo}) == 1
    (disagreement,) = answer.disagreements
    assert dict(disagreement.claims) == {"Producer": ["genius"], "Co-Producer": ["credit-sheet"]}
    # Where the sources agree, one credit lists them all.
    (brody,) = [c for c in answer.credits if c.name == "Brody Brown" and c.role == "songwriter"]
    assert {s.source for s in brody.sources} == {"genius", "credit-sheet"}


def _stream(name: str, records: list[Any]) -> Stream:
    def numbered(after: int) -> Iterator[tuple[int, Any]]:
        yield from ((n, r) for n, r in enumerate(records, start=1) if n > after)

    return Stream(name, "v1", numbered)


# -- releases ---------------------------------------------------------------------------------


def album(entity_id: int, title: str, **kw: object) -> ReleaseProfile:
    return ReleaseProfile(entity_id, title, title_key(title), **kw)  # type: ignore[arg-type]


def test_an_album_known_by_title_joins_the_one_with_its_artist() -> None:
    genius = album(1, "24K Magic", artists=frozenset({5}), ids=frozenset({("genius", "229460")}))
    sheet = album(
        2, "24K Magic", artists=frozenset({5}), ids=frozenset({("credit_sheet_release", "x")})
    )
    assert compare_releases(genius, sheet).decision is Decision.MERGE


@pytest.mark.parametrize(
    ("b", "why"),
    [
        # Two pressings Discogs keeps apart, though they share a barcode (6084149 and 6084161).
        (
            album(
                2,
                "Duets",
                artists=frozenset({5}),
                ids=frozenset({("discogs", "6084161")}),
                barcodes=frozenset({"1"}),
            ),
            "discogs keeps them apart",
        ),
        # A Spotify album and a Discogs pressing: editions, one digital, one not.
        (
            album(2, "Duets", artists=frozenset({5}), ids=frozenset({("spotify", "x")})),
            "two editions",
        ),
        (
            album(2, "Duets", artists=frozenset({5}), barcodes=frozenset({"2"})),
            "different barcodes",
        ),
        (album(2, "Duets (Deluxe Edition)", artists=frozenset({5})), "different titles"),
        (album(2, "Duets", artists=frozenset({6})), "no primary artist in common"),
    ],
)
def test_editions_and_other_albums_stay_apart(b: ReleaseProfile, why: str) -> None:
    a = album(
        1,
        "Duets",
        artists=frozenset({5}),
        ids=frozenset({("discogs", "6084149")}),
        barcodes=frozenset({"1"}),
    )
    verdict = compare_releases(a, b)
    assert verdict.decision is Decision.APART
    assert why in verdict.reason


def test_the_same_barcode_joins_two_editions_of_one_product() -> None:
    a = album(
        1,
        "Duets",
        artists=frozenset({5}),
        ids=frozenset({("spotify", "x")}),
        barcodes=frozenset({"731451847820"}),
    )
    b = album(
        2,
        "Duets",
        artists=frozenset({5}),
        ids=frozenset({("musicbrainz", "y")}),
        barcodes=frozenset({"731451847820"}),
    )
    verdict = compare_releases(a, b)
    assert verdict.decision is Decision.MERGE and "same barcode" in verdict.reason


# -- properties -------------------------------------------------------------------------------

_names = st.text(alphabet=st.characters(whitelist_categories=("L", "Nd", "Zs")), max_size=30)


@given(_names)
def test_the_exact_key_ignores_case_accents_and_invisible_characters(name: str) -> None:
    stripped = "".join(
        c for c in unicodedata.normalize("NFKD", name) if not unicodedata.combining(c)
    )
    assert compact(name.upper()) == compact(name.lower()) or not name.isascii()
    assert compact("\u200b" + name + "\u200d") == compact(name)
    assert compact(stripped) == compact(name) or not stripped.isascii()


@given(_names, _names)
def test_comparison_is_symmetric(x: str, y: str) -> None:
    a = person(1, x or "a", works=frozenset({"song"}))
    b = person(2, y or "b", works=frozenset({"song"}))
    forth, back = compare(a, b), compare(b, a)
    assert (forth.decision, forth.score) == (back.decision, back.score)
