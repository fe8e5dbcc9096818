"""Credits of songs and albums, with every source that states each one."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from linernotes.normalize.records import EntityKind
from linernotes.normalize.roles import FAMILY_ORDER, ROLES, UNMAPPED, get_role
from linernotes.store.db import Database
from linernotes.store.read_names import recording_artists, release_artists, summary
from linernotes.store.views import (
    CreditLine,
    Disagreement,
    FactLine,
    RecordingCredits,
    ReleaseCredits,
    SourceNote,
    TrackCredits,
)

_ROLE_ORDER = {code: i for i, code in enumerate(ROLES)}
_FAMILY_RANK = {family.value: i for i, family in enumerate(FAMILY_ORDER)}


def role_sort_key(line: CreditLine) -> tuple[int, int, str, str]:
    return (
        _FAMILY_RANK.get(line.family, 99),
        _ROLE_ORDER.get(line.role, 999),
        line.detail,
        line.name.casefold(),
    )


def credit_lines(
    db: Database, subject_kind: str, subject_ids: Iterable[int]
) -> dict[int, list[CreditLine]]:
    """Credit lines per subject, each with its sources, in role order."""
    ids = list(subject_ids)
    if not ids:
        return {}
    marks = ",".join("?" * len(ids))
    rows = db.execute(
        "SELECT c.id, c.subject_id, c.role, c.detail, c.tracks, a.id, a.name, s.source,"
        " s.source_record_id, s.raw_role, s.credited_name, s.retrieved_at, s.position"
        " FROM credit c JOIN artist a ON a.id = c.artist_id"
        " JOIN credit_source s ON s.credit_id = c.id"
        f" WHERE c.subject_kind = ? AND c.subject_id IN ({marks})"
        " ORDER BY c.id, s.source, s.source_record_id",
        (subject_kind, *ids),
    )
    grouped: dict[int, list[tuple[object, ...]]] = defaultdict(list)
    for row in rows:
        grouped[int(row[0])].append(row)
    out: dict[int, list[CreditLine]] = defaultdict(list)
    for credit_rows in grouped.values():
        first = credit_rows[0]
        out[int(str(first[1]))].append(_line(credit_rows))
    for lines in out.values():
        lines.sort(key=role_sort_key)
    return out


def _line(rows: list[tuple[object, ...]]) -> CreditLine:
    first = rows[0]
    role = get_role(str(first[2]))
    notes = tuple(SourceNote(str(r[7]), str(r[8]), str(r[9]), str(r[10]), str(r[11])) for r in rows)
    detail = str(first[3])
    if role.code == UNMAPPED:
        detail = detail or str(first[9])  # show the source's own words for an unknown role
    return CreditLine(
        role.code,
        role.label,
        role.family.value,
        int(str(first[5])),
        str(first[6]),
        detail,
        str(first[4]),
        notes,
    )


def fact_lines(db: Database, subject_kind: str, subject_id: int) -> list[FactLine]:
    rows = db.execute(
        "SELECT f.id, f.kind, f.value, s.source, s.source_record_id, s.raw, s.retrieved_at"
        " FROM fact f JOIN fact_source s ON s.fact_id = f.id"
        " WHERE f.subject_kind = ? AND f.subject_id = ? ORDER BY f.kind, f.id, s.source",
        (subject_kind, subject_id),
    )
    grouped: dict[int, list[tuple[object, ...]]] = defaultdict(list)
    for row in rows:
        grouped[int(row[0])].append(row)
    return [
        FactLine(
            str(g[0][1]),
            str(g[0][2]),
            tuple(SourceNote(str(r[3]), str(r[4]), str(r[5]), "", str(r[6])) for r in g),
        )
        for g in grouped.values()
    ]


# Roles that answer one question ("how much of the production was theirs?"): two sources giving
# two of them for one person contradict each other, where engineer and songwriter simply add up.
_EXCLUSIVE_ROLES = frozenset(
    {"producer", "co_producer", "additional_producer", "assistant_producer"}
)


def disagreements(lines: list[CreditLine]) -> list[Disagreement]:
    """People whose role the sources give differently: one says producer, another co-producer."""
    by_person: dict[int, list[CreditLine]] = defaultdict(list)
    for line in lines:
        if line.role in _EXCLUSIVE_ROLES:
            by_person[line.artist_id].append(line)
    found: list[Disagreement] = []
    for person_lines in by_person.values():
        claims = [
            (line.role_label, sorted({s.source for s in line.sources})) for line in person_lines
        ]
        sources = [set(c[1]) for c in claims]
        if len(claims) > 1 and any(a - b and b - a for a in sources for b in sources):
            found.append(Disagreement(person_lines[0].artist_id, person_lines[0].name, claims))
    return found


def external_ids(db: Database, kind: EntityKind, entity_id: int) -> dict[str, str]:
    rows = db.execute(
        "SELECT namespace, value FROM external_id WHERE entity_kind = ? AND entity_id = ?"
        " ORDER BY namespace",
        (kind.value, entity_id),
    )
    return {str(ns): str(v) for ns, v in rows}


def recording_credits(db: Database, recording_id: int) -> RecordingCredits:
    row = db.one("SELECT title, date, pseudo_reason FROM recording WHERE id = ?", (recording_id,))
    if row is None:
        raise LookupError(f"no recording with id {recording_id}")
    releases = [
        summary(db, EntityKind.RELEASE, int(r[0]))
        for r in db.execute("SELECT release_id FROM track WHERE recording_id = ?", (recording_id,))
    ]
    return RecordingCredits(
        recording=summary(db, EntityKind.RECORDING, recording_id),
        title=str(row[0]),
        artists=recording_artists(db, recording_id),
        date=row[1],
        releases=releases,
        pseudo_reason=row[2],
        credits=(lines := credit_lines(db, "recording", [recording_id]).get(recording_id, [])),
        facts=fact_lines(db, "recording", recording_id),
        external_ids=external_ids(db, EntityKind.RECORDING, recording_id),
        disagreements=disagreements(lines),
    )


def release_credits(db: Database, release_id: int) -> ReleaseCredits:
    row = db.one("SELECT title, date FROM release WHERE id = ?", (release_id,))
    if row is None:
        raise LookupError(f"no release with id {release_id}")
    tracks = db.execute(
        "SELECT t.position, r.id, r.title, r.pseudo_reason FROM track t"
        " JOIN recording r ON r.id = t.recording_id WHERE t.release_id = ?"
        " ORDER BY t.position IS NULL, t.position, r.date, r.title",
        (release_id,),
    )
    per_track = credit_lines(db, "recording", [int(t[1]) for t in tracks])
    return ReleaseCredits(
        release=summary(db, EntityKind.RELEASE, release_id),
        title=str(row[0]),
        artists=release_artists(db, release_id),
        date=row[1],
        release_credits=(lines := credit_lines(db, "release", [release_id]).get(release_id, [])),
        tracks=[
            TrackCredits(t[0], int(t[1]), str(t[2]), per_track.get(int(t[1]), []), t[3])
            for t in tracks
        ],
        facts=fact_lines(db, "release", release_id),
        disagreements=disagreements(lines),
    )
