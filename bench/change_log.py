"""What the change log costs bulk ingest: the same generated Discogs dump loaded into fresh SQLite
catalogs with the change-log triggers (migration 0013) and with them dropped, alternating, so
both see the same machine. Prints the medians and their ratio; writes
bench/results/change-log.json.

    .venv/bin/python bench/change_log.py [--releases 10000] [--repeats 3]
"""

from __future__ import annotations

import argparse
import json
import statistics
import tempfile
import time
from pathlib import Path

from ingest import dump  # bench/ingest.py's generated dumps

from linernotes.ingest import dumps
from linernotes.ingest.pipeline import ingest
from linernotes.store.catalog import Catalog

TRIGGERS = (
    "change_credit_insert",
    "change_credit_delete",
    "change_handle_insert",
    "change_handle_delete",
)
RESULTS = Path(__file__).parent / "results" / "change-log.json"


def load(path: Path, catalog_path: Path, logged: bool) -> tuple[float, int]:
    catalog = Catalog.open(catalog_path)
    if not logged:
        for trigger in TRIGGERS:
            catalog.db.execute(f"DROP TRIGGER {trigger}")
    started = time.perf_counter()
    report = ingest(catalog.db, dumps.discogs(path))
    took = time.perf_counter() - started
    row = catalog.db.one("SELECT count(*) FROM change_log")
    catalog.close()
    assert report.written > 0 and row is not None
    return took, int(row[0])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--releases", type=int, default=10_000)
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="linernotes-change-log-") as tmp:
        work = Path(tmp)
        path = Path(dump("discogs", args.releases, 12, work).path)
        times: dict[str, list[float]] = {"with": [], "without": []}
        logged_rows = 0
        for run in range(args.repeats):
            for mode in ("with", "without"):
                took, rows = load(path, work / f"{mode}{run}.sqlite3", mode == "with")
                times[mode].append(took)
                logged_rows = max(logged_rows, rows)
                print(f"{mode} change log, run {run + 1}: {took:.2f} s", flush=True)
    medians = {mode: statistics.median(ts) for mode, ts in times.items()}
    result = {
        "releases": args.releases,
        "repeats": args.repeats,
        "change_rows": logged_rows,
        "median_s": medians,
        "releases_per_s": {m: round(args.releases / t) for m, t in medians.items()},
        "ratio_with_to_without": round(medians["with"] / medians["without"], 3),
    }
    RESULTS.write_text(json.dumps(result, indent=2) + "\n")
    print(json.dumps(result, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
