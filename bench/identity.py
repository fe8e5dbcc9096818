"""Identity resolution at scale: resolve N incoming person records against a catalog of N people.

    .venv/bin/python bench/identity.py                      # 1M x 1M, one timed run
    .venv/bin/python bench/identity.py --people 10000 --repeats 5
    .venv/bin/python bench/identity.py --people 100000 --repeats 3 --profile

`identity_gen.py` writes the catalog and the incoming records (seeded; cached under
bench/results/ by size, seed and VERSION). Each timed run copies that file and, in a fresh child
process, opens it as a catalog and times `resolve_people(db)`: incremental, so only the artists
the incoming records created or gave credits and names are compared. The child's ru_maxrss, read
right after the resolve, is its peak memory. Then it scores the merges against the generator's
truth: a pair (incoming record, catalog person) is predicted when both references end on one
artist. Results (medians over the repeats, and every run) go to bench/results/identity.json.
"""

from __future__ import annotations

import argparse
import cProfile
import hashlib
import json
import os
import platform
import pstats
import resource
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter, defaultdict
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import identity_gen

from linernotes.resolve.people import resolve_people
from linernotes.store.catalog import Catalog

VERSION = 2  # bump when the generated data changes: cached files are keyed by it (2: keys)
HERE = Path(__file__).resolve().parent
RESULTS = HERE / "results"
TARGET_S = 600  # the issue: 1M x 1M in under 10 minutes


def cached_path(people: int, seed: int) -> Path:
    blob = json.dumps(
        {"v": VERSION, "people": people, "seed": seed, "mix": identity_gen.MIX}, sort_keys=True
    )
    return RESULTS / f"identity-{people}-{hashlib.sha256(blob.encode()).hexdigest()[:10]}.sqlite3"


def ensure_generated(people: int, seed: int, regenerate: bool) -> tuple[Path, dict[str, Any]]:
    path = cached_path(people, seed)
    info = path.with_name(path.name + ".json")
    if path.exists() and info.exists() and not regenerate:
        return path, dict(json.loads(info.read_text()))
    for old in path.parent.glob(path.name + "*"):
        old.unlink()
    print(
        f"generating {people:,} people and {people:,} incoming records -> {path.name}", flush=True
    )
    start = time.perf_counter()
    counts = identity_gen.generate(path, people, seed)
    meta = {"counts": counts, "generate_s": round(time.perf_counter() - start, 1)}
    info.write_text(json.dumps(meta, indent=2))
    print(f"generated in {meta['generate_s']} s: {counts}", flush=True)
    return path, meta


# -- one timed run, in a child process ----------------------------------------------------------


def child(path: Path, profile: Path | None) -> dict[str, Any]:
    catalog = Catalog.open_sqlite(path)
    profiler = cProfile.Profile() if profile else None
    start = time.perf_counter()
    if profiler:
        profiler.enable()
    report = resolve_people(catalog.db)
    if profiler:
        profiler.disable()
    seconds = time.perf_counter() - start
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    if profiler and profile:
        with profile.open("w") as f:
            pstats.Stats(profiler, stream=f).sort_stats("cumulative").print_stats(45)
    catalog.close()
    return {
        "resolve_s": round(seconds, 2),
        "peak_mb": round(peak_mb),
        "compared": report.compared,
        "candidate_pairs": report.pairs,
        "pairs_scored": report.scored,
        "merges": report.merged,
        "review": report.review,
        "kept_apart": report.kept_apart,
        "accuracy": score(path),
    }


def score(path: Path) -> dict[str, Any]:
    """Precision and recall of the merges that joined an incoming record to a catalog person."""
    conn = sqlite3.connect(path)
    owner = {
        (str(ns), str(v)): int(e)
        for ns, v, e in conn.execute(
            "SELECT namespace, value, entity_id FROM external_id WHERE entity_kind = 'artist'"
            " AND namespace IN ('genius', 'discogs')"
        )
    }
    people_on: dict[int, list[int]] = defaultdict(list)  # entity -> catalog people on it
    for (ns, value), entity in owner.items():
        if ns == "genius":
            people_on[entity].append(int(value))
    counts: Counter[str] = Counter()
    for discogs, kind, truth, perturbation, evidence in conn.execute(
        "SELECT discogs, kind, truth, perturbation, evidence FROM bench_truth"
    ):
        joined = people_on[owner[("discogs", str(discogs))]]
        wrong = sum(1 for p in joined if p != truth)
        counts["false_merges"] += wrong
        counts[f"false_merges_{kind}"] += wrong
        if kind == "same":
            found = truth in joined
            counts["true_merges"] += found
            for group in ("all", f"perturbation={perturbation or 'none'}", f"evidence={evidence}"):
                counts[f"found:{group}"] += found
                counts[f"total:{group}"] += 1
    conn.close()
    return accuracy(counts)


