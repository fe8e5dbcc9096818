"""`linernotes queue` and `linernotes worker`: ingest work shared by several processes, and the
notification work (matching changes to follows, deliveries, trending re-checks; watch/worker.py).

`queue add` records an ingest command line; each `worker` claims one item at a time (see
store/work_queue.py for how claims never collide) and runs it as `linernotes ingest ...` would,
on the same catalog. Start as many workers as the machine has cores to spare: parsing runs side
by side, and the catalog's writes take turns batch by batch.
"""

from __future__ import annotations

import os
import socket
from datetime import timedelta

import click
from rich.table import Table

from linernotes.cli.app import Context, cli, console, emit_json, json_option
from linernotes.cli.commands_ingest import ingest_group
from linernotes.store import work_queue
from linernotes.watch import worker as worker_loop

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


WORK = ("ingest", *worker_loop.TASKS)


@cli.command("worker")
@click.option("--name", default="", help="How this worker shows in `queue list` (host:pid).")
@click.option("--once", is_flag=True, help="Stop when nothing is left to do instead of waiting.")
@click.option("--poll", default=5.0, show_default=True, help="Seconds between looks when idle.")
@click.option(
    "--stale-after",
    default=60,
    show_default=True,
    help="Minutes after which another worker's unfinished item is taken back (it died).",
)
@click.option(
    "--only",
    "only",
    multiple=True,
    type=click.Choice(WORK),
    help="Do only this work (repeatable): queued ingests, matching changes to follows,"
    " sending notifications, re-checking trending records, counting again the top"
    " collaborators of much-credited people whose songs changed. Default: all of it.",
)
@click.option("--batch", default=500, show_default=True, help="Deliveries claimed at once.")
@click.option("--threads", default=16, show_default=True, help="Deliveries sent at once.")
@click.pass_obj
def worker(
    obj: Context,
    name: str,
    once: bool,
    poll: float,
    stale_after: int,
    only: tuple[str, ...],
    batch: int,
    threads: int,
) -> None:
    """Run queued ingests and notification work (matching, deliveries, trending re-checks)
    until stopped, or until nothing is left with --once."""
    db = obj.catalog.db
    name = name or f"{socket.gethostname()}:{os.getpid()}"
    chosen = only or WORK
    if "ingest" in chosen:
        work_queue.requeue_stale(db, timedelta(minutes=stale_after))
    tasks = tuple(t for t in chosen if t in worker_loop.TASKS)
    try:
        options = worker_loop.Options(tasks=tasks, batch=batch, threads=threads)
        loop = worker_loop.Worker(db, name, options=options)
    except ValueError as error:  # a bad setting: say which
        raise click.ClickException(str(error)) from None

    def ingest_one() -> bool:
        if "ingest" not in chosen:
            return False
        item = work_queue.claim(db, QUEUE, name)
        if item is None:
            return False
        console.print(f"[{name}] #{item.id}: linernotes ingest {' '.join(item.payload)}")
        work_queue.finish(db, item, _run(obj, item.payload))
        return True

    try:
        loop.run(once=once, idle=poll, report=lambda done: _report(name, done), extra=ingest_one)
    finally:
        loop.close()


def _report(name: str, done: worker_loop.Round) -> None:
    sent = done.deliveries
    parts = []
    if done.matched:
        parts.append(f"{done.matched} notifications")
    if sent.claimed:
        parts.append(f"{sent.delivered} delivered, {sent.failed} failed of {sent.claimed}")
    if done.rechecked:
        parts.append(f"{done.rechecked} trending records re-checked")
    if done.digested:
        parts.append(f"{done.digested} people's top collaborators counted again")
    console.print(f"[{name}] " + "; ".join(parts))


def _run(obj: Context, payload: list[str]) -> str:
    """Run one ingest command line on this catalog; its error text, or "" when it succeeded."""
    args = ["--db", str(obj.where), "ingest", *payload]
    try:
        cli.main(args=args, prog_name="linernotes", standalone_mode=False)
    except Exception as error:  # a long-running worker records one item's failure and goes on
        return f"{type(error).__name__}: {error}"
    return ""
