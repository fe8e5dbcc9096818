"""The `linernotes` command: who made this record, and how to reach them."""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import click
from rich.console import Console
from rich.progress import Progress

from linernotes import __version__, settings
from linernotes.cli import as_json, render
from linernotes.cli.pick import pick
from linernotes.demo.build import build_demo
from linernotes.normalize.records import EntityKind
from linernotes.resolve import explain
from linernotes.search import identifiers, names, sync
from linernotes.store import read_credits, read_names, read_people, read_producers
from linernotes.store.catalog import Catalog, is_url, shown
from linernotes.store.db import Database
from linernotes.store.views import EntitySummary


@dataclass
class Context:
    where: Path | str  # a SQLite file, or a PostgreSQL URL
    _catalog: Catalog | None = None

    @property
    def catalog(self) -> Catalog:
        if self._catalog is None:
            self._catalog = open_catalog(self.where)
        return self._catalog

    def close(self) -> None:
        if self._catalog is not None:
            self._catalog.close()
            self._catalog = None

    @property
    def shown(self) -> str:
        return shown(self.where)


def open_catalog(where: Path | str) -> Catalog:
    """Open (and migrate) the catalog; build the demo on first use when it is empty."""
    try:
        catalog = Catalog.open(where)
    except ConnectionError as error:
        raise click.ClickException(str(error)) from None
    if catalog.is_empty() and settings.demo_enabled():
        err = Console(stderr=True)
        started = time.perf_counter()
        with err.status("Building the demo catalog (first use)..."):
            build_demo(catalog)
        took = time.perf_counter() - started
        err.print(f"[dim]Built the demo catalog in {took:.1f} s at {shown(where)}[/]")
    return catalog


console = Console(highlight=False)
json_option = click.option("--json", "as_json_", is_flag=True, help="Print JSON for scripts.")
id_option = click.option("--id", "entity_id", type=int, help="Choose by catalog id (see lists).")


def emit_json(value: Any) -> None:
    click.echo(as_json.dumps(value))


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="linernotes")
@click.option(
    "--db",
    "db",
    metavar="PATH|URL",
    help="Catalog to use: a SQLite file or a postgresql:// URL (default: "
    "LINERNOTES_DATABASE_URL, then LINERNOTES_DATABASE, then LINERNOTES_HOME/catalog.sqlite3).",
)
@click.pass_context
def cli(ctx: click.Context, db: str | None) -> None:
    """Who made this record, and how to reach them: credits by role, with their sources."""
    where: Path | str = settings.database_location()
    if db:
        where = db if is_url(db) else Path(db)
    ctx.obj = Context(where)
    ctx.call_on_close(ctx.obj.close)


@cli.command()
@click.argument("query")
@click.option(
    "--kind",
    type=click.Choice(["artist", "release", "recording"]),
    multiple=True,
    help="Only these kinds (repeatable).",
)
@click.option("--limit", default=10, show_default=True, help="Hits per kind.")
@click.option(
    "--live/--no-live",
    default=True,
    help="When nothing in the catalog answers QUERY, look it up at the live sources"
    " (as `linernotes lookup`; needs LINERNOTES_LOOKUPS on).",
)
@json_option
@click.pass_obj
def search(
    obj: Context, query: str, kind: tuple[str, ...], limit: int, live: bool, as_json_: bool
) -> None:
    """Artists, people, albums and songs matching QUERY (any case, accents or punctuation);
    "title artist" words find that artist's songs and albums."""
    if not query.strip():
        raise click.UsageError("type something to search for")
    db = obj.catalog.db
    by_identifier = identifiers.lookup(db, query)
    if by_identifier is not None:
        _identifier_hits(db, query, by_identifier, as_json_)
        return
    kinds = [EntityKind(k) for k in kind] or list(EntityKind)
    ensure_index(db)
    if live and not as_json_ and kinds != [EntityKind.ARTIST] and not names.answers(db, query):
        from linernotes.cli.commands_lookup import look_up_words  # it builds on this module

        if look_up_words(obj, query):
            return
    groups = names.search(db, kinds, query, limit)
    if as_json_:
        emit_json(groups)
        return
    if not any(groups.values()):
        raise click.ClickException(f"Nothing matches {query!r}, even allowing for typos.")
    render.candidates(console, groups)


