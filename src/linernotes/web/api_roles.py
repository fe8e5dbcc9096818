"""GET /api/v1/roles and /roles/{code}: the role vocabulary, its guides, and how often each
role is credited in the catalog.

Counting credits by role reads every credit (18 s on a catalog of 10M credits), so the counts
are kept per server process for an hour; on a large catalog they are made in the background
and the answer says `null` until they are ready, rather than making a visitor wait.
"""

from __future__ import annotations

import threading
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request
from fastapi import Path as PathParam
from fastapi.responses import Response

from linernotes.normalize.roles import FAMILY_LABELS, ROLES, Family, Role, find_role
from linernotes.store import read_people
from linernotes.store.catalog import Catalog
from linernotes.store.db import Database
from linernotes.web import deps
from linernotes.web.api_http import COMMON_ERRORS, MAX_TEXT, NOT_FOUND, answer
from linernotes.web.api_models import Role as RoleModel
from linernotes.web.api_models import RolesAnswer
from linernotes.web.api_shapes import PREFIX, Json
from linernotes.web.errors import ApiError

router = APIRouter()
Db = Annotated[Database, Depends(deps.db)]

INLINE_UP_TO = 1_000_000  # credits: counted while the request waits (the demo: 10 ms)


class RoleCounts:
    """Credits per role in one catalog, made again once they are `ttl` seconds old."""

    def __init__(
        self,
        where: Path | str,
        ttl: float = 3600.0,
        inline_up_to: int = INLINE_UP_TO,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.where = where
        self.ttl = ttl
        self.inline_up_to = inline_up_to
        self.clock = clock
        self._counts: Counter[str] | None = None
        self._at = 0.0
        self._lock = threading.Lock()
        self._worker: threading.Thread | None = None

    def get(self, db: Database) -> Counter[str] | None:
        """The counts, or None while a large catalog's first count is being made."""
        with self._lock:
            if self._counts is not None and self.clock() - self._at < self.ttl:
                return self._counts
            if self._worker is not None:  # being made: the old counts meanwhile
                return self._counts
            if self._credits(db) <= self.inline_up_to:
                self._counts, self._at = read_people.role_counts(db), self.clock()
                return self._counts
            self._worker = threading.Thread(target=self._count, daemon=True)
            self._worker.start()
            return self._counts

    def wait(self) -> None:
        """Until a count under way is made (for tests and for shutting down cleanly)."""
        worker = self._worker
        if worker is not None:
            worker.join()

    def _credits(self, db: Database) -> int:
        """About how many credits there are, from the largest id (no scan)."""
        row = db.one("SELECT max(id) FROM credit")
        return int(row[0]) if row and row[0] is not None else 0

    def _count(self) -> None:
        found: Counter[str] | None = None
        try:
            # A connection of its own: the request threads' are not to be shared.
            catalog = Catalog.connect(self.where)
            try:
                found = read_people.role_counts(catalog.db)
            finally:
                catalog.close()
        finally:  # failed: the next request tries again
            with self._lock:
                if found is not None:
                    self._counts, self._at = found, self.clock()
                self._worker = None


def role_counts(request: Request) -> RoleCounts:
    """The app's role counts (made on first use, kept on the app for every thread)."""
    state = request.app.state
    with _MAKING:
        found: RoleCounts | None = getattr(state, "role_counts", None)
        if found is None:
            found = state.role_counts = RoleCounts(deps.config(request).where)
    return found


_MAKING = threading.Lock()
Counts = Annotated[RoleCounts, Depends(role_counts)]


def _role(role: Role, counts: Counter[str] | None) -> Json:
    return {
        "code": role.code,
        "label": role.label,
        "plural": role.plural,
        "ddex": role.ddex,
        "family": role.family.value,
        "family_label": FAMILY_LABELS[role.family],
        "scope": role.scope.value,
        "guide": role.guide,
        "credits": None if counts is None else counts.get(role.code, 0),
        "url": f"{PREFIX}/roles/{role.code}",
    }


@router.get("/roles", response_model=RolesAnswer, responses=COMMON_ERRORS)
def roles(
    request: Request,
    db: Db,
    counts: Counts,
    family: Annotated[Family | None, Query(description="Only this family's roles")] = None,
) -> Response:
    """The role vocabulary with guides, by family (in display order)."""
    found = counts.get(db)
    shown = [_role(r, found) for r in ROLES.values() if family is None or r.family is family]
    return answer(request, {"total": len(shown), "roles": shown})


@router.get("/roles/{code}", response_model=RoleModel, responses={**COMMON_ERRORS, **NOT_FOUND})
def role(
    request: Request,
    db: Db,
    counts: Counts,
    code: Annotated[str, PathParam(max_length=MAX_TEXT, description="A code, label or plural")],
) -> Response:
    """One role's guide: what the credit means. Labels work too ("executive producer")."""
    found = find_role(code)
    if found is None:
        raise ApiError(
            404, "not_found", f"no role called {code!r}; /api/v1/roles lists them", "path.code"
        )
    return answer(request, _role(found, counts.get(db)))
