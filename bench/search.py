"""Search at scale: our tantivy index against PostgreSQL pg_trgm and Typesense, same run.

    .venv/bin/python bench/search.py                                  # 1M, 5M and 15M
    .venv/bin/python bench/search.py --sizes 1000000 --queries 300    # one size, fewer queries
    .venv/bin/python bench/search.py --sizes 100000 --peers none      # ours only, quick

For each size: the generated corpus (search_corpus.py, cached) plus the real names of the demo
catalog, indexed by each engine (build time, bytes per entry); then the same queries
(search_queries.py: exact, prefix, one and two typos, real names with a typo) against each,
once to warm up and `--repeats` times timed; each query's median is its figure. Reported per
set: p50/p95/p99 latency, queries per second (one client, one query at a time), recall@10.

Engine time: ours is the whole `NameIndex.search` call in process (tantivy plus our ranking in
Python); PostgreSQL's is the server's planning + execution time (EXPLAIN ANALYZE); Typesense's
is its reported search_time_ms. HTTP: our API (FastAPI + uvicorn, one process) and Typesense's,
timed by the same httpx client. Results: bench/results/search.json; ratios are peer / ours.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
import search_corpus
import search_queries
from search_corpus import Entry
from search_peers import HttpPeer, Peer, dir_bytes, free_port, peers, wait_until
from search_queries import Query

from linernotes.demo.build import build_demo
from linernotes.normalize.fold import fold
from linernotes.search import catalog_docs
from linernotes.search.analyze import Doc
from linernotes.search.engine import NameIndex
from linernotes.store.catalog import Catalog

RESULTS = Path(__file__).resolve().parent / "results"
SETS = ("exact", "prefix", "typo1", "typo2")
REAL_SET = "real_typo1"
K = 10
SERVE = Path(__file__).resolve().parent / "search_serve.py"
BUILD_WORKERS = max(1, (os.cpu_count() or 2) - 1)  # as `linernotes index rebuild` does
WARM_UP = 100  # queries run untimed first: enough to fault in each engine's hot pages

Search = Callable[[str], list[int]]


@dataclass
class Figures:
    p50: float
    p95: float
    p99: float
    qps: float
    recall: float
    queries: int


def real_entries(first_id: int) -> list[Entry]:
    """The demo catalog's artists, albums and songs, with their aliases and importance."""
    with tempfile.TemporaryDirectory() as tmp:
        catalog = Catalog.open_sqlite(Path(tmp) / "catalog.sqlite3")
        build_demo(catalog)
        docs = list(catalog_docs.all_docs(catalog.db))
        catalog.close()
    return [
        Entry(first_id + i, d.kind, d.name, d.aliases, "", d.importance) for i, d in enumerate(docs)
    ]


def corpus(n: int, real: list[Entry]) -> Iterator[Entry]:
    yield from search_corpus.iter_cached(n)
    yield from real


def pick_queries(n: int, real: list[Entry], per_set: int, seed: int) -> list[Query]:
    """Targets drawn uniformly from the generated entries (and the real ones), one pass."""
    rng = random.Random(seed)
    wanted = set(rng.sample(range(1, n + 1), min(n, per_set * len(SETS) * 3)))
    chosen = [e for e in search_corpus.iter_cached(n) if e.id in wanted]
    rng.shuffle(chosen)
    queries: list[Query] = []
    for set_name in SETS:
        made = 0
        for entry in chosen:
            query = search_queries.make(set_name, entry.id, entry.name, rng)
            if query is not None and made < per_set:
                queries.append(query)
                made += 1
    real_targets = rng.sample(real, min(len(real), per_set * 3))
    made = 0
    for entry in real_targets:
        query = search_queries.make("typo1", entry.id, entry.name, rng)
        if query is not None and made < per_set:
            queries.append(Query(REAL_SET, query.text, query.target, query.folded))
            made += 1
    return queries


def same_names(n: int, real: list[Entry], queries: list[Query]) -> dict[str, set[int]]:
    """Every entry id under each target's folded name: any of them is a right answer."""
    names = {q.folded for q in queries}
    found: dict[str, set[int]] = {name: set() for name in names}
    for entry in corpus(n, real):
        folded = fold(entry.name)
        if folded in found:
            found[folded].add(entry.id)
    return found


def measure(
    search: Search, queries: list[Query], right: dict[str, set[int]], repeats: int
) -> dict[str, Figures]:
    """Per query set: latency percentiles of each query's median, qps and recall@10."""
    for q in queries[:WARM_UP]:  # caches, lazy loads, connection set-up
        search(q.text)
    times: dict[Query, list[float]] = {q: [] for q in queries}
    answers: dict[Query, list[int]] = {}
    for _ in range(repeats):
        for q in queries:
            started = time.perf_counter()
            answers[q] = search(q.text)
            times[q].append((time.perf_counter() - started) * 1000)
    return _figures(queries, {q: statistics.median(t) for q, t in times.items()}, answers, right)


