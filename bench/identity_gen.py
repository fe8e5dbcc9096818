"""Generate the identity benchmark: a catalog of N people with credits, then N incoming records.

Seeded and deterministic. The catalog is what an earlier ingest and resolve left: artists with a
Genius id (45% also a Discogs id, as Wikidata cross-links give), songs crediting them, their
blocking keys and the resolver's marks. The incoming records are a Discogs-like source that
re-credits some catalog songs and brings songs of its own, written as the pipeline writes them:
a record whose Discogs id the catalog holds attaches to that artist (its name, if written
otherwise, becomes an "as credited" name); any other record is a new artist; every credit gets a
credit_source row with the name as credited. The generator's truth says who each record is.

Incoming mix (of N records): 35% catalog people sharing their Discogs id, 30% catalog people with
no shared id, 25% new people, 10% namesakes (a catalog person's name, another person). Names are
perturbed for 30% of the first, 40% of the second and 30% of the namesakes (typos, diacritics
dropped, stylised capitals, "The" moved): about 24% of all records.
"""

from __future__ import annotations

import random
import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import identity_names as names

from linernotes.normalize.fold import fold, fold_artist
from linernotes.resolve.keys import advance_marks
from linernotes.resolve.name_keys import compact, person_keys
from linernotes.store.catalog import Catalog
from linernotes.store.name_index import tokens

CREATED = "2025-01-01T00:00:00+00:00"
MIX = {"shared_id": 0.35, "same": 0.30, "new": 0.25, "namesake": 0.10}
PERTURBED = {"shared_id": 0.3, "same": 0.4, "new": 0.0, "namesake": 0.3}
HOLDERS = 0.45  # catalog people with a Discogs id
NAMESAKES = 0.05  # catalog people bearing a name another catalog person bears
SONGS_PER_PERSON = 1.0
RECREDIT = 0.8  # same-person records credited on some of their catalog songs (else new songs)
ROLES = {  # role -> (Genius raw role, Discogs raw role)
    "main_artist": ("primary_artist_ids", "Main"),
    "featured_artist": ("featured_artist_ids", "Featuring"),
    "producer": ("producer_artist_ids", "Producer"),
    "songwriter": ("writer_artist_ids", "Written-By"),
    "mixing_engineer": ("Mixing Engineer", "Mixed By"),
    "mastering_engineer": ("Mastering Engineer", "Mastered By"),
    "recording_engineer": ("Recording Engineer", "Recorded By"),
}
Row = tuple[object, ...]


class Zipf:
    """Draws from `pool` with weights 1/(rank + q): a few heavy, a long tail."""

    def __init__(self, rng: random.Random, pool: Sequence[int] | Sequence[str], q: float) -> None:
        self.rng, self.pool = rng, list(pool)
        total, self.cum = 0.0, []
        for rank in range(len(self.pool)):
            total += 1.0 / (rank + 1 + q)
            self.cum.append(total)
        self.buffer: list[object] = []

    def draw(self) -> object:
        if not self.buffer:
            self.buffer = list(self.rng.choices(self.pool, cum_weights=self.cum, k=65_536))
        return self.buffer.pop()


@dataclass
class Namer:
    rng: random.Random
    pools: names.Pools
    firsts: Zipf = field(init=False)
    lasts: Zipf = field(init=False)
    words: Zipf = field(init=False)

    def __post_init__(self) -> None:
        self.firsts = Zipf(self.rng, self.pools.firsts, 30)
        self.lasts = Zipf(self.rng, self.pools.lasts, 30)
        self.words = Zipf(self.rng, self.pools.title_words, 20)

    def name(self) -> tuple[str, str]:
        """(name, kind): mostly people "First Last", some stage names and groups."""
        roll, r = self.rng.random(), self.rng
        if roll < 0.80:
            return f"{self.firsts.draw()} {self.lasts.draw()}", r.choice(("person", "unknown"))
        if roll < 0.87:
            middle = r.choice(self.pools.firsts[:400]).split()[0]
            return f"{self.firsts.draw()} {middle} {self.lasts.draw()}", "person"
        if roll < 0.95:
            stem = r.choice(self.pools.singles) if r.random() < 0.5 else str(self.lasts.draw())
            return f"{r.choice(names.STAGE_PREFIXES)} {stem}", "unknown"
        words = r.choice(self.pools.group_words), r.choice(self.pools.group_tails)
        return f"The {words[0]} {words[1]}", "group"

    def title(self) -> str:
        if self.rng.random() < 0.1:
            return self.rng.choice(self.pools.titles)
        count = self.rng.choice((1, 2, 2, 3, 3, 3, 4, 4, 5))
        return " ".join(str(self.words.draw()) for _ in range(count)).capitalize()


