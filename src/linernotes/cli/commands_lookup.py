"""`linernotes lookup`: ask the live sources now, with progress per source, then the credits."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import click
from rich.console import Console
from rich.live import Live
from rich.table import Table

from linernotes.cli import commands_ingest, render
from linernotes.cli.app import Context, cli, console, emit_json, json_option
from linernotes.lookup import jobs, service
from linernotes.lookup.request import BadRequest, LookupRequest, known
from linernotes.lookup.run import Runner
from linernotes.store import read_credits
from linernotes.store.db import Database

STATE_STYLES = {
    "done": "green",
    "no match": "yellow",
    "skipped": "dim",
    "cut": "yellow",
    "failed": "red",
}


@cli.command("lookup")
@click.argument("words", nargs=-1)
@click.option("--song", "song", type=int, help="Refresh this song's credits (catalog id).")
@click.option("--album", "album", type=int, help="Refresh this album's credits (catalog id).")
@click.option(
    "--budget", type=click.FloatRange(min=0.1), help="Seconds to spend (default: the setting)."
)
@click.option("--sources", "show_sources", is_flag=True, help="Show each credit's sources.")
@json_option
@click.pass_obj
def lookup(
    obj: Context,
    words: tuple[str, ...],
    song: int | None,
    album: int | None,
    budget: float | None,
    show_sources: bool,
    as_json_: bool,
) -> None:
    """Look a record up at the live sources (Genius, MusicBrainz, Discogs, Spotify) and show its
    credits: WORDS as you would search them ("24k magic bruno mars"), or --song/--album ID to
    refresh a record the catalog has. Sources without a token are skipped with a note."""
    request = _request(" ".join(words), song, album)
    if request.kind:
        try:
            known(obj.catalog.db, request)  # the record to refresh exists
        except BadRequest as err:
            raise click.ClickException(str(err)) from None
    config = service.LookupSettings.from_settings()
    if budget is not None:
        config = replace(config, budget=budget)
    job = _run(obj, request, config)
    _show(obj.catalog.db, job, show_sources, as_json_)


def look_up_words(obj: Context, words: str) -> bool:
    """For `linernotes search` when the catalog has no good hit: look the words up live (when
    look-ups are on) and show what was found; False when nothing was (the search goes on)."""
    config = service.LookupSettings.from_settings()
    try:
        request = LookupRequest(words)
    except BadRequest:
        return False
    if not config.enabled:
        return False
    err = Console(stderr=True, highlight=False)
    err.print(f"Nothing in the catalog answers {words!r}: looking it up at the sources.")
    job = _run(obj, request, config)
    if not job.result:
        _print_statuses(err, job)
        return False
    _show(obj.catalog.db, job, False, False)
    return True


def _run(obj: Context, request: LookupRequest, config: service.LookupSettings) -> jobs.Job:
    """The look-up, with each source's progress on stderr while it runs."""
    db = obj.catalog.db
    err = Console(stderr=True, highlight=False)
    with (
        commands_ingest.http_client() as http,
        Live(_table({}), console=err, transient=True, refresh_per_second=8) as live,
    ):
        runner = Runner(db, lambda _source: http, budget=config.budget)
        return service.look_up(
            db, request, runner, config, on_progress=lambda j: live.update(_table(j.progress))
        )


def _request(words: str, song: int | None, album: int | None) -> LookupRequest:
    try:
        if song is not None or album is not None:
            if words.strip() or (song is not None and album is not None):
                raise BadRequest("give words to look up, or one of --song and --album")
            return LookupRequest(kind="recording" if song else "release", id=song or album or 0)
        return LookupRequest(words)
    except BadRequest as err:
        raise click.UsageError(str(err)) from None


def _table(progress: dict[str, Any]) -> Table:
    table = Table(box=None, show_header=False, pad_edge=False)
    for source, status in progress.items():
        state = str(status.get("state", ""))
        style = STATE_STYLES.get(state, "cyan")
        detail = status.get("found") or status.get("note") or ""
        table.add_row(f"[bold]{source}[/]", f"[{style}]{state}[/]", str(detail))
    return table


def _show(db: Database, job: jobs.Job, show_sources: bool, as_json_: bool) -> None:
    result = job.result
    credits: Any = None
    if result.get("kind") == "recording":
        credits = read_credits.recording_credits(db, int(result["id"]))
    elif result.get("kind") == "release":
        credits = read_credits.release_credits(db, int(result["id"]))
    if as_json_:
        emit_json({"lookup": _job_json(job), "credits": credits})
        return
    _print_statuses(Console(stderr=True, highlight=False), job)
    if credits is None:
        raise click.ClickException(f"No source found {job.request.get('query') or 'the record'!r}.")
    if result["kind"] == "recording":
        render.recording(console, credits, show_sources)
    else:
        render.release(console, credits, show_sources)


def _print_statuses(err: Console, job: jobs.Job) -> None:
    for line in _status_lines(job):
        err.print(line, markup=False)


def _status_lines(job: jobs.Job) -> list[str]:
    lines = []
    for source, status in job.progress.items():
        detail = "; ".join(x for x in (status.get("found"), status.get("note")) if x)
        lines.append(f"{source:>12}: {status.get('state')}" + (f" - {detail}" if detail else ""))
        lines.extend(f"{'':>14}{p}" for p in status.get("problems", []))
    return lines


def _job_json(job: jobs.Job) -> dict[str, Any]:
    return {
        "id": job.id,
        "state": job.state,
        "request": job.request,
        "sources": job.progress,
        "result": {k: v for k, v in job.result.items() if k != "ref"},
        "error": job.error,
    }
