"""Run one look-up: every source at once, each in its own thread and held to the time budget,
one writer putting what they fetch into the catalog as it arrives, then identity resolution and
the search index, so the next identical search is answered from the catalog.

The writer is the thread that called `run`: it alone touches the catalog (a SQLite or psycopg
connection belongs to one thread). It writes each source's progress into the job as it changes,
so anyone polling the job (the CLI, the API's status URL, the page) sees it live.
"""

from __future__ import annotations

import logging
import os
import queue
import socket
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from linernotes.ingest.pipeline import Stream, ingest
from linernotes.lookup import jobs
from linernotes.lookup.candidates import Wanted
from linernotes.lookup.context import (
    IDENTIFIERS,
    Ask,
    Cut,
    Ended,
    Goal,
    Message,
    NothingFound,
    Records,
    SourceContext,
    SourceStatus,
)
from linernotes.lookup.plans import ORDER, PLANS
from linernotes.lookup.request import LookupRequest, known
from linernotes.normalize.records import EntityKind, Ref
from linernotes.resolve.run import resolve
from linernotes.search import sync
from linernotes.search.engine import NameIndex
from linernotes.sources.http import HttpClient, SourceError
from linernotes.sources.ratelimit import Deadline
from linernotes.store.db import Database, now_iso
from linernotes.store.entities import find_by_ref
from linernotes.store.read_names import summary

log = logging.getLogger("linernotes.lookup")

ClientFor = Callable[[str], HttpClient]
Progress = Callable[[dict[str, SourceStatus]], None]
# How often the writer writes progress at most while records arrive (and beats otherwise).
REPORT_EVERY = 0.25
# Sources whose search needs a token even where fetching by id does not.
SEARCH_NEEDS_TOKEN = frozenset({"discogs"})
ID_NAMESPACES = ("genius", "musicbrainz", "discogs", "spotify")


def runner_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}:{threading.get_ident()}"


@dataclass
class Outcome:
    statuses: dict[str, SourceStatus]
    result: dict[str, Any] = field(default_factory=dict)

    def progress(self) -> dict[str, Any]:
        return {source: status.as_json() for source, status in self.statuses.items()}


class Runner:
    """Runs look-ups on one catalog connection. `client_for(source)` gives the HTTP client a
    source uses (one shared client in production; tests give each source its own fake clock)."""

    def __init__(
        self,
        db: Database,
        client_for: ClientFor,
        *,
        budget: float,
        sources: tuple[str, ...] = ORDER,
        index: NameIndex | None = None,
    ) -> None:
        self.db = db
        self.client_for = client_for
        self.budget = budget
        self.sources = sources
        self.index = index

    def run(self, job: jobs.Job, on_progress: Progress | None = None) -> Outcome:
        """Run a claimed job to its end and record the outcome in it."""
        outcome = Outcome({})
        try:
            goal, outcome.statuses = self._prepare(LookupRequest.from_json(job.request))
            self._gather(job, goal, outcome, on_progress)
            self._settle(outcome)
        except Exception as err:
            log.exception("look-up %s failed", job.id)
            jobs.finish(self.db, job.id, outcome.progress(), outcome.result, f"{err}")
            raise
        jobs.finish(self.db, job.id, outcome.progress(), outcome.result)
        return outcome

    # -- before: what is wanted, which sources can take part --------------------------------

    def _prepare(self, request: LookupRequest) -> tuple[Goal, dict[str, SourceStatus]]:
        wanted, ids, what = Wanted(request.query), {}, "song"
        if not request.query:
            record = known(self.db, request)
            artist = record.artists[0] if record.artists else ""
            wanted = Wanted(f"{record.title} {artist}".strip(), record.title, artist)
            ids = {ns: v for ns, v in record.ids.items() if ns in ID_NAMESPACES}
            what = "song" if request.kind == "recording" else "album"
        statuses = {source: self._status(source, source not in ids) for source in self.sources}
        active = tuple(s for s, status in statuses.items() if status.state == "waiting")
        identifiers = tuple(s for s in IDENTIFIERS if s in active)
        return Goal(wanted, ids, what, identifiers), statuses

    def _status(self, source: str, searches: bool) -> SourceStatus:
        """Waiting, or skipped with the reason: a source with no token configured is left out
        with a note saying which setting to set, never an error. (Discogs fetches a release by
        id without one, but its search needs one.)"""
        http = self.client_for(source)
        policy = http.policy(source)
        has_token = http.credentials.has_all(policy.credential_envs)
        needs = policy.auth_required or (source in SEARCH_NEEDS_TOKEN and searches)
        if needs and not has_token:
            envs = " and ".join(policy.credential_envs)
            return SourceStatus("skipped", f"no token configured for {source}: set {envs}")
        return SourceStatus()

    # -- during: the sources' threads and the writer ---------------------------------------

    def _gather(
        self, job: jobs.Job, goal: Goal, outcome: Outcome, on_progress: Progress | None
    ) -> None:
        outbox: queue.Queue[Message] = queue.Queue()
        changed = threading.Event()
        running = []
        for source, status in outcome.statuses.items():
            if status.state != "waiting":
                continue
            http = self.client_for(source)
            view = http.within(Deadline.after(http.clock, self.budget))
            context = SourceContext(source, view, outbox, status, changed.set)
            thread = threading.Thread(
                target=_run_plan, args=(context, goal), name=f"lookup-{source}", daemon=True
            )
            running.append(thread)
        for thread in running:
            thread.start()
        pending, last = len(running), 0.0
        while pending:
            try:
                message = outbox.get(timeout=REPORT_EVERY)
            except queue.Empty:
                message = None
            if isinstance(message, Ended):
                pending -= 1
            elif isinstance(message, Records):
                self._write(job, message, outcome)
            elif isinstance(message, Ask):
                _answer(self.db, message)
            if changed.is_set() and (time.monotonic() - last >= REPORT_EVERY or not pending):
                changed.clear()
                last = time.monotonic()
                jobs.report(self.db, job.id, outcome.progress(), outcome.result)
                if on_progress is not None:
                    on_progress(outcome.statuses)

    def _write(self, job: jobs.Job, message: Records, outcome: Outcome) -> None:
        name = f"lookup/{job.id}/{message.source}/{message.target.kind}/{message.target.key}"
        items = message.items
        numbered = list(enumerate(items, start=1))
        ingest(self.db, Stream(name, now_iso(), lambda after: iter(numbered[after:])))
        # A one-off stream: nothing resumes it, so its checkpoint would only pile up.
        with self.db.transaction():
            self.db.execute("DELETE FROM ingest_checkpoint WHERE stream = ?", (name,))
        if message.main is not None and not outcome.result:
            outcome.result = _result(self.db, message.main)

    # -- after: one catalog, one index ------------------------------------------------------

    def _settle(self, outcome: Outcome) -> None:
        """Who is who across what came in, then the search index; the answer's id after any
        merge."""
        if any(s.records for s in outcome.statuses.values()):
            resolve(self.db)
            _sync_index(self.db, self.index)
        main = outcome.result.get("ref")
        if main:
            kind, namespace, value = main
            outcome.result = _result(self.db, Ref(EntityKind(kind), namespace, value))


