"""MusicBrainz ws/2 JSON -> source records. Pure functions, tested with real recorded responses.

One parser per entity (recording, release, release group, artist); the JSON dumps hold the same
documents one per line, so `sources.musicbrainz_dump` reuses these. Credits come from three places:
the artist credit ("Drake feat. Rihanna": main and featured artists), artist relationships
(producer, mix, instrument + attributes, mapped by `map_musicbrainz`), and the relationships of
the works a recording performs (composer, lyricist, writer), which we credit on the recording
with the raw role prefixed "work:" so the source's wording shows where the credit came from.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, cast
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
    CreditRecord,
    EntityKind,
    FactRecord,
    HandleRecord,
    PayloadError,
    Problem,
    RecordingRecord,
    Ref,
    ReleaseKind,
    ReleaseRecord,
    SourceRecord,
    require_text,
)
from linernotes.normalize.role_maps import RoleMapping
from linernotes.normalize.role_maps import map_musicbrainz as _map_musicbrainz
from linernotes.normalize.roles import loose_key
from linernotes.sources import musicbrainz_types as mbt

SOURCE = "musicbrainz"
RELEASE_GROUP_FACT = "musicbrainz_release_group"
LABEL_NAMESPACE = "musicbrainz_label"  # a label's MBID, kept as the org of a label fact
PLACE_NAMESPACE = "musicbrainz_place"

_MBID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
_ISRC = re.compile(r"[A-Z]{2}[A-Z0-9]{3}[0-9]{7}")
_GTIN = re.compile(r"[0-9]{12,13}")  # UPC-A or EAN-13
_NOT_WORD = re.compile(r"\W+")
_MEDIUM_SCOPE = re.compile(r"medium [0-9]+")  # a release credit that covers one disc
# "A feat. B", "A (featuring B)", "A ft. B": the artists after the phrase are featured.
_FEATURING = re.compile(r"(?:^|[\s(\[])(?:feat\.?|ft\.?|featuring)(?:$|[\s)\]])", re.IGNORECASE)

# Special-purpose artists (https://musicbrainz.org/doc/Style/Unknown_and_untitled/
# Special_purpose_artist) stand for "nobody in particular": crediting them would build one
# "person" with millions of credits, so they are left out.
SPECIAL_PURPOSE_ARTISTS = frozenset(
    {
        "89ad4ac3-39f7-470e-963a-56509c546377",  # Various Artists
        "125ec42a-7229-4250-afc5-e057484327fe",  # [unknown]
        "f731ccc4-e22a-43af-a747-64213329e088",  # [anonymous]
        "33cf029c-63b0-41a0-9855-be2a3665fb3b",  # [data]
        "314e1c25-dde7-4e4d-b2f4-0a7b9f7c56dc",  # [dialogue]
        "eec63d3c-3b81-4ad4-b1e4-7c147d4d2b61",  # [no artist]
        "9be7f096-97ec-4615-8957-8d40b5dcbc41",  # [traditional]
    }
)
NO_LABEL = "157afde4-4bf5-4039-8ad2-5a15acc85176"  # "[no label]": self-released, not a company

_PERSON, _GROUP = ArtistKind.PERSON, ArtistKind.GROUP
ARTIST_KINDS: Mapping[str, ArtistKind] = {
    "person": _PERSON, "group": _GROUP, "orchestra": _GROUP, "choir": _GROUP
}  # fmt: skip
# Alias types that are not plain aliases. A search hint is a misspelling users type, not a name
# the artist goes by, so it is only an alternate way of writing the name.
ALIAS_KINDS: Mapping[str, str] = {"legal name": "legal", "search hint": "alternate"}
PRIMARY_TYPES: Mapping[str, ReleaseKind] = {
    "album": ReleaseKind.ALBUM, "single": ReleaseKind.SINGLE, "ep": ReleaseKind.EP
}  # fmt: skip
# Secondary types that say more than the primary type, in order of precedence.
SECONDARY_TYPES: tuple[tuple[str, ReleaseKind], ...] = (
    ("mixtape/street", ReleaseKind.MIXTAPE),
    ("compilation", ReleaseKind.COMPILATION),
    ("dj-mix", ReleaseKind.COMPILATION),  # other people's recordings, mixed together
)
PSEUDO_RELEASE = "a MusicBrainz pseudo-release (a translated or transliterated tracklist)"

# Recording -> work links whose work credits belong on the recording. Only performances: a
# recording that merely samples or quotes a work was not composed by the work's composer.
WORK_LINK_TYPES = frozenset({"performance"})
# An instrumental performance has no words, so the work's word-writers are not credited on it.
NOT_ON_INSTRUMENTALS = frozenset({"lyricist", "librettist", "translator"})
# url relationship types whose social-network links are the artist's own accounts ("fanpage"
# links are someone else's).
HANDLE_LINK_TYPES = frozenset({"social network", "official homepage"})


def artist_ref(mbid: str) -> Ref:
    return Ref(EntityKind.ARTIST, SOURCE, mbid)


def recording_ref(mbid: str) -> Ref:
    return Ref(EntityKind.RECORDING, SOURCE, mbid)


def release_ref(mbid: str) -> Ref:
    return Ref(EntityKind.RELEASE, SOURCE, mbid)


@lru_cache(maxsize=4096)
def _mapped(rel_type: str, attributes: tuple[str, ...]) -> RoleMapping:
    return _map_musicbrainz(rel_type, attributes)


def map_musicbrainz(rel_type: str, attributes: Sequence[str]) -> RoleMapping:
    """`role_maps.map_musicbrainz`, remembered: a dump repeats a few hundred (type, attributes)
    pairs millions of times."""
    return _mapped(rel_type, tuple(attributes))


# -- ids in URLs -----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _UrlId:
    hosts: frozenset[str]
    path: re.Pattern[str]  # full match on the URL path; group 1 is the id
    kind: EntityKind
    namespace: str


def _url_id(hosts: str, path: str, kind: EntityKind, namespace: str) -> _UrlId:
    return _UrlId(frozenset(hosts.split()), re.compile(path), kind, namespace)


_DISCOGS = "discogs.com www.discogs.com"
_SPOTIFY = "open.spotify.com"
_APPLE = "music.apple.com itunes.apple.com"
_A, _RL, _RC = EntityKind.ARTIST, EntityKind.RELEASE, EntityKind.RECORDING
# Links to other databases that name the same entity. Grouping pages (a Discogs master, a
# Wikidata item for an album) name a group of releases, so they are not listed.
URL_IDS: tuple[_UrlId, ...] = (
    _url_id(_DISCOGS, r"/(?:[a-z]{2}/)?artist/([0-9]+)(?:-[^/]*)?", _A, "discogs"),
    _url_id(_DISCOGS, r"/(?:[a-z]{2}/)?release/([0-9]+)(?:-[^/]*)?", _RL, "discogs"),
    _url_id("www.wikidata.org wikidata.org", r"/wiki/(Q[0-9]+)", _A, "wikidata"),
    _url_id("genius.com", r"/artists/([^/]+)", _A, "genius_slug"),
    _url_id(_SPOTIFY, r"(?:/intl-[a-z-]+)?/artist/([A-Za-z0-9]{22})", _A, "spotify"),
    _url_id(_SPOTIFY, r"(?:/intl-[a-z-]+)?/album/([A-Za-z0-9]{22})", _RL, "spotify"),
    _url_id(_SPOTIFY, r"(?:/intl-[a-z-]+)?/track/([A-Za-z0-9]{22})", _RC, "spotify"),
    _url_id(_APPLE, r"/[a-z]{2}/artist/(?:[^/]+/)?(?:id)?([0-9]+)", _A, "apple_music"),
    _url_id(_APPLE, r"/[a-z]{2}/album/(?:[^/]+/)?(?:id)?([0-9]+)", _RL, "apple_music"),
    _url_id(_APPLE, r"/[a-z]{2}/song/(?:[^/]+/)?(?:id)?([0-9]+)", _RC, "apple_music"),
)


def ref_from_url(url: str, kind: EntityKind) -> Ref | None:
    """The id a URL names for an entity of `kind` ("https://www.discogs.com/artist/15885")."""
    parts = urlsplit(url.strip())
    host = (parts.hostname or "").lower()
    path = parts.path.rstrip("/")
    for entry in URL_IDS:
        if entry.kind is kind and host in entry.hosts:
            found = entry.path.fullmatch(path)
            if found:
                return Ref(kind, entry.namespace, unquote(found.group(1)))
    return None


def _platform_of(url: str) -> Platform | None:
    host = (urlsplit(url.strip()).hostname or "").lower()
    return next((p for p, rules in RULES.items() if host in rules.hosts), None)


def _url_relations(relations: Iterable[mbt.MbRelation]) -> Iterable[tuple[str, str]]:
    """(type, URL) of each current url relationship; an ended one no longer points to them."""
    for rel in relations:
        url = (rel.get("url") or {}).get("resource")
        if rel.get("target-type") == "url" and url and not rel.get("ended"):
            yield rel.get("type") or "", url


# -- small values ----------------------------------------------------------------------------


def _text(value: object) -> str | None:
    return value.strip() or None if isinstance(value, str) else None


def _mbid(value: object, what: str) -> str:
    if isinstance(value, str) and _MBID.fullmatch(value):
        return value
    raise PayloadError(f"{what} has no usable MBID (got {value!r:.80})")


def _gtin_ok(digits: str) -> bool:
    """GS1 check digit: weights 3,1,3,... from the right, excluding the check digit."""
    body = [int(d) for d in reversed(digits[:-1])]
    total = sum(d * (3 if i % 2 == 0 else 1) for i, d in enumerate(body))
    return (10 - total % 10) % 10 == int(digits[-1])


def upc_of(barcode: object) -> str | None:
    """A 12/13-digit barcode with a valid check digit, else None (MusicBrainz allows any text)."""
    text = _text(barcode)
    if text and _GTIN.fullmatch(text) and _gtin_ok(text):
        return text
    return None


def release_kind(group: mbt.MbReleaseGroup | None) -> ReleaseKind:
    if not group:
        return ReleaseKind.UNKNOWN
    secondary = {loose_key(t) for t in group.get("secondary-types") or []}
    for name, kind in SECONDARY_TYPES:
        if loose_key(name) in secondary:
            return kind
    return PRIMARY_TYPES.get((group.get("primary-type") or "").casefold(), ReleaseKind.UNKNOWN)


# -- the builder: one source record, its artists, credits and problems -----------------------


@dataclass(frozen=True, slots=True)
class _Track:
    """Where a recording sits on a release, and what the track itself says."""

    release: Ref
    position: int  # running order across all media, from 1
    label: str  # "A1", "3", or "2-3" when the release has several media
    data: mbt.MbTrack  # its title and length stand in for the recording's; its credit is printed


class _Builder:
    def __init__(self, record: SourceRecord) -> None:
        self.record = record
        self.artists: dict[str, ArtistRecord] = {}
        self.credit_keys: set[tuple[Ref, Ref, str, str, str]] = set()

    def finish(self) -> SourceRecord:
        self.record.artists.extend(self.artists.values())
        return self.record

    def problem(self, kind: str, message: str) -> None:
        locator = f"{SOURCE}:{self.record.record_id}"
        self.record.problems.append(Problem(locator, kind, message))

    # artists

    def artist(self, mb: mbt.MbArtist | None, what: str) -> Ref | None:
        """The artist's ref, recording the artist; None for special-purpose or broken ones."""
        mbid, name = (mb or {}).get("id"), (mb or {}).get("name")
        if not isinstance(mbid, str) or not _MBID.fullmatch(mbid) or not name:
            self.problem("bad_artist", f"{what} names an artist without MBID or name; skipped")
            return None
        if mbid in SPECIAL_PURPOSE_ARTISTS:
            return None
        found = self.artists.get(mbid)
        if found is None:
            self.artists[mbid] = artist_record(cast(mbt.MbArtist, mb))
        else:
            _fill(found, cast(mbt.MbArtist, mb))
        return artist_ref(mbid)

    # credits

    def credit(
        self,
        artist: Ref,
        subject: Ref,
        role: str,
        raw: str,
        credited_name: str,
        detail: str = "",
        tracks: str = "",
    ) -> None:
        key = (artist, subject, role, detail, tracks)
        if key in self.credit_keys:
            return  # the same fact stated twice (a composer of several works in a medley)
        self.credit_keys.add(key)
        position = len(self.record.credits)
        credit = CreditRecord(artist, subject, role, raw, credited_name, detail, tracks, position)
        self.record.credits.append(credit)

    def artist_credit(self, subject: Ref, credits: Sequence[mbt.MbArtistCredit]) -> None:
        """Main artists in order; everyone after a "feat." join phrase is featured."""
        role, raw = "main_artist", "artist-credit"
        for credit in credits:
            ref = self.artist(credit.get("artist"), f"artist credit {credit.get('name')!r}")
            if ref is not None:
                name = credit.get("name") or credit.get("artist", {}).get("name", "")
                self.credit(ref, subject, role, raw, name)
            joinphrase = credit.get("joinphrase") or ""
            if _FEATURING.search(joinphrase):
                role, raw = "featured_artist", joinphrase.strip()

    def relations(self, subject: Ref, relations: Sequence[mbt.MbRelation]) -> None:
        for rel in relations:
            handler = _RELATION_HANDLERS.get(rel.get("target-type") or "")
            if handler is not None:
                handler(self, subject, rel)

    def artist_relation(
        self,
        subject: Ref,
        rel: mbt.MbRelation,
        prefix: str = "",
        skip: frozenset[str] = frozenset(),
    ) -> None:
        """An artist relationship seen from the subject: the artist did `type` on it."""
        rel_type, attributes = rel.get("type") or "", rel.get("attributes") or []
        mapping = map_musicbrainz(rel_type, attributes)
        raw = prefix + mapping.raw
        if rel.get("direction") != "backward":
            # Seen from a recording, release or work the artist is always the relationship's
            # source; "forward" would mean the subject did something to the artist.
            self.problem("unexpected_direction", f"{raw!r} points away from the artist; skipped")
            return
        mb = rel.get("artist") or {}
        credited = rel.get("target-credit") or mb.get("name") or ""
        if mapping.is_fact:
            org = artist_ref(mb["id"]) if mb.get("id") else None
            fact = FactRecord(subject, cast(str, mapping.fact), credited, raw, org)
            self.record.facts.append(fact)
            return
        if mapping.role in skip:
            return
        ref = self.artist(mb, f"relationship {raw!r}")
        if ref is None:
            return
        if mapping.is_unmapped:
            self.problem("unknown_role", f"MusicBrainz role {raw!r} is not in our table; kept")
        detail, tracks = _detail_and_scope(rel, mapping)
        self.credit(ref, subject, cast(str, mapping.role), raw, credited, detail, tracks)

    def work_relation(self, subject: Ref, rel: mbt.MbRelation) -> None:
        """The work's writers, credited on the recording that performs it."""
        if (rel.get("type") or "") not in WORK_LINK_TYPES:
            return
        instrumental = "instrumental" in (rel.get("attributes") or [])
        skip = NOT_ON_INSTRUMENTALS if instrumental else frozenset()
        for work_rel in (rel.get("work") or {}).get("relations") or []:
            target = work_rel.get("target-type")
            if target == "artist":
                self.artist_relation(subject, work_rel, "work:", skip)
            elif target in ("label", "place"):
                self.org_relation(subject, work_rel, "work:")

    def org_relation(self, subject: Ref, rel: mbt.MbRelation, prefix: str = "") -> None:
        """A label or place relationship: a company or studio, so a fact, not a credit."""
        target = rel.get("target-type") or ""
        org = rel.get("label") if target == "label" else rel.get("place")
        name = rel.get("target-credit") or (org or {}).get("name")
        if not org or not name:
            return
        mapping = map_musicbrainz(rel.get("type") or "", rel.get("attributes") or [])
        # Company roles our table lacks ("licensor", "marketed") are still facts, named as typed.
        kind = mapping.fact or _NOT_WORD.sub("_", (rel.get("type") or "").casefold()).strip("_")
        namespace = LABEL_NAMESPACE if target == "label" else PLACE_NAMESPACE
        org_ref = Ref(EntityKind.ARTIST, namespace, org["id"]) if org.get("id") else None
        self.record.facts.append(FactRecord(subject, kind, name, prefix + mapping.raw, org_ref))

    # recordings

    def recording(self, mb: mbt.MbRecording, track: _Track | None = None) -> None:
        """A recording, its ids, artists and credits; `track` places it on a release."""
        ref = recording_ref(_mbid(mb.get("id"), "recording"))
        self.record.recordings.append(
            RecordingRecord(
                ref,
                require_text(
                    mb.get("title") or (track and track.data.get("title")), "recording title"
                ),
                date=_text(mb.get("first-release-date")),
                duration_ms=mb.get("length") or (track.data.get("length") if track else None),
                also_known_as=[*self.isrcs(mb.get("isrcs") or []), *self.url_ids(mb, _RC)],
                release=track.release if track else None,
                track_position=track.position if track else None,
                track_label=track.label if track else None,
            )
        )
        # On a release, the track's credit is the name as printed there.
        credits = (track.data.get("artist-credit") if track else None) or mb.get("artist-credit")
        self.artist_credit(ref, credits or [])
        self.relations(ref, mb.get("relations") or [])

    def isrcs(self, values: Iterable[str]) -> list[Ref]:
        refs: list[Ref] = []
        for value in values:
            isrc = value.strip().replace("-", "").upper()
            if not _ISRC.fullmatch(isrc):
                self.problem("bad_isrc", f"ISRC {value!r} is not 12 letters and digits; skipped")
            elif (ref := Ref(EntityKind.RECORDING, "isrc", isrc)) not in refs:
                refs.append(ref)
        return refs

    def url_ids(self, entity: Mapping[str, Any], kind: EntityKind) -> list[Ref]:
        refs: list[Ref] = []
        for _, url in _url_relations(entity.get("relations") or []):
            ref = ref_from_url(url, kind)
            if ref is not None and ref not in refs:
                refs.append(ref)
        return refs


