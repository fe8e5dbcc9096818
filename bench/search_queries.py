"""Queries for the search benchmark: a target entry and what a user would type to find it.

Queries are typed the way most people type: lower case, no accents, no punctuation (the folded
name). Sets:
- exact: the whole name;
- prefix: the first letters, stopping inside a word with at least two of its letters typed
  ("metro bo");
- typo1: one edit (a letter dropped, added, changed, or two swapped) in a word of 4+ letters,
  never its first letter (Typesense and our engine both allow one typo from 4 letters);
- typo2: two edits, in one word of 8+ letters or one in each of two words of 4+ letters;
- real_typo1: one edit in a real name of the demo catalog (Genius 2017, Discogs, MusicBrainz).

A hit counts when the target, or an entry with exactly the same folded name, is in the top 10:
no engine can tell apart two entries whose names are the same to the letter.
"""

from __future__ import annotations

import random
import string
from dataclasses import dataclass

from linernotes.normalize.fold import fold

LETTERS = string.ascii_lowercase


@dataclass(frozen=True, slots=True)
class Query:
    set: str  # exact, prefix, typo1, typo2, real_typo1
    text: str
    target: int  # entry id
    folded: str  # the target's folded name: entries with this name count as hits


def _edit(word: str, rng: random.Random) -> str:
    """One edit away from `word`, never at its first letter, never the word itself."""
    for _ in range(20):
        i = rng.randrange(1, len(word))
        how = rng.randrange(4)
        if how == 0:
            out = word[:i] + word[i + 1 :]
        elif how == 1:
            out = word[:i] + rng.choice(LETTERS) + word[i:]
        elif how == 2:
            out = word[:i] + rng.choice(LETTERS.replace(word[i], "")) + word[i + 1 :]
        elif i + 1 < len(word) and word[i] != word[i + 1]:
            out = word[:i] + word[i + 1] + word[i] + word[i + 2 :]
        else:
            continue
        if out != word:
            return out
    return word[:1] + word[1:].replace(word[1], "x" if word[1] != "x" else "z", 1)


def typo(folded: str, edits: int, rng: random.Random) -> str | None:
    """The folded name with `edits` typos (1 or 2), or None if its words are too short."""
    words = folded.split()
    long_enough = [i for i, w in enumerate(words) if len(w) >= 4 and w.isalpha()]
    if not long_enough:
        return None
    if edits == 1:
        i = rng.choice(long_enough)
        words[i] = _edit(words[i], rng)
        return " ".join(words)
    very_long = [i for i in long_enough if len(words[i]) >= 8]
    if very_long and (len(long_enough) < 2 or rng.random() < 0.5):
        i = rng.choice(very_long)
        words[i] = _edit(_edit(words[i], rng), rng)
    elif len(long_enough) >= 2:
        for i in rng.sample(long_enough, 2):
            words[i] = _edit(words[i], rng)
    else:
        return None
    return " ".join(words)


def prefix(folded: str, rng: random.Random) -> str | None:
    """The first letters of the name, stopping inside a word with 2+ of its letters typed."""
    words = folded.split()
    cuts = [
        " ".join([*words[:i], w[:j]])
        for i, w in enumerate(words)
        for j in range(2, len(w))
        if i + j >= 3  # at least three letters in all, as a type-ahead box waits for
    ]
    return rng.choice(cuts) if cuts else None


def make(set_name: str, entry_id: int, name: str, rng: random.Random) -> Query | None:
    folded = fold(name)
    if not folded:
        return None
    if set_name == "exact":
        text: str | None = folded
    elif set_name == "prefix":
        text = prefix(folded, rng)
    else:
        text = typo(folded, 2 if set_name == "typo2" else 1, rng)
    return Query(set_name, text, entry_id, folded) if text else None