def ensure_index(db: Database) -> None:
    """Build the search index with a progress bar when it is missing (first use, new schema)."""
    if sync.is_current(db) or sync.index_path(db) is None:
        return
    err = Console(stderr=True)
    with Progress(console=err, transient=True) as progress:
        task = progress.add_task("building the search index", total=None)
        sync.rebuild(db, lambda done, total: progress.update(task, completed=done, total=total))


def _identifier_hits(
    db: Database, query: str, hits: list[identifiers.IdentifierHit], as_json_: bool
) -> None:
    """An ISRC, barcode or link names its entity directly; nothing found is said plainly."""
    groups: dict[str, list[EntitySummary]] = {}
    for hit in hits:
        groups.setdefault(hit.kind.value, []).append(
            read_names.summary(db, hit.kind, hit.entity_id)
        )
    if as_json_:
        emit_json({"matched_by": hits[0].how if hits else None, **groups})
        return
    if not hits:
        what = identifiers.recognise(query)
        raise click.ClickException(
            f"Nothing in the catalog has the {what.label if what else query}."
        )
    console.print(f"Found by {hits[0].how}:", style="dim")
    render.candidates(console, groups)


@cli.command()
@click.argument("artist", default="")
@id_option
@click.option("--limit", default=40, show_default=True, help="Rows to show (0: all).")
@json_option
@click.pass_obj
def producers(obj: Context, artist: str, entity_id: int | None, limit: int, as_json_: bool) -> None:
    """Every producer behind ARTIST's songs, most songs first, with their handles."""
    db = obj.catalog.db
    found = pick(db, EntityKind.ARTIST, artist, entity_id=entity_id)
    if as_json_:
        emit_json(read_producers.producers(db, found.id))
    else:
        render.producers(console, read_producers.producers(db, found.id, limit or None))


@cli.command()
@click.argument("title", default="")
@click.option(
    "--album",
    "album",
    is_flag=True,
    help="TITLE is an album: release-level credits first, then each track's.",
)
@click.option("--by", "by", help="Only songs or albums by this artist.")
@click.option(
    "--sources",
    "show_sources",
    is_flag=True,
    help="Show each source's record id, role text and date.",
)
@id_option
@json_option
@click.pass_obj
def credits(
    obj: Context,
    title: str,
    album: bool,
    by: str | None,
    show_sources: bool,
    entity_id: int | None,
    as_json_: bool,
) -> None:
    """Full credits of a song (or, with --album, of an album), grouped by role family."""
    db = obj.catalog.db
    kind = EntityKind.RELEASE if album else EntityKind.RECORDING
    found = pick(db, kind, title, entity_id=entity_id, by=by)
    if album:
        answer_release = read_credits.release_credits(db, found.id)
        if as_json_:
            emit_json(answer_release)
        else:
            render.release(console, answer_release, show_sources)
        return
    answer = read_credits.recording_credits(db, found.id)
    if as_json_:
        emit_json(answer)
    else:
        render.recording(console, answer, show_sources)


@cli.command()
@click.argument("name", default="")
@id_option
@json_option
@click.pass_obj
def person(obj: Context, name: str, entity_id: int | None, as_json_: bool) -> None:
    """A person's credits by role and year, top collaborators and handles."""
    db = obj.catalog.db
    found = pick(db, EntityKind.ARTIST, name, entity_id=entity_id)
    answer = read_people.person(db, found.id)
    why = explain.identity(db, found.id)  # which source records are this person, and why
    if as_json_:
        emit_json({**as_json.plain(answer), "identity": why})
    else:
        render.person(console, answer)
        render.identity_lines(console, why)


@cli.command()
@click.argument("name", default="")
@id_option
@click.option("--evidence", is_flag=True, help="Show each source's note and quote.")
@json_option
@click.pass_obj
def handle(obj: Context, name: str, entity_id: int | None, evidence: bool, as_json_: bool) -> None:
    """NAME's social handles, one per line, strongest evidence first."""
    db = obj.catalog.db
    found = pick(db, EntityKind.ARTIST, name, entity_id=entity_id)
    views = read_people.handles(db, [found.id]).get(found.id, [])
    if as_json_:
        emit_json({"artist": found, "handles": views})
    else:
        render.handles(console, views, found.name, detailed=evidence)