_RELATION_HANDLERS: Mapping[str, Callable[[_Builder, Ref, mbt.MbRelation], None]] = {
    "artist": _Builder.artist_relation,
    "work": _Builder.work_relation,
    "label": _Builder.org_relation,
    "place": _Builder.org_relation,
}


def _detail_and_scope(rel: mbt.MbRelation, mapping: RoleMapping) -> tuple[str, str]:
    """The detail in the release's own words ("acoustic guitar" for the attribute "guitar
    family"), and a "medium 2" attribute moved to the credit's track scope."""
    attributes = rel.get("attributes") or []
    credited = rel.get("attribute-credits") or {}
    scope = [a for a in attributes if _MEDIUM_SCOPE.fullmatch(a)]
    if not credited and not scope:
        return mapping.detail or "", ""
    rel_type = rel.get("type") or ""
    base_role = map_musicbrainz(rel_type, []).role
    kept = [
        credited.get(a) or a
        for a in attributes
        if a not in scope and map_musicbrainz(rel_type, [a]).role == base_role
    ]
    return map_musicbrainz(rel_type, kept).detail or "", ", ".join(scope)


def artist_record(mb: mbt.MbArtist) -> ArtistRecord:
    return ArtistRecord(
        artist_ref(mb["id"]),
        mb.get("name") or "",
        kind=ARTIST_KINDS.get((mb.get("type") or "").casefold(), ArtistKind.UNKNOWN),
        sort_name=_text(mb.get("sort-name")),
        disambiguation=_text(mb.get("disambiguation")),
        aliases=_aliases(mb),
    )


