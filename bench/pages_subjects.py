"""Which artists, albums, songs and people the page benchmark asks for.

For each kind: the heaviest (most songs, credits or tracks: the pages that do the most work),
one at each rank down the distribution, then random ones among those with any weight and among
all (the long tail a crawler or a search visitor lands on). Seeded: the same catalog gives the
same subjects. A separate random set warms the server up, so measured pages are not all cached.
"""

from __future__ import annotations

import random
import sqlite3
from dataclasses import dataclass
from pathlib import Path

HEAVY = 20
RANKS = (0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0)

# kind -> (the entity table, (id, weight) of every entity with any weight)
WEIGHTS = {
    "artist": (
        "artist",
        "SELECT artist_id, count(*) FROM credit WHERE role = 'main_artist'"
        " AND subject_kind = 'recording' GROUP BY artist_id",
    ),
    "person": ("artist", "SELECT artist_id, count(*) FROM credit GROUP BY artist_id"),
    "song": (
        "recording",
        "SELECT subject_id, count(*) FROM credit WHERE subject_kind = 'recording'"
        " GROUP BY subject_id",
    ),
    "album": ("release", "SELECT release_id, count(*) FROM track GROUP BY release_id"),
}


@dataclass(frozen=True)
class Subject:
    id: int
    weight: int  # songs as main artist, credits, or tracks
    rank: str  # "top 3", "50%", "random", "random (any)"


@dataclass(frozen=True)
class Picks:
    measured: list[Subject]
    warmup: list[Subject]


def pick(path: Path, kind: str, count: int, warmup: int, seed: int = 7) -> Picks:
    table, sql = WEIGHTS[kind]
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        weighted = sorted(
            ((int(i), int(n)) for i, n in conn.execute(sql)), key=lambda r: (-r[1], r[0])
        )
        every = [int(r[0]) for r in conn.execute(f"SELECT id FROM {table}")]
    finally:
        conn.close()
    return choose(weighted, every, count, warmup, random.Random(f"{seed}-{kind}"))


def choose(
    weighted: list[tuple[int, int]], every: list[int], count: int, warmup: int, rng: random.Random
) -> Picks:
    weight = dict(weighted)
    chosen: dict[int, Subject] = {}

    def add(entity_id: int, rank: str) -> None:
        if len(chosen) < count and entity_id not in chosen:
            chosen[entity_id] = Subject(entity_id, weight.get(entity_id, 0), rank)

    for i, (entity_id, _) in enumerate(weighted[:HEAVY]):
        add(entity_id, f"top {i + 1}")
    for q in RANKS:
        if weighted:
            add(weighted[min(len(weighted) - 1, round(q * (len(weighted) - 1)))][0], f"{q:.1%}")
    pool_weighted = [i for i, _ in weighted if i not in chosen]
    rng.shuffle(pool_weighted)
    pool_every = [i for i in every if i not in chosen]
    rng.shuffle(pool_every)
    # Half the rest among entities with any weight, half among all of them (most have none).
    half = (count - len(chosen)) // 2
    for entity_id in pool_weighted[:half]:
        add(entity_id, "random")
    for entity_id in pool_every:
        add(entity_id, "random (any)")
    for entity_id in pool_weighted[half:]:  # a small catalog: fill up with what is left
        add(entity_id, "random")
    used = set(chosen)
    spare = [i for i in pool_weighted if i not in used][:warmup]
    return Picks(list(chosen.values()), [Subject(i, weight.get(i, 0), "warm-up") for i in spare])


def counts(path: Path) -> dict[str, int]:
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return {
            table: int(conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0])
            for table in ("artist", "release", "recording", "track", "credit", "handle")
        }
    finally:
        conn.close()
