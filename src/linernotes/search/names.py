"""Find entities by what a user types: the search index for candidates, the store to describe them.

`search` is what `linernotes search` lists (every kind of match, typos included); `find` is what
commands naming one entity act on (exact names, else whole words and prefixes: a typo is offered
by `suggest`, never picked silently).
"""

from __future__ import annotations

from dataclasses import replace

from linernotes.normalize.records import EntityKind
from linernotes.search import sync
from linernotes.search.engine import Hit
from linernotes.search.rank import Tier
from linernotes.search.title_artist import is_good, search_all, search_by_kind
from linernotes.store.db import Database
from linernotes.store.read_names import exact, summary
from linernotes.store.views import EntitySummary


def search(
    db: Database, kinds: list[EntityKind], text: str, limit: int = 10
) -> dict[str, list[EntitySummary]]:
    """The best matches of each kind, best first, each saying why it matched; songs and albums
    also by "title artist" words ("elton john duets")."""
    wanted = tuple(k.value for k in kinds)
    groups = search_by_kind(db, sync.open_index(db), text, wanted, limit)
    return {kind: [_summary(db, hit) for hit in hits] for kind, hits in groups.items()}


def answers(db: Database, text: str) -> bool:
    """Whether the catalog answers the words (else a live look-up may: see lookup/)."""
    return is_good(search_all(db, sync.open_index(db), text))


def find(db: Database, kind: EntityKind, text: str, limit: int = 20) -> list[EntitySummary]:
    """Exact matches if any, else entities having every typed word (the last as a prefix)."""
    found = exact(db, kind, text)
    if found:
        return found
    hits = sync.search(db, text, (kind.value,), limit)
    return [_summary(db, h) for h in hits if h.match.tier <= Tier.PREFIX]


def suggest(db: Database, kind: EntityKind, text: str, limit: int = 5) -> list[str]:
    """Closest names for a query that found nothing (typos, missing or extra letters)."""
    hits = sync.search(db, text, (kind.value,), limit)
    return list(dict.fromkeys(h.name for h in hits))


def _summary(db: Database, hit: Hit) -> EntitySummary:
    described = summary(db, EntityKind(hit.kind), hit.id)
    matched = hit.match.via if hit.match.via != hit.name else ""
    return replace(described, matched=matched, why=hit.match.why)