def _aliases(mb: mbt.MbArtist) -> list[Alias]:
    seen: dict[Alias, None] = {}  # ordered and O(1): Tchaikovsky has 90 aliases
    for alias in mb.get("aliases") or []:
        name = _text(alias.get("name"))
        if name and name != mb.get("name"):
            seen[Alias(name, ALIAS_KINDS.get((alias.get("type") or "").casefold(), "alias"))] = None
    return list(seen)


def _fill(known: ArtistRecord, mb: mbt.MbArtist) -> None:
    """The same artist seen again, perhaps with more fields: fill what was missing."""
    if known.kind is ArtistKind.UNKNOWN and mb.get("type"):
        known.kind = ARTIST_KINDS.get((mb.get("type") or "").casefold(), ArtistKind.UNKNOWN)
    known.sort_name = known.sort_name or _text(mb.get("sort-name"))
    known.disambiguation = known.disambiguation or _text(mb.get("disambiguation"))
    if not known.aliases and mb.get("aliases"):
        known.aliases = _aliases(mb)


# -- recordings ------------------------------------------------------------------------------


def parse_recording(payload: Mapping[str, Any], retrieved_at: str) -> SourceRecord:
    """A recording lookup (inc=artist-credits+isrcs+artist-rels+work-rels+work-level-rels)."""
    recording = cast(mbt.MbRecording, mbt.ws2_shape(payload))
    mbid = _mbid(recording.get("id"), "recording")
    builder = _Builder(SourceRecord(SOURCE, f"recordings/{mbid}", retrieved_at))
    builder.recording(recording)
    return builder.finish()


