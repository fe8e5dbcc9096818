"""Chart parsers: every recorded Billboard week, both Spotify CSV layouts, bad rows, and rows
attaching to catalog recordings (by title and artist, or by Spotify id)."""

from __future__ import annotations

import gzip
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from conftest import DEMO
from linernotes.ingest.pipeline import Item, Stream, ingest
from linernotes.normalize.charts import parse_billboard_week, parse_spotify_chart_csv
from linernotes.normalize.records import (
    TITLE_BY,
    TITLE_BY_SEPARATOR,
    ArtistRecord,
    CreditRecord,
    EntityKind,
    PayloadError,
    RecordingRecord,
    Ref,
    SourceRecord,
)
from linernotes.normalize.spotify import parse_response
from linernotes.store.catalog import Catalog

BILLBOARD = DEMO / "charts" / "billboard-hot-100"
SYNTHETIC = Path(__file__).parent / "fixtures" / "synthetic" / "charts"
OLD_LAYOUT = "regional-us-daily-2017-01-01.csv"
NEW_LAYOUT = "regional-global-daily-2023-05-01.csv"


def week(name: str) -> SourceRecord:
    with gzip.open(BILLBOARD / name, "rt", encoding="utf-8") as f:
        return parse_billboard_week(json.load(f), name.removesuffix(".gz"))


def spotify_chart(name: str) -> SourceRecord:
    return parse_spotify_chart_csv((SYNTHETIC / name).read_text(encoding="utf-8"), name)


def stream_of(name: str, items: list[Item]) -> Stream:
    def numbered(after: int) -> Iterator[tuple[int, Item]]:
        yield from ((n, i) for n, i in enumerate(items, start=1) if n > after)

    return Stream(name, "v1", numbered)


@pytest.mark.parametrize("path", sorted(BILLBOARD.glob("*.json.gz")), ids=lambda p: p.name)
def test_every_billboard_week_keeps_its_hundred_rows(path: Path) -> None:
    record = week(path.name)
    assert record.source == "billboard" and not record.problems
    assert [e.position for e in record.chart_entries] == list(range(1, 101))
    date = record.record_id.rsplit("/", 1)[1]
    assert record.record_id == f"charts/billboard-hot-100/{date}"
    assert {e.date for e in record.chart_entries} == {date} and record.retrieved_at == date
    if path.name != "recent.json.gz":
        assert path.name.startswith(date)


def test_billboard_rows_name_songs_by_title_and_artist() -> None:
    first = week("2026-06-20.json.gz").chart_entries[0]
    assert (first.title, first.artist) == ("I Knew It, I Knew You", "Taylor Swift")
    assert first.recording == Ref(
        EntityKind.RECORDING, TITLE_BY, f"I Knew It, I Knew You{TITLE_BY_SEPARATOR}Taylor Swift"
    )
    assert (first.last_week, first.peak_position, first.weeks_on_chart) == (None, 1, 1)


def test_recent_json_dates_itself_inside() -> None:
    record = week("recent.json.gz")
    assert record.record_id == "charts/billboard-hot-100/2026-08-08"
    second = record.chart_entries[1]
    assert (second.title, second.artist, second.last_week) == ("Been By Now", "Morgan Wallen", None)
    fourth = record.chart_entries[3]
    assert (fourth.artist, fourth.last_week, fourth.weeks_on_chart) == (
        "Ella Langley & Morgan Wallen",
        4,
        14,
    )


def test_billboard_date_falls_back_to_the_file_name_and_must_agree_with_it() -> None:
    rows = [{"song": "S", "artist": "A", "this_week": 1}]
    assert parse_billboard_week({"data": rows}, "2026-06-20.json").record_id.endswith("2026-06-20")
    with pytest.raises(PayloadError, match="not 2026-06-27"):
        parse_billboard_week({"date": "2026-06-20", "data": rows}, "2026-06-27.json")
    with pytest.raises(PayloadError, match="no chart date"):
        parse_billboard_week({"data": rows}, "recent.json")
    with pytest.raises(PayloadError, match="data"):
        parse_billboard_week({"date": "2026-06-20"})


def test_bad_billboard_rows_are_reported_and_the_rest_kept() -> None:
    rows: list[Any] = [
        {"song": "Good", "artist": "A", "this_week": 1, "last_week": None},
        {"artist": "No Song", "this_week": 2},
        {"song": "Bad Rank", "artist": "A", "this_week": "two"},
        {"song": "Twice", "artist": "A", "this_week": 1},
        ["not", "a", "row"],
        {"song": "Fine", "artist": "B", "this_week": 5, "peak_position": 0},
        {"song": "Last", "artist": "C", "this_week": 6, "weeks_on_chart": 3},
    ]
    record = parse_billboard_week({"date": "2026-06-20", "data": rows}, "week.json")
    assert [e.title for e in record.chart_entries] == ["Good", "Last"]
    assert [(p.locator, p.kind) for p in record.problems] == [
        (f"week.json:data[{i}]", "bad_row") for i in (1, 2, 3, 4, 5)
    ]
    assert "position 1 appears twice" in record.problems[2].message


