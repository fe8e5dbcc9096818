"""Trending records and their rechecks.

A record is trending while it is in the top N of the latest date a chart holds (Billboard's week,
Spotify's day). Credits arrive late, so the trending records of the charts someone follows are
asked for again at their sources on a schedule (trending_recheck), by the ids the catalog knows
them by; whatever the answer changes is logged by the catalog's triggers like any other write,
and the worker's next matching tells the trending followers (watch/match.py).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from linernotes.ingest import live
from linernotes.ingest.pipeline import ingest
from linernotes.settings import TRENDING_RECHECK_HOURS, positive_int
from linernotes.sources.http import HttpClient
from linernotes.store.db import Database
from linernotes.store.read_names import recording_artists
from linernotes.watch.events import stamp

# Which fetch asks a source for a recording, by the external id namespace the catalog keeps.
RECHECK_TARGETS = {
    "genius": ("genius", "song"),
    "spotify": ("spotify", "track"),
    "musicbrainz": ("musicbrainz", "recording"),
}


@dataclass(frozen=True, slots=True)
class TrendingRecord:
    chart: str
    date: str  # the chart's latest date held
    position: int
    recording_id: int | None  # None: no recording in the catalog matches the chart's row yet
    title: str  # the recording's title, or the chart's own text
    artist: str  # the chart's artist text (empty for charts that give none)
    streams: int | None


def latest_date(db: Database, chart: str) -> str | None:
    row = db.one("SELECT max(date) FROM chart_entry WHERE chart = ?", (chart,))
    return None if row is None or row[0] is None else str(row[0])


def trending(db: Database, chart: str, top_n: int) -> list[TrendingRecord]:
    """The top `top_n` of the chart's latest date, by position; [] for a chart not held."""
    date = latest_date(db, chart)
    if date is None:
        return []
    rows = db.execute(
        "SELECT ce.position, ce.recording_id, coalesce(r.title, ce.title), ce.artist, ce.streams"
        " FROM chart_entry ce LEFT JOIN recording r ON r.id = ce.recording_id"
        " WHERE ce.chart = ? AND ce.date = ? AND ce.position <= ? ORDER BY ce.position",
        (chart, date, top_n),
    )
    return [
        TrendingRecord(
            chart,
            date,
            int(position),
            None if recording is None else int(recording),
            str(title or ""),
            # Spotify's daily chart rows carry no artist text: the recording's main artists then.
            str(artist or "") or _artists(db, recording),
            None if streams is None else int(streams),
        )
        for position, recording, title, artist, streams in rows
    ]


def _artists(db: Database, recording: object) -> str:
    return "" if recording is None else ", ".join(recording_artists(db, int(str(recording))))


def followed_trending(db: Database) -> set[int]:
    """The recordings trending in the charts someone follows, each to the deepest top asked."""
    found: set[int] = set()
    for chart, top_n in db.execute(
        "SELECT chart, max(top_n) FROM follow WHERE kind = 'trending' GROUP BY chart"
    ):
        found |= {
            r.recording_id
            for r in trending(db, str(chart), int(top_n))
            if r.recording_id is not None
        }
    return found


def schedule_rechecks(db: Database, now: datetime) -> int:
    """Bring trending_recheck in line with what is trending for followers: new trending records
    are due now, records no longer trending leave the schedule. How many are scheduled."""
    with db.transaction():
        wanted = followed_trending(db)
        held = {int(r[0]) for r in db.execute("SELECT recording_id FROM trending_recheck")}
        db.executemany(
            "DELETE FROM trending_recheck WHERE recording_id = ?",
            [(i,) for i in sorted(held - wanted)],
        )
        db.executemany(
            "INSERT INTO trending_recheck (recording_id, next_at) VALUES (?, ?)"
            " ON CONFLICT (recording_id) DO NOTHING",
            [(i, stamp(now)) for i in sorted(wanted - held)],
        )
    return len(wanted)


@dataclass(slots=True)
class RecheckResult:
    recording_id: int
    title: str
    fetched: list[str] = field(default_factory=list)  # the targets asked ("genius song 123")
    skipped: list[str] = field(default_factory=list)  # notes: a source without a token
    problems: list[str] = field(default_factory=list)  # what went wrong, per target
    credits_added: int = 0
    credits_retracted: int = 0
    next_at: str = ""

    @property
    def summary(self) -> str:
        parts = [f"{len(self.fetched)} fetched"]
        if self.credits_added or self.credits_retracted:
            parts.append(f"+{self.credits_added}/-{self.credits_retracted} credits")
        parts += self.skipped + self.problems
        return "; ".join(parts)


def targets_of(db: Database, recording_id: int) -> list[live.Target]:
    """The fetches that ask the sources for this recording again, by its known ids."""
    rows = db.execute(
        "SELECT namespace, value FROM external_id WHERE entity_kind = 'recording'"
        " AND entity_id = ? ORDER BY namespace, value",
        (recording_id,),
    )
    return [
        live.Target(*RECHECK_TARGETS[str(ns)], str(value))
        for ns, value in rows
        if str(ns) in RECHECK_TARGETS
    ]


def missing_token(http: HttpClient, source: str) -> str | None:
    """A note when the source refuses anonymous requests and no token is configured."""
    policy = http.policy(source)
    if policy.auth_required and not http.credentials.has_all(policy.credential_envs):
        return f"{source} skipped: no token configured (set {' and '.join(policy.credential_envs)})"
    return None


def recheck(db: Database, http: HttpClient, recording_id: int) -> RecheckResult:
    """Fetch the recording again from every source that knows it, and ingest the answers."""
    row = db.one("SELECT title FROM recording WHERE id = ?", (recording_id,))
    result = RecheckResult(recording_id, str(row[0]) if row else "")
    for target in targets_of(db, recording_id):
        note = missing_token(http, target.source)
        if note is not None:
            result.skipped.append(note)
            continue
        report = ingest(db, live.stream(http, [target]))
        result.fetched.append(str(target))
        result.credits_added += report.credits_added
        result.credits_retracted += report.credits_retracted
        result.problems += [p.message for p in report.problems]
    if not result.fetched and not result.skipped:
        result.skipped.append("no source id known to ask again")
    return result


def run_due_rechecks(
    db: Database, http: HttpClient, now: datetime, *, limit: int = 20
) -> list[RecheckResult]:
    """Schedule, then recheck the due trending records (oldest due first, at most `limit`), and
    set each one's next time. Changes they make are told by the next matching."""
    schedule_rechecks(db, now)
    due = db.execute(
        "SELECT recording_id FROM trending_recheck WHERE next_at <= ?"
        " ORDER BY next_at, recording_id LIMIT ?",
        (stamp(now), limit),
    )
    later = stamp(now + timedelta(hours=positive_int(TRENDING_RECHECK_HOURS)))
    results: list[RecheckResult] = []
    for (recording_id,) in due:
        result = recheck(db, http, int(recording_id))
        result.next_at = later
        db.execute(
            "UPDATE trending_recheck SET last_at = ?, next_at = ?, last_result = ?"
            " WHERE recording_id = ?",
            (stamp(now), later, result.summary, recording_id),
        )
        results.append(result)
    return results
