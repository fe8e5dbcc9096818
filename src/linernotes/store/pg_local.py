"""A throwaway PostgreSQL server on loopback: for the tests, the benchmarks and trying things out.

It runs Debian's `postgresql` from a fresh data folder (initdb), as the `postgres` user when we
are root (the server refuses to run as root), listening on 127.0.0.1 and a free port, and is
stopped by its own process id. Production catalogs point `LINERNOTES_DATABASE_URL` at a server
their operators run; nothing here is used for those.
"""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import signal
import socket
import stat
import subprocess
import tempfile
import time
from collections.abc import Mapping
from pathlib import Path
from types import TracebackType
from typing import Any

START_TIMEOUT_S = 60.0
STOP_TIMEOUT_S = 30.0

# For tests and throwaway catalogs: nothing is worth an fsync, and the server stays small.
FAST_SETTINGS: Mapping[str, str] = {
    "fsync": "off",
    "synchronous_commit": "off",
    "full_page_writes": "off",
    "shared_buffers": "128MB",
    "max_connections": "100",
    "jit": "off",
}


class LocalPostgresError(RuntimeError):
    """The local server could not be installed, started or reached."""


def ensure_postgres() -> Path:
    """The server's bin folder; installs Debian's postgresql first when missing (as root)."""
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/postgres"))
    if not found:
        if os.geteuid() != 0 or shutil.which("apt-get") is None:
            raise LocalPostgresError(
                "PostgreSQL is not installed: apt-get install postgresql postgresql-contrib"
                " (as root)"
            )
        env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
        subprocess.run(["apt-get", "update", "-qq"], check=True, env=env)
        subprocess.run(
            ["apt-get", "install", "-y", "-qq", "postgresql", "postgresql-contrib"],
            check=True,
            env=env,
        )
        found = sorted(glob.glob("/usr/lib/postgresql/*/bin/postgres"))
        if not found:
            raise LocalPostgresError("apt-get installed postgresql but no /usr/lib/postgresql/*")
    # The newest major version (the folder names are numbers: compare them as numbers).
    return max((Path(p).parent for p in found), key=lambda b: int(b.parent.name))


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now (the OS picks it)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def as_postgres_user() -> dict[str, Any]:
    """Popen arguments that run a child as `postgres` when we are root.

    Popen's own user switch rather than runuser: the pid we hold is then the server's own, so
    stopping it by pid reaches it directly.
    """
    if os.geteuid() != 0:
        return {}
    user = pwd.getpwnam("postgres")
    return {"user": user.pw_uid, "group": user.pw_gid, "extra_groups": []}


def _check_reachable(path: Path) -> None:
    """Fail clearly if the postgres user could not get to `path` (a parent closed to others)."""
    for parent in path.parents:
        if not parent.stat().st_mode & stat.S_IXOTH:
            raise LocalPostgresError(
                f"the postgres user cannot enter {parent}: chmod o+x it or pick another folder"
            )


def _log_tail(path: Path, lines: int = 30) -> str:
    try:
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])
    except OSError as error:
        return f"(no log at {path}: {error})"


class LocalPostgres:
    """One server: `start()` gives its URL, `stop()` ends it by pid (also on `with` exit)."""

    def __init__(self, workdir: Path | None = None, settings: Mapping[str, str] = FAST_SETTINGS):
        self.workdir = workdir
        self.settings = dict(settings)
        self.folder: Path | None = None
        self.proc: subprocess.Popen[bytes] | None = None
        self.port = 0

    def __enter__(self) -> LocalPostgres:
        self.start()
        return self

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()

    def url(self, database: str = "postgres", tcp: bool = False) -> str:
        """A URL for `database`: over the unix socket (no TCP stack between the store and its
        server) unless `tcp`, or the folder is too deep for a socket's path."""
        if not self.port or self.folder is None:
            raise LocalPostgresError("the local PostgreSQL server is not started")
        if tcp or len(str(self.folder)) > 90:
            return f"postgresql://postgres@127.0.0.1:{self.port}/{database}"
        return f"postgresql://postgres@/{database}?host={self.folder}&port={self.port}"

    def start(self) -> str:
        bindir = ensure_postgres()
        if self.workdir is not None:
            self.workdir.mkdir(parents=True, exist_ok=True)
        self.folder = Path(tempfile.mkdtemp(prefix="linernotes-pg-", dir=self.workdir))
        user = as_postgres_user()
        if user:
            _check_reachable(self.folder)
            os.chown(self.folder, user["user"], user["group"])
        data, log = self.folder / "data", self.folder / "server.log"
        initdb = [str(bindir / "initdb"), "-D", str(data), "-U", "postgres", "-A", "trust"]
        initdb += ["--encoding=UTF8", "--locale=C.UTF-8", "--no-sync", "--no-instructions"]
        done = subprocess.run(initdb, capture_output=True, text=True, check=False, **user)
        if done.returncode != 0:
            raise LocalPostgresError(f"initdb failed ({done.returncode}): {done.stderr}")
        self.port = free_port()
        command = [str(bindir / "postgres"), "-D", str(data)]
        options = {
            **self.settings,
            "listen_addresses": "127.0.0.1",
            "port": str(self.port),
            "unix_socket_directories": str(self.folder),
        }
        for key, value in options.items():
            command += ["-c", f"{key}={value}"]
        with log.open("wb") as out:
            self.proc = subprocess.Popen(command, stdout=out, stderr=subprocess.STDOUT, **user)
        self._wait_ready(log)
        return self.url()

    def _wait_ready(self, log: Path) -> None:
        import psycopg  # here: only a caller that starts a server needs the driver

        assert self.proc is not None
        deadline = time.monotonic() + START_TIMEOUT_S
        while True:
            if self.proc.poll() is not None:
                raise LocalPostgresError(
                    f"postgres exited with {self.proc.returncode}; log:\n{_log_tail(log)}"
                )
            try:
                psycopg.connect(self.url(), connect_timeout=2).close()
                return
            except psycopg.OperationalError:
                if time.monotonic() > deadline:
                    raise LocalPostgresError(
                        f"postgres not ready after {START_TIMEOUT_S:.0f} s; log:\n{_log_tail(log)}"
                    ) from None
                time.sleep(0.1)

    def stop(self) -> None:
        """Fast shutdown by pid (SIGINT), then the data folder goes."""
        if self.proc is not None and self.proc.poll() is None:
            os.kill(self.proc.pid, signal.SIGINT)
            try:
                self.proc.wait(STOP_TIMEOUT_S)
            except subprocess.TimeoutExpired:
                os.kill(self.proc.pid, signal.SIGKILL)
                self.proc.wait()
        self.proc = None
        if self.folder is not None:
            shutil.rmtree(self.folder, ignore_errors=True)
            self.folder = None
