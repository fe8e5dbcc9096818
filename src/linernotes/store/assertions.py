"""What one source record asserts: credits, facts, handles, chart entries.

Writing a record replaces what that (source, record) asserted before: rows it no longer states are
retracted for that source only, so a credit stated by another source stays, and a credit left with
no source at all is removed. One fact from two sources is one row with two source rows.
"""

from __future__ import annotations

from dataclasses import dataclass

from linernotes.store.db import Database


@dataclass(frozen=True, slots=True)
class CreditRow:
    artist_id: int
    role: str
    detail: str
    subject_kind: str
    subject_id: int
    tracks: str
    raw_role: str
    credited_name: str
    position: int
    artist_ref: str = ""  # "namespace:value": how the source named the artist (for splits)

    @property
    def key(self) -> tuple[object, ...]:
        return (
            self.artist_id,
            self.role,
            self.detail,
            self.subject_kind,
            self.subject_id,
            self.tracks,
            self.raw_role,
        )


@dataclass(frozen=True, slots=True)
class FactRow:
    subject_kind: str
    subject_id: int
    kind: str
    value: str
    folded: str
    raw: str
    org_namespace: str | None
    org_value: str | None


@dataclass(frozen=True, slots=True)
class HandleRow:
    artist_id: int
    platform: str
    handle: str
    evidence_kind: str
    confidence: float
    match_rule: str
    note: str
    quote: str


@dataclass(frozen=True, slots=True)
class ChartRow:
    chart: str
    date: str
    position: int
    recording_id: int | None
    title: str
    artist: str
    streams: int | None
    last_week: int | None
    peak_position: int | None
    weeks_on_chart: int | None


@dataclass(frozen=True, slots=True)
class Provenance:
    source: str
    record_id: str
    retrieved_at: str


@dataclass(frozen=True, slots=True)
class CreditChanges:
    """What writing one record did to its source's credits."""

    added: int  # credits this source states now and did not before
    retracted: int  # credits this source stated before and no longer does
    kept: int


def replace_credits(
    db: Database, prov: Provenance, rows: list[CreditRow], *, fresh: bool = False
) -> CreditChanges:
    """`fresh`: the record was never written before, so there is nothing to retract."""
    old = {} if fresh else _old_credit_keys(db, prov)
    new = {row.key: row for row in rows}
    gone = [(cid, raw) for key, (cid, raw) in old.items() if key not in new]
    db.executemany(
        "DELETE FROM credit_source WHERE credit_id = ? AND source = ? AND source_record_id = ?"
        " AND raw_role = ?",
        [(cid, prov.source, prov.record_id, raw) for cid, raw in gone],
    )
    _drop_unsourced("credit", "credit_source", "credit_id", db, [cid for cid, _ in gone])
    for row in new.values():
        _write_credit(db, prov, row)
    added = sum(1 for key in new if key not in old)
    return CreditChanges(added, len(gone), len(new) - added)


def _old_credit_keys(db: Database, prov: Provenance) -> dict[tuple[object, ...], tuple[int, str]]:
    rows = db.execute(
        "SELECT c.id, c.artist_id, c.role, c.detail, c.subject_kind, c.subject_id, c.tracks,"
        " s.raw_role FROM credit_source s JOIN credit c ON c.id = s.credit_id"
        " WHERE s.source = ? AND s.source_record_id = ?",
        (prov.source, prov.record_id),
    )
    return {tuple(r[1:]): (int(r[0]), str(r[7])) for r in rows}


def _write_credit(db: Database, prov: Provenance, row: CreditRow) -> None:
    # The no-op update makes RETURNING give the id whether the credit is new or known.
    found = db.one(
        "INSERT INTO credit (artist_id, role, detail, subject_kind, subject_id, tracks)"
        " VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (artist_id, role, detail, subject_kind,"
        " subject_id, tracks) DO UPDATE SET tracks = excluded.tracks RETURNING id",
        (row.artist_id, row.role, row.detail, row.subject_kind, row.subject_id, row.tracks),
    )
    assert found is not None
    db.execute(
        "INSERT INTO credit_source (credit_id, source, source_record_id, raw_role, credited_name,"
        " position, retrieved_at, artist_ref) VALUES (?, ?, ?, ?, ?, ?, ?, ?)"
        " ON CONFLICT (credit_id, source, source_record_id, raw_role) DO UPDATE SET"
        " credited_name = excluded.credited_name, position = excluded.position,"
        " retrieved_at = excluded.retrieved_at, artist_ref = excluded.artist_ref",
        (
            found[0],
            prov.source,
            prov.record_id,
            row.raw_role,
            row.credited_name,
            row.position,
            prov.retrieved_at,
            row.artist_ref,
        ),
    )


