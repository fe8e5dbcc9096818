"""Follow and get notified, as pages: follow buttons, /follows, /notifications, the Atom feed.

- Follow buttons on artist, person and album pages (fragments/follow.html) post with htmx and
  are swapped for the new state; without JavaScript the form posts and the browser goes back to
  the page. Anonymous visitors see "Log in to follow". The templates ask for a button's state
  through `followed(kind, id)`, and the header for the unread count through `unread_count()`:
  Jinja globals installed here, so the credit pages' handlers need not know about follows.
- /follows: one's follows (unfollow), a trending follow (chart, top N), recent notifications
  (read marks). /notifications: how to be told (instant or daily, email), the feed's address,
  webhooks (the secret shown once) and their recent delivery attempts.
- /feed/{token}.atom: no login (the secret token is the access); an unknown token is a 404.

Every POST checks the CSRF token; pages holding account details are not cached.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import RedirectResponse, Response
from jinja2 import pass_context
from jinja2.runtime import Context

from linernotes.store.db import Database
from linernotes.watch import deliver, feed, follows, inbox
from linernotes.watch.follows import Follow, FollowError
from linernotes.web import access, auth, deps
from linernotes.web.access import Visitor
from linernotes.web.api_follows import webhook_policy
from linernotes.web.follow_shapes import (
    WebhookExists,
    add_webhook,
    base_url,
    feed_path,
    feed_url,
    follow_label,
)
from linernotes.web.pages_errors import PageError
from linernotes.web.templating import render, templates

router = APIRouter(include_in_schema=False)

Db = Annotated[Database, Depends(deps.db)]
Who = Annotated[Visitor, Depends(access.visitor)]
FormText = Annotated[str, Form()]
Csrf = [Depends(auth.require_csrf)]
NO_STORE = {"Cache-Control": "no-store"}
RECENT = 50  # notifications on /follows
ATTEMPTS = 20  # delivery attempts on /notifications
BUTTON_KINDS = ("artist", "person", "release")


# -- Jinja globals: a button's state, the header's count -----------------------------------------


def _signed_in(context: Context) -> tuple[Request, int] | None:
    who = context.get("visitor")
    request = context.get("request")
    if not isinstance(who, Visitor) or who.user_id is None or not isinstance(request, Request):
        return None
    return request, who.user_id


@pass_context
def followed(context: Context, kind: str, target_id: int) -> Follow | None:
    """The visitor's follow of this artist, person or release (None: not following)."""
    found = _signed_in(context)
    if found is None:
        return None
    request, account = found
    return follows.follow_of(deps.db(request), account, kind, target_id)


@pass_context
def unread_count(context: Context) -> int:
    found = _signed_in(context)
    if found is None:
        return 0
    request, account = found
    return inbox.unread_count(deps.db(request), account)


templates.env.globals.update(followed=followed, unread_count=unread_count)
templates.env.filters.update(
    entry_title=feed.entry_title, change_line=feed.change_line, follow_label=follow_label
)


# -- helpers --------------------------------------------------------------------------------------


def _back(target: str, fallback: str = "/follows") -> str:
    """A path on this site only (never //host or a URL)."""
    if target.startswith("/") and not target.startswith(("//", "/\\")):
        return target
    return fallback


def _login(next_page: str) -> RedirectResponse:
    return RedirectResponse(f"/login?next={_back(next_page)}", status_code=303)


def _htmx(request: Request) -> bool:
    return request.headers.get("HX-Request") == "true"


def _stamp(who: Visitor) -> str:
    return who.at.isoformat(timespec="seconds")


def _target_name(db: Database, kind: str, target_id: int) -> str:
    table, column = ("release", "title") if kind == "release" else ("artist", "name")
    row = db.one(f"SELECT {column} FROM {table} WHERE id = ?", (target_id,))
    return str(row[0]) if row else ""


def _button(
    request: Request,
    who: Visitor,
    follow: tuple[str, int, str],
    found: Follow | None,
    next_page: str,
) -> Response:
    """The button's fragment after a change: swapped in where the old one was."""
    kind, target_id, name = follow
    context = {
        "kind": kind,
        "target_id": target_id,
        "name": name,
        "follow": found,
        "next": _back(next_page, ""),
        "visitor": who,
    }
    return render(request, "fragments/follow.html", context, headers=NO_STORE)


