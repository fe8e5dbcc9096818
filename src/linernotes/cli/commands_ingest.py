"""`linernotes ingest`: load sources into the catalog, with progress and a summary.

Every ingest is idempotent (records unchanged since the last run are skipped) and resumable
(an interrupted run continues after the last committed batch).
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from functools import partial
from pathlib import Path

import click
from rich.console import Console
from rich.progress import (
    BarColumn,
    Progress,
    ProgressColumn,
    SpinnerColumn,
    Task,
    TaskID,
    TaskProgressColumn,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)
from rich.text import Text

from linernotes.cli.app import Context, cli
from linernotes.cli.commands_identity import summarize as identity_summary
from linernotes.ingest import dumps, live, readers, saved_files
from linernotes.ingest.pipeline import IngestReport, Item, Stream, ingest
from linernotes.normalize.genius import SNAPSHOT_RETRIEVED
from linernotes.resolve.run import resolve
from linernotes.sources.http import HttpClient, SourceError
from linernotes.store.db import now_iso

FILES = click.Path(exists=True, dir_okay=False, path_type=Path)


@cli.group("ingest")
def ingest_group() -> None:
    """Load sources into the catalog (idempotent; resumes after an interruption)."""


@ingest_group.command("genius-snapshot")
@click.argument("folder", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.pass_obj
def ingest_snapshot(obj: Context, folder: Path) -> None:
    """The genius-2017 snapshot: artists.jsonl, songs.jsonl, chart_entries.jsonl (.gz too)."""
    streams: list[Stream] = []
    for name, reader in (
        ("artists", readers.snapshot_artists),
        ("songs", readers.snapshot_songs),
        ("chart_entries", readers.snapshot_charts),
    ):
        path = _find(folder, name)
        if path:
            streams.append(reader(path))
    if not streams:
        raise click.ClickException(
            f"{folder} holds none of artists.jsonl, songs.jsonl, chart_entries.jsonl"
        )
    run_streams(obj, streams)


def _find(folder: Path, stem: str) -> Path | None:
    for candidate in (
        folder / f"{stem}.jsonl",
        folder / f"{stem}.jsonl.gz",
        folder / f"genius-2017-{stem}.jsonl.gz",
    ):
        if candidate.exists():
            return candidate
    return None


@ingest_group.command("genius")
@click.argument("files", nargs=-1, required=True, type=FILES)
@click.pass_obj
def ingest_genius(obj: Context, files: tuple[Path, ...]) -> None:
    """Saved Genius API responses: GET /songs/:id and GET /artists/:id bodies (.json or .gz)."""
    run_streams(obj, [readers.genius_api_files(list(files), SNAPSHOT_RETRIEVED)])


@ingest_group.command("handles")
@click.argument("file", type=FILES)
@click.pass_obj
def ingest_handles(obj: Context, file: Path) -> None:
    """A handles evidence file: JSON lines of name, platform, handle, evidence_kind, quote."""
    run_streams(obj, [readers.handles_file(file)])


@ingest_group.command("discogs-dump")
@click.argument("files", nargs=-1, required=True, type=FILES)
@click.pass_obj
def ingest_discogs_dump(obj: Context, files: tuple[Path, ...]) -> None:
    """Discogs monthly XML dumps (releases, artists, masters; .xml.gz), streamed.

    Give artists before releases: releases then find the artists they credit."""
    try:
        streams = [dumps.discogs(path) for path in files]
    except ValueError as err:
        raise click.ClickException(str(err)) from None
    run_streams(obj, streams)


@ingest_group.command("musicbrainz-dump")
@click.argument("file", type=FILES)
@click.option(
    "--entity",
    type=click.Choice(["artist", "recording", "release"]),
    required=True,
    help="Which mbdump/<entity> member of the archive to read.",
)
@click.pass_obj
def ingest_musicbrainz_dump(obj: Context, file: Path, entity: str) -> None:
    """A MusicBrainz JSON dump (.tar.xz), read line by line without unpacking to disk."""
    run_streams(obj, [dumps.musicbrainz(file, entity)])


@ingest_group.command("discogs")
@click.argument("files", nargs=-1, required=True, type=FILES)
@click.pass_obj
def ingest_discogs(obj: Context, files: tuple[Path, ...]) -> None:
    """Saved Discogs API responses (releases_<id>, artists_<id>, masters_<id>)."""
    run_streams(obj, [saved_files.discogs_files(list(files), now_iso())])


@ingest_group.command("musicbrainz")
@click.argument("files", nargs=-1, required=True, type=FILES)
@click.pass_obj
def ingest_musicbrainz(obj: Context, files: tuple[Path, ...]) -> None:
    """Saved MusicBrainz ws/2 JSON lookups (recording*, release*, artist* file names)."""
    run_streams(obj, [saved_files.musicbrainz_files(list(files), now_iso())])


@ingest_group.command("spotify")
@click.argument("files", nargs=-1, required=True, type=FILES)
@click.pass_obj
def ingest_spotify(obj: Context, files: tuple[Path, ...]) -> None:
    """Saved Spotify Web API responses (tracks, albums, artists): ids, ISRCs, UPCs, dates.

    Spotify has no credits: it is the bridge for identifiers, not a source of credits."""
    run_streams(obj, [saved_files.spotify_files(list(files), now_iso())])


@ingest_group.command("wikidata")
@click.argument("files", nargs=-1, required=True, type=FILES)
@click.pass_obj
def ingest_wikidata(obj: Context, files: tuple[Path, ...]) -> None:
    """Saved Wikidata entities (Special:EntityData/Q….json): cross-links and handles."""
    run_streams(obj, [saved_files.wikidata_files(list(files))])


@ingest_group.command("billboard")
@click.argument("files", nargs=-1, required=True, type=FILES)
@click.pass_obj
def ingest_billboard(obj: Context, files: tuple[Path, ...]) -> None:
    """Billboard Hot 100 weekly chart JSON files."""
    run_streams(obj, [saved_files.billboard_files(list(files))])


@ingest_group.command("credit-sheet")
@click.argument("files", nargs=-1, required=True, type=FILES)
@click.option("--number-ones", is_flag=True, help="The files use the number-ones sheet layout.")
@click.pass_obj
def ingest_credit_sheet(obj: Context, files: tuple[Path, ...], number_ones: bool) -> None:
    """Credit sheets (CSV or JSON lines; docs/credit-sheets.md gives the columns)."""
    if number_ones:
        run_streams(obj, [saved_files.number_ones(path) for path in files])
    else:
        run_streams(obj, [saved_files.credit_sheets(list(files), now_iso())])


# -- running, with progress and a summary -----------------------------------------------------


def run_streams(obj: Context, streams: list[Stream]) -> list[IngestReport]:
    err = Console(stderr=True, highlight=False)
    reports: list[IngestReport] = []
    for stream in streams:
        started = time.perf_counter()
        with _progress(err) as progress:
            total = 100.0 if stream.progress else None
            task = progress.add_task(stream.name, total=total, items=0)
            counted = Stream(
                stream.name,
                stream.fingerprint,
                partial(_counting, stream, progress, task),
                stream.progress,
            )
            report = ingest(obj.catalog.db, counted)
        summarize(err, report, time.perf_counter() - started)
        reports.append(report)
    if any(r.written for r in reports):
        # New records are resolved against the catalog as they arrive: who is who across sources.
        identity_summary(err, resolve(obj.catalog.db))
    return reports


def _counting(
    stream: Stream, progress: Progress, task: TaskID, after: int
) -> Iterator[tuple[int, Item]]:
    """The stream's items, moving the bar: by share of the input read where the stream can tell
    (an ETA follows), else by items."""
    for items, numbered in enumerate(stream.items(after), start=1):
        done = stream.progress() if stream.progress else None
        completed = items if stream.progress is None else 100 * (done or 0.0)
        progress.update(task, completed=completed, items=items)
        yield numbered


class ItemsPerSecond(ProgressColumn):
    """Items read and their rate, whatever the bar measures."""

    def render(self, task: Task) -> Text:
        items = int(task.fields.get("items", 0))
        rate = items / task.elapsed if task.elapsed else 0.0
        return Text(f"{items:,} items  {rate:,.0f}/s", style="cyan")


def _progress(err: Console) -> Progress:
    return Progress(
        SpinnerColumn(),
        TextColumn("[bold]{task.description}"),
        BarColumn(),
        TaskProgressColumn(),
        ItemsPerSecond(),
        TimeElapsedColumn(),
        TimeRemainingColumn(),
        console=err,
        transient=True,
    )


def summarize(err: Console, report: IngestReport, seconds: float) -> None:
    if report.already_done:
        err.print(f"{report.stream}: already ingested, nothing changed")
        return
    rate = report.read / seconds if seconds > 0 else 0.0
    err.print(
        f"[bold]{report.stream}[/]: {report.read} records read in {seconds:.1f} s "
        f"({rate:,.0f}/s): {report.written - report.updated} new, {report.updated} updated, "
        f"{report.unchanged} unchanged; credits {report.credits_added} added, "
        f"{report.credits_retracted} retracted; {report.rejected} rejected"
        + (f"; resumed after item {report.resumed_from}" if report.resumed_from else "")
    )
    for kind, n in report.problem_counts.most_common():
        examples = [p for p in report.problems if p.kind == kind][:3]
        err.print(f"  {n} x {kind}, e.g.:")
        for p in examples:
            err.print(f"    {p.locator}: {p.message}", style="yellow", markup=False)
    if report.unmapped_roles:
        err.print(
            "  unknown roles kept as written: "
            + ", ".join(f"{raw!r} x{n}" for raw, n in report.unmapped_roles.most_common(10)),
            markup=False,
        )


# -- live: fetch by id or link through the HTTP layer -----------------------------------------


def http_client() -> HttpClient:
    """The client live ingests use (tests point it at recorded responses)."""
    return HttpClient()


@ingest_group.command("fetch")
@click.argument("source", type=click.Choice(sorted(live.SOURCES)))
@click.argument("kind")
@click.argument("keys", nargs=-1, required=True)
@click.pass_obj
def ingest_fetch(obj: Context, source: str, kind: str, keys: tuple[str, ...]) -> None:
    """Fetch records live by id: e.g. `genius song 2872960`, `discogs release 9343063`,
    `musicbrainz recording MBID`, `spotify album ID`, `wikidata entity Q2831`."""
    kinds, _ = live.SOURCES[source]
    if kind not in kinds:
        raise click.BadParameter(f"{source} can fetch {', '.join(kinds)}", param_hint="KIND")
    with http_client() as http:
        run_streams(obj, [live.stream(http, [live.Target(source, kind, k) for k in keys])])


@ingest_group.command("url")
@click.argument("urls", nargs=-1, required=True)
@click.option("--whole-album", is_flag=True, help="For a Genius song link: ingest its album.")
@click.pass_obj
def ingest_url(obj: Context, urls: tuple[str, ...], whole_album: bool) -> None:
    """Fetch records live from pasted links (Genius, MusicBrainz, Discogs, Spotify, Wikidata)."""
    with http_client() as http:
        targets = [_target(http, url, whole_album) for url in urls]
        run_streams(obj, [live.stream(http, targets)])


def _target(http: HttpClient, url: str, whole_album: bool) -> live.Target:
    try:
        target = live.parse_url(url) or live.genius_song_for_page(http, url)
        if target and whole_album:
            target = live.album_of_song(http, target) or target
    except SourceError as err:
        raise click.ClickException(f"{url}: {err}") from None
    if target is None:
        raise click.BadParameter(
            f"{url!r} is not a link to a record of a known source", param_hint="URL"
        )
    return target
