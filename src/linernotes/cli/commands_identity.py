"""`linernotes identity`: who is one person across the sources, why, and the user's corrections."""

from __future__ import annotations

import click
from rich.console import Console
from rich.progress import Progress

from linernotes.cli.app import Context, cli, console, emit_json, json_option
from linernotes.normalize.records import EntityKind
from linernotes.resolve import explain
from linernotes.resolve.overrides import IdentityError, entity_of, record, refs_of, split_off
from linernotes.resolve.run import Resolved, resolve
from linernotes.search import names
from linernotes.store.merge import merge

ARTIST = EntityKind.ARTIST


@cli.group("identity")
def identity_group() -> None:
    """Which records are one person, why, and your corrections (they outlive re-ingests)."""


@identity_group.command("show")
@click.argument("name")
@json_option
@click.pass_obj
def identity_show(obj: Context, name: str, as_json_: bool) -> None:
    """Every artist named NAME: its source links, why each joined, near matches, namesakes."""
    db = obj.catalog.db
    found = names.find(db, ARTIST, name)
    if not found:
        close = names.suggest(db, ARTIST, name)
        hint = f" Closest names: {'; '.join(close)}" if close else ""
        raise click.ClickException(f"No artist named {name!r}.{hint}")
    views = [explain.identity(db, a.id) for a in found]
    if as_json_:
        emit_json(views)
        return
    for view in views:
        _show(view)


def _show(view: explain.Identity) -> None:
    console.print(f"[bold]{view.name}[/]  [dim](id {view.artist_id})[/]")
    console.print("  linked records:")
    for link in view.links:
        console.print(f"    {link.ref}  [dim]{link.rule}, from {link.source}[/]", markup=True)
    for j in view.joined:
        score = f" {j.score:.2f}" if j.score is not None else ""
        refs = ", ".join(j.refs) or "(no ids)"
        console.print(f"  joined {refs}: [cyan]{j.method}{score}[/] {j.reason}", markup=True)
    for n in view.near:
        console.print(
            f"  [yellow]possible same person[/]: {n.name} (id {n.artist_id}), {n.score:.2f}: "
            f"{n.reason}"
        )
    if view.namesakes:
        others = ", ".join(f"{name} (id {i})" for i, name in view.namesakes)
        console.print(f"  [dim]same name, kept apart: {others}[/]")
    console.print()


@identity_group.command("merge")
@click.argument("ref_a")
@click.argument("ref_b")
@click.option("--note", default="", help="Why (kept with the decision).")
@click.pass_obj
def identity_merge(obj: Context, ref_a: str, ref_b: str, note: str) -> None:
    """Make REF_A and REF_B one artist (references like genius:27835 discogs:61337)."""
    db = obj.catalog.db
    with db.transaction():
        a, b = _entity(obj, ref_a), _entity(obj, ref_b)
        record(db, ARTIST, "merge", ref_a, ref_b, note)
        if a != b:
            keep, drop = sorted((a, b))
            merge(db, ARTIST, keep, drop, f"a user merged {ref_a} and {ref_b}", method="manual")
    console.print(f"Merged {ref_a} and {ref_b}; the decision is kept for every later ingest.")


@identity_group.command("split")
@click.argument("ref")
@click.option("--note", default="", help="Why (kept with the decision).")
@click.pass_obj
def identity_split(obj: Context, ref: str, note: str) -> None:
    """Take REF (and what joined with it) out of its artist, for good."""
    db = obj.catalog.db
    with db.transaction():
        entity_id = _entity(obj, ref)
        stays = sorted(refs_of(db, ARTIST, entity_id) - {ref})
        try:
            new_id = split_off(db, ARTIST, ref)
        except IdentityError as e:
            raise click.ClickException(str(e)) from e
        anchor = next((r for r in stays if entity_of(db, ARTIST, r) == entity_id), None)
        if anchor is None:
            raise click.ClickException(f"nothing of artist {entity_id} stays apart from {ref}")
        record(db, ARTIST, "split", anchor, ref, note)
    console.print(f"{ref} is now artist {new_id}, kept apart from {anchor} from now on.")


def _entity(obj: Context, ref: str) -> int:
    try:
        found = entity_of(obj.catalog.db, ARTIST, ref)
    except IdentityError as e:
        raise click.ClickException(str(e)) from e
    if found is None:
        raise click.ClickException(f"no artist has the reference {ref}")
    return found


@identity_group.command("resolve")
@click.option("--all", "everything", is_flag=True, help="Compare every artist, not just changes.")
@click.pass_obj
def identity_resolve(obj: Context, everything: bool) -> None:
    """Compare new or changed artists (or all of them) and merge those shown to be one."""
    err = Console(stderr=True)
    with Progress(console=err, transient=True) as progress:
        task = progress.add_task("resolving people", total=None)

        def moved(done: int, total: int) -> None:
            progress.update(task, completed=done, total=total)

        report = resolve(obj.catalog.db, everything=everything, progress=moved)
    summarize(err, report)


def summarize(err: Console, resolved: Resolved) -> None:
    people, songs = resolved.people, resolved.recordings
    err.print(
        f"identity: {people.compared} artists looked at, {people.pairs} candidate pairs, "
        f"{people.scored} scored; {people.merged} merged, {people.review} possible same person "
        f"for review, {people.kept_apart} kept apart by a source or a user"
        + (f", {people.overrides} of your decisions applied" if people.overrides else "")
        + f"; songs: {songs.compared} looked at, {songs.merged} merged"
        + f"; albums: {resolved.releases.compared} looked at, {resolved.releases.merged} merged"
    )


@identity_group.command("ambiguous")
@click.option("--limit", default=30, show_default=True)
@json_option
@click.pass_obj
def identity_ambiguous(obj: Context, limit: int, as_json_: bool) -> None:
    """Names several different artists bear in the catalog (kept apart on purpose)."""
    groups = explain.ambiguous_names(obj.catalog.db, limit)
    if as_json_:
        emit_json(groups)
        return
    for g in groups:
        who = "; ".join(f"id {i} ({credits} credits)" for i, _, credits in g.artists)
        console.print(f"[bold]{g.name}[/]: {len(g.artists)} artists: {who}")


@identity_group.command("review")
@click.option("--limit", default=30, show_default=True)
@json_option
@click.pass_obj
def identity_review(obj: Context, limit: int, as_json_: bool) -> None:
    """Possible same persons not merged for want of evidence, strongest first, with the reason."""
    pairs = explain.review_queue(obj.catalog.db, limit)
    if as_json_:
        emit_json(pairs)
        return
    for p in pairs:
        console.print(
            f"[bold]{p.a_name}[/] (id {p.a}) / [bold]{p.b_name}[/] (id {p.b})  {p.score:.2f}"
        )
        console.print(f"  {p.reason}", style="dim", markup=False)
    if pairs:
        console.print(
            "Merge one with `linernotes identity merge REF REF` (see `identity show NAME`).",
            style="dim",
        )
