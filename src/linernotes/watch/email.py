"""Notification emails: one readable message per notification (instant) or one digest per account
(daily), plain text and HTML, with links to the web app; sent over SMTP (smtplib).

Building a message is pure (`instant_message`, `digest_message`); `SmtpMailer` sends it and
reports what happened the way a webhook attempt is recorded.
"""

from __future__ import annotations

import html
import smtplib
import time
from collections.abc import Callable
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import make_msgid
from typing import Any

from linernotes import settings
from linernotes.watch.webhook import Outcome


@dataclass(frozen=True, slots=True)
class Item:
    """One notification to tell about: its event JSON and why the reader gets it."""

    event: dict[str, Any]
    reasons: list[dict[str, Any]]


def _link(base: str, path: str) -> str:
    return base.rstrip("/") + path


def _headline(event: dict[str, Any]) -> str:
    subject = event.get("subject", {})
    title = str(subject.get("title", "?"))
    artists = ", ".join(str(a) for a in subject.get("artists", []))
    by = f" by {artists}" if artists and subject.get("kind") != "artist" else ""
    if event.get("type") == "handles.changed":
        return f"New handles for {title}"
    fresh = "New song or release: " if event.get("new_subject") else "New credits on "
    return f"{fresh}{title}{by}"


def _change_line(change: dict[str, Any]) -> str:
    person = change.get("person", {}).get("name", "?")
    what = str(change.get("change", "changed"))
    if "platform" in change:
        return f"{what}: {change['platform']} handle of {person}"
    role = change.get("role_label") or change.get("role", "")
    detail = f" ({change['detail']})" if change.get("detail") else ""
    before = f", was {change['previous_role']}" if change.get("previous_role") else ""
    return f"{what}: {role}{detail} {person}{before}"


def _reason_line(reasons: list[dict[str, Any]]) -> str:
    named = []
    for reason in reasons:
        if reason.get("kind") == "trending":
            named.append(f"trending on {reason.get('chart')} (#{reason.get('position')})")
        else:
            named.append(f"you follow {reason.get('target', {}).get('name', '?')}")
    return "; ".join(named)


def _text_block(item: Item, base: str) -> str:
    event = item.event
    lines = [_headline(event), _link(base, str(event.get("subject", {}).get("path", "/")))]
    lines += ["  " + _change_line(c) for c in event.get("changes", [])]
    if item.reasons:
        lines.append(f"Why: {_reason_line(item.reasons)}")
    return "\n".join(lines)


def _html_block(item: Item, base: str) -> str:
    event, esc = item.event, html.escape
    href = _link(base, str(event.get("subject", {}).get("path", "/")))
    rows = []
    for change in event.get("changes", []):
        path = change.get("person", {}).get("path")
        line = esc(_change_line(change))
        rows.append(f'<li><a href="{esc(_link(base, path))}">{line}</a></li>' if path else line)
    why = f"<p><small>Why: {esc(_reason_line(item.reasons))}</small></p>" if item.reasons else ""
    return (
        f'<h2><a href="{esc(href)}">{esc(_headline(event))}</a></h2><ul>{"".join(rows)}</ul>{why}'
    )


def _footer(base: str) -> tuple[str, str]:
    where = _link(base, "/notifications")
    text = f"-- \nYour notifications and how you get them: {where}"
    return text, f'<p><small><a href="{html.escape(where)}">Your notifications</a></small></p>'


def _message(to: str, subject: str, items: list[Item], base: str) -> EmailMessage:
    text_foot, html_foot = _footer(base)
    message = EmailMessage()
    message["Subject"] = subject
    message["From"] = settings.SMTP_FROM.value()
    message["To"] = to
    message["Message-ID"] = make_msgid(domain="linernotes")
    text = "\n\n".join(_text_block(i, base) for i in items)
    message.set_content(f"{text}\n\n{text_foot}\n")
    body = "".join(_html_block(i, base) for i in items)
    message.add_alternative(f"<html><body>{body}{html_foot}</body></html>", subtype="html")
    return message


def instant_message(to: str, item: Item, base: str) -> EmailMessage:
    """The email for one notification."""
    return _message(to, _headline(item.event), [item], base)


def digest_message(to: str, items: list[Item], base: str) -> EmailMessage:
    """One email for a day's notifications, oldest first."""
    count = f"{len(items)} update" + ("" if len(items) == 1 else "s")
    return _message(to, f"Your linernotes digest: {count}", items, base)


@dataclass(frozen=True, slots=True)
class SmtpConfig:
    host: str
    port: int
    user: str
    password: settings.Secret | None
    starttls: bool
    timeout: float


def smtp_config() -> SmtpConfig | None:
    """The SMTP server the settings name, or None when LINERNOTES_SMTP_HOST is empty."""
    host = settings.SMTP_HOST.value().strip()
    if not host:
        return None
    port = settings.positive_int(settings.SMTP_PORT)
    starttls = settings.SMTP_STARTTLS.value().strip().lower() in {"1", "true", "yes", "on"}
    return SmtpConfig(
        host,
        port,
        settings.SMTP_USER.value().strip(),
        settings.secret(settings.SMTP_PASSWORD),
        starttls,
        settings.http_timeout(),
    )


class SmtpMailer:
    """Sends each message over its own SMTP connection (mail is a small share of deliveries)."""

    def __init__(self, config: SmtpConfig, clock: Callable[[], float] = time.monotonic) -> None:
        self.config = config
        self.clock = clock

    def send(self, message: EmailMessage) -> Outcome:
        started = self.clock()

        def done(outcome: str, code: int | None, error: str) -> Outcome:
            return Outcome(outcome, code, error, int((self.clock() - started) * 1000))

        config = self.config
        try:
            with smtplib.SMTP(config.host, config.port, timeout=config.timeout) as smtp:
                if config.starttls:
                    smtp.starttls()
                if config.user and config.password is not None:
                    smtp.login(config.user, config.password.reveal())
                smtp.send_message(message)
        except smtplib.SMTPResponseException as error:
            said = error.smtp_error
            text = said.decode("utf-8", "replace") if isinstance(said, bytes) else said
            return done("rejected", error.smtp_code, f"SMTP {error.smtp_code}: {text}")
        except smtplib.SMTPRecipientsRefused as error:
            return done("rejected", None, f"recipient refused: {error.recipients}")
        except TimeoutError:
            return done("timeout", None, f"no answer within {config.timeout:g} s")
        except (OSError, smtplib.SMTPException) as error:
            return done("error", None, f"{type(error).__name__}: {error}")
        return done("delivered", 250, "")