@dataclass
class People:
    """The catalog people and songs, as the generator knows them."""

    names: list[str]  # index = artist id (0 unused)
    kinds: list[str]
    holders: list[bool]
    song_titles: list[str] = field(default_factory=list)  # index = recording id - 1
    cast: list[list[tuple[int, str]]] = field(default_factory=list)  # per song: (artist, role)
    songs_of: list[list[int]] = field(default_factory=list)  # per artist: song indexes


@dataclass(frozen=True, slots=True)
class Incoming:
    kind: str  # shared_id, same, new, namesake
    artist_id: int  # the catalog artist it attaches to (shared_id) or its own new one
    truth: int  # the catalog person it is (0: none)
    name: str
    perturbation: str  # "" or one of names.PERTURBATIONS
    discogs: str


# -- the catalog --------------------------------------------------------------------------------


def make_people(rng: random.Random, namer: Namer, n: int) -> People:
    """n people with distinct folded names, then a few namesakes borne by several."""
    seen: set[str] = set()
    people: list[tuple[str, str]] = []
    distinct = n - int(n * NAMESAKES)
    while len(people) < distinct:
        name, kind = namer.name()
        key = compact(name)
        if key and key not in seen:
            seen.add(key)
            people.append((name, kind))
    while len(people) < n:  # copying earlier people, copies included: a few names many bear
        people.append(people[rng.randrange(len(people))])
    rng.shuffle(people)
    return People(
        names=["", *(p[0] for p in people)],
        kinds=["", *(p[1] for p in people)],
        holders=[False, *(rng.random() < HOLDERS for _ in people)],
    )


