"""What the delivery tests share: real receiver processes (a webhook receiver, an SMTP sink)
started on loopback and stopped by pid, a clock moved by hand, and rows made directly (accounts,
events, notifications, deliveries) so delivery is tested apart from matching."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from linernotes.store.accounts import add_user
from linernotes.store.db import Database
from linernotes.watch import address, inbox, webhook
from linernotes.watch.deliver import BatchReport, Mailer, Sender, run_once

RECEIVERS = Path(__file__).parent / "receivers"
START = datetime(2026, 3, 14, 9, 0, tzinfo=UTC)


class Clock:
    """The worker's `now`: stands still until a test moves it."""

    def __init__(self, at: datetime = START) -> None:
        self.at = at

    def __call__(self) -> datetime:
        return self.at

    def move(self, **delta: float) -> None:
        self.at += timedelta(**delta)


def allow_loopback(monkeypatch: pytest.MonkeyPatch) -> None:
    """Test settings: the loopback receivers may be reached."""
    monkeypatch.setenv("LINERNOTES_WEBHOOK_ALLOW_NETWORKS", "127.0.0.0/8, ::1/128")


def _start(args: list[str], log: Path) -> tuple[subprocess.Popen[str], int]:
    """Start a receiver script; it prints its port once it listens (errors go to `log`)."""
    with open(log, "a") as errors:
        process = subprocess.Popen(
            [sys.executable, *args], stdout=subprocess.PIPE, stderr=errors, text=True
        )
    assert process.stdout is not None
    line = process.stdout.readline()
    if not line.strip().isdigit():
        _stop(process)
        raise RuntimeError(f"receiver did not start: {line!r} {log.read_text()}")
    return process, int(line)


def _stop(process: subprocess.Popen[str] | None) -> None:
    if process is None:
        return
    if process.poll() is None:
        os.kill(process.pid, signal.SIGTERM)
        process.wait(timeout=10)
    if process.stdout is not None:
        process.stdout.close()


@dataclass
class Receiver:
    """A webhook receiver process (tests/receivers/webhook_receiver.py)."""

    folder: Path
    status: int = 204
    location: str = ""
    port: int = 0
    process: subprocess.Popen[str] | None = None
    secrets: dict[str, str] = field(default_factory=dict)

    @property
    def out(self) -> Path:
        return self.folder / "received.jsonl"

    @property
    def secrets_file(self) -> Path:
        return self.folder / "secrets.json"

    def start(self) -> Receiver:
        self.secrets_file.write_text(json.dumps(self.secrets))
        args = [str(RECEIVERS / "webhook_receiver.py"), "--out", str(self.out)]
        args += ["--secrets", str(self.secrets_file), "--port", str(self.port)]
        args += ["--status", str(self.status), "--location", self.location]
        self.process, self.port = _start(args, self.folder / "receiver.log")
        return self

    def stop(self) -> None:
        _stop(self.process)

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def trust(self, path: str, secret: str) -> None:
        self.secrets[path] = secret
        self.secrets_file.write_text(json.dumps(self.secrets))

    def records(self) -> list[dict[str, Any]]:
        if not self.out.exists():
            return []
        return [json.loads(line) for line in self.out.read_text().splitlines() if line]


@dataclass
class SmtpSink:
    """An aiosmtpd process (tests/receivers/smtp_sink.py) keeping every message."""

    folder: Path
    port: int = 0
    process: subprocess.Popen[str] | None = None

    @property
    def out(self) -> Path:
        return self.folder / "mail.jsonl"

    def start(self) -> SmtpSink:
        args = [str(RECEIVERS / "smtp_sink.py"), "--out", str(self.out)]
        self.process, self.port = _start(
            [*args, "--port", str(self.port)], self.folder / "sink.log"
        )
        return self

    def stop(self) -> None:
        _stop(self.process)

    def messages(self) -> list[dict[str, Any]]:
        if not self.out.exists():
            return []
        return [json.loads(line) for line in self.out.read_text().splitlines() if line]


