"""`linernotes db`: the catalog's database itself: migrations, status, copying between backends."""

from __future__ import annotations

import secrets
import sqlite3
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import click
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn
from rich.table import Table

from linernotes.cli.app import Context, cli, console, emit_json, json_option
from linernotes.search import sync
from linernotes.store import copy, digest
from linernotes.store.catalog import Catalog, is_url, shown
from linernotes.store.db import Database, SQLiteDatabase
from linernotes.store.migrate import available, migrate


@cli.group("db")
def db_group() -> None:
    """The catalog's database: apply migrations, see its state, copy it to another backend."""


# -- opening -----------------------------------------------------------------------------------


def _location(text: str) -> Path | str:
    return text if is_url(text) else Path(text)


def _connect(where: Path | str) -> Database:
    """The database as it is: not migrated (`db migrate` and `db status` say what is pending)."""
    if is_url(where):
        from linernotes.store.postgres import PostgresDatabase  # psycopg only when used

        try:
            return PostgresDatabase(str(where))
        except ConnectionError as error:
            raise click.ClickException(str(error)) from None
    try:
        return SQLiteDatabase(where)
    except sqlite3.Error as error:
        raise click.ClickException(f"cannot open {where}: {error}") from None


def _open(where: Path | str) -> Catalog:
    """Open and migrate a catalog, never building the demo into it (unlike other commands)."""
    try:
        return Catalog.open(where)
    except ConnectionError as error:
        raise click.ClickException(str(error)) from None
    except sqlite3.Error as error:
        raise click.ClickException(f"cannot open {where}: {error}") from None


def _exists(where: Path | str, param: str) -> None:
    """A SQLite catalog must be there already: opening a missing file would make an empty one."""
    if not is_url(where) and not Path(where).is_file():
        raise click.BadParameter(f"no SQLite catalog at {where}", param_hint=param)


# -- migrate -----------------------------------------------------------------------------------


@db_group.command("migrate")
@json_option
@click.pass_obj
def db_migrate(obj: Context, as_json_: bool) -> None:
    """Apply the migrations the catalog has not had yet.

    A new catalog (a missing SQLite file, an empty PostgreSQL database) gets them all. Other
    commands apply them too when they open the catalog; this one says which."""
    db = _connect(obj.where)
    try:
        newly = migrate(db)
        total = len(available(db.dialect))
    finally:
        db.close()
    if as_json_:
        emit_json(
            {
                "database": obj.shown,
                "backend": db.dialect,
                "applied": [{"version": m.version, "name": m.name} for m in newly],
                "migrations": total,
            }
        )
        return
    if not newly:
        console.print(f"{obj.shown} is up to date ({total} migrations applied).")
        return
    console.print(f"Applied {len(newly)} of {total} migrations to {obj.shown}:")
    for migration in newly:
        console.print(f"  {migration.version:04d} {migration.name}")


# -- digests -----------------------------------------------------------------------------------


