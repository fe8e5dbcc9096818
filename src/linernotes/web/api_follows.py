"""Follow and get notified, in the API: follows, notifications, notify settings, webhooks.

Everything here is one account's own: a request needs an API key (or a signed-in browser, whose
writes must carry the X-CSRF-Token header as htmx's do); without one it is a 401 with the one
error body. Another account's follow or webhook answers as if it did not exist (404).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import JSONResponse, Response

from linernotes.store.db import Database
from linernotes.watch import address, deliver, follows, inbox
from linernotes.watch.follows import FollowError
from linernotes.web import access, auth, deps
from linernotes.web import api_follows_models as models
from linernotes.web.api_http import COMMON_ERRORS, MAX_ID, NOT_FOUND, EntityId, answer
from linernotes.web.api_models import ErrorBody
from linernotes.web.errors import ApiError, error_response, not_found
from linernotes.web.follow_shapes import (
    WebhookExists,
    add_webhook,
    follow_json,
    notification_json,
    settings_json,
    trending_answer,
    webhook_json,
)

router = APIRouter()
Db = Annotated[Database, Depends(deps.db)]
MAX_PAGE = 100  # notifications or attempts in one page
ATTEMPT_SCAN = 1000  # the account's latest attempts searched for one endpoint's


def _error(description: str) -> dict[str, object]:
    return {"model": ErrorBody, "description": description}


FORBIDDEN: dict[int | str, dict[str, object]] = {
    400: _error("The body is not JSON"),
    403: _error("A signed-in browser's write without its X-CSRF-Token header"),
}
WRITE_ERRORS = {**COMMON_ERRORS, **FORBIDDEN}
CONFLICT: dict[int | str, dict[str, object]] = {
    409: _error("The account has a webhook at this URL already")
}


def account_id(request: Request) -> int:
    """The account asking (FastAPI dependency): an API key's owner or a signed-in browser."""
    who = access.visitor(request)
    if who.user_id is None:
        raise ApiError(
            401,
            "unauthorized",
            "this needs an account: send your API key as Authorization: Bearer KEY"
            " (make one on /account or with `linernotes users key add`)",
            "header.Authorization",
            {"WWW-Authenticate": "Bearer"},
        )
    if request.method not in ("GET", "HEAD") and who.api_key_id is None:
        _check_csrf(request)  # a cookie rides along with any site's request; a key does not
    return who.user_id


def _check_csrf(request: Request) -> None:
    sent = request.headers.get(auth.CSRF_HEADER, "")
    if sent != auth.csrf_token(request):
        raise ApiError(
            403,
            "csrf_failed",
            f"a browser session's writes need the {auth.CSRF_HEADER} header of its page;"
            " scripts should send an API key instead",
            f"header.{auth.CSRF_HEADER}",
        )


Account = Annotated[int, Depends(account_id)]


def _created(payload: object, status: int = 201) -> Response:
    return JSONResponse(payload, status_code=status, headers={"Cache-Control": "no-store"})


# -- follows ------------------------------------------------------------------------------------


@router.get("/follows", response_model=models.Follows, responses=COMMON_ERRORS)
def list_follows(request: Request, db: Db, account: Account) -> Response:
    """What the account follows, oldest first."""
    found = follows.follows(db, account)
    return answer(request, {"follows": [follow_json(f) for f in found]}, private=True)


def _follow_where(message: str) -> str:
    """Which field a FollowError is about, from its words (they name it)."""
    for field in ("top_n", "chart", "kind"):
        if field in message:
            return f"body.{field}"
    return "body.target_id"


@router.post(
    "/follows",
    response_model=models.Follow,
    status_code=201,
    responses={**WRITE_ERRORS, 200: {"model": models.Follow, "description": "Followed already"}},
)
def add_follow(db: Db, account: Account, body: models.FollowIn) -> Response:
    """Follow an artist, a person, a release, or the top N of a chart (kind trending, with
    chart and top_n). Following again answers the existing follow with 200."""
    before = {f.id for f in follows.follows(db, account)}
    try:
        found = follows.add_follow(
            db, account, body.kind, body.target_id, chart=body.chart, top_n=body.top_n
        )
    except FollowError as error:
        raise ApiError(422, "bad_follow", str(error), _follow_where(str(error))) from None
    return _created(follow_json(found), 200 if found.id in before else 201)


