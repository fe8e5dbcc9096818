"""Chart files -> source records, one per chart date, keeping every row.

Billboard's weekly Hot 100 (as JSON) names songs by title and artist text only, so its rows point
at recordings by TITLE_BY and attach when exactly one catalog recording matches. Spotify's regional
chart CSVs carry each track's Spotify id, so their rows attach by id. A row the file gets wrong is
reported with where it is, and the rest of the chart goes on.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from linernotes.normalize.records import (
    TITLE_BY,
    TITLE_BY_SEPARATOR,
    ChartEntryRecord,
    EntityKind,
    PayloadError,
    Problem,
    Ref,
    SourceRecord,
)

BILLBOARD = "billboard"
HOT_100 = "billboard-hot-100"
SPOTIFY = "spotify"

_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_SPOTIFY_TRACK = re.compile(r"(?:spotify:track:|open\.spotify\.com/track/)([0-9A-Za-z]{22})")
# Spotify's downloads are named regional-<region>-<period>-<date>.csv (region "global" or a
# two-letter country code).
_SPOTIFY_FILE = re.compile(
    r"regional-(?P<region>global|[a-z]{2})-(?P<period>daily|weekly)-(?P<date>\d{4}-\d{2}-\d{2})"
)


def title_by(title: str, artist: str) -> Ref:
    return Ref(EntityKind.RECORDING, TITLE_BY, f"{title}{TITLE_BY_SEPARATOR}{artist}")


@dataclass(slots=True)
class _Chart:
    """A chart day being read: its rows, one per position, and what was wrong."""

    record: SourceRecord
    chart: str
    date: str
    name: str  # the file, for locators
    taken: set[int] = field(default_factory=set)

    def problem(self, where: str, kind: str, message: str) -> None:
        self.record.problems.append(Problem(f"{self.name}:{where}", kind, message))

    def add(self, where: str, entry: ChartEntryRecord) -> None:
        """A position holds one song: the catalog keeps one row per (chart, date, position)."""
        if entry.position in self.taken:
            self.problem(where, "bad_row", f"position {entry.position} appears twice; skipped")
        else:
            self.taken.add(entry.position)
            self.record.chart_entries.append(entry)


# -- Billboard -----------------------------------------------------------------------------


def parse_billboard_week(
    payload: Mapping[str, Any],
    name: str = "",
    chart: str = HOT_100,
    retrieved_at: str | None = None,
) -> SourceRecord:
    """{"date": "2026-08-08", "data": [{"song", "artist", "this_week", ...}]}. The chart date is
    the file's `date` field (recent.json has no date in its name); a dated file name is the
    fallback and must agree with it."""
    date = _billboard_date(payload, name)
    rows = payload.get("data")
    if not isinstance(rows, list):
        raise PayloadError("a Billboard chart needs a `data` list of rows")
    record = SourceRecord(BILLBOARD, f"charts/{chart}/{date}", retrieved_at or date)
    day = _Chart(record, chart, date, name or record.record_id)
    for index, row in enumerate(rows):
        where = f"data[{index}]"
        try:
            day.add(where, _billboard_entry(chart, date, row))
        except (ValueError, TypeError) as err:
            day.problem(where, "bad_row", f"{err}; row skipped")
    return record


def _billboard_date(payload: Mapping[str, Any], name: str) -> str:
    inside = payload.get("date")
    from_name = _ISO_DATE.search(name)
    if isinstance(inside, str) and _ISO_DATE.fullmatch(inside):
        if from_name and from_name.group() != inside:
            raise PayloadError(f"file {name} holds the chart of {inside}, not {from_name.group()}")
        return inside
    if from_name:
        return from_name.group()
    raise PayloadError(f"no chart date: `date` is {inside!r} and the file name has none")


def _billboard_entry(chart: str, date: str, row: Any) -> ChartEntryRecord:
    if not isinstance(row, dict):
        raise TypeError(f"expected an object, found {type(row).__name__}")
    song, artist = _text(row.get("song"), "song"), _text(row.get("artist"), "artist")
    return ChartEntryRecord(
        chart,
        date,
        _rank(row.get("this_week"), "this_week"),
        title_by(song, artist),
        title=song,
        artist=artist,
        last_week=_optional_rank(row.get("last_week"), "last_week"),
        peak_position=_optional_rank(row.get("peak_position"), "peak_position"),
        weeks_on_chart=_optional_rank(row.get("weeks_on_chart"), "weeks_on_chart"),
    )


# -- Spotify regional charts (CSV) ---------------------------------------------------------

# Header cell -> field, for both layouts Spotify has published: spotifycharts.com's
# (Position,"Track Name",Artist,Streams,URL, after a note line) and charts.spotify.com's
# (rank,uri,artist_names,track_name,source,peak_rank,previous_rank,weeks_on_chart,streams).
SPOTIFY_COLUMNS: Mapping[str, str] = {
    "position": "position",
    "rank": "position",
    "track name": "title",
    "track_name": "title",
    "artist": "artist",
    "artist_names": "artist",
    "url": "track",
    "uri": "track",
    "streams": "streams",
    "previous_rank": "last_week",
    "peak_rank": "peak_position",
    "weeks_on_chart": "weeks_on_chart",
}
_REQUIRED = frozenset({"position", "title", "artist", "track"})


def spotify_chart_of(file_name: str) -> tuple[str, str] | None:
    """("spotify-us-daily", "2017-01-01") from "regional-us-daily-2017-01-01.csv"."""
    found = _SPOTIFY_FILE.search(file_name)
    if found is None:
        return None
    return f"spotify-{found['region']}-{found['period']}", found["date"]


def parse_spotify_chart_csv(
    text: str,
    name: str,
    chart: str | None = None,
    date: str | None = None,
    retrieved_at: str | None = None,
) -> SourceRecord:
    """One chart day from a Spotify chart CSV; chart and date come from the file name unless
    given (a renamed download)."""
    named = spotify_chart_of(name)
    chart = chart or (named[0] if named else None)
    date = date or (named[1] if named else None)
    if not chart or not date or not _ISO_DATE.fullmatch(date):
        raise PayloadError(f"{name}: no chart and date in the file name; pass them")
    record = SourceRecord(SPOTIFY, f"charts/{chart}/{date}", retrieved_at or date)
    day = _Chart(record, chart, date, name)
    rows = _csv_rows(text)
    columns = _find_header(rows, name)
    for line, cells in rows:
        where = f"{line}"
        try:
            entry = _spotify_entry(day, where, {f: cells[i] for i, f in columns if i < len(cells)})
        except ValueError as err:
            day.problem(where, "bad_row", f"{err}; row skipped")
            continue
        day.add(where, entry)
    return record


def _csv_rows(text: str) -> Iterator[tuple[int, list[str]]]:
    """(line number, cells) of each non-empty row; numbers are the file's lines."""
    reader = csv.reader(io.StringIO(text.lstrip("\ufeff")))
    start = 1
    for cells in reader:
        if any(c.strip() for c in cells):
            yield start, cells
        start = reader.line_num + 1


