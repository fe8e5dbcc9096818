"""One error shape for the whole API: `{"error": {"code", "message", "where"}}`.

A client never parses FastAPI's default validation list or Starlette's `{"detail": ...}`; every
4xx and 5xx under /api says what went wrong and where (a parameter, a path segment, a limit).
"""

from __future__ import annotations

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException


class ApiError(Exception):
    """An answer other than 200, raised anywhere below a handler."""

    def __init__(
        self,
        status: int,
        code: str,
        message: str,
        where: str = "",
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.where = where
        self.headers = headers or {}


def not_found(kind: str, entity_id: object, where: str = "path.id") -> ApiError:
    return ApiError(404, "not_found", f"no {kind} with id {entity_id}", where)


def body(code: str, message: str, where: str = "") -> dict[str, dict[str, str]]:
    return {"error": {"code": code, "message": message, "where": where}}


def error_response(error: ApiError) -> JSONResponse:
    return JSONResponse(
        body(error.code, error.message, error.where),
        status_code=error.status,
        headers=error.headers,
    )


_CODES = {404: "not_found", 405: "method_not_allowed", 406: "not_acceptable"}


def install(app: FastAPI) -> None:
    """JSON error bodies for the API's errors. Pages (not under /api) may register their own
    handlers for ApiError and HTTP errors; those that do not get the JSON body too."""

    @app.exception_handler(ApiError)
    async def api_error(_: Request, exc: ApiError) -> Response:
        return error_response(exc)

    @app.exception_handler(RequestValidationError)
    async def bad_request(_: Request, exc: RequestValidationError) -> Response:
        problem = exc.errors()[0]
        where = ".".join(str(p) for p in problem.get("loc", ()))
        return JSONResponse(
            body("bad_request", str(problem.get("msg", "")), where), status_code=422
        )

    @app.exception_handler(StarletteHTTPException)
    async def http_error(_: Request, exc: StarletteHTTPException) -> Response:
        code = _CODES.get(exc.status_code, "http_error")
        return JSONResponse(
            body(code, str(exc.detail)), status_code=exc.status_code, headers=exc.headers
        )
