"""Discogs artists -> source records, and the naming rules every Discogs record shares.

Discogs keeps one page per artist, numbered; two artists with one name are told apart by a
suffix ("John Robinson (2)"), which is Discogs' bookkeeping, not part of the name. An artist's
`urls` are links its editors collected: social profiles become handles (the source's own field),
Wikidata / MusicBrainz / Genius pages become cross-links to the same artist. `aliases` name
*other* Discogs artists (the same person's other projects), so they are not names of this one.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache
from urllib.parse import unquote, urlsplit

from linernotes.normalize.handles import (
    EVIDENCE_CONFIDENCE,
    RULES,
    EvidenceKind,
    InvalidHandle,
    Platform,
    normalize_handle,
)
from linernotes.normalize.records import (
    Alias,
    ArtistKind,
    ArtistRecord,
    EntityKind,
    HandleRecord,
    PayloadError,
    Problem,
    Ref,
    SourceRecord,
)
from linernotes.sources.discogs_types import Artist, EntityRef

SOURCE = "discogs"
NAMESPACE = "discogs"
LABEL_NAMESPACE = "discogs_label"  # Discogs label ids: companies, never catalog artists
HANDLE_NOTE = "Discogs artist urls"


@lru_cache(maxsize=1 << 16)
def artist_ref(discogs_id: int) -> Ref:
    # Cached: refs are immutable and a dump names the same artists millions of times.
    return Ref(EntityKind.ARTIST, NAMESPACE, str(discogs_id))


@lru_cache(maxsize=1 << 14)
def label_ref(discogs_id: int) -> Ref:
    return Ref(EntityKind.ARTIST, LABEL_NAMESPACE, str(discogs_id))


def require_id(value: int, what: str) -> int:
    if value <= 0:
        raise PayloadError(f"Discogs {what} has no usable id (got {value!r})")
    return value


def require_text(value: str, what: str) -> str:
    if not value.strip():
        raise PayloadError(f"Discogs {what} is missing or empty")
    return value.strip()


# -- names -----------------------------------------------------------------------------------

_NUMBER_SUFFIX = re.compile(r"\s+\((\d+)\)$")
# The API used to invert leading articles ("Persuader, The"); the dumps say "The Persuader".
_INVERTED_ARTICLE = re.compile(r"^(?P<rest>.+), (?P<article>The)$")


@lru_cache(maxsize=1 << 16)
def split_name(raw: str) -> tuple[str, str | None]:
    """Name and disambiguation: "Care Company (2)" -> ("Care Company", "Discogs (2)").

    Older API payloads invert a leading "The" ("Persuader, The"); it goes back in front.
    """
    name = raw.strip()
    disambiguation = None
    suffix = _NUMBER_SUFFIX.search(name)
    if suffix:
        name, disambiguation = name[: suffix.start()], f"Discogs ({suffix.group(1)})"
    inverted = _INVERTED_ARTICLE.match(name)
    if inverted:
        name = f"{inverted['article']} {inverted['rest']}"
    return name, disambiguation


def display_name(raw: str) -> str:
    return split_name(raw)[0]


def named_artist(ref: EntityRef, kind: ArtistKind = ArtistKind.UNKNOWN) -> ArtistRecord:
    """An artist known only by id and name (a credit, a group member)."""
    name, disambiguation = split_name(ref["name"])
    return ArtistRecord(artist_ref(ref["id"]), name, kind, disambiguation=disambiguation)


# -- artist records --------------------------------------------------------------------------


def artist_record(artist: Artist, retrieved_at: str) -> SourceRecord:
    """One Discogs artist page: names, kind, members and groups, handles, cross-links."""
    discogs_id = require_id(artist["id"], "artist")
    record = SourceRecord(SOURCE, f"artists/{discogs_id}", retrieved_at)
    ref = artist_ref(discogs_id)
    name, disambiguation = split_name(require_text(artist["name"], "artist name"))
    kind = _artist_kind(artist)
    members = [m for m in artist["members"] if m["id"] > 0]
    main = ArtistRecord(
        ref,
        name,
        kind,
        disambiguation=disambiguation,
        aliases=_aliases(artist, name, kind),
        members=[artist_ref(m["id"]) for m in members],
    )
    record.artists.append(main)
    record.artists.extend(named_artist(m) for m in members)
    record.artists.extend(_group_of(group, ref) for group in artist["groups"] if group["id"] > 0)
    _read_urls(record, main, artist["urls"])
    return record


def _group_of(group: EntityRef, member: Ref) -> ArtistRecord:
    """A group the artist belongs to, stated from the member's side: its record lists only this
    member, which is safe because memberships are added to the catalog, never replaced."""
    record = named_artist(group, ArtistKind.GROUP)
    record.members.append(member)
    return record


def _artist_kind(artist: Artist) -> ArtistKind:
    if artist["members"]:
        return ArtistKind.GROUP
    if artist["groups"]:
        return ArtistKind.PERSON  # only people are listed as members of groups, in practice
    return ArtistKind.UNKNOWN


def _aliases(artist: Artist, name: str, kind: ArtistKind) -> list[Alias]:
    aliases: list[Alias] = []
    seen = {name}
    realname = artist["realname"].strip()
    # A group's "real name" lists its members ("Cari Lekebusch & Alexi Delano"): not its name.
    if realname and kind is not ArtistKind.GROUP and realname not in seen:
        aliases.append(Alias(realname, "legal"))
        seen.add(realname)
    for raw in artist["namevariations"]:
        variation = display_name(raw)  # older API payloads invert these too ("Presuader, The")
        if variation and variation not in seen:
            aliases.append(Alias(variation, "variation"))
            seen.add(variation)
    return aliases


# -- urls: handles and cross-links -----------------------------------------------------------


def _base_domain(host: str) -> str:
    for prefix in ("www.", "m.", "mobile."):
        host = host.removeprefix(prefix)
    return host


# Profile hosts by their base domain ("instagram.com", "x.com", "fb.com"), from the handle rules.
_PLATFORM_DOMAINS: dict[str, Platform] = {
    _base_domain(host): platform for platform, rules in RULES.items() for host in rules.hosts
}

# Pages that identify the same artist elsewhere: (base domain, path pattern, namespace).
_CROSS_LINKS: tuple[tuple[str, re.Pattern[str], str], ...] = (
    ("wikidata.org", re.compile(r"/(?:wiki|entity)/(Q[1-9]\d*)/?"), "wikidata"),
    (
        "musicbrainz.org",
        re.compile(r"/artist/([0-9a-f]{8}-(?:[0-9a-f]{4}-){3}[0-9a-f]{12})/?", re.IGNORECASE),
        "musicbrainz",
    ),
    ("genius.com", re.compile(r"/artists/([^/?#]+)/?"), "genius_slug"),
)


def _domain_of(host: str, domains: Iterable[str]) -> str | None:
    """The known domain a host belongs to: "it-it.facebook.com" belongs to "facebook.com"."""
    for domain in domains:
        if host == domain or host.endswith("." + domain):
            return domain
    return None


def _read_urls(record: SourceRecord, artist: ArtistRecord, urls: list[str]) -> None:
    for raw in urls:
        url = raw.strip()
        parts = urlsplit(url if "://" in url else "https://" + url)
        host = (parts.hostname or "").lower()
        platform_domain = _domain_of(host, _PLATFORM_DOMAINS)
        if platform_domain is not None:
            _add_handle(record, artist.ref, _PLATFORM_DOMAINS[platform_domain], url)
            continue
        link = _cross_link(host, parts.path)
        if link is not None and link not in artist.also_known_as:
            artist.also_known_as.append(link)


def _cross_link(host: str, path: str) -> Ref | None:
    for domain, pattern, namespace in _CROSS_LINKS:
        if _domain_of(host, (domain,)) is None:
            continue
        match = pattern.fullmatch(path)
        if match:
            value = unquote(match.group(1))
            # MBIDs are case-insensitive hex; slugs and Q-ids keep their case.
            if namespace == "musicbrainz":
                value = value.lower()
            return Ref(EntityKind.ARTIST, namespace, value)
    return None


def _add_handle(record: SourceRecord, ref: Ref, platform: Platform, url: str) -> None:
    try:
        handle = normalize_handle(platform, url)
    except InvalidHandle as err:
        record.problems.append(
            Problem(f"{SOURCE}:{record.record_id}", "invalid_handle", f"{err}; url skipped")
        )
        return
    kind = EvidenceKind.SOURCE_FIELD
    found = HandleRecord(
        ref, platform, handle, kind, EVIDENCE_CONFIDENCE[kind], note=HANDLE_NOTE, quote=url
    )
    if all((h.platform, h.handle) != (platform, handle) for h in record.handles):
        record.handles.append(found)
