"""The catalog's answers (store/views.py) as the API's JSON: plain dicts in the api_models shapes.

Sources are added only when asked for (`sources=True`); a key absent means "not asked", an empty
list means "asked, and none".
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from linernotes.labels import source_label
from linernotes.store.views import (
    CreditLine,
    Disagreement,
    EntitySummary,
    Evidence,
    FactLine,
    HandleView,
    SongRef,
    SourceNote,
)

PREFIX = "/api/v1"
_PATHS = {
    "artist": PREFIX + "/artists/{}",
    "release": PREFIX + "/releases/{}/credits",
    "recording": PREFIX + "/recordings/{}/credits",
}

Json = dict[str, Any]


def url(kind: str, entity_id: int) -> str:
    return _PATHS[kind].format(entity_id)


def entity(found: EntitySummary) -> Json:
    return {
        "kind": found.kind,
        "id": found.id,
        "name": found.name,
        "context": found.context,
        "matched": found.matched,
        "url": url(found.kind, found.id),
    }


def note(found: SourceNote) -> Json:
    return {
        "source": found.source,
        "source_label": source_label(found.source),
        "record_id": found.record_id,
        "raw": found.raw,
        "credited_name": found.credited_name,
        "retrieved_at": found.retrieved_at,
    }


def credit(line: CreditLine, sources: bool) -> Json:
    out: Json = {
        "role": line.role,
        "role_label": line.role_label,
        "family": line.family,
        "artist_id": line.artist_id,
        "name": line.name,
        "detail": line.detail,
        "tracks": line.tracks,
        "credited_as": line.credited_as,
    }
    if sources:
        out["sources"] = [note(n) for n in line.sources]
    return out


def credits(lines: Iterable[CreditLine], sources: bool) -> list[Json]:
    return [credit(line, sources) for line in lines]


def facts(lines: Iterable[FactLine], sources: bool) -> list[Json]:
    out: list[Json] = []
    for line in lines:
        fact: Json = {"kind": line.kind, "value": line.value}
        if sources:
            fact["sources"] = [note(n) for n in line.sources]
        out.append(fact)
    return out


def disagreements(found: Iterable[Disagreement]) -> list[Json]:
    return [
        {
            "artist_id": d.artist_id,
            "name": d.name,
            "claims": [{"role_label": label, "sources": said} for label, said in d.claims],
        }
        for d in found
    ]


def evidence(found: Evidence) -> Json:
    return {
        "source": found.source,
        "source_label": source_label(found.source),
        "record_id": found.record_id,
        "kind": found.kind,
        "confidence": found.confidence,
        "match_rule": found.match_rule,
        "note": found.note,
        "quote": found.quote,
        "retrieved_at": found.retrieved_at,
        "verified": found.verified,
    }


def handle(view: HandleView) -> Json:
    return {
        "platform": view.platform,
        "handle": view.handle,
        "url": view.url,
        "confidence": view.confidence,
        "verified": view.verified,
        "evidence": [evidence(e) for e in view.evidence],
    }


def song(ref: SongRef) -> Json:
    return {
        "id": ref.recording_id,
        "title": ref.title,
        "date": ref.date,
        "url": url("recording", ref.recording_id),
    }
