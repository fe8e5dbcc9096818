"""End to end: a new Genius response for a followed artist reaches every channel, exactly once.

The catalog starts as the demo without Genius's song 2890553 ("Fake Love" by Drake). Three users:
one follows Drake (webhook and email), one follows Frank Dukes, a producer on the song (email
only), one follows Bruno Mars (nothing of his changes). The song is then fetched as a live fetch
does, through the HTTP layer answering with the recorded response, and a real `linernotes worker`
process runs once. The webhook receiver (a process of its own, checking signatures) and the SMTP
sink (aiosmtpd in its own process) must hold exactly the expected messages; the Atom feed and the
in-app list must say the same; a second fetch and a second worker run add nothing.
"""

from __future__ import annotations

import email
import os
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import feedparser
import pytest
from fastapi.testclient import TestClient

from backends import Backend
from linernotes.ingest import live
from linernotes.ingest.pipeline import IngestReport, ingest
from linernotes.settings import Secret
from linernotes.sources.http import HttpClient
from linernotes.sources.http_policy import Credentials
from linernotes.sources.ratelimit import FakeClock
from linernotes.sources.replay import recorded_transport
from linernotes.store.catalog import Catalog
from linernotes.watch import follows, inbox
from linernotes.web.app import create_app
from linernotes.web.config import WebConfig
from notify_support import Receiver, SmtpSink, allow_loopback, hook, use_smtp
from watch_support import (
    DRAKE_GENIUS_ID,
    FAKE_LOVE_GENIUS_ID,
    artist_by_genius_id,
    fake_love_payload,
    new_user,
    without_fake_love,
)

ROOT = Path(__file__).resolve().parent.parent
# Genius artist ids, as the recorded responses give them.
DRAKE, FRANK_DUKES, BRUNO_MARS = DRAKE_GENIUS_ID, "28169", "500"


@dataclass
class Scene:
    where: Path | str
    fan: int  # follows Drake: webhook and email
    digger: int  # follows Frank Dukes: email only
    bystander: int  # follows Bruno Mars
    receiver: Receiver
    sink: SmtpSink


@pytest.fixture
def scene(backend: Backend, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Scene]:
    allow_loopback(monkeypatch)
    receiver = Receiver(tmp_path / "receiver")
    sink = SmtpSink(tmp_path / "smtp")
    receiver.folder.mkdir()
    sink.folder.mkdir()
    receiver.start()
    sink.start()
    use_smtp(monkeypatch, sink)
    where = without_fake_love(backend, "e2e")
    catalog = Catalog.open(where)
    db = catalog.db
    fan, digger = new_user(db, "fan@example.com"), new_user(db, "digger@example.com")
    bystander = new_user(db, "bystander@example.com")
    follows.add_follow(db, fan, "artist", artist_by_genius_id(db, DRAKE))
    follows.add_follow(db, digger, "person", artist_by_genius_id(db, FRANK_DUKES))
    follows.add_follow(db, bystander, "artist", artist_by_genius_id(db, BRUNO_MARS))
    hook(db, fan, receiver, "/fan")
    hook(db, bystander, receiver, "/bystander")
    catalog.close()
    try:
        yield Scene(where, fan, digger, bystander, receiver, sink)
    finally:
        receiver.stop()
        sink.stop()


def fetch_fake_love(where: Path | str, tmp_path: Path) -> IngestReport:
    """The song fetched live: Genius's API through the HTTP layer, the recording replayed."""
    catalog = Catalog.open(where)
    with HttpClient(
        transport=recorded_transport(),
        clock=FakeClock(),
        credentials=Credentials({"GENIUS_TOKEN": Secret("test-token")}),
        cache_dir=tmp_path / "http-cache",
        use_cache=False,
    ) as http:
        report = ingest(
            catalog.db, live.stream(http, [live.Target("genius", "song", FAKE_LOVE_GENIUS_ID)])
        )
    catalog.close()
    return report


def run_worker(where: Path | str) -> str:
    """A real worker process, run until nothing is left to do."""
    done = subprocess.run(
        [sys.executable, "-m", "linernotes", "--db", str(where), "worker", "--once"],
        env={**os.environ, "LINERNOTES_DEMO": "0"},
        capture_output=True,
        text=True,
        timeout=300,
        cwd=ROOT,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


def credited(payload: dict[str, Any], key: str) -> set[str]:
    return {a["name"] for a in payload[key]}


def test_a_new_genius_response_for_a_followed_artist_reaches_every_channel_once(
    scene: Scene, tmp_path: Path
) -> None:
    report = fetch_fake_love(scene.where, tmp_path)
    assert report.written == 1 and not report.problems
    run_worker(scene.where)

    # The webhook: one signed request, to the fan's endpoint only, with the song's new credits.
    [got] = scene.receiver.records()
    assert (got["path"], got["verified"], got["duplicate"]) == ("/fan", True, False)
    body = got["body"]
    event_id = body["id"]
    assert got["id"] == event_id and body["type"] == "credits.changed"
    data = body["data"]
    assert (data["subject"]["title"], data["subject"]["artists"]) == ("Fake Love", ["Drake"])
    assert data["new_subject"] is True
    added = {(c["person"]["name"], c["role"]) for c in data["changes"] if c["change"] == "added"}
    payload = fake_love_payload()
    assert {p for p, role in added if role == "producer"} == credited(payload, "producer_artists")
    assert {p for p, role in added if role == "songwriter"} == credited(payload, "writer_artists")
    assert [r["kind"] for r in body["reasons"]] == ["artist"]

    # Email: one to the fan, one to the producer's follower, none to the bystander.
    mails = {tuple(m["to"]): email.message_from_string(m["raw"]) for m in scene.sink.messages()}
    assert set(mails) == {("fan@example.com",), ("digger@example.com",)}
    assert len(scene.sink.messages()) == 2
    assert all("Fake Love" in str(m["Subject"]) for m in mails.values())

    # The in-app list and the Atom feed tell the same event.
    catalog = Catalog.open(scene.where)
    db = catalog.db
    [fan_note] = inbox.notifications(db, scene.fan)
    [digger_note] = inbox.notifications(db, scene.digger)
    assert inbox.notifications(db, scene.bystander) == []
    assert fan_note.event["id"] == digger_note.event["id"] == event_id
    assert [r["kind"] for r in digger_note.reasons] == ["person"]
    token = inbox.notify_settings(db, scene.fan).feed_token
    catalog.close()
    with TestClient(create_app(WebConfig(scene.where))) as client:
        answer = client.get(f"/feed/{token}.atom")
    assert answer.status_code == 200
    feed = feedparser.parse(answer.content)
    [entry] = feed.entries
    assert entry.id.endswith(f":event/{event_id.removeprefix('evt_')}")
    assert "Fake Love" in entry.title
    assert entry.link.endswith(data["subject"]["path"])

    # Nothing twice: the same response fetched again and the worker run again add nothing.
    again = fetch_fake_love(scene.where, tmp_path)
    assert again.written == 0
    run_worker(scene.where)
    assert len(scene.receiver.records()) == 1 and len(scene.sink.messages()) == 2
