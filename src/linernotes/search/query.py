"""Turn what a user typed into a tantivy query, term by term: no query language is ever parsed.

Every typed word must match a word of the name or of an alias, in any order, exactly (scored by
BM25, so rare words weigh more), as the start of a word (the last word only: the user is still
typing), or within one typo (two for long words). The whole query also matches the name with its
spaces removed, so "jayz" finds "Jay-Z" and "pink" finds "P!nk". Exact words outrank prefixes,
which outrank typos; tantivy then weighs each score by the entity's importance.
"""

from __future__ import annotations

import tantivy

from linernotes.search.fuzzy import typo_distance

Occur = tantivy.Occur
EXACT_BOOST = 3.0
PREFIX_BOOST = 1.5
TYPO_BOOST = 1.0
# A one- or two-letter prefix names too many words to be a useful filter on its own.
MIN_PREFIX = 2
# Beyond this many words the query is a pasted sentence: the first ones are enough to find it.
MAX_WORDS = 8


def build_query(
    schema: tantivy.Schema, folded: str, kinds: tuple[str, ...], max_typos: int
) -> tantivy.Query | None:
    """The query for an already folded text, allowing up to `max_typos` per word.

    None when nothing searchable is left. The engine asks with 0 typos first and allows more only
    when that finds too little: typo automatons cost far more than exact and prefix terms.
    """
    words = folded.split()[:MAX_WORDS]
    if not words:
        return None
    # "love you b": a one-letter last word may be a whole word ("Pt. 2") or the start of one;
    # it ranks names having it first but filters nothing (a one-letter prefix names too much).
    short = words.pop() if len(words) > 1 and len(words[-1]) < MIN_PREFIX else None
    clauses = [
        (
            Occur.Must,
            _word(schema, word, is_last=i == len(words) - 1 and short is None, max_typos=max_typos),
        )
        for i, word in enumerate(words)
    ]
    if short is not None:
        clauses.append((Occur.Should, _exact(schema, short)))
    all_words = tantivy.Query.boolean_query(clauses)
    whole = _compact(schema, "".join(words), max_typos)
    matched = tantivy.Query.boolean_query([(Occur.Should, all_words), (Occur.Should, whole)])
    if not kinds:
        return matched
    # A filter that adds nothing to the score (this binding has no Occur.Filter).
    kind_filter = tantivy.Query.const_score_query(
        tantivy.Query.term_set_query(schema, "kind", list(kinds)), 0.0
    )
    return tantivy.Query.boolean_query([(Occur.Must, matched), (Occur.Must, kind_filter)])


def _word(schema: tantivy.Schema, word: str, *, is_last: bool, max_typos: int) -> tantivy.Query:
    """One typed word: exact, else a prefix (last word only), else within its typo distance."""
    ways = [_exact(schema, word)]
    if is_last and len(word) >= MIN_PREFIX:
        prefix = tantivy.Query.fuzzy_term_query(schema, "words", word, distance=0, prefix=True)
        ways.append(tantivy.Query.boost_query(prefix, PREFIX_BOOST))
    distance = typo_distance(word, max_typos)
    if distance:
        typo = tantivy.Query.fuzzy_term_query(
            schema, "words", word, distance=distance, transposition_cost_one=True, prefix=is_last
        )
        ways.append(tantivy.Query.boost_query(typo, TYPO_BOOST))
    return tantivy.Query.disjunction_max_query(ways)


def _exact(schema: tantivy.Schema, word: str) -> tantivy.Query:
    return tantivy.Query.boost_query(tantivy.Query.term_query(schema, "words", word), EXACT_BOOST)


def _compact(schema: tantivy.Schema, joined: str, max_typos: int) -> tantivy.Query:
    exact = tantivy.Query.term_query(schema, "compact", joined)
    # One typo at most: the joined form is long, and a two-typo automaton over it is slow.
    distance = min(typo_distance(joined, max_typos), 1)
    if not distance:
        return tantivy.Query.boost_query(exact, EXACT_BOOST)
    typo = tantivy.Query.fuzzy_term_query(schema, "compact", joined, distance=distance)
    return tantivy.Query.disjunction_max_query(
        [tantivy.Query.boost_query(exact, EXACT_BOOST), tantivy.Query.boost_query(typo, TYPO_BOOST)]
    )
