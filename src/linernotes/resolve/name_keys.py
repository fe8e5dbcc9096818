"""Blocking keys for names: entities are compared only when one of their keys is shared.

A key is built from the folded name (case, diacritics, zero-width characters, punctuation, a
leading "The" and "&"/"and" already folded away) with the spaces and "and" words dropped, so
"Mike WiLL Made-It", "Mike Will Made It" and "MikeWillMadeIt" share one. For typo tolerance, long
names also give their first and last six letters (a single typo leaves one of the two intact)
and their consonant skeleton: vowels dropped and doubled letters made single, so "Micheal Smith",
"Michael Smiith" and "Michal Smith" all give "mchlsmth". Affixes are shared by hundreds of the
names of a large catalog ("michae", "smith"), and such blocks are skipped; a skeleton is nearly
as specific as the name, so its blocks stay small. It misses a dropped consonant or two swapped
consonants, which the affixes catch in a small catalog.
"""

from __future__ import annotations

import re

from linernotes.normalize.fold import fold_artist

_DROPPED_WORDS = frozenset({"and", "the"})
AFFIX = 6  # letters kept by the prefix and suffix keys
AFFIX_MIN = 9  # shorter names give only their exact key: affixes of short names block too much
SKELETON_MIN = 5  # letters a skeleton keeps, at least: "Serban Ghenea" -> "srbnghn"
_VOWELS = re.compile(r"[aeiouy]+")
_DOUBLED = re.compile(r"(.)\1+")
# Bump when person_keys gives other keys: a catalog whose keys are older has all of them rebuilt
# at its next resolve (keys.refresh_outdated), or old artists would miss the new blocks.
KEYS_VERSION = 2


def compact(name: str) -> str:
    """The folded name without spaces, "and" or "the": the exact-match key."""
    return "".join(w for w in fold_artist(name).split() if w not in _DROPPED_WORDS)


def person_keys(name: str) -> set[str]:
    key = compact(name)
    if not key:
        return set()
    keys = {f"n:{key}"}
    words = sorted(w for w in fold_artist(name).split() if w not in _DROPPED_WORDS)
    if len(words) > 1:
        keys.add(f"w:{''.join(words)}")  # "Ghenea, Serban" meets "Serban Ghenea"
    if len(key) >= AFFIX_MIN:
        keys.add(f"p:{key[:AFFIX]}")
        keys.add(f"s:{key[-AFFIX:]}")
        bones = skeleton(key)
        if len(bones) >= SKELETON_MIN:
            keys.add(f"k:{bones}")
    return keys


def skeleton(key: str) -> str:
    """A compact name without its vowels, doubled letters single: what most one-letter slips of
    the keyboard (a vowel dropped, a letter doubled, a vowel swapped with its neighbour) keep."""
    return _DOUBLED.sub(r"\1", _VOWELS.sub("", key))
