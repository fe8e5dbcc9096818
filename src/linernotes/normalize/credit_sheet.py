"""Credit sheets -> source records: people's own lists of who did what on which song.

Labels, managers and producers keep credits in spreadsheets: one row per person and role on a song
(docs/credit-sheets.md documents the columns). The rows of one song become one source record.
Sheets name people, not ids, so each sheet person is an artist of its own, keyed by the sheet and
the folded name: it never merges with another source's artist by name alone (ids given in
`person_ids` link it for real). The Billboard number-ones sheet is read by an adapter for its own
layout (see `parse_number_ones`).
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import PurePath
from typing import Any

import orjson

from linernotes.normalize.fold import fold, fold_artist
from linernotes.normalize.records import (
    ID_NAMESPACES,
    ArtistRecord,
    ChartEntryRecord,
    CreditRecord,
    EntityKind,
    FactRecord,
    PayloadError,
    Problem,
    RecordingRecord,
    Ref,
    ReleaseRecord,
    SourceRecord,
)
from linernotes.normalize.role_maps import RoleMapping, map_discogs_role, map_genius_label
from linernotes.normalize.roles import ROLES, UNMAPPED, Scope, find_role
from linernotes.normalize.spotify import normalize_isrc

SOURCE = "credit-sheet"
SONG_KEY = "credit_sheet_song"  # f"{fold(title)}|{fold_artist(first artist)}"
RELEASE_KEY = "credit_sheet_release"  # the same, for the release title
PERSON_KEY = "credit_sheet_person"  # f"{sheet}/{fold_artist(name)}": one sheet's person

COLUMNS = ("song", "artists", "isrc", "release", "person", "role", "scope", "person_ids")
REQUIRED = ("song", "artists", "person", "role")
# Ids a sheet may give for a person: the artist namespaces (never recording or grouping ids).
PERSON_ID_NAMESPACES = ID_NAMESPACES - {
    "isrc",
    "upc",
    "discogs_master",
    "musicbrainz_release_group",
}
MAIN_ARTIST_ROLE = "artists"  # raw role of the credits the `artists` column gives


@dataclass(frozen=True, slots=True)
class SheetRow:
    """One usable row: a person's role on a song, as the sheet wrote it."""

    locator: str
    song: str
    artists: tuple[str, ...]
    person: str
    role: str
    isrc: str = ""
    release: str = ""
    scope: Scope | None = None  # None: the role's usual scope
    person_ids: tuple[Ref, ...] = ()
    notes: tuple[str, ...] = ()  # fixable flaws (a bad ISRC ignored): reported, row still used


@dataclass(slots=True)
class SheetImport:
    """What a sheet yields: one record per song, and the rows it could not use at all."""

    records: list[SourceRecord] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)


def song_key(title: str, artist: str) -> Ref:
    return Ref(EntityKind.RECORDING, SONG_KEY, f"{fold(title)}|{fold_artist(artist)}")


def person_ref(sheet: str, name: str) -> Ref:
    return Ref(EntityKind.ARTIST, PERSON_KEY, f"{sheet}/{fold_artist(name) or name.strip()}")


def map_sheet_role(text: str) -> list[RoleMapping]:
    """Genius wording first, then Discogs, then our own role names ("Main Artist"); what none
    knows is UNMAPPED, kept as written. A cell in Discogs's grammar ("Producer, Written-By",
    "Engineer [Assistant]") goes to Discogs first: Genius labels are single phrases, and its
    instrument rule would read "Written-By, Talkbox" as one instrument."""
    discogs = map_discogs_role(text)
    grammar = len(discogs) > 1 or "[" in text
    genius = map_genius_label(text)
    if not genius.is_unmapped and not grammar:
        return [genius]
    if discogs and not all(m.is_unmapped for m in discogs):
        return discogs
    own = find_role(text)
    if own is not None and own.code != UNMAPPED:
        return [RoleMapping(text, own.code)]
    return [genius]


# -- reading the generic sheet -------------------------------------------------------------


