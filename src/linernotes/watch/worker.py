"""The notification worker's loop: match changes, send due deliveries, re-check trending records.

Each round does what is due and says how much it did; `run` repeats rounds, resting only when a
round found nothing to do. The clock is passed in (tests move it by hand), and everything a round
does is recorded in the catalog before the next, so a worker killed anywhere resumes from the
catalog: changes not yet matched stay pending, claimed deliveries come back when their lease ends
(or at once when a worker of the same name starts again).
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from linernotes.sources.http import HttpClient
from linernotes.store import digest
from linernotes.store.db import Database
from linernotes.watch import deliver, events, match, trending, webhook
from linernotes.watch.address import default_policy
from linernotes.watch.email import SmtpMailer, smtp_config

TASKS = ("match", "deliver", "trending", "digests")
TICK = 0.1  # seconds between cheap looks for new work while resting


def utc_now() -> datetime:
    return datetime.now(UTC)


@dataclass
class Options:
    tasks: tuple[str, ...] = TASKS
    batch: int = 500  # deliveries claimed at once
    threads: int = 16  # requests in flight at once (on one event loop, not threads)
    lease: timedelta = timedelta(minutes=5)
    match_limit: int = 5000  # changes grouped per round
    trending_every: timedelta = timedelta(minutes=10)
    trending_limit: int = 20
    digest_limit: int = 20  # stale digests counted again per round


@dataclass
class Round:
    """What one round did."""

    matched: int = 0  # notifications made
    deliveries: deliver.BatchReport = deliver.EMPTY
    rechecked: int = 0
    digested: int = 0  # people whose top collaborators were counted again
    notes: list[str] = field(default_factory=list)

    @property
    def busy(self) -> bool:
        return bool(self.matched or self.deliveries.claimed or self.rechecked or self.digested)


class Worker:
    """One worker: a name (shown in claims and attempts), a catalog, a clock."""

    def __init__(
        self,
        db: Database,
        name: str,
        *,
        clock: Callable[[], datetime] = utc_now,
        options: Options | None = None,
        sender: deliver.Sender | None = None,
        http: HttpClient | None = None,
    ) -> None:
        self.db, self.name, self.clock = db, name, clock
        self.options = options or Options()
        config = smtp_config()
        self.email = config is not None
        self.sender = sender or deliver.Sender(
            webhook.new_pool(default_policy(), size=max(self.options.threads, 4)),
            SmtpMailer(config) if config is not None else None,
            clock,
            webhook.timeout_setting(),
        )
        self.http = http
        self.rand = random.Random()
        self.next_trending = clock()

    def close(self) -> None:
        self.sender.close()

    def round(self) -> Round:
        """Match, deliver and re-check once each, as the options say."""
        done, tasks = Round(), self.options.tasks
        if "match" in tasks:
            report = match.process(
                self.db, self.clock(), email=self.email, limit=self.options.match_limit
            )
            done.matched = report.notifications
        if "deliver" in tasks:
            done.deliveries = deliver.run_once(
                self.db,
                self.sender,
                self.name,
                limit=self.options.batch,
                in_flight=self.options.threads,
                lease=self.options.lease,
                rand=self.rand,
            )
        if "trending" in tasks and self.clock() >= self.next_trending:
            done.rechecked, done.notes = self._trending()
            self.next_trending = self.clock() + self.options.trending_every
        if "digests" in tasks:
            # Stale digests are counted again before a visitor of the person's page waits.
            done.digested = digest.refresh_stale(self.db, self.options.digest_limit)
        return done

    def _trending(self) -> tuple[int, list[str]]:
        """Trending records due a recheck, asked again at their sources; the change log's old
        rows pruned on the same slow beat."""
        if self.http is None:
            # No response cache: it keeps answers for a day, and a recheck every few hours must
            # see what the source says now.
            self.http = HttpClient(use_cache=False)
        results = trending.run_due_rechecks(
            self.db, self.http, self.clock(), limit=self.options.trending_limit
        )
        events.prune(self.db)
        return len(results), [str(r) for r in results]

    def run(
        self,
        *,
        once: bool = False,
        idle: float = 1.0,
        rest: Callable[[float], None] = time.sleep,
        report: Callable[[Round], None] = lambda _: None,
        extra: Callable[[], bool] = lambda: False,
    ) -> None:
        """Rounds until stopped; with `once`, until a round (and `extra`, other work such as
        the ingest queue) finds nothing to do."""
        while True:
            done = self.round()
            if done.busy:
                report(done)
            other = extra()
            if done.busy or other:
                continue
            if once:
                return
            self._rest(idle, rest)

    def _rest(self, idle: float, rest: Callable[[float], None]) -> None:
        """Rest up to `idle` seconds, in TICKs, ending early once work is waiting: a worker
        polling every few seconds still starts on a new notification within a TICK."""
        waited = 0.0
        while waited < idle:
            step = min(TICK, idle - waited)
            rest(step)
            waited += step
            if self.work_waiting():
                return

    def work_waiting(self) -> bool:
        """Whether a round now would find something: changes past the grouping cursor, a
        delivery come due, trending re-checks due, a stale digest. A look at three indexes."""
        tasks, now = self.options.tasks, self.clock()
        if "trending" in tasks and now >= self.next_trending:
            return True
        at = deliver.stamp(now)
        row = self.db.one(
            "SELECT EXISTS (SELECT 1 FROM change_log WHERE id > coalesce("
            "(SELECT last_id FROM watch_cursor WHERE name = ?), 0)),"
            " EXISTS (SELECT 1 FROM delivery WHERE state IN ('pending', 'sending')"
            " AND due_at <= ? AND (claimed_until IS NULL OR claimed_until < ?)),"
            " EXISTS (SELECT 1 FROM person_digest WHERE stale = 1)",
            (events.CURSOR, at, at),
        )
        assert row is not None
        return (
            bool(row[0] and "match" in tasks)
            or bool(row[1] and "deliver" in tasks)
            or bool(row[2] and "digests" in tasks)
        )
