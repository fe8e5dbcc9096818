"""Merge two catalog entities that are one: a shared external id, a scored match or a user.

Everything that points at the dropped entity moves to the kept one: ids, names, credits (a credit
both had becomes one credit with both sets of sources), handles, memberships, tracks, facts and
chart rows. Each merge is logged with its reason, so identity review can show and undo it.
"""

from __future__ import annotations

from linernotes.normalize.records import EntityKind
from linernotes.store.db import Database


def merge(
    db: Database,
    kind: EntityKind,
    keep: int,
    drop: int,
    reason: str,
    *,
    method: str = "shared_id",
    score: float | None = None,
) -> None:
    """`method`: shared_id (hard evidence), scored (the resolver) or manual (a user's merge)."""
    if keep == drop:
        return
    # The dropped entity's references, so a later split can take exactly them back out.
    dropped_refs = "\n".join(
        f"{ns}:{value}"
        for ns, value in db.execute(
            "SELECT namespace, value FROM external_id WHERE entity_kind = ? AND entity_id = ?"
            " ORDER BY namespace, value",
            (kind.value, drop),
        )
    )
    _move_external_ids(db, kind, keep, drop)
    _move_name_tokens(db, kind, keep, drop)
    if kind is EntityKind.ARTIST:
        _merge_artist(db, keep, drop)
    else:
        _merge_subject(db, kind, keep, drop)
    db.execute(
        "INSERT INTO entity_merge (entity_kind, kept, dropped, reason, merged_at, method, score,"
        " dropped_refs) VALUES (?, ?, ?, ?, datetime('now'), ?, ?, ?)",
        (kind.value, keep, drop, reason, method, score, dropped_refs),
    )


def _move_external_ids(db: Database, kind: EntityKind, keep: int, drop: int) -> None:
    db.execute(
        "UPDATE external_id SET entity_id = ? WHERE entity_kind = ? AND entity_id = ?",
        (keep, kind.value, drop),
    )


def _move_name_tokens(db: Database, kind: EntityKind, keep: int, drop: int) -> None:
    # Table and column names are ours, never user input.
    for table, column in (("name_token", "token"), ("identity_key", "key")):
        db.execute(
            f"INSERT INTO {table} ({column}, entity_kind, entity_id) SELECT {column},"
            f" entity_kind, ? FROM {table} WHERE entity_kind = ? AND entity_id = ?"
            " ON CONFLICT DO NOTHING",
            (keep, kind.value, drop),
        )
        db.execute(
            f"DELETE FROM {table} WHERE entity_kind = ? AND entity_id = ?", (kind.value, drop)
        )
    # Review candidates about the dropped entity are void: the next resolve compares afresh.
    db.execute(
        "DELETE FROM identity_candidate WHERE entity_kind = ? AND (a = ? OR b = ?)",
        (kind.value, drop, drop),
    )


# (keep, drop, keep): the dropped artist's groups and members, minus links to the kept one.
_MEMBER_MOVES = (
    "INSERT INTO artist_member (group_id, member_id, source) SELECT ?, member_id, source"
    " FROM artist_member WHERE group_id = ? AND member_id <> ? ON CONFLICT DO NOTHING",
    "INSERT INTO artist_member (group_id, member_id, source) SELECT group_id, ?, source"
    " FROM artist_member WHERE member_id = ? AND group_id <> ? ON CONFLICT DO NOTHING",
)

# (keep, drop): a release keeps the dropped release's tracks; a recording its releases.
_TRACK_MOVES = {
    EntityKind.RELEASE: "INSERT INTO track (release_id, recording_id, position, label)"
    " SELECT ?, recording_id, position, label FROM track WHERE release_id = ?"
    " ON CONFLICT DO NOTHING",
    EntityKind.RECORDING: "INSERT INTO track (release_id, recording_id, position, label)"
    " SELECT release_id, ?, position, label FROM track WHERE recording_id = ?"
    " ON CONFLICT DO NOTHING",
}


def _merge_artist(db: Database, keep: int, drop: int) -> None:
    # The dropped record's own name stays findable as a name of the kept one.
    db.execute(
        "INSERT INTO artist_name (artist_id, name, folded, kind, source)"
        " SELECT ?, name, folded, 'merged', 'merge' FROM artist WHERE id = ?"
        " ON CONFLICT DO NOTHING",
        (keep, drop),
    )
    db.execute(
        "INSERT INTO artist_name (artist_id, name, folded, kind, source)"
        " SELECT ?, name, folded, kind, source FROM artist_name WHERE artist_id = ?"
        " ON CONFLICT DO NOTHING",
        (keep, drop),
    )
    for sql in _MEMBER_MOVES:
        db.execute(sql, (keep, drop, keep))
    _merge_credits(db, keep, drop)
    _merge_handles(db, keep, drop)
    db.execute(
        "UPDATE artist SET image_url = COALESCE(image_url, (SELECT image_url FROM artist"
        " WHERE id = ?)), kind = CASE WHEN kind = 'unknown' THEN (SELECT kind FROM artist"
        " WHERE id = ?) ELSE kind END WHERE id = ?",
        (drop, drop, keep),
    )
    db.execute("DELETE FROM artist WHERE id = ?", (drop,))


