"""Look-up jobs in the store: identical requests share one look-up, across server processes.

A look-up is a row of `lookup_job`. Asking for one inserts it unless an open one (queued or
running) has the same key: the partial unique index makes that one statement decide, on SQLite
and PostgreSQL alike, so two processes asking at once get the same job and only one of them runs
it. The runner writes each source's progress as it goes and beats a heartbeat; a job whose
runner stopped beating (the process died) can be claimed again by whoever waits for it.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

import orjson

from linernotes.store.db import Database

STATES = ("queued", "running", "done", "failed")
# A runner beats at least this often while it runs (every source's progress is a beat too);
# after three missed beats the job is taken as abandoned.
HEARTBEAT = timedelta(seconds=5)
ABANDONED = 3 * HEARTBEAT

_COLUMNS = (
    "id, key, request, state, progress, result, error, runner, created_at, started_at,"
    " heartbeat_at, finished_at"
)


@dataclass(frozen=True, slots=True)
class Job:
    id: int
    key: str
    request: dict[str, Any]
    state: str
    progress: dict[str, Any] = field(default_factory=dict)  # source -> its status (JSON)
    result: dict[str, Any] = field(default_factory=dict)  # what was found: kind, id, name
    error: str = ""
    runner: str = ""
    created_at: str = ""
    started_at: str | None = None
    heartbeat_at: str | None = None
    finished_at: str | None = None

    @property
    def finished(self) -> bool:
        return self.state in ("done", "failed")


def stamp(now: datetime | None = None) -> str:
    return (now or datetime.now(UTC)).isoformat(timespec="milliseconds")


def open_or_join(
    db: Database, key: str, request: Mapping[str, Any], now: datetime | None = None
) -> tuple[Job, bool]:
    """The open look-up for `key`, made now if there is none; True when this call made it (and
    should run it)."""
    body = orjson.dumps(dict(request)).decode()
    for _ in range(5):  # the open job may finish between our insert and our read: ask again
        with db.transaction():
            row = db.one(
                "INSERT INTO lookup_job (key, request, created_at) VALUES (?, ?, ?)"
                " ON CONFLICT (key) WHERE state IN ('queued', 'running') DO NOTHING"
                " RETURNING id",
                (key, body, stamp(now)),
            )
        if row is not None:
            made = get(db, int(row[0]))
            assert made is not None
            return made, True
        found = _open(db, key)
        if found is not None:
            return found, False
    raise RuntimeError(f"look-up {key!r}: could not open or join a job")


def recent(db: Database, key: str, since: datetime) -> Job | None:
    """The latest finished look-up of `key` that ended after `since` (a look-up that just
    ran is not run again for the same request)."""
    row = db.one(
        f"SELECT {_COLUMNS} FROM lookup_job WHERE key = ? AND state = 'done'"
        " AND finished_at >= ? ORDER BY id DESC LIMIT 1",
        (key, stamp(since)),
    )
    return _job(row) if row else None


def get(db: Database, job_id: int) -> Job | None:
    row = db.one(f"SELECT {_COLUMNS} FROM lookup_job WHERE id = ?", (job_id,))
    return _job(row) if row else None


def claim(db: Database, job_id: int, runner: str, now: datetime | None = None) -> bool:
    """Start running a queued job, or take over one whose runner stopped beating."""
    at = now or datetime.now(UTC)
    with db.transaction():
        rows = db.execute(
            "UPDATE lookup_job SET state = 'running', runner = ?, started_at = ?,"
            " heartbeat_at = ? WHERE id = ? AND (state = 'queued'"
            " OR (state = 'running' AND heartbeat_at < ?)) RETURNING id",
            (runner, stamp(at), stamp(at), job_id, stamp(at - ABANDONED)),
        )
    return bool(rows)


def report(
    db: Database,
    job_id: int,
    progress: Mapping[str, Any],
    result: Mapping[str, Any] | None = None,
    now: datetime | None = None,
) -> None:
    """The runner's progress so far (and what it has found), with a heartbeat."""
    sets, params = "progress = ?, heartbeat_at = ?", [_json(progress), stamp(now)]
    if result is not None:
        sets += ", result = ?"
        params.append(_json(result))
    with db.transaction():
        db.execute(f"UPDATE lookup_job SET {sets} WHERE id = ?", (*params, job_id))


def finish(
    db: Database,
    job_id: int,
    progress: Mapping[str, Any],
    result: Mapping[str, Any],
    error: str = "",
    now: datetime | None = None,
) -> None:
    """Done (whatever the sources answered, the look-up ran) or failed (it could not run)."""
    with db.transaction():
        db.execute(
            "UPDATE lookup_job SET state = ?, progress = ?, result = ?, error = ?,"
            " finished_at = ?, heartbeat_at = ? WHERE id = ?",
            (
                "failed" if error else "done",
                _json(progress),
                _json(result),
                error,
                stamp(now),
                stamp(now),
                job_id,
            ),
        )


def wait(
    db: Database,
    job_id: int,
    sleep: Callable[[float], None],
    rounds: int,
    every: float = 0.1,
    on_progress: Callable[[Job], None] | None = None,
) -> Job:
    """Poll a job someone else runs until it finishes (or `rounds` polls have passed)."""
    job = get(db, job_id)
    assert job is not None, f"no look-up {job_id}"
    for _ in range(rounds):
        if job.finished:
            break
        if on_progress is not None:
            on_progress(job)
        sleep(every)
        found = get(db, job_id)
        assert found is not None
        job = found
    return job


def _open(db: Database, key: str) -> Job | None:
    row = db.one(
        f"SELECT {_COLUMNS} FROM lookup_job WHERE key = ? AND state IN ('queued', 'running')",
        (key,),
    )
    return _job(row) if row else None


def _job(row: tuple[Any, ...]) -> Job:
    return Job(
        id=int(row[0]),
        key=str(row[1]),
        request=orjson.loads(row[2]),
        state=str(row[3]),
        progress=orjson.loads(row[4]),
        result=orjson.loads(row[5]),
        error=str(row[6]),
        runner=str(row[7]),
        created_at=str(row[8]),
        started_at=row[9],
        heartbeat_at=row[10],
        finished_at=row[11],
    )


def _json(value: Mapping[str, Any]) -> str:
    return orjson.dumps(dict(value)).decode()
