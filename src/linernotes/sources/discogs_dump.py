"""Stream the Discogs monthly XML dumps (releases ~56 GB, artists, masters, labels; .xml.gz).

Each file is one root (<releases>, <artists>, ...) holding millions of entity elements, one per
line. We read it with lxml's iterparse, turn each finished top-level element into the internal
shape of `discogs_types` (the same shape the API's JSON is read into, so both share one record
builder), and then clear the element and everything before it, so memory stays flat however big
the file is. Elements are numbered from 1 in file order; `after=n` skips the first n without
converting them, which is how an interrupted ingest resumes.

A file that ends early (a cut download: gzip EOF or zlib error) or stops being XML yields every
element before the break and then one Problem naming the file, the element and the line, and
stops. Fields we do not read are ignored.
"""

from __future__ import annotations

import hashlib
import re
import zlib
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Protocol, TypeVar

import orjson
from lxml import etree  # type: ignore[import-untyped]

from linernotes.normalize.discogs_artist import artist_record
from linernotes.normalize.discogs_release import master_record, release_record
from linernotes.normalize.records import Problem, SourceRecord
from linernotes.sources.discogs_types import (
    Artist,
    Company,
    Credit,
    EntityRef,
    Format,
    Identifier,
    Label,
    Master,
    Release,
    Track,
)
from linernotes.sources.files import display_name, open_binary


class Element(Protocol):
    """The part of lxml's element interface we use (lxml ships no type information)."""

    tag: Any  # str for elements; a function for comments and processing instructions
    text: str | None

    def get(self, key: str, default: str) -> str: ...  # always pass a default: lxml's is None
    def __iter__(self) -> Iterator[Element]: ...
    def getparent(self) -> Element | None: ...
    def getprevious(self) -> Element | None: ...
    def clear(self, keep_tail: bool = False) -> None: ...
    def __delitem__(self, index: int) -> None: ...


T = TypeVar("T")
Numbered = tuple[int, T | Problem]

# The file stopped being readable: a cut gzip stream, corrupt deflate data, broken XML.
_BROKEN: tuple[type[BaseException], ...] = (EOFError, zlib.error, OSError, etree.XMLSyntaxError)
_DUMP_DATE = re.compile(r"discogs_(\d{4})(\d{2})(\d{2})_")


# -- streaming -------------------------------------------------------------------------------


def iter_elements(path: Path, tag: str, after: int = 0) -> Iterator[Numbered[Element]]:
    """(ordinal, element) for each top-level `tag` element after `after`, then a Problem if the
    file breaks. The element is valid only until the next one is requested."""
    count = 0
    with open_binary(path) as stream:
        events = etree.iterparse(stream, events=("end",), tag=tag, huge_tree=True)
        try:
            for _, element in events:
                if not _is_top_level(element):
                    continue  # a <label> inside <sublabels>: part of the enclosing element
                count += 1
                if count > after:
                    yield count, element
                _release(element)
        except _BROKEN as err:
            yield count + 1, _broken(path, count, err)


def _is_top_level(element: Element) -> bool:
    parent = element.getparent()
    return parent is None or parent.getparent() is None  # the root itself, or its child


def _release(element: Element) -> None:
    """Free the finished element and the siblings before it (the root keeps references)."""
    element.clear(keep_tail=False)
    parent = element.getparent()
    if parent is not None:
        while element.getprevious() is not None:
            del parent[0]


def _broken(path: Path, count: int, err: BaseException) -> Problem:
    name = display_name(path)
    line = getattr(err, "lineno", None)
    where = f" at line {line}" if isinstance(err, etree.XMLSyntaxError) and line else ""
    kind = "bad_xml" if isinstance(err, etree.XMLSyntaxError) else "truncated_file"
    message = (
        f"{name} breaks in element {count + 1}{where} ({type(err).__name__}: {err}); "
        f"the {count} elements before it were read, the rest of the file is not"
    )
    return Problem(f"{name}:element {count + 1}", kind, message)


