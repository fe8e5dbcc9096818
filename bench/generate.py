"""Generate the benchmark catalog: ~1M artists, ~1.5M songs, ~150k albums, ~10M credits at scale 1.

Deterministic for a given (scale, seed, VERSION): bump VERSION when the data it makes changes.
The file is created through the real store (`Catalog.open_sqlite` applies the migrations). One
process makes the rows (names folded and tokenised by the store's own functions); this one inserts
them with explicit ids by `executemany` in one transaction, foreign keys on (journal and synchronous
off: generation only), then switches back to WAL. The file is cached under bench/results/, keyed by
the parameters, so later runs reuse it.

    .venv/bin/python bench/generate.py [--scale 0.01] [--regenerate]
"""

from __future__ import annotations

import argparse
import hashlib
import json
import multiprocessing as mp
import random
import sqlite3
import sys
import time
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path

from names import INSTRUMENTS, Namer

from linernotes.normalize.fold import fold, fold_artist
from linernotes.normalize.pseudo import pseudo_song_reason
from linernotes.store.catalog import Catalog
from linernotes.store.db import Database
from linernotes.store.name_index import tokens

VERSION = 3
RESULTS = Path(__file__).resolve().parent / "results"
BASE = {"artists": 1_000_000, "recordings": 1_500_000, "releases": 150_000, "handles": 200_000}
CREATED = "2025-01-01T00:00:00+00:00"
Row = tuple[object, ...]

INSERTS = {
    "artist": "INSERT INTO artist (id, name, folded, kind, disambiguation, image_url, created_at)"
    " VALUES (?, ?, ?, ?, ?, ?, ?)",
    "artist_name": "INSERT INTO artist_name (artist_id, name, folded, kind, source)"
    " VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
    "artist_member": "INSERT INTO artist_member (group_id, member_id, source) VALUES (?, ?, ?)"
    " ON CONFLICT DO NOTHING",
    "name_token": "INSERT INTO name_token (token, entity_kind, entity_id) VALUES (?, ?, ?)"
    " ON CONFLICT DO NOTHING",
    "external_id": "INSERT INTO external_id (entity_kind, namespace, value, entity_id, rule,"
    " source) VALUES (?, ?, ?, ?, ?, ?)",
    "release": "INSERT INTO release (id, title, folded, kind, date, created_at)"
    " VALUES (?, ?, ?, ?, ?, ?)",
    "recording": "INSERT INTO recording (id, title, folded, date, duration_ms, pseudo_reason,"
    " created_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
    "track": "INSERT INTO track (release_id, recording_id, position) VALUES (?, ?, ?)",
    "credit": "INSERT INTO credit (id, artist_id, role, detail, subject_kind, subject_id, tracks)"
    " VALUES (?, ?, ?, ?, ?, ?, '')",
    "credit_source": "INSERT INTO credit_source (credit_id, source, source_record_id, raw_role,"
    " credited_name, position, retrieved_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
    "fact": "INSERT INTO fact (id, subject_kind, subject_id, kind, value, folded)"
    " VALUES (?, ?, ?, 'label', ?, ?)",
    "fact_source": "INSERT INTO fact_source (fact_id, source, source_record_id, raw, retrieved_at)"
    " VALUES (?, 'genius-2017', ?, 'label', '2018')",
    "handle": "INSERT INTO handle (id, artist_id, platform, handle) VALUES (?, ?, ?, ?)",
    "handle_evidence": "INSERT INTO handle_evidence (handle_id, source, source_record_id,"
    " evidence_kind, confidence, match_rule, note, quote, retrieved_at, last_checked)"
    " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
}

# role -> (Genius raw role, MusicBrainz raw role)
RAW_ROLES = {
    "main_artist": ("primary_artist_ids", "main"),
    "featured_artist": ("featured_artist_ids", "featured"),
    "producer": ("producer_artist_ids", "producer"),
    "co_producer": ("Co-Producer", "co-producer"),
    "additional_producer": ("Additional Production", "additional producer"),
    "vocal_producer": ("Vocal Producer", "vocal producer"),
    "executive_producer": ("Executive Producer", "executive producer"),
    "mixing_engineer": ("Mixing Engineer", "mix"),
    "mastering_engineer": ("Mastering Engineer", "mastering"),
    "recording_engineer": ("Recording Engineer", "recording"),
    "assistant_mixing_engineer": ("Assistant Mixing Engineer", "assistant mix"),
    "songwriter": ("writer_artist_ids", "writer"),
    "instrumentalist": ("", "instrument"),
    "background_vocalist": ("Background Vocals", "background vocals"),
    "art_director": ("Art Direction", "art direction"),
    "photographer": ("Photography", "photography"),
}


