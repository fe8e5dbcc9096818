"""What the catalog answers with: plain data the faces (CLI, web, API) render."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True, slots=True)
class SourceNote:
    """One source's statement of a credit, fact or handle."""

    source: str
    record_id: str
    raw: str  # the role text, fact label or evidence kind as the source gave it
    credited_name: str = ""
    retrieved_at: str = ""


@dataclass(frozen=True, slots=True)
class EntitySummary:
    """Enough to tell look-alikes apart in a candidate list."""

    kind: str  # artist, release, recording
    id: int
    name: str
    context: str  # "by Drake · More Life · 2017" / "24 songs as primary artist" / ...
    matched: str = ""  # the name or alias that matched, when not the display name
    why: str = ""  # how a search matched it: "whole name", "typo: antonof → antonoff"


@dataclass(frozen=True, slots=True)
class Evidence:
    source: str
    record_id: str
    kind: str
    confidence: float
    match_rule: str
    note: str
    quote: str
    retrieved_at: str
    verified: bool


@dataclass(frozen=True, slots=True)
class HandleView:
    platform: str
    handle: str
    url: str
    confidence: float  # the strongest evidence's
    verified: bool  # any strong evidence
    evidence: tuple[Evidence, ...]


@dataclass(frozen=True, slots=True)
class CreditLine:
    role: str
    role_label: str
    family: str
    artist_id: int
    name: str
    detail: str
    tracks: str
    sources: tuple[SourceNote, ...]

    @property
    def credited_as(self) -> list[str]:
        """Names as credited, where a source wrote something other than the catalog name."""
        names = {s.credited_name for s in self.sources if s.credited_name}
        return sorted(n for n in names if n != self.name)


@dataclass(frozen=True, slots=True)
class FactLine:
    kind: str
    value: str
    sources: tuple[SourceNote, ...]


@dataclass(frozen=True, slots=True)
class Disagreement:
    """One person, one subject, roles that exclude each other, stated by different sources."""

    artist_id: int
    name: str
    claims: list[tuple[str, list[str]]]  # (role label, the sources that say so)


@dataclass(frozen=True, slots=True)
class RecordingCredits:
    recording: EntitySummary
    title: str
    artists: list[str]
    date: str | None
    releases: list[EntitySummary]
    pseudo_reason: str | None
    credits: list[CreditLine]
    facts: list[FactLine]
    external_ids: dict[str, str]
    disagreements: list[Disagreement] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class TrackCredits:
    position: int | None
    recording_id: int
    title: str
    credits: list[CreditLine]
    pseudo_reason: str | None


@dataclass(frozen=True, slots=True)
class ReleaseCredits:
    release: EntitySummary
    title: str
    artists: list[str]
    date: str | None
    release_credits: list[CreditLine]  # whole-release credits (executive producer, ...)
    tracks: list[TrackCredits]
    facts: list[FactLine]
    disagreements: list[Disagreement] = field(default_factory=list)  # release-level ones


@dataclass(frozen=True, slots=True)
class SongRef:
    recording_id: int
    title: str
    date: str | None


@dataclass(slots=True)
class ProducerRow:
    artist_id: int
    name: str
    roles: list[str]  # role labels, in vocabulary order
    songs: list[SongRef]
    handle: HandleView | None

    @property
    def song_count(self) -> int:
        return len(self.songs)

    @property
    def latest(self) -> SongRef | None:
        dated = [s for s in self.songs if s.date]
        return max(dated, key=lambda s: s.date or "") if dated else None


@dataclass(frozen=True, slots=True)
class CombinedPage:
    artist_id: int
    name: str
    songs: int
    linked: bool  # a source, or identity resolution, links this page's members to the artist


@dataclass(slots=True)
class ProducersAnswer:
    artist: EntitySummary
    songs: int  # songs where the artist is a primary artist (pseudo-songs excluded)
    producers: list[ProducerRow]
    featured_songs: int  # songs where the artist is only featured
    featured_producers: list[ProducerRow]
    combined_pages: list[CombinedPage] = field(default_factory=list)
    excluded_pseudo: int = 0
    total_producers: int = 0  # the lists above may hold only the first rows
    total_featured_producers: int = 0


@dataclass(frozen=True, slots=True)
class RoleYear:
    role: str
    role_label: str
    family: str
    year: str  # "" when no date is known
    count: int  # songs (and albums) in the cell
    songs: list[SongRef]  # the latest of them, as many as asked for


@dataclass(frozen=True, slots=True)
class Collaborator:
    artist_id: int
    name: str
    shared_songs: int


@dataclass(slots=True)
class PersonAnswer:
    artist: EntitySummary
    aliases: list[str]
    by_role_year: list[RoleYear]
    collaborators: list[Collaborator]
    handles: list[HandleView]
    external_ids: dict[str, str]
