"""`linernotes follow`, `notifications`, `notify`, `webhooks`, `feed`: follows and how a user is
told, from the operator's terminal (like `linernotes users`: every command names the user).

Names are resolved with the same pickers as `producers` and `credits` (cli/pick.py): an
ambiguous name lists the candidates with their ids. A webhook's address is checked against the
address policy when it is added (LINERNOTES_WEBHOOK_ALLOW_NETWORKS), and its signing secret is
printed once.
"""

from __future__ import annotations

import click
from rich.table import Table

from linernotes.cli.app import Context, cli, console, emit_json, id_option, json_option
from linernotes.cli.pick import pick
from linernotes.normalize.records import EntityKind
from linernotes.settings import TRENDING_TOP, positive_int
from linernotes.store import accounts
from linernotes.store.accounts import User
from linernotes.store.db import Database
from linernotes.watch import feed, follows, inbox
from linernotes.watch.follows import FollowError
from linernotes.web import credentials
from linernotes.web.credentials import AccountError
from linernotes.web.follow_shapes import (
    WebhookExists,
    add_webhook,
    feed_url,
    follow_json,
    follow_label,
    notification_json,
    settings_json,
    trending_answer,
    webhook_json,
)

user_option = click.option(
    "--user", "email", required=True, metavar="EMAIL", help="The account (see `users list`)."
)
PICK_KINDS = {
    "artist": EntityKind.ARTIST,
    "person": EntityKind.ARTIST,
    "release": EntityKind.RELEASE,
}


def _user(db: Database, email: str) -> User:
    try:
        normalised = credentials.normalise_email(email)
    except AccountError as error:
        raise click.BadParameter(error.message, param_hint="--user") from None
    found = accounts.user_by_email(db, normalised)
    if found is None:
        raise click.ClickException(f"No user with the email {normalised} (see `users list`).")
    return found


# -- follow ---------------------------------------------------------------------------------------


@cli.group("follow")
def follow_group() -> None:
    """What a user follows: artists, people, releases, or a chart's trending records."""


@follow_group.command("add")
@user_option
@click.argument("kind", type=click.Choice(follows.KINDS))
@click.argument("name", default="")
@id_option
@click.option("--chart", default="", help="trending: the chart (see `trending`).")
@click.option("--top", "top_n", type=int, default=0, help="trending: the top N (default 10).")
@json_option
@click.pass_obj
def follow_add(
    obj: Context,
    email: str,
    kind: str,
    name: str,
    entity_id: int | None,
    chart: str,
    top_n: int,
    as_json_: bool,
) -> None:
    """Follow an artist, person or release by NAME (or --id), or `trending --chart C --top N`."""
    db = obj.catalog.db
    user = _user(db, email)
    target = 0
    if kind != "trending":
        if chart or top_n:
            raise click.UsageError("--chart and --top are for `follow add trending`")
        target = pick(db, PICK_KINDS[kind], name, entity_id=entity_id).id
    elif name or entity_id is not None:
        raise click.UsageError("a trending follow takes --chart and --top, not a name")
    try:
        found = follows.add_follow(db, user.id, kind, target, chart=chart, top_n=top_n)
    except FollowError as error:
        raise click.ClickException(str(error)) from None
    if as_json_:
        emit_json(follow_json(found))
        return
    console.print(f"{user.email} follows {follow_label(found)} (follow #{found.id}).")


@follow_group.command("list")
@user_option
@json_option
@click.pass_obj
def follow_list(obj: Context, email: str, as_json_: bool) -> None:
    """The user's follows, oldest first."""
    db = obj.catalog.db
    found = follows.follows(db, _user(db, email).id)
    if as_json_:
        emit_json([follow_json(f) for f in found])
        return
    if not found:
        console.print("No follows yet: add one with `linernotes follow add`.")
        return
    table = Table("#", "kind", "follows", "id", "since", box=None)
    for f in found:
        shown = f"top {f.top_n} of {f.chart}" if f.kind == "trending" else f.target_name
        target = "" if f.kind == "trending" else str(f.target_id)
        table.add_row(str(f.id), f.kind, shown, target, f.created_at)
    console.print(table)


@follow_group.command("remove")
@user_option
@click.argument("follow_id", type=int)
@click.pass_obj
def follow_remove(obj: Context, email: str, follow_id: int) -> None:
    """Stop the follow FOLLOW_ID (see `follow list`)."""
    db = obj.catalog.db
    user = _user(db, email)
    if not follows.remove_follow(db, user.id, follow_id):
        raise click.ClickException(f"{user.email} has no follow #{follow_id} (see `follow list`).")
    console.print(f"Removed follow #{follow_id} of {user.email}.")


# -- notifications ----------------------------------------------------------------------------


@cli.command("notifications")
@user_option
@click.option("--unread", is_flag=True, help="Only those not read yet.")
@click.option("--limit", default=20, show_default=True, type=click.IntRange(1, 1000))
@json_option
@click.pass_obj
def notifications_command(
    obj: Context, email: str, unread: bool, limit: int, as_json_: bool
) -> None:
    """The user's notifications, newest first: what changed, where, and which follow matched."""
    db = obj.catalog.db
    user = _user(db, email)
    found = inbox.notifications(db, user.id, limit=limit, unread_only=unread)
    if as_json_:
        emit_json([notification_json(n) for n in found])
        return
    if not found:
        console.print("No unread notifications." if unread else "No notifications yet.")
        return
    for n in found:
        mark = "[bold]new[/] " if n.read_at is None else ""
        path = (n.event.get("subject") or {}).get("path", "")
        console.print(f"{mark}#{n.id} {n.created_at}  {feed.entry_title(n.event)}  [dim]{path}[/]")
        for change in n.event.get("changes") or []:
            console.print(f"    {feed.change_line(change)}")


