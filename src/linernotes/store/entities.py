"""Entities in the catalog: find them by reference, create them, record their ids and names.

Attaching follows the rule of the reference (see :class:`~linernotes.normalize.records.LinkRule`):
an id or source-local key attaches to the entity that holds it; a bare name attaches only when
exactly one entity of that kind folds to it. The rule is stored beside the link as its evidence.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

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
from linernotes.store.db import Database
from linernotes.store.name_index import index_name


def now_iso() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def fold_for(kind: EntityKind, text: str) -> str:
    return fold_artist(text) if kind is EntityKind.ARTIST else fold(text)


@dataclass(frozen=True, slots=True)
class NameMatch:
    """The outcome of attaching by name: one entity, or the reason there is none."""

    entity_id: int | None
    candidates: int  # how many entities fold to that name


def find_by_ref(db: Database, ref: Ref) -> int | None:
    """The entity an id or key reference points at (None for names: see find_by_name)."""
    if ref.namespace == NAME:
        return None
    row = db.one(
        "SELECT entity_id FROM external_id WHERE entity_kind = ? AND namespace = ? AND value = ?",
        (ref.kind.value, ref.namespace, ref.value),
    )
    return int(row[0]) if row else None


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


def attach(db: Database, ref: Ref, others: list[Ref], source: str) -> int | None:
    """Find the entity for `ref`, trying its other known refs; record the ids that were new."""
    found = find_by_ref(db, ref)
    rule = ref.rule
    if found is None:
        for other in others:
            found = find_by_ref(db, other)
            if found is not None:
                rule = other.rule  # the link rests on whichever key matched
                break
    if found is not None:
        for r in [ref, *others]:
            add_external_id(db, r, found, r.rule if r is not ref else rule, source)
    return found


def upsert_artist(db: Database, rec: ArtistRecord, source: str) -> int:
    artist_id = attach(db, rec.ref, rec.also_known_as, source)
    name = clean_display(rec.name)
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
        for r in [rec.ref, *rec.also_known_as]:
            add_external_id(db, r, artist_id, r.rule, source)
        index_name(db, EntityKind.ARTIST, artist_id, name)
    else:
        _fill_artist(db, artist_id, rec)
        _add_artist_name(db, artist_id, Alias(name, "as_credited"), source, skip_primary=True)
    for alias in rec.aliases:
        _add_artist_name(db, artist_id, alias, source)
    return artist_id


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


def upsert_release(db: Database, rec: ReleaseRecord, source: str) -> int:
    release_id = attach(db, rec.ref, rec.also_known_as, source)
    title = clean_display(rec.title)
    if release_id is None:
        row = db.one(
            "INSERT INTO release (title, folded, kind, date, pseudo_reason, created_at)"
            " VALUES (?, ?, ?, ?, ?, ?) RETURNING id",
            (title, fold(title), rec.kind.value, rec.date, rec.pseudo_reason, now_iso()),
        )
        assert row is not None
        release_id = int(row[0])
        for r in [rec.ref, *rec.also_known_as]:
            add_external_id(db, r, release_id, r.rule, source)
        index_name(db, EntityKind.RELEASE, release_id, title)
    else:
        db.execute(
            "UPDATE release SET date = COALESCE(date, ?),"
            " kind = CASE WHEN kind = 'unknown' THEN ? ELSE kind END,"
            " pseudo_reason = COALESCE(pseudo_reason, ?) WHERE id = ?",
            (rec.date, rec.kind.value, rec.pseudo_reason, release_id),
        )
    return release_id


def upsert_recording(db: Database, rec: RecordingRecord, source: str) -> int:
    recording_id = attach(db, rec.ref, rec.also_known_as, source)
    title = clean_display(rec.title)
    if recording_id is None:
        row = db.one(
            "INSERT INTO recording (title, folded, date, duration_ms, pseudo_reason, created_at)"
            " VALUES (?, ?, ?, ?, ?, ?) RETURNING id",
            (title, fold(title), rec.date, rec.duration_ms, rec.pseudo_reason, now_iso()),
        )
        assert row is not None
        recording_id = int(row[0])
        for r in [rec.ref, *rec.also_known_as]:
            add_external_id(db, r, recording_id, r.rule, source)
        index_name(db, EntityKind.RECORDING, recording_id, title)
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