# -- releases --------------------------------------------------------------------------------


def parse_release(payload: Mapping[str, Any], retrieved_at: str) -> SourceRecord:
    """A release lookup (inc=recordings+artist-credits+labels+release-groups+*-rels)."""
    release = cast(mbt.MbRelease, mbt.ws2_shape(payload))
    mbid = _mbid(release.get("id"), "release")
    builder = _Builder(SourceRecord(SOURCE, f"releases/{mbid}", retrieved_at))
    ref = release_ref(mbid)
    group = release.get("release-group")
    upc = upc_of(release.get("barcode"))
    builder.record.releases.append(
        ReleaseRecord(
            ref,
            require_text(release.get("title"), "release title"),
            kind=release_kind(group),
            date=_text(release.get("date")),
            also_known_as=[*_upc_refs(upc), *builder.url_ids(release, _RL)],
            pseudo_reason=_pseudo_reason(release),
        )
    )
    if group and group.get("id"):
        builder.record.facts.append(
            FactRecord(ref, RELEASE_GROUP_FACT, group["id"], "release-group")
        )
    _label_facts(builder, ref, release.get("label-info") or [])
    builder.artist_credit(ref, release.get("artist-credit") or [])
    builder.relations(ref, release.get("relations") or [])
    _tracks(builder, ref, release.get("media") or [])
    return builder.finish()


