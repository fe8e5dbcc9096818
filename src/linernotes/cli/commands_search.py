"""`linernotes index`: the search index's state, and rebuilding it by hand."""

from __future__ import annotations

import time

import click
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

from linernotes.cli.app import Context, cli, console, emit_json, json_option
from linernotes.search import sync


@cli.group("index")
def index_group() -> None:
    """The search index over names, aliases and titles (kept in step with the catalog)."""


@index_group.command("rebuild")
@click.pass_obj
def index_rebuild(obj: Context) -> None:
    """Index every artist, album and song again, with a progress bar."""
    db = obj.catalog.db
    err = Console(stderr=True)
    started = time.perf_counter()
    columns = (
        TextColumn("indexing"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeRemainingColumn(),
    )
    with Progress(*columns, console=err, transient=True) as progress:
        task = progress.add_task("indexing", total=None)
        index = sync.rebuild(
            db, lambda done, total: progress.update(task, completed=done, total=total)
        )
    err.print(
        f"Indexed {index.num_docs():,} names in {time.perf_counter() - started:.1f} s"
        f" at {index.path or 'memory'}"
    )


@index_group.command("status")
@json_option
@click.pass_obj
def index_status(obj: Context, as_json_: bool) -> None:
    """Where the index is, how many names it holds, and how many changes wait for it."""
    db = obj.catalog.db
    status = sync.status(db)
    if as_json_:
        emit_json(status)
        return
    for label, value in status.items():
        console.print(f"{label:>10}: {value}")
