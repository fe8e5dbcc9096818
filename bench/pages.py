"""Server time of the web pages and the main API answers: the demo catalog and 1M people.

    .venv/bin/python bench/pages.py [--runs 3] [--per-kind 200] [--only demo|1m] [--db FILE]

For each catalog a real `linernotes serve` process is started on a free loopback port (stopped by
its pid at the end) and asked, one request at a time over one keep-alive connection, for the
artist, album, song and person pages and the API's producers, release credits, recording credits
and person answers, over `--per-kind` different subjects each (the heaviest, one at each rank
down the distribution, and random ones: see pages_subjects.py). Server time is what the app
measures itself and sends back (`Server-Timing: app;dur=...`, web/app.py); client time (request
sent to body read over loopback) is kept beside it for context. A warm-up on other subjects comes
first; each run asks every (endpoint, subject) pair once in a shuffled order; the figures are
the medians over runs of each run's p50, p95 and max. Targets (issue 7): p95 under 50 ms on the
demo catalog, under 100 ms on 1M people. Writes bench/results/pages.json. A missed target is
reported, not an error: the exit status is non-zero only when something fails (an answer other
than 200, which is left out of the timing, or a server that does not start).

The 1M-people catalog is bench/generate.py's (1M artists, 1.5M songs, 150k albums, 10M
credits, 200k handles), generated on first use and cached under bench/results/; its first serve
migrates it and builds its search index (some minutes), later ones reuse them.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from generate import RESULTS, Params, ensure, info_path
from pages_server import VENV_BIN, Answer, Client, Server, ServerError
from pages_subjects import Picks, Subject, counts, pick

from linernotes.demo.build import build_demo
from linernotes.store.catalog import Catalog

TARGETS_MS = {"demo": 50.0, "1m": 100.0}
ROOT = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class Endpoint:
    name: str
    path: str  # with {id}
    subjects: str  # which kind of subject it is asked about (pages_subjects.WEIGHTS)
    page: bool  # a page (held to the target) or an API answer (shown beside it)

    def url(self, entity_id: int) -> str:
        return self.path.format(id=entity_id)


ENDPOINTS = (
    Endpoint("artist page", "/artist/{id}", "artist", True),
    Endpoint("artist page, writers", "/artist/{id}?family=writing", "artist", True),
    Endpoint("album page", "/album/{id}", "album", True),
    Endpoint("song page", "/song/{id}", "song", True),
    Endpoint("person page", "/person/{id}", "person", True),
    Endpoint("API producers", "/api/v1/artists/{id}/producers", "artist", False),
    Endpoint("API release credits", "/api/v1/releases/{id}/credits", "album", False),
    Endpoint("API recording credits", "/api/v1/recordings/{id}/credits", "song", False),
    Endpoint("API person", "/api/v1/people/{id}", "person", False),
)


@dataclass
class Samples:
    """One endpoint's answers in one run."""

    server: list[float] = field(default_factory=list)
    client: list[float] = field(default_factory=list)
    statuses: Counter[int] = field(default_factory=Counter)
    by_subject: dict[int, float] = field(default_factory=dict)
    sizes: list[int] = field(default_factory=list)

    def add(self, subject: Subject, answer: Answer) -> None:
        self.statuses[answer.status] += 1
        if answer.status != 200:  # an error page is quick: it would flatter the figures
            return
        self.server.append(answer.server_ms)
        self.client.append(answer.client_ms)
        self.sizes.append(answer.size)
        self.by_subject[subject.id] = answer.server_ms