def _run_plan(context: SourceContext, goal: Goal) -> None:
    """One source's plan, its outcome said in its status whatever happens."""
    status = context.status
    started = context.http.clock.monotonic()
    try:
        PLANS[context.source](context, goal)
        status.state, status.note = "done", _fetched(status)
    except Cut as err:
        spent = context.http.clock.monotonic() - started
        status.state = "cut"
        status.note = f"time budget ran out after {spent:.1f} s ({err}); {_fetched(status)} kept"
    except NothingFound as err:
        status.state, status.note = "no match", str(err)
    except SourceError as err:
        status.state, status.note = (
            "failed",
            err.message + (f" (HTTP {err.status})" if err.status else ""),
        )
    except Exception as err:  # a bug or garbage nobody foresaw: this source fails, not all
        log.exception("look-up: %s failed", context.source)
        status.state, status.note = "failed", f"unexpected error: {type(err).__name__}: {err}"
    finally:
        goal.offer(context.source, None)  # no-op when it already answered
        context.say(status.state)
        context.ended()


def _fetched(status: SourceStatus) -> str:
    records = f"{status.records} record{'s' if status.records != 1 else ''}"
    return f"{records} in {status.requests} request{'s' if status.requests != 1 else ''}"


def _answer(db: Database, ask: Ask) -> None:
    try:
        ask.answer.set_result(ask.question(db))
    except Exception as err:  # the asking thread raises it
        ask.answer.set_exception(err)


def _result(db: Database, ref: Ref) -> dict[str, Any]:
    entity = find_by_ref(db, ref)
    if entity is None:
        return {}
    described = summary(db, ref.kind, entity)
    return {
        "kind": described.kind,
        "id": described.id,
        "name": described.name,
        "ref": [ref.kind.value, ref.namespace, ref.value],
    }


def _sync_index(db: Database, index: NameIndex | None, tries: int = 40) -> None:
    """Bring the search index up to date. Another process may hold the index's writer lock for
    a moment: wait for it (what is not synced now stays marked, and the next sync takes it)."""
    for attempt in range(tries):
        try:
            sync.sync(db, index)
            if index is not None:
                index.reload()
            return
        except ValueError as err:
            if "Lock" not in str(err) or attempt == tries - 1:
                log.warning("look-up: search index not synced: %s", err)
                return
            time.sleep(0.05)
