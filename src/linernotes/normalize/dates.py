"""Dates as sources show them ("October 7, 2016", "June 2016", "2019") -> ISO, no more precise."""

from __future__ import annotations

from datetime import datetime

# (strptime format, how much of the ISO date it determines)
_FORMATS: tuple[tuple[str, int], ...] = (
    ("%B %d, %Y", 10),
    ("%b %d, %Y", 10),
    ("%Y-%m-%d", 10),
    ("%B %Y", 7),
    ("%Y-%m", 7),
    ("%Y", 4),
)


def parse_display_date(text: str | None) -> str | None:
    """ISO date truncated to what the text says; None when it says nothing we can read."""
    if not text:
        return None
    text = text.strip()
    for fmt, width in _FORMATS:
        try:
            return datetime.strptime(text, fmt).date().isoformat()[:width]
        except ValueError:
            continue
    return None
