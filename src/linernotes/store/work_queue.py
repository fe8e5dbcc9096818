"""A queue of work in the catalog, shared by worker processes.

An item is claimed by one worker at a time. On PostgreSQL the claim picks the oldest ready item
with `FOR UPDATE SKIP LOCKED`: a worker passes over rows another worker is claiming instead of
waiting for it, so any number of workers claim at once without blocking or taking the same item.
On SQLite the same single statement runs under the database's one write lock. A claim is one
statement in its own transaction, outside the writers' turn-taking (store/postgres.py), so a
worker can claim while another writes a batch.

A worker that dies leaves its item 'running'; `requeue_stale` hands such items back after a
while (ingest resumes from its checkpoint, so running an item twice loses nothing).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import orjson

from linernotes.store.db import Database, now_iso

MAX_ATTEMPTS = 3

_CLAIM = (
    "UPDATE work_item SET state = 'running', claimed_by = ?, claimed_at = ?,"
    " attempts = attempts + 1"
    " WHERE id = (SELECT id FROM work_item WHERE queue = ? AND state = 'ready'"
    " ORDER BY id LIMIT 1{lock})"
    " RETURNING id, payload, attempts"
)
_LOCK = {"postgresql": " FOR UPDATE SKIP LOCKED", "sqlite": ""}


@dataclass(frozen=True, slots=True)
class WorkItem:
    id: int
    queue: str
    payload: list[str]
    attempts: int


def add(db: Database, queue: str, payload: list[str]) -> int:
    """Put an item at the end of `queue`; its id."""
    with db.transaction():
        row = db.one(
            "INSERT INTO work_item (queue, payload, created_at) VALUES (?, ?, ?) RETURNING id",
            (queue, orjson.dumps(payload).decode(), now_iso()),
        )
    assert row is not None
    return int(row[0])


def claim(db: Database, queue: str, worker: str) -> WorkItem | None:
    """The oldest ready item of `queue`, now running for `worker`; None when there is none."""
    row = db.one(_CLAIM.format(lock=_LOCK[db.dialect]), (worker, now_iso(), queue))
    if row is None:
        return None
    return WorkItem(int(row[0]), queue, list(orjson.loads(row[1])), int(row[2]))


def finish(db: Database, item: WorkItem, error: str = "") -> None:
    """Done, or failed with `error`; a failed item goes back to the queue until MAX_ATTEMPTS."""
    retry = item.attempts < MAX_ATTEMPTS
    state = "done" if not error else ("ready" if retry else "failed")
    db.execute(
        "UPDATE work_item SET state = ?, finished_at = ?, error = ? WHERE id = ?",
        (state, now_iso(), error, item.id),
    )


def requeue_stale(db: Database, older_than: timedelta, now: datetime | None = None) -> int:
    """Hand back items whose worker has held them longer than `older_than`; how many."""
    cutoff = ((now or datetime.now(UTC)) - older_than).isoformat(timespec="seconds")
    rows = db.execute(
        "UPDATE work_item SET state = 'ready' WHERE state = 'running' AND claimed_at < ?"
        " RETURNING id",
        (cutoff,),
    )
    return len(rows)


def counts(db: Database, queue: str | None = None) -> dict[str, int]:
    """Items per state (of one queue, or of all)."""
    where, params = ("WHERE queue = ?", (queue,)) if queue else ("", ())
    rows = db.execute(f"SELECT state, count(*) FROM work_item {where} GROUP BY state", params)
    found = {str(state): int(n) for state, n in rows}
    return {state: found.get(state, 0) for state in ("ready", "running", "done", "failed")}


def items(db: Database, queue: str | None = None, limit: int = 50) -> list[dict[str, object]]:
    """The newest items, for `linernotes queue list`."""
    where, params = ("WHERE queue = ?", (queue,)) if queue else ("", ())
    rows = db.execute(
        "SELECT id, queue, payload, state, attempts, claimed_by, error FROM work_item"
        f" {where} ORDER BY id DESC LIMIT {int(limit)}",
        params,
    )
    names = ("id", "queue", "payload", "state", "attempts", "worker", "error")
    return [{**dict(zip(names, r, strict=True)), "payload": orjson.loads(r[2])} for r in rows]
