"""How many typos a word may carry, and which kind of match a typed word made (for "why")."""

from __future__ import annotations

from rapidfuzz.distance import DamerauLevenshtein

# Short words tolerate no typo ("bo" would match half the catalog), longer words one, long two:
# the thresholds most search engines use (Typesense, Meilisearch, Elasticsearch's AUTO).
ONE_TYPO_FROM = 4
TWO_TYPOS_FROM = 8


def typo_distance(word: str, max_typos: int = 2) -> int:
    """Typos allowed in a typed word; a three-letter word gets one only as a last resort."""
    if len(word) >= TWO_TYPOS_FROM:
        return min(2, max_typos)
    if len(word) >= ONE_TYPO_FROM or (len(word) == 3 and max_typos == 2):
        return min(1, max_typos)
    return 0


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
