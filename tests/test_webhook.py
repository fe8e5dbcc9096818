"""Webhook deliveries to a real receiver process: signed bodies, attempts recorded, retries with
backoff for about a day on an injected clock, 410 Gone, daily digests, a backlog in order."""

from __future__ import annotations

import random
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import pytest

from linernotes.store.catalog import Catalog
from linernotes.watch import deliver, inbox, webhook
from notify_support import (
    Clock,
    Receiver,
    account,
    allow_loopback,
    event,
    event_json,
    hook,
    notify,
    send,
    states,
)


@pytest.fixture
def receiver(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Receiver]:
    allow_loopback(monkeypatch)
    made = Receiver(tmp_path / "receiver")
    made.folder.mkdir()
    yield made.start()
    made.stop()


def test_the_standard_webhooks_test_vector_signs_and_verifies() -> None:
    secret, body = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", b'{"test": 2432232314}'
    sig = webhook.signature(secret, "msg_p5jXN8AQM9LWM0D4loKWxJek", 1614265330, body)
    assert sig == "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="
    headers = {k.lower(): v for k, v in webhook.signed_headers(secret, "m", body, 1e9)}
    assert webhook.verify(secret, headers, body)
    assert not webhook.verify(secret, headers, body + b" ")
    assert not webhook.verify("whsec_" + "QUJD" * 8, headers, body)


def test_an_instant_notification_arrives_signed_with_its_event(
    empty: Catalog, receiver: Receiver
) -> None:
    db, clock = empty.db, Clock()
    user = account(db, "ann@example.com")
    endpoint = hook(db, user, receiver, "/ann")
    evt = event(db)
    note = notify(db, user, evt, endpoints=[endpoint])
    report = send(db, clock, "w1")
    assert (report.claimed, report.delivered) == (1, 1)
    [got] = receiver.records()
    assert got["verified"] and got["id"] == f"evt_{evt}"
    body = got["body"]
    assert body["type"] == "credits.changed" and body["notification_id"] == note
    assert body["data"] == event_json(evt) and body["reasons"][0]["target"]["name"] == "Drake"
    assert states(db) == {"delivered": 1}
    [attempt] = deliver.attempts(db, user)
    assert (attempt.outcome, attempt.status_code, attempt.attempt) == ("delivered", 204, 1)
    assert attempt.target == receiver.url("/ann") and attempt.error == ""
    assert send(db, clock, "w1").claimed == 0  # nothing twice


def test_failures_are_retried_with_growing_delays_for_about_a_day_then_given_up(
    empty: Catalog, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    allow_loopback(monkeypatch)
    failing = Receiver(tmp_path / "down", status=503)
    failing.folder.mkdir()
    failing.start()
    db, clock = empty.db, Clock()
    start = clock.at
    user = account(db, "bob@example.com")
    notify(db, user, event(db), endpoints=[hook(db, user, failing, "/bob")])
    gaps = []
    try:
        for _ in range(deliver.MAX_ATTEMPTS):
            before = clock.at
            assert send(db, clock, "w1", rand=random.Random(7)).claimed == 1
            assert send(db, clock, "w1").claimed == 0  # not due yet
            due = db.one("SELECT due_at, state FROM delivery")
            assert due is not None
            if due[1] == "failed":
                break
            clock.at = datetime.fromisoformat(due[0])
            gaps.append((clock.at - before).total_seconds())
    finally:
        failing.stop()
    assert states(db) == {"failed": 1}
    assert len(failing.records()) == deliver.MAX_ATTEMPTS
    assert 24 <= gaps[0] <= 36 and gaps[1] > gaps[0] * 1.3  # 30 s ± 20%, then doubling
    assert max(gaps) <= 4 * 3600 * 1.2  # capped at 4 h
    assert 20 <= (clock.at - start).total_seconds() / 3600 <= 30  # about a day
    views = deliver.attempts(db, user)
    assert [v.attempt for v in views] == list(range(deliver.MAX_ATTEMPTS, 0, -1))
    assert {(v.outcome, v.status_code) for v in views} == {("rejected", 503)}
    assert views[0].state == "failed" and "HTTP 503" in views[0].error


def test_410_gone_disables_the_endpoint_and_fails_what_waits_for_it(
    empty: Catalog, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    allow_loopback(monkeypatch)
    gone = Receiver(tmp_path / "gone", status=410)
    gone.folder.mkdir()
    gone.start()
    db, clock = empty.db, Clock()
    user = account(db, "cy@example.com")
    endpoint = hook(db, user, gone, "/cy")
    for _ in range(3):
        notify(db, user, event(db), endpoints=[endpoint])
    try:
        report = send(db, clock, "w1")
    finally:
        gone.stop()
    assert len(gone.records()) == 1  # the first answered 410: the others were not sent
    assert (report.failed, report.given_up) == (1, 3)
    assert states(db) == {"failed": 3}
    [made] = inbox.endpoints(db, user)
    assert made.disabled_at is not None
    clock.move(days=2)
    assert send(db, clock, "w1").claimed == 0


def test_a_receiver_that_was_down_gets_its_backlog_oldest_first(
    empty: Catalog, receiver: Receiver
) -> None:
    db, clock = empty.db, Clock()
    user = account(db, "dee@example.com")
    endpoint = hook(db, user, receiver, "/dee")
    receiver.stop()  # down: connections are refused
    events = [event(db) for _ in range(4)]
    for evt in events[:3]:
        notify(db, user, evt, endpoints=[endpoint])
    report = send(db, clock, "w1")
    assert (report.claimed, report.failed) == (3, 1)  # the oldest tried, the rest held behind it
    clock.move(seconds=5)
    notify(db, user, events[3], endpoints=[endpoint], due=clock.at)  # a new one while down
    assert send(db, clock, "w1").claimed == 0  # waits behind the backlog
    receiver.start()  # back, on the same port
    clock.move(seconds=40)  # past the first retry (30 s ± 20%)
    assert send(db, clock, "w1").delivered == 4
    assert [r["id"] for r in receiver.records()] == [f"evt_{e}" for e in events]
    failed = [a for a in deliver.attempts(db, user) if a.outcome == "error"]
    assert len(failed) == 1 and "Connect" in failed[0].error


def test_a_daily_digest_is_one_request_at_the_hour(empty: Catalog, receiver: Receiver) -> None:
    db, clock = empty.db, Clock()  # 09:00
    user = account(db, "eve@example.com", mode="daily")
    endpoint = hook(db, user, receiver, "/eve")
    tomorrow_8 = clock.at.replace(day=clock.at.day + 1, hour=8)
    events = [event(db, title=f"Track {i}") for i in range(3)]
    for evt in events:
        notify(db, user, evt, endpoints=[endpoint], due=tomorrow_8)
    assert send(db, clock, "w1").claimed == 0
    clock.at = tomorrow_8
    assert send(db, clock, "w1").delivered == 3
    [got] = receiver.records()
    assert got["verified"] and got["body"]["type"] == "digest"
    assert [e["id"] for e in got["body"]["events"]] == [f"evt_{e}" for e in events]
    assert [e["data"]["subject"]["title"] for e in got["body"]["events"]] == [
        "Track 0",
        "Track 1",
        "Track 2",
    ]