@dataclass(frozen=True)
class Params:
    scale: float = 1.0
    seed: int = 20_240_601

    def count(self, what: str) -> int:
        return max(200, round(BASE[what] * self.scale))

    def key(self) -> str:
        blob = json.dumps({"version": VERSION, **asdict(self), **BASE}, sort_keys=True)
        return hashlib.sha256(blob.encode()).hexdigest()[:10]

    def path(self) -> Path:
        return RESULTS / f"catalog-{self.scale:g}-{self.key()}.sqlite3"


def info_path(db_path: Path) -> Path:
    return db_path.with_name(db_path.name + ".json")


# -- writing ------------------------------------------------------------------------------------


Batch = list[tuple[str, list[Row]]]


class Writer:
    """Buffers rows per table and hands them to `sink` in batches.

    A batch lists the tables in the order of INSERTS, parents before children, so the foreign keys
    (on, as in the store) hold at every insert.
    """

    def __init__(self, sink: Callable[[Batch], None], batch: int = 50_000) -> None:
        self.sink, self.batch = sink, batch
        self.rows: dict[str, list[Row]] = {name: [] for name in INSERTS}
        self.counts: dict[str, int] = defaultdict(int)

    def add(self, table: str, row: Row) -> None:
        rows = self.rows[table]
        rows.append(row)
        if len(rows) >= self.batch:
            self.flush()

    def flush(self) -> None:
        batch = [(name, rows) for name, rows in self.rows.items() if rows]
        for name, rows in batch:
            self.counts[name] += len(rows)
            self.rows[name] = []
        if batch:
            self.sink(batch)

    def tokens(self, kind: str, entity_id: int, text: str) -> None:
        for token in tokens(text):
            self.add("name_token", (token, kind, entity_id))


class Sampler:
    """Draws artist ids with Zipf-Mandelbrot weights 1/(rank+q)^s: a few heavy, a long tail."""

    def __init__(
        self, rng: random.Random, pool: Sequence[int], s: float = 1.0, q: float = 60
    ) -> None:
        self.rng, self.pool = rng, list(pool)
        total, self.cum = 0.0, []
        for rank in range(len(self.pool)):
            total += 1.0 / (rank + 1 + q) ** s
            self.cum.append(total)
        self.buffer: list[int] = []

    def draw(self) -> int:
        if not self.buffer:
            self.buffer = self.rng.choices(self.pool, cum_weights=self.cum, k=65_536)
        return self.buffer.pop()


@dataclass
class Cast:
    """Who gets credited for what: one sampler per kind of work, over overlapping pools."""

    names: list[str]
    kinds: list[str]
    main: Sampler
    producer: Sampler
    writer: Sampler
    engineer: Sampler
    player: Sampler


def make_cast(rng: random.Random, n: int) -> Cast:
    perm = list(range(1, n + 1))
    rng.shuffle(perm)

    def window(lo: float, hi: float) -> list[int]:
        return perm[int(lo * n) : int(hi * n)]

    return Cast(
        names=[""] * (n + 1),
        kinds=[""] * (n + 1),
        main=Sampler(rng, window(0.0, 0.45)),
        producer=Sampler(rng, window(0.40, 0.55)),
        writer=Sampler(rng, window(0.30, 0.80)),
        engineer=Sampler(rng, window(0.78, 0.83), q=20),
        player=Sampler(rng, window(0.82, 1.0), q=50),
    )


# -- artists ------------------------------------------------------------------------------------


def artist_style(rng: random.Random) -> str:
    roll = rng.random()
    if roll < 0.025:
        return "combined"
    if roll < 0.10:
        return "group"
    return "stage" if roll < 0.42 else "legal"


