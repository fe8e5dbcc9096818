"""The browser tests' server and browser: Debian's chromium, and `linernotes serve` on a catalog.

`ensure_chromium` finds /usr/bin/chromium, or installs it through apt-get when missing and we are
root, else fails saying how to install it (these tests are never skipped). `serve` starts the
app on a free loopback port with small plan limits and stops it by its pid.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import urllib.error
import urllib.request
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest
from playwright.sync_api import ViewportSize

from linernotes.store.catalog import Catalog

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
ROOT = Path(__file__).resolve().parents[2]
LINERNOTES = Path(sys.executable).parent / "linernotes"
# Small plans, so a journey reaches the limit in a few clicks.
LIMITS = {
    "LINERNOTES_ANON_REVEALS_PER_DAY": "1",
    "LINERNOTES_FREE_REVEALS_PER_DAY": "2",
    "LINERNOTES_PRO_REVEALS_PER_DAY": "5",
}
START_TIMEOUT_S = 60.0
STOP_TIMEOUT_S = 15.0
DESKTOP: ViewportSize = {"width": 1280, "height": 800}
PHONE_WIDTH = 375
ACTION_TIMEOUT_MS = 10_000


def ensure_chromium() -> Path:
    """Debian's chromium; installed with apt-get when missing and we may (root), else a clear
    failure: these tests are part of the suite and are never skipped."""
    if CHROMIUM.exists():
        return CHROMIUM
    if os.geteuid() == 0 and shutil.which("apt-get"):
        env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
        subprocess.run(["apt-get", "update", "-qq"], check=True, env=env)
        subprocess.run(["apt-get", "install", "-y", "-qq", "chromium"], check=True, env=env)
    if not CHROMIUM.exists():
        pytest.fail(
            f"the browser tests need Debian's chromium at {CHROMIUM}: run"
            " `apt-get install chromium` as root (it was not found, and this run could not"
            " install it)",
            pytrace=False,
        )
    return CHROMIUM


# -- the server ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Ids:
    """Entities the journeys visit, looked up in the served catalog (not hard-coded ids)."""

    drake: int
    boi1da: int
    murda_beatz: int
    tm88: int
    duets: int  # Elton John's "Duets", Discogs release 9343063


@dataclass(frozen=True)
class Site:
    url: str
    pid: int
    log: Path
    ids: Ids


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _artist(catalog: Catalog, name: str) -> int:
    """The artist of this exact name with the most credits (the one the journeys mean)."""
    row = catalog.db.one(
        "SELECT a.id FROM artist a LEFT JOIN credit c ON c.artist_id = a.id WHERE a.name = ?"
        " GROUP BY a.id ORDER BY count(c.id) DESC, a.id LIMIT 1",
        (name,),
    )
    assert row is not None, f"the demo catalog has no artist named {name!r}"
    return int(row[0])


def lookup_ids(where: Path | str) -> Ids:
    catalog = Catalog.open(where)
    try:
        duets = catalog.db.one(
            "SELECT entity_id FROM external_id WHERE entity_kind = 'release'"
            " AND namespace = 'discogs' AND value = '9343063'"
        )
        assert duets is not None, "the demo catalog lost Discogs release 9343063 (Duets)"
        return Ids(
            drake=_artist(catalog, "Drake"),
            boi1da=_artist(catalog, "Boi-1da"),
            murda_beatz=_artist(catalog, "Murda Beatz"),
            tm88=_artist(catalog, "TM88"),
            duets=int(duets[0]),
        )
    finally:
        catalog.close()


def _answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2) as answer:
            return int(answer.status) == 200
    except (urllib.error.URLError, OSError):
        return False


def _wait_ready(proc: subprocess.Popen[bytes], url: str, log: Path) -> None:
    """Until the home page answers; the process's own exit ends the wait at once."""
    waited = 0.0
    while not _answers(url + "/"):
        try:
            code = proc.wait(timeout=0.1)
        except subprocess.TimeoutExpired:
            waited += 0.1
            if waited > START_TIMEOUT_S:
                _stop(proc)
                pytest.fail(f"linernotes serve not answering after {START_TIMEOUT_S:.0f} s: {log}")
            continue
        pytest.fail(f"linernotes serve exited with {code}:\n{log.read_text(errors='replace')}")


def _stop(proc: subprocess.Popen[bytes]) -> None:
    if proc.poll() is not None:
        return
    os.kill(proc.pid, signal.SIGINT)
    try:
        proc.wait(STOP_TIMEOUT_S)
    except subprocess.TimeoutExpired:
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait()


@contextmanager
def serve(where: Path | str, folder: Path, env: Mapping[str, str]) -> Iterator[Site]:
    """`linernotes --db WHERE serve` on a free port until the block ends (stopped by its pid)."""
    port, log = free_port(), folder / "serve.log"
    full = {
        **os.environ,
        **LIMITS,
        "LINERNOTES_HOME": str(folder),
        "LINERNOTES_ENV": "development",
        # The demo's pages never reach for the network: no live look-up from a journey.
        "LINERNOTES_LOOKUPS": "off",
    }
    for name in ("LINERNOTES_DATABASE", "LINERNOTES_DATABASE_URL", "LINERNOTES_SETTINGS_FILE"):
        full.pop(name, None)
    full.update(env)
    command = [str(LINERNOTES), "--db", str(where), "serve", "--host", "127.0.0.1"]
    with log.open("wb") as out:
        proc = subprocess.Popen(
            [*command, "--port", str(port)], stdout=out, stderr=subprocess.STDOUT, env=full
        )
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_ready(proc, url, log)
        yield Site(url, proc.pid, log, lookup_ids(where))
    finally:
        _stop(proc)
