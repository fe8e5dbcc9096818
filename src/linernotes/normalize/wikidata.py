"""Wikidata entities -> source records: an artist with its cross-links to other sources and handles.

Wikidata is the hub of hard keys: one item lists the same person's MusicBrainz, Discogs, Spotify and
Genius ids, so an artist known to several sources becomes one artist by those ids alone. Statements
ranked "deprecated" are known to be wrong and are skipped; "preferred" ones come first.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, cast
from urllib.parse import quote

from linernotes.normalize.handles import (
    EVIDENCE_CONFIDENCE,
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
from linernotes.sources.wikidata_types import WikidataEntity, WikidataStatement, WikidataTerm

SOURCE = "wikidata"
_QID = re.compile(r"Q[1-9][0-9]*")


@dataclass(frozen=True, slots=True)
class IdProperty:
    """A Wikidata property whose values are another source's ids for the same artist."""

    namespace: str
    pattern: re.Pattern[str]  # what a valid value looks like; anything else is a Problem
    label: str


# Only ids of the artist itself: never grouping ids, because also_known_as merges entities.
ID_PROPERTIES: Mapping[str, IdProperty] = {
    "P434": IdProperty(
        "musicbrainz",
        re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"),
        "MusicBrainz artist ID",
    ),
    "P1953": IdProperty("discogs", re.compile(r"[1-9][0-9]*"), "Discogs artist ID"),
    "P1902": IdProperty("spotify", re.compile(r"[0-9A-Za-z]{22}"), "Spotify artist ID"),
    # The slug of the Genius artist page (genius.com/artists/<slug>), kept with its case.
    "P2373": IdProperty("genius_slug", re.compile(r"[^\s/?#]+"), "Genius artist ID"),
    "P6351": IdProperty("genius", re.compile(r"[1-9][0-9]*"), "Genius artist numeric ID"),
    "P2850": IdProperty("apple_music", re.compile(r"[1-9][0-9]*"), "Apple Music artist ID"),
    "P2397": IdProperty("youtube", re.compile(r"UC[0-9A-Za-z_-]{22}"), "YouTube channel ID"),
}

HANDLE_PROPERTIES: Mapping[str, Platform] = {
    "P2003": Platform.INSTAGRAM,  # Instagram username
    "P2002": Platform.TWITTER,  # X (Twitter) username
    "P2013": Platform.FACEBOOK,  # Facebook username or id
}

INSTANCE_OF = "P31"
BIRTH_NAME = "P1477"
IMAGE = "P18"
END_TIME = "P582"  # a qualifier: the statement stopped being true (an abandoned account)

# P31 classes that tell a person from a group; anything else (a fictional character, a
# project) stays UNKNOWN rather than guessed.
KIND_BY_CLASS: Mapping[str, ArtistKind] = {
    "Q5": ArtistKind.PERSON,  # human
    "Q215380": ArtistKind.GROUP,  # musical group
    "Q5741069": ArtistKind.GROUP,  # rock band
    "Q9212979": ArtistKind.GROUP,  # musical duo
    "Q2088357": ArtistKind.GROUP,  # musical ensemble
    "Q641066": ArtistKind.GROUP,  # girl group
    "Q216337": ArtistKind.GROUP,  # boy band
}

_RANK_ORDER = {"preferred": 0, "normal": 1}
_COMMONS_FILE = "https://commons.wikimedia.org/wiki/Special:FilePath/"


def entity_ref(qid: str) -> Ref:
    return Ref(EntityKind.ARTIST, SOURCE, qid)


def unwrap_entity(payload: Mapping[str, Any], qid: str | None = None) -> WikidataEntity:
    """Accept the Special:EntityData envelope ({"entities": {Q: ...}}) or a bare entity."""
    entities = payload.get("entities")
    if isinstance(entities, dict):
        if qid is None and len(entities) == 1:
            qid = next(iter(entities))
        payload = entities.get(qid or "") or {}
    entity = cast(WikidataEntity, payload)
    if not isinstance(entity.get("id"), str) or not _QID.fullmatch(entity.get("id", "")):
        raise PayloadError("not a Wikidata item: no entity with a Q-id")
    return entity