def make_songs(rng: random.Random, namer: Namer, cat: People) -> None:
    """Songs with a main artist, producers, writers and engineers drawn from overlapping Zipf
    pools (the top main artists get thousands of songs); everyone gets at least one credit."""
    n = len(cat.names) - 1
    order = list(range(1, n + 1))
    rng.shuffle(order)
    pools = {
        "main": Zipf(rng, order[: n // 2], 60),
        "producer": Zipf(rng, order[n // 3 : n * 2 // 3], 60),
        "writer": Zipf(rng, order[n // 4 :], 60),
        "engineer": Zipf(rng, order[n * 3 // 4 :], 20),
    }
    cat.songs_of = [[] for _ in range(n + 1)]
    for _ in range(int(n * SONGS_PER_PERSON)):
        _add_song(rng, namer, cat, _song_cast(rng, pools))
    for artist in range(1, n + 1):
        if not cat.songs_of[artist]:
            song = rng.randrange(len(cat.cast))
            _credit(cat, song, artist, rng.choice(("songwriter", "producer", "recording_engineer")))


def _song_cast(rng: random.Random, pools: dict[str, Zipf]) -> list[tuple[int, str]]:
    r = rng.random
    cast = [(int(str(pools["main"].draw())), "main_artist")]
    if r() < 0.15:
        cast.append((int(str(pools["main"].draw())), "featured_artist"))
    for _ in range(rng.choice((1, 1, 1, 2, 2))):
        cast.append((int(str(pools["producer"].draw())), "producer"))
    if r() < 0.6:
        cast.append((cast[0][0], "songwriter"))
    for _ in range(rng.choice((0, 1, 1, 2))):
        cast.append((int(str(pools["writer"].draw())), "songwriter"))
    for role, p in (
        ("mixing_engineer", 0.5),
        ("mastering_engineer", 0.4),
        ("recording_engineer", 0.4),
    ):
        if r() < p:
            cast.append((int(str(pools["engineer"].draw())), role))
    return list(dict.fromkeys(cast))


def _add_song(rng: random.Random, namer: Namer, cat: People, cast: list[tuple[int, str]]) -> None:
    cat.song_titles.append(namer.title())
    cat.cast.append([])
    for artist, role in cast:
        _credit(cat, len(cat.cast) - 1, artist, role)


def _credit(cat: People, song: int, artist: int, role: str) -> None:
    if (artist, role) not in cat.cast[song]:
        cat.cast[song].append((artist, role))
        if song not in cat.songs_of[artist][-3:]:
            cat.songs_of[artist].append(song)


# -- the incoming records -----------------------------------------------------------------------


def perturb(rng: random.Random, name: str) -> tuple[str, str]:
    """Another source's spelling of `name`, and which kind of change it is."""
    options = ["typo", "capitals"]
    if name.startswith("The "):
        options += ["the_moved"] * 4
    if names.drop_diacritics(name) != name:
        options += ["diacritics"] * 4
    kind = rng.choice(options)
    roll, position = rng.random(), rng.randrange(1000)
    changed = {
        "typo": lambda: names.typo(name, roll, position),
        "capitals": lambda: names.stylise(name, roll, position),
        "the_moved": lambda: names.move_the(name),
        "diacritics": lambda: names.drop_diacritics(name),
    }[kind]()
    return (changed, kind) if changed != name else (name, "")


def make_incoming(rng: random.Random, namer: Namer, cat: People) -> list[Incoming]:
    n = len(cat.names) - 1
    counts = {k: int(n * share) for k, share in MIX.items()}
    holders = [i for i in range(1, n + 1) if cat.holders[i]]
    others = [i for i in range(1, n + 1) if not cat.holders[i]]
    chosen = {
        "shared_id": rng.sample(holders, min(counts["shared_id"], len(holders))),
        "same": rng.sample(others, min(counts["same"], len(others))),
    }
    out: list[Incoming] = []
    next_id = n + 1
    for kind in ("shared_id", "same"):
        for person in chosen[kind]:
            name, how = _maybe_perturbed(rng, kind, cat.names[person])
            own = person if kind == "shared_id" else next_id
            next_id += kind != "shared_id"
            discogs = str(10_000_000 + person) if kind == "shared_id" else str(30_000_000 + own)
            out.append(Incoming(kind, own, person, name, how, discogs))
    taken = {compact(x) for x in cat.names[1:]}
    for _ in range(counts["new"]):
        name = _fresh_name(namer, taken)
        out.append(Incoming("new", next_id, 0, name, "", str(30_000_000 + next_id)))
        next_id += 1
    for _ in range(counts["namesake"]):
        bearer = rng.randrange(1, n + 1)
        name, how = _maybe_perturbed(rng, "namesake", cat.names[bearer])
        out.append(Incoming("namesake", next_id, 0, name, how, str(30_000_000 + next_id)))
        next_id += 1
    return out


def _maybe_perturbed(rng: random.Random, kind: str, name: str) -> tuple[str, str]:
    return perturb(rng, name) if rng.random() < PERTURBED[kind] else (name, "")


def _fresh_name(namer: Namer, taken: set[str]) -> str:
    while True:
        name, _ = namer.name()
        key = compact(name)
        if key and key not in taken:
            taken.add(key)
            return name


@dataclass
class Track:
    """One song of the incoming source: a new recording, crediting incoming artists."""

    title: str
    credits: list[tuple[int, str, str]] = field(default_factory=list)  # (artist, role, as credited)


def incoming_tracks(
    rng: random.Random, namer: Namer, cat: People, records: list[Incoming]
) -> tuple[list[Track], dict[int, str]]:
    """Same people appear on some of their catalog songs (re-credited under the source's own
    track) or on new songs with a catalog collaborator; new people and namesakes on new songs
    led by main artists drawn heavy-first, as on a real source."""
    by_person = {r.truth: r for r in records if r.truth}
    tracks: list[Track] = []
    track_of: dict[int, int] = {}
    heavy = sorted(by_person, key=lambda p: -len(cat.songs_of[p]))
    mains = Zipf(rng, heavy, 60)
    evidence: dict[int, str] = {}  # artist id -> what the generator gave it: song, collaborator
    for r in records:
        if r.truth and rng.random() < RECREDIT:
            _recredit(rng, cat, tracks, track_of, r)
            evidence[r.artist_id] = "song"
        elif r.truth:
            with_one = _with_collaborator(rng, namer, cat, tracks, by_person, r)
            evidence[r.artist_id] = "collaborator" if with_one else "none"
        else:
            for _ in range(rng.choice((1, 1, 2))):
                main = by_person[int(str(mains.draw()))]
                track = Track(namer.title(), [(main.artist_id, "main_artist", main.name)])
                track.credits.append((r.artist_id, rng.choice(("producer", "songwriter")), r.name))
                tracks.append(track)
    return tracks, evidence


def _recredit(
    rng: random.Random, cat: People, tracks: list[Track], track_of: dict[int, int], r: Incoming
) -> None:
    songs = cat.songs_of[r.truth]
    for song in rng.sample(songs, min(len(songs), rng.choice((1, 1, 2, 3)))):
        if song not in track_of:
            track_of[song] = len(tracks)
            tracks.append(Track(_variant(rng, cat.song_titles[song])))
        role = next(role for artist, role in cat.cast[song] if artist == r.truth)
        tracks[track_of[song]].credits.append((r.artist_id, role, r.name))


def _with_collaborator(
    rng: random.Random,
    namer: Namer,
    cat: People,
    tracks: list[Track],
    by_person: dict[int, Incoming],
    r: Incoming,
) -> bool:
    """A new song with, most often, one catalog collaborator; whether it has one."""
    track = Track(namer.title(), [(r.artist_id, "producer", r.name)])
    song = rng.choice(cat.songs_of[r.truth])
    others = [(a, role) for a, role in cat.cast[song] if a != r.truth and a in by_person]
    if others and rng.random() < 0.7:
        artist, role = rng.choice(others)
        track.credits.append((by_person[artist].artist_id, role, by_person[artist].name))
    tracks.append(track)
    return len(track.credits) > 1


def _variant(rng: random.Random, title: str) -> str:
    roll = rng.random()
    if roll < 0.1:
        return f"{title} - Remastered {rng.randint(1995, 2020)}"
    return title.upper() if roll < 0.15 else title


# -- writing ------------------------------------------------------------------------------------

INSERTS = {
    "artist": "INSERT INTO artist (id, name, folded, kind, created_at) VALUES (?, ?, ?, ?, ?)",
    "artist_name": "INSERT INTO artist_name (artist_id, name, folded, kind, source)"
    " VALUES (?, ?, ?, 'as_credited', 'discogs') ON CONFLICT DO NOTHING",
    "name_token": "INSERT INTO name_token (token, entity_kind, entity_id) VALUES (?, ?, ?)"
    " ON CONFLICT DO NOTHING",
    "external_id": "INSERT INTO external_id (entity_kind, namespace, value, entity_id, rule,"
    " source) VALUES (?, ?, ?, ?, ?, ?)",
    "recording": "INSERT INTO recording (id, title, folded, created_at) VALUES (?, ?, ?, ?)",
    "credit": "INSERT INTO credit (id, artist_id, role, subject_kind, subject_id)"
    " VALUES (?, ?, ?, 'recording', ?)",
    "credit_source": "INSERT INTO credit_source (credit_id, source, source_record_id, raw_role,"
    " credited_name, position, retrieved_at) VALUES (?, ?, ?, ?, ?, 0, ?)",
    "identity_key": "INSERT INTO identity_key (entity_kind, key, entity_id)"
    " VALUES ('artist', ?, ?) ON CONFLICT DO NOTHING",
    "truth": "INSERT INTO bench_truth (discogs, kind, artist_id, truth, name, perturbation,"
    " evidence) VALUES (?, ?, ?, ?, ?, ?, ?)",
}


class Sink:
    """Buffered executemany per table, parents flushed before children (foreign keys are on)."""

    def __init__(self, conn: sqlite3.Connection, batch: int = 100_000) -> None:
        self.conn, self.batch = conn, batch
        self.rows: dict[str, list[Row]] = {t: [] for t in INSERTS}

    def add(self, table: str, row: Row) -> None:
        self.rows[table].append(row)
        if len(self.rows[table]) >= self.batch:
            self.flush()

    def flush(self) -> None:
        for table, rows in self.rows.items():
            if rows:
                self.conn.executemany(INSERTS[table], rows)
                self.rows[table] = []

    def tokens(self, entity_kind: str, entity_id: int, text: str) -> None:
        for token in tokens(text):
            self.add("name_token", (token, entity_kind, entity_id))


def write_catalog(sink: Sink, cat: People) -> int:
    """Artists, ids, songs, credits and blocking keys; returns the last credit id."""
    for i in range(1, len(cat.names)):
        name = cat.names[i]
        sink.add("artist", (i, name, fold_artist(name), cat.kinds[i], CREATED))
        sink.tokens("artist", i, name)
        sink.add("external_id", ("artist", "genius", str(i), i, "source_id", "genius-2017"))
        if cat.holders[i]:
            sink.add(
                "external_id",
                ("artist", "discogs", str(10_000_000 + i), i, "source_id", "wikidata"),
            )
        for key in person_keys(name):
            sink.add("identity_key", (key, i))
    credit_id = 0
    for song, (title, cast) in enumerate(zip(cat.song_titles, cat.cast, strict=True), 1):
        sink.add("recording", (song, title, fold(title), CREATED))
        sink.tokens("recording", song, title)
        for artist, role in cast:
            credit_id += 1
            sink.add("credit", (credit_id, artist, role, song))
            sink.add(
                "credit_source",
                (
                    credit_id,
                    "genius-2017",
                    f"songs/{song}",
                    ROLES[role][0],
                    cat.names[artist],
                    "2018",
                ),
            )
    sink.flush()
    return credit_id


def write_incoming(
    sink: Sink,
    cat: People,
    records: list[Incoming],
    tracks: tuple[list[Track], dict[int, str]],
    credit_id: int,
) -> None:
    evidence = tracks[1]
    for r in records:
        sink.add(
            "truth",
            (
                r.discogs,
                r.kind,
                r.artist_id,
                r.truth,
                r.name,
                r.perturbation,
                evidence.get(r.artist_id, ""),
            ),
        )
        if r.kind == "shared_id":
            if r.name != cat.names[r.artist_id]:
                sink.add("artist_name", (r.artist_id, r.name, fold_artist(r.name)))
                sink.tokens("artist", r.artist_id, r.name)
            continue
        kind = cat.kinds[r.truth] if r.truth else "unknown"
        sink.add("artist", (r.artist_id, r.name, fold_artist(r.name), kind, CREATED))
        sink.tokens("artist", r.artist_id, r.name)
        sink.add(
            "external_id", ("artist", "discogs", r.discogs, r.artist_id, "source_id", "discogs")
        )
    first = len(cat.song_titles) + 1
    for number, track in enumerate(tracks[0]):
        rid = first + number
        sink.add("recording", (rid, track.title, fold(track.title), CREATED))
        sink.tokens("recording", rid, track.title)
        sink.add(
            "external_id",
            ("recording", "discogs_track", f"{rid}:A1", rid, "source_local_key", "discogs"),
        )
        for artist, role, credited in dict.fromkeys(track.credits):
            credit_id += 1
            sink.add("credit", (credit_id, artist, role, rid))
            sink.add(
                "credit_source",
                (credit_id, "discogs", f"release/{rid}", ROLES[role][1], credited, "2020-08-06"),
            )
    sink.flush()


def generate(path: Path, n: int, seed: int) -> dict[str, int]:
    """Write the catalog, mark it resolved, then write the incoming records; return counts."""
    rng = random.Random(seed)
    namer = Namer(rng, names.pools())
    cat = make_people(rng, namer, n)
    make_songs(rng, namer, cat)
    records = make_incoming(rng, namer, cat)
    rng.shuffle(records)
    tracks = incoming_tracks(rng, namer, cat, records)
    Catalog.open_sqlite(path).close()  # the real migrations
    conn = _bulk_connection(path)
    with conn:
        credit_id = write_catalog(Sink(conn), cat)
    conn.close()
    _mark_resolved(path)
    conn = _bulk_connection(path)
    with conn:
        write_incoming(Sink(conn), cat, records, tracks, credit_id)
    conn.execute("PRAGMA journal_mode = WAL")
    conn.close()
    catalog = Catalog.open_sqlite(path)
    catalog.db.analyze()  # as the pipeline does after every ingest
    counts = catalog.counts()
    catalog.close()
    return {**counts, "incoming_records": len(records), "incoming_tracks": len(tracks[0])}


def _bulk_connection(path: Path) -> sqlite3.Connection:
    """Generation only: no journal, no fsync; foreign keys on as in the store."""
    conn = sqlite3.connect(path, isolation_level=None)
    for pragma in (
        "journal_mode = OFF",
        "synchronous = OFF",
        "foreign_keys = ON",
        "cache_size = -262144",
    ):
        conn.execute(f"PRAGMA {pragma}")
    conn.execute(
        "CREATE TABLE IF NOT EXISTS bench_truth (discogs TEXT PRIMARY KEY, kind TEXT NOT NULL,"
        " artist_id INTEGER NOT NULL, truth INTEGER NOT NULL, name TEXT NOT NULL,"
        " perturbation TEXT NOT NULL, evidence TEXT NOT NULL)"
    )
    conn.execute("BEGIN")
    return conn


def _mark_resolved(path: Path) -> None:
    """The catalog as a finished resolve leaves it: everything so far has been looked at."""
    catalog = Catalog.open_sqlite(path)
    with catalog.db.transaction():
        advance_marks(catalog.db)
    catalog.close()
