"""`linernotes users`: accounts of the web app and the API, their plans and API keys.

No billing: an operator moves a user between the free and pro plans with `users plan`. A new
API key is printed once; the catalog keeps only its hash, so a lost key is revoked and replaced.
"""

from __future__ import annotations

import sys
from datetime import UTC, datetime

import click
from rich.table import Table

from linernotes.cli.app import Context, cli, console, emit_json, json_option
from linernotes.store import accounts
from linernotes.store.accounts import ApiKey, User
from linernotes.store.db import Database
from linernotes.web import credentials
from linernotes.web.credentials import AccountError

PLAN = click.Choice(accounts.PLANS)


def _now() -> datetime:
    return datetime.now(UTC)


def _user(db: Database, email: str) -> User:
    try:
        normalised = credentials.normalise_email(email)
    except AccountError as error:
        raise click.BadParameter(error.message, param_hint="EMAIL") from None
    found = accounts.user_by_email(db, normalised)
    if found is None:
        raise click.ClickException(f"No user with the email {normalised}.")
    return found


def _user_json(user: User) -> dict[str, object]:
    return {"id": user.id, "email": user.email, "plan": user.plan, "created_at": user.created_at}


def _key_json(key: ApiKey) -> dict[str, object]:
    return {
        "id": key.id,
        "name": key.name,
        "shown": key.shown,
        "created_at": key.created_at,
        "last_used_at": key.last_used_at,
        "revoked_at": key.revoked_at,
    }


@cli.group("users")
def users_group() -> None:
    """Accounts of the web app and the API: users, plans, API keys."""


@users_group.command("add")
@click.argument("email")
@click.option("--plan", type=PLAN, default="free", show_default=True, help="The user's plan.")
@click.option(
    "--password-stdin", is_flag=True, help="Read the password from standard input (scripts)."
)
@json_option
@click.pass_obj
def users_add(obj: Context, email: str, plan: str, password_stdin: bool, as_json_: bool) -> None:
    """Create a user with EMAIL (the password is asked twice, or read with --password-stdin)."""
    if password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    else:
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    try:
        user = credentials.sign_up(obj.catalog.db, email, password, _now(), plan)
    except AccountError as error:
        raise click.ClickException(f"{error.where}: {error.message}") from None
    if as_json_:
        emit_json(_user_json(user))
        return
    console.print(f"Added {user.email} (#{user.id}) on the {user.plan} plan.")


@users_group.command("list")
@json_option
@click.pass_obj
def users_list(obj: Context, as_json_: bool) -> None:
    """Every user with their plan and active API keys."""
    db = obj.catalog.db
    found = accounts.users(db)
    active = {u.id: sum(k.active for k in accounts.keys(db, u.id)) for u in found}
    if as_json_:
        emit_json([{**_user_json(u), "active_keys": active[u.id]} for u in found])
        return
    if not found:
        console.print("No users yet: add one with `linernotes users add EMAIL`.")
        return
    table = Table("#", "email", "plan", "keys", "since", box=None)
    for user in found:
        table.add_row(str(user.id), user.email, user.plan, str(active[user.id]), user.created_at)
    console.print(table)


@users_group.command("plan")
@click.argument("email")
@click.argument("plan", type=PLAN)
@json_option
@click.pass_obj
def users_plan(obj: Context, email: str, plan: str, as_json_: bool) -> None:
    """Move the user with EMAIL to PLAN (free or pro); it applies to their next request."""
    db = obj.catalog.db
    user = _user(db, email)
    accounts.set_plan(db, user.id, plan)
    if as_json_:
        emit_json({**_user_json(user), "plan": plan, "was": user.plan})
        return
    console.print(f"{user.email}: {user.plan} -> {plan}.")


@users_group.command("remove")
@click.argument("email")
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
@click.pass_obj
def users_remove(obj: Context, email: str, yes: bool) -> None:
    """Delete the user with EMAIL, with their sessions and API keys."""
    db = obj.catalog.db
    user = _user(db, email)
    if not yes:
        click.confirm(f"Delete {user.email} with their sessions and keys?", abort=True)
    accounts.remove_user(db, user.id)
    console.print(f"Removed {user.email}.")


@users_group.group("key")
def key_group() -> None:
    """API keys: sent as `Authorization: Bearer KEY` or `X-API-Key: KEY`."""


@key_group.command("add")
@click.argument("email")
@click.option("--name", default="", help="What the key is for (shown in lists).")
@json_option
@click.pass_obj
def key_add(obj: Context, email: str, name: str, as_json_: bool) -> None:
    """Make an API key for the user with EMAIL and print it, once."""
    db = obj.catalog.db
    user = _user(db, email)
    try:
        key, text = credentials.new_key(db, user, name, _now())
    except AccountError as error:
        raise click.ClickException(f"--{error.where}: {error.message}") from None
    if as_json_:
        emit_json({**_key_json(key), "key": text})
        return
    console.print(f"Key #{key.id} ({key.name}) for {user.email}. Copy it now, it is not kept:")
    click.echo(text)


@key_group.command("list")
@click.argument("email")
@json_option
@click.pass_obj
def key_list(obj: Context, email: str, as_json_: bool) -> None:
    """The user's API keys (their first characters only), active and revoked."""
    db = obj.catalog.db
    found = accounts.keys(db, _user(db, email).id)
    if as_json_:
        emit_json([_key_json(k) for k in found])
        return
    if not found:
        console.print("No keys.")
        return
    table = Table("#", "name", "key", "made", "last used", "revoked", box=None)
    for key in found:
        table.add_row(
            str(key.id),
            key.name,
            f"{key.shown}…",
            key.created_at,
            key.last_used_at or "never",
            key.revoked_at or "",
        )
    console.print(table)


@key_group.command("revoke")
@click.argument("key_id", type=int)
@json_option
@click.pass_obj
def key_revoke(obj: Context, key_id: int, as_json_: bool) -> None:
    """Revoke the API key KEY_ID (see `users key list`): it stops working at once."""
    db = obj.catalog.db
    key = accounts.key_by_id(db, key_id)
    if key is None:
        raise click.ClickException(f"No API key #{key_id}.")
    revoked = accounts.revoke_key(db, key_id, _now())
    if as_json_:
        emit_json({"id": key_id, "revoked": revoked or key.revoked_at is not None})
        return
    console.print(
        f"Key #{key_id} ({key.name}) " + ("revoked." if revoked else "was revoked already.")
    )