def test_old_spotify_layout_with_its_note_line() -> None:
    record = spotify_chart(OLD_LAYOUT)
    assert (record.source, record.record_id) == ("spotify", "charts/spotify-us-daily/2017-01-01")
    assert not record.problems
    first = record.chart_entries[0]
    assert (first.chart, first.date, first.position) == ("spotify-us-daily", "2017-01-01", 1)
    assert (first.title, first.artist, first.streams) == ("Uptown Funk", "Mark Ronson", 1523431)
    assert first.recording == Ref(EntityKind.RECORDING, "spotify", "4rmPQGwcLQjCoFq5NrTA0D")
    assert [e.position for e in record.chart_entries] == [1, 2, 3, 4, 5]


def test_new_spotify_layout_with_peaks_and_previous_ranks() -> None:
    record = spotify_chart(NEW_LAYOUT)
    assert record.record_id == "charts/spotify-global-daily/2023-05-01" and not record.problems
    timber = record.chart_entries[1]
    assert (timber.artist, timber.streams) == ("Pitbull, Ke$ha", 3987211)
    assert (timber.last_week, timber.peak_position, timber.weeks_on_chart) == (1, 1, 9)
    assert timber.recording and timber.recording.value == "1zHlj4dQ8ZAtrayhuDDmkY"
    new_entry = record.chart_entries[2]
    assert (new_entry.title, new_entry.last_week) == ("Uptown Girl", None)  # previous_rank -1


def test_bad_spotify_rows_are_reported_with_their_line() -> None:
    text = (
        "rank,uri,artist_names,track_name,source,peak_rank,previous_rank,weeks_on_chart,streams\n"
        "1,spotify:track:4rmPQGwcLQjCoFq5NrTA0D,Mark Ronson,Uptown Funk,Columbia,1,1,3,100\n"
        "x,spotify:track:1zHlj4dQ8ZAtrayhuDDmkY,Pitbull,Timber,RCA,1,1,3,90\n"
        "3,not-a-uri,Billy Joel,Uptown Girl,Columbia,3,3,3,80\n"
        "\n"
        "4,spotify:track:6NPVjNh8Jhru9xOmyQigds,Pharrell Williams,Happy,Back Lot,4,4,2,lots\n"
        "5,spotify:track:2joHDtKFVDDyWDHnOxZMAX,,Girls,Epic,5,5,1,70\n"
    )
    record = parse_spotify_chart_csv(text, "chart.csv", "spotify-us-daily", "2023-05-01")
    assert [(e.position, e.recording is not None, e.streams) for e in record.chart_entries] == [
        (1, True, 100),
        (3, False, 80),  # kept: a chart fact without an id
        (4, True, None),
    ]
    assert [(p.locator, p.kind) for p in record.problems] == [
        ("chart.csv:3", "bad_row"),
        ("chart.csv:4", "bad_row"),
        ("chart.csv:6", "bad_row"),
        ("chart.csv:7", "bad_row"),
    ]
    assert "artist is missing" in record.problems[3].message


def test_spotify_chart_needs_a_header_and_a_date() -> None:
    with pytest.raises(PayloadError, match="no chart and date"):
        parse_spotify_chart_csv("rank,uri\n", "download.csv")
    with pytest.raises(PayloadError, match="header"):
        parse_spotify_chart_csv("a,b,c\n1,2,3\n", "regional-us-daily-2017-01-01.csv")


def test_billboard_rows_attach_only_to_the_one_matching_recording(empty: Catalog) -> None:
    song = Ref(EntityKind.RECORDING, "genius", "1")
    ella = Ref(EntityKind.ARTIST, "genius", "2")
    record = SourceRecord("genius", "songs/1", "2026-11-01")
    record.artists = [ArtistRecord(ella, "Ella Langley")]
    record.recordings = [RecordingRecord(song, "Choosin' Texas")]
    record.credits = [CreditRecord(ella, song, "main_artist", "primary_artist", "Ella Langley")]
    ingest(empty.db, stream_of("songs", [record]))
    report = ingest(empty.db, stream_of("billboard", [week("recent.json.gz")]))
    assert not report.problems
    rows = empty.db.execute(
        "SELECT position, recording_id, title FROM chart_entry ORDER BY position"
    )
    rows = list(rows)
    assert len(rows) == 100  # unmatched rows are kept with their text
    assert rows[0][1] is not None and rows[0][2] == "Choosin' Texas"
    assert {r[1] for r in rows[1:]} == {None}


def test_spotify_rows_attach_by_track_id(empty: Catalog) -> None:
    with gzip.open(DEMO / "spotify" / "zmb3_find_track.json.gz", "rb") as f:
        timber = parse_response(json.loads(f.read()), "2026-11-01")
    ingest(empty.db, stream_of("spotify", list(timber)))
    ingest(empty.db, stream_of("chart", [spotify_chart(NEW_LAYOUT)]))
    found = empty.db.one(
        "SELECT r.title FROM chart_entry c JOIN recording r ON r.id = c.recording_id"
        " WHERE c.chart = 'spotify-global-daily' AND c.position = 2"
    )
    assert found == ("Timber",)
    count = empty.db.one("SELECT count(*) FROM chart_entry WHERE recording_id IS NULL")
    assert count == (2,)
