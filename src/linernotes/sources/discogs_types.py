"""The shapes of Discogs data at our boundary: API JSON payloads, and the one internal shape
that both the API and the monthly XML dumps are normalised to before records are built.

The API and the dump say the same things differently (the dump nests `<label name= catno=>`
attributes where the API has objects; the API marks headings with `type_` where the dump leaves
the position empty; ids are numbers in one and text in the other). Converting both to the
internal shapes below first lets a single builder turn either into source records.

API shapes declare only the fields we read (`total=False`: Discogs omits empty fields). Internal
shapes are total: every key is present, with "" / 0 / [] for what the source left out.
"""

from __future__ import annotations

from typing import TypedDict

# -- API payloads (https://api.discogs.com) --------------------------------------------------


class ApiArtistCredit(TypedDict, total=False):
    """An entry of a release's (or track's) `artists` / `extraartists`."""

    id: int
    name: str
    anv: str  # artist name variation: the name as credited here
    join: str  # the word joining this artist to the next one ("&", "Feat.")
    role: str  # free-text role list ("Producer, Written-By")
    tracks: str  # scope of a release-level credit ("A1 to A3")
    resource_url: str


class ApiTrack(TypedDict, total=False):
    position: str
    type_: str  # "track", "heading" or "index"
    title: str
    duration: str
    artists: list[ApiArtistCredit]
    extraartists: list[ApiArtistCredit]
    sub_tracks: list[ApiTrack]


class ApiCompany(TypedDict, total=False):
    """A `labels` or `companies` entry."""

    id: int
    name: str
    catno: str
    entity_type: str
    entity_type_name: str  # "Label", "Recorded At", "Phonographic Copyright (p)", ...
    resource_url: str


class ApiFormat(TypedDict, total=False):
    name: str
    qty: str
    text: str
    descriptions: list[str]


class ApiIdentifier(TypedDict, total=False):
    type: str
    value: str
    description: str


class ApiRelease(TypedDict, total=False):
    id: int
    title: str
    released: str  # "1999-07-13", "1998-06-00", "2005"
    year: int
    master_id: int
    artists: list[ApiArtistCredit]
    extraartists: list[ApiArtistCredit]
    labels: list[ApiCompany]
    companies: list[ApiCompany]
    formats: list[ApiFormat]
    identifiers: list[ApiIdentifier]
    tracklist: list[ApiTrack]


class ApiEntityRef(TypedDict, total=False):
    """Another artist or label named by id: aliases, members, groups, sublabels."""

    id: int
    name: str
    resource_url: str
    active: bool


class ApiArtist(TypedDict, total=False):
    id: int
    name: str
    realname: str
    profile: str
    namevariations: list[str]
    aliases: list[ApiEntityRef]
    members: list[ApiEntityRef]
    groups: list[ApiEntityRef]
    urls: list[str]


class ApiMaster(TypedDict, total=False):
    id: int
    main_release: int
    title: str
    year: int
    artists: list[ApiArtistCredit]


class ApiLabel(TypedDict, total=False):
    id: int
    name: str
    urls: list[str]
    parent_label: ApiEntityRef
    sublabels: list[ApiEntityRef]


class ApiPagination(TypedDict, total=False):
    page: int
    pages: int
    per_page: int
    items: int
    urls: dict[str, str]  # "next", "last", "first", "prev"


class ApiListItem(TypedDict, total=False):
    """A row of /database/search results or of /artists/{id}/releases."""

    id: int
    type: str  # "release", "master", "artist", "label"
    title: str
    resource_url: str
    role: str  # artist releases only: "Main", "Remix", "Producer", ...
    main_release: int  # masters only
    year: int | str


class ApiPage(TypedDict, total=False):
    pagination: ApiPagination
    results: list[ApiListItem]  # search
    releases: list[ApiListItem]  # artist releases


# -- the internal shape, shared by the API and the dumps -----------------------------------


class Credit(TypedDict):
    id: int  # 0 when Discogs gives no artist id
    name: str  # the Discogs artist name, "(2)" suffix and all
    anv: str
    join: str
    role: str
    tracks: str


class Track(TypedDict):
    position: str
    kind: str  # "track", "heading" or "index" (a group of sub-tracks)
    title: str
    duration: str
    artists: list[Credit]
    extraartists: list[Credit]
    sub_tracks: list[Track]


class Company(TypedDict):
    id: int
    name: str
    catno: str
    role: str  # "Label" for labels; the entity type name for companies


class Format(TypedDict):
    name: str
    descriptions: list[str]


class Identifier(TypedDict):
    type: str
    value: str


class Release(TypedDict):
    id: int
    title: str
    released: str
    master_id: int  # 0 when the release belongs to no master
    artists: list[Credit]
    extraartists: list[Credit]
    labels: list[Company]
    companies: list[Company]
    formats: list[Format]
    identifiers: list[Identifier]
    tracklist: list[Track]


class EntityRef(TypedDict):
    id: int
    name: str


class Artist(TypedDict):
    id: int
    name: str
    realname: str
    namevariations: list[str]
    aliases: list[EntityRef]  # other Discogs artists (pseudonyms), not names of this one
    members: list[EntityRef]
    groups: list[EntityRef]
    urls: list[str]


class Master(TypedDict):
    id: int
    main_release: int  # 0 when missing
    title: str
    artists: list[Credit]


class Label(TypedDict):
    id: int
    name: str
    urls: list[str]
    parent: EntityRef | None
    sublabels: list[EntityRef]
