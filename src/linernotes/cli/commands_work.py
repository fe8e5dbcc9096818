"""`linernotes queue` and `linernotes worker`: ingest work shared by several processes.

`queue add` records an ingest command line; each `worker` claims one item at a time (see
store/work_queue.py for how claims never collide) and runs it as `linernotes ingest ...` would,
on the same catalog. Start as many workers as the machine has cores to spare: parsing runs side
by side, and the catalog's writes take turns batch by batch.
"""

from __future__ import annotations

import os
import socket
import time
from datetime import timedelta

import click
from rich.table import Table

from linernotes.cli.app import Context, cli, console, emit_json, json_option
from linernotes.cli.commands_ingest import ingest_group
from linernotes.store import work_queue

QUEUE = "ingest"


@cli.group("queue")
def queue_group() -> None:
    """Ingest work for `linernotes worker` processes to share."""


@queue_group.command("add", context_settings={"ignore_unknown_options": True})
@click.argument("command", nargs=-1, required=True, type=click.UNPROCESSED)
@click.pass_obj
def queue_add(obj: Context, command: tuple[str, ...]) -> None:
    """Queue an ingest: the arguments `linernotes ingest` would take, e.g.
    `linernotes queue add discogs-dump discogs_20260101_releases.xml.gz`."""
    if command[0] not in ingest_group.commands:
        known = ", ".join(sorted(ingest_group.commands))
        raise click.BadParameter(f"{command[0]!r} is not an ingest command ({known})")
    item = work_queue.add(obj.catalog.db, QUEUE, list(command))
    console.print(f"Queued #{item}: linernotes ingest {' '.join(command)}")


@queue_group.command("list")
@click.option("--limit", default=50, show_default=True, help="How many of the newest items.")
@json_option
@click.pass_obj
def queue_list(obj: Context, limit: int, as_json_: bool) -> None:
    """The newest items and what became of them."""
    db = obj.catalog.db
    found, counts = work_queue.items(db, QUEUE, limit), work_queue.counts(db, QUEUE)
    if as_json_:
        emit_json({"counts": counts, "items": found})
        return
    table = Table("#", "state", "tries", "worker", "command", "error", box=None)
    for item in found:
        payload = item["payload"]
        assert isinstance(payload, list)
        table.add_row(
            str(item["id"]),
            str(item["state"]),
            str(item["attempts"]),
            str(item["worker"]),
            " ".join(payload),
            str(item["error"])[:80],
        )
    console.print(table)
    console.print(", ".join(f"{n} {state}" for state, n in counts.items()))


@cli.command("worker")
@click.option("--name", default="", help="How this worker shows in `queue list` (host:pid).")
@click.option("--once", is_flag=True, help="Stop when the queue is empty instead of waiting.")
@click.option("--poll", default=5.0, show_default=True, help="Seconds between looks when idle.")
@click.option(
    "--stale-after",
    default=60,
    show_default=True,
    help="Minutes after which another worker's unfinished item is taken back (it died).",
)
@click.pass_obj
def worker(obj: Context, name: str, once: bool, poll: float, stale_after: int) -> None:
    """Run queued ingests, one at a time, until stopped (or the queue is empty with --once)."""
    db = obj.catalog.db
    name = name or f"{socket.gethostname()}:{os.getpid()}"
    work_queue.requeue_stale(db, timedelta(minutes=stale_after))
    while True:
        item = work_queue.claim(db, QUEUE, name)
        if item is None:
            if once:
                return
            time.sleep(poll)
            continue
        console.print(f"[{name}] #{item.id}: linernotes ingest {' '.join(item.payload)}")
        work_queue.finish(db, item, _run(obj, item.payload))


def _run(obj: Context, payload: list[str]) -> str:
    """Run one ingest command line on this catalog; its error text, or "" when it succeeded."""
    args = ["--db", str(obj.where), "ingest", *payload]
    try:
        cli.main(args=args, prog_name="linernotes", standalone_mode=False)
    except Exception as error:  # a long-running worker records one item's failure and goes on
        return f"{type(error).__name__}: {error}"
    return ""