def replace_facts(db: Database, prov: Provenance, rows: list[FactRow]) -> None:
    old = db.execute(
        "SELECT fact_id FROM fact_source WHERE source = ? AND source_record_id = ?",
        (prov.source, prov.record_id),
    )
    db.execute(
        "DELETE FROM fact_source WHERE source = ? AND source_record_id = ?",
        (prov.source, prov.record_id),
    )
    for row in rows:
        db.execute(
            "INSERT INTO fact (subject_kind, subject_id, kind, value, folded)"
            " VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
            (row.subject_kind, row.subject_id, row.kind, row.value, row.folded),
        )
        fact = db.one(
            "SELECT id FROM fact WHERE subject_kind = ? AND subject_id = ? AND kind = ?"
            " AND folded = ?",
            (row.subject_kind, row.subject_id, row.kind, row.folded),
        )
        assert fact is not None
        db.execute(
            "INSERT INTO fact_source (fact_id, source, source_record_id, raw, org_namespace,"
            " org_value, retrieved_at) VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
            (
                fact[0],
                prov.source,
                prov.record_id,
                row.raw,
                row.org_namespace,
                row.org_value,
                prov.retrieved_at,
            ),
        )
    _drop_unsourced("fact", "fact_source", "fact_id", db, [int(r[0]) for r in old])


def replace_handles(db: Database, prov: Provenance, rows: list[HandleRow], checked: str) -> None:
    old = db.execute(
        "SELECT handle_id FROM handle_evidence WHERE source = ? AND source_record_id = ?",
        (prov.source, prov.record_id),
    )
    db.execute(
        "DELETE FROM handle_evidence WHERE source = ? AND source_record_id = ?",
        (prov.source, prov.record_id),
    )
    for row in rows:
        db.execute(
            "INSERT INTO handle (artist_id, platform, handle) VALUES (?, ?, ?)"
            " ON CONFLICT DO NOTHING",
            (row.artist_id, row.platform, row.handle),
        )
        handle = db.one(
            "SELECT id FROM handle WHERE artist_id = ? AND platform = ? AND handle = ?",
            (row.artist_id, row.platform, row.handle),
        )
        assert handle is not None
        db.execute(
            "INSERT INTO handle_evidence (handle_id, source, source_record_id, evidence_kind,"
            " confidence, match_rule, note, quote, retrieved_at, last_checked)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
            (
                handle[0],
                prov.source,
                prov.record_id,
                row.evidence_kind,
                row.confidence,
                row.match_rule,
                row.note,
                row.quote,
                prov.retrieved_at,
                checked,
            ),
        )
    _drop_unsourced("handle", "handle_evidence", "handle_id", db, [int(r[0]) for r in old])


def replace_chart_entries(db: Database, prov: Provenance, rows: list[ChartRow]) -> None:
    db.execute(
        "DELETE FROM chart_entry WHERE source = ? AND source_record_id = ?",
        (prov.source, prov.record_id),
    )
    # A chart position holds one song: a newer statement of that (chart, date, position) wins.
    db.executemany(
        "INSERT INTO chart_entry (chart, date, position, recording_id, title, artist, streams,"
        " last_week, peak_position, weeks_on_chart, source, source_record_id)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
        " ON CONFLICT (chart, date, position) DO UPDATE SET recording_id = excluded.recording_id,"
        " title = excluded.title, artist = excluded.artist, streams = excluded.streams,"
        " last_week = excluded.last_week, peak_position = excluded.peak_position,"
        " weeks_on_chart = excluded.weeks_on_chart, source = excluded.source,"
        " source_record_id = excluded.source_record_id",
        [
            (
                r.chart,
                r.date,
                r.position,
                r.recording_id,
                r.title,
                r.artist,
                r.streams,
                r.last_week,
                r.peak_position,
                r.weeks_on_chart,
                prov.source,
                prov.record_id,
            )
            for r in rows
        ],
    )


def _drop_unsourced(table: str, sources: str, column: str, db: Database, ids: list[int]) -> None:
    """Remove rows whose last source retracted them (table names are ours, never user input)."""
    db.executemany(
        f"DELETE FROM {table} WHERE id = ? AND NOT EXISTS"
        f" (SELECT 1 FROM {sources} WHERE {column} = ?)",
        [(i, i) for i in set(ids)],
    )
