"""Killing a dump ingest midway and running it again gives exactly the catalog a clean run gives
(retrieval and creation times aside), on the real Discogs sample."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from backends import Fresh
from canonical import comparable
from linernotes.demo.build import data_dir
from linernotes.ingest import dumps
from linernotes.ingest.pipeline import Item, Stream, ingest

DUMP = data_dir() / "discogs" / "dump"


def killed_after(stream: Stream, count: int) -> Stream:
    def items(after: int) -> Iterator[tuple[int, Item]]:
        for seen, numbered in enumerate(stream.items(after)):
            if seen == count:
                raise KeyboardInterrupt  # the process is killed here
            yield numbered

    return Stream(stream.name, stream.fingerprint, items)


@pytest.mark.slow
def test_killed_dump_ingest_resumes_to_the_clean_result(fresh: Fresh) -> None:
    artists = DUMP / "discogs_20200806_artists.xml.gz"
    releases = DUMP / "discogs_20200806_releases.sample800.xml.gz"

    clean = fresh("clean")
    for path in (artists, releases):
        ingest(clean.db, dumps.discogs(path), batch_size=50)

    resumed = fresh("resumed")
    with pytest.raises(KeyboardInterrupt):
        ingest(resumed.db, killed_after(dumps.discogs(artists), 430), batch_size=50)
    ingest(resumed.db, dumps.discogs(artists), batch_size=50)
    with pytest.raises(KeyboardInterrupt):
        ingest(resumed.db, killed_after(dumps.discogs(releases), 333), batch_size=50)
    report = ingest(resumed.db, dumps.discogs(releases), batch_size=50)

    assert report.resumed_from == 300  # the last whole batch before the kill
    assert comparable(resumed.db) == comparable(clean.db)
    again = ingest(resumed.db, dumps.discogs(releases), batch_size=50)
    assert again.already_done  # and running once more adds nothing


def test_dump_streams_tell_how_far_they_have_read() -> None:
    """What the progress bar's ETA rests on: the share of the compressed file read so far."""
    stream = dumps.discogs(DUMP / "discogs_20200806_releases.sample800.xml.gz")
    assert stream.progress is not None
    seen = [stream.progress() or 0.0 for _ in stream.items(0)]
    assert seen == sorted(seen)  # never goes back
    assert seen[0] < 0.1 and seen[-1] == 1.0
