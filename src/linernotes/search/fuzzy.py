"""How many typos a word may carry, and which kind of match a typed word made (for "why")."""

from __future__ import annotations

from functools import lru_cache

from rapidfuzz.distance import DamerauLevenshtein

# Short words tolerate no typo ("bo" would match half the catalog), longer words one, long two:
# the thresholds most search engines use (Typesense, Meilisearch, Elasticsearch's AUTO).
ONE_TYPO_FROM = 4
TWO_TYPOS_FROM = 8


def typo_distance(word: str) -> int:
    """Typos a typed word may carry (a three-letter word gets one only as a last resort)."""
    if len(word) >= TWO_TYPOS_FROM:
        return 2
    return 1 if len(word) >= 3 else 0


# Prefixes are indexed as words of their own, from two letters to this many.
MIN_PREFIX, MAX_PREFIX = 2, 15


def prefixes(word: str) -> list[str]:
    """What a word still being typed may look like so far: its first 2, 3, ... letters."""
    return [word[:i] for i in range(MIN_PREFIX, min(len(word), MAX_PREFIX) + 1)]


def deletions(word: str) -> set[str]:
    """The word with one letter left out, each way: the keys of symmetric-deletion typo search."""
    return {word[:i] + word[i + 1 :] for i in range(len(word))}


@lru_cache(maxsize=1 << 18)  # words repeat across names far more than names do
def index_keys(word: str) -> tuple[str, str]:
    """What the index stores for one word, space-separated: its prefixes (field `starts`), and
    for typo search the word and its deletions if it has 3+ letters (field `near`: a word
    typed with a letter too many, "dogg", is one deletion from "dog"; "itt" for "it" is two)."""
    starts = " ".join(prefixes(word))
    if len(word) < ONE_TYPO_FROM - 1:
        return starts, ""
    return starts, " ".join((word, *deletions(word)))


def how_word_matches(typed: str, word: str, *, may_be_prefix: bool) -> str | None:
    """How a typed word matches a word of a name, the way the index allows: "exact", "prefix",
    "typo", or None."""
    if typed == word:
        return "exact"
    if may_be_prefix and word.startswith(typed) and len(typed) >= 2:
        return "prefix"
    distance = typo_distance(typed)
    if not distance:
        return None
    if DamerauLevenshtein.distance(typed, word, score_cutoff=distance) <= distance:
        return "typo"
    head = word[: len(typed)]
    if (
        may_be_prefix
        and DamerauLevenshtein.distance(typed, head, score_cutoff=distance) <= distance
    ):
        return "typo"
    return None
