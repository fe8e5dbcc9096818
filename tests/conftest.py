"""Shared fixtures: the demo catalog (built once per session), empty catalogs, the CLI."""

from __future__ import annotations

import gzip
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from linernotes.cli.main import cli
from linernotes.demo.build import build_demo, core_streams, data_dir
from linernotes.ingest.pipeline import ingest
from linernotes.store.catalog import Catalog

DEMO = data_dir()


def demo_rows(name: str) -> list[dict[str, Any]]:
    """Rows of a demo data file, read directly (independently of the catalog code)."""
    with gzip.open(DEMO / name, "rt", encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def demo_json(name: str) -> dict[str, Any]:
    with gzip.open(DEMO / name, "rt", encoding="utf-8") as f:
        value: dict[str, Any] = json.load(f)
    return value


@pytest.fixture(scope="session")
def demo_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("demo") / "catalog.sqlite3"
    catalog = Catalog.open_sqlite(path)
    build_demo(catalog)
    catalog.close()
    return path


@pytest.fixture(scope="session")
def core_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A catalog of the core sources only (Genius and the handles file)."""
    path = tmp_path_factory.mktemp("core") / "catalog.sqlite3"
    catalog = Catalog.open_sqlite(path)
    for stream in core_streams():
        ingest(catalog.db, stream)
    catalog.close()
    return path


@pytest.fixture(scope="session")
def demo(demo_path: Path) -> Iterator[Catalog]:
    catalog = Catalog.open_sqlite(demo_path)
    yield catalog
    catalog.close()


@pytest.fixture
def empty(tmp_path: Path) -> Iterator[Catalog]:
    catalog = Catalog.open_sqlite(tmp_path / "catalog.sqlite3")
    yield catalog
    catalog.close()


@pytest.fixture(autouse=True)
def _isolated_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """No test touches the user's real catalog."""
    monkeypatch.setenv("LINERNOTES_HOME", str(tmp_path / "home"))
    monkeypatch.delenv("LINERNOTES_DATABASE", raising=False)
    monkeypatch.setenv("COLUMNS", "200")  # rich wraps at 80 columns when not on a terminal


class Cli:
    def __init__(self, db: Path) -> None:
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
def run(demo_path: Path) -> Cli:
    """The command line against the shared demo catalog (read-only use)."""
    return Cli(demo_path)


@pytest.fixture
def run_core(core_path: Path) -> Cli:
    """The command line against the core catalog (Genius and handles only)."""
    return Cli(core_path)
