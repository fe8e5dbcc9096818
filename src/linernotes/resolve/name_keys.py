"""Blocking keys for names: entities are compared only when one of their keys is shared.

A key is built from the folded name (case, diacritics, zero-width characters, punctuation, a
leading "The" and "&"/"and" already folded away) with the spaces and "and" words dropped, so
"Mike WiLL Made-It", "Mike Will Made It" and "MikeWillMadeIt" share one. For typo tolerance, long
names also give their first and last six letters: a single typo leaves one of the two intact.
"""

from __future__ import annotations

from linernotes.normalize.fold import fold_artist

_DROPPED_WORDS = frozenset({"and", "the"})
AFFIX = 6  # letters kept by the prefix and suffix keys
AFFIX_MIN = 9  # shorter names give only their exact key: affixes of short names block too much


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
    return keys
