"""Time the CLI's questions on the generated catalog: median, p95 and max against 50 ms.

    .venv/bin/python bench/run.py [--scale 1.0] [--runs 7] [--regenerate] [--db FILE]

Subjects are picked deterministically across the distribution (the heaviest artists, songs and
albums, then ranks from the top 0.1% down to the lightest), names are typed as written, in lower
case without accents, by their first letters, and misspelt. Each question runs once to warm up,
then `--runs` times per subject. Writes bench/results/latest.json. A missed target is reported,
not an error: the exit status is non-zero only when something fails.
"""

from __future__ import annotations

import argparse
import hashlib
import importlib
import json
import os
import platform
import random
import sqlite3
import statistics
import sys
import tempfile
import threading
import time
import unicodedata
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from generate import RESULTS, Params, ensure, info_path
from names import misspell

from linernotes.demo.build import build_demo
from linernotes.normalize.fold import fold
from linernotes.normalize.records import EntityKind
from linernotes.search import names
from linernotes.store import read_credits, read_people
from linernotes.store.catalog import Catalog
from linernotes.store.db import Database

TARGET_MS = 50.0
HEAVY = 5  # the heaviest subjects always run; the rest are spread over the ranks below
RANKS = (0.001, 0.005, 0.01, 0.05, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 0.95, 1.0)
SLOW_MS = 1000.0  # a warm-up this slow is the subject's only sample: far over target already
BUDGET_S = 120.0  # per question: subjects left when it is spent are reported as skipped
CALL_LIMIT_S = 30.0  # a call still running after this is interrupted and reported as timed out
ARTIST, RELEASE, RECORDING = EntityKind.ARTIST, EntityKind.RELEASE, EntityKind.RECORDING


@dataclass(frozen=True)
class Subject:
    id: int
    name: str
    weight: int  # songs, credits or tracks: how heavy the subject is
    rank: str  # "top 1", "50%": where in the distribution it sits


@dataclass(frozen=True)
class Case:
    label: str
    call: Callable[[], object]


@dataclass
class Result:
    question: str
    unit: str
    samples: list[float] = field(default_factory=list)
    subjects: list[dict[str, object]] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    timeouts: int = 0

    def notes(self) -> str:
        parts = (
            [f"{self.timeouts} calls interrupted at {CALL_LIMIT_S:g} s"] if self.timeouts else []
        )
        if self.skipped:
            parts.append(f"{len(self.skipped)} subjects skipped: {BUDGET_S:g} s budget spent")
        return "; ".join(parts)

    def stats(self) -> dict[str, float]:
        ordered = sorted(self.samples)
        p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
        return {"median": statistics.median(ordered), "p95": p95, "max": ordered[-1]}

    def worst(self) -> dict[str, object]:
        return max(self.subjects, key=lambda s: float(str(s["median_ms"])))


# -- picking subjects ---------------------------------------------------------------------------


def ranked(db: Database, sql: str) -> list[tuple[int, int]]:
    """(id, weight) heaviest first, ties by id: a deterministic order."""
    return sorted(((int(i), int(n)) for i, n in db.execute(sql)), key=lambda r: (-r[1], r[0]))


def spread(rows: list[tuple[int, int]]) -> list[tuple[int, int, str]]:
    """The heaviest few, then one subject at each rank of RANKS (0.5 = the median subject)."""
    picks = {i: f"top {i + 1}" for i in range(min(HEAVY, len(rows)))}
    for q in RANKS:
        picks.setdefault(min(len(rows) - 1, round(q * (len(rows) - 1))), f"{q * 100:g}%")
    return [(rows[i][0], rows[i][1], rank) for i, rank in sorted(picks.items())]


def subjects(db: Database, kind: EntityKind, rows: list[tuple[int, int]]) -> list[Subject]:
    table, column = {
        ARTIST: ("artist", "name"),
        RELEASE: ("release", "title"),
        RECORDING: ("recording", "title"),
    }[kind]
    out = []
    for entity_id, weight, rank in spread(rows):
        row = db.one(f"SELECT {column} FROM {table} WHERE id = ?", (entity_id,))
        assert row is not None
        out.append(Subject(entity_id, str(row[0]), weight, rank))
    return out


