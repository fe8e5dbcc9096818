"""`linernotes serve`: the web app and its API, on the catalog, in one or more processes."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
from pathlib import Path
from typing import Any

import click
import uvicorn
from fastapi import FastAPI

from linernotes import settings
from linernotes.cli.app import Context, cli, console
from linernotes.store.catalog import is_url, shown
from linernotes.web.app import create_app, prepare
from linernotes.web.config import ConfigError, WebConfig, for_settings

WORKER_RESTART_DELAY = 5.0  # seconds before a worker that died is started again


class WorkerWatch:
    """One `linernotes worker` process beside the server, started again when it dies, with a
    message that says so (a silent dead worker would leave notifications queued unseen), and
    stopped with the server."""

    def __init__(self, where: Path | str) -> None:
        self.args = [sys.executable, "-m", "linernotes", "--db", str(where), "worker"]
        self.stopping = threading.Event()
        self.process = self._start()
        self.thread = threading.Thread(target=self._watch, name="worker-watch", daemon=True)
        self.thread.start()

    def _start(self) -> subprocess.Popen[bytes]:
        # A session of its own: Ctrl-C reaches the server, which then stops the worker itself.
        process = subprocess.Popen(self.args, start_new_session=True)
        console.print(f"notification worker started (pid {process.pid})")
        return process

    def _watch(self) -> None:
        while not self.stopping.is_set():
            code = self.process.wait()
            if self.stopping.is_set():
                return
            console.print(
                f"[bold red]notification worker (pid {self.process.pid}) exited with status"
                f" {code}; starting another in {WORKER_RESTART_DELAY:g} s[/]"
            )
            if self.stopping.wait(WORKER_RESTART_DELAY):
                return
            self.process = self._start()

    def stop(self) -> None:
        self.stopping.set()
        if self.process.poll() is None:
            os.kill(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.kill(self.process.pid, signal.SIGKILL)
                self.process.wait()


def _exit_on_sigterm(signum: int, _frame: object) -> None:
    raise SystemExit(128 + signum)


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
@click.option(
    "--no-worker",
    is_flag=True,
    help="Do not start a `linernotes worker` beside the server (run one yourself).",
)
@click.pass_obj
def serve(
    obj: Context, host: str | None, port: int | None, workers: int | None, no_worker: bool
) -> None:
    """Serve the web app and its API (/api/v1, described at /api/v1/docs) on the catalog, with
    a worker process sending notifications beside it."""
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
    watcher = None if no_worker else WorkerWatch(obj.where)
    # uvicorn shuts down on SIGTERM, then raises the signal again with the handler it found: the
    # default one would end this process before `finally` stops the worker, leaving it running.
    signal.signal(signal.SIGTERM, _exit_on_sigterm)
    try:
        _serve(config, obj.where, host, port, workers)
    finally:
        if watcher is not None:
            watcher.stop()


def _serve(config: WebConfig, where: Path | str, host: str, port: int, workers: int) -> None:
    if workers == 1:
        uvicorn.run(create_app(config), host=host, port=port, **_UVICORN)
        return
    _pass_catalog(where)
    uvicorn.run(
        "linernotes.cli.commands_serve:app_from_settings",
        factory=True,
        host=host,
        port=port,
        workers=workers,
        **_UVICORN,
    )