def _upc_refs(upc: str | None) -> list[Ref]:
    return [Ref(EntityKind.RELEASE, "upc", upc)] if upc else []


def _pseudo_reason(release: mbt.MbRelease) -> str | None:
    return PSEUDO_RELEASE if release.get("status") == "Pseudo-Release" else None


def _label_facts(builder: _Builder, ref: Ref, infos: Sequence[mbt.MbLabelInfo]) -> None:
    for info in infos:
        label = info.get("label") or {}
        if not label.get("name") or label.get("id") == NO_LABEL:
            continue
        org = Ref(EntityKind.ARTIST, LABEL_NAMESPACE, label["id"]) if label.get("id") else None
        builder.record.facts.append(FactRecord(ref, "label", label["name"], "label-info", org))
        number = _text(info.get("catalog-number"))
        if number and number.casefold() != "[none]":
            fact = FactRecord(ref, "catalog_number", number, "catalog-number", org)
            builder.record.facts.append(fact)


def _medium_tracks(medium: mbt.MbMedium) -> list[mbt.MbTrack]:
    """Hidden pregap track first, then the tracks, then data tracks: the order on the disc."""
    pregap = [medium["pregap"]] if medium.get("pregap") else []
    return [*pregap, *medium.get("tracks", []), *medium.get("data-tracks", [])]


