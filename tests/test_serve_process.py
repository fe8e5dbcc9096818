"""`linernotes serve` as a process manager sees it: stopped with SIGTERM (systemd, docker stop,
kill), it stops the notification worker it started instead of leaving it running alone."""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from backends import Backend

LINERNOTES = Path(sys.executable).parent / "linernotes"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _answers(port: int) -> bool:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/v1/openapi.json", timeout=2):
            return True
    except OSError:
        return False


def _alive(pid: int) -> bool:
    """Running (a zombie waiting for a parent to reap it has stopped)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except FileNotFoundError:
        return False
    return stat.rsplit(")", 1)[1].split()[0] != "Z"


@pytest.mark.slow
def test_sigterm_stops_the_server_and_its_worker(
    backend: Backend, demo_path: Path | str, tmp_path: Path
) -> None:
    where, port = backend.copy(demo_path, "serve"), _free_port()
    env = {**os.environ, "LINERNOTES_HOME": str(tmp_path), "LINERNOTES_ENV": "development"}
    command = [str(LINERNOTES), "--db", str(where), "serve", "--port", str(port)]
    log = tmp_path / "serve.log"
    with log.open("w") as out:
        server = subprocess.Popen(command, stdout=out, stderr=subprocess.STDOUT, env=env)
    worker = 0
    try:
        deadline = time.monotonic() + 60
        while not (worker and _answers(port)):
            assert server.poll() is None and time.monotonic() < deadline, log.read_text()
            if started := re.search(r"worker started \(pid (\d+)\)", log.read_text()):
                worker = int(started.group(1))
            time.sleep(0.2)
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)
        deadline = time.monotonic() + 15
        while _alive(worker) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert not _alive(worker), f"worker {worker} outlived its server"
    finally:
        if server.poll() is None:
            server.kill()
            server.wait()
        if worker and _alive(worker):
            os.kill(worker, signal.SIGKILL)