def parse_credit_sheet(
    text: str, name: str, retrieved_at: str, sheet: str | None = None
) -> SheetImport:
    """A sheet file's text (CSV, or JSON lines when `name` contains ".jsonl"); `sheet` names the
    sheet in record ids and person keys, by default the file name without its extensions."""
    sheet = sheet or PurePath(name).name.split(".")[0]
    result = SheetImport()
    raw_rows = _jsonl_rows(text, name) if ".jsonl" in name else _csv_dicts(text, name)
    rows: list[SheetRow] = []
    for locator, raw in raw_rows:
        parsed = _sheet_row(locator, raw)
        if isinstance(parsed, Problem):
            result.problems.append(parsed)
        else:
            rows.append(parsed)
    ids = _ids_by_person(sheet, rows)
    for group in _song_groups(rows, result.problems).values():
        result.records.append(_song_record(sheet, group, retrieved_at, ids))
    return result


def _ids_by_person(sheet: str, rows: list[SheetRow]) -> dict[Ref, tuple[Ref, ...]]:
    """Ids given on any row hold for that person on every song of the sheet: the catalog links
    a person the first time it meets them, so each of their records must carry the ids."""
    found: dict[Ref, dict[Ref, None]] = {}
    for row in rows:
        found.setdefault(person_ref(sheet, row.person), {}).update(dict.fromkeys(row.person_ids))
    return {person: tuple(ids) for person, ids in found.items() if ids}


def _csv_dicts(
    text: str, name: str, required: Sequence[str] = REQUIRED
) -> Iterator[tuple[str, dict[str, Any]]]:
    """(locator, {column: cell}) per row; a header without the required columns is fatal."""
    rows = _csv_rows(text)
    header = next(rows, None)
    if header is None:
        raise PayloadError(f"{name} is empty")
    keys = [cell.strip().lower() for cell in header[1]]
    missing = [c for c in required if c not in keys]
    if missing:
        raise PayloadError(f"{name}: the header lacks {', '.join(missing)}")
    for line, cells in rows:
        yield f"{name}:{line}", dict(zip(keys, cells, strict=False))


def _jsonl_rows(text: str, name: str) -> Iterator[tuple[str, Any]]:
    for line, raw in enumerate(text.splitlines(), start=1):
        if raw.strip():
            try:
                yield f"{name}:{line}", orjson.loads(raw)
            except orjson.JSONDecodeError as err:
                yield f"{name}:{line}", f"not valid JSON ({err})"


def _csv_rows(text: str) -> Iterator[tuple[int, list[str]]]:
    """(line number, cells) of each non-empty row; numbers are the file's lines."""
    reader = csv.reader(io.StringIO(text.lstrip("\ufeff")))
    start = 1
    for cells in reader:
        if any(c.strip() for c in cells):
            yield start, cells
        start = reader.line_num + 1


def _sheet_row(locator: str, raw: Any) -> SheetRow | Problem:
    if not isinstance(raw, dict):
        message = raw if isinstance(raw, str) else f"expected an object, found {type(raw).__name__}"
        return Problem(locator, "bad_row", f"{message}; row skipped")
    cells = {k: _cell(raw.get(k)) for k in COLUMNS}
    artists = tuple(a.strip() for a in cells["artists"].split(";") if a.strip())
    missing = [c for c in REQUIRED if not (artists if c == "artists" else cells[c])]
    if missing:
        return Problem(locator, "bad_row", f"missing {', '.join(missing)}; row skipped")
    problems: list[str] = []
    isrc = normalize_isrc(cells["isrc"]) if cells["isrc"] else ""
    if isrc is None:
        problems.append(f"ISRC {cells['isrc']!r} is not valid; ignored")
    scope = _scope(cells["scope"], problems)
    ids = _person_ids(cells["person_ids"], problems)
    return SheetRow(
        locator,
        cells["song"],
        artists,
        cells["person"],
        cells["role"],
        isrc or "",
        cells["release"],
        scope,
        ids,
        tuple(problems),
    )


def _cell(value: object) -> str:
    """Cells as text; JSON lines may give lists (artists, person_ids) instead of ';' text."""
    if isinstance(value, list):
        return ";".join(str(v) for v in value)
    return "" if value is None else str(value).strip()


def _scope(text: str, problems: list[str]) -> Scope | None:
    if not text:
        return None
    try:
        return Scope(text.lower())
    except ValueError:
        problems.append(f"scope {text!r} is neither track nor release; using the role's usual")
        return None


