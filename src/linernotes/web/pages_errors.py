"""Errors as pages: a 404 for an unknown id, a clear message for a bad query, in HTML.

The API answers its errors with one JSON body (web/errors.py). `install` keeps that for /api
paths and renders an HTML page everywhere else, or a one-line fragment for an htmx request (it
is swapped into the page, where a whole page would not fit).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from http import HTTPStatus

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.responses import Response

from linernotes.web import access
from linernotes.web.config import WebConfig
from linernotes.web.errors import ApiError
from linernotes.web.templating import render

API_PREFIX = "/api/"
Handler = Callable[[Request, Exception], Response | Awaitable[Response]]


class PageError(Exception):
    """A page that cannot be shown: its status, a title and a message for the reader."""

    def __init__(
        self, status: int, title: str, message: str, headers: dict[str, str] | None = None
    ) -> None:
        super().__init__(message)
        self.status = status
        self.title = title
        self.message = message
        self.headers = headers or {}


def missing(kind: str, entity_id: object) -> PageError:
    return PageError(
        404,
        f"No such {kind}",
        f"There is no {kind} with id {entity_id} in this catalog. Search for it by name instead.",
    )


def _title(status: int) -> str:
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return "Error"


def _sentence(text: str) -> str:
    text = text.strip()
    return text[:1].upper() + text[1:] if text else text


def _as_page_error(exc: Exception) -> PageError:
    if isinstance(exc, PageError):
        return exc
    if isinstance(exc, ApiError):
        title = "Not found" if exc.status == 404 else _title(exc.status)
        return PageError(exc.status, title, _sentence(exc.message), exc.headers)
    if isinstance(exc, RequestValidationError):
        problem = exc.errors()[0]
        where = [str(p) for p in problem.get("loc", ())]
        if where[:1] == ["path"]:  # /artist/abc: no such page, not a malformed request
            return PageError(404, "Page not found", "There is no page at this address.")
        name = where[-1] if where else "the request"
        return PageError(400, "Bad request", f"{name}: {problem.get('msg', 'not understood')}.")
    if isinstance(exc, StarletteHTTPException):
        if exc.status_code == 404:
            return PageError(404, "Page not found", "There is no page at this address.")
        headers = dict(exc.headers or {})
        return PageError(exc.status_code, _title(exc.status_code), str(exc.detail), headers)
    raise exc


def _visitor(request: Request) -> access.Visitor:
    """Who is asking, for the page's header; an error page must render even when that fails."""
    try:
        return access.visitor(request)
    except ApiError:
        config: WebConfig = request.app.state.config
        address = request.client.host if request.client else "unknown"
        return access.Visitor(plan=config.plan("anonymous"), address=address)


def error_page(request: Request, error: PageError) -> Response:
    fragment = request.headers.get("HX-Request") == "true"
    return render(
        request,
        "fragments/error.html" if fragment else "error.html",
        {"error": error, "visitor": _visitor(request)},
        status_code=error.status,
        headers=error.headers,
    )


def install(app: FastAPI) -> None:
    """HTML error pages outside /api; the JSON handlers `errors.install` set stay for /api."""

    async def page_error(request: Request, exc: Exception) -> Response:
        return await run_in_threadpool(error_page, request, _as_page_error(exc))

    app.add_exception_handler(PageError, page_error)
    for kind in (ApiError, RequestValidationError, StarletteHTTPException):
        json_handler: Handler | None = app.exception_handlers.get(kind)
        app.add_exception_handler(kind, _either(json_handler, page_error))


def _either(
    json_handler: Handler | None, page_error: Callable[[Request, Exception], Awaitable[Response]]
) -> Callable[[Request, Exception], Awaitable[Response]]:
    async def handle(request: Request, exc: Exception) -> Response:
        if json_handler is not None and request.url.path.startswith(API_PREFIX):
            answer = json_handler(request, exc)
            return answer if isinstance(answer, Response) else await answer
        return await page_error(request, exc)

    return handle
