"""Order candidates by how well they match, then by importance, and say why each matched.

tantivy finds the candidates; this decides the order a user sees: the whole name typed beats
every word typed, which beats a name still being typed, which beats a typo. Within a tier the
entity with more credits and chart entries comes first: the likelier meaning of a short query.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import IntEnum

from linernotes.normalize.fold import fold
from linernotes.search.fuzzy import how_word_matches


class Tier(IntEnum):
    WHOLE = 0  # the name (or an alias) is what was typed
    WORDS = 1  # every typed word is a word of the name
    PREFIX = 2  # ... but the last, which starts one
    TYPO = 3  # some word is within a typo or two
    OTHER = 4  # matched some other way (the name with spaces removed, within a typo)


@dataclass(frozen=True, slots=True)
class Match:
    tier: Tier
    via: str  # the name or alias that matched, as displayed
    why: str  # for people: "whole name", "alias “Mike Will”", "typo: antonof → antonoff"
    extra: int = 0  # words of the name nobody typed: "Baby" is a closer "babby" than "Baby Boy"

    def order(self) -> tuple[int, int]:
        """How close the match is: the tier, then (roughly) how much of the name was typed."""
        return (self.tier, min(self.extra, 2))


def best_match(typed: str, name: str, aliases: tuple[str, ...]) -> Match:
    """The best way the typed text (already folded) matches the name or one of its aliases."""
    matches = [_match(typed, name, is_alias=False)]
    matches += [_match(typed, alias, is_alias=True) for alias in aliases]
    return min(matches, key=Match.order)


def _match(typed: str, shown: str, *, is_alias: bool) -> Match:
    folded = fold(shown)
    where = f"alias “{shown}”" if is_alias else "name"
    if typed == folded or typed.replace(" ", "") == folded.replace(" ", ""):
        return Match(Tier.WHOLE, shown, f"whole {where}")
    typed_words, words = typed.split(), folded.split()
    hows: list[tuple[str, str]] = []
    for i, word in enumerate(typed_words):
        is_last = i == len(typed_words) - 1
        how = _best_word(word, words, may_be_prefix=is_last)
        if how is None:
            if is_last and len(word) < 2:  # a one-letter start of a word filters nothing
                continue
            return Match(Tier.OTHER, shown, _said(where, "close as a whole"))
        hows.append((word, how[0]) if how[1] == "exact" else (word, f"{how[1]}:{how[0]}"))
    extra = max(0, len(words) - len(hows))
    return _summarise(hows, shown, where, extra)


def _best_word(typed: str, words: list[str], *, may_be_prefix: bool) -> tuple[str, str] | None:
    """(word of the name, how) for the best match of one typed word, or None."""
    order = {"exact": 0, "prefix": 1, "typo": 2}
    best: tuple[str, str] | None = None
    for word in words:
        how = how_word_matches(typed, word, may_be_prefix=may_be_prefix)
        if how is not None and (best is None or order[how] < order[best[1]]):
            best = (word, how)
    return best


def _summarise(hows: list[tuple[str, str]], shown: str, where: str, extra: int) -> Match:
    typos = [f"{typed} → {how.split(':', 1)[1]}" for typed, how in hows if how.startswith("typo")]
    if typos:
        return Match(Tier.TYPO, shown, _said(where, f"typo: {', '.join(typos)}"), extra)
    if any(how.startswith("prefix") for _, how in hows):
        return Match(Tier.PREFIX, shown, _said(where, "as typed so far"), extra)
    return Match(Tier.WORDS, shown, f"every word in the {where}", extra)


def _said(where: str, how: str) -> str:
    """ "typo: kendrik → kendrick" for the name; "alias “Mike Will”, as typed so far"."""
    return how if where == "name" else f"{where}, {how}"
