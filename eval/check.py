"""Validate the labelled identity set (eval/people.jsonl, eval/recordings.jsonl) and print counts.

Usage: python eval/check.py CATALOG.sqlite3

Fails (exit 1) on: a line that is not a JSON object of the expected shape, a duplicate id, a group
that contradicts the label, or a side whose "namespace:value" ref is missing from the catalog's
external_id table (people must be artists, recordings must be recordings). It also fails when the
non-doubtful counts fall below what issue 4 asks for. Doubtful items are validated but counted
apart: they are not part of the scored set.
"""

from __future__ import annotations

import json
import sqlite3
import sys
from collections import Counter
from pathlib import Path

HERE = Path(__file__).resolve().parent
FILES = {"people.jsonl": ("artist", "p"), "recordings.jsonl": ("recording", "r")}
GROUPS = {"cross_source", "variant", "hard_negative"}
SIDE_KEYS = {"ref", "name", "source"}
# (file, what, minimum) over non-doubtful items; issue 4 item 6 and the brief.
MINIMUMS = (
    ("people.jsonl", "cross-source positives", 150),
    ("people.jsonl", "hard_negative", 50),
    ("recordings.jsonl", "items", 60),
    ("recordings.jsonl", "hard_negative", 20),
)


def family(source: str) -> str:
    """Source family: genius-2017 and genius-api are both Genius."""
    return source.split("-")[0]


def ref_exists(db: sqlite3.Connection, kind: str, ref: str) -> bool:
    namespace, sep, value = ref.partition(":")
    if not sep or not value:
        return False
    row = db.execute(
        "SELECT 1 FROM external_id WHERE entity_kind = ? AND namespace = ? AND value = ?",
        (kind, namespace, value),
    ).fetchone()
    return row is not None


def shape_errors(item: object, prefix: str) -> list[str]:
    if not isinstance(item, dict):
        return ["not a JSON object"]
    errors = []
    item_id = item.get("id")
    if not isinstance(item_id, str) or not item_id.startswith(prefix):
        errors.append(f"id {item_id!r} does not start with {prefix!r}")
    for side in ("a", "b"):
        value = item.get(side)
        if not isinstance(value, dict) or not value.keys() >= SIDE_KEYS:
            errors.append(f"side {side} lacks {sorted(SIDE_KEYS)}")
    if not isinstance(item.get("same"), bool):
        errors.append("'same' is not true/false")
    if item.get("group") not in GROUPS:
        errors.append(f"group {item.get('group')!r} is not one of {sorted(GROUPS)}")
    elif (item["group"] == "hard_negative") == bool(item.get("same")):
        errors.append(f"group {item['group']} contradicts same={item.get('same')}")
    if not isinstance(item.get("how"), str) or not item["how"].strip():
        errors.append("'how' is empty")
    if "doubtful" in item and not isinstance(item["doubtful"], bool):
        errors.append("'doubtful' is not true/false")
    return errors


def check_file(db: sqlite3.Connection, name: str, errors: list[str]) -> Counter[str]:
    kind, prefix = FILES[name]
    counts: Counter[str] = Counter()
    seen_ids: set[str] = set()
    seen_pairs: set[tuple[str, str]] = set()
    lines = (HERE / name).read_text(encoding="utf-8").splitlines()
    for number, line in enumerate(lines, start=1):
        where = f"{name}:{number}"
        try:
            item = json.loads(line)
        except json.JSONDecodeError as err:
            errors.append(f"{where}: not JSON ({err})")
            continue
        problems = shape_errors(item, prefix)
        if problems:
            errors.extend(f"{where}: {p}" for p in problems)
            continue
        if item["id"] in seen_ids:
            errors.append(f"{where}: duplicate id {item['id']}")
        seen_ids.add(item["id"])
        refs = (item["a"]["ref"], item["b"]["ref"])
        pair = (min(refs), max(refs))
        if refs[0] == refs[1]:
            errors.append(f"{where}: both sides are {refs[0]}")
        if pair in seen_pairs:
            errors.append(f"{where}: pair {pair} appears twice")
        seen_pairs.add(pair)
        for ref in refs:
            if not ref_exists(db, kind, ref):
                errors.append(f"{where}: {kind} ref {ref!r} is not in external_id")
        if item.get("doubtful"):
            counts["doubtful (not scored)"] += 1
            continue
        counts["items"] += 1
        counts[item["group"]] += 1
        cross = family(item["a"]["source"]) != family(item["b"]["source"])
        if item["same"]:
            counts["positives"] += 1
            counts["cross-source positives" if cross else "same-source positives"] += 1
        for kind_of_evidence in item.get("evidence", []):
            counts[f"evidence {kind_of_evidence}"] += 1
    return counts


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        print(__doc__.strip().splitlines()[2], file=sys.stderr)
        return 2
    catalog = Path(argv[1])
    if not catalog.is_file():
        print(f"no catalog at {catalog}", file=sys.stderr)
        return 2
    db = sqlite3.connect(f"file:{catalog}?mode=ro", uri=True)
    errors: list[str] = []
    totals = {}
    for name in FILES:
        totals[name] = check_file(db, name, errors)
        print(name)
        for key, value in sorted(totals[name].items()):
            print(f"  {key}: {value}")
    for name, what, minimum in MINIMUMS:
        if totals[name][what] < minimum:
            errors.append(f"{name}: {what} {totals[name][what]} < {minimum}")
    for error in errors:
        print(f"ERROR {error}", file=sys.stderr)
    print("ok" if not errors else f"{len(errors)} errors")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
