"""Title keys for recordings: the same song however written, and never another version of it.

"Despacito (feat. Justin Bieber)", "Despacito - Remix" and "DESPACITO" share a base title; the
version marks ("remix", "live", "acoustic", a remixer's name) are kept apart from it, so a
remix never meets the original while punctuation, case, diacritics and featured credits are
tolerated. Remasters, radio and single edits and "album version" notes name the same recording
(the issue's rule, and the labelled set's: an edit is the same performance cut shorter), so they
are dropped.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from linernotes.normalize.fold import fold

# "(feat. X)", "[ft. X]", "(with X)" anywhere; "feat. X" to the end of the title.
_FEAT = re.compile(
    r"\s*[\(\[]\s*(?:feat|ft|featuring|with)\b\.?[^\)\]]*[\)\]]"
    r"|\s+(?:feat|ft|featuring)\b\.?\s.*$",
    re.IGNORECASE,
)
# Parenthesised or bracketed notes, and a " - note" suffix.
_NOTE = re.compile(r"[\(\[]([^\)\]]*)[\)\]]|\s+[-\u2013\u2014]\s+(.+)$")
_VERSION_WORDS = {
    "remix": "remix",
    "rmx": "remix",
    "mix": "remix",
    "live": "live",
    "acoustic": "acoustic",
    "unplugged": "acoustic",
    "instrumental": "instrumental",
    "acapella": "acapella",
    "demo": "demo",
    "extended": "extended",
    "cover": "cover",
    "reprise": "reprise",
    "karaoke": "karaoke",
    "slowed": "slowed",
    "sped": "sped up",
}
# Notes that name the same recording: a remaster, the album or original version, mono/stereo.
_SAME_RECORDING = frozenset(
    {
        "remaster",
        "remastered",
        "album",
        "original",
        "version",
        "mono",
        "stereo",
        "single",
        "explicit",
        "clean",
        "radio",
        "edit",
        "digital",
        "bonus",
        "track",
        "from",
        "soundtrack",
    }
)
_YEAR = re.compile(r"^(?:19|20)\d\d$")


@dataclass(frozen=True, slots=True)
class TitleKey:
    base: str  # folded title without featured credits or version notes
    version: frozenset[str]  # e.g. {"remix kygo"}, {"live"}; empty for the original
    short: str = ""  # the base without notes kept in it: "all night long" for "... (All Night)"

    def __str__(self) -> str:
        return self.base + "".join(f" [{v}]" for v in sorted(self.version))


@lru_cache(maxsize=1 << 16)
def title_key(title: str) -> TitleKey:
    text = _FEAT.sub("", title)
    versions: set[str] = set()
    kept_notes: list[str] = []
    for match in _NOTE.finditer(text):
        note = fold(match.group(1) or match.group(2) or "")
        tag = _version_tag(note)
        if tag:
            versions.add(tag)
        elif tag is None and not _names_same_recording(note):
            kept_notes.append(note)  # "(Love Theme)": part of the title, not a version
    short = fold(_NOTE.sub(" ", text))
    base = " ".join([short, *kept_notes]) if kept_notes else short
    return TitleKey(base or fold(title), frozenset(versions), short)


def _version_tag(note: str) -> str | None:
    """The version a note names; "" for a note naming the original; None for no version note."""
    words = note.split()
    kinds = [_VERSION_WORDS[w] for w in words if w in _VERSION_WORDS]
    if not kinds:
        return None
    if "original" in words and kinds == ["remix"]:
        return ""  # "Original Mix" is the original
    others = [w for w in words if w not in _VERSION_WORDS and w not in _SAME_RECORDING]
    # A remix is told apart by its remixer; "Live at Wembley" stays just "live".
    detail = " ".join(others) if kinds[0] == "remix" else ""
    return f"{kinds[0]} {detail}".strip()


def _names_same_recording(note: str) -> bool:
    words = note.split()
    return bool(words) and all(w in _SAME_RECORDING or _YEAR.match(w) for w in words)
