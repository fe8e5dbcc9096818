"""Genius payloads -> source records. Pure functions, tested with real recorded responses.

Two Genius sources: the live API (`source="genius"`: songs with producer/writer/featured artists
and free-text `custom_performances`; artists with social handles), and the 2017-18 snapshot
(`source="genius-2017"`: songs with id lists, artists, Spotify chart rows).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any, cast

from linernotes.normalize.dates import parse_display_date
from linernotes.normalize.fold import fold
from linernotes.normalize.handles import (
    EVIDENCE_CONFIDENCE,
    EvidenceKind,
    InvalidHandle,
    Platform,
    normalize_handle,
)
from linernotes.normalize.pseudo import pseudo_song_reason
from linernotes.normalize.records import (
    Alias,
    ArtistRecord,
    ChartEntryRecord,
    CreditRecord,
    EntityKind,
    FactRecord,
    HandleRecord,
    PayloadError,
    Problem,
    RecordingRecord,
    Ref,
    ReleaseRecord,
    SourceRecord,
    require_text,
)
from linernotes.normalize.role_maps import GENIUS_FIELD_ROLES, map_genius_label
from linernotes.sources.genius_types import (
    GeniusArtist,
    GeniusArtistRef,
    GeniusPerformance,
    GeniusSong,
    GeniusSongRelationship,
    SnapshotArtist,
    SnapshotChartEntry,
    SnapshotSong,
)

API = "genius"
SNAPSHOT = "genius-2017"
# The snapshot was taken in 2017-18; no finer date is known, so we say no more than the year.
SNAPSHOT_RETRIEVED = "2018"
# Genius albums have ids in the API but only titles in the snapshot. Both name the album's
# primary artist by Genius id, so (artist id, folded title) is a key both sides can compute.
ALBUM_KEY = "genius-album-key"


def artist_ref(genius_id: int | str) -> Ref:
    return Ref(EntityKind.ARTIST, API, str(genius_id))


def song_ref(genius_id: int | str) -> Ref:
    return Ref(EntityKind.RECORDING, API, str(genius_id))


def album_key(artist_id: int | str, title: str) -> Ref:
    return Ref(EntityKind.RELEASE, ALBUM_KEY, f"{artist_id}:{fold(title)}")


def unwrap(payload: Mapping[str, Any], kind: str) -> dict[str, Any]:
    """Accept both {"meta":..,"response":{kind: {...}}} and the bare object."""
    inner = payload.get("response", payload)
    if isinstance(inner, dict) and isinstance(inner.get(kind), dict):
        inner = inner[kind]
    if not isinstance(inner, dict) or "id" not in inner:
        raise PayloadError(f"not a Genius {kind}: no {kind} object with an id")
    return inner


# -- the live API --------------------------------------------------------------------------


def parse_api_song(payload: Mapping[str, Any], retrieved_at: str) -> SourceRecord:
    song = cast(GeniusSong, unwrap(payload, "song"))
    record = SourceRecord(API, f"songs/{song['id']}", retrieved_at)
    subject = song_ref(song["id"])
    primaries = song.get("primary_artists") or [require_artist(song.get("primary_artist"))]
    album = song.get("album")
    release = _api_release(album, primaries[0]) if album else None
    record.recordings.append(
        RecordingRecord(
            ref=subject,
            title=require_text(song.get("title"), "song title"),
            date=song.get("release_date")
            or parse_display_date(song.get("release_date_for_display")),
            also_known_as=_song_links(song),
            release=release.ref if release else None,
            pseudo_reason=pseudo_song_reason(song.get("title") or ""),
        )
    )
    if release:
        record.releases.append(release)
    artists: dict[int, GeniusArtistRef] = {}
    _field_credits(record, song, primaries, subject, artists)
    performance_credits(record, song.get("custom_performances") or [], subject, artists)
    record.artists.extend(artist_record(a) for a in artists.values())
    record.facts.extend(version_facts(subject, song.get("song_relationships") or []))
    return record


VERSION_FACT = "version:"  # fact kinds "version:remixed_by", "version:cover_of", ...


def version_facts(subject: Ref, relationships: list[GeniusSongRelationship]) -> list[FactRecord]:
    """Songs Genius says are another version of this one (a remix, a live take, a cover) or
    another song it borrows from: never the same recording, whatever their titles say (Mila J's
    "Fake Love" is a remix of Drake's). Kept as facts naming the other song's Genius id."""
    facts: list[FactRecord] = []
    for rel in relationships:
        kind = rel.get("relationship_type") or rel.get("type") or ""
        for other in rel.get("songs") or []:
            if kind and isinstance(other.get("id"), int):
                facts.append(
                    FactRecord(
                        subject,
                        f"{VERSION_FACT}{kind}",
                        other.get("full_title") or str(other["id"]),
                        kind,
                        org=song_ref(other["id"]),
                    )
                )
    return facts


def _api_release(album: Any, primary: GeniusArtistRef) -> ReleaseRecord:
    artist_id = (album.get("artist") or primary)["id"]
    title = require_text(album.get("name"), "album name")
    return ReleaseRecord(
        ref=Ref(EntityKind.RELEASE, API, str(album["id"])),
        title=title,
        date=parse_display_date(album.get("release_date_for_display")),
        also_known_as=[album_key(artist_id, title)],
    )


GENIUS_PAGE = "genius_page"  # a song page's path ("Bruno-mars-24k-magic-lyrics"): pasted links


def _song_links(song: GeniusSong) -> list[Ref]:
    links: list[Ref] = []
    page = (song.get("url") or "").rstrip("/").rsplit("/", 1)[-1]
    if page.endswith("-lyrics"):
        links.append(Ref(EntityKind.RECORDING, GENIUS_PAGE, page))
    for media in song.get("media") or []:
        uri = media.get("native_uri") or ""
        if media.get("provider") == "spotify" and uri.startswith("spotify:track:"):
            links.append(Ref(EntityKind.RECORDING, "spotify", uri.rsplit(":", 1)[1]))
    if song.get("apple_music_id"):
        links.append(Ref(EntityKind.RECORDING, "apple_music", str(song["apple_music_id"])))
    return links


def _field_credits(
    record: SourceRecord,
    song: GeniusSong,
    primaries: list[GeniusArtistRef],
    subject: Ref,
    artists: dict[int, GeniusArtistRef],
) -> None:
    lists: dict[str, list[GeniusArtistRef]] = {
        "primary_artist": primaries,
        "featured_artists": song.get("featured_artists") or [],
        "producer_artists": song.get("producer_artists") or [],
        "writer_artists": song.get("writer_artists") or [],
    }
    for field, people in lists.items():
        for position, person in enumerate(people):
            person = require_artist(person)
            artists[person["id"]] = person
            record.credits.append(
                CreditRecord(
                    artist_ref(person["id"]),
                    subject,
                    GENIUS_FIELD_ROLES[field],
                    field,
                    person.get("name", ""),
                    position=position,
                )
            )


def performance_credits(
    record: SourceRecord,
    performances: Iterable[GeniusPerformance],
    subject: Ref,
    artists: dict[int, GeniusArtistRef],
) -> None:
    """Credits (and record facts) from labelled groups of artists: a song's
    `custom_performances` or an album's `song_performances`."""
    for performance in performances:
        label = performance.get("label") or ""
        mapping = map_genius_label(label)
        for position, person in enumerate(performance.get("artists") or []):
            person = require_artist(person)
            if mapping.is_fact:
                record.facts.append(
                    FactRecord(
                        subject,
                        cast(str, mapping.fact),
                        person.get("name", ""),
                        label,
                        artist_ref(person["id"]),
                    )
                )
                continue
            artists[person["id"]] = person
            record.credits.append(
                CreditRecord(
                    artist_ref(person["id"]),
                    subject,
                    cast(str, mapping.role),
                    label,
                    person.get("name", ""),
                    detail=mapping.detail or "",
                    position=position,
                )
            )
        if mapping.is_unmapped:
            record.problems.append(
                Problem(
                    f"{API}:{record.record_id}",
                    "unknown_role",
                    f"Genius role {label!r} is not in our table; kept as written",
                )
            )


def artist_record(person: GeniusArtistRef) -> ArtistRecord:
    return ArtistRecord(
        artist_ref(person["id"]),
        person.get("name", ""),
        image_url=person.get("image_url"),
        also_known_as=slug_refs(person.get("url")),
    )


_SLUG = re.compile(r"^https?://(?:www\.)?genius\.com/artists/([^/?#]+)/?$")


def slug_refs(url: str | None) -> list[Ref]:
    """The artist's Genius URL slug ("Michael-jackson"): what Wikidata P2373 holds."""
    match = _SLUG.match(url or "")
    return [Ref(EntityKind.ARTIST, "genius_slug", match[1])] if match else []


HANDLE_FIELDS: dict[str, Platform] = {
    "instagram_name": Platform.INSTAGRAM,
    "twitter_name": Platform.TWITTER,
    "facebook_name": Platform.FACEBOOK,
}


def parse_api_artist(payload: Mapping[str, Any], retrieved_at: str) -> SourceRecord:
    artist = cast(GeniusArtist, unwrap(payload, "artist"))
    record = SourceRecord(API, f"artists/{artist['id']}", retrieved_at)
    ref = artist_ref(artist["id"])
    record.artists.append(
        ArtistRecord(
            ref,
            require_text(artist.get("name"), "artist name"),
            aliases=[Alias(n, "alternate") for n in artist.get("alternate_names") or [] if n],
            image_url=artist.get("image_url"),
            also_known_as=slug_refs(artist.get("url")),
        )
    )
    for field, platform in HANDLE_FIELDS.items():
        raw = cast(dict[str, Any], artist).get(field)
        if raw:
            _add_handle(record, ref, platform, str(raw), field)
    return record


def _add_handle(record: SourceRecord, ref: Ref, platform: Platform, raw: str, field: str) -> None:
    try:
        handle = normalize_handle(platform, raw)
    except InvalidHandle as err:
        record.problems.append(Problem(f"{API}:{record.record_id}", "invalid_handle", str(err)))
        return
    kind = EvidenceKind.SOURCE_FIELD
    record.handles.append(
        HandleRecord(
            ref,
            platform,
            handle,
            kind,
            EVIDENCE_CONFIDENCE[kind],
            note=f"Genius artist field {field}",
            quote=f'"{field}": "{raw}"',
        )
    )


# -- the 2017 snapshot ---------------------------------------------------------------------


def parse_snapshot_artist(row: Mapping[str, Any]) -> SourceRecord:
    artist = cast(SnapshotArtist, row)
    genius_id = _require_id(artist.get("id"), "artist")
    record = SourceRecord(SNAPSHOT, f"artists/{genius_id}", SNAPSHOT_RETRIEVED)
    record.artists.append(
        ArtistRecord(
            artist_ref(genius_id),
            require_text(artist.get("name"), "artist name"),
            image_url=artist.get("image_url"),
            also_known_as=slug_refs(artist.get("url")),
        )
    )
    return record


SNAPSHOT_CREDIT_FIELDS = (
    ("primary_artist_ids", "primary_artist"),
    ("producer_artist_ids", "producer_artists"),
    ("writer_artist_ids", "writer_artists"),
)


def parse_snapshot_song(row: Mapping[str, Any]) -> SourceRecord:
    song = cast(SnapshotSong, row)
    genius_id = _require_id(song.get("id"), "song")
    record = SourceRecord(SNAPSHOT, f"songs/{genius_id}", SNAPSHOT_RETRIEVED)
    subject = song_ref(genius_id)
    title = require_text(song.get("title"), "song title")
    album = song.get("album")
    primaries = _id_list(song, "primary_artist_ids")
    release = None
    if album and primaries:
        release = ReleaseRecord(album_key(primaries[0], album), album)
        record.releases.append(release)
    record.recordings.append(
        RecordingRecord(
            subject,
            title,
            date=parse_display_date(song.get("release_date_for_display")),
            release=release.ref if release else None,
            pseudo_reason=pseudo_song_reason(title),
        )
    )
    for field, role_field in SNAPSHOT_CREDIT_FIELDS:
        role = GENIUS_FIELD_ROLES[role_field]
        for position, person in enumerate(_id_list(song, field)):
            # The snapshot has no per-song names: the credited name is the artist's own.
            record.credits.append(
                CreditRecord(artist_ref(person), subject, role, field, "", position=position)
            )
    record.facts.extend(
        FactRecord(subject, "label", name.strip(), "label")
        for name in (song.get("label") or "").split(",")
        if name.strip()
    )
    return record


def parse_snapshot_chart_day(
    chart: str, date: str, rows: Iterable[SnapshotChartEntry]
) -> SourceRecord:
    record = SourceRecord(SNAPSHOT, f"charts/{chart}/{date}", SNAPSHOT_RETRIEVED)
    record.chart_entries.extend(
        ChartEntryRecord(
            chart, date, int(r["position"]), song_ref(r["song_id"]), streams=r.get("streams")
        )
        for r in rows
    )
    return record


# -- checks ---------------------------------------------------------------------------------


def _require_id(value: object, what: str) -> int:
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    if isinstance(value, str) and value.isdigit():
        return int(value)
    raise PayloadError(f"{what} has no usable id (got {value!r})")


def require_artist(value: object) -> GeniusArtistRef:
    if isinstance(value, dict) and "id" in value:
        _require_id(value["id"], "artist")
        return cast(GeniusArtistRef, value)
    raise PayloadError(f"expected an artist object with an id, got {value!r:.80}")


def _id_list(song: Mapping[str, Any], field: str) -> list[int]:
    value = song.get(field) or []
    if not isinstance(value, list):
        raise PayloadError(f"{field} should be a list of ids, got {value!r:.80}")
    return [_require_id(v, field) for v in value]