# -- notify settings ----------------------------------------------------------------------------


@cli.group("notify")
def notify_group() -> None:
    """How a user is told: instant or a daily digest, and by email or not."""


@notify_group.command("settings")
@user_option
@click.option("--mode", type=click.Choice(inbox.MODES), help="instant, or a daily digest.")
@click.option("--digest-hour", type=click.IntRange(0, 23), help="The digest's hour, UTC.")
@click.option("--email/--no-email", "email_on", default=None, help="Send email or not.")
@json_option
@click.pass_obj
def notify_settings(
    obj: Context,
    email: str,
    mode: str | None,
    digest_hour: int | None,
    email_on: bool | None,
    as_json_: bool,
) -> None:
    """Show the user's settings, or change those given."""
    db = obj.catalog.db
    user = _user(db, email)
    try:
        found = inbox.set_notify_settings(
            db, user.id, mode=mode, digest_hour=digest_hour, email=email_on
        )
    except ValueError as error:
        raise click.ClickException(str(error)) from None
    if as_json_:
        emit_json(settings_json(found))
        return
    when = "at once" if found.mode == "instant" else f"daily at {found.digest_hour:02d}:00 UTC"
    console.print(f"{user.email}: notified {when}; email {'on' if found.email else 'off'}.")


# -- webhooks -------------------------------------------------------------------------------------


@cli.group("webhooks")
def webhooks_group() -> None:
    """A user's webhook endpoints: signed JSON POSTs of every event."""


@webhooks_group.command("add")
@user_option
@click.argument("url")
@json_option
@click.pass_obj
def webhooks_add(obj: Context, email: str, url: str, as_json_: bool) -> None:
    """Add an endpoint at URL and print its signing secret, once."""
    db = obj.catalog.db
    user = _user(db, email)
    try:
        found = add_webhook(db, user.id, url)
    except WebhookExists as error:
        raise click.ClickException(str(error)) from None
    except ValueError as error:
        raise click.BadParameter(str(error), param_hint="URL") from None
    if as_json_:
        emit_json(webhook_json(found, with_secret=True))
        return
    console.print(f"Webhook #{found.id} for {user.email} at {found.url}. Its secret, shown once:")
    click.echo(found.secret)


@webhooks_group.command("list")
@user_option
@json_option
@click.pass_obj
def webhooks_list(obj: Context, email: str, as_json_: bool) -> None:
    """The user's endpoints (not their secrets)."""
    db = obj.catalog.db
    found = inbox.endpoints(db, _user(db, email).id)
    if as_json_:
        emit_json([webhook_json(e) for e in found])
        return
    if not found:
        console.print("No webhooks.")
        return
    table = Table("#", "url", "since", "disabled", box=None)
    for e in found:
        table.add_row(str(e.id), e.url, e.created_at, e.disabled_at or "")
    console.print(table)


@webhooks_group.command("remove")
@user_option
@click.argument("webhook_id", type=int)
@click.pass_obj
def webhooks_remove(obj: Context, email: str, webhook_id: int) -> None:
    """Remove the endpoint WEBHOOK_ID (see `webhooks list`); its waiting deliveries go too."""
    db = obj.catalog.db
    user = _user(db, email)
    if not inbox.remove_endpoint(db, user.id, webhook_id):
        raise click.ClickException(f"{user.email} has no webhook #{webhook_id}.")
    console.print(f"Removed webhook #{webhook_id} of {user.email}.")


# -- feed -----------------------------------------------------------------------------------------


@cli.group("feed")
def feed_group() -> None:
    """A user's Atom feed of notifications, at a secret address."""


@feed_group.command("url")
@user_option
@click.option("--new", "renew", is_flag=True, help="Make a new address (the old one stops).")
@click.pass_obj
def feed_url_command(obj: Context, email: str, renew: bool) -> None:
    """Print the user's feed address (LINERNOTES_BASE_URL + /feed/TOKEN.atom)."""
    db = obj.catalog.db
    user = _user(db, email)
    token = (
        inbox.reset_feed_token(db, user.id)
        if renew
        else inbox.notify_settings(db, user.id).feed_token
    )
    click.echo(feed_url(token))


@cli.command("trending")
@click.option("--chart", default="", help="One chart (default: every chart the catalog holds).")
@click.option("--top", "top_n", type=click.IntRange(1, 200), default=None, help="How many.")
@json_option
@click.pass_obj
def trending_command(obj: Context, chart: str, top_n: int | None, as_json_: bool) -> None:
    """What is trending: the top of each chart's latest date (what trending follows watch)."""
    db = obj.catalog.db
    held = follows.charts(db)
    if chart and chart not in held:
        raise click.BadParameter(
            f"no chart {chart!r}: the catalog holds {', '.join(held) or 'none'}",
            param_hint="--chart",
        )
    top = top_n or positive_int(TRENDING_TOP)
    answers = [trending_answer(db, c, top) for c in ([chart] if chart else held)]
    if as_json_:
        emit_json(answers)
        return
    for found in answers:
        console.print(f"[bold]{found['chart']}[/bold], top {top} of {found['date']}")
        table = Table("#", "title", "artist", "song id", box=None)
        for r in found["records"]:
            song = "" if r["recording_id"] is None else str(r["recording_id"])
            table.add_row(str(r["position"]), r["title"], r["artist"], song)
        console.print(table)
