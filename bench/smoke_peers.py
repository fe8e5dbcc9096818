"""Smoke check of the search peers (search_peers.py): load both, query them, print the figures.

    .venv/bin/python bench/smoke_peers.py                        # 20k entries, 200 queries
    .venv/bin/python bench/smoke_peers.py --entries 1000000      # a feasibility look at 1M
    .venv/bin/python bench/smoke_peers.py --pg gin-word-0.3,gist-word-0.3 --no-typesense

Entries are seeded synthetic names (syllable first + last names, 15% of letters-with-accents
words, 20% with an alias, Zipf-like importance). Queries target entries whose folded name is
unique (so a hit is the engine's doing, not a namesake's): the name as written, lower case
without accents with one or with two typos (a letter dropped, doubled, changed or swapped, never
the first), and a prefix (all words but the last, then its first three letters). Each query runs
--repeats times; a query's time is its median, and p50/p95 are over queries.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
import unicodedata
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from pathlib import Path

import httpx
from peer_postgres import DEFAULT_VARIANT, VARIANTS, PostgresPeer
from peer_typesense import TypesensePeer

SYLLABLES = (
    "ka",
    "ri",
    "mo",
    "ta",
    "le",
    "su",
    "na",
    "vi",
    "do",
    "be",
    "ro",
    "mi",
    "ga",
    "lu",
    "po",
    "ze",
    "ha",
    "ni",
    "fa",
    "ko",
    "ja",
    "ve",
    "si",
    "tu",
)
CONSONANTS = "bcdfghjklmnprstvz"
ACCENTS = {"a": "áàä", "e": "éèë", "i": "íï", "o": "óöø", "u": "úü", "c": "ç", "n": "ñ"}
KINDS = ("artist", "artist", "recording", "release")
QUERY_KINDS = ("exact", "one-typo", "two-typo", "prefix")


@dataclass(frozen=True)
class Entry:
    id: int
    kind: str
    name: str
    aliases: tuple[str, ...]
    context: str
    importance: int


def word(rng: random.Random, low: int, high: int) -> str:
    text = "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(low, high)))
    if rng.random() < 0.5:
        text += rng.choice(CONSONANTS)
    if rng.random() < 0.15:  # one accented letter, as in Beyoncé or Björk
        spots = [i for i, ch in enumerate(text) if ch in ACCENTS]
        if spots:
            i = rng.choice(spots)
            text = text[:i] + rng.choice(ACCENTS[text[i]]) + text[i + 1 :]
    return text.capitalize()


def make_entries(count: int, seed: int) -> list[Entry]:
    rng = random.Random(seed)
    entries = []
    for i in range(1, count + 1):
        name = f"{word(rng, 1, 3)} {word(rng, 2, 3)}"
        if rng.random() < 0.1:
            name += f" {word(rng, 1, 2)}"
        aliases = (word(rng, 2, 3),) if rng.random() < 0.2 else ()
        importance = int(rng.paretovariate(1.1)) - 1  # >= 0, a few large
        entries.append(Entry(i, rng.choice(KINDS), name, aliases, "", importance))
    return entries


def fold(text: str) -> str:
    """Lower case, accents dropped (the queries' typing, and the uniqueness check)."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).replace("ø", "o")


def typo(rng: random.Random, text: str) -> str:
    """One edit in one of the longest words, never its first letter."""
    words = text.split()
    longest = max(len(w) for w in words)
    at = rng.choice([i for i, w in enumerate(words) if len(w) == longest])
    w = words[at]
    i = rng.randint(1, len(w) - 1)
    edit = rng.choice(("drop", "double", "change", "swap"))
    if edit == "drop":
        w = w[:i] + w[i + 1 :]
    elif edit == "double":
        w = w[:i] + w[i] + w[i:]
    elif edit == "change":
        w = w[:i] + rng.choice([c for c in "aeiourstnl" if c != w[i]]) + w[i + 1 :]
    elif i < len(w) - 1:
        w = w[:i] + w[i + 1] + w[i] + w[i + 2 :]
    else:
        w = w[:i] + w[i] + w[i:]
    words[at] = w
    return " ".join(words)


def make_queries(entries: list[Entry], count: int, seed: int) -> list[tuple[str, str, int]]:
    """(query kind, query, target id), the kinds in equal shares."""
    rng = random.Random(seed + 1)
    names = Counter(fold(e.name) for e in entries)
    unique = [e for e in entries if names[fold(e.name)] == 1]
    queries = []
    for n, target in enumerate(rng.sample(unique, count)):
        kind, folded = QUERY_KINDS[n % len(QUERY_KINDS)], fold(target.name)
        if kind == "exact":
            text = target.name
        elif kind == "one-typo":
            text = typo(rng, folded)
        elif kind == "two-typo":
            text = typo(rng, typo(rng, folded))
        else:
            *head, last = folded.split()
            text = " ".join([*head, last[:3]])
        queries.append((kind, text, target.id))
    return queries


def timed(run: Callable[[], float], repeats: int) -> float:
    return statistics.median(run() for _ in range(repeats))


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def measure(
    peer: PostgresPeer | TypesensePeer, queries: list[tuple[str, str, int]], repeats: int
) -> dict[str, float]:
    hits: Counter[str] = Counter()
    engine, roundtrip, http_ms, explain = [], [], [], []
    for _kind, text, _target in queries:  # warm-up, untimed
        peer.search(text)
    with httpx.Client() as client:
        for kind, text, target in queries:
            ids, _ = peer.search(text)
            hits[kind] += target in ids
            engine.append(timed(partial(_engine_ms, peer, text), repeats))
            if isinstance(peer, PostgresPeer):
                roundtrip.append(timed(partial(_roundtrip, peer, text), repeats))
                explain.append(timed(partial(peer.explain_ms, text), repeats))
            else:
                http_ms.append(timed(partial(_http_ms, peer, client, text), repeats))
    per_kind = len(queries) / len(QUERY_KINDS)
    figures = {f"recall {kind}": hits[kind] / per_kind for kind in QUERY_KINDS}
    figures["recall@10"] = sum(hits.values()) / len(queries)
    figures |= {"engine p50 ms": pct(engine, 0.5), "engine p95 ms": pct(engine, 0.95)}
    if roundtrip:
        figures |= {"socket p50 ms": pct(roundtrip, 0.5), "explain p50 ms": pct(explain, 0.5)}
        figures["explain p95 ms"] = pct(explain, 0.95)
    if http_ms:
        figures |= {"http p50 ms": pct(http_ms, 0.5), "http p95 ms": pct(http_ms, 0.95)}
    return figures


def _engine_ms(peer: PostgresPeer | TypesensePeer, text: str) -> float:
    return peer.search(text)[1]


def _roundtrip(peer: PostgresPeer, text: str) -> float:
    peer.search(text)
    return peer.last_roundtrip_ms


def _http_ms(peer: TypesensePeer, client: httpx.Client, text: str) -> float:
    t0 = time.perf_counter()
    peer.http_search(client, text)
    return (time.perf_counter() - t0) * 1000


def run_peer(
    peer: PostgresPeer | TypesensePeer,
    label: str,
    entries: list[Entry],
    queries: list[tuple[str, str, int]],
    args: argparse.Namespace,
) -> None:
    with peer:
        t0 = time.perf_counter()
        peer.start(args.workdir)
        started = time.perf_counter() - t0
        seconds = peer.load(entries)
        figures: dict[str, float] = {"start s": started, "load s": seconds}
        figures |= {f"  {k}": v for k, v in peer.load_stats.items() if k != "entries"}
        figures["disk MB"] = peer.disk_bytes() / 1e6
        # Typesense: its RSS; Postgres: Pss of all its processes (shared buffers once).
        figures["memory MB"] = peer.memory_bytes() / 1e6
        figures |= measure(peer, queries, args.repeats)
        figures["memory MB after"] = peer.memory_bytes() / 1e6
    print(f"\n{label}")
    for key, value in figures.items():
        print(f"  {key:<16} {value:>10.3f}")
    sys.stdout.flush()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--entries", type=int, default=20_000)
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--pg", default=DEFAULT_VARIANT, help=f"variants: {', '.join(VARIANTS)}")
    parser.add_argument(
        "--ts", default="", help="Typesense settings to try, ';' between tries: min_len_2typo=5,..."
    )
    parser.add_argument("--no-postgres", action="store_true")
    parser.add_argument("--no-typesense", action="store_true")
    parser.add_argument("--workdir", type=Path, default=None)
    args = parser.parse_args()
    t0 = time.perf_counter()
    entries = make_entries(args.entries, args.seed)
    queries = make_queries(entries, args.queries, args.seed)
    print(f"{len(entries)} entries, {len(queries)} queries ({time.perf_counter() - t0:.1f} s)")
    with tempfile.TemporaryDirectory(prefix="smoke-peers-", dir=args.workdir) as work:
        args.workdir = Path(work)
        args.workdir.chmod(0o755)  # the postgres server runs as another user
        if not args.no_postgres:
            for variant in args.pg.split(","):
                run_peer(PostgresPeer(variant), f"postgres {variant}", entries, queries, args)
        if not args.no_typesense:
            for setting in args.ts.split(";"):
                params = dict(kv.split("=", 1) for kv in setting.split(",") if kv)
                label = f"typesense {setting or 'defaults'}"
                run_peer(TypesensePeer(params=params), label, entries, queries, args)


if __name__ == "__main__":
    main()