# -- follow buttons -------------------------------------------------------------------------------


@router.post("/follows/add", dependencies=Csrf)
def follow(
    request: Request,
    db: Db,
    who: Who,
    kind: FormText = "",
    target_id: Annotated[int, Form()] = 0,
    next_page: Annotated[str, Form(alias="next")] = "",
) -> Response:
    """The Follow button: follow an artist, a person or a release."""
    if who.user_id is None:
        return _login(next_page)
    if kind not in BUTTON_KINDS:
        message = f"Follow an artist, a person or an album, not {kind!r}."
        raise PageError(400, "Cannot follow that", message)
    try:
        found = follows.add_follow(db, who.user_id, kind, target_id, at=_stamp(who))
    except FollowError as error:
        raise PageError(404, "Nothing to follow", str(error).capitalize() + ".") from None
    if not _htmx(request):
        return RedirectResponse(_back(next_page), status_code=303)
    return _button(request, who, (kind, target_id, found.target_name), found, next_page)


@router.post("/follows/{follow_id}/remove", dependencies=Csrf)
def unfollow(
    request: Request,
    db: Db,
    who: Who,
    follow_id: int,
    next_page: Annotated[str, Form(alias="next")] = "",
) -> Response:
    """Unfollow, from a page's button or from /follows."""
    if who.user_id is None:
        return _login(next_page)
    found = next((f for f in follows.follows(db, who.user_id) if f.id == follow_id), None)
    if found is None:
        raise PageError(404, "No such follow", f"You have no follow with id {follow_id}.")
    follows.remove_follow(db, who.user_id, follow_id)
    if not _htmx(request) or found.kind not in BUTTON_KINDS:
        return RedirectResponse(_back(next_page), status_code=303)
    name = found.target_name or _target_name(db, found.kind, found.target_id)
    return _button(request, who, (found.kind, found.target_id, name), None, next_page)


# -- /follows -------------------------------------------------------------------------------------


def _follows_page(
    request: Request, db: Database, who: Visitor, *, status: int = 200, **extra: Any
) -> Response:
    assert who.user_id is not None
    context = {
        "visitor": who,
        "follows": follows.follows(db, who.user_id),
        "charts": follows.charts(db),
        "notifications": inbox.notifications(db, who.user_id, limit=RECENT),
        "unread": inbox.unread_count(db, who.user_id),
        "error": None,
        "chart": "",
        "top_n": "",
        **extra,
    }
    return render(request, "follows.html", context, status_code=status, headers=NO_STORE)


@router.get("/follows")
def follows_page(request: Request, db: Db, who: Who) -> Response:
    if who.user_id is None:
        return _login("/follows")
    return _follows_page(request, db, who)


@router.post("/follows/trending", dependencies=Csrf)
def follow_trending(
    request: Request, db: Db, who: Who, chart: FormText = "", top_n: FormText = ""
) -> Response:
    """Follow the top N of a chart: new producer credits on its records are announced."""
    if who.user_id is None:
        return _login("/follows")
    form = {"chart": chart, "top_n": top_n}
    text = top_n.strip()
    if text and not text.isdigit():
        error = f"Top N must be a whole number from 1 to {follows.TOP_MAX}, not {text!r}."
        return _follows_page(request, db, who, status=400, error=error, **form)
    try:
        follows.add_follow(
            db, who.user_id, "trending", chart=chart.strip(), top_n=int(text or 0), at=_stamp(who)
        )
    except FollowError as error:
        message = str(error).capitalize() + "."
        return _follows_page(request, db, who, status=400, error=message, **form)
    return RedirectResponse("/follows", status_code=303)


@router.post("/notifications/read", dependencies=Csrf)
def mark_read(
    request: Request,
    db: Db,
    who: Who,
    ids: Annotated[list[int] | None, Form()] = None,
    next_page: Annotated[str, Form(alias="next")] = "",
) -> Response:
    """Mark one notification read (ids) or all of them (no ids)."""
    if who.user_id is None:
        return _login("/follows")
    inbox.mark_read(db, who.user_id, ids or None, _stamp(who))
    return RedirectResponse(_back(next_page, "/follows#notifications"), status_code=303)


