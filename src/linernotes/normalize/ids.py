"""Identifier spellings shared by every source, so the same code meets itself."""

from __future__ import annotations

import re

_DIGITS = re.compile(r"\D")


def normalize_barcode(raw: str) -> str | None:
    """One spelling for UPC-A (12 digits), EAN-13 and GTIN-14: the 13-digit EAN.

    Spotify writes "00602537518357", MusicBrainz "602537518357", Discogs "0602537518357": all
    become "0602537518357". EAN-8 stays as it is; anything else is not a barcode.
    """
    digits = _DIGITS.sub("", raw)
    if len(digits) == 14 and digits.startswith("0"):
        digits = digits[1:]
    if len(digits) == 12:
        digits = "0" + digits
    return digits if len(digits) in (8, 13) else None
