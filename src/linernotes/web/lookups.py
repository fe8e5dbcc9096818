"""The web app's live look-ups: started, joined and followed for the API and the pages.

A look-up this process starts runs on its own threads (`lookup.service.Background`); one that
another server process started is joined through the store and only watched, unless its runner
stops beating, when this process finishes it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from linernotes.lookup import jobs, service
from linernotes.lookup.request import LookupRequest
from linernotes.lookup.run import Runner
from linernotes.search.engine import NameIndex
from linernotes.sources.http import HttpClient
from linernotes.store.db import Database
from linernotes.web.api_shapes import url

ClientFor = Callable[[str], HttpClient]


class Lookups:
    def __init__(
        self,
        config: service.LookupSettings,
        connect: Callable[[], Database],
        client_for: ClientFor,
        index: NameIndex | None,
    ) -> None:
        self.config = config

        def runner(db: Database) -> Runner:
            return Runner(db, client_for, budget=config.budget, index=index)

        self._background = service.Background(connect, runner)

    @property
    def enabled(self) -> bool:
        return self.config.enabled

    def start(self, db: Database, request: LookupRequest) -> jobs.Job:
        """The look-up answering `request`, running here when it is new."""
        job, mine = service.begin(db, request, self.config)
        if mine:
            self._background.submit(job)
        elif not job.finished:
            self._background.adopt(job)
        return job

    def refresh_if_stale(self, db: Database, kind: str, entity_id: int) -> jobs.Job | None:
        """A look-up of a song's or album's credits when they are missing or stale (and look-ups
        are on); None when they are fresh."""
        if not self.enabled:
            return None
        if service.credits_stale(db, kind, entity_id, self.config.stale) is None:
            return None
        return self.start(db, LookupRequest(kind=kind, id=entity_id))

    def status(self, db: Database, job_id: int) -> jobs.Job | None:
        job = jobs.get(db, job_id)
        if job is not None and not job.finished:
            self._background.adopt(job)
        return job

    def close(self) -> None:
        self._background.close()


def job_json(job: jobs.Job) -> dict[str, Any]:
    """A look-up as the API and the pages show it."""
    found = job.result
    result = (
        {
            "kind": found["kind"],
            "id": found["id"],
            "name": found["name"],
            "url": url(str(found["kind"]), int(found["id"])),
        }
        if found.get("kind")
        else None
    )
    return {
        "id": job.id,
        "state": job.state,
        "request": job.request,
        "sources": job.progress,
        "result": result,
        "error": job.error,
        "created_at": job.created_at,
        "started_at": job.started_at,
        "finished_at": job.finished_at,
        "status_url": f"/api/v1/lookups/{job.id}",
    }
