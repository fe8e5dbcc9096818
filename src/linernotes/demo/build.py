"""Build the demo catalog from the files shipped in linernotes/demo/data."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

from linernotes.ingest import readers
from linernotes.ingest.pipeline import IngestReport, Stream, ingest
from linernotes.normalize.genius import SNAPSHOT_RETRIEVED
from linernotes.store.catalog import Catalog

API_FILES = (
    "genius-api-artist_500.json.gz",
    "genius-api-song_2872960.json.gz",
    "genius-api-song_2890553.json.gz",
)


def data_dir() -> Path:
    return Path(str(resources.files("linernotes.demo").joinpath("data")))


def demo_streams(folder: Path | None = None) -> list[Stream]:
    """In dependency order: artists before the songs that credit them, songs before charts,
    full API responses after the snapshot, handles last (they attach by name)."""
    d = folder or data_dir()
    return [
        readers.snapshot_artists(d / "genius-2017-artists.jsonl.gz"),
        readers.snapshot_songs(d / "genius-2017-songs.jsonl.gz"),
        readers.snapshot_charts(d / "genius-2017-chart_entries.jsonl.gz"),
        # The saved responses come from the same 2017-18 collection as the snapshot.
        readers.genius_api_files([d / f for f in API_FILES], SNAPSHOT_RETRIEVED),
        readers.handles_file(d / "instagram_handles.jsonl.gz"),
    ]


def build_demo(catalog: Catalog, folder: Path | None = None) -> list[IngestReport]:
    return [ingest(catalog.db, stream) for stream in demo_streams(folder)]
