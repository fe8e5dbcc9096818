"""Claims: a batch claimed by a worker that then died comes back to another worker when its lease
ends, and at once to a worker of the same name; per endpoint, newer deliveries wait."""

from __future__ import annotations

from datetime import timedelta

import pytest

from linernotes.store.catalog import Catalog
from linernotes.watch import deliver, inbox, worker
from notify_support import Clock, account, event, notify, sender


def test_a_dead_workers_claims_come_back_when_the_lease_ends(empty: Catalog) -> None:
    db, clock = empty.db, Clock()
    user = account(db, "joy@example.com")
    endpoint = inbox.add_endpoint(db, user, "https://hooks.example.com/in").id
    for _ in range(3):
        notify(db, user, event(db), endpoints=[endpoint])
    lease = timedelta(minutes=5)
    assert len(deliver.claim(db, "dead", clock(), 10, lease)) == 3  # then it died: no record
    assert deliver.claim(db, "other", clock(), 10, lease) == []
    clock.move(minutes=4)
    assert deliver.claim(db, "other", clock(), 10, lease) == []
    again = deliver.claim(db, "dead", clock(), 10, lease)  # restarted under its name: at once
    assert [c.event_id for c in again] == sorted(c.event_id for c in again)
    assert len(again) == 3
    clock.move(minutes=6)
    assert len(deliver.claim(db, "other", clock(), 10, lease)) == 3


class _Stop(Exception):
    pass


def test_a_resting_worker_starts_on_new_work_within_a_tick(empty: Catalog) -> None:
    db, clock = empty.db, Clock()
    user = account(db, "joy@example.com")
    endpoint = inbox.add_endpoint(db, user, "http://127.0.0.1:9/in").id  # loopback: refused
    rested: list[float] = []

    def rest(seconds: float) -> None:
        rested.append(seconds)
        clock.move(seconds=seconds)
        if len(rested) == 3:  # a notification arrives while the worker rests
            notify(db, user, event(db), endpoints=[endpoint], due=clock())

    def report(done: worker.Round) -> None:
        if done.deliveries.claimed:
            raise _Stop

    loop = worker.Worker(
        db, "w1", clock=clock, options=worker.Options(tasks=("deliver",)), sender=sender(clock)
    )
    try:
        with pytest.raises(_Stop):
            loop.run(idle=60.0, rest=rest, report=report)  # polls every minute...
    finally:
        loop.close()
    assert sum(rested) == pytest.approx(3 * worker.TICK)  # ...yet started at the next tick
    assert [a.outcome for a in deliver.attempts(db, user)] == ["refused"]
