"""Write one source record: attach its references to catalog entities, then its assertions."""

from __future__ import annotations

from collections import Counter

from linernotes.normalize.fold import clean_display, fold
from linernotes.normalize.ids import normalize_barcode
from linernotes.normalize.records import (
    NAME,
    TITLE_BY,
    TITLE_BY_SEPARATOR,
    FactRecord,
    LinkRule,
    Problem,
    Ref,
    SourceRecord,
)
from linernotes.normalize.roles import UNMAPPED
from linernotes.store import assertions as a
from linernotes.store import entities as e
from linernotes.store.db import Database, now_iso

BARCODE = "upc"  # the namespace parsers give barcodes in


class RecordWriter:
    def __init__(self, db: Database, record: SourceRecord, cache: e.IdCache | None = None) -> None:
        self.db = db
        self.cache = cache if cache is not None else e.IdCache()
        self.record = record
        self.ids: dict[Ref, int] = {}
        self.rules: dict[Ref, LinkRule] = {}
        self.problems: list[Problem] = []
        self.unmapped_roles: Counter[str] = Counter()
        self.prov = a.Provenance(record.source, record.record_id, record.retrieved_at)

    def write(self, *, fresh: bool = False) -> a.CreditChanges:
        """Write the record; `fresh` when its source record was never written before."""
        self._barcodes_as_facts()
        self._write_entities()
        changes = a.replace_credits(self.db, self.prov, self._credit_rows(), fresh=fresh)
        a.replace_facts(self.db, self.prov, self._fact_rows())
        a.replace_handles(self.db, self.prov, self._handle_rows(), now_iso())
        a.replace_chart_entries(self.db, self.prov, self._chart_rows())
        return changes

    def _barcodes_as_facts(self) -> None:
        for value in barcodes_as_facts(self.record):
            self._problem("bad_barcode", f"{value!r} is not a barcode; not stored")

    # -- entities -------------------------------------------------------------------------

    def _write_entities(self) -> None:
        src = self.record.source
        for artist in self.record.artists:
            self._remember(artist.ref, e.upsert_artist(self.db, artist, src, self.cache))
        for artist in self.record.artists:
            for member in artist.members:
                member_id = self.resolve(member)
                if member_id is not None:
                    e.add_member(self.db, self.ids[artist.ref], member_id, src)
        for release in self.record.releases:
            self._remember(release.ref, e.upsert_release(self.db, release, src, self.cache))
        for recording in self.record.recordings:
            recording_id = e.upsert_recording(self.db, recording, src, self.cache)
            self._remember(recording.ref, recording_id)
            release_id = self.resolve(recording.release) if recording.release else None
            if release_id is not None:
                e.link_track(
                    self.db,
                    release_id,
                    recording_id,
                    recording.track_position,
                    recording.track_label,
                )

    def _remember(self, ref: Ref, entity_id: int) -> None:
        self.ids[ref] = entity_id
        self.rules[ref] = ref.rule

    def resolve(self, ref: Ref) -> int | None:
        """The catalog entity for a reference, or None with a problem saying why."""
        if ref in self.ids:
            return self.ids[ref]
        if ref.namespace == NAME:
            return self._resolve_name(ref)
        found = e.find_by_ref(self.db, ref, self.cache)
        if found is None:
            self._problem("unknown_reference", f"{ref} is not in the catalog")
        else:
            self._remember(ref, found)
        return found

    def _resolve_name(self, ref: Ref) -> int | None:
        match = e.find_by_name(self.db, ref.kind, ref.value)
        if match.entity_id is not None:
            self._remember(ref, match.entity_id)
        elif match.candidates == 0:
            self._problem(
                "unmatched_name", f"no {ref.kind.value} named {ref.value!r} in the catalog"
            )
        else:
            self._problem(
                "ambiguous_name",
                f"{match.candidates} {ref.kind.value}s are named {ref.value!r}; not guessing",
            )
        return match.entity_id

    def _problem(self, kind: str, message: str) -> None:
        locator = self.record.origin or f"{self.record.source}:{self.record.record_id}"
        self.problems.append(Problem(locator, kind, message))

    # -- assertions -----------------------------------------------------------------------

    def _credit_rows(self) -> list[a.CreditRow]:
        rows: list[a.CreditRow] = []
        for c in self.record.credits:
            artist_id, subject_id = self.resolve(c.artist), self.resolve(c.subject)
            if artist_id is None or subject_id is None:
                continue
            if c.role == UNMAPPED:
                self.unmapped_roles[c.raw_role] += 1
            rows.append(
                a.CreditRow(
                    artist_id,
                    c.role,
                    c.detail,
                    c.subject.kind.value,
                    subject_id,
                    c.tracks,
                    c.raw_role,
                    clean_display(c.credited_name),
                    c.position,
                    f"{c.artist.namespace}:{c.artist.value}",
                )
            )
        return rows

    def _fact_rows(self) -> list[a.FactRow]:
        rows: list[a.FactRow] = []
        for f in self.record.facts:
            subject_id = self.resolve(f.subject)
            if subject_id is None:
                continue
            value = clean_display(f.value)
            rows.append(
                a.FactRow(
                    f.subject.kind.value,
                    subject_id,
                    f.kind,
                    value,
                    fold(value),
                    f.raw,
                    f.org.namespace if f.org else None,
                    f.org.value if f.org else None,
                )
            )
        return rows

    def _handle_rows(self) -> list[a.HandleRow]:
        rows: list[a.HandleRow] = []
        for h in self.record.handles:
            artist_id = self.resolve(h.artist)
            if artist_id is None:
                continue
            rule = self.rules.get(h.artist, h.artist.rule)
            rows.append(
                a.HandleRow(
                    artist_id,
                    h.platform.value,
                    h.handle,
                    h.evidence.value,
                    h.confidence,
                    rule.value,
                    h.note,
                    h.quote,
                )
            )
        return rows

    def _chart_rows(self) -> list[a.ChartRow]:
        """Every row is kept; rows naming no catalog song yet keep their text for later."""
        rows: list[a.ChartRow] = []
        for c in self.record.chart_entries:
            rows.append(
                a.ChartRow(
                    c.chart,
                    c.date,
                    c.position,
                    self._chart_recording(c.recording),
                    c.title,
                    c.artist,
                    c.streams,
                    c.last_week,
                    c.peak_position,
                    c.weeks_on_chart,
                )
            )
        return rows

    def _chart_recording(self, ref: Ref | None) -> int | None:
        if ref is None:
            return None
        if ref.namespace == TITLE_BY:
            # Unmatched chart rows are normal (charts run ahead of the catalog): not a problem.
            title, _, artist = ref.value.partition(TITLE_BY_SEPARATOR)
            return e.find_by_title_and_artist(self.db, title, artist).entity_id
        return self.resolve(ref)


# -- shared with the bulk writer (batch_writer) ----------------------------------------------


def barcodes_as_facts(record: SourceRecord) -> list[str]:
    """Move the releases' barcodes to facts; return the values that are not barcodes.

    A barcode names a product, not a release: pressings and reissues share one (Discogs
    releases 6084149 and 6084161 do). So it is kept as a fact, never as identity."""
    rejected: list[str] = []
    for release in record.releases:
        barcodes = [r for r in release.also_known_as if r.namespace == BARCODE]
        if not barcodes:
            continue
        release.also_known_as = [r for r in release.also_known_as if r.namespace != BARCODE]
        for ref in barcodes:
            value = normalize_barcode(ref.value)
            if value is None:
                rejected.append(ref.value)
                continue
            record.facts.append(FactRecord(release.ref, "barcode", value, BARCODE))
    return rejected


def has_bad_barcode(record: SourceRecord) -> bool:
    return any(
        r.namespace == BARCODE and normalize_barcode(r.value) is None
        for release in record.releases
        for r in release.also_known_as
    )