def _merge_credits(db: Database, keep: int, drop: int) -> None:
    """Move the dropped artist's credits; a credit both hold keeps one row with all sources."""
    db.execute(
        "INSERT INTO credit (artist_id, role, detail, subject_kind, subject_id, tracks)"
        " SELECT ?, role, detail, subject_kind, subject_id, tracks FROM credit"
        " WHERE artist_id = ? ON CONFLICT DO NOTHING",
        (keep, drop),
    )
    db.execute(
        "INSERT INTO credit_source (credit_id, source, source_record_id, raw_role,"
        " credited_name, position, retrieved_at)"
        " SELECT k.id, s.source, s.source_record_id, s.raw_role, s.credited_name, s.position,"
        " s.retrieved_at FROM credit d JOIN credit_source s ON s.credit_id = d.id"
        " JOIN credit k ON k.artist_id = ? AND k.role = d.role AND k.detail = d.detail"
        " AND k.subject_kind = d.subject_kind AND k.subject_id = d.subject_id"
        " AND k.tracks = d.tracks WHERE d.artist_id = ? ON CONFLICT DO NOTHING",
        (keep, drop),
    )
    db.execute("DELETE FROM credit WHERE artist_id = ?", (drop,))


def _merge_handles(db: Database, keep: int, drop: int) -> None:
    db.execute(
        "INSERT INTO handle (artist_id, platform, handle) SELECT ?, platform, handle"
        " FROM handle WHERE artist_id = ? ON CONFLICT DO NOTHING",
        (keep, drop),
    )
    db.execute(
        "INSERT INTO handle_evidence (handle_id, source, source_record_id, evidence_kind,"
        " confidence, match_rule, note, quote, retrieved_at, last_checked)"
        " SELECT k.id, e.source, e.source_record_id, e.evidence_kind, e.confidence,"
        " e.match_rule, e.note, e.quote, e.retrieved_at, e.last_checked"
        " FROM handle d JOIN handle_evidence e ON e.handle_id = d.id"
        " JOIN handle k ON k.artist_id = ? AND k.platform = d.platform AND k.handle = d.handle"
        " WHERE d.artist_id = ? ON CONFLICT DO NOTHING",
        (keep, drop),
    )
    db.execute("DELETE FROM handle WHERE artist_id = ?", (drop,))


def _merge_subject(db: Database, kind: EntityKind, keep: int, drop: int) -> None:
    """A release or recording: its credits, facts, tracks and chart rows move."""
    subject = kind.value
    db.execute(
        "INSERT INTO credit (artist_id, role, detail, subject_kind, subject_id, tracks)"
        " SELECT artist_id, role, detail, subject_kind, ?, tracks FROM credit"
        " WHERE subject_kind = ? AND subject_id = ? ON CONFLICT DO NOTHING",
        (keep, subject, drop),
    )
    db.execute(
        "INSERT INTO credit_source (credit_id, source, source_record_id, raw_role,"
        " credited_name, position, retrieved_at)"
        " SELECT k.id, s.source, s.source_record_id, s.raw_role, s.credited_name, s.position,"
        " s.retrieved_at FROM credit d JOIN credit_source s ON s.credit_id = d.id"
        " JOIN credit k ON k.subject_kind = d.subject_kind AND k.subject_id = ?"
        " AND k.artist_id = d.artist_id AND k.role = d.role AND k.detail = d.detail"
        " AND k.tracks = d.tracks WHERE d.subject_kind = ? AND d.subject_id = ?"
        " ON CONFLICT DO NOTHING",
        (keep, subject, drop),
    )
    db.execute("DELETE FROM credit WHERE subject_kind = ? AND subject_id = ?", (subject, drop))
    _merge_facts(db, subject, keep, drop)
    db.execute(_TRACK_MOVES[kind], (keep, drop))
    column = "release_id" if kind is EntityKind.RELEASE else "recording_id"
    db.execute(f"DELETE FROM track WHERE {column} = ?", (drop,))
    if kind is EntityKind.RECORDING:
        db.execute("UPDATE chart_entry SET recording_id = ? WHERE recording_id = ?", (keep, drop))
    db.execute(f"DELETE FROM {subject} WHERE id = ?", (drop,))


def _merge_facts(db: Database, subject: str, keep: int, drop: int) -> None:
    db.execute(
        "INSERT INTO fact (subject_kind, subject_id, kind, value, folded)"
        " SELECT subject_kind, ?, kind, value, folded FROM fact"
        " WHERE subject_kind = ? AND subject_id = ? ON CONFLICT DO NOTHING",
        (keep, subject, drop),
    )
    db.execute(
        "INSERT INTO fact_source (fact_id, source, source_record_id, raw, org_namespace,"
        " org_value, retrieved_at)"
        " SELECT k.id, s.source, s.source_record_id, s.raw, s.org_namespace, s.org_value,"
        " s.retrieved_at FROM fact d JOIN fact_source s ON s.fact_id = d.id"
        " JOIN fact k ON k.subject_kind = d.subject_kind AND k.subject_id = ?"
        " AND k.kind = d.kind AND k.folded = d.folded"
        " WHERE d.subject_kind = ? AND d.subject_id = ? ON CONFLICT DO NOTHING",
        (keep, subject, drop),
    )
    db.execute("DELETE FROM fact WHERE subject_kind = ? AND subject_id = ?", (subject, drop))
