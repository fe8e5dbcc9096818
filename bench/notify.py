"""Notification delivery benchmark: sustained webhook deliveries per second, and the time from an
event's commit to its first delivery attempt while events arrive at a steady rate.

Setup, in SQL straight into a new SQLite catalog (matching is H1's and measured apart): N
accounts, each following one artist and owning one webhook endpoint on a loopback receiver
(bench/webhook_sink.py in its own process: uvloop + httptools, checking every signature and
counting duplicates); E events, each matched to 1-10 random accounts (uniform), so about 5.5 * E
notifications, each with one due webhook delivery. Then:

- throughput: `linernotes worker --only deliver --once` in its own process sends the whole
  backlog; deliveries/s = deliveries / wall time. Repeated --runs times on fresh copies; median.
- latency: a worker runs (its default --poll: it wakes within 0.1 s of new work) while this
  process commits events at --rate per second (each commit: one event, its notifications and
  deliveries due at the commit time); latency = first attempt's start - commit time, p50/p99
  over --latency-seconds (after one warm-up event has gone out: the worker's start-up is not the
  steady state; deliveries never attempted count as waiting until the end).

    python bench/notify.py [--events 100000] [--accounts 10000] [--runs 3] [--parts latency]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from linernotes.store.catalog import Catalog  # noqa: E402
from linernotes.store.db import Database  # noqa: E402
from linernotes.watch.inbox import new_secret  # noqa: E402

CLI = "from linernotes.cli.main import main; main()"
SINK = ROOT / "bench" / "webhook_sink.py"


def stamp(at: datetime) -> str:
    return at.isoformat(timespec="microseconds")


def start_receiver(folder: Path, secrets: dict[str, str]) -> tuple[subprocess.Popen[str], int]:
    (folder / "secrets.json").write_text(json.dumps(secrets))
    process = subprocess.Popen(
        [sys.executable, str(SINK), "--out", str(folder / "counts.json"),
         "--secrets", str(folder / "secrets.json")],
        stdout=subprocess.PIPE, text=True,
    )  # fmt: skip
    assert process.stdout is not None
    return process, int(process.stdout.readline())


def stop(process: subprocess.Popen[str]) -> None:
    os.kill(process.pid, signal.SIGTERM)
    process.wait(timeout=30)


def make_accounts(db: Database, n: int, port: int) -> dict[str, str]:
    """n accounts with an endpoint each; {path: secret} for the receiver."""
    secrets = {f"/h/{i}": new_secret() for i in range(1, n + 1)}
    now = stamp(datetime.now(UTC))
    with db.transaction():
        db.executemany(
            "INSERT INTO account (id, email, password_hash, plan, created_at)"
            " VALUES (?, ?, '', 'free', ?)",
            [(i, f"u{i}@bench.test", now) for i in range(1, n + 1)],
        )
        db.executemany(
            "INSERT INTO notify_setting (account_id, mode, email, feed_token)"
            " VALUES (?, 'instant', 0, ?)",
            [(i, f"t{i}") for i in range(1, n + 1)],
        )
        db.executemany(
            "INSERT INTO webhook_endpoint (id, account_id, url, secret, created_at)"
            " VALUES (?, ?, ?, ?, ?)",
            [(i, i, f"http://127.0.0.1:{port}/h/{i}", secrets[f"/h/{i}"], now)
             for i in range(1, n + 1)],
        )  # fmt: skip
    return secrets


SUMMARY = json.dumps(
    {"type": "credits.changed", "subject": {"kind": "recording", "id": 1, "title": "Song",
     "artists": ["Artist"], "path": "/song/1"}, "new_subject": False,
     "changes": [{"change": "added", "person": {"id": 2, "name": "Producer", "path": "/person/2"},
                  "role": "producer", "role_label": "Producer", "family": "production",
                  "detail": "", "previous_role": None}]}
)  # fmt: skip
REASONS = json.dumps([{"follow_id": 1, "kind": "artist", "target": {"id": 1, "name": "Artist"}}])


def add_events(db: Database, first: int, count: int, accounts: int, rand: random.Random,
               due: datetime) -> int:  # fmt: skip
    """Events first..first+count-1, each notified to 1-10 accounts; deliveries made."""
    at = stamp(due)
    events, notes, deliveries = [], [], []
    note_id = int((db.one("SELECT coalesce(max(id), 0) FROM notification") or (0,))[0])
    for evt in range(first, first + count):
        summary = SUMMARY.replace('"type"', f'"id": "evt_{evt}", "type"', 1)
        events.append((evt, summary, at))
        for reader in rand.sample(range(1, accounts + 1), rand.randint(1, 10)):
            note_id += 1
            notes.append((note_id, reader, evt, REASONS, at))
            deliveries.append((note_id, reader, at))
    with db.transaction():
        db.executemany(
            "INSERT INTO watch_event (id, kind, subject_kind, subject_id, summary, created_at)"
            " VALUES (?, 'credits', 'recording', 1, ?, ?)",
            events,
        )
        db.executemany(
            "INSERT INTO notification (id, account_id, event_id, reasons, created_at)"
            " VALUES (?, ?, ?, ?, ?)",
            notes,
        )
        db.executemany(
            "INSERT INTO delivery (notification_id, channel, endpoint_id, due_at)"
            " VALUES (?, 'webhook', ?, ?)",
            deliveries,
        )
    return len(deliveries)


def worker_args(where: Path, extra: list[str]) -> list[str]:
    return [sys.executable, "-c", CLI, "--db", str(where), "worker", "--only", "deliver",
            "--name", "bench", *extra]  # fmt: skip


def env() -> dict[str, str]:
    return {
        **os.environ,
        "LINERNOTES_DEMO": "0",
        "LINERNOTES_WEBHOOK_ALLOW_NETWORKS": "127.0.0.1/32",
    }


def throughput(
    folder: Path, events: int, accounts: int, seed: int, opts: list[str]
) -> dict[str, Any]:
    where = folder / "catalog.sqlite3"
    catalog = Catalog.open(where)
    receiver, port = start_receiver(folder, {})
    try:
        secrets = make_accounts(catalog.db, accounts, port)
        (folder / "secrets.json").write_text(json.dumps(secrets))
        rand, total = random.Random(seed), 0
        for first in range(1, events + 1, 10_000):
            total += add_events(catalog.db, first, min(10_000, events - first + 1), accounts,
                                rand, datetime.now(UTC))  # fmt: skip
        catalog.close()
        started = time.perf_counter()
        subprocess.run(worker_args(where, ["--once", *opts]), env=env(), check=True,
                       capture_output=True)  # fmt: skip
        seconds = time.perf_counter() - started
    finally:
        stop(receiver)
    got = json.loads((folder / "counts.json").read_text())
    catalog = Catalog.open(where)
    delivered = int(
        (catalog.db.one("SELECT count(*) FROM delivery WHERE state = 'delivered'") or (0,))[0]
    )
    catalog.close()
    return {"deliveries": total, "delivered": delivered, **got,
            "seconds": round(seconds, 2), "per_second": round(delivered / seconds, 1)}  # fmt: skip


def latency(
    folder: Path, accounts: int, rate: int, seconds: float, opts: list[str]
) -> dict[str, Any]:
    where = folder / "catalog.sqlite3"
    catalog = Catalog.open(where)
    receiver, port = start_receiver(folder, {})
    secrets = make_accounts(catalog.db, accounts, port)
    (folder / "secrets.json").write_text(json.dumps(secrets))
    worker = subprocess.Popen(worker_args(where, opts), env=env(),
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # fmt: skip
    rand, evt, total = random.Random(1), 1, 0
    try:
        warm_up(catalog.db, accounts, rand)  # the worker is up and has sent once
        first = 2
        evt = first
        begin = time.perf_counter()
        while (elapsed := time.perf_counter() - begin) < seconds:
            wait = (evt - first) / rate - elapsed  # steady: event n commits at n / rate
            if wait > 0:
                time.sleep(wait)
            total += add_events(catalog.db, evt, 1, accounts, rand, datetime.now(UTC))
            evt += 1
        time.sleep(3)  # let the last ones go out
        ended = datetime.now(UTC)
    finally:
        os.kill(worker.pid, signal.SIGTERM)
        worker.wait(timeout=30)
        stop(receiver)
    # Deliveries never attempted count too, as waiting until the end (a floor): a worker that
    # fell behind must not look fast by leaving its backlog out.
    rows = catalog.db.execute(
        "SELECT n.created_at, min(a.started_at) FROM delivery d JOIN notification n"
        " ON n.id = d.notification_id LEFT JOIN delivery_attempt a ON a.delivery_id = d.id"
        " WHERE n.event_id >= ? GROUP BY d.id, n.created_at",
        (first,),
    )
    catalog.close()
    waits = sorted(
        (
            (datetime.fromisoformat(sent) if sent else ended) - datetime.fromisoformat(due)
        ).total_seconds()
        for due, sent in rows
    )
    attempted = sum(1 for _, sent in rows if sent)
    pick = lambda q: round(waits[min(len(waits) - 1, int(q * len(waits)))], 3)  # noqa: E731
    return {"events": evt - first, "deliveries": total, "attempted": attempted,
            "p50_s": pick(0.5), "p99_s": pick(0.99), "max_s": round(waits[-1], 3)}  # fmt: skip


def warm_up(db: Database, accounts: int, rand: random.Random) -> None:
    """Event 1, sent before the measured part starts: the worker process has imported and
    connected (~2 s of start-up that is not the steady state the target is about)."""
    add_events(db, 1, 1, accounts, rand, datetime.now(UTC))
    deadline = time.monotonic() + 120
    while not (db.one("SELECT count(*) FROM delivery_attempt") or (0,))[0]:
        if time.monotonic() > deadline:
            raise RuntimeError("the worker sent nothing within 2 minutes")
        time.sleep(0.05)


def _median(values: list[float]) -> float | None:
    return statistics.median(values) if values else None


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--events", type=int, default=100_000)
    parser.add_argument("--accounts", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--rate", type=int, default=200)
    parser.add_argument("--latency-seconds", type=float, default=30.0)
    parser.add_argument("--batch", default="500")
    parser.add_argument("--threads", default="16")
    parser.add_argument(
        "--parts", default="throughput,latency", help="what to run: throughput, latency or both"
    )
    parser.add_argument("--out", default=str(ROOT / "bench" / "results" / "notify.json"))
    args = parser.parse_args()
    opts = ["--batch", args.batch, "--threads", args.threads]
    runs: list[dict[str, Any]] = []
    waits: list[dict[str, Any]] = []
    for run in range(args.runs):
        if "throughput" in args.parts:
            with tempfile.TemporaryDirectory(prefix="notify-bench-") as tmp:
                runs.append(throughput(Path(tmp), args.events, args.accounts, run, opts))
                print("throughput", runs[-1], flush=True)
        if "latency" in args.parts:
            with tempfile.TemporaryDirectory(prefix="notify-bench-") as tmp:
                waits.append(
                    latency(Path(tmp), args.accounts, args.rate, args.latency_seconds, opts)
                )
                print("latency", waits[-1], flush=True)
    result = {
        "setup": vars(args),
        "throughput_runs": runs,
        "latency_runs": waits,
        "median_deliveries_per_second": _median([r["per_second"] for r in runs]),
        "median_p99_commit_to_attempt_s": _median([w["p99_s"] for w in waits]),
    }
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    Path(args.out).write_text(json.dumps(result, indent=2))
    print(json.dumps({k: v for k, v in result.items() if k.startswith("median")}))


if __name__ == "__main__":
    main()
