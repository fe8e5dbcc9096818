"""Account pages: sign up, log in, log out, and the account page (plan, reveals left, API keys).

Every POST checks the CSRF token. Sign-up and login attempts are counted per address. A login
always starts a new session (the old one, if any, is deleted), so a session id planted in a
browser before login is worth nothing after it. Pages that hold account details are not cached.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import RedirectResponse, Response

from linernotes.store import accounts as store
from linernotes.store.accounts import User
from linernotes.store.db import Database
from linernotes.web import access, auth, credentials, deps
from linernotes.web.access import Visitor
from linernotes.web.credentials import AccountError
from linernotes.web.errors import ApiError, not_found
from linernotes.web.templating import render

router = APIRouter(include_in_schema=False)

NO_STORE = {"Cache-Control": "no-store"}
FormText = Annotated[str, Form()]
Csrf = Depends(auth.require_csrf)
Db = Annotated[Database, Depends(deps.db)]


def safe_next(target: str) -> str:
    """Where to go after logging in: a path on this site only (never //host or a URL)."""
    if target.startswith("/") and not target.startswith(("//", "/\\")):
        return target
    return "/account"


def _page(
    request: Request, name: str, context: dict[str, Any], status: int = 200, **headers: str
) -> Response:
    return render(request, name, context, status_code=status, headers={**NO_STORE, **headers})


def _refused(request: Request, name: str, form: dict[str, Any], error: ApiError) -> Response:
    context = {**form, "error": error.message, "error_field": error.where}
    return _page(request, name, context, error.status, **error.headers)


def _log_in(request: Request, db: Database, user: User, target: str) -> Response:
    old = auth.session_token(request)
    if old:
        credentials.end_session(db, old)
    token = credentials.start_session(db, user, access.clock(request)())
    response = RedirectResponse(safe_next(target), status_code=303)
    max_age = int(credentials.SESSION_LIFETIME.total_seconds())
    auth.set_session_cookie(request, response, token, max_age)
    access.forget_visitor(request)
    return response


def _form(request: Request, template: str, next: str) -> Response:
    """An empty sign-up or login form; someone signed in already goes on to `next`."""
    if access.visitor(request).signed_in:
        return RedirectResponse(safe_next(next), status_code=303)
    return _page(request, template, {"email": "", "next": safe_next(next)})


@router.get("/signup")
def signup_form(request: Request, next: str = "/account") -> Response:
    return _form(request, "account/signup.html", next)


@router.post("/signup", dependencies=[Csrf])
def signup(
    request: Request,
    db: Db,
    email: FormText = "",
    password: FormText = "",
    password_again: FormText = "",
    next: FormText = "/account",
) -> Response:
    form = {"email": email.strip(), "next": safe_next(next)}
    who = access.visitor(request)
    try:
        access.count_auth_attempt(db, who)
        if password != password_again:
            raise AccountError("the two passwords differ: type the same password twice", "password")
        user = credentials.sign_up(db, email, password, who.at)
    except ApiError as error:
        return _refused(request, "account/signup.html", form, error)
    except AccountError as error:
        return _refused(request, "account/signup.html", form, _bad_input(error))
    return _log_in(request, db, user, next)


@router.get("/login")
def login_form(request: Request, next: str = "/account") -> Response:
    return _form(request, "account/login.html", next)


@router.post("/login", dependencies=[Csrf])
def login(
    request: Request,
    db: Db,
    email: FormText = "",
    password: FormText = "",
    next: FormText = "/account",
) -> Response:
    form = {"email": email.strip(), "next": safe_next(next)}
    try:
        access.count_auth_attempt(db, access.visitor(request))
    except ApiError as error:
        return _refused(request, "account/login.html", form, error)
    user = credentials.authenticate(db, email, password)
    if user is None:  # one message for both: the answer does not tell who has an account
        wrong = ApiError(400, "wrong_login", "Wrong email or password.", "email")
        return _refused(request, "account/login.html", form, wrong)
    return _log_in(request, db, user, next)


@router.post("/logout", dependencies=[Csrf])
def logout(request: Request, db: Db) -> Response:
    token = auth.session_token(request)
    if token:
        credentials.end_session(db, token)
    response = RedirectResponse("/", status_code=303)
    auth.clear_session_cookie(request, response)
    access.forget_visitor(request)
    return response


@router.get("/account")
def account(request: Request, db: Db) -> Response:
    who = access.visitor(request)
    if who.user_id is None:
        return RedirectResponse("/login?next=/account", status_code=303)
    return _account_page(request, db, who)


@router.post("/account/keys", dependencies=[Csrf])
def create_key(request: Request, db: Db, name: FormText = "") -> Response:
    who = access.visitor(request)
    user = store.user_by_id(db, who.user_id) if who.user_id is not None else None
    if user is None:
        return RedirectResponse("/login?next=/account", status_code=303)
    try:
        key, text = credentials.new_key(db, user, name, who.at)
    except AccountError as error:
        return _account_page(request, db, who, error=error.message, status=400)
    # Shown here once, in this answer only (no-store): the catalog keeps its hash.
    return _account_page(request, db, who, new_key=text, new_key_name=key.name)


@router.post("/account/keys/{key_id}/revoke", dependencies=[Csrf])
def revoke_key(request: Request, db: Db, key_id: int) -> Response:
    who = access.visitor(request)
    if who.user_id is None:
        return RedirectResponse("/login?next=/account", status_code=303)
    key = store.key_by_id(db, key_id)
    if key is None or key.user_id != who.user_id:  # another's key is as good as no key
        raise not_found("API key", key_id)
    store.revoke_key(db, key_id, who.at)
    return RedirectResponse("/account", status_code=303)


def _account_page(
    request: Request,
    db: Database,
    who: Visitor,
    *,
    status: int = 200,
    **extra: Any,
) -> Response:
    assert who.user_id is not None
    config = deps.config(request)
    context = {
        "visitor": who,
        "plan": who.plan,
        "plans": [config.plan(name) for name in store.PLANS],
        "reveals_left": access.reveals_left(db, who),
        "resets_at": access.next_day(who.at),
        "keys": store.keys(db, who.user_id),
        "new_key": None,
        "error": None,
        **extra,
    }
    return _page(request, "account/account.html", context, status)


def _bad_input(error: AccountError) -> ApiError:
    return ApiError(
        400, "bad_input", error.message[:1].upper() + error.message[1:] + ".", error.where
    )
