"""What the API tests share: a client on a copy of the demo catalog, and its well-known ids.

Every API request is counted against a rate, and showing a handle counts a reveal; both are
written to the catalog. So API tests read a copy of the session's demo catalog (made once per
module), with plans generous enough that only tests meaning to reach a limit do.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from fastapi.testclient import TestClient

from backends import Backend
from linernotes.normalize.records import EntityKind
from linernotes.store.catalog import Catalog
from linernotes.store.read_names import exact
from linernotes.web.app import create_app, prepare
from linernotes.web.config import Plan, WebConfig

GENEROUS = {
    name: Plan(name, reveals_per_day=100_000, api_per_minute=1_000_000)
    for name in ("anonymous", "free", "pro")
}
DUETS_DISCOGS = "9343063"  # Elton John, "Duets": executive producers at release level


def demo_copy(backend: Backend, demo_path: Path | str, name: str) -> Path | str:
    """A catalog of its own holding the demo, its search index up to date."""
    where = backend.copy(demo_path, name)
    catalog = Catalog.open(where)
    prepare(catalog)
    catalog.close()
    return where


@contextmanager
def api_client(
    where: Path | str,
    plans: dict[str, Plan] | None = None,
    address: str = "198.51.100.1",
) -> Iterator[TestClient]:
    app = create_app(WebConfig(where, plans=plans or GENEROUS))
    with TestClient(app, client=(address, 40000)) as client:
        yield client


def artist_id(where: Path | str, name: str) -> int:
    catalog = Catalog.open(where)
    try:
        found = exact(catalog.db, EntityKind.ARTIST, name)
    finally:
        catalog.close()
    assert len(found) == 1, found
    return found[0].id


def duets_id(where: Path | str) -> int:
    catalog = Catalog.open(where)
    try:
        row = catalog.db.one(
            "SELECT entity_id FROM external_id WHERE entity_kind = 'release'"
            " AND namespace = 'discogs' AND value = ?",
            (DUETS_DISCOGS,),
        )
    finally:
        catalog.close()
    assert row is not None
    return int(row[0])
