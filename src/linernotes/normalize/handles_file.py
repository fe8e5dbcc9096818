"""The handles evidence file: one JSON object a line naming a person, a platform and a handle.

Lines carry no ids, only the person's name, so each handle attaches to the one catalog artist whose
folded name matches; a name matching none or several is reported by the pipeline, never guessed.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypedDict, cast

from linernotes.normalize.fold import fold
from linernotes.normalize.handles import (
    EVIDENCE_ALIASES,
    EVIDENCE_CONFIDENCE,
    InvalidHandle,
    normalize_handle,
    parse_platform,
)
from linernotes.normalize.records import NAME, EntityKind, HandleRecord, Problem, Ref, SourceRecord

SOURCE = "handles-file"


class HandleLine(TypedDict, total=False):
    name: str
    platform: str
    handle: str
    evidence_kind: str
    source: str
    quote: str


def parse_handle_line(
    row: Mapping[str, Any], locator: str, retrieved_at: str
) -> SourceRecord | Problem:
    """A source record for one line, or the Problem that makes the line unusable."""
    line = cast(HandleLine, {k: v for k, v in row.items() if isinstance(v, str)})
    missing = [k for k in ("name", "platform", "handle", "evidence_kind") if not line.get(k)]
    if missing:
        return Problem(locator, "bad_record", f"missing {', '.join(missing)}; line skipped")
    kind = EVIDENCE_ALIASES.get(line["evidence_kind"].strip().lower())
    if kind is None:
        known = ", ".join(sorted(EVIDENCE_ALIASES))
        return Problem(
            locator,
            "bad_record",
            f"unknown evidence_kind {line['evidence_kind']!r} (known: {known})",
        )
    try:
        platform = parse_platform(line["platform"])
        handle = normalize_handle(platform, line["handle"])
    except InvalidHandle as err:
        return Problem(locator, "invalid_handle", f"{err}; not stored")
    name = line["name"]
    record = SourceRecord(SOURCE, f"{fold(name)}/{platform.value}/{handle}", retrieved_at)
    record.handles.append(
        HandleRecord(
            Ref(EntityKind.ARTIST, NAME, name),
            platform,
            handle,
            kind,
            EVIDENCE_CONFIDENCE[kind],
            note=line.get("source", ""),
            quote=line.get("quote", ""),
        )
    )
    return record
