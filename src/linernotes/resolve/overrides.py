"""Manual identity decisions that outlive re-ingests.

A user's merge or split names source references ("discogs:105435", "genius:640944"), never row
ids, so it still means the same after any re-ingest, and every resolve applies it again: two
references a user merged are merged whenever both exist; two a user split are never merged, by
score or by shared ids, and are split again if new data joined them.
"""

from __future__ import annotations

from collections import Counter

from linernotes.normalize.fold import fold_artist
from linernotes.normalize.records import EntityKind
from linernotes.store.db import Database, now_iso
from linernotes.store.merge import merge


class IdentityError(ValueError):
    """A decision that cannot be carried out (an unknown reference, a split of one entity)."""


def refs_of(db: Database, kind: EntityKind, entity_id: int) -> set[str]:
    return {
        f"{ns}:{value}"
        for ns, value in db.execute(
            "SELECT namespace, value FROM external_id WHERE entity_kind = ? AND entity_id = ?",
            (kind.value, entity_id),
        )
    }


def entity_of(db: Database, kind: EntityKind, ref: str) -> int | None:
    namespace, sep, value = ref.partition(":")
    if not sep:
        raise IdentityError(f"{ref!r} is not a reference: write namespace:value, e.g. discogs:123")
    row = db.one(
        "SELECT entity_id FROM external_id WHERE entity_kind = ? AND namespace = ? AND value = ?",
        (kind.value, namespace, value),
    )
    return int(row[0]) if row else None


def record(db: Database, kind: EntityKind, action: str, ref_a: str, ref_b: str, note: str) -> None:
    """Keep a decision; the latest word wins, so it replaces any opposite one it contradicts."""
    if action == "split":  # a merge that brought ref_b in is undone for good
        db.execute(
            "DELETE FROM identity_override WHERE entity_kind = ? AND action = 'merge'"
            " AND ? IN (ref_a, ref_b)",
            (kind.value, ref_b),
        )
    else:
        db.execute(
            "DELETE FROM identity_override WHERE entity_kind = ? AND action = 'split'"
            " AND ((ref_a = ? AND ref_b = ?) OR (ref_a = ? AND ref_b = ?))",
            (kind.value, ref_a, ref_b, ref_b, ref_a),
        )
    db.execute(
        "INSERT INTO identity_override (entity_kind, action, ref_a, ref_b, note, created_at)"
        " VALUES (?, ?, ?, ?, ?, ?)",
        (kind.value, action, ref_a, ref_b, note, now_iso()),
    )


def split_pairs(db: Database, kind: EntityKind) -> set[tuple[int, int]]:
    """Entity pairs a user split apart, as the catalog's ids stand now."""
    pairs: set[tuple[int, int]] = set()
    for ref_a, ref_b in _overrides(db, kind, "split"):
        a, b = entity_of(db, kind, ref_a), entity_of(db, kind, ref_b)
        if a is not None and b is not None and a != b:
            pairs.add((a, b))
    return pairs


def _overrides(db: Database, kind: EntityKind, action: str) -> list[tuple[str, str]]:
    return [
        (str(a), str(b))
        for a, b in db.execute(
            "SELECT ref_a, ref_b FROM identity_override WHERE entity_kind = ? AND action = ?"
            " ORDER BY id",
            (kind.value, action),
        )
    ]


def apply_overrides(db: Database, kind: EntityKind) -> int:
    """Carry out every recorded decision the catalog does not reflect; return how many."""
    applied = 0
    for ref_a, ref_b in _overrides(db, kind, "merge"):
        a, b = entity_of(db, kind, ref_a), entity_of(db, kind, ref_b)
        if a is not None and b is not None and a != b:
            keep, drop = sorted((a, b))
            merge(db, kind, keep, drop, f"a user merged {ref_a} and {ref_b}", method="manual")
            applied += 1
    for ref_a, ref_b in _overrides(db, kind, "split"):
        a, b = entity_of(db, kind, ref_a), entity_of(db, kind, ref_b)
        if a is not None and a == b:
            split_off(db, kind, ref_b)
            applied += 1
    return applied


