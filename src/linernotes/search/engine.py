"""The name index: an embedded tantivy index over names, aliases and titles, ranked by importance.

Chosen by measurement (bench/search.py; figures in bench/README.md): tantivy answers prefix and
one- or two-typo queries over millions of names in a few milliseconds in process, where SQLite
FTS5 needs a separate fuzzy vocabulary pass and PostgreSQL pg_trgm is an order slower.

Text is folded by the catalog's own `fold` before it reaches tantivy (case, accents, punctuation,
zero-width characters), so the index and the store agree on what "the same name" is. Queries are
built term by term from the folded words (`search.query`); what a user types never reaches a
query parser, so no syntax can break a search.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

import tantivy

from linernotes.normalize.fold import fold
from linernotes.search.analyze import Doc, document_json, documents_json, key, makers
from linernotes.search.query import (
    LAST_RESORT,
    LEVELS,
    NO_TYPOS,
    ONE_TYPO,
    TYPO_EACH,
    build_query,
    whole_name_query,
)
from linernotes.search.rank import Match, Tier, best_match

# Bump when the schema or the way text is indexed changes: an index of another version is rebuilt.
SCHEMA_VERSION = 3
# How many candidates tantivy ranks before ours reorders them by match quality and importance.
CANDIDATES = 50
WRITER_HEAP = 256_000_000


@dataclass(frozen=True, slots=True)
class Hit:
    kind: str
    id: int
    name: str
    aliases: tuple[str, ...]
    importance: int
    score: float  # tantivy's: BM25 and match kind, weighted by importance
    match: Match  # what the ranking and the "why" shown to users rest on


def _schema() -> tantivy.Schema:
    builder = tantivy.SchemaBuilder()
    builder.add_text_field("key", stored=False, tokenizer_name="raw", index_option="basic")
    builder.add_text_field("kind", stored=True, tokenizer_name="raw", index_option="basic")
    builder.add_unsigned_field("id", stored=True)
    builder.add_text_field("name", stored=True, index_option="basic")
    builder.add_text_field("alias", stored=True, index_option="basic")
    builder.add_text_field("words", stored=False, index_option="freq")
    builder.add_text_field("starts", stored=False, index_option="basic")
    builder.add_text_field("near", stored=False, index_option="basic")
    builder.add_text_field("compact", stored=False, tokenizer_name="raw", index_option="basic")
    builder.add_unsigned_field("importance", stored=True, fast=True)
    return builder.build()


SCHEMA = _schema()


class NameIndex:
    """An open index: in a directory (kept with the catalog) or in memory."""

    def __init__(self, path: Path | None) -> None:
        self.path = path
        if path is None:
            self._index = tantivy.Index(SCHEMA)
        else:
            path.mkdir(parents=True, exist_ok=True)
            self._index = tantivy.Index(SCHEMA, path=str(path), reuse=True)
        # Searchers see each commit (this process's or another's) shortly after it lands,
        # without a reload per query (which costs more than an easy query).
        self._index.config_reader(reload_policy="commit")

    @classmethod
    def create(cls, path: Path | None) -> NameIndex:
        """A new, empty index (anything at `path` is removed first)."""
        if path is not None and path.exists():
            shutil.rmtree(path)
        return cls(path)

    def num_docs(self) -> int:
        self._index.reload()
        return int(self._index.searcher().num_docs)

    def reload(self) -> None:
        """See this process's own commit at once (the reader follows commits with a delay)."""
        self._index.reload()

    def write(self, docs: Iterable[Doc], remove: Iterable[tuple[str, int]] = ()) -> int:
        """Replace these entities' documents and delete `remove`'s, in one commit."""
        writer = self._index.writer(heap_size=WRITER_HEAP)
        written = 0
        try:
            for kind, entity_id in remove:
                writer.delete_documents_by_term("key", key(kind, entity_id))
            for doc in docs:
                writer.delete_documents_by_term("key", key(doc.kind, doc.id))
                writer.add_json(document_json(doc))
                written += 1
            writer.commit()
            writer.wait_merging_threads()
        except BaseException:
            writer.rollback()
            raise
        self._index.reload()
        return written

    def add_all(self, docs: Iterable[Doc], workers: int = 0) -> Iterator[int]:
        """Bulk load into an empty index, yielding after every 10,000 documents (for progress).

        With `workers`, documents are made in that many processes while tantivy indexes here.
        """
        with makers(workers) as pool:
            writer = self._index.writer(heap_size=WRITER_HEAP)
            count = 0
            try:
                for document in documents_json(docs, pool):
                    writer.add_json(document)
                    count += 1
                    if count % 10_000 == 0:
                        yield count
                writer.commit()
                writer.wait_merging_threads()
            except BaseException:
                writer.rollback()
                raise
        self._index.reload()
        yield count

    def search(
        self, text: str, kinds: Iterable[str] = (), limit: int = 10, *, typos: bool = True
    ) -> list[Hit]:
        """Best matches for what a user typed, best first; [] when nothing is close.

        Exact words and prefixes first. Typos are looked for unless that answers the query
        (`_enough`) or `typos` is False; the costly last resort only when nothing matches at
        all (Typesense's typo_tokens_threshold works the same way).
        """
        folded, wanted = fold(text), tuple(kinds)
        searcher = self._searcher()
        found = _candidates(searcher, folded, wanted, NO_TYPOS, limit)
        if not typos or _enough(found, limit):
            return found
        for level in (ONE_TYPO, TYPO_EACH, LAST_RESORT):
            if level == TYPO_EACH and len(folded.split()) < 2:
                continue  # one word: the same query as ONE_TYPO
            with_typos = _candidates(searcher, folded, wanted, level, limit)
            if with_typos:
                return with_typos
        return found

    def search_by_kind(
        self, text: str, kinds: Iterable[str], limit: int = 10
    ) -> dict[str, list[Hit]]:
        """The best matches of each kind, for a page that lists artists, albums and songs apart.

        Typos are allowed only when no kind has a match without them: "drake" lists Drake and
        songs with "drake" in the title, not albums one typo away ("Darker").
        """
        folded, wanted = fold(text), tuple(kinds)
        searcher = self._searcher()
        for level in LEVELS:
            if _candidates(searcher, folded, wanted, level, 1):
                break
        return {k: _candidates(searcher, folded, (k,), level, limit) for k in wanted}

    def _searcher(self) -> tantivy.Searcher:
        return self._index.searcher()


