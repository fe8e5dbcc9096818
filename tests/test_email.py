"""Notification emails through a real SMTP sink (aiosmtpd in its own process): one readable
message per notification, or one digest per account, plain text and HTML, with links."""

from __future__ import annotations

import email
from collections.abc import Iterator
from email.message import Message
from pathlib import Path

import pytest

from linernotes.store.catalog import Catalog
from linernotes.watch.deliver import attempts
from linernotes.watch.email import SmtpMailer, smtp_config
from notify_support import Clock, SmtpSink, account, event, notify, send, states, use_smtp


@pytest.fixture
def sink(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[SmtpSink]:
    made = SmtpSink(tmp_path / "smtp")
    made.folder.mkdir()
    made.start()
    use_smtp(monkeypatch, made)
    yield made
    made.stop()


def _mailer() -> SmtpMailer:
    config = smtp_config()
    assert config is not None
    return SmtpMailer(config)


def _parts(raw: str) -> tuple[Message, str, str]:
    message = email.message_from_string(raw)
    text = html = ""
    for part in message.walk():
        if part.get_content_type() == "text/plain":
            text = part.get_payload(decode=True).decode()  # type: ignore[union-attr]
        elif part.get_content_type() == "text/html":
            html = part.get_payload(decode=True).decode()  # type: ignore[union-attr]
    return message, text, html


def test_an_instant_notification_is_one_readable_email_with_links(
    empty: Catalog, sink: SmtpSink
) -> None:
    db = empty.db
    user = account(db, "fay@example.com")
    notify(db, user, event(db, title="Portland"), email=True)
    assert send(db, Clock(), mailer=_mailer()).delivered == 1
    [got] = sink.messages()
    assert got["to"] == ["fay@example.com"] and got["from"] == "alerts@linernotes.test"
    message, text, html = _parts(got["raw"])
    assert message["Subject"] == "New credits on Portland by Drake"
    assert "added: Producer Boi-1da" in text
    assert "https://linernotes.test/song/" in text and "Why: you follow Drake" in text
    assert 'href="https://linernotes.test/person/7"' in html and "Portland" in html
    assert "https://linernotes.test/notifications" in text
    [attempt] = attempts(db, user)
    assert (attempt.target, attempt.outcome, attempt.status_code) == ("email", "delivered", 250)


def test_a_daily_digest_is_one_email_per_account(empty: Catalog, sink: SmtpSink) -> None:
    db, clock = empty.db, Clock()
    daily, instant = account(db, "gus@example.com", "daily"), account(db, "hal@example.com")
    for title in ("One", "Two", "Three"):
        evt = event(db, title=title)
        notify(db, daily, evt, email=True)
        notify(db, instant, evt, email=True)
    assert send(db, clock, mailer=_mailer()).delivered == 6
    by_reader: dict[str, list[str]] = {}
    for got in sink.messages():
        message, text, _ = _parts(got["raw"])
        by_reader.setdefault(got["to"][0], []).append(str(message["Subject"]))
        if got["to"] == ["gus@example.com"]:
            assert text.index("One") < text.index("Two") < text.index("Three")
    assert by_reader["gus@example.com"] == ["Your linernotes digest: 3 updates"]
    assert len(by_reader["hal@example.com"]) == 3


def test_a_mail_server_that_is_down_means_a_retry(
    empty: Catalog, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    sink = SmtpSink(tmp_path / "smtp")
    sink.folder.mkdir()
    sink.start()
    use_smtp(monkeypatch, sink)
    sink.stop()  # the port is known, nothing listens
    db, clock = empty.db, Clock()
    user = account(db, "ida@example.com")
    notify(db, user, event(db), email=True)
    report = send(db, clock, mailer=_mailer())
    assert (report.delivered, report.failed) == (0, 1)
    assert states(db) == {"pending": 1}
    [attempt] = attempts(db, user)
    assert attempt.outcome == "error" and "ConnectionRefusedError" in attempt.error
    sink.start()
    try:
        clock.move(minutes=1)
        assert send(db, clock, mailer=_mailer()).delivered == 1
        assert len(sink.messages()) == 1
    finally:
        sink.stop()
