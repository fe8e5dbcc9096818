"""Entities in the catalog: find them by reference, create them, record their ids and names.

Attaching follows the rule of the reference (see :class:`~linernotes.normalize.records.LinkRule`):
an id or source-local key attaches to the entity that holds it; a bare name attaches only when
exactly one entity of that kind folds to it. The rule is stored beside the link as its evidence.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from linernotes.normalize.fold import clean_display, fold, fold_artist
from linernotes.normalize.records import (
    NAME,
    Alias,
    ArtistRecord,
    EntityKind,
    LinkRule,
    RecordingRecord,
    Ref,
    ReleaseRecord,
)
from linernotes.store.db import Database, now_iso
from linernotes.store.merge import merge
from linernotes.store.name_index import index_name


def fold_for(kind: EntityKind, text: str) -> str:
    return fold_artist(text) if kind is EntityKind.ARTIST else fold(text)


@dataclass(frozen=True, slots=True)
class NameMatch:
    """The outcome of attaching by name: one entity, or the reason there is none."""

    entity_id: int | None
    candidates: int  # how many entities fold to that name


@dataclass(slots=True)
class IdCache:
    """Entity ids resolved during one ingest run, and entity records already written in it.

    The same artists appear in record after record of a dump; looking them up and rewriting
    them each time was most of the ingest's statements. A merge changes ids: it empties the cache.
    """

    ids: dict[Ref, int] = field(default_factory=dict)
    written: dict[object, int] = field(default_factory=dict)
    # Bounds keep a dump's ingest in constant memory (measured: 871 MB at 100k releases when
    # unbounded); emptying a full map is crude but cheap, and the hot names come right back.
    max_ids: int = 200_000
    max_written: int = 50_000

    def remember(self, ref: Ref, entity_id: int) -> None:
        if len(self.ids) >= self.max_ids:
            self.ids.clear()
        self.ids[ref] = entity_id

    def wrote(self, key: object, entity_id: int) -> None:
        if len(self.written) >= self.max_written:
            self.written.clear()
        self.written[key] = entity_id

    def clear(self) -> None:
        self.ids.clear()
        self.written.clear()


def find_by_ref(db: Database, ref: Ref, cache: IdCache | None = None) -> int | None:
    """The entity an id or key reference points at (None for names: see find_by_name)."""
    if ref.namespace == NAME:
        return None
    if cache is not None and ref in cache.ids:
        return cache.ids[ref]
    row = db.one(
        "SELECT entity_id FROM external_id WHERE entity_kind = ? AND namespace = ? AND value = ?",
        (ref.kind.value, ref.namespace, ref.value),
    )
    found = int(row[0]) if row else None
    if cache is not None and found is not None:
        cache.remember(ref, found)
    return found


# (query, number of times it takes the folded name)
_NAME_LOOKUPS: dict[EntityKind, tuple[str, int]] = {
    EntityKind.ARTIST: (
        "SELECT id FROM artist WHERE folded = ?"
        " UNION SELECT artist_id FROM artist_name WHERE folded = ?",
        2,
    ),
    EntityKind.RELEASE: ("SELECT id FROM release WHERE folded = ?", 1),
    EntityKind.RECORDING: ("SELECT id FROM recording WHERE folded = ?", 1),
}


def find_by_name(db: Database, kind: EntityKind, name: str) -> NameMatch:
    key = fold_for(kind, name)
    sql, uses = _NAME_LOOKUPS[kind]
    ids = [int(r[0]) for r in db.execute(sql, (key,) * uses)]
    return NameMatch(ids[0] if len(ids) == 1 else None, len(ids))


def add_external_id(db: Database, ref: Ref, entity_id: int, rule: LinkRule, source: str) -> None:
    db.execute(
        "INSERT INTO external_id (entity_kind, namespace, value, entity_id, rule, source)"
        " VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
        (ref.kind.value, ref.namespace, ref.value, entity_id, rule.value, source),
    )


def attach(
    db: Database, ref: Ref, others: list[Ref], source: str, cache: IdCache | None = None
) -> int | None:
    """Find the entity for `ref` by any of its ids; record the ids that were new.

    When the ids point at several catalog entities, the source has just shown they are one
    (Wikidata naming both a Genius and a Discogs artist): they are merged into the oldest.
    """
    refs = [ref, *others]
    found = {r: find_by_ref(db, r, cache) for r in refs}
    ids = sorted({i for i in found.values() if i is not None})
    if not ids:
        return None
    keep = ids[0]
    for other in ids[1:]:
        linking = ", ".join(f"{r.namespace}:{r.value}" for r in refs if found[r] in (keep, other))
        merge(db, ref.kind, keep, other, f"{source} {ref.namespace}:{ref.value} states {linking}")
        if cache is not None:
            cache.clear()
    # The record's own id rests on whichever key matched.
    matched_rule = next(r.rule for r in refs if found[r] is not None)
    for r in refs:
        if cache is None or r not in cache.ids:
            add_external_id(db, r, keep, matched_rule if r is ref else r.rule, source)
            if cache is not None:
                cache.remember(r, keep)
    return keep


def _add_new_ids(
    db: Database, refs: list[Ref], entity_id: int, source: str, cache: IdCache | None
) -> None:
    for r in refs:
        add_external_id(db, r, entity_id, r.rule, source)
        if cache is not None:
            cache.remember(r, entity_id)


def upsert_artist(
    db: Database, rec: ArtistRecord, source: str, cache: IdCache | None = None
) -> int:
    key = (source, repr(rec))
    if cache is not None and key in cache.written:
        return cache.written[key]
    artist_id = attach(db, rec.ref, rec.also_known_as, source, cache)
    name = clean_display(rec.name)
    # A record known by name only is an artist of its own here: identity resolution decides,
    # with co-credits as corroboration, whether it is someone the catalog already holds.
    if artist_id is None:
        row = db.one(
            "INSERT INTO artist (name, folded, kind, image_url, sort_name, disambiguation,"
            " created_at) VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id",
            (
                name,
                fold_artist(name),
                rec.kind.value,
                rec.image_url,
                rec.sort_name,
                rec.disambiguation,
                now_iso(),
            ),
        )
        assert row is not None
        artist_id = int(row[0])
        _add_new_ids(db, [rec.ref, *rec.also_known_as], artist_id, source, cache)
        index_name(db, EntityKind.ARTIST, artist_id, name)
    else:
        _fill_artist(db, artist_id, rec)
        _add_artist_name(db, artist_id, Alias(name, "as_credited"), source, skip_primary=True)
    for alias in rec.aliases:
        _add_artist_name(db, artist_id, alias, source)
    if cache is not None:
        cache.wrote(key, artist_id)
    return artist_id


def _attach_by_title(
    db: Database, rec: RecordingRecord, source: str, cache: IdCache | None
) -> int | None:
    """The one recording with this title by this artist, linked with the rule as evidence."""
    match = find_by_title_and_artist(db, rec.title, rec.match_artist or "")
    if match.entity_id is None:
        return None
    for r in [rec.ref, *rec.also_known_as]:
        add_external_id(db, r, match.entity_id, LinkRule.UNIQUE_FOLDED_NAME, source)
        if cache is not None:
            cache.remember(r, match.entity_id)
    return match.entity_id


def _fill_artist(db: Database, artist_id: int, rec: ArtistRecord) -> None:
    """Fill what the catalog did not know yet; never overwrite what another source said."""
    db.execute(
        "UPDATE artist SET image_url = COALESCE(image_url, ?),"
        " kind = CASE WHEN kind = 'unknown' THEN ? ELSE kind END WHERE id = ?",
        (rec.image_url, rec.kind.value, artist_id),
    )


def _add_artist_name(
    db: Database, artist_id: int, alias: Alias, source: str, *, skip_primary: bool = False
) -> None:
    name = clean_display(alias.name)
    if not name:
        return
    if skip_primary:
        row = db.one("SELECT name FROM artist WHERE id = ?", (artist_id,))
        if row and row[0] == name:
            return
    inserted = db.execute(
        "INSERT INTO artist_name (artist_id, name, folded, kind, source) VALUES (?, ?, ?, ?, ?)"
        " ON CONFLICT DO NOTHING RETURNING artist_id",
        (artist_id, name, fold_artist(name), alias.kind, source),
    )
    if inserted:
        index_name(db, EntityKind.ARTIST, artist_id, name)


def add_member(db: Database, group_id: int, member_id: int, source: str) -> None:
    db.execute(
        "INSERT INTO artist_member (group_id, member_id, source) VALUES (?, ?, ?)"
        " ON CONFLICT DO NOTHING",
        (group_id, member_id, source),
    )


def upsert_release(
    db: Database, rec: ReleaseRecord, source: str, cache: IdCache | None = None
) -> int:
    key = (source, repr(rec))
    if cache is not None and key in cache.written:
        return cache.written[key]
    release_id = attach(db, rec.ref, rec.also_known_as, source, cache)
    title = clean_display(rec.title)
    if release_id is None:
        row = db.one(
            "INSERT INTO release (title, folded, kind, date, pseudo_reason, created_at)"
            " VALUES (?, ?, ?, ?, ?, ?) RETURNING id",
            (title, fold(title), rec.kind.value, rec.date, rec.pseudo_reason, now_iso()),
        )
        assert row is not None
        release_id = int(row[0])
        _add_new_ids(db, [rec.ref, *rec.also_known_as], release_id, source, cache)
    else:
        db.execute(
            "UPDATE release SET date = COALESCE(date, ?),"
            " kind = CASE WHEN kind = 'unknown' THEN ? ELSE kind END,"
            " pseudo_reason = COALESCE(pseudo_reason, ?) WHERE id = ?",
            (rec.date, rec.kind.value, rec.pseudo_reason, release_id),
        )
    if cache is not None:
        cache.wrote(key, release_id)
    return release_id


def upsert_recording(
    db: Database, rec: RecordingRecord, source: str, cache: IdCache | None = None
) -> int:
    recording_id = attach(db, rec.ref, rec.also_known_as, source, cache)
    if recording_id is None and rec.match_artist:
        recording_id = _attach_by_title(db, rec, source, cache)
    title = clean_display(rec.title)
    if recording_id is None:
        row = db.one(
            "INSERT INTO recording (title, folded, date, duration_ms, pseudo_reason, created_at)"
            " VALUES (?, ?, ?, ?, ?, ?) RETURNING id",
            (title, fold(title), rec.date, rec.duration_ms, rec.pseudo_reason, now_iso()),
        )
        assert row is not None
        recording_id = int(row[0])
        _add_new_ids(db, [rec.ref, *rec.also_known_as], recording_id, source, cache)
    else:
        # A fuller date ("2016-10-07") wins over a partial one ("2016").
        db.execute(
            "UPDATE recording SET"
            " date = CASE WHEN date IS NULL OR length(date) < length(?) THEN ? ELSE date END,"
            " duration_ms = COALESCE(duration_ms, ?),"
            " pseudo_reason = COALESCE(pseudo_reason, ?) WHERE id = ?",
            (rec.date or "", rec.date, rec.duration_ms, rec.pseudo_reason, recording_id),
        )
    return recording_id


def link_track(
    db: Database, release_id: int, recording_id: int, position: int | None, label: str | None
) -> None:
    db.execute(
        "INSERT INTO track (release_id, recording_id, position, label) VALUES (?, ?, ?, ?)"
        " ON CONFLICT (release_id, recording_id) DO UPDATE"
        " SET position = COALESCE(excluded.position, track.position),"
        " label = COALESCE(excluded.label, track.label)",
        (release_id, recording_id, position, label),
    )


def find_by_title_and_artist(db: Database, title: str, artist: str) -> NameMatch:
    """Recordings with this folded title whose primary artist starts the artist text.

    Charts write "Drake Featuring 21 Savage" or "Lady Gaga & Bruno Mars": the first primary
    artist's folded name must begin the folded artist text, at a word boundary.
    """
    wanted = fold_artist(artist)
    rows = db.execute(
        "SELECT DISTINCT r.id, a.folded FROM recording r"
        " JOIN credit c ON c.subject_kind = 'recording' AND c.subject_id = r.id"
        " AND c.role = 'main_artist' JOIN artist a ON a.id = c.artist_id WHERE r.folded = ?",
        (fold(title),),
    )
    ids = {
        int(rid) for rid, name in rows if name and (wanted == name or wanted.startswith(f"{name} "))
    }
    return NameMatch(next(iter(ids)) if len(ids) == 1 else None, len(ids))