def _enough(found: list[Hit], limit: int) -> bool:
    """Whether hits without typos answer the query: a page of them, or a best one matching
    every word as typed or starting as typed. (Also looking for typos behind a few hits that
    start as typed, "firn" meant for "Fire", found more at 1M but nothing more at 5M, at twice
    the cost of a prefix query: measured, not kept.)"""
    return len(found) >= limit or (bool(found) and found[0].match.tier <= Tier.PREFIX)


def _candidates(
    searcher: tantivy.Searcher, folded: str, kinds: tuple[str, ...], level: int, limit: int
) -> list[Hit]:
    """Up to `limit` hits at a typo level, ordered by match quality, then importance."""
    query = build_query(SCHEMA, folded, kinds, level)
    if query is None:
        return []
    found = searcher.search(
        query, max(limit, CANDIDATES), count=False, weight_by_field="importance"
    ).hits
    if level == NO_TYPOS:
        # Names that are exactly what was typed, however many important names contain those
        # words ("Love You" among thousands of "Love You ..."): one term look-up.
        whole = whole_name_query(SCHEMA, folded, kinds)
        if whole is not None:
            _add(found, searcher.search(whole, limit, count=False, weight_by_field="importance"))
    hits = [_hit(folded, searcher.doc(address), float(score)) for score, address in found]
    # Kind and id last: equal hits come in the same order however the index was built.
    hits.sort(key=lambda h: (*h.match.order(), -h.importance, -h.score, h.kind, h.id))
    return hits[:limit]


def _add(found: list[tuple[float, tantivy.DocAddress]], more: tantivy.SearchResult) -> None:
    seen = {(a.segment_ord, a.doc) for _, a in found}
    found.extend(hit for hit in more.hits if (hit[1].segment_ord, hit[1].doc) not in seen)


def _hit(folded: str, document: tantivy.Document, score: float) -> Hit:
    values = document.to_dict()
    name = str(values["name"][0])
    aliases = tuple(str(a) for a in values.get("alias", []))
    return Hit(
        kind=str(values["kind"][0]),
        id=int(values["id"][0]),
        name=name,
        aliases=aliases,
        importance=int(values["importance"][0]),
        score=score,
        match=best_match(folded, name, aliases),
    )