def _tracks(builder: _Builder, release: Ref, media: Sequence[mbt.MbMedium]) -> None:
    several = len(media) > 1
    position = 0
    for medium in media:
        for track in _medium_tracks(medium):
            position += 1
            number = track.get("number") or str(track.get("position") or position)
            label = f"{medium.get('position', '?')}-{number}" if several else number
            if not track.get("recording"):
                builder.problem("bad_track", f"track {label} has no recording; skipped")
                continue
            try:
                builder.recording(track["recording"], _Track(release, position, label, track))
            except PayloadError as err:  # one bad track, not a bad release
                builder.problem("bad_track", f"track {label}: {err}; skipped")


# -- release groups --------------------------------------------------------------------------


def parse_release_group(payload: Mapping[str, Any], retrieved_at: str) -> SourceRecord:
    """A release group with its releases (inc=releases): each release, tied to the group."""
    group = cast(mbt.MbReleaseGroup, mbt.ws2_shape(payload))
    mbid = _mbid(group.get("id"), "release group")
    builder = _Builder(SourceRecord(SOURCE, f"release-groups/{mbid}", retrieved_at))
    releases = group.get("releases") or []
    shared = _shared_barcodes(releases)
    for barcode, count in shared.items():
        builder.problem(
            "shared_barcode",
            f"barcode {barcode} is on {count} releases of this group; not used as an id",
        )
    for release in releases:
        _group_release(builder, group, release, shared)
    return builder.finish()


