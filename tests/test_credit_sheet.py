"""Credit sheets: the documented format (CSV and JSON lines), bad rows, how sheet people join the
catalog, and the real number-ones sheet."""

from __future__ import annotations

import gzip
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest

from conftest import DEMO, demo_json
from linernotes.ingest.pipeline import Item, Stream, ingest
from linernotes.normalize.credit_sheet import (
    SAMPLE_DETAIL,
    SheetImport,
    map_sheet_role,
    parse_credit_sheet,
    parse_number_ones,
    split_billing,
)
from linernotes.normalize.genius import PayloadError, parse_api_artist, parse_api_song
from linernotes.normalize.records import EntityKind, Ref, SourceRecord
from linernotes.resolve.people import resolve_people
from linernotes.store.catalog import Catalog

SHEETS = Path(__file__).parent / "fixtures" / "synthetic" / "credit_sheets"
SONG, ALBUM = "credit_sheet_song", "credit_sheet_release"
HEADER = "song,artists,isrc,release,person,role,scope,person_ids,source_url,notes\n"


def sheet(name: str) -> SheetImport:
    return parse_credit_sheet((SHEETS / name).read_text(encoding="utf-8"), name, "2026-11-01")


def by_id(result: SheetImport) -> dict[str, SourceRecord]:
    return {r.record_id: r for r in result.records}


def credits(record: SourceRecord) -> list[tuple[str, str, str, str, str]]:
    """(person, role, raw role, detail, subject namespace) in order."""
    return [
        (c.credited_name, c.role, c.raw_role, c.detail, c.subject.namespace) for c in record.credits
    ]


def stream_of(name: str, items: list[Item]) -> Stream:
    def numbered(after: int) -> Iterator[tuple[int, Item]]:
        yield from ((n, i) for n, i in enumerate(items, start=1) if n > after)

    return Stream(name, "v1", numbered)


# -- the documented format -----------------------------------------------------------------


def test_example_sheet_gives_one_record_per_song() -> None:
    result = sheet("example.csv")
    assert result.problems == []
    assert sorted(by_id(result)) == ["example/24k magic|bruno mars", "example/GBARL1401524"]
    assert {r.source for r in result.records} == {"credit-sheet"}


def test_song_without_isrc_gets_a_sheet_key_and_mapped_roles() -> None:
    magic = by_id(sheet("example.csv"))["example/24k magic|bruno mars"]
    (recording,) = magic.recordings
    assert recording.ref == Ref(EntityKind.RECORDING, "credit_sheet_song", "24k magic|bruno mars")
    assert credits(magic) == [
        ("Bruno Mars", "main_artist", "artists", "", SONG),
        ("Shampoo Press & Curl", "producer", "Producer", "", SONG),
        ("The Stereotypes", "additional_producer", "Additional Production", "", SONG),
        ("Philip Lawrence", "songwriter", "Written-By", "", SONG),
        ("Brody Brown", "songwriter", "Written-By", "", SONG),
        ("Bruno Mars", "songwriter", "Written-By", "", SONG),
        ("Bruno Mars", "instrumentalist", "Talkbox", "Talkbox", SONG),
        ("Mr. Talkbox", "unmapped", "Talk Box", "", SONG),
        ("Charles Moniz", "recording_engineer", "Recording Engineer", "", SONG),
        ("Șerban Ghenea", "mixing_engineer", "Mixed By", "", SONG),
        ("John Hanes", "mixing_engineer", "Mixing Engineer", "", SONG),
        # Mastering is usually credited on the release; the row gives no scope, so it is.
        ("Tom Coyne", "mastering_engineer", "Mastering Engineer", "", ALBUM),
    ]
    assert [(f.kind, f.value, f.subject.namespace) for f in magic.facts] == [
        ("label", "Atlantic Records", "credit_sheet_release")
    ]
    assert [(p.locator, p.kind) for p in magic.problems] == [("example.csv:7", "unknown_role")]
    assert "Atlantic Records" not in {a.name for a in magic.artists}


