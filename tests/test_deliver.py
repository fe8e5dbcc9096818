"""Claims: a batch claimed by a worker that then died comes back to another worker when its lease
ends, and at once to a worker of the same name; per endpoint, newer deliveries wait."""

from __future__ import annotations

from datetime import timedelta

from linernotes.store.catalog import Catalog
from linernotes.watch import deliver, inbox
from notify_support import Clock, account, event, notify


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