def parse_entity(
    payload: Mapping[str, Any], retrieved_at: str | None = None, qid: str | None = None
) -> SourceRecord:
    """One artist record; `retrieved_at` defaults to the entity's last edit time."""
    entity = unwrap_entity(payload, qid)
    q = entity["id"]
    record = SourceRecord(SOURCE, f"entities/{q}", retrieved_at or entity.get("modified", ""))
    ref = entity_ref(q)
    record.artists.append(
        ArtistRecord(
            ref,
            _require_name(entity),
            kind=artist_kind(entity),
            disambiguation=_english(entity.get("descriptions") or {}),
            also_known_as=_cross_links(entity, record),
            aliases=_aliases(entity),
            image_url=_image_url(entity),
        )
    )
    for prop, platform in HANDLE_PROPERTIES.items():
        for statement in statements(entity, prop):
            if _ended(statement):
                continue
            _add_handle(record, ref, platform, prop, _string_value(statement))
    return record


def statements(entity: WikidataEntity, prop: str) -> list[WikidataStatement]:
    """A property's usable statements: deprecated ones dropped, preferred ones first."""
    found = [
        s
        for s in (entity.get("claims") or {}).get(prop, [])
        if s.get("rank") in _RANK_ORDER and s.get("mainsnak", {}).get("snaktype") == "value"
    ]
    return sorted(found, key=lambda s: _RANK_ORDER[s.get("rank", "normal")])


def artist_kind(entity: WikidataEntity) -> ArtistKind:
    for statement in statements(entity, INSTANCE_OF):
        value = _value(statement)
        kind = KIND_BY_CLASS.get(value.get("id", "")) if isinstance(value, dict) else None
        if kind is not None:
            return kind
    return ArtistKind.UNKNOWN


def _require_name(entity: WikidataEntity) -> str:
    labels = entity.get("labels") or {}
    name = _english(labels) or next((t["value"] for t in labels.values() if t.get("value")), None)
    if not name:
        raise PayloadError(f"{entity.get('id')} has no label in any language")
    return name


def _english(terms: Mapping[str, WikidataTerm]) -> str | None:
    """English first, then a regional English, then the language-neutral "mul" label."""
    for language in ("en", *sorted(k for k in terms if k.startswith("en-")), "mul"):
        term = terms.get(language)
        if term and term.get("value"):
            return term["value"]
    return None


def _aliases(entity: WikidataEntity) -> list[Alias]:
    """English aliases plus the birth name; a birth name also listed as an alias is one name."""
    by_name = {t["value"]: Alias(t["value"]) for t in (entity.get("aliases") or {}).get("en", [])}
    for statement in statements(entity, BIRTH_NAME):
        value = _value(statement)
        if isinstance(value, dict) and value.get("text"):
            by_name[str(value["text"])] = Alias(str(value["text"]), "legal")
    return list(by_name.values())


def _cross_links(entity: WikidataEntity, record: SourceRecord) -> list[Ref]:
    links: list[Ref] = []
    for prop, id_property in ID_PROPERTIES.items():
        for statement in statements(entity, prop):
            value = _string_value(statement)
            if id_property.pattern.fullmatch(value):
                links.append(Ref(EntityKind.ARTIST, id_property.namespace, value))
            else:
                record.problems.append(
                    Problem(
                        _locator(record),
                        "invalid_id",
                        f"{prop} ({id_property.label}) value {value!r} is not a valid id; skipped",
                    )
                )
    return list(dict.fromkeys(links))  # a value stated twice is one link


def _add_handle(record: SourceRecord, ref: Ref, platform: Platform, prop: str, raw: str) -> None:
    try:
        handle = normalize_handle(platform, raw)
    except InvalidHandle as err:
        record.problems.append(Problem(_locator(record), "invalid_handle", f"{prop}: {err}"))
        return
    kind = EvidenceKind.WIKIDATA
    record.handles.append(
        HandleRecord(
            ref,
            platform,
            handle,
            kind,
            EVIDENCE_CONFIDENCE[kind],
            note=f"Wikidata {prop}",
            quote=raw,
        )
    )


def _image_url(entity: WikidataEntity) -> str | None:
    for statement in statements(entity, IMAGE):
        name = _string_value(statement)
        if name:
            return _COMMONS_FILE + quote(name.replace(" ", "_"))
    return None


def _ended(statement: WikidataStatement) -> bool:
    return bool((statement.get("qualifiers") or {}).get(END_TIME))


def _value(statement: WikidataStatement) -> Any:
    return statement.get("mainsnak", {}).get("datavalue", {}).get("value")


def _string_value(statement: WikidataStatement) -> str:
    value = _value(statement)
    return value.strip() if isinstance(value, str) else ""


def _locator(record: SourceRecord) -> str:
    return f"{SOURCE}:{record.record_id}"
