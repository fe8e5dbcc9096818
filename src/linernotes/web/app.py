"""The web app: the HTTP API under /api/v1 and the pages, on one catalog.

`prepare` readies the catalog once, before any server process starts (migrations, the demo on
first use, the search index built and synced); `create_app` is what each server process runs,
reading that catalog through a connection per thread. So several processes can serve one catalog.
"""

from __future__ import annotations

import time
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import FastAPI, Request, Response
from fastapi.staticfiles import StaticFiles

from linernotes import __version__
from linernotes.lookup.service import LookupSettings
from linernotes.search import sync
from linernotes.sources.http import HttpClient
from linernotes.store.catalog import Catalog
from linernotes.web import (
    access,
    accounts,
    api,
    api_follows,
    api_lookups,
    errors,
    pages,
    pages_errors,
    pages_follows,
)
from linernotes.web.api_http import COMMON_ERRORS
from linernotes.web.config import WebConfig
from linernotes.web.deps import Catalogs, open_index
from linernotes.web.lookups import Lookups

STATIC = Path(__file__).parent / "static"


def prepare(catalog: Catalog) -> None:
    """Bring the catalog's search index up to date before serving (one writer: this process)."""
    sync.open_index(catalog.db)


def _one_client(client: HttpClient | None) -> Callable[[str], HttpClient]:
    """Every source through one client (its rate limiters are per source anyway)."""
    assert client is not None
    return lambda _source: client


def create_app(config: WebConfig) -> FastAPI:
    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        catalogs = Catalogs(config.where)
        app.state.catalogs = catalogs
        app.state.index = open_index(catalogs.db())
        shared = HttpClient() if config.http is None else None
        app.state.lookups = Lookups(
            config.lookups or LookupSettings.from_settings(),
            catalogs.db,
            config.http or _one_client(shared),
            app.state.index,
        )
        try:
            yield
        finally:
            app.state.lookups.close()
            if shared is not None:
                shared.close()
            catalogs.close()

    app = FastAPI(
        title="linernotes",
        version=__version__,
        description="Who made this record, and how to reach them: credits by role, with sources.",
        docs_url="/api/v1/docs",
        redoc_url=None,
        openapi_url="/api/v1/openapi.json",
        lifespan=lifespan,
    )
    app.state.config = config
    errors.install(app)
    pages_errors.install(app)  # HTML error pages outside /api
    access.install(app)

    # Server time of each answer, for the browser's dev tools and the page benchmark (which
    # reads it rather than timing through the client and the network).
    @app.middleware("http")
    async def server_timing(
        request: Request, call_next: Callable[[Request], Awaitable[Response]]
    ) -> Response:
        started = time.perf_counter()
        response = await call_next(request)
        took = (time.perf_counter() - started) * 1000
        response.headers["Server-Timing"] = f"app;dur={took:.2f}"
        return response

    app.include_router(api.router)
    # Live look-ups: a job per look-up, with a status URL.
    app.include_router(
        api_lookups.router, prefix="/api/v1", tags=["lookups"], responses=COMMON_ERRORS
    )
    # Follow and get notified: one account's own follows, notifications and webhooks.
    app.include_router(
        api_follows.router, prefix="/api/v1", tags=["follows"], responses=COMMON_ERRORS
    )
    app.include_router(accounts.router)
    app.include_router(pages_follows.router)
    app.include_router(pages.router)
    if STATIC.is_dir():
        app.mount("/static", StaticFiles(directory=STATIC), name="static")
    return app