def percentile(values: Sequence[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


Stats = dict[str, float | None]  # p50, p95, max; None when nothing answered 200


def stats(values: Sequence[float]) -> Stats:
    if not values:
        return {"p50": None, "p95": None, "max": None}
    return {"p50": percentile(values, 0.5), "p95": percentile(values, 0.95), "max": max(values)}


def median_of(runs: list[Stats]) -> Stats:
    out: Stats = {}
    for key in ("p50", "p95", "max"):
        found = [v for r in runs if (v := r[key]) is not None]
        out[key] = statistics.median(found) if found else None
    return out


def ms(value: object) -> str:
    return f"{value:.1f}" if isinstance(value, float) else "-"


# -- measuring ----------------------------------------------------------------------------------


def warm_up(client: Client, picks: dict[str, Picks]) -> None:
    for endpoint in ENDPOINTS:
        for subject in picks[endpoint.subjects].warmup:
            client.get(endpoint.url(subject.id))


def one_run(client: Client, picks: dict[str, Picks], seed: int) -> dict[str, Samples]:
    asks = [(e, s) for e in ENDPOINTS for s in picks[e.subjects].measured]
    random.Random(seed).shuffle(asks)  # endpoints interleaved, as visitors would mix them
    out = {e.name: Samples() for e in ENDPOINTS}
    for endpoint, subject in asks:
        out[endpoint.name].add(subject, client.get(endpoint.url(subject.id)))
    return out


def summarise(
    endpoint: Endpoint, runs: list[dict[str, Samples]], picks: dict[str, Picks], target: float
) -> dict[str, object]:
    samples = [r[endpoint.name] for r in runs]
    per_run = [stats(s.server) for s in samples]
    server = median_of(per_run)
    subjects = {s.id: s for s in picks[endpoint.subjects].measured}
    statuses: Counter[int] = Counter()
    for s in samples:
        statuses.update(s.statuses)
    sizes = [x for s in samples for x in s.sizes]
    return {
        "endpoint": endpoint.name,
        "path": endpoint.path,
        "page": endpoint.page,
        "target_ms": target,  # the issue sets it for pages; API answers are held to it too
        "subjects": len(subjects),
        "requests_per_run": sum(s.statuses.total() for s in samples) // len(samples),
        "server_ms": server,
        "client_ms": median_of([stats(s.client) for s in samples]),
        "server_ms_runs": per_run,
        "bytes_median": statistics.median(sizes) if sizes else 0,
        "bytes_max": max(sizes, default=0),
        "statuses": {str(k): v for k, v in sorted(statuses.items())},
        **by_subject(samples, subjects, target),
        "met": _met(server["p95"], target),
    }


def by_subject(
    samples: list[Samples], subjects: dict[int, Subject], target: float
) -> dict[str, object]:
    """Where the misses are: each subject's median over runs, by how it was picked, how heavy a
    subject must be to miss (the lightest over target, the heaviest under it), the slowest."""
    took = {
        i: statistics.median(s.by_subject[i] for s in samples if i in s.by_subject)
        for i in subjects
        if any(i in s.by_subject for s in samples)
    }
    groups: dict[str, list[float]] = {}
    for i, t in took.items():
        groups.setdefault(group(subjects[i].rank), []).append(t)
    over = [subjects[i].weight for i, t in took.items() if t > target]
    under = [subjects[i].weight for i, t in took.items() if t <= target]
    slowest = sorted(took, key=lambda i: -took[i])[:5]
    return {
        "by_group": {
            name: {"subjects": len(found), **stats(found)} for name, found in sorted(groups.items())
        },
        "over_target": {
            "subjects": len(over),
            "lightest_weight": min(over, default=None),
            "heaviest_weight_under": max(under, default=None),
        },
        "slowest": [
            {
                "id": i,
                "rank": subjects[i].rank,
                "weight": subjects[i].weight,
                "server_ms": round(took[i], 2),
            }
            for i in slowest
        ],
    }


def group(rank: str) -> str:
    if rank.startswith("top "):
        return "heaviest"
    return rank if rank.startswith("random") else "ranks"


def _met(p95: float | None, target: float) -> bool:
    return p95 is not None and p95 <= target


def measure(
    label: str, path: Path, runs: int, per_kind: int, warmup: int, workdir: Path
) -> dict[str, object]:
    target = TARGETS_MS.get(label, TARGETS_MS["1m"])
    started = time.perf_counter()
    picks = {
        kind: pick(path, kind, per_kind, warmup) for kind in ("artist", "album", "song", "person")
    }
    print(f"  picked subjects in {time.perf_counter() - started:.1f} s")
    digests = count_digests(path)
    load_before = os.getloadavg()
    with Server(path, workdir) as server:
        print(
            f"  serving on port {server.port} (pid {server.proc and server.proc.pid}),"
            f" ready in {server.startup_s:.1f} s"
        )
        client = Client(server.port)
        warm_up(client, picks)
        results = []
        for n in range(runs):
            run_started = time.perf_counter()
            results.append(one_run(client, picks, seed=n))
            print(f"  run {n + 1}/{runs}: {time.perf_counter() - run_started:.1f} s")
        client.close()
        startup_s = server.startup_s
    endpoints = [summarise(e, results, picks, target) for e in ENDPOINTS]
    for row in endpoints:
        print(row_line(row))
        print(subjects_line(row))
    return {
        "catalog": str(path),
        "rows": counts(path),
        "generation": _generation(path),
        "target_ms": target,
        "startup_s": round(startup_s, 1),
        "digests": digests,
        "load_average_before": load_before,
        "load_average_after": os.getloadavg(),
        "runs": runs,
        "endpoints": endpoints,
    }


def count_digests(path: Path) -> dict[str, object]:
    """`linernotes db digest`, as an operator runs it after a bulk load: much-credited people's
    top collaborators counted ahead (the worker keeps them fresh after). Without it, the first
    visit of such a person's page counts them (the cost is in bench/README.md)."""
    started = time.perf_counter()
    done = subprocess.run(
        [str(VENV_BIN / "linernotes"), "--db", str(path), "db", "digest", "--json"],
        check=True,
        capture_output=True,
        text=True,
    )
    made = json.loads(done.stdout)
    seconds = round(time.perf_counter() - started, 1)
    print(f"  db digest: {made['made']} people counted ahead in {seconds} s")
    return {"made": made["made"], "least": made["least"], "seconds": seconds}


def _generation(path: Path) -> object:
    info = info_path(path)
    return json.loads(info.read_text())["params"] if info.exists() else None


# -- catalogs -----------------------------------------------------------------------------------


def demo_catalog(folder: Path) -> Path:
    path = folder / "demo.sqlite3"
    catalog = Catalog.open_sqlite(path)
    build_demo(catalog)
    catalog.close()
    return path


# -- report -------------------------------------------------------------------------------------


def row_line(row: dict[str, object]) -> str:
    s, c = row["server_ms"], row["client_ms"]
    assert isinstance(s, dict) and isinstance(c, dict)
    return (
        f"    {row['endpoint']:<22} server p50 {ms(s['p50']):>7}  p95 {ms(s['p95']):>7}"
        f"  max {ms(s['max']):>7} ms | client p95 {ms(c['p95']):>7} ms"
        f" | under {row['target_ms']:g} ms: {'yes' if row['met'] else 'NO'}"
    )


def subjects_line(row: dict[str, object]) -> str:
    by_group, over = row["by_group"], row["over_target"]
    assert isinstance(by_group, dict) and isinstance(over, dict)
    line = "      p95 by subjects: " + ", ".join(
        f"{name} ({g['subjects']}) {ms(g['p95'])}" for name, g in by_group.items()
    )
    if over["subjects"]:
        line += (
            f"; {over['subjects']} over target, the lightest weighing {over['lightest_weight']}"
            f" (heaviest under: {over['heaviest_weight_under']})"
        )
    return line


def markdown(catalogs: dict[str, dict[str, object]]) -> str:
    lines = [
        "| catalog | answer | server p50 ms | server p95 ms | server max ms | client p95 ms"
        " | target p95 | met |",
        "|---|---|--:|--:|--:|--:|--:|---|",
    ]
    for label, result in catalogs.items():
        endpoints = result["endpoints"]
        assert isinstance(endpoints, list)
        for row in endpoints:
            s, c = row["server_ms"], row["client_ms"]
            met = "yes" if row["met"] else "**no**"
            lines.append(
                f"| {label} | {row['endpoint']} | {ms(s['p50'])} | {ms(s['p95'])} |"
                f" {ms(s['max'])} | {ms(c['p95'])} | {row['target_ms']:g} ms | {met} |"
            )
    return "\n".join(lines)


def machine() -> dict[str, object]:
    cpu = ""
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            cpu = line.split(":", 1)[1].strip()
            break
    return {
        "cores": os.cpu_count(),
        "cpu": cpu,
        "system": platform.platform(),
        "python": platform.python_version(),
        "sqlite": sqlite3.sqlite_version,
        "commit": _git("rev-parse", "HEAD"),
        "tree_changed": bool(_git("status", "--porcelain", "--untracked-files=no")),
    }


def _git(*args: str) -> str:
    try:
        done = subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True, check=True)
    except (OSError, subprocess.CalledProcessError):
        return ""
    return done.stdout.strip()


def failures(catalogs: dict[str, dict[str, object]]) -> list[str]:
    out = []
    for label, result in catalogs.items():
        for row in result["endpoints"]:  # type: ignore[attr-defined]
            # Every subject exists: anything but 200 is a fault (and was left out of the timing).
            bad = {k: v for k, v in row["statuses"].items() if k != "200"}
            if bad:
                out.append(f"{label} {row['endpoint']}: answers other than 200: {bad}")
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3, help="timed runs (medians are reported)")
    parser.add_argument("--per-kind", type=int, default=200, help="subjects per kind of page")
    parser.add_argument("--warmup", type=int, default=20, help="warm-up subjects per kind")
    parser.add_argument("--only", choices=("demo", "1m"), action="append", help="one catalog")
    parser.add_argument("--scale", type=float, default=1.0, help="generated catalog (1.0: 1M)")
    parser.add_argument("--db", type=Path, help="also time this SQLite catalog (label: db)")
    parser.add_argument("--out", type=Path, default=RESULTS / "pages.json")
    args = parser.parse_args(argv)
    labels = args.only or ([] if args.db else ["demo", "1m"])
    catalogs: dict[str, dict[str, object]] = {}
    with tempfile.TemporaryDirectory(prefix="linernotes-bench-pages-") as tmp:
        folder = Path(tmp)
        for label in labels:
            print(f"{label}: preparing the catalog", flush=True)
            path = demo_catalog(folder) if label == "demo" else ensure(Params(args.scale))
            workdir = folder / label
            workdir.mkdir()
            try:
                catalogs[label] = measure(
                    label, path, args.runs, args.per_kind, args.warmup, workdir
                )
            except ServerError as error:
                print(f"FAILED {label}: {error}", file=sys.stderr)
                return 1
        if args.db:
            workdir = folder / "db"
            workdir.mkdir()
            catalogs["db"] = measure("db", args.db, args.runs, args.per_kind, args.warmup, workdir)
    table = markdown(catalogs)
    print("\n" + table)
    payload = {
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "command": " ".join(["bench/pages.py", *(argv if argv is not None else sys.argv[1:])]),
        "machine": machine(),
        "per_kind": args.per_kind,
        "warmup_per_kind": args.warmup,
        "catalogs": catalogs,
        "markdown": table,
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(payload, indent=2) + "\n")
    print(f"\nWrote {args.out}")
    problems = failures(catalogs)
    for line in problems:
        print(f"FAILED: {line}", file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