def use_smtp(monkeypatch: pytest.MonkeyPatch, sink: SmtpSink) -> None:
    monkeypatch.setenv("LINERNOTES_SMTP_HOST", "127.0.0.1")
    monkeypatch.setenv("LINERNOTES_SMTP_PORT", str(sink.port))
    monkeypatch.setenv("LINERNOTES_SMTP_FROM", "alerts@linernotes.test")
    monkeypatch.setenv("LINERNOTES_BASE_URL", "https://linernotes.test")


# Rows made directly -------------------------------------------------------------------------


def account(db: Database, email: str, mode: str = "instant") -> int:
    user = add_user(db, email, "", "free", START)
    inbox.set_notify_settings(db, user.id, mode=mode)
    return user.id


def event_json(n: int, title: str = "") -> dict[str, Any]:
    """An event as events.py writes it: new producer credit on song n."""
    return {
        "id": f"evt_{n}",
        "type": "credits.changed",
        "created_at": START.isoformat(),
        "changed_at": START.isoformat(),
        "subject": {
            "kind": "recording",
            "id": 100 + n,
            "title": title or f"Song {n}",
            "artists": ["Drake"],
            "path": f"/song/{100 + n}",
        },
        "new_subject": False,
        "changes": [
            {
                "change": "added",
                "person": {"id": 7, "name": "Boi-1da", "path": "/person/7"},
                "role": "producer",
                "role_label": "Producer",
                "family": "production",
                "detail": "",
                "previous_role": None,
            }
        ],
    }


def event(db: Database, title: str = "") -> int:
    """A watch_event row; its id (the JSON's id says evt_<that id>)."""
    with db.transaction():
        row = db.one(
            "INSERT INTO watch_event (kind, subject_kind, subject_id, summary, created_at)"
            " VALUES ('credits', 'recording', 1, '{}', ?) RETURNING id",
            (START.isoformat(),),
        )
        assert row is not None
        event_id = int(row[0])
        summary = json.dumps(event_json(event_id, title))
        db.execute("UPDATE watch_event SET summary = ? WHERE id = ?", (summary, event_id))
    return event_id


REASONS = [{"follow_id": 1, "kind": "artist", "target": {"id": 3, "name": "Drake"}}]


def notify(
    db: Database,
    account_id: int,
    event_id: int,
    *,
    endpoints: list[int] = (),  # type: ignore[assignment]
    email: bool = False,
    due: datetime = START,
) -> int:
    """A notification and its deliveries, as match.py makes them; the notification's id."""
    with db.transaction():
        row = db.one(
            "INSERT INTO notification (account_id, event_id, reasons, created_at)"
            " VALUES (?, ?, ?, ?) RETURNING id",
            (account_id, event_id, json.dumps(REASONS), START.isoformat()),
        )
        assert row is not None
        channels = [("webhook", e) for e in endpoints] + ([("email", None)] if email else [])
        for channel, endpoint in channels:
            db.execute(
                "INSERT INTO delivery (notification_id, channel, endpoint_id, due_at)"
                " VALUES (?, ?, ?, ?)",
                (row[0], channel, endpoint, due.isoformat(timespec="microseconds")),
            )
    return int(row[0])


def states(db: Database) -> dict[str, int]:
    rows = db.execute("SELECT state, count(*) FROM delivery GROUP BY state")
    return {str(s): int(n) for s, n in rows}


def sender(clock: Clock, mailer: Mailer | None = None, timeout: float = 5.0) -> Sender:
    """What the worker sends with, on the settings' address policy and the test's clock."""
    return Sender(webhook.new_pool(address.default_policy()), mailer, clock, timeout)


def hook(db: Database, account_id: int, receiver: Receiver, path: str) -> int:
    """A webhook endpoint of the account at the receiver, its secret known to the receiver."""
    made = inbox.add_endpoint(db, account_id, receiver.url(path))
    receiver.trust(path, made.secret)
    return made.id


def send(db: Database, clock: Clock, worker: str = "w1", **options: Any) -> BatchReport:
    """One batch of the worker's, with a sender of its own (closed after)."""
    mailer = options.pop("mailer", None)
    with sender(clock, mailer) as made:
        return run_once(db, made, worker, **options)
