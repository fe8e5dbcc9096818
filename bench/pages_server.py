"""A real `linernotes serve` process for the page benchmark, and a keep-alive HTTP client for it.

The server is started on a free loopback port with limits set out of reach (the benchmark reads
pages, it does not test plans), waited for until it answers, and stopped by its pid. The client
sends one request at a time on one connection, keeps the cookies the app sets (the anonymous
visitor's), and reads the app's own `Server-Timing: app;dur=...` beside its own clock.
"""

from __future__ import annotations

import http.client
import os
import re
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

VENV_BIN = Path(sys.executable).parent
START_TIMEOUT_S = 4 * 3600.0  # the first start on a new catalog builds its search index
STOP_TIMEOUT_S = 30.0
REQUEST_TIMEOUT_S = 120.0
UNLIMITED = str(10**9)
# Plans out of reach: a benchmark that hit a 429 would time the limit message, not the page.
LIMITS = {
    f"LINERNOTES_{plan}_{what}": UNLIMITED
    for plan in ("ANON", "FREE", "PRO")
    for what in ("REVEALS_PER_DAY", "API_PER_MINUTE")
}
SERVER_TIMING = re.compile(r"(?:^|,)\s*app;dur=([0-9.]+)")


class ServerError(RuntimeError):
    """The server did not start, died, or answered without the timing the benchmark reads."""


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now (the OS picks it)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def log_tail(path: Path, lines: int = 30) -> str:
    try:
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return "(no log)"


class Server:
    """`linernotes --db CATALOG serve` in its own process, for the time of a `with` block."""

    def __init__(self, catalog: Path, workdir: Path) -> None:
        self.catalog, self.workdir = catalog, workdir
        self.port = 0
        self.proc: subprocess.Popen[bytes] | None = None
        self.log = workdir / "serve.log"
        self.startup_s = 0.0

    def __enter__(self) -> Server:
        self.start()
        return self

    def __exit__(self, *_: object) -> None:
        self.stop()

    def start(self) -> None:
        self.port = free_port()
        env = {
            **os.environ,
            **LIMITS,
            "LINERNOTES_HOME": str(self.workdir / "home"),
            "LINERNOTES_ENV": "development",
            "LINERNOTES_LOOKUPS": "off",  # pages measured as they read, never asking the sources
        }
        env.pop("LINERNOTES_DATABASE_URL", None)
        command = [
            str(VENV_BIN / "linernotes"),
            "--db",
            str(self.catalog),
            "serve",
            "--host",
            "127.0.0.1",
            "--port",
            str(self.port),
        ]
        started = time.perf_counter()
        with self.log.open("wb") as out:
            self.proc = subprocess.Popen(command, stdout=out, stderr=subprocess.STDOUT, env=env)
        self._wait_ready()
        self.startup_s = time.perf_counter() - started

    def _answers(self) -> bool:
        try:
            conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=5)
            conn.request("GET", "/api/v1/openapi.json")
            ok = conn.getresponse().status == 200
            conn.close()
            return ok
        except OSError:
            return False

    def _wait_ready(self) -> None:
        assert self.proc is not None
        deadline, said = time.monotonic() + START_TIMEOUT_S, time.monotonic()
        while not self._answers():
            if self.proc.poll() is not None:
                raise ServerError(
                    f"linernotes serve exited with {self.proc.returncode}; log:\n"
                    f"{log_tail(self.log)}"
                )
            if time.monotonic() > deadline:
                self.stop()
                raise ServerError(f"linernotes serve not answering after {START_TIMEOUT_S:.0f} s")
            if time.monotonic() - said > 60:
                print("    still starting (a new catalog's search index is being built)...")
                said = time.monotonic()
            time.sleep(0.2)

    def stop(self) -> None:
        """SIGINT by pid (uvicorn's graceful stop), SIGKILL if it has not stopped in time."""
        if self.proc is None or self.proc.poll() is not None:
            return
        os.kill(self.proc.pid, signal.SIGINT)
        try:
            self.proc.wait(STOP_TIMEOUT_S)
        except subprocess.TimeoutExpired:
            os.kill(self.proc.pid, signal.SIGKILL)
            self.proc.wait()


@dataclass(frozen=True)
class Answer:
    status: int
    server_ms: float  # the app's Server-Timing
    client_ms: float  # request sent to body read, on this side of loopback
    size: int


class Client:
    """One keep-alive connection; cookies set by the app are sent back (one visitor)."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.cookies: dict[str, str] = {}
        self.conn = self._connect()

    def _connect(self) -> http.client.HTTPConnection:
        return http.client.HTTPConnection("127.0.0.1", self.port, timeout=REQUEST_TIMEOUT_S)

    def get(self, path: str, accept: str = "text/html") -> Answer:
        headers = {"Accept": accept}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        started = time.perf_counter()
        try:
            self.conn.request("GET", path, headers=headers)
            response = self.conn.getresponse()
            body = response.read()
        except (http.client.HTTPException, OSError):
            # A connection the server closed (keep-alive timeout): one retry on a new one.
            self.conn.close()
            self.conn = self._connect()
            started = time.perf_counter()
            self.conn.request("GET", path, headers=headers)
            response = self.conn.getresponse()
            body = response.read()
        client_ms = (time.perf_counter() - started) * 1000
        for value in response.headers.get_all("Set-Cookie") or []:
            name, _, rest = value.partition("=")
            self.cookies[name.strip()] = rest.split(";", 1)[0]
        timing = SERVER_TIMING.search(response.headers.get("Server-Timing", ""))
        if timing is None:
            raise ServerError(f"GET {path}: no Server-Timing app;dur in the answer")
        return Answer(response.status, float(timing.group(1)), client_ms, len(body))

    def close(self) -> None:
        self.conn.close()