@dataclass
class Picks:
    producers: list[Subject]
    people: list[Subject]
    handles: list[Subject]
    songs: list[Subject]
    albums: list[Subject]
    common_titles: list[Subject]


# How heavy each subject is: the distributions the subjects are spread over.
ARTIST_SONGS = (
    "SELECT artist_id, count(*) FROM credit WHERE role = 'main_artist'"
    " AND subject_kind = 'recording' GROUP BY artist_id"
)
ARTIST_CREDITS = "SELECT artist_id, count(*) FROM credit GROUP BY artist_id"
SONG_CREDITS = (
    "SELECT subject_id, count(*) FROM credit WHERE subject_kind = 'recording' GROUP BY subject_id"
)
ALBUM_TRACKS = "SELECT release_id, count(*) FROM track GROUP BY release_id"
COMMON_TITLES = (
    "SELECT min(id), count(*) FROM recording GROUP BY folded ORDER BY count(*) DESC LIMIT 3"
)


def pick_subjects(db: Database) -> Picks:
    credits = ranked(db, ARTIST_CREDITS)
    weight = dict(credits)
    owners = [
        (int(r[0]), weight.get(int(r[0]), 0))
        for r in db.execute("SELECT DISTINCT artist_id FROM handle")
    ]
    producers = subjects(db, ARTIST, ranked(db, ARTIST_SONGS))
    common = [(int(i), int(n)) for i, n in db.execute(COMMON_TITLES)]
    return Picks(
        producers=producers,
        people=subjects(db, ARTIST, credits),
        handles=subjects(db, ARTIST, sorted(owners, key=lambda r: (-r[1], r[0]))),
        songs=hits(db, producers[:3]) + subjects(db, RECORDING, ranked(db, SONG_CREDITS)),
        albums=subjects(db, RELEASE, ranked(db, ALBUM_TRACKS)),
        common_titles=[
            Subject(i, _title(db, i), n, f"top {k + 1}") for k, (i, n) in enumerate(common)
        ],
    )


def hits(db: Database, artists: list[Subject]) -> list[Subject]:
    """The most credited song of each of these (heavy) artists: a popular song."""
    out = []
    for artist in artists:
        row = db.one(
            "SELECT c.subject_id, count(*) FROM credit c WHERE c.subject_kind = 'recording'"
            " AND c.subject_id IN (SELECT subject_id FROM credit WHERE artist_id = ?"
            " AND role = 'main_artist' AND subject_kind = 'recording')"
            " GROUP BY c.subject_id ORDER BY count(*) DESC, c.subject_id LIMIT 1",
            (artist.id,),
        )
        if row:
            out.append(
                Subject(
                    int(row[0]),
                    _title(db, int(row[0])),
                    int(row[1]),
                    f"hit of {artist.rank} artist",
                )
            )
    return out


def _title(db: Database, recording_id: int) -> str:
    row = db.one("SELECT title FROM recording WHERE id = ?", (recording_id,))
    return str(row[0]) if row else ""


# -- what users type ----------------------------------------------------------------------------


def plain(text: str) -> str:
    """How a user types a name in a hurry: lower case, no accents, punctuation kept."""
    decomposed = unicodedata.normalize("NFKD", text.lower())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def typed(subject: Subject, index: int) -> str:
    return subject.name if index % 2 == 0 else plain(subject.name)


def first_letters(name: str) -> str:
    """ "metro bo" for Metro Boomin: whole first word, start of the next."""
    words = fold(name).split()
    return f"{words[0]} {words[1][:3]}" if len(words) > 1 else words[0][:4] if words else name


def label(subject: Subject, unit: str, text: str | None = None) -> str:
    shown = subject.name if text is None else text
    return f"{subject.rank}: {shown!r} (id {subject.id}, {subject.weight:,} {unit})"