def _converted(
    path: Path, tag: str, convert: Callable[[Element], T], after: int
) -> Iterator[Numbered[T]]:
    name = display_name(path)
    for number, element in iter_elements(path, tag, after):
        if isinstance(element, Problem):
            yield number, element
            continue
        try:
            converted = convert(element)
        except (ValueError, KeyError, TypeError) as err:
            yield number, Problem(f"{name}:element {number}", "bad_record", f"{err}; skipped")
            continue
        yield number, converted


def _records(
    path: Path,
    tag: str,
    convert: Callable[[Element], T],
    build: Callable[[T, str], SourceRecord],
    after: int,
    retrieved_at: str | None,
) -> Iterator[Numbered[SourceRecord]]:
    when = retrieved_at or dump_date(path)
    name = display_name(path)
    for number, item in _converted(path, tag, convert, after):
        if isinstance(item, Problem):
            yield number, item
            continue
        try:
            record = build(item, when)
        except (ValueError, KeyError, TypeError) as err:
            yield number, Problem(f"{name}:element {number}", "bad_record", f"{err}; skipped")
            continue
        record.origin = f"{name}:element {number}"
        record.content_hash = content_digest(item)
        yield number, record


def content_digest(payload: object) -> str:
    """A digest of what a record is built from: the element in the internal shape, as JSON.

    It stands for the record in the pipeline's change check (with READERS_VERSION, bumped when
    parsing changes), for ~13 us where hashing the built record costs ~270 us. The internal
    shape is made in one fixed key order, so equal elements give equal bytes.
    """
    return hashlib.sha256(orjson.dumps(payload)).hexdigest()


def dump_date(path: Path) -> str:
    """When the source said it: the dump's date from its name (discogs_20200806_...), else the
    file's modification date."""
    found = _DUMP_DATE.search(path.name)
    if found:
        return "-".join(found.groups())
    return datetime.fromtimestamp(path.stat().st_mtime, UTC).date().isoformat()


# -- public streams --------------------------------------------------------------------------


def iter_releases(
    path: Path, after: int = 0, retrieved_at: str | None = None
) -> Iterator[Numbered[SourceRecord]]:
    return _records(path, "release", release_from_element, release_record, after, retrieved_at)


def iter_artists(
    path: Path, after: int = 0, retrieved_at: str | None = None
) -> Iterator[Numbered[SourceRecord]]:
    return _records(path, "artist", artist_from_element, artist_record, after, retrieved_at)


def iter_masters(
    path: Path, after: int = 0, retrieved_at: str | None = None
) -> Iterator[Numbered[SourceRecord]]:
    return _records(path, "master", master_from_element, master_record, after, retrieved_at)


def iter_labels(path: Path, after: int = 0) -> Iterator[Numbered[Label]]:
    """Labels as plain descriptions; the catalog has no label entity yet."""
    return _converted(path, "label", label_from_element, after)


def iter_release_dicts(path: Path, after: int = 0) -> Iterator[Numbered[Release]]:
    """Releases in the internal shape, before records are built (for statistics and tests)."""
    return _converted(path, "release", release_from_element, after)


def iter_artist_dicts(path: Path, after: int = 0) -> Iterator[Numbered[Artist]]:
    return _converted(path, "artist", artist_from_element, after)


# -- element -> internal shape ---------------------------------------------------------------


def _text(element: Element | None) -> str:
    if element is None:
        return ""
    return (element.text or "").strip()


def _int(text: str | None) -> int:
    text = (text or "").strip()
    return int(text) if text.isdigit() else 0


def _children(element: Element) -> dict[str, Element]:
    # Comments and processing instructions have a function as tag: harmless keys, never read.
    return {child.tag: child for child in element}


def _texts(element: Element | None) -> list[str]:
    return [] if element is None else [t for child in element if (t := _text(child))]


def _ref(element: Element) -> EntityRef:
    return {"id": _int(element.get("id", "")), "name": _text(element)}


def _refs(element: Element | None) -> list[EntityRef]:
    """<name id="26">Alexi Delano</name> children (aliases, members, groups, sublabels)."""
    if element is None:
        return []
    return [_ref(child) for child in element if child.get("id", "")]


# The hot path: a release has a dozen credits and tracks. Dict displays and one pass over the
# children keep it near the cost of reading the XML at all.


