"""Source-neutral records: what every parser produces and the ingest pipeline consumes.

A :class:`SourceRecord` is everything one source record states (one Genius song, one artist, one
line of a handles file, one chart day). Entities inside it point at each other with :class:`Ref`s,
which the pipeline resolves to catalog entities: by external id, by a source-local key, or (for
sources without ids) by a folded name that must be unique in the catalog.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from linernotes.normalize.handles import EvidenceKind, Platform


class EntityKind(StrEnum):
    ARTIST = "artist"
    RELEASE = "release"
    RECORDING = "recording"


class ArtistKind(StrEnum):
    PERSON = "person"
    GROUP = "group"
    UNKNOWN = "unknown"


class ReleaseKind(StrEnum):
    ALBUM = "album"
    EP = "ep"
    SINGLE = "single"
    MIXTAPE = "mixtape"
    COMPILATION = "compilation"
    UNKNOWN = "unknown"


class LinkRule(StrEnum):
    """How a reference was tied to a catalog entity; stored as the link's evidence."""

    SOURCE_ID = "source_id"  # the source's own id, or a global id such as an ISRC
    SOURCE_LOCAL_KEY = "source_local_key"  # a key the source implies, e.g. album title + artist id
    UNIQUE_FOLDED_NAME = "unique_folded_name"  # the only entity of that kind with that folded name


# Namespaces whose values are the sources' own identifiers (or global ones: isrc, upc).
ID_NAMESPACES = frozenset(
    {
        "genius",
        "genius_slug",  # Genius artist URL slugs ("Michael-jackson"; Wikidata P2373)
        "musicbrainz",
        "musicbrainz_release_group",
        "discogs",
        "discogs_master",
        "spotify",
        "wikidata",
        "isrc",
        "upc",
        "apple_music",
        "youtube",
    }
)
NAME = "name"  # namespace of a reference by display name only
# A recording named by title and artist text, as charts and credit sheets name songs; the value is
# f"{title}{TITLE_BY_SEPARATOR}{artist}". It attaches only when exactly one recording matches.
TITLE_BY = "title_by"
TITLE_BY_SEPARATOR = "\x1f"


@dataclass(frozen=True, slots=True)
class Ref:
    """A pointer to an entity as a source knows it."""

    kind: EntityKind
    namespace: str  # an ID_NAMESPACES member, a source-local key namespace, or NAME
    value: str

    @property
    def rule(self) -> LinkRule:
        if self.namespace == NAME:
            return LinkRule.UNIQUE_FOLDED_NAME
        if self.namespace in ID_NAMESPACES:
            return LinkRule.SOURCE_ID
        return LinkRule.SOURCE_LOCAL_KEY

    def __str__(self) -> str:
        return f"{self.kind.value} {self.namespace}:{self.value}"


@dataclass(frozen=True, slots=True)
class Alias:
    name: str
    kind: str = "alias"  # alias, alternate, legal, as_credited


@dataclass(slots=True)
class ArtistRecord:
    ref: Ref
    name: str
    kind: ArtistKind = ArtistKind.UNKNOWN
    sort_name: str | None = None
    disambiguation: str | None = None  # MusicBrainz comment, Discogs "(2)" suffix, ...
    also_known_as: list[Ref] = field(default_factory=list)  # other ids of the same artist
    aliases: list[Alias] = field(default_factory=list)
    image_url: str | None = None
    members: list[Ref] = field(default_factory=list)  # for groups and combined pages, when stated


@dataclass(slots=True)
class ReleaseRecord:
    ref: Ref
    title: str
    kind: ReleaseKind = ReleaseKind.UNKNOWN
    date: str | None = None  # ISO date, or year / year-month when that is all the source says
    also_known_as: list[Ref] = field(default_factory=list)
    pseudo_reason: str | None = None