def measure_engine(
    search: Callable[[str], tuple[list[int], float]],
    queries: list[Query],
    right: dict[str, set[int]],
    repeats: int,
) -> dict[str, Figures]:
    """As `measure`, with the time the engine itself reports."""
    for q in queries[:WARM_UP]:
        search(q.text)
    times: dict[Query, list[float]] = {q: [] for q in queries}
    answers: dict[Query, list[int]] = {}
    for _ in range(repeats):
        for q in queries:
            answers[q], engine_ms = search(q.text)
            times[q].append(engine_ms)
    return _figures(queries, {q: statistics.median(t) for q, t in times.items()}, answers, right)


def _figures(
    queries: list[Query],
    ms: dict[Query, float],
    answers: dict[Query, list[int]],
    right: dict[str, set[int]],
) -> dict[str, Figures]:
    out: dict[str, Figures] = {}
    for set_name in dict.fromkeys(q.set for q in queries):
        mine = [q for q in queries if q.set == set_name]
        times = sorted(ms[q] for q in mine)
        hits = sum(1 for q in mine if right[q.folded] & set(answers[q][:K]))
        out[set_name] = Figures(
            p50=_pct(times, 50),
            p95=_pct(times, 95),
            p99=_pct(times, 99),
            qps=len(times) / (sum(times) / 1000) if sum(times) else 0.0,
            recall=hits / len(mine),
            queries=len(mine),
        )
    return out


def _pct(sorted_ms: list[float], pct: int) -> float:
    if not sorted_ms:
        return 0.0
    i = min(len(sorted_ms) - 1, round(pct / 100 * (len(sorted_ms) - 1)))
    return round(sorted_ms[i], 3)


# -- ours ---------------------------------------------------------------------------------------


def build_ours(path: Path, entries: Iterator[Entry]) -> tuple[NameIndex, float]:
    started = time.perf_counter()
    index = NameIndex.create(path)
    docs = (Doc(e.kind, e.id, e.name, e.aliases, e.importance) for e in entries)
    for _ in index.add_all(docs, workers=BUILD_WORKERS):
        pass
    return index, time.perf_counter() - started


