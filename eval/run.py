"""Score identity resolution against the labelled set: `make eval`.

Builds the demo catalog into a temporary file (ingest, then resolve, as `make run` does), then
asks, for every labelled pair, whether the catalog holds both references on one entity. Prints
precision, recall and F1 for people and for recordings, with 95% intervals (Wilson for precision
and recall, a percentile bootstrap for F1), by group, and lists every error.

    .venv/bin/python eval/run.py [--catalog PATH]   # PATH: score an existing catalog instead
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import tempfile
import time
from dataclasses import dataclass
from math import sqrt
from pathlib import Path

from linernotes.demo.build import build_demo
from linernotes.normalize.records import EntityKind
from linernotes.resolve.overrides import entity_of
from linernotes.store.catalog import Catalog

HERE = Path(__file__).parent
Z = 1.96
BOOTSTRAP = 2000


@dataclass(frozen=True, slots=True)
class Outcome:
    item: dict[str, object]
    predicted: bool

    @property
    def label(self) -> bool:
        return bool(self.item["same"])


def load(name: str) -> list[dict[str, object]]:
    rows = [json.loads(line) for line in (HERE / name).read_text(encoding="utf-8").splitlines()]
    return [r for r in rows if not r.get("doubtful")]


def predict(catalog: Catalog, kind: EntityKind, items: list[dict[str, object]]) -> list[Outcome]:
    out: list[Outcome] = []
    for item in items:
        a, b = item["a"], item["b"]
        assert isinstance(a, dict) and isinstance(b, dict)
        ea, eb = entity_of(catalog.db, kind, a["ref"]), entity_of(catalog.db, kind, b["ref"])
        if ea is None or eb is None:
            sys.exit(f"{item['id']}: a reference is not in the catalog ({a['ref']}, {b['ref']})")
        out.append(Outcome(item, ea == eb))
    return out


def wilson(hits: int, n: int) -> tuple[float, float]:
    if n == 0:
        return 0.0, 1.0
    p = hits / n
    centre = (p + Z * Z / (2 * n)) / (1 + Z * Z / n)
    half = Z * sqrt(p * (1 - p) / n + Z * Z / (4 * n * n)) / (1 + Z * Z / n)
    return max(0.0, centre - half), min(1.0, centre + half)


def counts(outcomes: list[Outcome]) -> tuple[int, int, int]:
    tp = sum(o.label and o.predicted for o in outcomes)
    fp = sum(o.predicted and not o.label for o in outcomes)
    fn = sum(o.label and not o.predicted for o in outcomes)
    return tp, fp, fn


def f1(tp: int, fp: int, fn: int) -> float:
    return 2 * tp / (2 * tp + fp + fn) if tp else 0.0


def f1_interval(outcomes: list[Outcome]) -> tuple[float, float]:
    rng = random.Random(4)  # a fixed seed: the same set gives the same interval
    scores = sorted(f1(*counts([rng.choice(outcomes) for _ in outcomes])) for _ in range(BOOTSTRAP))
    return scores[int(0.025 * BOOTSTRAP)], scores[int(0.975 * BOOTSTRAP) - 1]


def report(title: str, outcomes: list[Outcome]) -> dict[str, float]:
    tp, fp, fn = counts(outcomes)
    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = tp / (tp + fn) if tp + fn else 1.0
    p_lo, p_hi = wilson(tp, tp + fp)
    r_lo, r_hi = wilson(tp, tp + fn)
    f_lo, f_hi = f1_interval(outcomes)
    same, total = tp + fn, len(outcomes)
    print(f"\n{title}: {total} labelled pairs ({same} same, {total - same} not)")
    print(f"  precision {precision:.3f}  [{p_lo:.3f}, {p_hi:.3f}]   ({tp} of {tp + fp} right)")
    print(f"  recall    {recall:.3f}  [{r_lo:.3f}, {r_hi:.3f}]   ({tp} of {tp + fn} found)")
    print(f"  F1        {f1(tp, fp, fn):.3f}  [{f_lo:.3f}, {f_hi:.3f}]")
    groups = sorted({str(o.item["group"]) for o in outcomes})
    for group in groups:
        part = [o for o in outcomes if o.item["group"] == group]
        right = sum(o.label == o.predicted for o in part)
        print(f"    {group:<14} {right}/{len(part)} right")
    errors = [o for o in outcomes if o.label != o.predicted]
    print(f"  errors ({len(errors)}):")
    for o in errors:
        a, b = o.item["a"], o.item["b"]
        assert isinstance(a, dict) and isinstance(b, dict)
        what = "merged, but different" if o.predicted else "missed, but the same"
        print(f"    {o.item['id']} {what}: {a['name']!r} ({a['ref']}) / {b['name']!r} ({b['ref']})")
    return {"precision": precision, "recall": recall, "f1": f1(tp, fp, fn)}


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--catalog", type=Path, help="score this catalog instead of a fresh one")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as work:
        path = args.catalog or Path(work) / "catalog.sqlite3"
        catalog = Catalog.open_sqlite(path)
        if args.catalog is None:
            started = time.perf_counter()
            build_demo(catalog)
            print(f"demo catalog built and resolved in {time.perf_counter() - started:.1f} s")
        people = report("People", predict(catalog, EntityKind.ARTIST, load("people.jsonl")))
        report("Recordings", predict(catalog, EntityKind.RECORDING, load("recordings.jsonl")))
        catalog.close()
    ok = people["precision"] >= 0.99 and people["f1"] >= 0.97
    print(f"\nperson matching {'meets' if ok else 'misses'} the target (precision 0.99, F1 0.97)")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