def name_artists(rng: random.Random, namer: Namer, cast: Cast) -> list[tuple[int, int]]:
    """Give every artist a name; combined pages ("A & B") take two others'.

    Returns (page, member) links: half the combined pages have a source naming their members.
    """
    n = len(cast.names) - 1
    builders = {"group": namer.group, "stage": namer.stage, "legal": namer.person}
    for i in range(1, n + 1):
        style = artist_style(rng)
        cast.kinds[i] = style
        if style != "combined":
            cast.names[i] = builders[style]()
    links: list[tuple[int, int]] = []
    for i in range(1, n + 1):
        if cast.kinds[i] == "combined":
            a, b = _solo(cast, rng), _solo(cast, rng)
            joiner = rng.choice((" & ", " & ", " & ", " x ", ", "))
            cast.names[i] = f"{cast.names[a]}{joiner}{cast.names[b]}"
            if rng.random() < 0.5 and a != b:
                links += [(i, a), (i, b)]
    return links


def _solo(cast: Cast, rng: random.Random) -> int:
    while True:
        i = cast.main.draw() if rng.random() < 0.7 else rng.randrange(1, len(cast.names))
        if cast.kinds[i] in ("stage", "legal"):
            return i


def write_artists(w: Writer, rng: random.Random, namer: Namer, cast: Cast) -> None:
    links = name_artists(rng, namer, cast)
    kind_of = {"combined": "group", "group": "group"}
    for i in range(1, len(cast.names)):
        name, style = cast.names[i], cast.kinds[i]
        kind = kind_of.get(style) or ("person" if rng.random() < 0.8 else "unknown")
        disamb = (
            rng.choice(("US rapper", "UK producer", "Swedish DJ")) if rng.random() < 0.02 else None
        )
        image = f"https://images.genius.com/{rng.getrandbits(128):032x}.1000x1000x1.jpg"
        image_url = image if rng.random() < 0.6 else None
        w.add("artist", (i, name, fold_artist(name), kind, disamb, image_url, CREATED))
        w.tokens("artist", i, name)
        w.add("external_id", ("artist", "genius", str(1000 + 3 * i), i, "source_id", "genius-2017"))
        if rng.random() < 0.04:
            add_alias(w, rng, namer, i, name, style)
    for group, member in links:
        w.add("artist_member", (group, member, "musicbrainz"))
    add_group_members(w, rng, cast)


def add_alias(w: Writer, rng: random.Random, namer: Namer, i: int, name: str, style: str) -> None:
    alias, kind = (namer.person(), "legal") if style == "stage" else (name.upper(), "alternate")
    if alias != name:
        w.add("artist_name", (i, alias, fold_artist(alias), kind, "genius"))
        w.tokens("artist", i, alias)


def add_group_members(w: Writer, rng: random.Random, cast: Cast) -> None:
    for i in range(1, len(cast.names)):
        if cast.kinds[i] == "group" and rng.random() < 0.3:
            for _ in range(rng.randint(2, 4)):
                w.add("artist_member", (i, _solo(cast, rng), "musicbrainz"))


# -- songs, albums, credits ---------------------------------------------------------------------


@dataclass
class Ids:
    recording: int = 0
    credit: int = 0
    fact: int = 0


def song_credits(rng: random.Random, cast: Cast, main: int) -> dict[tuple[int, str, str], int]:
    """(artist, role, detail) -> position, for one song by `main`."""
    out: dict[tuple[int, str, str], int] = {}
    r = rng.random

    def add(role: str, artist: int, detail: str = "") -> None:
        out.setdefault((artist, role, detail), sum(1 for k in out if k[1] == role))

    mains = [main] + ([cast.main.draw()] if r() < 0.08 else [])
    for a in mains:
        add("main_artist", a)
    for _ in range(rng.choice((0, 0, 0, 0, 0, 0, 0, 1, 1, 2))):
        add("featured_artist", cast.main.draw())
    for _ in range(rng.choice((1, 1, 1, 1, 1, 1, 2, 2, 3, 3))):
        add("producer", cast.producer.draw())
    if r() < 0.08:
        add("producer", main)
    for role, p in (
        ("co_producer", 0.08),
        ("additional_producer", 0.08),
        ("vocal_producer", 0.03),
        ("mixing_engineer", 0.55),
        ("mastering_engineer", 0.45),
        ("recording_engineer", 0.45),
        ("assistant_mixing_engineer", 0.1),
    ):
        if r() < p:
            add(role, cast.engineer.draw() if "engineer" in role else cast.producer.draw())
    add_writers(rng, cast, mains, add)
    if r() < 0.2:
        for _ in range(rng.choice((1, 1, 2))):
            add("instrumentalist", cast.player.draw(), rng.choice(INSTRUMENTS))
    if r() < 0.06:
        add("background_vocalist", cast.player.draw())
    return out


