"""The API's answers as OpenAPI documents them (pydantic models).

Handlers build plain dicts and serialise them with orjson (`api_http.answer`): these models
are the contract the docs and the schema test check those dicts against, not a step every
answer goes through. Optional fields marked "with sources=true" or "with include=handles" are
left out of the answer otherwise.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, Field

Kind = Literal["artist", "release", "recording"]


class ErrorDetail(BaseModel):
    code: str = Field(description="not_found, bad_request, limit_reached, ...")
    message: str = Field(description="What went wrong, in words a person can act on")
    where: str = Field(description="The parameter or limit at fault: query.limit, path.id, ...")


class ErrorBody(BaseModel):
    error: ErrorDetail


class EntityRef(BaseModel):
    """An artist, album or song, described well enough to tell look-alikes apart."""

    kind: Kind
    id: int
    name: str
    context: str = Field(description='"by Drake · More Life · 2017", "producer (12), ..."')
    matched: str = Field(description="The alias a name look-up matched, if not the name")
    url: str = Field(description="This entity's resource in the API")


class SourceNote(BaseModel):
    """One source's statement of a credit or fact."""

    source: str = Field(description="genius, discogs, musicbrainz, credit-sheet, ...")
    source_label: str
    record_id: str = Field(description="The record in that source that says so")
    raw: str = Field(description="The role text or fact label as the source gave it")
    credited_name: str = Field(description="The name as the source credited it")
    retrieved_at: str


class CreditLine(BaseModel):
    role: str = Field(description="The role code: see /api/v1/roles/{code}")
    role_label: str
    family: str
    artist_id: int
    name: str
    detail: str = Field(description="Instrument, part or note: 'Bass', 'Chairs And Back Cover'")
    tracks: str = Field(description="Which tracks a release-level credit covers ('' for all)")
    credited_as: list[str] = Field(description="Other names the sources credited them as")
    sources: list[SourceNote] | None = Field(None, description="With sources=true")


class FactLine(BaseModel):
    kind: str = Field(description="label, barcode, copyright, ...")
    value: str
    sources: list[SourceNote] | None = Field(None, description="With sources=true")


class Claim(BaseModel):
    role_label: str
    sources: list[str]


class Disagreement(BaseModel):
    """One person whose role on one subject the sources give differently."""

    artist_id: int
    name: str
    claims: list[Claim]


class Track(BaseModel):
    position: int | None
    recording_id: int
    title: str
    pseudo_reason: str | None = Field(description="Why this is not a real song, if it is not")
    credits: list[CreditLine]
    url: str


class ReleaseCredits(BaseModel):
    release: EntityRef
    title: str
    artists: list[str]
    date: str | None
    release_credits: list[CreditLine] = Field(
        description="Credits for the whole release (executive producers, mastering, artwork)"
    )
    tracks: list[Track] = Field(description="Each track's own credits, in track order")
    facts: list[FactLine]
    disagreements: list[Disagreement]
    external_ids: dict[str, str]
    lookup: dict[str, Any] | None = Field(
        None,
        description="The live look-up under way because these credits are missing or stale"
        " (see GET /lookups/{id}); null when they are fresh",
    )


class RecordingCredits(BaseModel):
    recording: EntityRef
    title: str
    artists: list[str]
    date: str | None
    releases: list[EntityRef]
    pseudo_reason: str | None
    credits: list[CreditLine]
    facts: list[FactLine]
    disagreements: list[Disagreement]
    external_ids: dict[str, str]
    lookup: dict[str, Any] | None = Field(
        None,
        description="The live look-up under way because these credits are missing or stale"
        " (see GET /lookups/{id}); null when they are fresh",
    )


class Evidence(BaseModel):
    """Why a handle is believed to be this person's."""

    source: str
    source_label: str
    record_id: str
    kind: str = Field(description="official_link, verified_profile, weak, ...")
    confidence: float
    match_rule: str
    note: str
    quote: str
    retrieved_at: str
    verified: bool


class Handle(BaseModel):
    platform: str
    handle: str
    url: str
    confidence: float = Field(description="The strongest evidence's")
    verified: bool = Field(description="Whether any evidence is strong")
    evidence: list[Evidence]


class SongRef(BaseModel):
    id: int
    title: str
    date: str | None
    url: str


class CreditStatement(BaseModel):
    """A source's statement of one credit: on a song, or on a whole album."""

    subject_kind: Literal["recording", "release"]
    subject_id: int
    role: str
    source: str
    source_label: str
    record_id: str
    raw: str
    credited_name: str
    retrieved_at: str


