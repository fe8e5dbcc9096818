"""The `tracks` scope of a Discogs release credit: which tracks "A1 to A3, B2" covers.

Discogs editors write the tracks a release-level credit applies to as free text: positions
("B2"), ranges ("A1 to A3", "3 - 11", "A1-7", "AA2-AC1"), whole sides ("A", "Side B"), lists of
those joined by "," or "and", or "All". Ranges run in the order of the release's own tracklist
(so "A4 to B1" crosses a side, and "1-1 to 1-5.7" ends on a sub-track). A hyphen is ambiguous:
"1-05" is a position on a multi-disc release but "1-12" is a range on a 13-track CD, so the
release's track labels decide: a hyphenated text that is a label is that track, otherwise a range.

Parsing never raises. Text that is not a scope ("Gyula Havancsák", "Prenatal A-B") or that names
positions the release does not have gives a scope with `unparsed=True` that covers nothing: the
caller keeps such a credit at release level and reports it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache

# Separators between items of a list: "A1, A2", "B2 and B4", "A1 & A2", "1; 3".
_LIST_SEPARATOR = re.compile(r"\s*(?:[,;&+]|\band\b)\s*", re.IGNORECASE)
# Range words with spaces around them; an unspaced hyphen is handled apart (it may be a position).
_RANGE = re.compile(r"\s+(?:to|thru|through|until|-)\s+", re.IGNORECASE)
_SIDE_WORD = re.compile(r"^sides?\s+", re.IGNORECASE)
# A position once normalised: letters and digits in runs, joined by "." or "-" ("CD1-4", "1-5.7");
# no run of more than three letters ("DVD1" is a position, "PARKER" a name).
_POSITION = re.compile(r"[A-Z0-9]{1,6}(?:[.\-][A-Z0-9]{1,6}){0,3}")
_LONG_WORD = re.compile(r"[A-Z]{4}")
_LETTERS = re.compile(r"[A-Z]{1,3}")
_DIGITS = re.compile(r"\d{1,4}")
_RUNS = re.compile(r"[A-Z]+|\d+")
# "." or spaces right after a side letter are decoration: "A.1", "B. 1", "A..5" are A1, B1, A5.
_SIDE_DOTS = re.compile(r"(?<=[A-Z])[.\s]+(?=\d)")
_DASHES = str.maketrans({"\u2013": "-", "\u2014": "-", "\u2012": "-", "\u2212": "-"})
_ALL = frozenset({"all", "all tracks", "alltracks", "tracks all", "all songs"})

SortKey = tuple[tuple[int, int, str], ...]


def position_key(text: str) -> str:
    """Normalise a position or a label so "a.1", "A 1" and "A1" compare equal.

    Other spaces stay, so words ("Prenatal A") never pass for a position.
    """
    return _SIDE_DOTS.sub("", " ".join(text.upper().translate(_DASHES).split()))


def sort_key(key: str) -> SortKey:
    """Order positions structurally: numbers before letters, letters by length then alphabet.

    Used when a range end is not among the release's labels (or no labels were given):
    "A4" < "A10" < "B1" < "AA1", "1-5" < "1-5.7" < "2-1".
    """
    runs = _RUNS.findall(key)
    return tuple((0, int(r), "") if r.isdigit() else (1, len(r), r) for r in runs)


def _is_position(key: str) -> bool:
    return bool(_POSITION.fullmatch(key)) and not _LONG_WORD.search(key)


def _side_of(key: str) -> str:
    match = _LETTERS.match(key)
    return match.group(0) if match and key[match.end() : match.end() + 1].isdigit() else ""


@dataclass(frozen=True, slots=True)
class Single:
    key: str


@dataclass(frozen=True, slots=True)
class Side:
    letters: str


@dataclass(frozen=True, slots=True)
class Span:
    start: str
    end: str


Item = Single | Side | Span


@dataclass(frozen=True, slots=True)
class TrackScope:
    text: str
    unparsed: bool = False
    reason: str = ""  # why it is unparsed, for the problem report
    all_tracks: bool = False
    items: tuple[Item, ...] = ()
    indices: frozenset[int] | None = None  # 1-based track indices, when labels were given

    def covers(self, label: str, index: int) -> bool:
        """Whether the credit applies to the track at `index` (1-based) labelled `label`."""
        if self.unparsed:
            return False
        if self.all_tracks:
            return True
        if self.indices is not None:
            return index in self.indices
        key = position_key(label)
        return any(_item_matches(item, key) for item in self.items)


def parse_track_scope(text: str, labels: Sequence[str] = ()) -> TrackScope:
    """Parse a Discogs `tracks` string; with the release's labels, resolve it to track indices."""
    cleaned = " ".join(text.translate(_DASHES).split())
    if not cleaned or cleaned.casefold() in _ALL:
        return TrackScope(text, all_tracks=True)
    keys = _label_keys(tuple(labels))
    known = frozenset(keys)
    items: list[Item] = []
    for part in _LIST_SEPARATOR.split(cleaned):
        if not part:
            continue
        item = _parse_item(part, known)
        if item is None:
            return TrackScope(text, unparsed=True, reason=f"{part!r} is not a track position")
        items.append(item)
    if not items:
        return TrackScope(text, unparsed=True, reason="no track positions")
    if not labels:
        return TrackScope(text, items=tuple(items))
    return _resolve(text, tuple(items), keys)


@lru_cache(maxsize=256)
def _label_keys(labels: tuple[str, ...]) -> tuple[str, ...]:
    # A release's scoped credits share its labels: normalise them once.
    return tuple(position_key(label) for label in labels)


