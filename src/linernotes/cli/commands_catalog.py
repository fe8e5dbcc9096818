"""Commands around the catalog: role guides, exports, imports, problems and the worked demo."""

from __future__ import annotations

from pathlib import Path

import click
from rich.console import Console

from linernotes import exports
from linernotes.cli import render
from linernotes.cli.app import Context, cli, console, emit_json, id_option, json_option
from linernotes.cli.pick import pick
from linernotes.normalize.records import EntityKind
from linernotes.normalize.roles import ROLES, find_role
from linernotes.store import read_people, read_producers


def _context(ctx: click.Context) -> Context:
    obj = ctx.find_object(Context)
    assert obj is not None, "the linernotes group sets the context"
    return obj


# -- roles ------------------------------------------------------------------------------------


@cli.group(invoke_without_command=True)
@json_option
@click.pass_context
def roles(ctx: click.Context, as_json_: bool) -> None:
    """The role vocabulary: every role, its family, usual scope and how often it occurs."""
    if ctx.invoked_subcommand:
        return
    counts = read_people.role_counts(_context(ctx).catalog.db)
    if as_json_:
        emit_json(
            [{**_role_dict(r.code), "credits": counts.get(r.code, 0)} for r in ROLES.values()]
        )
        return
    render.role_list(console, ROLES.values(), dict(counts))
    console.print("\n[dim]linernotes roles explain ROLE: what a role means.[/]")


def _role_dict(code: str) -> dict[str, str]:
    role = ROLES[code]
    return {
        "code": role.code,
        "label": role.label,
        "ddex": role.ddex,
        "family": role.family.value,
        "scope": role.scope.value,
        "guide": role.guide,
    }


@roles.command("explain")
@click.argument("role", nargs=-1, required=True)
@json_option
def roles_explain(role: tuple[str, ...], as_json_: bool) -> None:
    """What ROLE means, in plain words ("mixing engineer", "executive producer")."""
    text = " ".join(role)
    found = find_role(text)
    if found is None:
        known = ", ".join(r.label for r in ROLES.values())
        raise click.ClickException(f"No role called {text!r}. Known roles: {known}")
    if as_json_:
        emit_json(_role_dict(found.code))
        return
    console.print(
        f"[bold]{found.label}[/]  [dim]{found.family.value} · usually per "
        f"{found.scope.value} · DDEX {found.ddex}[/]"
    )
    console.print(found.guide)


@roles.command("unmapped")
@json_option
@click.pass_obj
def roles_unmapped(obj: Context, as_json_: bool) -> None:
    """Role texts from sources that no mapping table knows, with counts (kept, never dropped)."""
    counts = read_people.unmapped_roles(obj.catalog.db)
    if as_json_:
        emit_json(dict(counts.most_common()))
        return
    if not counts:
        console.print("Every role text in the catalog maps to a known role.")
    for raw, n in counts.most_common():
        console.print(f"{n:>6}  {raw}")


# -- export -----------------------------------------------------------------------------------


@cli.group()
def export() -> None:
    """Export answers as files (CSV or JSON)."""


@export.command("producers")
@click.argument("artist", default="")
@id_option
@click.option(
    "--format", "fmt", type=click.Choice(["csv", "json"]), default="csv", show_default=True
)
@click.option(
    "--output",
    "-o",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write to this file instead of standard output.",
)
@click.pass_obj
def export_producers(
    obj: Context, artist: str, entity_id: int | None, fmt: str, output: Path | None
) -> None:
    """A contact list of ARTIST's producers: roles, song count, handles and evidence."""
    db = obj.catalog.db
    found = pick(db, EntityKind.ARTIST, artist, entity_id=entity_id)
    answer = read_producers.producers(db, found.id)
    text = exports.producers_csv(answer) if fmt == "csv" else exports.producers_json(answer)
    if output:
        output.write_text(text, encoding="utf-8")
        Console(stderr=True).print(f"Wrote {len(answer.producers)} producers to {output}")
    else:
        click.echo(text, nl=False)


# -- problems and status ----------------------------------------------------------------------


@cli.command()
@click.option("--kind", help="Only problems of this kind (bad_json, unmatched_name, ...).")
@click.option("--limit", default=50, show_default=True)
@json_option
@click.pass_obj
def problems(obj: Context, kind: str | None, limit: int, as_json_: bool) -> None:
    """What was wrong in the imported input, with where it was."""
    rows = obj.catalog.db.execute(
        "SELECT stream, locator, kind, message FROM ingest_problem"
        " WHERE (? IS NULL OR kind = ?) ORDER BY stream, kind, locator LIMIT ?",
        (kind, kind, limit),
    )
    if as_json_:
        emit_json(
            [dict(zip(("stream", "locator", "kind", "message"), r, strict=True)) for r in rows]
        )
        return
    for stream, locator, problem_kind, message in rows:
        console.print(f"[bold]{problem_kind}[/] {stream} {locator}: {message}")
    if not rows:
        console.print("No problems recorded.")


@cli.command()
@json_option
@click.pass_obj
def status(obj: Context, as_json_: bool) -> None:
    """What the catalog holds, and where it is."""
    counts = obj.catalog.counts()
    if as_json_:
        emit_json({"database": str(obj.shown), **counts})
        return
    console.print(f"Catalog: {obj.shown}")
    for table, n in counts.items():
        console.print(f"  {table:<15} {n:>8}")


# -- the worked example (`make run`) ----------------------------------------------------------

TOUR = (
    ("Who produced Drake's songs, with their handles?", "producers", ["Drake", "--limit", "8"]),
    ('Who made "24K Magic"?', "credits", ["24K Magic"]),
    ("How do I reach Bruno Mars?", "handle", ["Bruno Mars"]),
)
NEXT_STEPS = """\
Explore further (prefix with `.venv/bin/` if the virtual environment is not active):
  linernotes search "metro bomin"          artists, people, albums, songs; typos forgiven
  linernotes producers "Kendrick Lamar"    every producer behind an artist's songs
  linernotes credits "Fake Love" --sources each credit with the sources that state it
  linernotes credits --album "More Life"   album credits, then each track's
  linernotes person "Șerban Ghenea"        credits by role and year, collaborators, handles
  linernotes roles explain "executive producer"
  linernotes export producers "Drake" --format csv
  linernotes problems                      what was wrong in the input, and where"""


@cli.command()
@click.pass_context
def demo(ctx: click.Context) -> None:
    """A worked example on the demo catalog: who produced an artist's songs, how to reach them."""
    obj = _context(ctx)
    counts = obj.catalog.counts()
    console.print(
        f"[bold]linernotes[/] demo catalog: {counts['artist']} artists and people, "
        f"{counts['recording']} songs, {counts['credit']} credits "
        f"({obj.shown})\n"
    )
    for question, command, args in TOUR:
        console.rule(
            f"[bold]{question}[/]  [dim]linernotes {command} "
            + " ".join(f'"{a}"' if " " in a else a for a in args)
            + "[/]"
        )
        ctx.invoke(cli.commands[command], **_defaults(command, args))
        console.print()
    console.print(NEXT_STEPS, soft_wrap=True, markup=False)


def _defaults(command: str, args: list[str]) -> dict[str, object]:
    """Parse a tour entry's arguments the way the command line would."""
    cmd = cli.commands[command]
    parsed = cmd.make_context(command, list(args), parent=click.get_current_context())
    return dict(parsed.params)