def add_writers(
    rng: random.Random, cast: Cast, mains: list[int], add: Callable[[str, int], None]
) -> None:
    if rng.random() < 0.6:
        add("songwriter", mains[0])
    for _ in range(rng.choice((0, 0, 1, 1, 1, 2))):
        add("songwriter", cast.writer.draw())


def write_credits(
    w: Writer,
    rng: random.Random,
    cast: Cast,
    ids: Ids,
    subject: tuple[str, int],
    record_id: str,
    credits: dict[tuple[int, str, str], int],
) -> None:
    kind, subject_id = subject
    for (artist, role, detail), position in credits.items():
        ids.credit += 1
        w.add("credit", (ids.credit, artist, role, detail, kind, subject_id))
        genius_raw, mb_raw = RAW_ROLES[role]
        w.add(
            "credit_source",
            (ids.credit, "genius-2017", record_id, genius_raw or detail, "", position, "2018"),
        )
        if rng.random() < 0.3:
            w.add(
                "credit_source",
                (
                    ids.credit,
                    "musicbrainz",
                    f"{kind}/{subject_id:08x}-mb",
                    mb_raw,
                    cast.names[artist],
                    position,
                    "2023-05-01",
                ),
            )


def write_song(
    w: Writer, rng: random.Random, namer: Namer, cast: Cast, ids: Ids, main: int, date: str | None
) -> int:
    ids.recording += 1
    rid = ids.recording
    title = namer.title()
    w.add("recording", (rid, title, fold(title), date, rng.randint(90_000, 300_000), None, CREATED))
    w.tokens("recording", rid, title)
    w.add(
        "external_id", ("recording", "genius", str(2000 + 7 * rid), rid, "source_id", "genius-2017")
    )
    if rng.random() < 0.3:
        add_label(w, namer, ids, "recording", rid)
    write_credits(
        w,
        rng,
        cast,
        ids,
        ("recording", rid),
        f"songs/{2000 + 7 * rid}",
        song_credits(rng, cast, main),
    )
    return rid


def write_pseudo_song(w: Writer, rng: random.Random, cast: Cast, ids: Ids) -> None:
    """A playlist page posing as a song, crediting dozens of producers (kept out of counts)."""
    ids.recording += 1
    rid, year = ids.recording, rng.randint(2010, 2023)
    title = rng.choice(
        (f"Best Songs of {year}", f"{year} Year-End Playlist", f"Grammy Nominations {year}")
    )
    w.add(
        "recording", (rid, title, fold(title), str(year), None, pseudo_song_reason(title), CREATED)
    )
    w.tokens("recording", rid, title)
    credits = {(cast.producer.draw(), "producer", ""): i for i in range(rng.randint(10, 60))}
    credits[(cast.main.draw(), "main_artist", "")] = 0
    write_credits(w, rng, cast, ids, ("recording", rid), f"songs/{2000 + 7 * rid}", credits)


def add_label(w: Writer, namer: Namer, ids: Ids, kind: str, subject_id: int) -> None:
    ids.fact += 1
    label = namer.label()
    w.add("fact", (ids.fact, kind, subject_id, label, fold(label)))
    w.add("fact_source", (ids.fact, f"{kind}s/{subject_id}"))


def song_date(rng: random.Random) -> str | None:
    year = max(1955, 2024 - int(rng.expovariate(1 / 10)))
    roll = rng.random()
    if roll < 0.6:
        return f"{year}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
    return str(year) if roll < 0.85 else None


RELEASE_KINDS = (
    ("album", 0.30, (10, 20)),
    ("ep", 0.15, (4, 7)),
    ("single", 0.45, (1, 3)),
    ("mixtape", 0.05, (12, 22)),
    ("compilation", 0.05, (10, 20)),
)


def write_release(
    w: Writer, rng: random.Random, namer: Namer, cast: Cast, ids: Ids, release_id: int
) -> None:
    kind, _, (lo, hi) = rng.choices(RELEASE_KINDS, weights=[k[1] for k in RELEASE_KINDS])[0]
    main, date = cast.main.draw(), song_date(rng)
    title = namer.title()
    w.add("release", (release_id, title, fold(title), kind, date, CREATED))
    w.tokens("release", release_id, title)
    w.add(
        "external_id",
        ("release", "genius", str(500 + 11 * release_id), release_id, "source_id", "genius-2017"),
    )
    add_label(w, namer, ids, "release", release_id)
    count, numbered = rng.randint(lo, hi), rng.random() < 0.8
    if kind == "compilation" and ids.recording > count:
        songs = rng.sample(range(1, ids.recording + 1), count)
    else:
        songs = [write_song(w, rng, namer, cast, ids, main, date) for _ in range(count)]
    for position, song in enumerate(songs, 1):
        w.add("track", (release_id, song, position if numbered else None))
    write_credits(
        w,
        rng,
        cast,
        ids,
        ("release", release_id),
        f"albums/{500 + 11 * release_id}",
        release_credits(rng, cast, main, kind),
    )