def test_song_with_isrc_is_the_recording_holding_it() -> None:
    funk = by_id(sheet("example.csv"))["example/GBARL1401524"]
    (recording,) = funk.recordings
    assert recording.ref == Ref(EntityKind.RECORDING, "isrc", "GBARL1401524")
    assert recording.release == Ref(
        EntityKind.RELEASE, "credit_sheet_release", "uptown special|mark ronson"
    )
    assert [(c.credited_name, c.role) for c in funk.credits] == [
        ("Mark Ronson", "main_artist"),
        ("Bruno Mars", "featured_artist"),
        ("Mark Ronson", "producer"),
        ("Jeff Bhasker", "producer"),
        ("Bruno Mars", "producer"),
    ]


def test_sheet_people_are_keyed_by_sheet_and_carry_their_ids_on_every_song() -> None:
    records = by_id(sheet("example.csv"))
    for record in records.values():
        bruno = next(a for a in record.artists if a.name == "Bruno Mars")
        assert bruno.ref == Ref(EntityKind.ARTIST, "credit_sheet_person", "example/bruno mars")
        # Ids given on one Uptown Funk row hold on 24K Magic too.
        assert {(r.namespace, r.value) for r in bruno.also_known_as} == {
            ("genius", "500"),
            ("spotify", "0du5cEVh5yTK9QJze8zA0C"),
        }
    serban = next(a for a in records["example/24k magic|bruno mars"].artists if "Ghenea" in a.name)
    assert (serban.ref.value, serban.also_known_as) == ("example/serban ghenea", [])


def test_json_lines_sheet_reads_like_the_csv() -> None:
    result = sheet("example.jsonl")
    assert result.problems == []
    (funk,) = result.records  # rows without the ISRC join the song's one ISRC
    assert funk.record_id == "example/GBARL1401524"  # hyphenated ISRC normalised
    assert [(c.credited_name, c.role) for c in funk.credits] == [
        ("Mark Ronson", "main_artist"),
        ("Bruno Mars", "featured_artist"),
        ("Jeff Bhasker", "producer"),
        ("Mark Ronson", "producer"),
    ]
    assert funk.releases[0].title == "Uptown Special"


@pytest.mark.parametrize(
    ("text", "roles"),
    [
        ("Producer", [("producer", None)]),
        ("Mixed By", [("mixing_engineer", None)]),
        ("Written-By, Talkbox", [("songwriter", None), ("instrumentalist", "Talkbox")]),
        ("Engineer [Assistant]", [("assistant_engineer", None)]),
        ("Main Artist", [("main_artist", None)]),
        ("Background Vocals", [("background_vocalist", None)]),
        ("Label", [(None, None)]),
        ("Beat Whisperer", [("unmapped", None)]),
    ],
)
def test_roles_map_through_the_shared_tables(text: str, roles: list[tuple[str, str]]) -> None:
    assert [(m.role, m.detail) for m in map_sheet_role(text)] == roles


def test_bad_rows_are_reported_with_their_line_and_the_rest_goes_on() -> None:
    text = HEADER + (
        "Song A,Artist,,,Person One,Producer,,,,\n"
        ",Artist,,,Person Two,Producer,,,,\n"  # no song
        "Song A,Artist,,,,Producer,,,,\n"  # no person
        "Song A,Artist,NOT-AN-ISRC,,Person Three,Mixer,sideways,,,\n"
        "Song A,Artist,,,Person Four,Executive Producer,release,discogs:1 nope:2 3,,\n"
        "Song A, ; ,,,Person Five,Producer,,,,\n"  # artists that name nobody
    )
    result = parse_credit_sheet(text, "label.csv", "2026-11-01")
    assert [(p.locator, p.kind) for p in result.problems] == [
        ("label.csv:3", "bad_row"),
        ("label.csv:4", "bad_row"),
        ("label.csv:7", "bad_row"),
    ]
    assert result.problems[2].message == "missing artists; row skipped"
    (record,) = result.records
    assert [(c.credited_name, c.role, c.subject.namespace) for c in record.credits] == [
        ("Artist", "main_artist", "credit_sheet_song"),
        ("Person One", "producer", "credit_sheet_song"),
        ("Person Three", "mixing_engineer", "credit_sheet_song"),
        ("Person Four", "executive_producer", "credit_sheet_song"),  # no release to go on
    ]
    found = [(p.locator, p.kind) for p in record.problems]
    assert found == [
        ("label.csv:5", "bad_value"),  # the ISRC
        ("label.csv:5", "bad_value"),  # the scope
        ("label.csv:6", "bad_value"),  # nope:2
        ("label.csv:6", "bad_value"),  # 3
        ("label.csv:6", "bad_value"),  # scope release without a release
    ]
    four = next(a for a in record.artists if a.name == "Person Four")
    assert [(r.namespace, r.value) for r in four.also_known_as] == [("discogs", "1")]


