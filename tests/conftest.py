"""Shared fixtures: the demo catalog (built once per session), empty catalogs, the CLI.

Every catalog a test gets comes from the backend chosen for the run: SQLite files by default,
or databases on a real PostgreSQL server with `--backend postgresql` (the server is started for
the session on loopback and stopped by its pid). On PostgreSQL only the tests that use a catalog
run: the rest do not depend on the backend and ran already in the SQLite run.
"""

from __future__ import annotations

import gzip
import json
import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from backends import Backend, PostgresBackend, SQLiteBackend
from linernotes.cli.main import cli
from linernotes.demo.build import build_demo, core_streams, data_dir
from linernotes.ingest.pipeline import ingest
from linernotes.store.catalog import Catalog
from linernotes.store.pg_local import LocalPostgres

DEMO = data_dir()


def demo_rows(name: str) -> list[dict[str, Any]]:
    """Rows of a demo data file, read directly (independently of the catalog code)."""
    with gzip.open(DEMO / name, "rt", encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def demo_json(name: str) -> dict[str, Any]:
    with gzip.open(DEMO / name, "rt", encoding="utf-8") as f:
        value: dict[str, Any] = json.load(f)
    return value


def pytest_configure(config: pytest.Config) -> None:
    # No look-up reaches for the network by accident, in any fixture of any scope: the look-up
    # tests turn them on, with the sources answering from recorded responses.
    os.environ["LINERNOTES_LOOKUPS"] = "off"


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--backend",
        choices=("sqlite", "postgresql"),
        default="sqlite",
        help="the catalog backend the tests' catalogs use",
    )


# Fixtures that hand a test a catalog: a test using none of them does not touch the backend.
CATALOG_FIXTURES = frozenset(
    {
        "empty",
        "demo",
        "demo_path",
        "core_path",
        "run",
        "run_core",
        "new_catalog",
        "backend",
        "fresh",
    }
    # `postgres` is left out: its tests run once, in the SQLite run, against both backends.
)


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if config.getoption("--backend") != "postgresql":
        return
    # The browser journeys ran in the SQLite run; on PostgreSQL the web layer's reads and counters
    # are covered by the API, page and account tests (this keeps CI within its 20 minutes).
    keep = [
        i
        for i in items
        if CATALOG_FIXTURES & set(getattr(i, "fixturenames", ()))
        and "tests/browser/" not in i.nodeid.replace("\\", "/")
        and not i.nodeid.startswith("browser/")
    ]
    dropped = [i for i in items if i not in keep]
    if dropped:
        config.hook.pytest_deselected(items=dropped)
        items[:] = keep


@pytest.fixture(scope="session")
def backend(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Backend]:
    # Session fixtures (the demo catalog, its index) run before any test's own home is set:
    # they get a home of the session's, never the user's real one.
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("LINERNOTES_HOME", str(tmp_path_factory.mktemp("session-home")))
        if request.config.getoption("--backend") == "postgresql":
            with LocalPostgres() as server:  # in /tmp: pytest's folders are closed to others
                made = PostgresBackend(server, tmp_path_factory.mktemp("search"))
                patch.setenv("LINERNOTES_SEARCH_DIR", str(made.search_dir))
                yield made
                made.close()
        else:
            yield SQLiteBackend(tmp_path_factory)


@pytest.fixture(scope="session")
def postgres(backend: Backend, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Backend]:
    """A PostgreSQL backend whatever the run's backend, for tests that need both at once
    (copying a catalog between them): the run's own server, or one started for them."""
    if isinstance(backend, PostgresBackend):
        yield backend
        return
    with LocalPostgres() as server:  # in /tmp: pytest's folders are closed to others
        made = PostgresBackend(server, tmp_path_factory.mktemp("search"))
        yield made
        made.close()


@pytest.fixture
def new_catalog(backend: Backend) -> Callable[[str], Path | str]:
    """Where to make a new, empty catalog (a file or a database of its own), by a short name."""
    return backend.new


@pytest.fixture
def fresh(new_catalog: Callable[[str], Path | str]) -> Iterator[Callable[[str], Catalog]]:
    """Open a new, empty catalog by a short name; each is closed after the test."""
    opened: list[Catalog] = []

    def open_new(name: str) -> Catalog:
        opened.append(Catalog.open(new_catalog(name)))
        return opened[-1]

    yield open_new
    for catalog in opened:
        catalog.close()


@pytest.fixture(scope="session")
def demo_path(backend: Backend) -> Path | str:
    where = backend.new("demo")
    catalog = Catalog.open(where)
    build_demo(catalog)
    catalog.close()
    return backend.shared(where)


@pytest.fixture(scope="session")
def core_path(backend: Backend) -> Path | str:
    """A catalog of the core sources only (Genius and the handles file)."""
    where = backend.new("core")
    catalog = Catalog.open(where)
    for stream in core_streams():
        ingest(catalog.db, stream)
    catalog.close()
    return backend.shared(where)


@pytest.fixture(scope="session")
def demo(demo_path: Path | str) -> Iterator[Catalog]:
    catalog = Catalog.open(demo_path)
    yield catalog
    catalog.close()


@pytest.fixture
def empty(new_catalog: Callable[[str], Path | str]) -> Iterator[Catalog]:
    catalog = Catalog.open(new_catalog("empty"))
    yield catalog
    catalog.close()


@pytest.fixture(autouse=True)
def _isolated_home(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, request: pytest.FixtureRequest
) -> None:
    """No test touches the user's real catalog."""
    monkeypatch.setenv("LINERNOTES_HOME", str(tmp_path / "home"))
    monkeypatch.delenv("LINERNOTES_DATABASE", raising=False)
    monkeypatch.delenv("LINERNOTES_DATABASE_URL", raising=False)
    monkeypatch.setenv("COLUMNS", "200")  # rich wraps at 80 columns when not on a terminal
    monkeypatch.setenv("LINERNOTES_LOOKUPS", "off")  # see pytest_configure
    if request.config.getoption("--backend") == "postgresql":
        # Indexes of the session's shared catalogs outlive a test, as a SQLite file's do.
        backend: PostgresBackend = request.getfixturevalue("backend")
        monkeypatch.setenv("LINERNOTES_SEARCH_DIR", str(backend.search_dir))


class Cli:
    def __init__(self, db: Path | str) -> None:
        self.db = db
        self.runner = CliRunner()

    def __call__(self, *args: str, ok: bool = True) -> Result:
        result = self.runner.invoke(cli, ["--db", str(self.db), *args], catch_exceptions=False)
        if ok:
            assert result.exit_code == 0, result.output
        return result

    def json(self, *args: str) -> Any:
        return json.loads(self(*args, "--json").stdout)


@pytest.fixture
def run(demo_path: Path | str) -> Cli:
    """The command line against the shared demo catalog (read-only use)."""
    return Cli(demo_path)


@pytest.fixture
def run_core(core_path: Path | str) -> Cli:
    """The command line against the core catalog (Genius and handles only)."""
    return Cli(core_path)