# -- the questions ------------------------------------------------------------------------------


def name_cases(db: Database, p: Picks) -> dict[str, tuple[str, list[Case]]]:
    rng = random.Random(7)
    artist, song, album = p.producers, p.songs, p.albums

    def find(kind: EntityKind, text: str) -> Callable[[], object]:
        return lambda: names.find(db, kind, text)

    def not_found(kind: EntityKind, text: str) -> Callable[[], object]:
        return lambda: names.find(db, kind, text) or names.suggest(db, kind, text)

    typos = {s.id: misspell(s.name, rng) for s in [*artist, *song]}
    return {
        "find artist (exact, as written or lower case)": (
            "songs",
            [
                Case(label(s, "songs", typed(s, i)), find(ARTIST, typed(s, i)))
                for i, s in enumerate(artist)
            ],
        ),
        "find artist (first letters: 'metro bo')": (
            "songs",
            [
                Case(label(s, "songs", first_letters(s.name)), find(ARTIST, first_letters(s.name)))
                for s in artist
            ],
        ),
        "find song (exact title)": (
            "credits",
            [
                Case(label(s, "credits", typed(s, i)), find(RECORDING, typed(s, i)))
                for i, s in enumerate(song)
            ],
        ),
        "find song (common title: 'Intro')": (
            "songs share it",
            [Case(label(s, "songs share it"), find(RECORDING, s.name)) for s in p.common_titles],
        ),
        "find album (exact title)": (
            "tracks",
            [
                Case(label(s, "tracks", typed(s, i)), find(RELEASE, typed(s, i)))
                for i, s in enumerate(album)
            ],
        ),
        "misspelt artist: find + suggest": (
            "songs",
            [Case(label(s, "songs", typos[s.id]), not_found(ARTIST, typos[s.id])) for s in artist],
        ),
        "misspelt song: find + suggest": (
            "credits",
            [
                Case(label(s, "credits", typos[s.id]), not_found(RECORDING, typos[s.id]))
                for s in song
            ],
        ),
    }


CLI_PRODUCER_ROWS = 40  # `producers` shows this many rows unless told otherwise


def producers_answer(db: Database, artist_id: int) -> object:
    """What `producers ARTIST` computes: `read_producers.producers(db, id, 40)` where the store
    has that module (ranked in SQL, bounded to the rows shown), else `read_people.producers`."""
    try:
        module = importlib.import_module("linernotes.store.read_producers")
    except ImportError:
        return getattr(read_people, "producers")(db, artist_id)  # noqa: B009
    return module.producers(db, artist_id, CLI_PRODUCER_ROWS)


def question_cases(db: Database, p: Picks) -> dict[str, tuple[str, list[Case]]]:
    def cases(items: list[Subject], unit: str, ask: Callable[[int], object]) -> list[Case]:
        return [Case(label(s, unit), bind(ask, s.id)) for s in items]

    return {
        "producers ARTIST": (
            "songs",
            cases(p.producers, "songs", lambda i: producers_answer(db, i)),
        ),
        "credits SONG": (
            "credits",
            cases(p.songs, "credits", lambda i: read_credits.recording_credits(db, i)),
        ),
        "credits --album ALBUM": (
            "tracks",
            cases(p.albums, "tracks", lambda i: read_credits.release_credits(db, i)),
        ),
        "person NAME": ("credits", cases(p.people, "credits", lambda i: read_people.person(db, i))),
        "handle NAME": (
            "credits",
            cases(p.handles, "credits", lambda i: read_people.handles(db, [i])),
        ),
    }


def bind(ask: Callable[[int], object], entity_id: int) -> Callable[[], object]:
    return lambda: ask(entity_id)


# -- timing -------------------------------------------------------------------------------------