def test_a_title_with_several_isrcs_is_not_guessed() -> None:
    text = HEADER + (
        "Song,Artist,USQ4E1300686,,A,Producer,,,,\n"
        "Song,Artist,GBARL1401524,,B,Producer,,,,\n"
        "Song,Artist,,,C,Producer,,,,\n"
    )
    result = parse_credit_sheet(text, "s.csv", "t")
    assert sorted(r.record_id for r in result.records) == [
        "s/GBARL1401524",
        "s/USQ4E1300686",
        "s/song|artist",
    ]
    assert [(p.locator, p.kind) for p in result.problems] == [("s.csv:4", "ambiguous_song")]


def test_bad_json_lines_and_missing_columns() -> None:
    text = '{"song": "S", "artists": "A", "person": "P", "role": "Producer"}\n[1]\n{"song": \n'
    result = parse_credit_sheet(text, "x.jsonl", "t")
    assert len(result.records) == 1
    assert [(p.locator, p.kind) for p in result.problems] == [
        ("x.jsonl:2", "bad_row"),
        ("x.jsonl:3", "bad_row"),
    ]
    with pytest.raises(PayloadError, match="lacks person, role"):
        parse_credit_sheet("song,artists\nS,A\n", "x.csv", "t")


def test_sheet_people_attach_by_id_else_by_identity_resolution(empty: Catalog) -> None:
    genius = [
        parse_api_artist(demo_json("genius-api-artist_500.json.gz"), "2018"),
        parse_api_song(demo_json("genius-api-song_2872960.json.gz"), "2018"),
    ]
    ingest(empty.db, stream_of("genius", list(genius)))
    before = empty.counts()["artist"]
    report = ingest(empty.db, stream_of("sheet", list(sheet("example.csv").records)))
    assert {p.kind for p in report.problems} == {"unknown_role"}
    rows = empty.db.execute(
        "SELECT a.id, a.name FROM artist a JOIN external_id x ON x.entity_id = a.id"
        " WHERE x.entity_kind = 'artist' AND x.namespace IN ('genius', 'credit_sheet_person')"
        " AND x.value IN ('500', 'example/bruno mars')"
    )
    assert len({r[0] for r in rows}) == 1  # the sheet's Bruno Mars is Genius's, by genius:500
    # The sheet gives Șerban Ghenea no id: ingest alone never joins him by name...
    serbans = empty.db.execute("SELECT id FROM artist WHERE folded = 'serban ghenea'")
    assert len(list(serbans)) == 2
    # ...identity resolution does, because both records credit him on "24K Magic" beside the
    # same people, and it says so.
    resolve_people(empty.db)
    serbans = empty.db.execute("SELECT id FROM artist WHERE folded = 'serban ghenea'")
    assert len(list(serbans)) == 1
    why = empty.db.execute(
        "SELECT method, reason FROM entity_merge WHERE dropped_refs LIKE '%example/serban ghenea%'"
    )
    assert why[0][0] == "scored"
    assert "24k magic" in why[0][1] and "Bruno Mars" in why[0][1]
    assert empty.counts()["artist"] > before  # people the catalog did not know are added


# -- the number-ones sheet ------------------------------------------------------------------


