"""Live look-ups on the pages: when a page starts one, and what its panel says while it runs.

The results page starts a look-up when its hits do not answer what was typed; a song or album
page starts one when its credits are missing or stale. Starting is one insert (or joining the
open look-up): the page never waits for it. The panel then follows the look-up by polling
(pages_lookups): each source with its state and what it found, and one sentence for screen
readers that changes only when something a reader cares about changes.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Any

import orjson
from fastapi import Request

from linernotes.labels import source_label
from linernotes.lookup.jobs import Job
from linernotes.lookup.request import BadRequest, LookupRequest
from linernotes.lookup.service import credits_stale
from linernotes.search.engine import Hit
from linernotes.search.title_artist import is_good
from linernotes.store.db import Database
from linernotes.web.lookups import Lookups

SOURCE_NAMES = {
    "genius": "Genius",
    "musicbrainz": "MusicBrainz",
    "discogs": "Discogs",
    "spotify": "Spotify",
}
WORKING = frozenset({"waiting", "searching", "fetching"})
STATE_WORDS = {
    "waiting": "waiting",
    "searching": "searching…",
    "fetching": "fetching…",
    "done": "done",
    "no match": "no match",
    "skipped": "skipped",
    "cut": "cut off by the time budget",
    "failed": "failed",
}
KIND_WORDS = {"recording": "song", "release": "album"}
KIND_PATHS = {"recording": "song", "release": "album"}


def lookups(request: Request) -> Lookups:
    found: Lookups = request.app.state.lookups
    return found


def offer(request: Request) -> str:
    """Where a look-up would ask, for a link offering one ("" when look-ups are off)."""
    if not lookups(request).enabled:
        return ""
    return _joined(list(SOURCE_NAMES.values()))


# -- which hits the results page lists --------------------------------------------------------


def answered(groups: dict[str, list[Hit]]) -> bool:
    return is_good(hit for hits in groups.values() for hit in hits)


# -- the panel ---------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class SourceLine:
    """One source's part, as the panel lists it."""

    source: str
    label: str
    state: str
    state_text: str
    note: str
    found: str

    @property
    def working(self) -> bool:
        return self.state in WORKING


@dataclass(frozen=True, slots=True)
class Panel:
    """A look-up as a page shows it. `view` is "search" (the panel shows the record found,
    credits and all) or "record" (a song or album page: new credits replace the page's own)."""

    job: Job
    view: str
    sources: list[SourceLine]
    said: str  # one sentence, read out by screen readers when it changes
    reason: str = ""  # why a record page asked: "credits last checked 2018-03-01"

    @property
    def polling(self) -> bool:
        return not self.job.finished

    @property
    def title(self) -> str:
        if self.view == "record":
            return "Checking the sources for newer credits"
        return f"Looking it up at {_joined(list(SOURCE_NAMES.values()))}"

    @property
    def found(self) -> dict[str, Any] | None:
        """The record found (kind, id, name, path), as soon as it is known."""
        result = self.job.result
        if result.get("kind") not in KIND_PATHS:
            return None
        kind = str(result["kind"])
        return {
            "kind": kind,
            "id": int(result["id"]),
            "name": str(result["name"]),
            "word": KIND_WORDS[kind],
            "href": f"/{KIND_PATHS[kind]}/{int(result['id'])}",
        }

    @property
    def fetched(self) -> bool:
        """Whether any source brought records in (a record page's credits may have changed)."""
        return any(int(s.get("records") or 0) > 0 for s in self.job.progress.values())

    @property
    def version(self) -> str:
        """Changes whenever what the panel shows changes: a poll finding the same answers
        204 and nothing is swapped (no focus lost, nothing read out again)."""
        job = self.job
        return _digest([job.state, job.progress, job.result, job.error])

    @property
    def said_key(self) -> str:
        return _digest([self.said])

    @property
    def poll_url(self) -> str:
        return f"/lookups/{self.job.id}?view={self.view}&v={self.version}&said={self.said_key}"