def _group_release(
    builder: _Builder, group: mbt.MbReleaseGroup, release: mbt.MbRelease, shared: Mapping[str, int]
) -> None:
    title = _text(release.get("title"))
    if not title or not isinstance(release.get("id"), str):
        builder.problem("bad_release", "a release of the group lacks an id or title; skipped")
        return
    ref = release_ref(_mbid(release["id"], "release"))
    upc = upc_of(release.get("barcode"))
    builder.record.releases.append(
        ReleaseRecord(
            ref,
            title,
            kind=release_kind(group),
            date=_text(release.get("date")),
            also_known_as=_upc_refs(upc if upc not in shared else None),
            pseudo_reason=_pseudo_reason(release),
        )
    )
    fact = FactRecord(ref, RELEASE_GROUP_FACT, group.get("id", ""), "release-group")
    builder.record.facts.append(fact)


def _shared_barcodes(releases: Sequence[mbt.MbRelease]) -> dict[str, int]:
    """Barcodes printed on several releases (reissues reuse them): ids of none of them."""
    counts: dict[str, int] = {}
    for release in releases:
        upc = upc_of(release.get("barcode"))
        if upc:
            counts[upc] = counts.get(upc, 0) + 1
    return {upc: n for upc, n in counts.items() if n > 1}


# -- artists ---------------------------------------------------------------------------------


def parse_artist(payload: Mapping[str, Any], retrieved_at: str) -> SourceRecord:
    """An artist lookup (inc=aliases+url-rels): names, cross-links and social handles."""
    mb = cast(mbt.MbArtist, mbt.ws2_shape(payload))
    mbid = _mbid(mb.get("id"), "artist")
    require_text(mb.get("name"), "artist name")
    builder = _Builder(SourceRecord(SOURCE, f"artists/{mbid}", retrieved_at))
    artist = artist_record(mb)
    artist.also_known_as = builder.url_ids(mb, _A)
    builder.record.artists.append(artist)
    for rel_type, url in _url_relations(mb.get("relations") or []):
        if rel_type.casefold() in HANDLE_LINK_TYPES:
            _add_handle(builder, artist.ref, rel_type, url)
    return builder.record


def _add_handle(builder: _Builder, ref: Ref, rel_type: str, url: str) -> None:
    platform = _platform_of(url)
    if platform is None:
        return  # a homepage or a network we do not track
    try:
        handle = normalize_handle(platform, url)
    except InvalidHandle as err:
        builder.problem("invalid_handle", str(err))
        return
    if any(h.platform is platform and h.handle == handle for h in builder.record.handles):
        return  # twitter.com and x.com links to one account
    kind, note = EvidenceKind.SOURCE_FIELD, f"MusicBrainz url relationship {rel_type}"
    handle_record = HandleRecord(ref, platform, handle, kind, EVIDENCE_CONFIDENCE[kind], note, url)
    builder.record.handles.append(handle_record)


PARSERS: Mapping[str, Callable[[Mapping[str, Any], str], SourceRecord]] = {
    "artist": parse_artist,
    "recording": parse_recording,
    "release": parse_release,
    "release-group": parse_release_group,
}
