"""`linernotes serve`: the web app and its API, on the catalog, in one or more processes."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import click
import uvicorn
from fastapi import FastAPI

from linernotes import settings
from linernotes.cli.app import Context, cli, console
from linernotes.store.catalog import is_url, shown
from linernotes.web.app import create_app, prepare
from linernotes.web.config import ConfigError, for_settings


def app_from_settings() -> FastAPI:
    """What each server process runs (uvicorn imports it by name when there are several)."""
    return create_app(for_settings(settings.database_location()))


def _pass_catalog(where: Path | str) -> None:
    """Server processes find the catalog as the command line does: through the settings."""
    if is_url(where):
        os.environ[settings.DATABASE_URL.env] = str(where)
    else:
        os.environ.pop(settings.DATABASE_URL.env, None)
        os.environ[settings.DATABASE.env] = str(where)


# X-Forwarded-For is not trusted: uvicorn would otherwise take the client's address from it on
# loopback, and anyone on the machine could claim any address past the per-address limits.
_UVICORN: dict[str, Any] = {"log_level": "warning", "proxy_headers": False}


@cli.command()
@click.option("--host", help=f"Address to listen on (default: {settings.HOST.env}, 127.0.0.1).")
@click.option("--port", type=int, help=f"Port (default: {settings.PORT.env}, 8000).")
@click.option(
    "--workers", type=click.IntRange(min=1), help=f"Server processes ({settings.WORKERS.env})."
)
@click.pass_obj
def serve(obj: Context, host: str | None, port: int | None, workers: int | None) -> None:
    """Serve the web app and its API (/api/v1, described at /api/v1/docs) on the catalog."""
    try:
        config = for_settings(obj.where)  # refuse a bad setting before any work
        port = port or settings.positive_int(settings.PORT)
        workers = workers or settings.positive_int(settings.WORKERS)
    except (ConfigError, ValueError) as error:
        raise click.ClickException(str(error)) from None
    host = host or settings.HOST.value()
    prepare(obj.catalog)  # migrations, the demo on first use, the search index: done once, here
    obj.close()
    console.print(
        f"linernotes on http://{host}:{port}  (catalog: {shown(obj.where)})", soft_wrap=True
    )
    if not config.production:
        console.print("[dim]development mode: the default secret key signs cookies[/]")
    if workers == 1:
        uvicorn.run(create_app(config), host=host, port=port, **_UVICORN)
        return
    _pass_catalog(obj.where)
    uvicorn.run(
        "linernotes.cli.commands_serve:app_from_settings",
        factory=True,
        host=host,
        port=port,
        workers=workers,
        **_UVICORN,
    )
