"""Readable terminal output for the catalog's answers (rich tables)."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable

from rich.console import Console, Group
from rich.table import Table
from rich.text import Text

from linernotes.labels import fact_label, source_label, sources_text
from linernotes.normalize.genius import VERSION_FACT
from linernotes.normalize.roles import FAMILY_LABELS, FAMILY_ORDER, Family, Role
from linernotes.resolve.explain import Identity
from linernotes.store.views import (
    CreditLine,
    Disagreement,
    EntitySummary,
    FactLine,
    HandleView,
    PersonAnswer,
    ProducerRow,
    ProducersAnswer,
    RecordingCredits,
    ReleaseCredits,
    SourceNote,
)


def plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def handle_text(view: HandleView | None) -> Text:
    if view is None:
        return Text("-", style="dim")
    text = Text(f"@{view.handle}" if view.platform != "facebook" else view.handle)
    if view.platform != "instagram":
        text.append(f" ({view.platform})", style="dim")
    if not view.verified:
        text.append(" unverified", style="yellow")
    return text


# -- producers ------------------------------------------------------------------------------


def producers(console: Console, answer: ProducersAnswer) -> None:
    console.print(
        f"[bold]{answer.artist.name}[/]: {answer.total_producers} producers behind "
        f"{answer.songs} songs as primary artist"
    )
    if answer.producers:
        console.print(_producer_table(answer.producers, answer.total_producers))
    if answer.featured_producers:
        console.print(
            f"\nOn {answer.featured_songs} songs where {answer.artist.name} is only "
            "featured (listed apart):"
        )
        console.print(_producer_table(answer.featured_producers, answer.total_featured_producers))
    _combined_note(console, answer)
    if answer.excluded_pseudo:
        console.print(
            f"[dim]{answer.excluded_pseudo} playlist or list pages posing as songs are left out.[/]"
        )


def _producer_table(rows: list[ProducerRow], total: int) -> Table:
    table = Table(show_edge=False, pad_edge=False)
    for column in ("Producer", "Roles", "Songs", "Latest song", "Handle"):
        table.add_column(column, justify="right" if column == "Songs" else "left")
    for row in rows:
        latest = row.latest
        table.add_row(
            row.name,
            ", ".join(row.roles),
            str(row.song_count),
            f"{latest.title} ({latest.date[:4]})" if latest and latest.date else "",
            handle_text(row.handle),
        )
    if total > len(rows):
        table.caption = f"{total - len(rows)} more: use --limit 0 to show all"
    return table


def _combined_note(console: Console, answer: ProducersAnswer) -> None:
    unlinked = [p for p in answer.combined_pages if not p.linked]
    linked = [p for p in answer.combined_pages if p.linked]
    if linked:
        console.print(
            "Counted from combined pages linked to "
            f"{answer.artist.name}: " + ", ".join(f"{p.name} ({p.songs})" for p in linked)
        )
    if unlinked:
        console.print(
            f"[dim]Not counted: combined pages not linked to "
            f"{answer.artist.name}: "
            + ", ".join(f"{p.name} ({plural(p.songs, 'song')})" for p in unlinked)
            + "[/]"
        )


# -- credits --------------------------------------------------------------------------------


def by_family(lines: list[CreditLine]) -> dict[str, dict[str, list[CreditLine]]]:
    """family -> role label -> lines, keeping the given (vocabulary) order."""
    out: dict[str, dict[str, list[CreditLine]]] = defaultdict(lambda: defaultdict(list))
    for line in lines:
        out[line.family][line.role_label].append(line)
    return out


def credit_table(lines: list[CreditLine], show_sources: bool) -> Table:
    table = Table(show_edge=False, pad_edge=False, show_header=False, box=None)
    table.add_column("Role", style="bold", no_wrap=True)
    table.add_column("Who")
    table.add_column("Sources", style="dim")
    grouped = by_family(lines)
    for family in FAMILY_ORDER:
        roles = grouped.get(family.value)
        if not roles:
            continue
        table.add_row(Text(FAMILY_LABELS[family].upper(), style="cyan"), "", "")
        for label, people in roles.items():
            for i, line in enumerate(people):
                table.add_row(
                    f"  {label}" if i == 0 else "",
                    _who(line),
                    _sources_cell(line.sources, show_sources),
                )
    return table


def _who(line: CreditLine) -> Text:
    text = Text(line.name)
    if line.detail:
        text.append(f" ({line.detail})", style="italic")
    if line.tracks:
        text.append(f" [tracks {line.tracks}]", style="dim")
    if line.credited_as:
        text.append(f"  credited as {', '.join(line.credited_as)}", style="dim")
    return text


def _sources_cell(notes: tuple[SourceNote, ...], detailed: bool) -> str:
    if not detailed:
        return sources_text(notes)
    return "; ".join(
        f"{source_label(n.source)} {n.record_id} {n.raw!r} ({n.retrieved_at})" for n in notes
    )


def facts_block(facts: list[FactLine], show_sources: bool) -> Text:
    text = Text()
    versions = [f for f in facts if f.kind.startswith(VERSION_FACT)]
    for fact in facts:
        if fact in versions and not show_sources:
            continue
        text.append(f"{fact_label(fact.kind)}: ", style="bold")
        text.append(fact.value)
        text.append(f"   {_sources_cell(fact.sources, show_sources)}\n", style="dim")
    if versions and not show_sources:
        # Dozens of covers and samples would bury the credits: counted here, listed by --sources.
        counts = Counter(fact_label(f.kind).lower() for f in versions)
        text.append("Other versions and borrowings: ", style="bold")
        text.append(", ".join(f"{kind} {n}" for kind, n in counts.most_common()))
        text.append("   (--sources lists them)\n", style="dim")
    return text


def recording(console: Console, answer: RecordingCredits, show_sources: bool) -> None:
    head = Text(answer.title, style="bold")
    if answer.artists:
        head.append(f" by {', '.join(answer.artists)}")
    if answer.date:
        head.append(f"  ({answer.date})", style="dim")
    console.print(head)
    if answer.releases:
        console.print("On: " + "; ".join(r.name for r in answer.releases), style="dim")
    if answer.pseudo_reason:
        console.print(f"[yellow]Not a real song: {answer.pseudo_reason}. Kept out of counts.[/]")
    console.print(credit_table(answer.credits, show_sources))
    disagreement_lines(console, answer.disagreements)
    if answer.facts:
        console.print(facts_block(answer.facts, show_sources), end="")
    if answer.external_ids:
        console.print(
            "Ids: " + ", ".join(f"{k} {v}" for k, v in answer.external_ids.items()), style="dim"
        )


def disagreement_lines(console: Console, found: list[Disagreement]) -> None:
    """Both claims are kept and shown: the reader decides, with the sources in view."""
    for d in found:
        claims = "; ".join(
            f"{label} per {', '.join(source_label(s) for s in sources)}"
            for label, sources in d.claims
        )
        console.print(f"Sources disagree on {d.name}: {claims}", style="yellow", markup=False)


def release(console: Console, answer: ReleaseCredits, show_sources: bool) -> None:
    head = Text(answer.title, style="bold")
    if answer.artists:
        head.append(f" by {', '.join(answer.artists)}")
    if answer.date:
        head.append(f"  ({answer.date})", style="dim")
    console.print(head)
    console.print(Text("Release-level credits", style="bold underline"))
    if answer.release_credits:
        console.print(credit_table(answer.release_credits, show_sources))
        disagreement_lines(console, answer.disagreements)
    else:
        console.print("  none known (no source has given album-level credits yet)", style="dim")
    if answer.facts:
        console.print(facts_block(answer.facts, show_sources), end="")
    console.print(Text(f"\nPer-track credits ({len(answer.tracks)} songs)", style="bold underline"))
    for track in answer.tracks:
        number = f"{track.position}. " if track.position else "- "
        note = "  [not a real song]" if track.pseudo_reason else ""
        console.print(
            Group(
                Text(f"{number}{track.title}{note}", style="bold"),
                credit_table(track.credits, show_sources),
            )
        )


# -- people ---------------------------------------------------------------------------------


def person(console: Console, answer: PersonAnswer) -> None:
    console.print(Text(answer.artist.name, style="bold"), Text(answer.artist.context, style="dim"))
    if answer.aliases:
        console.print("Also known as: " + ", ".join(answer.aliases), style="dim")
    console.print(_role_year_table(answer))
    if answer.collaborators:
        console.print(
            "Most frequent collaborators: "
            + ", ".join(f"{c.name} ({c.shared_songs})" for c in answer.collaborators)
        )
    handles(console, answer.handles, answer.artist.name)


def identity_lines(console: Console, why: Identity) -> None:
    """Which source records make up this person, and why each one is here."""
    sources = ", ".join(link.ref for link in why.links if link.rule != "source_local_key")
    local = sum(link.rule == "source_local_key" for link in why.links)
    if local:
        sources += f"{', ' if sources else ''}{local} source-local key{'s' if local > 1 else ''}"
    console.print(f"Records: {sources}", style="dim")
    for joined in why.joined:
        if joined.method != "shared_id":
            console.print(
                f"  joined {', '.join(joined.refs) or 'a record'} ({joined.method}): "
                f"{joined.reason}",
                style="dim",
            )
    for near in why.near[:3]:
        console.print(
            f"  possible same person (not merged): {near.name} (id {near.artist_id}): "
            f"{near.reason}",
            style="yellow",
        )


def _role_year_table(answer: PersonAnswer) -> Table:
    table = Table(show_edge=False, pad_edge=False)
    for column in ("Role", "Year", "Songs", "Titles"):
        table.add_column(column, justify="right" if column == "Songs" else "left")
    previous = ""
    for cell in answer.by_role_year:
        titles = ", ".join(s.title for s in cell.songs[:6])
        if cell.count > 6:
            titles += f" and {cell.count - 6} more"
        table.add_row(
            cell.role_label if cell.role_label != previous else "",
            cell.year or "undated",
            str(cell.count),
            titles,
        )
        previous = cell.role_label
    return table


def handles(console: Console, views: list[HandleView], name: str, detailed: bool = False) -> None:
    """One line per handle; with `detailed`, each piece of evidence indented below it."""
    if not views:
        console.print(f"No handles known for {name}.", style="dim")
        return
    for view in views:
        console.print(_handle_line(view), soft_wrap=True)
        if detailed:
            for e in view.evidence:
                quote = f" | quote: {e.quote}" if e.quote else ""
                rule = e.match_rule.replace("_", " ")
                where = f"{source_label(e.source)} {e.record_id}"
                console.print(
                    f"    {where}: {e.note}{quote} | matched by {rule}",
                    style="dim",
                    soft_wrap=True,
                    markup=False,
                )


def _handle_line(view: HandleView) -> Text:
    text = Text(f"{view.platform:<9} ", style="bold")
    shown = view.handle if view.platform == "facebook" else f"@{view.handle}"
    text.append(f"{shown:<22}")
    text.append(
        "verified  " if view.verified else "unverified",
        style="green" if view.verified else "yellow",
    )
    text.append(f"  {view.confidence:.2f}  ")
    evidence = (f"{source_label(e.source)} ({e.kind.replace('_', ' ')})" for e in view.evidence)
    text.append(", ".join(evidence), style="dim")
    return text


# -- search and roles -----------------------------------------------------------------------


def candidates(console: Console, groups: dict[str, list[EntitySummary]]) -> None:
    titles = {"artist": "Artists and people", "release": "Albums", "recording": "Songs"}
    for kind, found in groups.items():
        if not found:
            continue
        table = Table(title=titles[kind], title_justify="left", show_edge=False, pad_edge=False)
        table.add_column("Id", justify="right", style="dim")
        table.add_column("Name", style="bold")
        table.add_column("")
        for s in found:
            name = Text(s.name)
            if s.matched:
                name.append(f" (as {s.matched})", style="dim")
            if s.why and not s.why.startswith(("whole name", "every word in the name")):
                name.append(f"  [{s.why}]", style="dim")
            table.add_row(str(s.id), name, s.context)
        console.print(table)


def role_list(console: Console, roles: Iterable[Role], counts: dict[str, int]) -> None:
    table = Table(show_edge=False, pad_edge=False)
    for column in ("Family", "Role", "Code", "Usual scope", "In catalog"):
        table.add_column(column, justify="right" if column == "In catalog" else "left")
    previous: Family | None = None
    for role in roles:
        table.add_row(
            FAMILY_LABELS[role.family] if role.family != previous else "",
            role.label,
            role.code,
            role.scope.value,
            str(counts.get(role.code, "")),
        )
        previous = role.family
    console.print(table)
