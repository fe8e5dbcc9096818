"""Load what identity needs to know about artists: names, ids, credited works, collaborators.

Set-based, so it scales to dumps: the ids go into a temporary table and each query joins it, a
block of ids at a time (a million changed artists is a few dozen queries, not thousands of
IN lists), and names and titles are folded once per distinct text. Every join names the
temporary table first with CROSS JOIN, which SQLite takes as the join order: a temporary table
has no statistics, and the planner would otherwise scan the whole credit table per block.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field, replace
from itertools import groupby
from operator import itemgetter
from typing import Any

from linernotes.normalize.handles import EvidenceKind
from linernotes.normalize.records import LinkRule
from linernotes.resolve.name_keys import compact
from linernotes.resolve.person_match import DISTINCT_PER_SOURCE, PersonProfile
from linernotes.resolve.titles import title_key
from linernotes.store.db import Database

CHUNK = 500  # ids per IN list (SQLite allows 999 parameters by default on older builds)
BLOCK = 50_000  # ids per temporary-table pass: bounds the rows held at once
MAX_COLLABORATORS = 2000  # enough to corroborate; a superstar's full list adds nothing
ID_TABLE = "resolve_ids"

_BASE = (
    f"SELECT a.id, a.name, a.kind, a.disambiguation IS NOT NULL FROM {ID_TABLE} t"
    " CROSS JOIN artist a WHERE a.id = t.id"
)
_IDS = (
    f"SELECT e.entity_id, e.namespace, e.value FROM {ID_TABLE} t CROSS JOIN external_id e"
    " WHERE e.entity_id = t.id AND e.entity_kind = 'artist'"
)
NAMES = (
    f"SELECT n.artist_id, n.name FROM {ID_TABLE} t CROSS JOIN artist_name n"
    " WHERE n.artist_id = t.id",
    f"SELECT DISTINCT c.artist_id, s.credited_name FROM {ID_TABLE} t CROSS JOIN credit c"
    " CROSS JOIN credit_source s WHERE c.artist_id = t.id AND s.credit_id = c.id",
)
_WORKS = (
    f"SELECT DISTINCT c.artist_id, r.title FROM {ID_TABLE} t CROSS JOIN credit c"
    " CROSS JOIN recording r WHERE c.artist_id = t.id AND c.subject_kind = 'recording'"
    " AND r.id = c.subject_id",
    f"SELECT DISTINCT c.artist_id, r.title FROM {ID_TABLE} t CROSS JOIN credit c"
    " CROSS JOIN release r WHERE c.artist_id = t.id AND c.subject_kind = 'release'"
    " AND r.id = c.subject_id",
)
# Collaborators by id as well as name: a merge of a collaborator changes the name seen, and the
# resolver re-reads exactly the profiles that saw one of the merged ids.
# A credit on a whole release is a co-credit with every credit on one of its tracks (a producer
# of "Imagine" and the guitarist of its "Crippled Inside"), from either side.
_COLLABORATORS = (
    f"SELECT DISTINCT c.artist_id, o.artist_id FROM {ID_TABLE} t CROSS JOIN credit c"
    " CROSS JOIN credit o WHERE c.artist_id = t.id AND o.subject_id = c.subject_id"
    " AND o.subject_kind = c.subject_kind AND o.artist_id <> c.artist_id",
    f"SELECT DISTINCT c.artist_id, o.artist_id FROM {ID_TABLE} t CROSS JOIN credit c"
    " CROSS JOIN track k CROSS JOIN credit o WHERE c.artist_id = t.id"
    " AND c.subject_kind = 'recording' AND k.recording_id = c.subject_id"
    " AND o.subject_id = k.release_id AND o.subject_kind = 'release'"
    " AND o.artist_id <> c.artist_id",
    f"SELECT DISTINCT c.artist_id, o.artist_id FROM {ID_TABLE} t CROSS JOIN credit c"
    " CROSS JOIN track k CROSS JOIN credit o WHERE c.artist_id = t.id"
    " AND c.subject_kind = 'release' AND k.release_id = c.subject_id"
    " AND o.subject_id = k.recording_id AND o.subject_kind = 'recording'"
    " AND o.artist_id <> c.artist_id",
)
# Collaborators' names are read once per artist and kept for the whole resolve (a merge keeps
# the kept artist's name), rather than joined into every co-credit row.
NAME_IDS = "resolve_name_ids"
_ARTIST_NAMES = f"SELECT a.id, a.name FROM {NAME_IDS} t CROSS JOIN artist a WHERE a.id = t.id"


def chunks(ids: list[int]) -> Iterator[list[int]]:
    for start in range(0, len(ids), CHUNK):
        yield ids[start : start + CHUNK]


def rows_for(db: Database, sql: str, ids: list[int]) -> Iterator[tuple[int, str]]:
    for part in chunks(ids):
        q = ", ".join("?" * len(part))
        for row in db.execute(sql.format(q=q), part):
            yield int(row[0]), str(row[1])


def id_blocks(db: Database, ids: Iterable[int], table: str = ID_TABLE) -> Iterator[list[int]]:
    """Fill the temporary table `table` with one block of ids after another."""
    wanted = sorted(set(ids))
    db.execute(f"CREATE TEMP TABLE IF NOT EXISTS {table} (id INTEGER PRIMARY KEY)")
    for start in range(0, len(wanted), BLOCK):
        block = wanted[start : start + BLOCK]
        db.execute(f"DELETE FROM {table}")
        db.executemany(f"INSERT INTO {table} (id) VALUES (?)", [(i,) for i in block])
        yield block
    db.execute(f"DELETE FROM {table}")


@dataclass(slots=True)
class Folds:
    """Folded forms already computed in this resolve: names and titles repeat across artists."""

    names: dict[str, str] = field(default_factory=dict)
    works: dict[str, set[str]] = field(default_factory=dict)
    shown: dict[str, str] = field(default_factory=dict)  # compact key -> a name as written
    artists: dict[int, str] = field(default_factory=dict)  # artist id -> its name

    def name(self, text: str) -> str:
        found = self.names.get(text)
        if found is None:
            found = self.names[text] = compact(text)
        return found

    def work(self, title: str) -> set[str]:
        found = self.works.get(title)
        if found is None:
            found = self.works[title] = work_keys(title)
        return found


def load_profiles(
    db: Database,
    ids: Iterable[int],
    folds: Folds | None = None,
    *,
    known: dict[int, set[str]] | None = None,
) -> dict[int, PersonProfile]:
    """Names, ids and kind: enough to tell whether two records could be one at all.
    `known`: compact other names already read for some of the ids (their aliases and names as
    credited are not read again)."""
    folds = folds or Folds()
    known = known or {}
    wanted = set(ids)
    out: dict[int, PersonProfile] = {}
    for part, names in ((wanted & known.keys(), known), (wanted - known.keys(), None)):
        for _ in id_blocks(db, part):
            out.update(_profiles_of_block(db, folds, names))
    return out


def _profiles_of_block(
    db: Database, folds: Folds, known: dict[int, set[str]] | None
) -> dict[int, PersonProfile]:
    other = known if known is not None else _grouped(db, NAMES, folds.name)
    ids_of: dict[int, set[tuple[str, str]]] = defaultdict(set)
    for entity_id, ns, value in db.execute(_IDS):
        ids_of[int(entity_id)].add((str(ns), str(value)))
    out: dict[int, PersonProfile] = {}
    for i, name, kind, disambiguated in db.execute(_BASE):
        own = {folds.name(name)} - {""}
        out[i] = PersonProfile(
            entity_id=i,
            display=name,
            names=frozenset(own),
            other_names=frozenset(other.get(i, _NONE) - own),
            ids=frozenset(ids_of.get(i, _NONE)),
            kind=kind,
            disambiguated=bool(disambiguated),
        )
    return out


_NONE: frozenset[Any] = frozenset()
_KINDS = f"SELECT a.id, a.kind FROM {ID_TABLE} t CROSS JOIN artist a WHERE a.id = t.id"
_SOURCES = sorted(DISTINCT_PER_SOURCE)
_PERSON, _GROUP = 1 << len(_SOURCES), 1 << (len(_SOURCES) + 1)
_SOURCE_BITS = _PERSON - 1


def apart_codes(db: Database, ids: Iterable[int]) -> dict[int, int]:
    """What `conflict` reads of each artist, as one small int: a bit per source that keeps one
    record per person in which it has an id, and a bit for person or group."""
    bit = {ns: 1 << n for n, ns in enumerate(_SOURCES)}
    kind_bit = {"person": _PERSON, "group": _GROUP}
    out: dict[int, int] = {}
    for _ in id_blocks(db, ids):
        for i, kind in db.execute(_KINDS):
            out[i] = kind_bit.get(kind, 0)
        for entity_id, ns, _value in db.execute(_IDS):
            if entity_id in out:
                out[entity_id] |= bit.get(ns, 0)
    return out


def apart_table() -> bytes:
    """For codes a and b, byte a << 7 | b says whether `conflict` keeps the two apart. An
    (namespace, value) pair belongs to one artist only (the external_id key), so two artists
    with ids in the same such source hold different ids there: that source keeps them apart."""
    size, kinds = _GROUP << 1, _PERSON | _GROUP
    return bytes(
        bool(a & b & _SOURCE_BITS) or {a & kinds, b & kinds} == {_PERSON, _GROUP}
        for a in range(size)
        for b in range(size)
    )


CODE_BITS = len(_SOURCES) + 2


@dataclass(slots=True)
class Credited:
    """Profiles with their corroboration, and the collaborator ids each one saw (None: capped,
    so which collaborators were seen is not known and any merge may change it)."""

    profiles: dict[int, PersonProfile]
    seen: dict[int, frozenset[int] | None]


def with_credits(
    db: Database, profiles: dict[int, PersonProfile], folds: Folds | None = None
) -> Credited:
    """The same profiles with what they are credited on and with whom: the corroboration."""
    folds = folds or Folds()
    out = Credited({}, {})
    for block in id_blocks(db, profiles):
        works = _works(db, folds)
        collaborators, seen = _collaborators(db, folds)
        accounts = _accounts(db)
        for i in block:
            p, names = profiles[i], collaborators.get(i, _NONE)
            out.seen[i] = seen.get(i, _NONE)
            out.profiles[i] = replace(
                p,
                works=frozenset(works.get(i, _NONE)),
                collaborators=frozenset(names),
                # Every key seen, with the first spelling seen: the same answer for this
                # profile's collaborators as a copy holding only theirs, without the copy.
                shown=folds.shown,
                accounts=frozenset(accounts.get(i, _NONE)),
            )
    return out


def _works(db: Database, folds: Folds) -> dict[int, set[str]]:
    out: dict[int, set[str]] = defaultdict(set)
    known, work = folds.works, folds.work
    for sql in _WORKS:
        for artist_id, title in db.execute(sql):
            keys = known.get(title)
            out[artist_id].update(keys if keys is not None else work(title))
    return out


# Accounts a source links to the artist on its own page for it (Discogs urls, Genius fields,
# Wikidata): not those a handles file attached by name, nor third-party mentions, which would
# make a name the evidence for itself.
_ACCOUNTS = (
    f"SELECT DISTINCT h.artist_id, h.platform, h.handle FROM {ID_TABLE} t CROSS JOIN handle h"
    " CROSS JOIN handle_evidence e WHERE h.artist_id = t.id AND e.handle_id = h.id"
    f" AND e.match_rule = '{LinkRule.SOURCE_ID.value}'"
    f" AND e.evidence_kind <> '{EvidenceKind.WEAK.value}'"
)


def _accounts(db: Database) -> dict[int, set[tuple[str, str]]]:
    out: dict[int, set[tuple[str, str]]] = defaultdict(set)
    for artist_id, platform, handle in db.execute(_ACCOUNTS):
        out[int(artist_id)].add((str(platform), str(handle)))
    return out


def _collaborators(
    db: Database, folds: Folds
) -> tuple[dict[int, set[str]], dict[int, frozenset[int] | None]]:
    """Per artist, the compact names of its collaborators (the first MAX_COLLABORATORS in row
    order, same-subject co-credits first) and the ids they were read from (None once capped:
    which of the rest it would have read is not known). Each query's rows come grouped by
    artist, the id table leading the join."""
    results = [db.execute(sql) for sql in _COLLABORATORS]
    artist_names = _artist_names(db, folds, {other for rows in results for _, other in rows})
    names: dict[int, set[str]] = {}
    ids: dict[int, set[int]] = {}
    capped: set[int] = set()
    known, name_of, shown = folds.names, folds.name, folds.shown
    for rows in results:
        for artist_id, group in groupby(rows, key=itemgetter(0)):
            keys = names.setdefault(artist_id, set())
            read = ids.setdefault(artist_id, set())
            for _, other_id in group:
                if len(keys) >= MAX_COLLABORATORS:
                    capped.add(artist_id)
                    break
                read.add(other_id)
                name = artist_names[other_id]
                key = known.get(name)
                if key is None:
                    key = name_of(name)
                if key:
                    if key not in shown:
                        shown[key] = name
                    keys.add(key)
    return names, {i: None if i in capped else frozenset(s) for i, s in ids.items()}


def _artist_names(db: Database, folds: Folds, ids: set[int]) -> dict[int, str]:
    missing = ids - folds.artists.keys()
    for _ in id_blocks(db, missing, NAME_IDS):
        folds.artists.update(db.execute(_ARTIST_NAMES))
    return folds.artists


def work_keys(title: str) -> set[str]:
    """A title and its short form: "All Night Long (All Night)" also as "All Night Long"."""
    key = title_key(title)
    return {key.base, key.short} - {""}


def _grouped(
    db: Database, queries: Iterable[str], key: Callable[[str], str | set[str]]
) -> dict[int, set[str]]:
    out: dict[int, set[str]] = defaultdict(set)
    for sql in queries:
        for entity_id, text in db.execute(sql):
            folded = key(str(text))
            if isinstance(folded, set):
                out[int(entity_id)].update(folded)
            elif folded:
                out[int(entity_id)].add(folded)
    return out