def _person_ids(text: str, problems: list[str]) -> tuple[Ref, ...]:
    refs: list[Ref] = []
    for token in re.split(r"[\s;,]+", text):
        namespace, _, value = token.partition(":")
        if not token:
            continue
        if namespace in PERSON_ID_NAMESPACES and value:
            refs.append(Ref(EntityKind.ARTIST, namespace, value))
        else:
            problems.append(f"person id {token!r} is not namespace:value with a known namespace")
    return tuple(refs)


def _song_groups(rows: list[SheetRow], problems: list[Problem]) -> dict[str, list[SheetRow]]:
    """Rows of one song, in sheet order. Rows without an ISRC join the song's ISRC group when
    the sheet gives that title and artist exactly one ISRC elsewhere."""
    isrcs: dict[str, set[str]] = {}
    for row in rows:
        if row.isrc:
            isrcs.setdefault(song_key(row.song, row.artists[0]).value, set()).add(row.isrc)
    groups: dict[str, list[SheetRow]] = {}
    for row in rows:
        key = song_key(row.song, row.artists[0]).value
        known = isrcs.get(key, set())
        if not row.isrc and len(known) > 1:
            problems.append(
                Problem(row.locator, "ambiguous_song", f"{row.song!r} has several ISRCs here")
            )
        group = row.isrc or (next(iter(known)) if len(known) == 1 else key)
        groups.setdefault(group, []).append(row)
    return groups


# -- one song's record ---------------------------------------------------------------------


@dataclass(slots=True)
class _Song:
    record: SourceRecord
    sheet: str
    subject: Ref
    release: Ref | None
    ids: Mapping[Ref, tuple[Ref, ...]] = field(default_factory=dict)  # person -> their ids
    people: dict[Ref, ArtistRecord] = field(default_factory=dict)

    def person(self, name: str) -> Ref:
        ref = person_ref(self.sheet, name)
        if ref not in self.people:
            self.people[ref] = ArtistRecord(ref, name, also_known_as=list(self.ids.get(ref, ())))
        return ref

    def problem(self, locator: str, kind: str, message: str) -> None:
        self.record.problems.append(Problem(locator, kind, message))

    def done(self) -> SourceRecord:
        self.record.artists = list(self.people.values())
        return self.record


def _song_record(
    sheet: str, rows: list[SheetRow], retrieved_at: str, ids: Mapping[Ref, tuple[Ref, ...]]
) -> SourceRecord:
    first = rows[0]
    isrc = next((r.isrc for r in rows if r.isrc), "")
    key = song_key(first.song, first.artists[0])
    subject = Ref(EntityKind.RECORDING, "isrc", isrc) if isrc else key
    song = _Song(
        SourceRecord(SOURCE, f"{sheet}/{isrc or key.value}", retrieved_at, origin=first.locator),
        sheet,
        subject,
        _release(first, rows),
        ids,
    )
    song.record.recordings.append(
        RecordingRecord(subject, first.song, release=song.release, match_artist=first.artists[0])
    )
    if song.release is not None:
        title = next(r.release for r in rows if r.release)
        song.record.releases.append(ReleaseRecord(song.release, title))
    for position, artist in enumerate(first.artists):
        ref = song.person(artist)
        song.record.credits.append(
            CreditRecord(ref, subject, "main_artist", MAIN_ARTIST_ROLE, artist, position=position)
        )
    for position, row in enumerate(rows):
        for note in row.notes:
            song.problem(row.locator, "bad_value", note)
        _row_credits(song, row, position)
    return song.done()


def _release(first: SheetRow, rows: list[SheetRow]) -> Ref | None:
    title = next((r.release for r in rows if r.release), "")
    if not title:
        return None
    return Ref(EntityKind.RELEASE, RELEASE_KEY, f"{fold(title)}|{fold_artist(first.artists[0])}")


def _row_credits(song: _Song, row: SheetRow, position: int) -> None:
    for mapping in map_sheet_role(row.role):
        subject = _subject(song, row, mapping)
        if mapping.is_fact:
            fact = FactRecord(subject, str(mapping.fact), row.person, mapping.raw)
            song.record.facts.append(fact)
            continue
        if mapping.is_unmapped:
            song.problem(row.locator, "unknown_role", f"role {mapping.raw!r} kept as written")
        song.record.credits.append(
            CreditRecord(
                song.person(row.person),
                subject,
                str(mapping.role),
                mapping.raw,  # the cell's wording for this role ("Talkbox" of "Written-By, ...")
                row.person,
                detail=mapping.detail or "",
                position=position,
            )
        )