def accuracy(counts: Counter[str]) -> dict[str, Any]:
    tp, fp = counts["true_merges"], counts["false_merges"]
    recall = {
        key.removeprefix("total:"): round(counts[f"found:{key[6:]}"] / total, 4)
        for key, total in sorted(counts.items())
        if key.startswith("total:") and total
    }
    return {
        "precision": round(tp / (tp + fp), 4) if tp + fp else 1.0,
        "recall": recall,
        "true_merges": tp,
        "false_merges": fp,
        "false_merges_by_kind": {
            k.removeprefix("false_merges_"): v
            for k, v in sorted(counts.items())
            if k.startswith("false_merges_")
        },
        "same_person_records": counts["total:all"],
    }


def timed_run(source: Path, work: Path, profile: Path | None) -> dict[str, Any]:
    copy = work / "run.sqlite3"
    shutil.copyfile(source, copy)
    command = [sys.executable, __file__, "--child", str(copy)]
    if profile:
        command += ["--profile-to", str(profile)]
    done = subprocess.run(command, check=True, capture_output=True, text=True)
    copy.unlink()
    return dict(json.loads(done.stdout.strip().splitlines()[-1]))


# -- the whole benchmark ------------------------------------------------------------------------


def summary(runs: list[dict[str, Any]]) -> dict[str, Any]:
    times = [r["resolve_s"] for r in runs]
    last = runs[-1]
    return {
        "resolve_s_median": round(statistics.median(times), 2),
        "resolve_s_runs": times,
        "peak_mb_max": max(r["peak_mb"] for r in runs),
        **{k: last[k] for k in ("compared", "candidate_pairs", "pairs_scored", "merges", "review")},
        "kept_apart": last["kept_apart"],
        "accuracy": last["accuracy"],
    }


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--people", type=int, default=1_000_000)
    parser.add_argument("--repeats", type=int, default=1)
    parser.add_argument("--seed", type=int, default=20_251_121)
    parser.add_argument("--regenerate", action="store_true")
    parser.add_argument("--profile", action="store_true", help="cProfile the first run")
    parser.add_argument("--out", type=Path, default=RESULTS / "identity.json")
    parser.add_argument("--child", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--profile-to", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        print(json.dumps(child(args.child, args.profile_to)))
        return 0
    path, meta = ensure_generated(args.people, args.seed, args.regenerate)
    runs = []
    with tempfile.TemporaryDirectory(dir=RESULTS) as work:
        for i in range(args.repeats):
            profile = (
                RESULTS / f"identity-profile-{args.people}.txt" if args.profile and i == 0 else None
            )
            runs.append(timed_run(path, Path(work), profile))
            print(f"run {i + 1}/{args.repeats}: {json.dumps(runs[-1])}", flush=True)
    save(args, meta, runs)
    return 0


def save(args: argparse.Namespace, meta: dict[str, Any], runs: list[dict[str, Any]]) -> None:
    results = json.loads(args.out.read_text()) if args.out.exists() else {}
    result = {
        "measured": datetime.now(UTC).isoformat(timespec="seconds"),
        "command": " ".join(["bench/identity.py", *sys.argv[1:]]),
        "machine": {
            "cpus": _cpus(),
            "python": platform.python_version(),
            "sqlite": sqlite3.sqlite_version,
        },
        "code": code_hash(),
        "people": args.people,
        "incoming": meta["counts"]["incoming_records"],
        "seed": args.seed,
        "repeats": args.repeats,
        "generated": meta,
        **summary(runs),
        "target_s": TARGET_S,
        "runs": runs,
    }
    results[str(args.people)] = result
    args.out.write_text(json.dumps(results, indent=2) + "\n")
    print(json.dumps({k: v for k, v in result.items() if k != "runs"}, indent=2))


def code_hash() -> str:
    """The resolver and store code measured: results name the tree they came from."""
    src = HERE.parent / "src/linernotes"
    files = sorted(
        [*src.glob("resolve/*.py"), *src.glob("store/*.py"), *src.glob("store/migrations/*")]
    )
    digest = hashlib.sha256()
    for f in files:
        digest.update(f.read_bytes())
    return digest.hexdigest()[:12]


def _cpus() -> int:
    return os.cpu_count() or 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