class Producer(BaseModel):
    artist_id: int
    name: str
    roles: list[str] = Field(description="Role labels, in vocabulary order")
    song_count: int
    latest: SongRef | None = Field(description="The most recent dated song")
    songs: list[SongRef] = Field(description="Newest first")
    has_handle: bool
    handle: Handle | None = Field(
        None, description="With include=handles (counts as a reveal): the best handle"
    )
    sources: list[CreditStatement] | None = Field(None, description="With sources=true")
    url: str


class FeaturedProducers(BaseModel):
    """Producers of the songs where the artist is only featured: listed apart."""

    songs: int
    total: int
    producers: list[Producer]


class CombinedPage(BaseModel):
    """A page naming the artist with others ("Drake & Future"); counted when linked."""

    artist_id: int
    name: str
    songs: int
    linked: bool


class ProducersAnswer(BaseModel):
    """Everyone in one role family (production unless asked) behind an artist's songs."""

    artist: EntityRef
    family: str
    songs: int = Field(description="Songs where the artist is a primary artist")
    total: int = Field(description="Producers of those songs")
    limit: int
    offset: int
    producers: list[Producer] = Field(description="Most songs first, ties by name")
    featured: FeaturedProducers
    combined_pages: list[CombinedPage] = Field(
        description="Pages naming the artist with others (production; [] for other families)"
    )
    excluded_pseudo: int = Field(
        description="Playlist or list pages posing as songs, left out (production; 0 otherwise)"
    )


class ArtistCounts(BaseModel):
    songs: int = Field(description="Songs as primary artist")
    featured_songs: int = Field(description="Songs where only featured")
    credits: int
    credits_by_role: dict[str, int]


class ArtistLinks(BaseModel):
    producers: str
    person: str
    export_csv: str
    export_json: str


class Artist(BaseModel):
    kind: Literal["artist"]
    id: int
    name: str
    type: str = Field(description="person, group or unknown")
    disambiguation: str
    context: str
    aliases: list[str]
    external_ids: dict[str, str]
    counts: ArtistCounts
    links: ArtistLinks


class CreditedWork(BaseModel):
    kind: Literal["recording", "release"]
    id: int
    title: str
    date: str | None
    url: str
    sources: list[SourceNote] | None = Field(None, description="With sources=true")


class RoleYear(BaseModel):
    role: str
    role_label: str
    family: str
    year: str = Field(description="'' when no date is known")
    count: int = Field(description="Works in this role and year")
    works: list[CreditedWork] = Field(description="The latest of them")
    more: str | None = Field(description="The next page of works, when some are not listed")


class PersonCredits(BaseModel):
    """One role and year of a person's credits, a page at a time."""

    person: EntityRef
    role: str
    role_label: str
    year: str = Field(description="'' for works with no date")
    total: int
    limit: int
    offset: int
    works: list[CreditedWork]
    more: str | None = Field(description="The next page, if any")


class Collaborator(BaseModel):
    artist_id: int
    name: str
    shared_songs: int
    url: str


class Person(BaseModel):
    person: EntityRef
    aliases: list[str]
    credits: list[RoleYear] = Field(description="By role (vocabulary order), then year")
    collaborators: list[Collaborator]
    handles: list[Handle] = Field(description="Best first; showing them counts as a reveal")
    external_ids: dict[str, str]


class HandleLookup(BaseModel):
    """One person's handles; or, when the name fits several, the candidates to choose from."""

    query: str
    artist: EntityRef | None = Field(description="The one person the name names, if one")
    handles: list[Handle]
    candidates: list[EntityRef] = Field(
        description="When several match: choose one and ask /api/v1/people/{id}"
    )


class SearchHit(BaseModel):
    kind: Kind
    id: int
    name: str
    matched: str = Field(description="The name or alias that matched")
    why: str = Field(description="'whole name', 'alias “Mike Will”', 'typo: antonof → antonoff'")
    importance: int
    url: str


class SearchAnswer(BaseModel):
    query: str
    matched_by: str | None = Field(
        description="When the query is an identifier or link: which ('ISRC GBAHS1400099')"
    )
    total: int = Field(description="Hits in all (the best 100 at most)")
    limit: int
    offset: int
    hits: list[SearchHit]
    lookup: dict[str, Any] | None = Field(
        None,
        description="The live look-up started because nothing in the catalog answers the"
        " words (see POST /lookups): poll its status_url; null when the catalog answered",
    )


class Role(BaseModel):
    code: str
    label: str
    plural: str
    ddex: str = Field(description="The DDEX contributor role it lines up with")
    family: str
    family_label: str
    scope: str = Field(description="Usually credited per track or per release")
    guide: str = Field(description="What the credit means, in plain words")
    credits: int | None = Field(
        description="Credits with this role in the catalog (null while a large catalog's"
        " counts are being made)"
    )
    url: str


class RolesAnswer(BaseModel):
    total: int
    roles: list[Role]
