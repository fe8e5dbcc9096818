"""Load what identity needs to know about artists: names, ids, credited works, collaborators."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import replace

from linernotes.normalize.roles import ROLES
from linernotes.resolve.name_keys import compact
from linernotes.resolve.person_match import PersonProfile
from linernotes.resolve.titles import title_key
from linernotes.store.db import Database

CHUNK = 500  # ids per IN list (SQLite allows 999 parameters by default on older builds)
MAX_COLLABORATORS = 2000  # enough to corroborate; a superstar's full list adds nothing

_NAMES = (
    "SELECT id, name FROM artist WHERE id IN ({q})",
    "SELECT artist_id, name FROM artist_name WHERE artist_id IN ({q})",
    "SELECT DISTINCT c.artist_id, s.credited_name FROM credit c"
    " JOIN credit_source s ON s.credit_id = c.id WHERE c.artist_id IN ({q})",
)
_WORKS = (
    "SELECT DISTINCT c.artist_id, r.title FROM credit c JOIN recording r"
    " ON c.subject_kind = 'recording' AND r.id = c.subject_id WHERE c.artist_id IN ({q})",
    "SELECT DISTINCT c.artist_id, r.title FROM credit c JOIN release r"
    " ON c.subject_kind = 'release' AND r.id = c.subject_id WHERE c.artist_id IN ({q})",
)
_COLLABORATORS = (
    "SELECT DISTINCT c.artist_id, a.name FROM credit c JOIN credit o"
    " ON o.subject_kind = c.subject_kind AND o.subject_id = c.subject_id"
    " AND o.artist_id <> c.artist_id JOIN artist a ON a.id = o.artist_id"
    " WHERE c.artist_id IN ({q})",
)


def chunks(ids: list[int]) -> Iterator[list[int]]:
    for start in range(0, len(ids), CHUNK):
        yield ids[start : start + CHUNK]


def rows_for(db: Database, sql: str, ids: list[int]) -> Iterator[tuple[int, str]]:
    for part in chunks(ids):
        q = ", ".join("?" * len(part))
        for row in db.execute(sql.format(q=q), part):
            yield int(row[0]), str(row[1])


def load_profiles(db: Database, ids: Iterable[int]) -> dict[int, PersonProfile]:
    """Names, ids and kind: enough to tell whether two records could be one at all."""
    wanted = sorted(set(ids))
    base = {
        int(r[0]): (str(r[1]), str(r[2]), bool(r[3]))
        for part in chunks(wanted)
        for r in db.execute(
            "SELECT id, name, kind, disambiguation IS NOT NULL FROM artist"
            f" WHERE id IN ({', '.join('?' * len(part))})",
            part,
        )
    }
    found = sorted(base)
    own = {i: {compact(base[i][0])} - {""} for i in found}
    other = _grouped(db, _NAMES[1:], found, compact)
    ids_of: dict[int, set[tuple[str, str]]] = defaultdict(set)
    for part in chunks(found):
        q = ", ".join("?" * len(part))
        for entity_id, ns, value in db.execute(
            "SELECT entity_id, namespace, value FROM external_id WHERE entity_kind = 'artist'"
            f" AND entity_id IN ({q})",
            part,
        ):
            ids_of[int(entity_id)].add((str(ns), str(value)))
    return {
        i: PersonProfile(
            entity_id=i,
            display=base[i][0],
            names=frozenset(own[i]),
            other_names=frozenset(other[i] - own[i]),
            ids=frozenset(ids_of[i]),
            kind=base[i][1],
            disambiguated=base[i][2],
        )
        for i in found
    }


def with_credits(db: Database, profiles: dict[int, PersonProfile]) -> dict[int, PersonProfile]:
    """The same profiles with what they are credited on and with whom: the corroboration."""
    found = sorted(profiles)
    works = _grouped(db, _WORKS, found, work_keys)
    shown: dict[str, str] = {}  # compact key -> a name as written, for the explanation

    def collaborator(name: str) -> str:
        key = compact(name)
        shown.setdefault(key, name)
        return key

    collaborators = _grouped(db, _COLLABORATORS, found, collaborator, limit=MAX_COLLABORATORS)
    roles = _grouped(db, (_ROLES,), found, _work_family)
    namesakes = _namesakes(db, profiles)
    return {
        i: replace(
            p,
            works=frozenset(works[i]),
            collaborators=frozenset(collaborators[i]),
            shown={k: shown[k] for k in collaborators[i]},
            roles=frozenset(roles[i]),
            namesakes=max((namesakes.get(n, 0) for n in p.names), default=0),
        )
        for i, p in profiles.items()
    }


_ROLES = "SELECT DISTINCT artist_id, role FROM credit WHERE artist_id IN ({q})"
# Kinds of work that say something about who a person is; performing and artwork say less
# (every artist "performs"), so they are not counted as evidence.
_TELLING_FAMILIES = frozenset({"writing", "production", "engineering", "business"})


def _work_family(role: str) -> str:
    found = ROLES.get(role)
    family = found.family.value if found else ""
    return family if family in _TELLING_FAMILIES else ""


def _namesakes(db: Database, profiles: dict[int, PersonProfile]) -> dict[str, int]:
    """How many catalog artists bear each of these exact names (by their exact-name key)."""
    keys = sorted({f"n:{n}" for p in profiles.values() for n in p.names})
    counts: dict[str, int] = {}
    for start in range(0, len(keys), CHUNK):
        part = keys[start : start + CHUNK]
        for key, count in db.execute(
            "SELECT key, COUNT(DISTINCT entity_id) FROM identity_key WHERE entity_kind = 'artist'"
            f" AND key IN ({', '.join('?' * len(part))}) GROUP BY key",
            part,
        ):
            counts[str(key)[2:]] = int(count)
    return counts


def work_keys(title: str) -> set[str]:
    """A title and its short form: "All Night Long (All Night)" also as "All Night Long"."""
    key = title_key(title)
    return {key.base, key.short} - {""}


def _grouped(
    db: Database,
    queries: Iterable[str],
    ids: list[int],
    key: Callable[[str], str | set[str]],
    limit: int | None = None,
) -> dict[int, set[str]]:
    out: dict[int, set[str]] = defaultdict(set)
    for sql in queries:
        for entity_id, text in rows_for(db, sql, ids):
            values = out[entity_id]
            if limit is not None and len(values) >= limit:
                continue
            folded = key(text)
            if isinstance(folded, set):
                values.update(folded)
            elif folded:
                values.add(folded)
    return out
