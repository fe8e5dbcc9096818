"""A worker killed with SIGKILL loses nothing: restarted, it sends what it had claimed again,
every (event, follower) arrives at least once, at most the batch in flight twice, and a receiver
dropping duplicates by event id processes each event exactly once.

The worker kills itself at a named point (LINERNOTES_CRASH_AT): a real SIGKILL, at an exact
place: before a send, after a send but before its attempt is recorded, or in the middle of a
batch with other requests in flight.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest

from backends import NewCatalog
from linernotes.store.catalog import Catalog
from notify_support import Receiver, account, event, hook, notify, states

CLI = "from linernotes.cli.main import main; main()"
BATCH = 12


@pytest.fixture
def receiver(tmp_path: Path) -> Iterator[Receiver]:
    made = Receiver(tmp_path / "receiver")
    made.folder.mkdir()
    yield made.start()
    made.stop()


def _worker(where: Path | str, crash: str | None) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "LINERNOTES_DEMO": "0"}
    env["LINERNOTES_WEBHOOK_ALLOW_NETWORKS"] = "127.0.0.0/8"
    env.pop("LINERNOTES_CRASH_AT", None)
    if crash:
        env["LINERNOTES_CRASH_AT"] = crash
    args = ["--db", str(where), "worker", "--once", "--only", "deliver", "--name", "w1"]
    args += ["--batch", str(BATCH), "--threads", "4"]
    return subprocess.run(
        [sys.executable, "-c", CLI, *args], env=env, capture_output=True, text=True, timeout=120
    )


@pytest.mark.parametrize("point", ["before_send:5", "after_send:3", "mid_batch"])
def test_a_worker_killed_anywhere_resumes_and_loses_nothing(
    point: str, new_catalog: NewCatalog, receiver: Receiver
) -> None:
    where = new_catalog("kill")
    catalog = Catalog.open(where)
    db = catalog.db
    readers = [account(db, f"r{i}@example.com") for i in range(3)]
    hooks = {r: hook(db, r, receiver, f"/r{r}") for r in readers}
    expected = set()
    for _ in range(10):
        evt = event(db)
        for reader in readers:
            notify(db, reader, evt, endpoints=[hooks[reader]])
            expected.add((f"/r{reader}", f"evt_{evt}"))
    catalog.close()

    killed = _worker(where, point)
    assert killed.returncode == -signal.SIGKILL, killed.stderr
    sent_before = len(receiver.records())
    finished = _worker(where, None)  # same name: takes its claims back at once
    assert finished.returncode == 0, finished.stderr

    got = receiver.records()
    assert all(r["verified"] for r in got)
    delivered = Counter((r["path"], r["id"]) for r in got)
    assert set(delivered) == expected  # every (event, follower) at least once
    assert sum(delivered.values()) - len(expected) <= BATCH  # at most the batch in flight twice
    processed = Counter((r["path"], r["id"]) for r in got if not r["duplicate"])
    assert set(processed.values()) == {1}  # deduplicated by event id: each exactly once
    if point.startswith("before_send"):
        assert sent_before <= 4  # the 5th was never sent; others may have been in flight
    else:
        assert sent_before >= 3 and max(delivered.values()) == 2  # sent, not recorded: again
    catalog = Catalog.open(where)
    try:
        assert states(catalog.db) == {"delivered": len(expected)}
    finally:
        catalog.close()