def _credit(element: Element) -> Credit:
    texts: dict[str, str | None] = {child.tag: child.text for child in element}
    get = texts.get
    return {
        "id": _int(get("id")),
        "name": (get("name") or "").strip(),
        "anv": (get("anv") or "").strip(),
        "join": (get("join") or "").strip(),
        "role": (get("role") or "").strip(),
        "tracks": (get("tracks") or "").strip(),
    }


def _credits(element: Element | None) -> list[Credit]:
    return [] if element is None else [_credit(child) for child in element]


def _track(element: Element) -> Track:
    # One pass over the children (a release has a dozen tracks); a repeated tag keeps the last.
    texts: dict[str, str] = {}
    artists: list[Credit] = []
    extraartists: list[Credit] = []
    sub_tracks: list[Track] = []
    for child in element:
        tag = child.tag
        if tag == "artists":
            artists = _credits(child)
        elif tag == "extraartists":
            extraartists = _credits(child)
        elif tag == "sub_tracks":
            sub_tracks = [_track(sub) for sub in child]
        else:
            texts[tag] = child.text or ""
    position = texts.get("position", "").strip()
    # The dump has no type_: a row without a position is a heading, or an index over sub-tracks.
    return {
        "position": position,
        "kind": "track" if position else "index" if sub_tracks else "heading",
        "title": texts.get("title", "").strip(),
        "duration": texts.get("duration", "").strip(),
        "artists": artists,
        "extraartists": extraartists,
        "sub_tracks": sub_tracks,
    }


def _label(element: Element) -> Company:
    return Company(
        id=_int(element.get("id", "")),
        name=element.get("name", "").strip(),
        catno=element.get("catno", "").strip(),
        role="Label",
    )


def _company(element: Element) -> Company:
    fields = _children(element)
    return Company(
        id=_int(_text(fields.get("id"))),
        name=_text(fields.get("name")),
        catno=_text(fields.get("catno")),
        role=_text(fields.get("entity_type_name")),
    )


def _format(element: Element) -> Format:
    descriptions = next((c for c in element if c.tag == "descriptions"), None)
    return Format(name=element.get("name", ""), descriptions=_texts(descriptions))


def _identifier(element: Element) -> Identifier:
    return Identifier(type=element.get("type", ""), value=element.get("value", ""))


def _each(element: Element | None, convert: Callable[[Element], T]) -> list[T]:
    return [] if element is None else [convert(child) for child in element]


def release_from_element(element: Element) -> Release:
    fields = _children(element)
    return Release(
        id=_int(element.get("id", "")),
        title=_text(fields.get("title")),
        released=_text(fields.get("released")),
        master_id=_int(_text(fields.get("master_id"))),
        artists=_credits(fields.get("artists")),
        extraartists=_credits(fields.get("extraartists")),
        labels=_each(fields.get("labels"), _label),
        companies=_each(fields.get("companies"), _company),
        formats=_each(fields.get("formats"), _format),
        identifiers=_each(fields.get("identifiers"), _identifier),
        tracklist=_each(fields.get("tracklist"), _track),
    )


def artist_from_element(element: Element) -> Artist:
    fields = _children(element)
    return Artist(
        id=_int(_text(fields.get("id"))),
        name=_text(fields.get("name")),
        realname=_text(fields.get("realname")),
        namevariations=_texts(fields.get("namevariations")),
        aliases=_refs(fields.get("aliases")),
        # <members> repeats each member as <id> and <name id=..>; the named ones carry both.
        members=_refs(fields.get("members")),
        groups=_refs(fields.get("groups")),
        urls=_texts(fields.get("urls")),
    )


def master_from_element(element: Element) -> Master:
    fields = _children(element)
    return Master(
        id=_int(element.get("id", "")),
        main_release=_int(_text(fields.get("main_release"))),
        title=_text(fields.get("title")),
        artists=_credits(fields.get("artists")),
    )


def label_from_element(element: Element) -> Label:
    fields = _children(element)
    parent = fields.get("parentLabel")  # <parentLabel id="4711">Goldhead Music</parentLabel>
    return Label(
        id=_int(_text(fields.get("id"))),
        name=_text(fields.get("name")),
        urls=_texts(fields.get("urls")),
        parent=None if parent is None else _ref(parent),
        sublabels=_refs(fields.get("sublabels")),
    )