def release_credits(
    rng: random.Random, cast: Cast, main: int, kind: str
) -> dict[tuple[int, str, str], int]:
    out = {(main, "main_artist", ""): 0}
    if kind in ("album", "mixtape") and rng.random() < 0.7:
        for i in range(rng.choice((1, 1, 2))):
            out.setdefault((cast.producer.draw(), "executive_producer", ""), i)
    for role, p, sampler in (
        ("mastering_engineer", 0.2, cast.engineer),
        ("art_director", 0.15, cast.player),
        ("photographer", 0.1, cast.player),
    ):
        if rng.random() < p:
            out.setdefault((sampler.draw(), role, ""), 0)
    return out


# -- handles ------------------------------------------------------------------------------------


def handle_text(rng: random.Random, name: str, platform: str) -> str:
    base = "".join(fold(name).split()) or "artist"
    if rng.random() < 0.3:
        base += rng.choice(("music", "official", "beats", str(rng.randint(1, 999))))
    if platform == "instagram":
        return base[:30]
    if platform == "twitter":
        return base[:15]
    return (base + "music")[:50] if len(base) < 5 else base[:50]


def write_handles(w: Writer, rng: random.Random, cast: Cast, target: int) -> None:
    seen: set[int] = set()
    handle_id = 0
    samplers = (cast.main, cast.main, cast.producer, cast.engineer)
    while handle_id < target:
        roll = rng.randrange(5)
        artist = samplers[roll].draw() if roll < 4 else rng.randrange(1, len(cast.names))
        if artist in seen:
            continue
        seen.add(artist)
        for platform, p in (("instagram", 1.0), ("twitter", 0.45), ("facebook", 0.15)):
            if rng.random() < p:
                handle_id += 1
                text = handle_text(rng, cast.names[artist], platform)
                w.add("handle", (handle_id, artist, platform, text))
                add_evidence(w, rng, cast, handle_id, artist, (platform, text))


EVIDENCE = (("wikidata", 0.9), ("official_site", 0.85), ("weak", 0.4))


def add_evidence(
    w: Writer, rng: random.Random, cast: Cast, handle_id: int, artist: int, handle: tuple[str, str]
) -> None:
    platform, text = handle
    quote = f'"{platform}_name": "{text}"'
    w.add(
        "handle_evidence",
        (
            handle_id,
            "genius",
            f"artists/{1000 + 3 * artist}",
            "source_field",
            0.9,
            "source_id",
            f"Genius artist field {platform}_name",
            quote,
            "2018",
            CREATED,
        ),
    )
    if rng.random() < 0.4:
        kind, confidence = rng.choice(EVIDENCE)
        w.add(
            "handle_evidence",
            (
                handle_id,
                "handles-file",
                f"line/{handle_id}",
                kind,
                confidence,
                "unique_folded_name",
                f"{kind} evidence",
                "",
                "2024",
                CREATED,
            ),
        )


# -- the whole catalog --------------------------------------------------------------------------


def log(started: float, message: str) -> None:
    print(f"[{time.perf_counter() - started:7.1f} s] {message}", flush=True)


def produce(params: Params, sink: Callable[[Batch], None]) -> dict[str, int]:
    """Make every row (all the randomness is here), in insert order; return the row counts."""
    started = time.perf_counter()
    rng = random.Random(params.seed)
    namer, w = Namer(rng), Writer(sink)
    cast = make_cast(rng, params.count("artists"))
    write_artists(w, rng, namer, cast)
    w.flush()
    log(started, f"artists: {w.counts['artist']:,} ({w.counts['name_token']:,} name tokens)")
    write_songs(w, rng, namer, cast, Ids(), params, started)
    write_handles(w, rng, cast, params.count("handles"))
    w.flush()
    log(started, f"handles: {w.counts['handle']:,}")
    return dict(w.counts)