@pytest.fixture(scope="module")
def number_ones() -> SheetImport:
    path = DEMO / "number-ones" / "number_ones_credits.csv.gz"
    with gzip.open(path, "rt", encoding="utf-8") as f:
        return parse_number_ones(f.read())


def song(result: SheetImport, prefix: str) -> SourceRecord:
    (found,) = [r for r in result.records if r.record_id.startswith(f"number-ones/{prefix}")]
    return found


def test_number_ones_counts(number_ones: SheetImport) -> None:
    assert len(number_ones.records) == 1039 and number_ones.problems == []
    roles = Counter(c.role for r in number_ones.records for c in r.credits)
    assert roles == {
        "songwriter": 2937,
        "producer": 1908,
        "main_artist": 1058,
        "featured_artist": 97,
    }
    people = {a.ref for r in number_ones.records for a in r.artists}
    assert len(people) == 2729
    details = Counter(c.detail for r in number_ones.records for c in r.credits if c.detail)
    assert details == {SAMPLE_DETAIL: 247}
    problems = Counter(p.kind for r in number_ones.records for p in r.problems)
    assert problems == {"inconsistent_row": 8}
    assert sum(len(r.chart_entries) for r in number_ones.records) == 1038


def test_first_number_one(number_ones: SheetImport) -> None:
    record = song(number_ones, "poor-little-fool|ricky-nelson|1958-08-04")
    assert (record.source, record.origin) == ("credit-sheet", "number_ones_credits.csv:2")
    assert [(c.credited_name, c.role, c.raw_role) for c in record.credits] == [
        ("Ricky Nelson", "main_artist", "artist"),
        ("Sharon Sheeley", "songwriter", "songwriters"),
        ("Jimmie Haskell", "producer", "producers"),
        ("Ozzie Nelson", "producer", "producers"),
        ("Ricky Nelson", "producer", "producers"),
    ]
    (entry,) = record.chart_entries
    assert (entry.chart, entry.date, entry.position) == (
        "billboard-hot-100-number-ones",
        "1958-08-04",
        1,
    )
    assert (entry.weeks_on_chart, entry.recording) == (2, record.recordings[0].ref)
    assert [(f.kind, f.value) for f in record.facts] == [("label", "Imperial")]


def test_writers_credited_for_a_sample(number_ones: SheetImport) -> None:
    record = song(number_ones, "ice-ice-baby|")
    sampled = [c.credited_name for c in record.credits if c.detail == SAMPLE_DETAIL]
    assert sampled == ["David Bowie", "Brian May", "Freddie Mercury", "Roger Taylor", "John Deacon"]
    # "Work" spells Boi1da two ways in its two columns; still only the two sampled writers.
    work = song(number_ones, "work|rihanna-ft-drake")
    sampled = [c.credited_name for c in work.credits if c.detail == SAMPLE_DETAIL]
    assert sampled == ["Monte Moir", "Richard Stephenson"]


def test_columns_that_disagree_are_reported_not_guessed(number_ones: SheetImport) -> None:
    rolling = song(number_ones, "rolling-in-the-deep|")
    assert all(c.detail == "" for c in rolling.credits)
    (problem,) = rolling.problems
    assert (problem.locator, problem.kind) == ("number_ones_credits.csv:906", "inconsistent_row")
    assert "'Adele'" in problem.message


def test_billing_gives_main_and_featured_acts(number_ones: SheetImport) -> None:
    funk = song(number_ones, "uptown-funk|")
    billed = [(c.credited_name, c.role) for c in funk.credits if c.raw_role == "artist"]
    assert billed == [("Mark Ronson", "main_artist"), ("Bruno Mars", "featured_artist")]
    assert funk.recordings[0].ref.value == "uptown funk|mark ronson"
    like_it = song(number_ones, "i-like-it|cardi-b")
    mains = [c.credited_name for c in like_it.credits if c.role == "main_artist"]
    assert mains == ["Cardi B", "Bad Bunny", "J Balvin"]


