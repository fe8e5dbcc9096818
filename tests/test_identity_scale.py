"""What makes resolving fast must not change what it decides: many merges written at once leave
the catalog as one merge at a time does, and the quick test of ids and kinds keeps apart exactly
the pairs `conflict` keeps apart."""

from __future__ import annotations

from itertools import combinations, product
from pathlib import Path

from backends import Backend
from linernotes.normalize.records import EntityKind
from linernotes.resolve.person_match import DISTINCT_PER_SOURCE, PersonProfile, conflict
from linernotes.resolve.profiles import CODE_BITS, apart_table
from linernotes.store.catalog import Catalog
from linernotes.store.db import Database
from linernotes.store.merge import MergeStep, merge, merge_artists

# Row ids of credits and handles differ between the two ways; everything they say must not.
_STATE = {
    "artist": "SELECT id, name, folded, kind, image_url FROM artist ORDER BY id",
    "artist_name": "SELECT artist_id, name, folded, kind, source FROM artist_name"
    " ORDER BY 1, 2, 3, 4, 5",
    "artist_member": "SELECT * FROM artist_member ORDER BY 1, 2, 3",
    "external_id": "SELECT * FROM external_id ORDER BY 1, 2, 3",
    "credit_source": "SELECT c.artist_id, c.role, c.detail, c.subject_kind, c.subject_id,"
    " c.tracks, s.source, s.source_record_id, s.raw_role, s.credited_name, s.position, s.artist_ref"
    " FROM credit_source s JOIN credit c ON c.id = s.credit_id ORDER BY 1, 2, 3, 4, 5, 6, 7, 8, 9",
    "credit": "SELECT artist_id, role, detail, subject_kind, subject_id, tracks FROM credit"
    " ORDER BY 1, 2, 3, 4, 5, 6",
    "handle": "SELECT h.artist_id, h.platform, h.handle, e.source, e.source_record_id, e.note"
    " FROM handle h JOIN handle_evidence e ON e.handle_id = h.id ORDER BY 1, 2, 3, 4, 5",
    "name_token": "SELECT * FROM name_token ORDER BY 1, 2, 3",
    "identity_key": "SELECT * FROM identity_key ORDER BY 1, 2, 3",
    "entity_merge": "SELECT kept, dropped, reason, method, score, dropped_refs FROM entity_merge"
    " ORDER BY rowid",
}


def _state(db: Database) -> dict[str, list[tuple[object, ...]]]:
    return {name: db.execute(sql) for name, sql in _STATE.items()}


def _steps(db: Database) -> list[MergeStep]:
    """Chains and trees of merges over artists with handles, credits and names: (b into a),
    then (a into a lower one), and so on, each kept id the lower of the two, as the resolver
    keeps them."""
    ids = [int(r[0]) for r in db.execute("SELECT DISTINCT artist_id FROM handle ORDER BY 1")]
    ids += [int(r[0]) for r in db.execute("SELECT id FROM artist ORDER BY id LIMIT 40")]
    ids = sorted(set(ids))[:48]
    steps = [MergeStep(ids[i], ids[i + 1], f"pair {i}", 0.9) for i in range(0, 48, 2)]
    steps += [MergeStep(ids[i], ids[i + 2], f"chain {i}", 0.85) for i in range(0, 44, 4)]
    steps += [MergeStep(ids[0], ids[8], "tree", 0.8), MergeStep(ids[16], ids[24], "tree", 0.8)]
    return steps


def _overlap(db: Database, steps: list[MergeStep]) -> None:
    """Give the merged artists what makes order matter: a source row stated for both (whose
    copy wins?), a missing image, an unknown kind, and member links between them."""
    credited = [s for s in steps if db.one("SELECT 1 FROM credit WHERE artist_id = ?", (s.drop,))]
    first, second = credited[0].keep, credited[0].drop
    credit = db.one(
        "SELECT id, role, subject_kind, subject_id FROM credit WHERE artist_id = ?", (second,)
    )
    assert credit is not None
    found = db.one(
        "INSERT INTO credit (artist_id, role, subject_kind, subject_id) VALUES (?, ?, ?, ?)"
        " ON CONFLICT (artist_id, role, detail, subject_kind, subject_id, tracks)"
        " DO UPDATE SET tracks = excluded.tracks RETURNING id",
        (first, credit[1], credit[2], credit[3]),
    )
    assert found is not None
    for credit_id, name in ((found[0], "kept's spelling"), (credit[0], "dropped's spelling")):
        db.execute(
            "INSERT INTO credit_source (credit_id, source, source_record_id, raw_role,"
            " credited_name, retrieved_at) VALUES (?, 'test', 'r1', 'Producer', ?, '2025')"
            " ON CONFLICT DO NOTHING",
            (credit_id, name),
        )
    db.execute("UPDATE artist SET image_url = NULL, kind = 'unknown' WHERE id = ?", (first,))
    links = [(first, second), (steps[1].keep, first), (steps[2].drop, steps[3].drop)]
    links.append((steps[0].drop, steps[15].drop))  # survives, between two other entities
    for group, member in links:
        db.execute("INSERT INTO artist_member VALUES (?, ?, 'test')", (group, member))


def test_merge_artists_leaves_what_one_merge_at_a_time_leaves(
    core_path: Path | str, backend: Backend
) -> None:
    results = []
    for way in ("one_at_a_time", "all_at_once"):
        catalog = Catalog.open(backend.copy(core_path, way))
        db = catalog.db
        with db.transaction():
            steps = _steps(db)
            _overlap(db, steps)
            if way == "all_at_once":
                merge_artists(db, steps)
            for s in steps if way == "one_at_a_time" else ():
                merge(
                    db, EntityKind.ARTIST, s.keep, s.drop, s.reason, method="scored", score=s.score
                )
        results.append(_state(db))
        catalog.close()
    one, many = results
    for table in _STATE:
        assert one[table] == many[table], table
    assert not any(r[9] == "dropped's spelling" for r in one["credit_source"])


def test_the_quick_test_of_ids_and_kinds_agrees_with_conflict() -> None:
    """Every kind and every set of one-record-per-source ids, each artist with its own values
    (an id belongs to one artist only), plus a source that does not count."""
    sources = sorted(DISTINCT_PER_SOURCE)
    table = apart_table()
    shapes = [
        (kind, frozenset(chosen))
        for kind in ("person", "group", "unknown")
        for n in range(len(sources) + 1)
        for chosen in combinations(sources, n)
    ]
    for (n, (kind_a, a)), (m, (kind_b, b)) in product(enumerate(shapes), repeat=2):
        pa = _profile(n, kind_a, a)
        pb = _profile(len(shapes) + m, kind_b, b)
        code_a, code_b = _code(kind_a, a, sources), _code(kind_b, b, sources)
        assert bool(table[code_a << CODE_BITS | code_b]) is (conflict(pa, pb) is not None)


def _profile(entity_id: int, kind: str, sources: frozenset[str]) -> PersonProfile:
    ids = {(ns, f"{entity_id}") for ns in sources} | {("isrc", f"x{entity_id}")}
    return PersonProfile(entity_id, "x", frozenset({"x"}), ids=frozenset(ids), kind=kind)


def _code(kind: str, ids: frozenset[str], sources: list[str]) -> int:
    kinds = {"person": 1 << len(sources), "group": 1 << (len(sources) + 1)}
    return kinds.get(kind, 0) | sum(1 << n for n, ns in enumerate(sources) if ns in ids)
