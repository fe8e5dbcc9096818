"""Producer contact lists as files (CSV, JSON): one writer for the command line and the API.

A row per producer, featured-only producers after the others and marked so, with the best
handle (Instagram first) and the evidence behind it. The caller decides whether handles are in
(the API leaves them out unless asked, and counts the reveal when they are).
"""

from __future__ import annotations

import csv
import io

import orjson

from linernotes.labels import source_label
from linernotes.store.views import ProducersAnswer

CSV_COLUMNS = (
    "person",
    "roles",
    "song_count",
    "latest_song",
    "songs",
    "instagram",
    "instagram_verified",
    "other_handles",
    "evidence",
    "featured_only",
)


def contact_rows(answer: ProducersAnswer) -> list[dict[str, str]]:
    """The producers, then the featured-only ones, as flat text columns (CSV_COLUMNS)."""
    out: list[dict[str, str]] = []
    for featured, rows in ((False, answer.producers), (True, answer.featured_producers)):
        for row in rows:
            ig = row.handle if row.handle and row.handle.platform == "instagram" else None
            latest = row.latest
            out.append(
                {
                    "person": row.name,
                    "roles": "; ".join(row.roles),
                    "song_count": str(row.song_count),
                    "latest_song": f"{latest.title} ({latest.date})" if latest else "",
                    "songs": "; ".join(s.title for s in row.songs),
                    "instagram": ig.handle if ig else "",
                    "instagram_verified": ("yes" if ig.verified else "no") if ig else "",
                    "other_handles": ""
                    if ig or not row.handle
                    else f"{row.handle.platform}:{row.handle.handle}",
                    "evidence": "; ".join(
                        f"{source_label(e.source)}: {e.kind}"
                        for e in (row.handle.evidence if row.handle else ())
                    ),
                    "featured_only": "yes" if featured else "no",
                }
            )
    return out


def producers_csv(answer: ProducersAnswer) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=CSV_COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(contact_rows(answer))
    return out.getvalue()


def producers_json(answer: ProducersAnswer) -> str:
    """The artist (as the CLI's --json shows it), their song count and the contact rows."""
    document = {"artist": answer.artist, "songs": answer.songs, "producers": contact_rows(answer)}
    return orjson.dumps(document, option=orjson.OPT_INDENT_2).decode() + "\n"