@dataclass(slots=True)
class RecordingRecord:
    ref: Ref
    title: str
    date: str | None = None
    duration_ms: int | None = None
    also_known_as: list[Ref] = field(default_factory=list)  # spotify, isrc, youtube, ...
    release: Ref | None = None
    track_position: int | None = None  # order on the release, from 1
    track_label: str | None = None  # the source's own position text: "A1", "1-05", "3"
    pseudo_reason: str | None = None  # set for playlists and year-end lists posing as songs
    # A source without ids for songs (a credit sheet): when none of the refs is known, attach to
    # the one recording with this title whose primary artist starts this artist text.
    match_artist: str | None = None


@dataclass(frozen=True, slots=True)
class CreditRecord:
    artist: Ref
    subject: Ref  # a recording or a release
    role: str  # canonical role code
    raw_role: str  # the source's text for the role, exactly
    credited_name: str  # the name as credited on this record
    detail: str = ""  # instrument or qualifier ("Guitar", "Talkbox")
    tracks: str = ""  # for release credits that cover only some tracks ("A1 to A3")
    position: int = 0  # order within the source record (keeps "Drake & Future" in order)


@dataclass(frozen=True, slots=True)
class FactRecord:
    """Something a source states about a record that names a company or place, not a person."""

    subject: Ref
    kind: str  # label, premiere, publisher, copyright, ...
    value: str
    raw: str  # the source's label for it ("Label", "Premiere")
    org: Ref | None = None  # the company's id at the source, when it has one


@dataclass(frozen=True, slots=True)
class HandleRecord:
    artist: Ref
    platform: Platform
    handle: str  # already normalised and validated
    evidence: EvidenceKind
    confidence: float
    note: str = ""  # what the evidence is ("Genius artist field instagram_name")
    quote: str = ""  # the text that ties handle and person, where there is one


@dataclass(frozen=True, slots=True)
class ChartEntryRecord:
    """A chart row. Kept even when no recording matches yet: trending needs every row."""

    chart: str
    date: str  # ISO date of the chart
    position: int
    recording: Ref | None  # by id, or by TITLE_BY; None when the row names nothing usable
    title: str = ""  # the chart's own text, kept for display and later matching
    artist: str = ""
    streams: int | None = None
    last_week: int | None = None
    peak_position: int | None = None
    weeks_on_chart: int | None = None


@dataclass(frozen=True, slots=True)
class Problem:
    """Something wrong in the input, reported with where it is; the rest of the import goes on."""

    locator: str  # file and line, or source record
    kind: str  # bad_json, unknown_role, invalid_handle, unmatched_name, ambiguous_name, ...
    message: str


@dataclass(slots=True)
class SourceRecord:
    source: str  # provenance: "genius", "genius-2017", "handles-file", ...
    record_id: str  # the record at that source ("songs/2872960")
    retrieved_at: str  # ISO timestamp of when the source said it
    origin: str = ""  # where it was read ("songs.jsonl:12"), for problem reports
    artists: list[ArtistRecord] = field(default_factory=list)
    releases: list[ReleaseRecord] = field(default_factory=list)
    recordings: list[RecordingRecord] = field(default_factory=list)
    credits: list[CreditRecord] = field(default_factory=list)
    facts: list[FactRecord] = field(default_factory=list)
    handles: list[HandleRecord] = field(default_factory=list)
    chart_entries: list[ChartEntryRecord] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    # A digest of the payload the record was built from, when its reader can give one cheaply
    # (the Discogs dump reader does): the ingest pipeline's change check then skips hashing the
    # whole record. Not part of repr or equality, so records without it hash as they always did.
    content_hash: str = field(default="", repr=False, compare=False)


class PayloadError(ValueError):
    """A payload that lacks what every record of its kind must have (an id, a name, a title).
    Readers turn it into a Problem naming where the payload was; the rest goes on."""


def require_text(value: object, what: str) -> str:
    """A non-empty text field, or PayloadError saying which one and what came instead."""
    if isinstance(value, str) and value.strip():
        return value
    raise PayloadError(f"{what} is missing or empty (got {value!r:.80})")