# -- /notifications: settings, feed, webhooks ----------------------------------------------------


def _settings_page(
    request: Request, db: Database, who: Visitor, *, status: int = 200, **extra: Any
) -> Response:
    assert who.user_id is not None
    found = inbox.notify_settings(db, who.user_id)
    context = {
        "visitor": who,
        "settings": found,
        "feed_url": feed_url(found.feed_token),
        "webhooks": inbox.endpoints(db, who.user_id),
        "attempts": deliver.attempts(db, who.user_id, limit=ATTEMPTS),
        "hours": range(24),
        "error": None,
        "error_field": None,
        "new_webhook": None,
        "url": "",
        **extra,
    }
    return render(request, "notifications.html", context, status_code=status, headers=NO_STORE)


@router.get("/notifications")
def settings_page(request: Request, db: Db, who: Who) -> Response:
    if who.user_id is None:
        return _login("/notifications")
    return _settings_page(request, db, who)


@router.post("/notifications/settings", dependencies=Csrf)
def save_settings(
    request: Request,
    db: Db,
    who: Who,
    mode: FormText = "instant",
    digest_hour: FormText = "8",
    email: FormText = "",
) -> Response:
    """Instant or daily (at an hour, UTC), and whether to email."""
    if who.user_id is None:
        return _login("/notifications")
    try:
        if not digest_hour.strip().isdigit():
            raise ValueError(f"digest_hour must be a whole hour 0..23 (UTC), got {digest_hour!r}")
        inbox.set_notify_settings(
            db, who.user_id, mode=mode, digest_hour=int(digest_hour), email=email == "on"
        )
    except ValueError as error:
        field = "digest_hour" if "digest_hour" in str(error) else "mode"
        message = str(error).capitalize() + "."
        return _settings_page(request, db, who, status=400, error=message, error_field=field)
    return RedirectResponse("/notifications?saved=1", status_code=303)


@router.post("/notifications/feed/reset", dependencies=Csrf)
def reset_feed(request: Request, db: Db, who: Who) -> Response:
    """A new secret feed address; the old one stops working."""
    if who.user_id is None:
        return _login("/notifications")
    inbox.reset_feed_token(db, who.user_id)
    return RedirectResponse("/notifications#feed", status_code=303)


@router.post("/notifications/webhooks", dependencies=Csrf)
def add_webhook_page(request: Request, db: Db, who: Who, url: FormText = "") -> Response:
    """Add a webhook; its secret is shown in this answer only."""
    if who.user_id is None:
        return _login("/notifications")
    try:
        found = add_webhook(db, who.user_id, url, webhook_policy(request))
    except (WebhookExists, ValueError) as error:
        message = str(error)[:1].upper() + str(error)[1:] + "."
        status = 409 if isinstance(error, WebhookExists) else 400
        return _settings_page(
            request, db, who, status=status, error=message, error_field="url", url=url
        )
    return _settings_page(request, db, who, new_webhook=found)


@router.post("/notifications/webhooks/{endpoint_id}/remove", dependencies=Csrf)
def remove_webhook_page(request: Request, db: Db, who: Who, endpoint_id: int) -> Response:
    if who.user_id is None:
        return _login("/notifications")
    if not inbox.remove_endpoint(db, who.user_id, endpoint_id):
        raise PageError(404, "No such webhook", f"You have no webhook with id {endpoint_id}.")
    return RedirectResponse("/notifications#webhooks", status_code=303)


# -- the feed -------------------------------------------------------------------------------------


@router.get("/feed/{token}.atom")
def atom(request: Request, db: Db, token: str) -> Response:
    """The account's latest notifications as Atom; the token in the address is the access."""
    account = inbox.account_by_feed_token(db, token)
    if account is None:
        raise PageError(404, "No such feed", "This feed address is unknown or was replaced.")
    body = feed.atom_feed(
        inbox.notifications(db, account, limit=feed.ENTRIES),
        account_id=account,
        base_url=base_url(),
        self_url=base_url() + feed_path(token),
    )
    headers = {"Cache-Control": "private, no-cache", "X-Robots-Tag": "noindex"}
    return Response(body, media_type="application/atom+xml; charset=utf-8", headers=headers)