def split_off(db: Database, kind: EntityKind, ref: str) -> int:
    """Take `ref`, and the references that joined with it, out into an entity of their own."""
    if kind is not EntityKind.ARTIST:
        raise IdentityError("only artists can be split")
    entity_id = entity_of(db, kind, ref)
    if entity_id is None:
        raise IdentityError(f"no artist has the reference {ref}")
    here = refs_of(db, kind, entity_id)
    moving = _joined_with(db, entity_id, ref) & here
    if moving == here:
        raise IdentityError(f"{ref} is all there is of that artist: nothing to split from")
    new_id = _new_artist(db, entity_id, moving)
    for r in sorted(moving):
        namespace, _, value = r.partition(":")
        db.execute(
            "UPDATE external_id SET entity_id = ?, rule = 'manual' WHERE entity_kind = 'artist'"
            " AND namespace = ? AND value = ?",
            (new_id, namespace, value),
        )
    _move_credits(db, entity_id, new_id, moving)
    db.execute(
        "DELETE FROM identity_key WHERE entity_kind = 'artist' AND entity_id IN (?, ?)",
        (entity_id, new_id),
    )
    return new_id


def _joined_with(db: Database, entity_id: int, ref: str) -> set[str]:
    """The references a merge brought in together with `ref` (just `ref` if none did)."""
    for (dropped_refs,) in db.execute(
        "SELECT dropped_refs FROM entity_merge WHERE entity_kind = 'artist' AND kept = ?"
        " ORDER BY rowid DESC",
        (entity_id,),
    ):
        refs = set(str(dropped_refs).split("\n"))
        if ref in refs:
            return refs
    return {ref}


def _new_artist(db: Database, entity_id: int, moving: set[str]) -> int:
    names = Counter(
        str(name)
        for (name,) in db.execute(
            "SELECT s.credited_name FROM credit c JOIN credit_source s ON s.credit_id = c.id"
            f" WHERE c.artist_id = ? AND s.artist_ref IN ({', '.join('?' * len(moving))})",
            (entity_id, *sorted(moving)),
        )
    )
    row = db.one("SELECT name, folded, kind FROM artist WHERE id = ?", (entity_id,))
    assert row is not None
    name = names.most_common(1)[0][0] if names else str(row[0])
    created = db.one(
        "INSERT INTO artist (name, folded, kind, created_at) VALUES (?, ?, ?, ?) RETURNING id",
        (name, row[1] if name == row[0] else fold_artist(name), row[2], now_iso()),
    )
    assert created is not None
    return int(created[0])


def _move_credits(db: Database, old: int, new: int, moving: set[str]) -> None:
    """Credit rows that named the artist by a moving reference go with it."""
    marks = ", ".join("?" * len(moving))
    refs = sorted(moving)
    db.execute(
        "INSERT INTO credit (artist_id, role, detail, subject_kind, subject_id, tracks)"
        " SELECT DISTINCT ?, c.role, c.detail, c.subject_kind, c.subject_id, c.tracks"
        " FROM credit c JOIN credit_source s ON s.credit_id = c.id"
        f" WHERE c.artist_id = ? AND s.artist_ref IN ({marks}) ON CONFLICT DO NOTHING",
        (new, old, *refs),
    )
    db.execute(
        "UPDATE credit_source SET credit_id = (SELECT n.id FROM credit c JOIN credit n"
        " ON n.artist_id = ? AND n.role = c.role AND n.detail = c.detail"
        " AND n.subject_kind = c.subject_kind AND n.subject_id = c.subject_id"
        " AND n.tracks = c.tracks WHERE c.id = credit_source.credit_id)"
        f" WHERE artist_ref IN ({marks}) AND credit_id IN (SELECT id FROM credit"
        " WHERE artist_id = ?)",
        (new, *refs, old),
    )
    db.execute(
        "DELETE FROM credit WHERE artist_id = ? AND NOT EXISTS"
        " (SELECT 1 FROM credit_source s WHERE s.credit_id = credit.id)",
        (old,),
    )