def _subject(song: _Song, row: SheetRow, mapping: RoleMapping) -> Ref:
    """The song, or its release when the row (or the role's usual scope) says release."""
    role = ROLES.get(mapping.role or "")
    scope = row.scope or (role.scope if role else Scope.TRACK)
    if scope is Scope.TRACK:
        return song.subject
    if song.release is None:
        if row.scope is Scope.RELEASE:
            song.problem(row.locator, "bad_value", "scope release but no release; on the song")
        return song.subject
    return song.release


# -- the Billboard number-ones sheet -------------------------------------------------------

NUMBER_ONES = "number-ones"
NUMBER_ONES_CHART = "billboard-hot-100-number-ones"
NUMBER_ONES_RETRIEVED = "2025-08-26"  # published by tidytuesday; its rows run to 2023
WITHOUT_SAMPLES = "songwriters_w_o_interpolation_sample_credits"
NUMBER_ONES_COLUMNS = ("song", "artist", "date", "weeks_at_number_one", "songwriters", "producers")
# People columns -> role. Writers credited only for a sample or an interpolation are songwriters
# all the same; the detail says why they are there.
NUMBER_ONES_ROLES: Mapping[str, str] = {"songwriters": "songwriter", "producers": "producer"}
NUMBER_ONES_FACTS: Mapping[str, str] = {"label": "label", "parent_label": "parent_label"}
SAMPLE_DETAIL = "sample or interpolation"
UNKNOWN_VALUES = frozenset({"", "na", "n/a", "unknown"})

_FEATURING = re.compile(r"\s+(?:ft\.|feat\.|featuring)\s+", re.IGNORECASE)
# "A, B, & C" is a list of acts: the serial comma before "&"/"and" marks it. Without it the
# text is one billed name: "Earth, Wind & Fire", "Ray Parker, Jr.", "Simon & Garfunkel".
_SERIAL_LIST = re.compile(r",\s+(?:&|and)\s+", re.IGNORECASE)
_LIST_SEPARATOR = re.compile(r",\s+(?:(?:&|and)\s+)?", re.IGNORECASE)


def split_billing(text: str) -> tuple[list[str], list[str]]:
    """Chart billing -> (main acts, featured acts): "Drake ft. SZA" -> (["Drake"], ["SZA"])."""
    main, *guests = _FEATURING.split(text.strip(), maxsplit=1)
    return _acts(main), _acts(guests[0]) if guests else []


def _acts(text: str) -> list[str]:
    text = text.strip()
    if not _SERIAL_LIST.search(text):
        return [text] if text else []
    return [part.strip() for part in _LIST_SEPARATOR.split(text) if part.strip()]


def parse_number_ones(
    text: str, name: str = "number_ones_credits.csv", retrieved_at: str = NUMBER_ONES_RETRIEVED
) -> SheetImport:
    """number_ones_credits.csv: one row per number-one song, people as ';'-separated names."""
    result = SheetImport()
    first_on: dict[str, str] = {}  # chart date -> the song already number one that week
    for locator, raw in _csv_dicts(text, name, NUMBER_ONES_COLUMNS):
        try:
            record = _number_one(locator, raw, retrieved_at)
        except ValueError as err:
            result.problems.append(Problem(locator, "bad_row", f"{err}; row skipped"))
            continue
        _one_per_week(record, locator, first_on)
        result.records.append(record)
    return result


def _one_per_week(record: SourceRecord, locator: str, first_on: dict[str, str]) -> None:
    """A week has one number one; a second song dated the same week is the sheet's mistake.
    Its credits stand, but its chart entry would overwrite the first song's, so it is left out."""
    entry = record.chart_entries[0]
    if entry.date not in first_on:
        first_on[entry.date] = f"{entry.title!r} ({locator})"
        return
    record.chart_entries.clear()
    message = f"number one of {entry.date} is already {first_on[entry.date]}; chart entry left out"
    record.problems.append(Problem(locator, "inconsistent_row", message))


