"""The search benchmark's peers: PostgreSQL pg_trgm and Typesense, as real servers on loopback.

Each peer starts its server in a temp dir of the caller's work dir, on 127.0.0.1 and a free port,
loads the corpus, answers queries with the engine's own time for each, and stops its process by
pid (removing its temp dir, nothing else). `make bench-search` calls them beside our own engine on
the same corpus and queries:

    with PostgresPeer() as pg:              # or: for peer in peers(): ... finally: peer.stop()
        pg.start(workdir)
        seconds = pg.load(entries)          # entries: anything shaped like EntryLike
        ids, engine_ms = pg.search("metro bo")

What "engine time" and "load time" mean for each peer is said in its module (peer_postgres.py,
peer_typesense.py). This module holds what both share: the protocols and the process helpers.
"""

from __future__ import annotations

import os
import signal
import subprocess
import time
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Protocol, runtime_checkable

import httpx

from linernotes.store.pg_local import free_port as free_port  # for the peers

START_TIMEOUT_S = 120.0  # a 2 GB shared_buffers Postgres on a busy 2-core box can take a while
STOP_TIMEOUT_S = 60.0


class EntryLike(Protocol):
    """One corpus entry (bench/search_corpus.py makes them; any object with these will do)."""

    @property
    def id(self) -> int: ...
    @property
    def kind(self) -> str: ...
    @property
    def name(self) -> str: ...
    @property
    def aliases(self) -> tuple[str, ...]: ...
    @property
    def context(self) -> str: ...
    @property
    def importance(self) -> int: ...


class Peer(Protocol):
    """What the harness calls; see the module docstring."""

    name: str

    def start(self, workdir: Path) -> None: ...
    def load(self, entries: Iterable[EntryLike]) -> float: ...
    def disk_bytes(self) -> int: ...
    def search(self, query: str, k: int = 10) -> tuple[list[int], float]: ...
    def stop(self) -> None: ...


@runtime_checkable
class HttpPeer(Peer, Protocol):
    """A peer with an HTTP search API of its own (Typesense; PostgreSQL has none)."""

    def http_search(self, client: httpx.Client, query: str, k: int = 10) -> list[int]: ...


class PeerError(RuntimeError):
    """A peer's server would not start, load or answer; the message says why."""


def peers() -> list[Peer]:
    """Both peers, not started."""
    # Imported here: both modules import this one for the helpers below.
    from peer_postgres import PostgresPeer
    from peer_typesense import TypesensePeer

    return [PostgresPeer(), TypesensePeer()]


def log_tail(path: Path, lines: int = 30) -> str:
    """The last lines of a server log, for error messages."""
    try:
        text = path.read_text(errors="replace")
    except OSError as error:
        return f"(no log at {path}: {error})"
    return "\n".join(text.splitlines()[-lines:])


def wait_until(
    ready: Callable[[], bool], proc: subprocess.Popen[bytes], what: str, log: Path
) -> None:
    """Poll `ready` until it is true; fail loudly if the process dies or the timeout passes."""
    deadline = time.monotonic() + START_TIMEOUT_S
    while True:
        if proc.poll() is not None:
            raise PeerError(f"{what} exited with {proc.returncode}; log:\n{log_tail(log)}")
        if ready():
            return
        if time.monotonic() > deadline:
            raise PeerError(
                f"{what} not ready after {START_TIMEOUT_S:.0f} s; log:\n{log_tail(log)}"
            )
        time.sleep(0.1)


def stop_process(proc: subprocess.Popen[bytes], sig: signal.Signals) -> None:
    """Ask the process (by its pid) to stop with `sig`; kill it if it has not within the timeout."""
    if proc.poll() is not None:
        return
    os.kill(proc.pid, sig)
    try:
        proc.wait(STOP_TIMEOUT_S)
    except subprocess.TimeoutExpired:
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait()


def rss_bytes(pid: int) -> int:
    """Resident memory of a process (VmRSS in /proc/PID/status)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) * 1024
    raise PeerError(f"no VmRSS for pid {pid}")


def children(pid: int) -> list[int]:
    """Pids whose parent is `pid` (a Postgres server's backends and workers)."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:  # gone while we looked
                continue
            # The command name, in parentheses, may hold spaces: fields count from its end.
            if int(stat[stat.rindex(")") + 2 :].split()[1]) == pid:
                found.append(int(entry.name))
    return found


def pss_bytes(pids: Iterable[int]) -> int:
    """Proportional resident memory of processes together (shared pages counted once)."""
    total = 0
    for pid in pids:
        try:
            rollup = Path(f"/proc/{pid}/smaps_rollup").read_text()
        except OSError:
            continue
        for line in rollup.splitlines():
            if line.startswith("Pss:"):
                total += int(line.split()[1]) * 1024
    return total


def dir_bytes(path: Path) -> int:
    """Bytes allocated on disk under `path`, as `du` counts them (blocks, each inode once)."""
    seen: set[tuple[int, int]] = set()
    total = 0
    for root, _dirs, files in os.walk(path):
        for name in files:
            try:
                st = os.lstat(os.path.join(root, name))
            except FileNotFoundError:  # a server may drop a temp file while we walk
                continue
            if (st.st_dev, st.st_ino) not in seen:
                seen.add((st.st_dev, st.st_ino))
                total += st.st_blocks * 512
    return total