def test_unknown_and_empty_names_credit_nobody(number_ones: SheetImport) -> None:
    michael = song(number_ones, "michael|the-highwaymen")  # songwriters "Unknown"
    assert [c.role for c in michael.credits] == ["main_artist", "producer"]
    boom = song(number_ones, "boom-boom-pow|")  # a trailing ';'
    assert "" not in {c.credited_name for c in boom.credits}


def test_one_person_per_folded_name_in_the_sheet(number_ones: SheetImport) -> None:
    refs = {
        a.ref.value
        for r in number_ones.records
        for a in r.artists
        if a.name.startswith("Emilio Estefan")
    }
    assert refs == {"number-ones/emilio estefan jr"}  # "Jr" and "Jr." are one person


def test_two_number_ones_in_one_week_keep_credits_not_the_chart_entry(
    number_ones: SheetImport,
) -> None:
    lovin = song(number_ones, "lovin-you|minnie-riperton")
    assert lovin.chart_entries == [] and len(lovin.credits) == 5
    (problem,) = lovin.problems
    assert "Lady Marmalade" in problem.message
    assert song(number_ones, "lady-marmalade|labelle").chart_entries[0].date == "1975-03-29"


def test_bad_number_one_rows_are_reported() -> None:
    header = "song,artist,date,weeks_at_number_one,label,songwriters,producers\n"
    text = header + (
        "Good,Act,1990-01-06T00:00:00Z,2,Label,Writer,Producer\n"
        ",Act,1990-01-13T00:00:00Z,1,Label,Writer,Producer\n"
        "No Date,Act,NA,1,Label,Writer,Producer\n"
        "Odd Weeks,Act,1990-01-20T00:00:00Z,many,Label,Writer,Producer\n"
    )
    result = parse_number_ones(text, "n1.csv")
    assert [(p.locator, p.kind) for p in result.problems] == [
        ("n1.csv:3", "bad_row"),
        ("n1.csv:4", "bad_row"),
    ]
    assert len(result.records) == 2
    odd = result.records[1]
    assert odd.chart_entries[0].weeks_on_chart is None
    assert [(p.locator, p.kind) for p in odd.problems] == [("n1.csv:5", "bad_value")]
    with pytest.raises(PayloadError, match="lacks"):
        parse_number_ones("song,artist\nA,B\n")


@pytest.mark.parametrize(
    ("billing", "main", "featured"),
    [
        ("Drake ft. SZA", ["Drake"], ["SZA"]),
        ("Simon & Garfunkel", ["Simon & Garfunkel"], []),
        ("Earth, Wind & Fire", ["Earth, Wind & Fire"], []),
        ("Ray Parker, Jr.", ["Ray Parker, Jr."], []),
        ("Puff Daddy, Faith Evans, & 112", ["Puff Daddy", "Faith Evans", "112"], []),
        ("Pitbull ft. Ne-Yo, Afrojack, & Nayer", ["Pitbull"], ["Ne-Yo", "Afrojack", "Nayer"]),
        ("Nelly ft. Paul Wall, Ali & Gipp", ["Nelly"], ["Paul Wall, Ali & Gipp"]),
    ],
)
def test_split_billing(billing: str, main: list[str], featured: list[str]) -> None:
    assert split_billing(billing) == (main, featured)


def test_number_ones_ingest_into_a_catalog(empty: Catalog, number_ones: SheetImport) -> None:
    report = ingest(empty.db, stream_of("number-ones", list(number_ones.records)))
    assert report.written == 1039
    assert {p.kind for p in report.problems} == {"inconsistent_row"}
    counts = empty.counts()
    assert (counts["recording"], counts["chart_entry"], counts["artist"]) == (1039, 1038, 2729)
    producers = empty.db.execute(
        "SELECT a.name FROM credit c JOIN artist a ON a.id = c.artist_id"
        " JOIN recording r ON r.id = c.subject_id"
        " WHERE r.title = 'Poor Little Fool' AND c.role = 'producer' ORDER BY a.name"
    )
    assert [r[0] for r in producers] == ["Jimmie Haskell", "Ozzie Nelson", "Ricky Nelson"]
