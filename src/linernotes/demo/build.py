"""Build the demo catalog from the files shipped in linernotes/demo/data (see SOURCES.md there)."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

from linernotes.ingest import dumps, readers, saved_files
from linernotes.ingest.pipeline import IngestReport, Stream, ingest
from linernotes.normalize.genius import SNAPSHOT_RETRIEVED
from linernotes.resolve.run import resolve
from linernotes.search import sync
from linernotes.store.catalog import Catalog
from linernotes.watch import events

API_FILES = (
    "genius-api-artist_500.json.gz",
    "genius-api-song_2872960.json.gz",
    "genius-api-song_2890553.json.gz",
)
# The saved API responses of the other sources come from test suites published in 2019-2025;
# no finer date is known.
RECORDED = "2025"


def data_dir() -> Path:
    return Path(str(resources.files("linernotes.demo").joinpath("data")))


def core_streams(folder: Path | None = None) -> list[Stream]:
    """Genius (the 2017 snapshot and full API responses) and the handles file: in dependency
    order, artists before the songs that credit them, songs before charts, handles last of these
    and before other sources add look-alike names (handles attach by a name that must be
    unique)."""
    d = folder or data_dir()
    return [
        readers.snapshot_artists(d / "genius-2017-artists.jsonl.gz"),
        readers.snapshot_songs(d / "genius-2017-songs.jsonl.gz"),
        readers.snapshot_charts(d / "genius-2017-chart_entries.jsonl.gz"),
        # The saved responses come from the same 2017-18 collection as the snapshot.
        readers.genius_api_files([d / f for f in API_FILES], SNAPSHOT_RETRIEVED),
        readers.handles_file(d / "instagram_handles.jsonl.gz"),
    ]


def demo_streams(folder: Path | None = None) -> list[Stream]:
    """The core, then Discogs, MusicBrainz, Spotify, Wikidata (after the sources it links),
    the Billboard charts and the number-ones credit sheet."""
    d = folder or data_dir()

    def files(sub: str) -> list[Path]:
        return sorted((d / sub).glob("*.gz"))

    dump = d / "discogs" / "dump"
    return [
        *core_streams(d),
        dumps.discogs(dump / "discogs_20200806_artists.xml.gz"),
        dumps.discogs(dump / "discogs_20200806_releases.sample800.xml.gz"),
        dumps.discogs(dump / "discogs_20200806_masters.xml.gz"),
        saved_files.discogs_files(files("discogs/api"), RECORDED),
        saved_files.musicbrainz_files(files("musicbrainz/ws2-json"), RECORDED),
        saved_files.spotify_files(files("spotify"), RECORDED),
        saved_files.wikidata_files(files("wikidata")),
        saved_files.billboard_files(files("charts/billboard-hot-100")),
        saved_files.number_ones(d / "number-ones" / "number_ones_credits.csv.gz"),
    ]


def build_demo(catalog: Catalog, folder: Path | None = None) -> list[IngestReport]:
    reports = [ingest(catalog.db, stream) for stream in demo_streams(folder)]
    resolve(catalog.db)  # who and what across the sources is the same
    sync.rebuild(catalog.db)  # the search index, so the first search answers at once
    events.skip_pending(catalog.db)  # a catalog being built is no news: nobody follows it yet
    return reports