class Clock:
    """Times calls, interrupting any that runs past `limit` seconds (SQLite stops the query)."""

    def __init__(self, catalog: Catalog, limit: float = CALL_LIMIT_S) -> None:
        # The store keeps its sqlite3 connection private; interrupting it is all we need here.
        self.interrupt: Callable[[], None] = getattr(catalog.db, "_conn").interrupt  # noqa: B009
        self.limit = limit
        self.timeouts = 0

    def timed(self, call: Callable[[], object]) -> float:
        timer = threading.Timer(self.limit, self.interrupt)
        timer.start()
        started = time.perf_counter()
        try:
            call()
        except sqlite3.OperationalError as error:
            if "interrupt" not in str(error):
                raise
            self.timeouts += 1
        finally:
            timer.cancel()
        return (time.perf_counter() - started) * 1000

    def samples(self, call: Callable[[], object], runs: int) -> list[float]:
        warm = self.timed(call)
        return [warm] if warm > SLOW_MS else [self.timed(call) for _ in range(runs)]


def measure(question: str, unit: str, cases: list[Case], clock: Clock, runs: int) -> Result:
    result, started, timeouts = Result(question, unit), time.perf_counter(), clock.timeouts
    for case in cases:
        if time.perf_counter() - started > BUDGET_S:
            result.skipped.append(case.label)
            continue
        ms = clock.samples(case.call, runs)
        result.samples += ms
        result.subjects.append(
            {
                "subject": case.label,
                "median_ms": statistics.median(ms),
                "max_ms": max(ms),
                "runs": len(ms),
            }
        )
    result.timeouts = clock.timeouts - timeouts
    s, notes = result.stats(), result.notes()
    print(
        f"  {question:<48} median {s['median']:8.1f}  p95 {s['p95']:8.1f}  max {s['max']:8.1f}"
        f" ms{'  (' + notes + ')' if notes else ''}",
        flush=True,
    )
    return result


def demo_build_ms(times: int = 5) -> list[float]:
    out = []
    for _ in range(times):
        with tempfile.TemporaryDirectory() as folder:
            started = time.perf_counter()
            catalog = Catalog.open_sqlite(Path(folder) / "demo.sqlite3")
            build_demo(catalog)
            catalog.close()
            out.append((time.perf_counter() - started) * 1000)
    return out


# -- report -------------------------------------------------------------------------------------


def table(results: list[Result]) -> str:
    lines = [
        f"| {'question':<48} | median ms |    p95 ms |    max ms | under 50 ms? |",
        f"|{'-' * 50}|----------:|----------:|----------:|--------------|",
    ]
    for r in results:
        s = r.stats()
        slow = sum(1 for x in r.subjects if float(str(x["median_ms"])) > TARGET_MS)
        total = len(r.subjects) + len(r.skipped)
        verdict = "yes" if s["p95"] <= TARGET_MS else f"NO: {slow + len(r.skipped)}/{total} slow"
        lines.append(
            f"| {r.question:<48} | {s['median']:9.1f} | {s['p95']:9.1f} | {s['max']:9.1f} |"
            f" {verdict:<12} |"
        )
    return "\n".join(lines)


def misses(results: list[Result]) -> list[str]:
    out = []
    for r in results:
        if r.stats()["p95"] > TARGET_MS:
            w, notes = r.worst(), r.notes()
            out.append(
                f"{r.question}: slowest {w['subject']}, median {float(str(w['median_ms'])):.0f} ms"
                + (f" ({notes})" if notes else "")
            )
    return out


@dataclass(frozen=True)
class StoreState:
    """What was measured: the store's code and the schema as migrated, with statistics or not."""

    store_sha256: str
    migrations: list[str]
    indexes: list[str]
    analyzed: list[str]  # the tables sqlite_stat1 has statistics for

    def line(self) -> str:
        return (
            f"Store code {self.store_sha256}, schema up to {self.migrations[-1]},"
            f" planner statistics for {len(self.analyzed)} tables"
            f"{'' if 'credit' in self.analyzed else ' (none for credit)'}"
        )


def analyzed_tables(db: Database) -> list[str]:
    if db.one("SELECT 1 FROM sqlite_master WHERE name = 'sqlite_stat1'") is None:
        return []
    return [str(r[0]) for r in db.execute("SELECT DISTINCT tbl FROM sqlite_stat1 ORDER BY tbl")]