def _number_one(locator: str, raw: Mapping[str, str], retrieved_at: str) -> SourceRecord:
    song, artist = _need(raw, "song"), _need(raw, "artist")
    date = _need(raw, "date")[:10]
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", date):
        raise ValueError(f"date {raw.get('date')!r} is not an ISO date")
    mains, guests = split_billing(artist)
    subject = song_key(song, mains[0])
    record_id = f"{NUMBER_ONES}/{_slug(song)}|{_slug(artist)}|{date}"
    entry = _Song(
        SourceRecord(SOURCE, record_id, retrieved_at, origin=locator), NUMBER_ONES, subject, None
    )
    entry.record.recordings.append(RecordingRecord(subject, song, match_artist=mains[0]))
    billed = [("main_artist", a) for a in mains] + [("featured_artist", a) for a in guests]
    for position, (role, act) in enumerate(billed):
        entry.record.credits.append(
            CreditRecord(entry.person(act), subject, role, "artist", act, position=position)
        )
    sampled = _sample_only(entry, locator, raw)
    for column, role in NUMBER_ONES_ROLES.items():
        for position, person in enumerate(_names(raw.get(column, ""))):
            detail = SAMPLE_DETAIL if column == "songwriters" and person in sampled else ""
            credit = CreditRecord(
                entry.person(person), subject, role, column, person, detail, position=position
            )
            entry.record.credits.append(credit)
    _number_one_facts(entry, raw)
    entry.record.chart_entries.append(
        ChartEntryRecord(
            NUMBER_ONES_CHART,
            date,
            1,
            subject,
            title=song,
            artist=artist,
            peak_position=1,
            weeks_on_chart=_weeks(entry, locator, raw.get("weeks_at_number_one", "")),
        )
    )
    return entry.done()


def _number_one_facts(entry: _Song, raw: Mapping[str, str]) -> None:
    stated: set[str] = set()
    for column, kind in NUMBER_ONES_FACTS.items():
        for value in _names(raw.get(column, "")):
            if fold(value) not in stated:  # a parent label equal to the label says nothing new
                stated.add(fold(value))
                entry.record.facts.append(FactRecord(entry.subject, kind, value, column))


def _sample_only(entry: _Song, locator: str, raw: Mapping[str, str]) -> set[str]:
    """Writers in `songwriters` but not in the list without sample credits. The two lists spell
    some names differently ("Adele Adkins" / "Adele"), so marking happens only when the names
    left over are exactly as many as the lists differ in length; otherwise it is reported."""
    writers, without_text = _names(raw.get("songwriters", "")), raw.get(WITHOUT_SAMPLES, "")
    if without_text.strip().lower() in UNKNOWN_VALUES:
        return set()
    without = _names(without_text)
    kept = set().union(*(_name_keys(n) for n in without))
    left = {w for w in writers if not _name_keys(w) & kept}
    if len(left) == len(writers) - len(without):
        return left
    listed = set().union(*(_name_keys(w) for w in writers))
    strays = [n for n in without if not _name_keys(n) & listed]
    entry.problem(
        locator,
        "inconsistent_row",
        f"{WITHOUT_SAMPLES} names {strays} that songwriters spells otherwise;"
        " no writer marked as credited for a sample",
    )
    return set()


def _name_keys(name: str) -> set[str]:
    """Spellings that are one name: "Boi-1da"/"Boi1da", "Einer Bankz"/"Bankz Einer"."""
    words = fold(name).split()
    return {"".join(words), " ".join(sorted(words))}


def _names(text: str) -> list[str]:
    """A ';'-separated cell -> names; "NA"/"Unknown" and empty pieces (a trailing ';') -> none."""
    names = [n.strip() for n in text.split(";")]
    return [n for n in names if n.lower() not in UNKNOWN_VALUES]


def _weeks(entry: _Song, locator: str, text: str) -> int | None:
    if text.strip().isdigit() and int(text) > 0:
        return int(text)
    entry.problem(locator, "bad_value", f"weeks_at_number_one {text!r} is not a count")
    return None


def _need(raw: Mapping[str, str], column: str) -> str:
    value = (raw.get(column) or "").strip()
    if value.lower() in UNKNOWN_VALUES:
        raise ValueError(f"{column} is missing")
    return value


def _slug(text: str) -> str:
    return fold(text).replace(" ", "-")