@router.delete("/follows/{follow_id}", status_code=204, responses={**WRITE_ERRORS, **NOT_FOUND})
def remove_follow(db: Db, account: Account, follow_id: EntityId) -> Response:
    """Stop following."""
    if not follows.remove_follow(db, account, follow_id):
        raise not_found("follow", follow_id, "path.follow_id")
    return Response(status_code=204)


# -- notifications ------------------------------------------------------------------------------


@router.get("/notifications", response_model=models.Notifications, responses=COMMON_ERRORS)
def list_notifications(
    request: Request,
    db: Db,
    account: Account,
    limit: Annotated[int, Query(ge=1, le=MAX_PAGE, description="Notifications in this page")] = 50,
    before: Annotated[
        int | None, Query(ge=1, le=MAX_ID, description="Only older than this notification id")
    ] = None,
    unread: Annotated[bool, Query(description="Only unread notifications")] = False,
) -> Response:
    """The account's notifications, newest first; `next` pages back."""
    found = inbox.notifications(db, account, limit=limit, before=before, unread_only=unread)
    more = len(found) == limit and bool(
        inbox.notifications(db, account, limit=1, before=found[-1].id, unread_only=unread)
    )
    query = f"limit={limit}" + ("&unread=true" if unread else "")
    return answer(
        request,
        {
            "notifications": [notification_json(n) for n in found],
            "unread": inbox.unread_count(db, account),
            "next": f"/api/v1/notifications?before={found[-1].id}&{query}" if more else None,
        },
        private=True,
    )


@router.post("/notifications/read", response_model=models.Marked, responses=WRITE_ERRORS)
def mark_read(request: Request, db: Db, account: Account, body: models.MarkRead) -> Response:
    """Mark notifications read: those listed in `ids`, or all of them without `ids`."""
    at = access.clock(request)().isoformat(timespec="seconds")
    marked = inbox.mark_read(db, account, body.ids, at)
    return _created({"marked": marked, "unread": inbox.unread_count(db, account)}, 200)


# -- settings -----------------------------------------------------------------------------------


@router.get("/notify-settings", response_model=models.NotifySettings, responses=COMMON_ERRORS)
def get_settings(request: Request, db: Db, account: Account) -> Response:
    """How the account is told: instant or a daily digest (at an hour, UTC), email or not, and
    the Atom feed's secret address."""
    return answer(request, settings_json(inbox.notify_settings(db, account)), private=True)


@router.put("/notify-settings", response_model=models.NotifySettings, responses=WRITE_ERRORS)
def put_settings(db: Db, account: Account, body: models.NotifySettingsIn) -> Response:
    """Change any of mode, digest_hour and email (the others stay)."""
    try:
        found = inbox.set_notify_settings(
            db, account, mode=body.mode, digest_hour=body.digest_hour, email=body.email
        )
    except ValueError as error:  # the model checks first; kept for rules it does not know
        where = "body.digest_hour" if "digest_hour" in str(error) else "body.mode"
        raise ApiError(422, "bad_setting", str(error), where) from None
    return _created(settings_json(found), 200)


# -- webhooks -----------------------------------------------------------------------------------


def webhook_policy(request: Request) -> address.Policy:
    """The address policy: the app's own (tests set one with a resolver), else the settings'."""
    found: address.Policy | None = getattr(request.app.state, "webhook_policy", None)
    return found or address.default_policy()


@router.get("/webhooks", response_model=models.Webhooks, responses=COMMON_ERRORS)
def list_webhooks(request: Request, db: Db, account: Account) -> Response:
    """The account's webhook endpoints (their secrets were shown once, when added)."""
    found = inbox.endpoints(db, account)
    return answer(request, {"webhooks": [webhook_json(e) for e in found]}, private=True)