@db_group.command("digest")
@click.option(
    "--least",
    default=digest.DIGEST_FROM,
    show_default=True,
    type=click.IntRange(min=1),
    help="Credits a person must have.",
)
@json_option
@click.pass_obj
def db_digest(obj: Context, least: int, as_json_: bool) -> None:
    """Count ahead the top collaborators of much-credited people (after a bulk load).

    Their person pages then answer at once instead of counting on the first visit; a digest
    is made stale by any change to the person's songs, and counted again by the worker."""
    db = obj.catalog.db
    started = time.perf_counter()
    with Progress(
        TextColumn("counting collaborators"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeRemainingColumn(),
        console=Console(stderr=True),
        transient=True,
    ) as progress:
        task = progress.add_task("digests", total=None)
        made = digest.make_all(
            db, least, lambda done, total: progress.update(task, completed=done, total=total)
        )
    seconds = round(time.perf_counter() - started, 1)
    if as_json_:
        emit_json({"made": made, "least": least, "seconds": seconds})
        return
    console.print(
        f"Counted the top collaborators of {made} people with {least}+ credits in {seconds} s."
    )


# -- status ------------------------------------------------------------------------------------


@db_group.command("status")
@json_option
@click.pass_obj
def db_status(obj: Context, as_json_: bool) -> None:
    """Backend, location, migrations and the rows in every table.

    Changes nothing: pending migrations are listed, not applied (see `db migrate`)."""
    _exists(obj.where, "--db")
    db = _connect(obj.where)
    try:
        state = _status(db, obj.shown)
    finally:
        db.close()
    if as_json_:
        emit_json(state)
        return
    console.print(f"Backend:    {state['backend']}")
    console.print(f"Database:   {state['database']}")
    done, pending = state["migrations"]["applied"], state["migrations"]["pending"]
    latest = f" (latest {done[-1]['version']:04d} {done[-1]['name']})" if done else ""
    console.print(f"Migrations: {len(done)} applied{latest}, {len(pending) or 'none'} pending")
    for migration in pending:
        console.print(f"  pending {migration['version']:04d} {migration['name']}")
    console.print("Tables:")
    width = max((len(name) for name in state["tables"]), default=0)
    for name, rows in state["tables"].items():
        console.print(f"  {name:<{width}} {rows:>12,}")


def _status(db: Database, where: str) -> dict[str, Any]:
    counts = copy.counts(db)
    done: list[dict[str, Any]] = []
    if "schema_migration" in counts:
        done = [
            {"version": int(v), "name": str(n), "applied_at": str(at)}
            for v, n, at in db.execute(
                "SELECT version, name, applied_at FROM schema_migration ORDER BY version"
            )
        ]
    versions = {m["version"] for m in done}
    pending = [
        {"version": m.version, "name": m.name}
        for m in available(db.dialect)
        if m.version not in versions
    ]
    return {
        "backend": db.dialect,
        "database": where,
        "migrations": {"applied": done, "pending": pending},
        "tables": counts,
    }


# -- copy --------------------------------------------------------------------------------------


@db_group.command("copy")
@click.argument("source")
@click.argument("target")
@click.option("--replace", is_flag=True, help="Replace what TARGET holds (else it must be empty).")
@json_option
def db_copy(source: str, target: str, replace: bool, as_json_: bool) -> None:
    """Copy a catalog to another place, then check both hold the same rows.

    SOURCE and TARGET are SQLite files or postgresql:// URLs; both are migrated first. TARGET
    must hold no catalog unless --replace. It is written in one transaction: all or nothing.
    Its search index is built on first search."""
    source_at, target_at = _location(source), _location(target)
    _exists(source_at, "SOURCE")
    if _same_file(source_at, target_at):
        raise click.BadParameter(f"{shown(target_at)} is SOURCE itself", param_hint="TARGET")
    new_file = not is_url(target_at) and not Path(target_at).exists()
    copied = False
    try:
        found, seconds = _copy_between(source_at, target_at, replace)
        copied = True
    finally:
        if new_file and not copied:  # leave no empty catalog behind a failed copy
            for suffix in ("", "-wal", "-shm"):
                Path(f"{target_at}{suffix}").unlink(missing_ok=True)
    _report(found, shown(source_at), shown(target_at), seconds, as_json_)


def _copy_between(
    source_at: Path | str, target_at: Path | str, replace: bool
) -> tuple[list[copy.TableCount], float]:
    src = _open(source_at)
    try:
        dst = _open(target_at)
        try:
            if _same_database(src.db, dst.db):
                raise click.BadParameter(
                    f"{shown(target_at)} is the same database as SOURCE", param_hint="TARGET"
                )
            copied = _copy_with_progress(src.db, dst.db, shown(target_at), replace)
            _forget_index(dst.db)
            return copied
        finally:
            dst.close()
    finally:
        src.close()


def _copy_with_progress(
    source: Database, target: Database, target_name: str, replace: bool
) -> tuple[list[copy.TableCount], float]:
    err = Console(stderr=True)
    columns = (TextColumn("copying"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn())
    started = time.perf_counter()
    try:
        with Progress(*columns, console=err, transient=True) as progress:
            task = progress.add_task("copying", total=None)
            found = copy.copy_catalog(
                source,
                target,
                target_name=target_name,
                replace=replace,
                progress=lambda done, total: progress.update(task, completed=done, total=total),
            )
    except copy.CountsDiffer as error:
        console.print(_counts_table(error.counts, "source", "target"))
        raise click.ClickException(str(error)) from None
    except copy.CopyError as error:
        raise click.ClickException(str(error)) from None
    return found, time.perf_counter() - started


def _report(
    found: list[copy.TableCount], source: str, target: str, seconds: float, as_json_: bool
) -> None:
    rows = sum(c.source for c in found)
    if as_json_:
        emit_json(
            {
                "source": source,
                "target": target,
                "seconds": round(seconds, 3),
                "rows": rows,
                "same": all(c.same for c in found),
                "tables": [
                    {"table": c.table, "source": c.source, "target": c.target} for c in found
                ],
            }
        )
        return
    console.print(_counts_table(found, source, target))
    console.print(
        f"Same counts in all {len(found)} tables: {rows:,} rows copied to {target}"
        f" in {seconds:.1f} s. Its search index is built on first search."
    )


def _counts_table(found: Sequence[copy.TableCount], a: str, b: str) -> Table:
    table = Table("table", a, b, "", box=None, header_style="bold")
    for c in found:
        differs = "" if c.same else "[red]differs[/]"
        table.add_row(c.table, f"{c.source:,}", f"{c.target:,}", differs)
    return table


def _same_file(a: Path | str, b: Path | str) -> bool:
    if is_url(a) or is_url(b):
        return False
    return Path(a).resolve() == Path(b).resolve()


def _same_database(a: Database, b: Database) -> bool:
    """Two URLs may name one database (another host name, a socket or TCP): ask the server
    whether the target's connection can see the source's, tagged with a random name."""
    if a.dialect != "postgresql" or b.dialect != "postgresql":
        return False
    tag = f"linernotes-copy-{secrets.token_hex(8)}"
    a.execute(f"SET application_name = '{tag}'")
    row = a.one("SELECT pg_backend_pid()")
    seen = b.one(
        "SELECT 1 FROM pg_stat_activity"
        " WHERE pid = ? AND application_name = ? AND datname = current_database()",
        (row[0] if row else 0, tag),
    )
    return seen is not None


def _forget_index(db: Database) -> None:
    """The target's search index, if it had one, describes what it held before: drop its stamp
    so the next search builds it again from the copied rows."""
    path = sync.index_path(db)
    if path is not None:
        (path / sync.STAMP).unlink(missing_ok=True)