def serve_ours(path: Path) -> tuple[subprocess.Popen[bytes], str]:
    port = free_port()
    log = path.with_name("serve.log")
    with open(log, "wb") as out:
        proc = subprocess.Popen(
            [sys.executable, str(SERVE), "--index", str(path), "--port", str(port)],
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    base = f"http://127.0.0.1:{port}"

    def up() -> bool:
        try:
            return httpx.get(f"{base}/api/v1/search", params={"q": "a"}).status_code == 200
        except httpx.TransportError:
            return False

    wait_until(up, proc, "our search API", log)
    return proc, base


def ours_http(client: httpx.Client, base: str) -> Search:
    def search(text: str) -> list[int]:
        answer = client.get(f"{base}/api/v1/search", params={"q": text, "limit": K})
        answer.raise_for_status()
        return [int(h["id"]) for h in answer.json()["hits"]]

    return search


# -- one size -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Size:
    """One size's corpus, queries and answers: what every engine of the run is measured on."""

    n: int
    args: argparse.Namespace
    real: list[Entry]
    queries: list[Query]
    right: dict[str, set[int]]
    work: Path

    @property
    def total(self) -> int:
        return self.n + len(self.real)

    def corpus(self) -> Iterator[Entry]:
        return corpus(self.n, self.real)

    def figures(self, build_s: float, size: int) -> dict[str, Any]:
        return {
            "build_s": round(build_s, 1),
            "bytes": size,
            "bytes_per_entry": round(size / self.total, 1),
        }


def run_size(n: int, args: argparse.Namespace, real: list[Entry]) -> dict[str, Any]:
    print(f"\n== {n:,} generated entries + {len(real):,} real", flush=True)
    queries = pick_queries(n, real, args.queries, seed=n)
    work = Path(tempfile.mkdtemp(prefix="bench-search-", dir=args.workdir))
    work.chmod(0o755)  # the PostgreSQL peer runs as the postgres user and must reach its folder
    size = Size(n, args, real, queries, same_names(n, real, queries), work)
    result: dict[str, Any] = {"entries": size.total, "queries": len(queries), "engines": {}}
    try:
        result["engines"]["linernotes"] = _ours(size)
        for peer in _peers(args.peers):
            result["engines"][peer.name] = _peer(peer, size)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    result["ratios"] = _ratios(result["engines"])
    return result


def _ours(size: Size) -> dict[str, Any]:
    args, queries, right = size.args, size.queries, size.right
    index, build_s = build_ours(size.work / "ours", size.corpus())
    out = size.figures(build_s, dir_bytes(size.work / "ours"))
    print(
        f"linernotes: built in {build_s:.1f} s, {out['bytes_per_entry']:.0f} bytes/entry",
        flush=True,
    )

    def engine(text: str) -> list[int]:
        return [h.id for h in index.search(text, limit=K)]

    out["engine"] = _plain(measure(engine, queries, right, args.repeats))
    if not args.no_http:
        proc, base = serve_ours(size.work / "ours")
        try:
            with httpx.Client(timeout=30.0) as client:
                out["http"] = _plain(measure(ours_http(client, base), queries, right, args.repeats))
        finally:
            proc.terminate()
            proc.wait(30)
    _print("linernotes", out)
    return out


def _peer(peer: Peer, size: Size) -> dict[str, Any]:
    args, queries, right = size.args, size.queries, size.right
    folder = size.work / peer.name
    folder.mkdir()
    peer.start(folder)
    try:
        build_s = peer.load(size.corpus())
        out = size.figures(build_s, peer.disk_bytes())
        out["engine"] = _plain(measure_engine(peer.search, queries, right, args.peer_repeats))
        memory = getattr(peer, "memory_bytes", None)
        if memory is not None:
            out["memory_bytes"] = memory()
        if not args.no_http and isinstance(peer, HttpPeer):
            http_peer = peer
            with httpx.Client(timeout=30.0) as client:

                def over_http(text: str) -> list[int]:
                    return http_peer.http_search(client, text, K)

                out["http"] = _plain(measure(over_http, queries, right, args.peer_repeats))
    finally:
        peer.stop()
    _print(peer.name, out)
    return out


def _peers(names: str) -> list[Peer]:
    if names == "none":
        return []
    wanted = set(names.split(","))
    return [p for p in peers() if p.name.split("-")[0] in wanted or p.name in wanted]


def _plain(figures: dict[str, Figures]) -> dict[str, dict[str, float]]:
    return {k: {**vars(f)} for k, f in figures.items()}


def _ratios(engines: dict[str, Any]) -> dict[str, Any]:
    """Peer / ours for p95 (above 1: we are faster) and recall (below 1: we find more)."""
    ours = engines["linernotes"]
    out: dict[str, Any] = {}
    for name, figures in engines.items():
        if name == "linernotes":
            continue
        for where in ("engine", "http"):
            if where not in figures or where not in ours:
                continue
            out[f"{name} {where}"] = {
                s: {
                    "p95": _ratio(figures[where][s]["p95"], ours[where][s]["p95"]),
                    "recall": _ratio(figures[where][s]["recall"], ours[where][s]["recall"]),
                }
                for s in ours[where]
            }
    return out


def _ratio(a: float, b: float) -> float | None:
    return round(a / b, 2) if b else None


def _print(name: str, out: dict[str, Any]) -> None:
    for where in ("engine", "http"):
        for set_name, f in out.get(where, {}).items():
            print(
                f"  {name:<18} {where:<6} {set_name:<11} p50 {f['p50']:7.2f}  p95 {f['p95']:7.2f}"
                f"  p99 {f['p99']:7.2f} ms  {f['qps']:8.0f} qps  recall@10 {f['recall']:.3f}",
                flush=True,
            )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", default="1000000,5000000,15000000")
    parser.add_argument("--queries", type=int, default=500, help="per query set")
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument(
        "--peer-repeats", type=int, default=1, help="timed passes for the peers (pg_trgm is slow)"
    )
    parser.add_argument("--peers", default="postgres,typesense", help="or none")
    parser.add_argument("--no-http", action="store_true")
    parser.add_argument("--workdir", default=None, help="where indexes are built (temp)")
    parser.add_argument("--out", default=str(RESULTS / "search.json"))
    args = parser.parse_args(argv)
    sizes = [int(s) for s in args.sizes.split(",")]
    real = real_entries(first_id=max(sizes) + 1)
    report: dict[str, Any] = {
        "when": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": f"{platform.machine()} python {platform.python_version()}",
        "args": vars(args),
        "sizes": {},
    }
    out = Path(args.out)
    for n in sizes:
        report["sizes"][str(n)] = run_size(n, args, real)
        out.write_text(json.dumps(report, indent=1), encoding="utf-8")  # kept after every size
    print(f"\nwrote {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
