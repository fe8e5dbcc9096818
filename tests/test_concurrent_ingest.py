"""Two ingest processes loading different dumps into one catalog at the same time end with the
catalog that loading them one after the other gives (compared without row ids: see canonical).

Real `linernotes ingest` processes, started together on the run's backend: on PostgreSQL their
write transactions take turns on an advisory lock; on SQLite, on the database's write lock.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from backends import NewCatalog
from canonical import contents
from linernotes.demo.build import data_dir
from linernotes.store.catalog import Catalog
from test_musicbrainz_dump import RECORDINGS, build_dump, dump_lines

DISCOGS = data_dir() / "discogs" / "dump" / "discogs_20200806_releases.sample800.xml.gz"
CLI = "from linernotes.cli.main import main; main()"


def _dumps(tmp_path: Path) -> list[list[str]]:
    """`ingest` arguments for two dumps: Discogs releases and a MusicBrainz recording dump."""
    lines = dump_lines(RECORDINGS, 400)
    musicbrainz = build_dump(tmp_path / "recording.tar.xz", "recording", lines)
    return [
        ["discogs-dump", str(DISCOGS)],
        ["musicbrainz-dump", "--entity", "recording", str(musicbrainz)],
    ]


def _start(where: Path | str, args: list[str]) -> subprocess.Popen[str]:
    env = {**os.environ, "LINERNOTES_DEMO": "0"}
    command = [sys.executable, "-c", CLI, "--db", str(where), "ingest", *args]
    return subprocess.Popen(command, env=env, stderr=subprocess.PIPE, text=True)


def _finish(process: subprocess.Popen[str]) -> None:
    _, err = process.communicate(timeout=600)
    assert process.returncode == 0, err


@pytest.mark.slow
def test_two_dumps_loaded_at_once_give_the_catalog_of_one_after_the_other(
    tmp_path: Path, new_catalog: NewCatalog
) -> None:
    dumps = _dumps(tmp_path)
    one_after_the_other = new_catalog("sequential")
    for args in dumps:
        _finish(_start(one_after_the_other, args))
    at_once = new_catalog("concurrent")
    Catalog.open(at_once).close()  # migrated before both start, as a deployed catalog is
    for process in [_start(at_once, args) for args in dumps]:
        _finish(process)

    expected, got = Catalog.open(one_after_the_other), Catalog.open(at_once)
    try:
        assert got.counts() == expected.counts()
        assert got.counts()["credit"] > 10_000  # both dumps are in
        assert contents(got.db) == contents(expected.db)
    finally:
        expected.close()
        got.close()