def _find_header(rows: Iterator[tuple[int, list[str]]], name: str) -> list[tuple[int, str]]:
    """Skip note lines up to the header; return (cell index, field) for the columns we read."""
    for _, cells in rows:
        columns = [
            (i, SPOTIFY_COLUMNS[c.strip().lower()])
            for i, c in enumerate(cells)
            if c.strip().lower() in SPOTIFY_COLUMNS
        ]
        if {field for _, field in columns} >= _REQUIRED:
            return columns
    raise PayloadError(f"{name}: no Spotify chart header (rank/Position, track, artist, uri/URL)")


def _spotify_entry(day: _Chart, where: str, cells: Mapping[str, str]) -> ChartEntryRecord:
    position = _rank(cells.get("position", ""), "position")
    title, artist = _text(cells.get("title"), "track name"), _text(cells.get("artist"), "artist")
    found = _SPOTIFY_TRACK.search(cells.get("track", ""))
    if found is None:
        # Still a chart fact worth keeping (trending reads every row); it just names no id.
        day.problem(where, "bad_row", f"no Spotify track id in {cells.get('track')!r}; kept")
    return ChartEntryRecord(
        day.chart,
        day.date,
        position,
        Ref(EntityKind.RECORDING, SPOTIFY, found.group(1)) if found else None,
        title=title,
        artist=artist,
        streams=_count(day, where, cells.get("streams", "")),
        last_week=_previous(cells.get("last_week", "")),
        peak_position=_optional_rank(cells.get("peak_position") or None, "peak_rank"),
        weeks_on_chart=_optional_rank(cells.get("weeks_on_chart") or None, "weeks_on_chart"),
    )


def _previous(text: str) -> int | None:
    """charts.spotify.com writes -1 (and some tools 0 or nothing) for a new entry."""
    text = text.strip()
    return int(text) if text.isdigit() and int(text) > 0 else None


def _count(day: _Chart, where: str, text: str) -> int | None:
    digits = text.strip().replace(",", "")
    if not digits:
        return None
    if digits.isdigit():
        return int(digits)
    day.problem(where, "bad_row", f"streams {text!r} is not a number; left empty")
    return None


# -- values ----------------------------------------------------------------------------------


def _text(value: object, what: str) -> str:
    if isinstance(value, str) and value.strip():
        return value.strip()
    raise ValueError(f"{what} is missing")


def _rank(value: object, what: str) -> int:
    if isinstance(value, str) and value.strip().isdigit():
        value = int(value.strip())
    if isinstance(value, int) and not isinstance(value, bool) and value > 0:
        return value
    raise ValueError(f"{what} {value!r} is not a chart position")


def _optional_rank(value: object, what: str) -> int | None:
    return None if value is None else _rank(value, what)