@router.post(
    "/webhooks",
    response_model=models.NewWebhook,
    status_code=201,
    responses={**WRITE_ERRORS, **CONFLICT},
)
def add_webhook_endpoint(
    request: Request, db: Db, account: Account, body: models.WebhookIn
) -> Response:
    """Add an endpoint; the answer holds its signing secret, shown this once. Addresses that are
    private, loopback or link-local (or names resolving to them) are refused."""
    try:
        found = add_webhook(db, account, body.url, webhook_policy(request))
    except WebhookExists as error:
        raise ApiError(409, "exists", str(error), "body.url") from None
    except ValueError as error:
        raise ApiError(422, "bad_url", str(error), "body.url") from None
    return _created(webhook_json(found, with_secret=True))


def _own_endpoint(db: Database, account: int, endpoint_id: int) -> inbox.Endpoint:
    found = inbox.endpoint_by_id(db, endpoint_id)
    if found is None or found.account_id != account:  # another's is as good as none
        raise not_found("webhook", endpoint_id, "path.webhook_id")
    return found


@router.delete("/webhooks/{webhook_id}", status_code=204, responses={**WRITE_ERRORS, **NOT_FOUND})
def remove_webhook(db: Db, account: Account, webhook_id: EntityId) -> Response:
    """Remove an endpoint; deliveries waiting for it are dropped."""
    _own_endpoint(db, account, webhook_id)
    inbox.remove_endpoint(db, account, webhook_id)
    return Response(status_code=204)


@router.get(
    "/webhooks/{webhook_id}/attempts",
    response_model=models.Attempts,
    responses={**COMMON_ERRORS, **NOT_FOUND},
)
def webhook_attempts(
    request: Request,
    db: Db,
    account: Account,
    webhook_id: EntityId,
    limit: Annotated[int, Query(ge=1, le=MAX_PAGE, description="Attempts in this page")] = 50,
) -> Response:
    """Every try of a delivery to this endpoint, newest first: when, how long, what came back."""
    endpoint = _own_endpoint(db, account, webhook_id)
    found = [
        a
        for a in deliver.attempts(db, account, limit=ATTEMPT_SCAN)
        if a.channel == "webhook" and a.target == endpoint.url
    ][:limit]
    return answer(request, {"attempts": [attempt_json(a) for a in found]}, private=True)


def attempt_json(found: deliver.AttemptView) -> dict[str, object]:
    return {
        "delivery_id": found.delivery_id,
        "event_id": f"evt_{found.event_id}",
        "attempt": found.attempt,
        "started_at": found.started_at,
        "duration_ms": found.duration_ms,
        "outcome": found.outcome,
        "status_code": found.status_code,
        "error": found.error,
        "state": found.state,
    }


# Paths answering several methods: FastAPI makes a route per method, and a method none of them
# takes would be refused by the first alone (Allow: GET). One answer listing them all instead.
_METHODS = {
    "/follows": ("GET", "POST"),
    "/notify-settings": ("GET", "PUT"),
    "/webhooks": ("GET", "POST"),
}
_EVERY = ("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS")


def _refuse(allowed: tuple[str, ...]) -> Callable[[Request], Response]:
    def refuse(request: Request) -> Response:
        error = ApiError(
            405,
            "method_not_allowed",
            f"{request.method} is not allowed here: use {', '.join(allowed)}",
            "method",
            {"Allow": ", ".join(allowed)},
        )
        return error_response(error)

    return refuse


for _path, _allowed in _METHODS.items():
    _others = [m for m in _EVERY if m not in (*_allowed, "HEAD")]
    router.add_api_route(_path, _refuse(_allowed), methods=_others, include_in_schema=False)


# -- trending -----------------------------------------------------------------------------------


@router.get("/trending", response_model=models.Trending, responses={**COMMON_ERRORS, **NOT_FOUND})
def get_trending(
    request: Request,
    db: Db,
    chart: Annotated[str, Query(max_length=100, description="A chart the catalog holds")],
    top: Annotated[int, Query(ge=1, le=200, description="How many of its latest top")] = 10,
) -> Response:
    """What is trending: the top of a chart's latest date held (what a trending follow watches).
    Needs no account: it is catalog data."""
    if chart not in follows.charts(db):
        raise ApiError(
            404,
            "not_found",
            f"no chart {chart!r}: the catalog holds {', '.join(follows.charts(db)) or 'none'}",
            "query.chart",
        )
    return answer(request, trending_answer(db, chart, top))
