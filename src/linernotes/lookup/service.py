"""When to look up, and starting, joining or reusing a look-up: what the faces call.

A search with no good hit, or a song or album whose credits are missing or older than
LINERNOTES_LOOKUP_STALE_DAYS, starts a look-up; so does a user's "refresh credits". A look-up
that finished less than LINERNOTES_LOOKUP_REUSE_MINUTES ago answers an identical request again
(the catalog then holds what it found), and an open one is joined, in this process or another.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from linernotes import settings
from linernotes.lookup import jobs
from linernotes.lookup.request import LookupRequest
from linernotes.lookup.run import Progress, Runner, runner_name
from linernotes.store.db import Database

log = logging.getLogger("linernotes.lookup")

# Roles that say who performs, not who made the record: a song with only these has no credits.
PERFORMER_ROLES = ("main_artist", "featured_artist")


@dataclass(frozen=True, slots=True)
class LookupSettings:
    enabled: bool
    budget: float  # seconds a look-up may take
    stale: timedelta  # credits older than this are looked up again when shown
    reuse: timedelta  # a finished look-up answers identical requests this long

    @classmethod
    def from_settings(cls) -> LookupSettings:
        return cls(
            enabled=settings.LOOKUPS.value().strip().lower() not in ("0", "off", "no", "false"),
            budget=settings.positive_float(settings.LOOKUP_BUDGET),
            stale=timedelta(days=settings.positive_float(settings.LOOKUP_STALE_DAYS)),
            reuse=timedelta(minutes=settings.positive_float(settings.LOOKUP_REUSE_MINUTES)),
        )


def begin(
    db: Database, request: LookupRequest, config: LookupSettings, now: datetime | None = None
) -> tuple[jobs.Job, bool]:
    """The look-up answering `request`: one that just finished, the open one, or a new one
    (True: the caller runs it)."""
    at = now or datetime.now(UTC)
    done = jobs.recent(db, request.key, at - config.reuse)
    if done is not None:
        return done, False
    return jobs.open_or_join(db, request.key, request.as_json(), at)


def run_here(
    db: Database, job: jobs.Job, runner: Runner, on_progress: Progress | None = None
) -> jobs.Job:
    """Run the job in this thread if nobody else is running it (or its runner died)."""
    if jobs.claim(db, job.id, runner_name()):
        runner.run(job, on_progress)
    found = jobs.get(db, job.id)
    assert found is not None
    return found


def look_up(
    db: Database,
    request: LookupRequest,
    runner: Runner,
    config: LookupSettings,
    *,
    on_progress: Callable[[jobs.Job], None] | None = None,
    sleep: Callable[[float], None] = time.sleep,
) -> jobs.Job:
    """Start or join the look-up and wait for its end (the CLI): a look-up another process
    runs is followed until it ends, and taken over if its runner stops beating."""
    job, mine = begin(db, request, config)
    if mine:
        return run_here(
            db, job, runner, None if on_progress is None else _each(db, job, on_progress)
        )
    rounds = int((config.budget + jobs.ABANDONED.total_seconds()) / 0.1) + 1
    while not job.finished:
        job = jobs.wait(db, job.id, sleep, rounds, on_progress=on_progress)
        if not job.finished:
            job = run_here(db, job, runner)  # its runner stopped beating: finish it here
    return job


def _each(db: Database, job: jobs.Job, show: Callable[[jobs.Job], None]) -> Progress:
    def shown(_: object) -> None:
        found = jobs.get(db, job.id)
        if found is not None:
            show(found)

    return shown


def credits_stale(
    db: Database, kind: str, entity_id: int, max_age: timedelta, now: datetime | None = None
) -> str | None:
    """Why a song's or album's credits should be looked up again (None: they are fresh): none
    beyond who performs it, or none checked since `max_age`."""
    subjects, params = _subjects(kind, entity_id)
    marks = ",".join("?" * len(PERFORMER_ROLES))
    row = db.one(
        "SELECT max(s.retrieved_at), count(*) FROM credit c"
        " JOIN credit_source s ON s.credit_id = c.id"
        f" WHERE ({subjects}) AND c.role NOT IN ({marks})",
        (*params, *PERFORMER_ROLES),
    )
    if row is None or not row[1]:
        return "no credits yet"
    latest = str(row[0])
    cutoff = ((now or datetime.now(UTC)) - max_age).isoformat()
    if latest < cutoff:
        return f"credits last checked {latest[:10]}"
    return None


def _subjects(kind: str, entity_id: int) -> tuple[str, tuple[object, ...]]:
    if kind == "recording":
        return "c.subject_kind = 'recording' AND c.subject_id = ?", (entity_id,)
    return (
        "(c.subject_kind = 'release' AND c.subject_id = ?) OR (c.subject_kind = 'recording'"
        " AND c.subject_id IN (SELECT recording_id FROM track WHERE release_id = ?))",
        (entity_id, entity_id),
    )


class Background:
    """Runs look-ups on threads of this server process, each with its own catalog connection
    (`connect` gives the calling thread's). Two at a time: each already runs a thread per
    source, and a look-up mostly waits on the sources' rate limits."""

    def __init__(self, connect: Callable[[], Database], make_runner: Callable[[Database], Runner]):
        self._connect = connect
        self._make_runner = make_runner
        self._pool = ThreadPoolExecutor(max_workers=2, thread_name_prefix="lookup")
        self._submitted: set[int] = set()
        self._lock = threading.Lock()

    def submit(self, job: jobs.Job) -> None:
        with self._lock:
            if job.id in self._submitted:
                return
            self._submitted.add(job.id)
        self._pool.submit(self._run, job)

    def adopt(self, job: jobs.Job, now: datetime | None = None) -> None:
        """Run a job whose runner stopped beating (its process died)."""
        beat = job.heartbeat_at or job.created_at
        cutoff = jobs.stamp((now or datetime.now(UTC)) - jobs.ABANDONED)
        if not job.finished and beat < cutoff:
            with self._lock:
                self._submitted.discard(job.id)
            self.submit(job)

    def close(self) -> None:
        """Drop look-ups not started yet and let the running ones end (within their budget):
        one cut off here would be recorded as failing at every source."""
        self._pool.shutdown(wait=True, cancel_futures=True)

    def _run(self, job: jobs.Job) -> None:
        try:
            db = self._connect()
            run_here(db, job, self._make_runner(db))
        except Exception:
            log.exception("look-up %s stopped", job.id)
