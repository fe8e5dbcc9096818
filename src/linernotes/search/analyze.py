"""What the index stores for one entity: its names folded, split and expanded, as tantivy JSON.

Pure and picklable, so a bulk build can run it in worker processes while tantivy indexes in the
main one (measured: the Python side is most of a build's time).
"""

from __future__ import annotations

import multiprocessing
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from itertools import islice
from multiprocessing.pool import Pool

import orjson

from linernotes.normalize.fold import fold
from linernotes.search.fuzzy import index_keys

# Documents per task sent to a worker: large enough that pickling is a small share of the work.
CHUNK = 2_000


@dataclass(frozen=True, slots=True)
class Doc:
    """One searchable entity: what the index holds about it."""

    kind: str  # "artist" | "release" | "recording"
    id: int
    name: str  # as displayed
    aliases: tuple[str, ...] = ()
    importance: int = 0  # credits, tracks and chart entries: the likelier meaning of a query


def key(kind: str, entity_id: int) -> str:
    return f"{kind}:{entity_id}"


def compact(folded: str) -> str:
    """The name with no spaces: "Jay-Z" and "jayz", "N.W.A" and "nwa", "P!nk" and "pnk"."""
    return folded.replace(" ", "")


def _joined_initials(folded: str) -> list[str]:
    """ "P!nk" folds to "p nk", "N.W.A" to "n w a": also index "pnk" and "nwa" as words, so
    "pink" is a typo away and "nwa" an exact word."""
    words = folded.split()
    return [compact(folded)] if len(words) > 1 and min(map(len, words)) <= 2 else []


def document_json(doc: Doc) -> str:
    """The tantivy document (JSON, field by field) for one entity."""
    folded = [f for f in (fold(doc.name), *(fold(a) for a in doc.aliases)) if f]
    words = {w for text in folded for w in (*text.split(), *_joined_initials(text))}
    keys = [index_keys(w) for w in words]
    fields = {
        "key": key(doc.kind, doc.id),
        "kind": doc.kind,
        "id": doc.id,
        "name": doc.name,
        "alias": list(doc.aliases),
        "words": " ".join(words),
        # A key repeated across words is harmless: these fields keep no frequencies.
        "starts": " ".join(k[0] for k in keys),
        "near": " ".join(k[1] for k in keys),
        "compact": list({compact(f) for f in folded}),
        "importance": max(0, doc.importance),
    }
    return orjson.dumps(fields).decode()


def _chunk_json(docs: list[Doc]) -> list[str]:
    return [document_json(d) for d in docs]


@contextmanager
def makers(workers: int) -> Iterator[Pool | None]:
    """Worker processes for `documents_json` (None for none). Start them before tantivy's
    writer threads exist: they are forked, and a fork copies only the calling thread."""
    if workers < 1:
        yield None
        return
    with multiprocessing.get_context("fork").Pool(workers) as pool:
        yield pool


def documents_json(docs: Iterable[Doc], pool: Pool | None) -> Iterator[str]:
    """Every document's JSON, in order, made by the pool's processes or else by this one."""
    if pool is None:
        yield from map(document_json, docs)
        return
    it = iter(docs)
    chunks = iter(lambda: list(islice(it, CHUNK)), [])
    for made in pool.imap(_chunk_json, chunks):
        yield from made
