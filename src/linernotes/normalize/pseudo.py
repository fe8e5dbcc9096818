"""Pseudo-songs: Genius pages that pose as songs but are playlists or year-end lists.

They carry credits ("2017 Playlist" credits a page naming dozens of people as producer) that
would skew every count, so they are flagged with the reason and kept out of credit counts.
"""

from __future__ import annotations

import re

_RULES: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"\bplaylist\b", re.I), "a playlist, not a song"),
    (re.compile(r"\byear[- ]end\b", re.I), "a year-end list, not a song"),
    (re.compile(r"\bnominations?\b", re.I), "a list of nominations, not a song"),
    (re.compile(r"\bbest\b.*\bof (?:19|20)\d\d\b", re.I), "a best-of-the-year list, not a song"),
)


def pseudo_song_reason(title: str) -> str | None:
    """Why a song page is not a real recording, or None when it looks real.

    Only the song's own title counts: real albums carry such words too (Lauv's
    "I met you when I was 18. (the playlist)"). A release is pseudo when all its songs are.
    """
    for pattern, reason in _RULES:
        if pattern.search(title):
            return f"{reason} (title {title!r})"
    return None
