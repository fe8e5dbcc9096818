"""Keep the name index beside the catalog and in step with it.

The index lives in a folder next to the catalog file (`catalog.sqlite3` -> `catalog.search/`).
Triggers record every entity whose name, aliases or existence changes (`search_dirty`); `sync`
rewrites those entities' documents and forgets the rows it has seen, so ingest, merges and
splits reach search without either side knowing about the other. `rebuild` makes the whole index
again (after a schema change, or by hand with `linernotes index rebuild`).
"""

from __future__ import annotations

import json
import os
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path

from linernotes import settings
from linernotes.search import catalog_docs
from linernotes.search.engine import SCHEMA_VERSION, Hit, NameIndex
from linernotes.store.db import Database

Progress = Callable[[int, int], None]  # (documents done, documents in all)
STAMP = "linernotes-index.json"
PARALLEL_FROM = 100_000


def index_path(db: Database) -> Path | None:
    """Where this catalog's index lives; None for an in-memory catalog (index in memory too).
    A PostgreSQL catalog's lives in the search folder (LINERNOTES_SEARCH_DIR), by its name."""
    if db.dialect == "postgresql":
        return settings.search_dir() / f"{getattr(db, 'name', 'catalog')}.search"
    path = getattr(db, "path", ":memory:")
    if path == ":memory:":
        return None
    catalog = Path(path)
    return catalog.with_name(f"{catalog.stem}.search")


def is_current(db: Database) -> bool:
    """An index of the present schema exists for this catalog."""
    path = index_path(db)
    if path is None or not (path / STAMP).is_file():
        return False
    try:
        stamp = json.loads((path / STAMP).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    return isinstance(stamp, dict) and stamp.get("schema") == SCHEMA_VERSION


def rebuild(db: Database, progress: Progress | None = None) -> NameIndex:
    """Index every entity of the catalog from scratch."""
    path = index_path(db)
    seen = _last_seq(db)
    total = catalog_docs.count(db)
    if path is not None and (path / STAMP).exists():
        (path / STAMP).unlink()  # a build that dies half-way leaves no index that looks whole
    index = NameIndex.create(path)
    # Documents are made in worker processes when there are enough to repay starting them.
    workers = max(1, (os.cpu_count() or 2) - 1) if total >= PARALLEL_FROM else 0
    for done in index.add_all(catalog_docs.all_docs(db), workers):
        if progress is not None:
            progress(done, total)
    _forget(db, seen)
    if path is not None:
        (path / STAMP).write_text(json.dumps({"schema": SCHEMA_VERSION}), encoding="utf-8")
    return index


def open_index(db: Database, progress: Progress | None = None) -> NameIndex:
    """The catalog's index, built first if it is missing or of an older schema, and synced."""
    path = index_path(db)
    if path is None or not is_current(db):
        return rebuild(db, progress)
    index = NameIndex(path)
    sync(db, index)
    return index


def sync(db: Database, index: NameIndex | None = None) -> int:
    """Rewrite the documents of entities changed since the last sync; how many were touched."""
    seen = _last_seq(db)
    if not seen:
        return 0
    if index is None:
        if not is_current(db):
            return 0  # nothing to bring up to date: the next search builds the whole index
        index = NameIndex(index_path(db))
    changed: dict[str, set[int]] = defaultdict(set)
    for kind, entity_id in db.execute(
        "SELECT DISTINCT entity_kind, entity_id FROM search_dirty WHERE seq <= ?", (seen,)
    ):
        changed[str(kind)].add(int(entity_id))
    docs = [doc for kind, ids in changed.items() for doc in catalog_docs.docs_for(db, kind, ids)]
    present = {(d.kind, d.id) for d in docs}
    gone = [(k, i) for k, ids in changed.items() for i in ids if (k, i) not in present]
    index.write(docs, remove=gone)
    _forget(db, seen)
    return len(docs) + len(gone)


def search(db: Database, text: str, kinds: tuple[str, ...] = (), limit: int = 10) -> list[Hit]:
    """Search the catalog's index, bringing it up to date first: one list, best first."""
    return open_index(db).search(text, kinds, limit)


def search_by_kind(
    db: Database, text: str, kinds: tuple[str, ...], limit: int = 10
) -> dict[str, list[Hit]]:
    """Search the catalog's index, up to date, for the best matches of each kind apart."""
    return open_index(db).search_by_kind(text, kinds, limit)


def status(db: Database) -> dict[str, object]:
    """What `linernotes index status` shows."""
    path = index_path(db)
    current = is_current(db)
    pending = db.one("SELECT count(DISTINCT entity_kind || ':' || entity_id) FROM search_dirty")
    return {
        "path": str(path) if path else "memory",
        "current": current,
        "names": NameIndex(path).num_docs() if current else 0,
        "pending": int(pending[0]) if pending else 0,
        "bytes": sum(f.stat().st_size for f in path.iterdir()) if path and current else 0,
    }


def _last_seq(db: Database) -> int:
    row = db.one("SELECT max(seq) FROM search_dirty")
    return int(row[0]) if row and row[0] is not None else 0


def _forget(db: Database, seen: int) -> None:
    if seen:
        with db.transaction():
            db.execute("DELETE FROM search_dirty WHERE seq <= ?", (seen,))