def write_songs(
    w: Writer,
    rng: random.Random,
    namer: Namer,
    cast: Cast,
    ids: Ids,
    params: Params,
    started: float,
) -> None:
    releases, songs = params.count("releases"), params.count("recordings")
    for release_id in range(1, releases + 1):
        write_release(w, rng, namer, cast, ids, release_id)
        if release_id % max(1, releases // 10) == 0:
            log(
                started, f"releases {release_id:,}: {ids.recording:,} songs, {ids.credit:,} credits"
            )
    while ids.recording < songs:
        if rng.random() < 0.003:
            write_pseudo_song(w, rng, cast, ids)
        else:
            write_song(w, rng, namer, cast, ids, cast.main.draw(), song_date(rng))
    log(started, f"songs without an album: total {ids.recording:,} songs, {ids.credit:,} credits")


def _producer(params: Params, out: mp.Queue[Batch | None]) -> None:
    try:
        produce(params, out.put)
    finally:
        out.put(None)


def insert(db: Database, source: mp.Queue[Batch | None]) -> dict[str, int]:
    """Insert the batches as they come, in one transaction (journal off: generation only)."""
    counts: dict[str, int] = defaultdict(int)
    with db.transaction():
        while (batch := source.get()) is not None:
            for name, rows in batch:
                db.executemany(INSERTS[name], rows)
                counts[name] += len(rows)
    return dict(counts)


def fill(db: Database, params: Params) -> dict[str, int]:
    """One process makes the rows, this one inserts them: both cores busy."""
    ctx = mp.get_context("fork")
    batches: mp.Queue[Batch | None] = ctx.Queue(maxsize=8)
    worker = ctx.Process(target=_producer, args=(params, batches), daemon=True)
    worker.start()
    try:
        counts = insert(db, batches)
        worker.join()
    finally:
        if worker.is_alive():
            worker.terminate()
    if worker.exitcode != 0:
        raise RuntimeError(f"the generating process failed (exit code {worker.exitcode})")
    return counts


def forget_statistics(db: Database) -> None:
    """Planner statistics gathered when the file was empty describe empty tables: drop them, so
    the store's own policy (Catalog.open_sqlite) finds a catalog without statistics."""
    if db.one("SELECT 1 FROM sqlite_master WHERE name = 'sqlite_stat1'") is not None:
        db.execute("DELETE FROM sqlite_stat1")


def generate(params: Params, path: Path) -> dict[str, object]:
    started = time.perf_counter()
    partial = path.with_name(path.name + ".partial")
    for stale in partial.parent.glob(partial.name + "*"):
        stale.unlink()
    catalog = Catalog.open_sqlite(partial)
    for pragma in ("journal_mode = OFF", "synchronous = OFF", "cache_size = -6000000"):
        catalog.db.execute(f"PRAGMA {pragma}")
    counts = fill(catalog.db, params)
    forget_statistics(catalog.db)
    applied = catalog.db.execute("SELECT version, name FROM schema_migration ORDER BY version")
    migrations = [f"{int(v):04d}_{n}" for v, n in applied]
    catalog.db.execute("PRAGMA journal_mode = WAL")
    catalog.close()
    partial.rename(path)
    seconds = round(time.perf_counter() - started, 1)
    info: dict[str, object] = {
        "params": asdict(params),
        "version": VERSION,
        "counts": counts,
        "migrations": migrations,
        "seconds": seconds,
        "sqlite": sqlite3.sqlite_version,
        "bytes": path.stat().st_size,
    }
    info_path(path).write_text(json.dumps(info, indent=2) + "\n")
    log(started, f"done: {path} ({path.stat().st_size / 1e9:.2f} GB) in {seconds:.0f} s")
    return info


def ensure(params: Params, regenerate: bool = False) -> Path:
    """The cached catalog for these parameters, generated first if missing (or asked to)."""
    path = params.path()
    if regenerate or not path.exists() or not info_path(path).exists():
        print(f"Generating the benchmark catalog at scale {params.scale:g} into {path}")
        generate(params, path)
    return path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=1.0, help="1.0: 1M artists, 10M credits")
    parser.add_argument("--seed", type=int, default=Params.seed)
    parser.add_argument("--regenerate", action="store_true", help="ignore the cached file")
    args = parser.parse_args(argv)
    print(ensure(Params(args.scale, args.seed), args.regenerate))
    return 0


if __name__ == "__main__":
    sys.exit(main())
