"""Turn what a user typed into a tantivy query, term by term: no query language is ever parsed.

Every typed word must match a word of the name or of an alias, in any order: exactly (scored by
BM25, so rare words weigh more), as the start of a word (the last word only: the user is still
typing), or within a typo. The whole query also matches the name with its spaces removed, so
"jayz" finds "Jay-Z". Exact words outrank prefixes, which outrank typos; tantivy then weighs each
score by the entity's importance.

Typos are found in two steps, cheapest first (measured in bench/search.py):
- one typo (typed words of 3+ letters, so "prt" finds "part"): symmetric deletion, as SymSpell
  does. Each indexed word is stored with its one-letter deletions (field `near`); a typed word
  matches a word when the two share the word or a deletion: one letter dropped, added, changed,
  or two swapped. That is a handful of term look-ups, where a Levenshtein automaton walks the
  whole vocabulary (~1 ms per word on 100k names, growing with the catalog).
- last resort, when that finds nothing: automatons for two typos (words of 8+ letters), a typo
  in a word still being typed, and a typo in a three-letter word.
"""

from __future__ import annotations

from collections.abc import Iterable

import tantivy

from linernotes.search.fuzzy import MAX_PREFIX, MIN_PREFIX, ONE_TYPO_FROM, TWO_TYPOS_FROM, deletions

Occur = tantivy.Occur
EXACT_BOOST = 3.0
PREFIX_BOOST = 1.5
TYPO_BOOST = 1.0
# Beyond this many words the query is a pasted sentence: the first ones are enough to find it.
MAX_WORDS = 8
# Levels of typo tolerance the engine tries in turn, cheapest first.
NO_TYPOS = 0
ONE_TYPO = 1  # in any one word: one query per word, each led by the other words' exact terms
TYPO_EACH = 2  # one in every word
LAST_RESORT = 3  # automatons: two typos, a typo in a word still being typed or of 3 letters
LEVELS = (NO_TYPOS, ONE_TYPO, TYPO_EACH, LAST_RESORT)


def build_query(
    schema: tantivy.Schema, folded: str, kinds: tuple[str, ...], level: int
) -> tantivy.Query | None:
    """The query for an already folded text at a typo `level`; None when nothing is left."""
    words = folded.split()[:MAX_WORDS]
    if not words:
        return None
    # "love you b": a one-letter last word may be a whole word ("Pt. 2") or the start of one;
    # it ranks names having it first but filters nothing.
    short = words.pop() if len(words) > 1 and len(words[-1]) < MIN_PREFIX else None
    last = len(words) - 1 if short is None else -1
    if level == ONE_TYPO and len(words) > 1:
        # Each word in turn may hold the typo; the others must match as typed, so each
        # intersection is driven by exact terms and stays small on a large catalog.
        variants = [_all_words(schema, words, last, short, typo_in={i}) for i in range(len(words))]
        all_words = tantivy.Query.boolean_query([(Occur.Should, v) for v in variants])
    else:
        typo_in = set(range(len(words))) if level != NO_TYPOS else set()
        all_words = _all_words(schema, words, last, short, typo_in, automatons=level == LAST_RESORT)
    whole = tantivy.Query.boost_query(_whole(schema, words), EXACT_BOOST)
    matched = tantivy.Query.boolean_query([(Occur.Should, all_words), (Occur.Should, whole)])
    return _of_kinds(schema, matched, kinds)


def whole_name_query(
    schema: tantivy.Schema, folded: str, kinds: tuple[str, ...]
) -> tantivy.Query | None:
    """Entities whose name (or an alias), spaces aside, is exactly what was typed."""
    words = folded.split()
    return _of_kinds(schema, _whole(schema, words), kinds) if words else None


def _whole(schema: tantivy.Schema, words: list[str]) -> tantivy.Query:
    return tantivy.Query.term_query(schema, "compact", "".join(words), index_option="basic")


def _of_kinds(
    schema: tantivy.Schema, query: tantivy.Query, kinds: tuple[str, ...]
) -> tantivy.Query:
    if not kinds:
        return query
    # A filter that adds nothing to the score (this binding has no Occur.Filter).
    kind_filter = tantivy.Query.const_score_query(_any(schema, "kind", kinds), 0.0)
    return tantivy.Query.boolean_query([(Occur.Must, query), (Occur.Must, kind_filter)])


def _all_words(
    schema: tantivy.Schema,
    words: list[str],
    last: int,
    short: str | None,
    typo_in: set[int],
    *,
    automatons: bool = False,
) -> tantivy.Query:
    clauses = [
        (
            Occur.Must,
            _word(schema, word, is_last=i == last, typo=i in typo_in, automatons=automatons),
        )
        for i, word in enumerate(words)
    ]
    if short is not None:
        clauses.append((Occur.Should, _exact(schema, short)))
    return tantivy.Query.boolean_query(clauses)


def _word(
    schema: tantivy.Schema, word: str, *, is_last: bool, typo: bool, automatons: bool
) -> tantivy.Query:
    """One typed word: exact, a prefix (last word only), or (if `typo`) within a typo."""
    ways = [_exact(schema, word)]
    if is_last and len(word) >= MIN_PREFIX:
        # Prefixes are indexed (field `starts`): one term look-up, not a walk of every word
        # that starts so (a union that grows with the catalog).
        prefix = tantivy.Query.term_query(schema, "starts", word[:MAX_PREFIX], index_option="basic")
        ways.append(tantivy.Query.const_score_query(prefix, PREFIX_BOOST))
    if typo and len(word) >= ONE_TYPO_FROM - 1:  # "prt" is a letter off "part"
        near = _any(schema, "near", sorted({word, *deletions(word)}))
        # A constant score: scoring the keys by BM25 ranked short names better (one-typo
        # recall@10 at 5M 0.928 -> 0.936) but cost 40% more (p95 11 -> 15 ms): not kept.
        ways.append(tantivy.Query.const_score_query(near, TYPO_BOOST))
    if typo and automatons:
        ways.extend(_automatons(schema, word, is_last=is_last))
    return tantivy.Query.disjunction_max_query(ways)


def _any(schema: tantivy.Schema, field: str, values: Iterable[str]) -> tantivy.Query:
    """Any of these terms: a handful of look-ups (tantivy's term-set query walks the whole
    term dictionary instead, which costs more than the search on a large catalog)."""
    terms = [tantivy.Query.term_query(schema, field, v, index_option="basic") for v in values]
    return tantivy.Query.boolean_query([(Occur.Should, t) for t in terms])


def _automatons(schema: tantivy.Schema, word: str, *, is_last: bool) -> list[tantivy.Query]:
    distance = 2 if len(word) >= TWO_TYPOS_FROM else 1 if len(word) >= 3 else 0
    if not distance:
        return []
    typo = tantivy.Query.fuzzy_term_query(
        schema, "words", word, distance=distance, transposition_cost_one=True, prefix=is_last
    )
    return [tantivy.Query.const_score_query(typo, TYPO_BOOST / 2)]


def _exact(schema: tantivy.Schema, word: str) -> tantivy.Query:
    return tantivy.Query.boost_query(tantivy.Query.term_query(schema, "words", word), EXACT_BOOST)