def panel(job: Job, view: str, reason: str = "") -> Panel:
    lines = [_line(source, status) for source, status in job.progress.items()]
    return Panel(job, view, lines, said(job, view, lines), reason)


def said(job: Job, view: str, lines: list[SourceLine]) -> str:
    """The panel's sentence: what is going on, or how it ended."""
    name = str(job.result.get("name") or "")
    if job.state == "failed":
        return f"The look-up stopped: {job.error or 'an unexpected error'}."
    if not job.finished:
        working = [line.label for line in lines if line.working]
        asking = f"Asking {_joined(working)}…" if working else "Putting what came in the catalog…"
        if job.state == "queued":
            asking = "Waiting to ask the sources…"
        return f"Found “{name}”; {asking[0].lower()}{asking[1:]}" if name else asking
    if view == "record":
        gave = [
            line.label for line in lines if line.state in ("done", "cut") and _records(job, line)
        ]
        return f"Credits updated from {_joined(gave)}." if gave else "No newer credits found."
    if name:
        word = KIND_WORDS.get(str(job.result.get("kind")), "record")
        return f"Found the {word} “{name}”: its credits are below."
    query = str(job.request.get("query") or "it")
    return f"No source found “{query}”. What each said is below."


def for_search(request: Request, db: Database, text: str, good: bool) -> Panel | None:
    """The results page's look-up: started (or joined) when its hits do not answer `text`."""
    service = lookups(request)
    if good or not text or not service.enabled:
        return None
    try:
        job = service.start(db, LookupRequest(text))
    except BadRequest:
        return None
    return panel(job, "search")


@dataclass(frozen=True, slots=True)
class RecordLookup:
    """A song or album page's look-up: whether one may be asked for, and the one shown."""

    enabled: bool
    refresh_url: str = ""  # where "Refresh credits" posts
    panel: Panel | None = None


def for_record(
    request: Request, db: Database, kind: str, entity_id: int, shown: int | None = None
) -> RecordLookup:
    """Start a refresh when the record's credits are missing or stale; or show the look-up
    `shown` (a refresh asked for without JavaScript, then the page reloaded)."""
    service = lookups(request)
    if not service.enabled:
        return RecordLookup(False)
    url = f"/{KIND_PATHS[kind]}/{entity_id}/refresh"
    if shown is not None:
        job = service.status(db, shown)
        if job is not None and job.request == {"kind": kind, "id": entity_id}:
            return RecordLookup(True, url, panel(job, "record"))
    reason = credits_stale(db, kind, entity_id, service.config.stale)
    if reason is None:
        return RecordLookup(True, url)
    job = service.start(db, LookupRequest(kind=kind, id=entity_id))
    return RecordLookup(True, url, panel(job, "record", _sentence(reason)))


def refresh(request: Request, db: Database, kind: str, entity_id: int) -> Panel:
    """A refresh the reader asked for (an identical one running is joined)."""
    job = lookups(request).start(db, LookupRequest(kind=kind, id=entity_id))
    return panel(job, "record", "Asked for just now.")


# -- helpers -----------------------------------------------------------------------------------


def _line(source: str, status: dict[str, Any]) -> SourceLine:
    state = str(status.get("state") or "waiting")
    return SourceLine(
        source=source,
        label=SOURCE_NAMES.get(source) or source_label(source),
        state=state,
        state_text=STATE_WORDS.get(state, state),
        note=str(status.get("note") or ""),
        found=str(status.get("found") or ""),
    )


def _records(job: Job, line: SourceLine) -> int:
    return int(job.progress.get(line.source, {}).get("records") or 0)


def _joined(names: list[str]) -> str:
    if len(names) <= 1:
        return "".join(names)
    return f"{', '.join(names[:-1])} and {names[-1]}"


def _sentence(text: str) -> str:
    return text[:1].upper() + text[1:]


def _digest(value: object) -> str:
    body = orjson.dumps(value, option=orjson.OPT_SORT_KEYS)
    return hashlib.blake2b(body, digest_size=6).hexdigest()
