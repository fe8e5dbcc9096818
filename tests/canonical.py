"""A catalog's contents without its row ids: what two catalogs built in different orders share.

Two ingests that interleave number their rows differently, so tables are compared with every
id replaced by what identifies the row to a user: an entity by its smallest external id (or its
folded name when it has none), a credit by who, what and on what, a fact by its subject and
value, a handle by its artist and account. Times and the resolver's and search index's own
bookkeeping (marks, queue) are left out. The change log is compared as a multiset of changes
without row ids: the bulk writer and the record writer must log the same changes, not in the same
order.
"""

from __future__ import annotations

from typing import Any

from backends import columns, tables
from linernotes.store.db import Database

TIMES = {
    "created_at",
    "retrieved_at",
    "ingested_at",
    "updated_at",
    "last_checked",
    "merged_at",
    "applied_at",
    "changed_at",
}
SKIPPED = {"search_dirty", "identity_mark"}  # positions in id order, not catalog content
ENTITY_TABLES = ("artist", "release", "recording")
# Columns holding an entity id: a fixed kind, or the name of the column that gives the kind.
ENTITY_COLUMNS: dict[str, dict[str, str]] = {
    "artist": {"id": "artist"},
    "release": {"id": "release"},
    "recording": {"id": "recording"},
    "artist_name": {"artist_id": "artist"},
    "artist_member": {"group_id": "artist", "member_id": "artist"},
    "track": {"release_id": "release", "recording_id": "recording"},
    "external_id": {"entity_id": "=entity_kind"},
    "credit": {"artist_id": "artist", "subject_id": "=subject_kind"},
    "fact": {"subject_id": "=subject_kind"},
    "handle": {"artist_id": "artist"},
    "chart_entry": {"recording_id": "recording"},
    "name_token": {"entity_id": "=entity_kind"},
    "identity_key": {"entity_id": "=entity_kind"},
    "identity_candidate": {"a": "=entity_kind", "b": "=entity_kind"},
    "entity_merge": {"kept": "=entity_kind"},
    # A handle's change names the artist as its subject (subject_kind 'artist').
    "change_log": {"artist_id": "artist", "subject_id": "=subject_kind"},
}
# Rows other rows point at by their own id: replaced by their other columns, made canonical.
OWN_IDS = {"credit": "credit_id", "fact": "fact_id", "handle": "handle_id"}
DROPPED = {"entity_merge": {"dropped"}, "identity_override": {"id"}}  # ids of rows now gone
# Rows compared without their own id, as a multiset: their order of writing may differ.
UNORDERED = {"change_log": {"id"}}


def contents(db: Database) -> dict[str, list[tuple[Any, ...]]]:
    keys = _entity_keys(db)
    owned: dict[str, dict[int, tuple[Any, ...]]] = {}
    out: dict[str, list[tuple[Any, ...]]] = {}
    # Credits, facts and handles first: the tables after them point at them.
    order = sorted(tables(db), key=lambda t: (t not in OWN_IDS, t))
    for table in order:
        if table in SKIPPED:
            continue
        names = columns(db, table)
        rows = db.execute(f"SELECT {', '.join(names)} FROM {table}")
        made = [_canonical(table, names, row, keys, owned) for row in rows]
        if table in OWN_IDS:
            at = names.index("id")
            owned[OWN_IDS[table]] = {int(r[at]): m for r, m in zip(rows, made, strict=True)}
        out[table] = sorted(made, key=repr)
    return out


def _entity_keys(db: Database) -> dict[tuple[str, int], str]:
    keys: dict[tuple[str, int], str] = {}
    for kind in ENTITY_TABLES:
        rows = db.execute(
            f"SELECT x.id, (SELECT min(e.namespace || ':' || e.value) FROM external_id e"
            f" WHERE e.entity_kind = '{kind}' AND e.entity_id = x.id), x.folded FROM {kind} x"
        )
        for entity_id, ref, folded in rows:
            keys[(kind, int(entity_id))] = str(ref) if ref is not None else f"name:{folded}"
    return keys


def _canonical(
    table: str,
    names: list[str],
    row: tuple[Any, ...],
    keys: dict[tuple[str, int], str],
    owned: dict[str, dict[int, tuple[Any, ...]]],
) -> tuple[Any, ...]:
    values = dict(zip(names, row, strict=True))
    entity = ENTITY_COLUMNS.get(table, {})
    mapped: list[Any] = []
    for name in names:
        value = values[name]
        if name in TIMES or name in DROPPED.get(table, set()) | UNORDERED.get(table, set()):
            continue
        if name == "id" and table in OWN_IDS:
            continue
        if name in entity and value is not None:
            kind = entity[name]
            kind = str(values[kind[1:]]) if kind.startswith("=") else kind
            value = keys.get((kind, int(value)), f"gone:{kind}")
        elif name in owned:
            value = owned[name][int(value)]
        mapped.append(_plain(value))
    if table == "identity_candidate":  # a pair, stored lower id first: ids differ, so sort keys
        a, b = names.index("a"), names.index("b")
        mapped[a], mapped[b] = sorted((mapped[a], mapped[b]))
    return tuple(mapped)


def _plain(value: Any) -> Any:
    """Values as SQLite gives them: PostgreSQL's booleans as 0 and 1."""
    return int(value) if isinstance(value, bool) else value


def exact(db: Database) -> dict[str, list[tuple[Any, ...]]]:
    """Every table, ids included (tables without an id by their columns), times left out."""
    out: dict[str, list[tuple[Any, ...]]] = {}
    for table in tables(db):
        left_out = TIMES | {"seq"} | UNORDERED.get(table, set())
        kept = ", ".join(c for c in columns(db, table) if c not in left_out)
        rows = db.execute(f"SELECT {kept} FROM {table}")
        # The search index's queue: which entities changed matters, not how often or in what order.
        out[table] = sorted(set(rows) if table == "search_dirty" else rows, key=repr)
    return out


def comparable(db: Database) -> dict[str, list[tuple[Any, ...]]]:
    """What two catalogs built alike must share: on SQLite every row with its id (ids are
    max + 1, so the same writes give the same ids); on PostgreSQL the rows without their ids,
    since its sequences never step back (a rolled-back batch, a merged entity's id leave gaps
    that the bulk writer's own numbering need not leave)."""
    return exact(db) if db.dialect == "sqlite" else contents(db)