def _parse_item(part: str, known: frozenset[str]) -> Item | None:
    side_word = _SIDE_WORD.match(part)
    if side_word:
        letters = position_key(part[side_word.end() :])
        return Side(letters) if _LETTERS.fullmatch(letters) else None
    ends = _RANGE.split(part)
    if len(ends) == 2:
        return _span(position_key(ends[0]), position_key(ends[1]))
    if len(ends) > 2:
        return None
    key = position_key(part)
    if key in known or "-" not in key:
        return _single(key, known)
    return _hyphen_range(key, known)


def _single(key: str, known: frozenset[str]) -> Item | None:
    if key not in known and not _is_position(key):
        return None
    if _LETTERS.fullmatch(key) and key not in known:
        return Side(key)  # "A" on a release whose tracks are A1, A2: the whole side
    return Single(key)


def _hyphen_range(key: str, known: frozenset[str]) -> Item | None:
    """Split "A1-7", "4-11", "1-1-1-5" where both ends are labels; else at the middle hyphen.

    Without labels a middle split whose ends run forwards is a range ("1-3"); "CD1-1", whose
    ends do not, is one position.
    """
    pieces = key.split("-")
    splits = [("-".join(pieces[:i]), "-".join(pieces[i:])) for i in range(1, len(pieces))]
    for start, end in splits:
        if start in known and _expand_end(start, end) in known:
            return _span(start, end)
    if len(pieces) % 2:
        return _single(key, known)
    start, end = splits[len(splits) // 2]
    if sort_key(start) < sort_key(_expand_end(start, end)):
        return _span(start, end)
    return _single(key, known)


def _expand_end(start: str, end: str) -> str:
    """ "A1-7" means A1 to A7: a bare number ending a range keeps the start's side."""
    side = _side_of(start)
    return side + end if side and _DIGITS.fullmatch(end) else end


def _span(start: str, end: str) -> Item | None:
    end = _expand_end(start, end)
    if _is_position(start) and _is_position(end):
        return Span(start, end)
    return None


def _item_matches(item: Item, key: str) -> bool:
    """Structural match, for scopes parsed without the release's labels."""
    if isinstance(item, Single):
        return key == item.key
    if isinstance(item, Side):
        return _side_of(key) == item.letters or key == item.letters
    low, high = _span_bounds(item)
    position = sort_key(key)
    # Same shape as an end, so "1 to 3" does not take in "1-05", which sorts between 1 and 2.
    shaped = len(position) in (len(low), len(high)) or _LETTERS.fullmatch(item.end) is not None
    return shaped and low <= position <= high


def _span_bounds(span: Span) -> tuple[SortKey, SortKey]:
    high = sort_key(span.end)
    if _LETTERS.fullmatch(span.end):
        high = (*high, (2, 0, ""))  # a side as the end of a range includes the whole side
    return sort_key(span.start), high


# -- resolving against the release's track labels ------------------------------------------


def _resolve(text: str, items: tuple[Item, ...], keys: Sequence[str]) -> TrackScope:
    covered: set[int] = set()
    for item in items:
        found = _indices(item, keys)
        if not found:
            reason = f"{_describe(item)} names no track of this release"
            return TrackScope(text, unparsed=True, reason=reason, items=items)
        covered.update(found)
    return TrackScope(text, items=items, indices=frozenset(covered))


def _indices(item: Item, keys: Sequence[str]) -> set[int]:
    if isinstance(item, Span):
        found = _span_indices(item, keys)
    else:
        found = {i for i, key in enumerate(keys, start=1) if _item_matches(item, key)}
    return found or _by_number(item, keys)


def _span_indices(span: Span, keys: Sequence[str]) -> set[int]:
    """Tracklist order from the start's row to the end's; both ends must be on the release."""
    first = _first(keys, span.start)
    last = None if first is None else _last(keys, span.end, after=first)
    if first is None or last is None:
        return set()
    return set(range(first, last + 1))


def _by_number(item: Item, keys: Sequence[str]) -> set[int]:
    """On a release whose positions are not numbers ("A", "B1", "B2"), "1" and "2 to 3" count
    tracks. Where any position is a number, a number that names no track stays unresolved."""
    if isinstance(item, Side) or any(key.isdigit() for key in keys):
        return set()
    ends = (item.key,) if isinstance(item, Single) else (item.start, item.end)
    if not all(end.isdigit() for end in ends):
        return set()
    low, high = int(ends[0]), int(ends[-1])
    return set(range(low, high + 1)) if 1 <= low <= high <= len(keys) else set()


def _first(keys: Sequence[str], end: str) -> int | None:
    return next(iter(_positions(keys, end)), None)


def _last(keys: Sequence[str], end: str, after: int) -> int | None:
    found = [i for i in _positions(keys, end) if i >= after]
    if not found:
        return None
    # A label ends at its own row; a side ends at its last track.
    return found[-1] if end not in keys else found[0]


def _positions(keys: Sequence[str], end: str) -> Iterable[int]:
    if end in keys:
        return [i for i, key in enumerate(keys, start=1) if key == end]
    if _LETTERS.fullmatch(end):
        return [i for i, key in enumerate(keys, start=1) if _side_of(key) == end]
    return []


def _describe(item: Item) -> str:
    if isinstance(item, Single):
        return repr(item.key)
    if isinstance(item, Side):
        return f"side {item.letters!r}"
    return f"{item.start!r} to {item.end!r}"
