"""Write the new records of a batch set-wise, with the very rows record-by-record writing gives.

Record-by-record writing (`record_writer`) spends ~125 statements on a Discogs release: a look-up
per reference, an upsert with RETURNING per credit, an insert and a select per fact. Most records
of a dump are new and name only new subjects (the release and its tracks), and for those almost
every one of those statements has a known answer: the references were looked up for the whole
batch at once (`batch_lookup`), the credits of a subject created here cannot exist yet. So this
writer allocates their ids itself (max(id) + 1, in the order SQLite would: we are the only writer
inside the transaction) and inserts the rows of many records together, table by table, several
hundred rows a statement (`store.bulk_insert`).

Anything else goes back to the record-by-record path, between two flushes, so its semantics stay
where they are: records written before, records with a subject or a reference the catalog holds in
a way this writer does not reproduce (an existing release, a reference by name only, a group's
members, handles, chart rows, a bad barcode), and the rest of a batch after a merge. A test
ingests the demo sources both ways and compares every table.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from linernotes.ingest.batch_lookup import (
    ID_TABLES,
    entity_ids,
    last_merge,
    max_ids,
    records_with_assertions,
)
from linernotes.ingest.record_writer import barcodes_as_facts, has_bad_barcode
from linernotes.normalize.fold import clean_display, fold, fold_artist
from linernotes.normalize.records import (
    NAME,
    TITLE_BY,
    ArtistKind,
    ArtistRecord,
    RecordingRecord,
    Ref,
    ReleaseRecord,
    SourceRecord,
)
from linernotes.normalize.roles import UNMAPPED
from linernotes.store.assertions import CreditChanges
from linernotes.store.bulk_insert import insert_rows
from linernotes.store.db import Database, now_iso
from linernotes.store.entities import IdCache
from linernotes.store.name_index import tokens

# Marks a record as written in this version (the pipeline uses it for every record).
MARK_DONE = (
    "INSERT INTO source_record (source, record_id, content_hash, retrieved_at, ingested_at)"
    " VALUES (?, ?, ?, ?, ?) ON CONFLICT (source, record_id) DO UPDATE SET"
    " content_hash = excluded.content_hash, retrieved_at = excluded.retrieved_at,"
    " ingested_at = excluded.ingested_at"
)

# Flushed in this order: parents before the rows whose foreign keys point at them.
_INSERTS: tuple[tuple[str, str], ...] = (
    (
        "artist",
        "INSERT INTO artist (id, name, folded, kind, image_url, sort_name, disambiguation,"
        " created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
    ),
    (
        "release",
        "INSERT INTO release (id, title, folded, kind, date, pseudo_reason, created_at)"
        " VALUES (?, ?, ?, ?, ?, ?, ?)",
    ),
    (
        "recording",
        "INSERT INTO recording (id, title, folded, date, duration_ms, pseudo_reason, created_at)"
        " VALUES (?, ?, ?, ?, ?, ?, ?)",
    ),
    (
        "external_id",
        "INSERT INTO external_id (entity_kind, namespace, value, entity_id, rule, source)"
        " VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
    ),
    (
        "track",
        "INSERT INTO track (release_id, recording_id, position, label) VALUES (?, ?, ?, ?)",
    ),
    (
        "credit",
        "INSERT INTO credit (id, artist_id, role, detail, subject_kind, subject_id, tracks)"
        " VALUES (?, ?, ?, ?, ?, ?, ?)",
    ),
    (
        "credit_source",
        "INSERT INTO credit_source (credit_id, source, source_record_id, raw_role,"
        " credited_name, position, retrieved_at, artist_ref) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
    ),
    (
        "fact",
        "INSERT INTO fact (id, subject_kind, subject_id, kind, value, folded)"
        " VALUES (?, ?, ?, ?, ?, ?)",
    ),
    (
        "fact_source",
        "INSERT INTO fact_source (fact_id, source, source_record_id, raw, org_namespace,"
        " org_value, retrieved_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
    ),
    (
        "name_token",
        "INSERT INTO name_token (token, entity_kind, entity_id) VALUES (?, ?, ?)"
        " ON CONFLICT DO NOTHING",
    ),
    (
        "fill",  # what an existing artist's record adds: never overwrites another source
        "UPDATE artist SET image_url = COALESCE(image_url, ?),"
        " kind = CASE WHEN kind = 'unknown' THEN ? ELSE kind END WHERE id = ?",
    ),
    ("source_record", MARK_DONE),
)
_SQL = dict(_INSERTS)
# Tables whose rows go one a statement: on SQLite multi-row statements measured no faster for
# these (see store.bulk_insert), and an UPDATE takes one row anyway. On PostgreSQL COPY beats
# executemany for the inserts too (91k recordings: 2.7-3.0 s against 3.8-9.4 s; bench/README.md).
_ONE_ROW_A_STATEMENT = {
    "sqlite": frozenset({"recording", "name_token", "fill"}),
    "postgresql": frozenset({"fill"}),
}

# An artist's other name; with `skip_primary`, not when it is the artist's own name (as
# entities._add_artist_name does). RETURNING tells whether it was new, and so needs indexing.
_ADD_NAME = (
    "INSERT INTO artist_name (artist_id, name, folded, kind, source) SELECT ?, ?, ?, ?, ?"
    " WHERE NOT (? = 1 AND EXISTS (SELECT 1 FROM artist WHERE id = ? AND name = ?))"
    " ON CONFLICT DO NOTHING RETURNING artist_id"
)

_NOT_LOOKED_UP = frozenset({NAME, TITLE_BY})  # resolved by name rules, never by external id
_ARTIST, _RELEASE, _RECORDING = "artist", "release", "recording"  # EntityKind values
_RULES: dict[str, str] = {}  # namespace -> the LinkRule its refs carry (Ref.rule)


@dataclass(slots=True)
class Written:
    changes: CreditChanges
    unmapped_roles: Counter[str]


@dataclass(slots=True)
class BulkRun:
    """What the bulk writer keeps from batch to batch of one ingest run."""

    # (artist, name, kind, source, skip_primary) already written: the insert is idempotent,
    # and a dump credits the same people under the same names thousands of times.
    names_done: set[tuple[int, str, str, str, bool]] = field(default_factory=set)
    merge_marker: int | None = None
    max_names: int = 200_000  # bounded like the IdCache: emptied when full

    def first_time(self, key: tuple[int, str, str, str, bool]) -> bool:
        if key in self.names_done:
            return False
        if len(self.names_done) >= self.max_names:
            self.names_done.clear()
        self.names_done.add(key)
        return True


class _Slow(Exception):
    """This record takes the record-by-record path."""


@dataclass(slots=True)
class _Plan:
    new_artists: list[ArtistRecord]
    existing_artists: list[tuple[ArtistRecord, int]]
    subjects: set[Ref]  # refs of the record's own (new) releases and recordings


def refs_of(record: SourceRecord) -> set[Ref]:
    """Every reference a record makes that an external id row can answer."""
    refs = _entity_refs(record, set())
    refs.update(c.subject for c in record.credits)
    refs.update(f.subject for f in record.facts)
    refs.update(h.artist for h in record.handles)
    refs.update(c.recording for c in record.chart_entries if c.recording is not None)
    return refs


def _entity_refs(record: SourceRecord, refs: set[Ref]) -> set[Ref]:
    """Add the references the bulk writer needs answered: a credit or fact whose subject is not
    one of the record's own entities sends the record down the record-by-record path anyway."""
    for artist in record.artists:
        refs.update((artist.ref, *artist.also_known_as, *artist.members))
    for release in record.releases:
        refs.update((release.ref, *release.also_known_as))
    for recording in record.recordings:
        refs.update((recording.ref, *recording.also_known_as))
        if recording.release is not None:
            refs.add(recording.release)
    # Credits mostly name the record's own artist objects: skip those without hashing them.
    artists = {id(a.ref) for a in record.artists}
    refs.update(c.artist for c in record.credits if id(c.artist) not in artists)
    return refs


