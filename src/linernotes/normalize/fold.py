"""Fold names and titles to a comparison key.

Sources write the same name many ways: "Șerban Ghenea" and "Serban Ghenea", "Mike WiLL Made-It"
and "mike will made it", a leading zero-width space in Genius's "\u200bbenny blanco", a no-break
space in "J\u00a0Dilla". A folded key makes those equal while keeping different names apart.
Folding is for matching only; display always uses the name as the source wrote it.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

# Characters that NFKD does not decompose into a base letter plus marks, but that users type as
# plain Latin letters.
_SPECIAL_LETTERS = str.maketrans(
    {
        "ß": "ss",
        "æ": "ae",
        "œ": "oe",
        "ø": "o",
        "đ": "d",
        "ð": "d",
        "þ": "th",
        "ł": "l",
        "ı": "i",
        "ŋ": "n",
        "$": "s",  # "A$AP Rocky", "Ty Dolla $ign": users type an s
    }
)

_ASCII_SPACES = str.maketrans("\t\r\n", "   ")
_AMPERSAND = re.compile(r"\s*&\s*")
_NOT_WORD = re.compile(r"[^\w]+")
_UNDERSCORE = re.compile(r"_+")
_SPACES = re.compile(r"\s+")


def strip_invisible(text: str) -> str:
    """Remove zero-width and other format characters, and turn odd spaces into plain ones."""
    if text.isascii():
        return text.translate(_ASCII_SPACES)
    out: list[str] = []
    for ch in text:
        category = unicodedata.category(ch)
        if category == "Cf":  # zero-width space/joiners, BOM, direction marks
            continue
        out.append(" " if category == "Zs" or ch in "\t\r\n" else ch)
    return "".join(out)


@lru_cache(maxsize=1 << 16)
def clean_display(text: str) -> str:
    """A name fit for display: invisible characters gone, spaces collapsed, ends trimmed."""
    return _SPACES.sub(" ", strip_invisible(text)).strip()


@lru_cache(maxsize=1 << 17)  # names repeat across records: folding is a hot path of ingest
def fold(text: str) -> str:
    """Comparison key: lower case, no diacritics, no punctuation, '&' read as 'and'.

    >>> fold("Șerban Ghenea") == fold("serban ghenea")
    True
    >>> fold("Mike WiLL Made-It")
    'mike will made it'
    """
    if text.isascii():
        return _fold_ascii(text.translate(_ASCII_SPACES).lower().translate(_SPECIAL_LETTERS))
    # Decompose before casefolding: compatibility forms ("𝕬", "ﬁ") only become letters here.
    text = unicodedata.normalize("NFKD", strip_invisible(text))
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    text = unicodedata.normalize("NFKD", text.casefold().translate(_SPECIAL_LETTERS))
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    return _fold_ascii(text)


def _fold_ascii(text: str) -> str:
    """The punctuation and spacing steps, on text already lower-cased and free of marks."""
    text = _AMPERSAND.sub(" and ", text)
    text = text.replace("'", "").replace("’", "")  # "Can't" -> "cant", not "can t"
    text = _NOT_WORD.sub(" ", text)
    text = _UNDERSCORE.sub(" ", text)
    return _SPACES.sub(" ", text).strip()


def fold_artist(text: str) -> str:
    """Fold an artist name, also dropping a leading "The" ("The Weeknd" = "Weeknd")."""
    folded = fold(text)
    if folded.startswith("the ") and len(folded) > 4:
        return folded[4:]
    return folded
