"""Work shared by worker processes: every item is run once, by one worker, whatever the backend."""

from __future__ import annotations

import subprocess
import sys
import threading
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from backends import NewCatalog
from canonical import contents
from conftest import Cli
from linernotes.store import work_queue
from linernotes.store.catalog import Catalog
from test_musicbrainz_dump import RECORDINGS, build_dump, dump_lines

CLI = "from linernotes.cli.main import main; main()"


def test_claims_at_once_never_take_the_same_item(new_catalog: NewCatalog) -> None:
    where = new_catalog("queue")
    setup = Catalog.open(where)
    added = [work_queue.add(setup.db, "ingest", ["discogs-dump", f"f{i}.xml"]) for i in range(40)]
    setup.close()
    taken: list[list[int]] = [[], [], [], []]

    def drain(mine: list[int]) -> None:
        catalog = Catalog.open(where)  # a connection of its own, as a worker process has
        while (item := work_queue.claim(catalog.db, "ingest", "w")) is not None:
            mine.append(item.id)
        catalog.close()

    threads = [threading.Thread(target=drain, args=(t,)) for t in taken]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    everything = [i for mine in taken for i in mine]
    assert sorted(everything) == added  # each item once, none lost


def test_a_failed_item_is_retried_then_kept_with_its_error(empty: Catalog) -> None:
    db = empty.db
    work_queue.add(db, "ingest", ["discogs-dump", "missing.xml"])
    for attempt in range(1, work_queue.MAX_ATTEMPTS + 1):
        item = work_queue.claim(db, "ingest", "w")
        assert item is not None and item.attempts == attempt
        work_queue.finish(db, item, "FileNotFoundError: missing.xml")
    assert work_queue.claim(db, "ingest", "w") is None
    assert work_queue.counts(db, "ingest")["failed"] == 1
    assert work_queue.items(db, "ingest")[0]["error"] == "FileNotFoundError: missing.xml"


def test_an_item_left_running_by_a_dead_worker_is_taken_back(empty: Catalog) -> None:
    db = empty.db
    work_queue.add(db, "ingest", ["handles", "h.jsonl"])
    assert work_queue.claim(db, "ingest", "died") is not None
    later = datetime.now(UTC) + timedelta(minutes=61)
    assert work_queue.requeue_stale(db, timedelta(minutes=60), now=datetime.now(UTC)) == 0
    assert work_queue.requeue_stale(db, timedelta(minutes=60), now=later) == 1
    item = work_queue.claim(db, "ingest", "alive")
    assert item is not None and item.attempts == 2


def test_queue_add_refuses_what_is_not_an_ingest(new_catalog: NewCatalog) -> None:
    result = Cli(new_catalog("c"))("queue", "add", "sing-a-song", "x", ok=False)
    assert result.exit_code == 2
    assert "'sing-a-song' is not an ingest command" in result.output


@pytest.mark.slow
def test_two_workers_share_the_queue_and_build_the_sequential_catalog(
    tmp_path: Path, new_catalog: NewCatalog, monkeypatch: pytest.MonkeyPatch
) -> None:
    dumps = []
    for n in range(4):  # four dumps of different recordings
        lines = dump_lines(RECORDINGS, 300)[n * 60 : (n + 1) * 60]
        dumps.append(build_dump(tmp_path / f"recording{n}.tar.xz", "recording", lines))
    # Both catalogs start empty, here and in the workers: the first command on an empty catalog
    # would otherwise build the demo in it (twice the demo's build and resolves, for nothing).
    monkeypatch.setenv("LINERNOTES_DEMO", "0")
    expected = new_catalog("sequential")
    for path in dumps:
        Cli(expected)("ingest", "musicbrainz-dump", "--entity", "recording", str(path))
    shared = new_catalog("shared")
    queue = Cli(shared)
    for path in dumps:
        queue("queue", "add", "musicbrainz-dump", "--entity", "recording", str(path))
    workers = [
        subprocess.Popen(
            [sys.executable, "-c", CLI, "--db", str(shared), "worker", "--once", "--name", name],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for name in ("w1", "w2")
    ]
    for process in workers:
        _, err = process.communicate(timeout=600)
        assert process.returncode == 0, err
    status = queue.json("queue", "list")
    assert status["counts"] == {"ready": 0, "running": 0, "done": 4, "failed": 0}
    one, both = Catalog.open(expected), Catalog.open(shared)
    try:
        assert both.counts()["recording"] == one.counts()["recording"] > 0
        assert contents(both.db)["credit"] == contents(one.db)["credit"]
        assert contents(both.db)["external_id"] == contents(one.db)["external_id"]
    finally:
        one.close()
        both.close()