class BatchWriter:
    """One batch: `prepare` the records that have no stored hash, then for each record in order
    `write` it (None: write it record by record after `flush`, then call `after_slow_write`).

    Hot loop note: an enum's `.value` is a property costing about as much as a dict look-up
    with a Ref key; its `_value_` attribute is the same string for a fraction of that.
    """

    def __init__(self, db: Database, cache: IdCache, run: BulkRun) -> None:
        self.db = db
        self.cache = cache
        self.run = run
        # Refs with a catalog entity, or with one this writer has pending; then refs looked
        # up and not found. `known` is always asked first: a pending entity is in both.
        self.known: dict[Ref, int] = {}
        self.absent: set[Ref] = set()
        self.slow: set[int] = set()  # id() of records that go record by record
        self.next_ids: dict[str, int] | None = None  # the last id used per table
        self.rows: dict[str, list[tuple[object, ...]]] = {t: [] for t, _ in _INSERTS}
        self.names: list[tuple[int, str, str, str, str, bool]] = []
        self.now = now_iso()
        self.disabled = False

    # -- batch set-up ---------------------------------------------------------------------

    def prepare(self, records: list[SourceRecord]) -> None:
        self._check_merges()
        busy = records_with_assertions(self.db, records)
        refs: set[Ref] = set()
        for record in records:
            if (
                (record.source, record.record_id) in busy
                or record.handles
                or record.chart_entries
                or has_bad_barcode(record)
            ):
                self.slow.add(id(record))
                continue
            barcodes_as_facts(record)  # as RecordWriter does first; it finds none left
            _entity_refs(record, refs)
        self._look_up(refs)

    def _look_up(self, refs: set[Ref]) -> None:
        unknown: list[Ref] = []
        for ref in refs:
            if ref.namespace in _NOT_LOOKED_UP:
                continue  # never known or absent: a record naming it goes record by record
            cached = self.cache.ids.get(ref)
            if cached is None:
                unknown.append(ref)
            else:
                self.known[ref] = cached
        found = entity_ids(self.db, unknown)
        for ref in unknown:
            entity_id = found.get(ref)
            if entity_id is None:
                self.absent.add(ref)
            else:
                self.known[ref] = entity_id
                self.cache.remember(ref, entity_id)

    def _check_merges(self) -> bool:
        """Whether entities were merged since last seen (a merge changes ids)."""
        marker = last_merge(self.db)
        if marker == self.run.merge_marker:
            return False
        self.run.merge_marker = marker
        self.run.names_done.clear()
        return True

    # -- after a record written record by record -------------------------------------------

    def after_slow_write(self, record: SourceRecord) -> None:
        """Learn what the record-by-record write changed: its references may now have
        entities, ids moved on, and a merge makes every answer of this batch stale."""
        if self._check_merges():
            self.disabled = True  # the rest of the batch goes record by record
            return
        self.next_ids = None
        refs = refs_of(record)
        for ref in refs:
            self.known.pop(ref, None)
            self.absent.discard(ref)
        self._look_up(refs)

    # -- planning ---------------------------------------------------------------------------

    def _found(self, ref: Ref) -> int | None:
        found = self.known.get(ref)
        if found is not None or ref in self.absent:
            return found
        raise _Slow  # a name-only reference, or one not looked up

    def _plan(self, record: SourceRecord) -> _Plan:
        own: set[Ref] = set()

        def claim(refs: list[Ref]) -> list[int | None]:
            for ref in refs:
                if ref in own:
                    raise _Slow  # a reference stated twice: leave it to the attach rules
                own.add(ref)
            return [self._found(r) for r in refs]

        plan = _Plan([], [], set())
        for artist in record.artists:
            found = claim([artist.ref, *artist.also_known_as])
            if artist.members:
                raise _Slow
            if all(i is None for i in found):
                plan.new_artists.append(artist)
            elif None not in found and len(set(found)) == 1:
                plan.existing_artists.append((artist, found[0] or 0))
            else:
                raise _Slow  # a new id of a known artist, or a merge
        subjects: list[ReleaseRecord | RecordingRecord] = [*record.releases, *record.recordings]
        for entity in subjects:
            refs = [entity.ref, *entity.also_known_as]
            if any(i is not None for i in claim(refs)):
                raise _Slow  # an existing subject: its credits may exist
            plan.subjects.update(refs)
        for recording in record.recordings:
            if recording.match_artist is not None:
                raise _Slow  # may attach by title and artist
            release = recording.release
            if release is not None and release not in own and self._found(release) is None:
                raise _Slow
        subject: Ref | None = None  # credits come in runs naming one subject or one artist
        credited: Ref | None = None
        for credit in record.credits:
            if credit.subject is not subject:
                subject = credit.subject
                if subject not in plan.subjects:
                    raise _Slow
            if credit.artist is not credited:
                credited = credit.artist
                if credited not in own and self._found(credited) is None:
                    raise _Slow  # unknown: a problem the record-by-record path reports
        if any(f.subject not in plan.subjects for f in record.facts):
            raise _Slow
        return plan

    # -- writing ----------------------------------------------------------------------------

    def write(self, record: SourceRecord, digest: str) -> Written | None:
        """Write a record that has no stored hash, or None when it must go record by record."""
        if self.disabled or id(record) in self.slow:
            return None
        try:
            plan = self._plan(record)
        except _Slow:
            return None
        if self.next_ids is None:
            self.flush()
            self.next_ids = max_ids(self.db)
        self._artists(record, plan)
        self._subjects(record)
        written = self._assertions(record)
        self.rows["source_record"].append(
            (record.source, record.record_id, digest, record.retrieved_at, self.now)
        )
        return written

    def _new_id(self, table: str) -> int:
        assert self.next_ids is not None
        self.next_ids[table] += 1
        return self.next_ids[table]

    def _new_refs(self, refs: list[Ref], entity_id: int, source: str) -> None:
        rows, known = self.rows["external_id"], self.known
        for ref in refs:
            rule = _RULES.get(ref.namespace) or _RULES.setdefault(ref.namespace, ref.rule._value_)
            rows.append((ref.kind._value_, ref.namespace, ref.value, entity_id, rule, source))
            known[ref] = entity_id

    def _tokens(self, kind: str, entity_id: int, name: str) -> None:
        self.rows["name_token"].extend([(t, kind, entity_id) for t in tokens(name)])

    def _name(self, artist_id: int, raw: str, kind: str, source: str, skip_primary: bool) -> None:
        name = clean_display(raw)
        if name and self.run.first_time((artist_id, name, kind, source, skip_primary)):
            self.names.append((artist_id, name, fold_artist(name), kind, source, skip_primary))

    def _artists(self, record: SourceRecord, plan: _Plan) -> None:
        source = record.source
        for artist in plan.new_artists:
            artist_id = self._new_id("artist")
            name = clean_display(artist.name)
            self.rows["artist"].append(
                (
                    artist_id,
                    name,
                    fold_artist(name),
                    artist.kind._value_,
                    artist.image_url,
                    artist.sort_name,
                    artist.disambiguation,
                    self.now,
                )
            )
            refs = [artist.ref, *artist.also_known_as]
            self._new_refs(refs, artist_id, source)
            for ref in refs:  # artists come back in later batches; one-off subjects do not
                self.cache.remember(ref, artist_id)
            self._tokens(_ARTIST, artist_id, name)
            for alias in artist.aliases:
                self._name(artist_id, alias.name, alias.kind, source, False)
        for artist, artist_id in plan.existing_artists:
            if artist.image_url is not None or artist.kind is not ArtistKind.UNKNOWN:
                self.rows["fill"].append((artist.image_url, artist.kind._value_, artist_id))
            self._name(artist_id, artist.name, "as_credited", source, True)
            for alias in artist.aliases:
                self._name(artist_id, alias.name, alias.kind, source, False)

    def _subjects(self, record: SourceRecord) -> None:
        source, now = record.source, self.now
        for release in record.releases:
            release_id = self._new_id("release")
            title = clean_display(release.title)
            self.rows["release"].append(
                (
                    release_id,
                    title,
                    fold(title),
                    release.kind._value_,
                    release.date,
                    release.pseudo_reason,
                    now,
                )
            )
            self._new_refs([release.ref, *release.also_known_as], release_id, source)
        recordings, tracks = self.rows["recording"], self.rows["track"]
        assert self.next_ids is not None
        first = self.next_ids["recording"] + 1
        self.next_ids["recording"] += len(record.recordings)
        for recording_id, recording in enumerate(record.recordings, start=first):
            title = clean_display(recording.title)
            recordings.append(
                (
                    recording_id,
                    title,
                    fold(title),
                    recording.date,
                    recording.duration_ms,
                    recording.pseudo_reason,
                    now,
                )
            )
            self._new_refs([recording.ref, *recording.also_known_as], recording_id, source)
            if recording.release is not None:
                release_id = self.known[recording.release]
                tracks.append(
                    (release_id, recording_id, recording.track_position, recording.track_label)
                )

    def _assertions(self, record: SourceRecord) -> Written:
        """Credits and facts of subjects created here: none can exist, so each is new unless
        the record states it twice. The rows are those RecordWriter writes: one credit per
        (artist, role, detail, subject, tracks), one source row per raw role (the last
        statement's name and position), one fact per folded value (the first statement)."""
        known, src, rid, when = self.known, record.source, record.record_id, record.retrieved_at
        unmapped: Counter[str] = Counter()
        credit_ids: dict[tuple[object, ...], int] = {}
        sources: dict[tuple[object, ...], tuple[object, ...]] = {}
        subject: Ref | None = None  # runs of credits name one subject or one artist: look up once
        artist: Ref | None = None
        subject_kind, subject_id, artist_id = "", 0, 0
        assert self.next_ids is not None
        last_id, credit_rows = self.next_ids["credit"], self.rows["credit"]
        for c in record.credits:
            if c.subject is not subject:
                subject = c.subject
                subject_kind, subject_id = subject.kind._value_, known[subject]
            if c.artist is not artist:
                artist = c.artist
                artist_id = known[artist]
            identity = (artist_id, c.role, c.detail, subject_kind, subject_id, c.tracks)
            credit_id = credit_ids.get(identity)
            if credit_id is None:
                last_id += 1
                credit_id = credit_ids[identity] = last_id
                credit_rows.append((credit_id, *identity))
            if c.role == UNMAPPED:
                unmapped[c.raw_role] += 1
            name = clean_display(c.credited_name)
            sources[(identity, c.raw_role)] = (
                credit_id,
                src,
                rid,
                c.raw_role,
                name,
                c.position,
                when,
                f"{artist.namespace}:{artist.value}",
            )
        self.next_ids["credit"] = last_id
        self.rows["credit_source"].extend(sources.values())
        facts: set[tuple[str, int, str, str]] = set()
        for f in record.facts:
            value = clean_display(f.value)
            fact = (f.subject.kind._value_, known[f.subject], f.kind, fold(value))
            if fact in facts:
                continue  # the first statement stands (the per-record insert does nothing)
            facts.add(fact)
            fact_id = self._new_id("fact")
            self.rows["fact"].append((fact_id, *fact[:3], value, fact[3]))
            org = f.org
            self.rows["fact_source"].append(
                (fact_id, src, rid, f.raw, org and org.namespace, org and org.value, when)
            )
        return Written(CreditChanges(len(sources), 0, 0), unmapped)

    def flush(self) -> None:
        """Insert every pending row (before any record-by-record write, and at the end)."""
        numbered = [t for t in ID_TABLES if self.rows.get(t)]
        for table, sql in _INSERTS:
            if table == "fill":
                self._flush_names()  # after the artists and their tokens, as entities does
            rows = self.rows[table]
            if not rows:
                continue
            if table in _ONE_ROW_A_STATEMENT[self.db.dialect]:
                self.db.executemany(sql, rows)
            else:
                insert_rows(self.db, sql, rows)
            rows.clear()
        if numbered:
            self.db.ids_taken(numbered)

    def _flush_names(self) -> None:
        indexed: list[tuple[object, ...]] = []
        for artist_id, name, folded, kind, source, skip_primary in self.names:
            added = self.db.execute(
                _ADD_NAME,
                (artist_id, name, folded, kind, source, int(skip_primary), artist_id, name),
            )
            if added:
                indexed.extend((t, _ARTIST, artist_id) for t in tokens(name))
        self.names.clear()
        if indexed:
            self.db.executemany(_SQL["name_token"], indexed)