def store_state(db: Database) -> StoreState:
    folder = Path(read_people.__file__).parent
    digest = hashlib.sha256()
    for path in sorted([*folder.glob("*.py"), *folder.glob("migrations/*.sql")]):
        digest.update(path.read_bytes())
    migrations = db.execute("SELECT version, name FROM schema_migration ORDER BY version")
    indexes = db.execute(
        "SELECT sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL ORDER BY name"
    )
    return StoreState(
        store_sha256=digest.hexdigest()[:12],
        migrations=[f"{int(v):04d}_{n}" for v, n in migrations],
        indexes=[str(r[0]) for r in indexes],
        analyzed=analyzed_tables(db),
    )


def machine(db_path: Path, catalog: Catalog) -> dict[str, object]:
    wal = db_path.with_name(db_path.name + "-wal")
    info = json.loads(info_path(db_path).read_text()) if info_path(db_path).exists() else {}
    return {
        "cores": os.cpu_count(),
        "load_average": os.getloadavg(),
        "machine": platform.machine(),
        "system": platform.platform(),
        "python": platform.python_version(),
        "sqlite": sqlite3.sqlite_version,
        "db": str(db_path),
        "db_bytes": db_path.stat().st_size + (wal.stat().st_size if wal.exists() else 0),
        "rows": catalog.counts(),
        "generation": info,
    }


def report(results: list[Result], demo: list[float], env: dict[str, object], out: Path) -> None:
    demo_median = statistics.median(demo)
    print("\n" + table(results))
    print(
        f"\nDemo catalog build: median {demo_median / 1000:.2f} s of {len(demo)}"
        f" ({'under' if demo_median < 10_000 else 'OVER'} the 10 s target)"
    )
    for line in misses(results):
        print(f"MISSED 50 ms: {line}")
    payload = {
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "command": " ".join(sys.argv),
        "target_ms": TARGET_MS,
        "machine": env,
        "demo_build_ms": {"median": demo_median, "runs": demo},
        "questions": [
            {
                "question": r.question,
                **r.stats(),
                "runs": len(r.samples),
                "subjects": r.subjects,
                "skipped": r.skipped,
            }
            for r in results
        ],
    }
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(payload, indent=2, ensure_ascii=False) + "\n")
    print(f"\nWrote {out}")


def run(db_path: Path, runs: int, out: Path, only: str = "") -> None:
    catalog = Catalog.open_sqlite(db_path)
    db, clock = catalog.db, Clock(catalog)
    state = store_state(db)
    print(f"{state.line()}; load average {os.getloadavg()[0]:.1f}")
    started = time.perf_counter()
    picks = pick_subjects(db)
    print(f"Picked subjects in {time.perf_counter() - started:.1f} s; timing ({runs} runs each):")
    results = [
        measure(question, unit, cases, clock, runs)
        for group in (name_cases(db, picks), question_cases(db, picks))
        for question, (unit, cases) in group.items()
        if only.casefold() in question.casefold()
    ]
    env = {**machine(db_path, catalog), "store": asdict(state)}
    catalog.close()
    report(results, demo_build_ms(), env, out)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=1.0, help="catalog size (1.0: 10M credits)")
    parser.add_argument("--runs", type=int, default=7, help="timed runs per subject")
    parser.add_argument("--only", default="", help="only the questions whose name contains this")
    parser.add_argument("--regenerate", action="store_true", help="rebuild the cached catalog")
    parser.add_argument("--db", type=Path, help="time this catalog file instead")
    parser.add_argument("--out", type=Path, default=RESULTS / "latest.json")
    args = parser.parse_args(argv)
    db_path = args.db or ensure(Params(args.scale), args.regenerate)
    print(f"Catalog: {db_path}")
    run(db_path, args.runs, args.out, args.only)
    return 0


if __name__ == "__main__":
    sys.exit(main())
