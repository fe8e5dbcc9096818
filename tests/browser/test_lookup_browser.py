"""Live look-ups in real Chromium: a search the catalog cannot answer shows the sources' live
status, then the credits found, on the same page without a reload; a song's "Refresh credits"
works from the keyboard and replaces the credits in place.

The app runs in this process on a real uvicorn server (a thread), so its sources can answer from
recordings (`linernotes serve` in a subprocess cannot). Genius's answer for the song is held
back until the test has seen the look-up running: the live status stays on screen as long as
the test needs it, with no sleeping.
"""

from __future__ import annotations

import re
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import pytest
import uvicorn
from fastapi import FastAPI
from playwright.sync_api import Browser, BrowserContext, Page, expect

from backends import Backend
from browser.serving import ACTION_TIMEOUT_MS, DESKTOP, START_TIMEOUT_S, STOP_TIMEOUT_S, free_port
from browser.test_journeys import FOCUS_JS, shoot
from linernotes.sources.replay import Route, recorded_response
from lookup_fixtures import QUERY, LookupSite, never_heard_path, site_on
from lookup_support import DEMO

__all__ = ["never_heard_path"]

pytestmark = pytest.mark.slow

HELD_AT_MOST_S = 60.0  # Genius's answer is held back no longer than this, whatever happens
CREDITS_TIMEOUT_MS = 20_000  # the panel polls every second; the look-up itself takes well under
TABS = 40  # Tab presses to reach a control before giving up


@dataclass
class Gate:
    """Genius's answer for song 2872960, held until the test opens the gate."""

    open: threading.Event = field(default_factory=threading.Event)

    def song(self, request: httpx.Request) -> httpx.Response:
        self.open.wait(HELD_AT_MOST_S)
        return recorded_response(DEMO / "genius-api-song_2872960.json.gz")


@dataclass(frozen=True)
class LiveSite:
    url: str
    gate: Gate
    site: LookupSite


def _listening(port: int, thread: threading.Thread) -> None:
    """Until the server accepts connections; its thread ending ends the wait at once."""
    deadline = time.monotonic() + START_TIMEOUT_S
    while time.monotonic() < deadline:
        if not thread.is_alive():
            pytest.fail("the look-up test server stopped while starting")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return
        except OSError:
            time.sleep(0.05)  # a real server's readiness, polled on its socket
    pytest.fail(f"the look-up test server not listening after {START_TIMEOUT_S:.0f} s")


@contextmanager
def serving(app: FastAPI) -> Iterator[str]:
    """The app on a free loopback port, in a thread of this process, until the block ends."""
    port = free_port()
    config = uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan="on")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, name="lookup-server", daemon=True)
    thread.start()
    try:
        _listening(port, thread)
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(STOP_TIMEOUT_S)


@pytest.fixture(scope="module")
def live(
    backend: Backend, never_heard_path: Path | str, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[LiveSite]:
    gate = Gate()
    held = Route("GET", "api.genius.com", r"/songs/2872960", gate.song)
    folder = tmp_path_factory.mktemp("lookup-browser")
    try:
        with ExitStack() as stack:
            site = stack.enter_context(
                site_on(backend, never_heard_path, "browser_lookups", folder, [held])
            )
            url = stack.enter_context(serving(site.app()))
            yield LiveSite(url, gate, site)
    finally:
        gate.open.set()  # a look-up still waiting must not hold the server's stop


@pytest.fixture
def lookup_context(browser: Browser, live: LiveSite) -> Iterator[BrowserContext]:
    made = browser.new_context(base_url=live.url, viewport=DESKTOP)
    made.set_default_timeout(ACTION_TIMEOUT_MS)
    yield made
    made.close()


@pytest.fixture
def lookup_page(lookup_context: BrowserContext) -> Page:
    return lookup_context.new_page()


def tab_to(page: Page, text: str) -> None:
    """Press Tab until the focused control reads `text` (and shows that it has focus)."""
    for _ in range(TABS):
        page.keyboard.press("Tab")
        focused = page.evaluate(FOCUS_JS)
        if focused["text"] == text:
            assert focused["visible"], f"{text!r} has focus but no visible focus ring"
            return
    pytest.fail(f"{text!r} not reached in {TABS} presses of Tab")


def test_a_search_the_catalog_lacks_shows_live_status_then_the_credits(
    lookup_page: Page, live: LiveSite, shots: Path
) -> None:
    page = lookup_page
    page.goto("/")
    box = page.locator("#q")
    box.click()
    box.press_sequentially(QUERY)
    offer = page.locator("#suggestions a.hit-lookup")
    expect(offer).to_contain_text("Look it up at Genius, MusicBrainz, Discogs and Spotify")
    box.press("Enter")

    expect(page).to_have_url(re.compile(r"/search\?q=24k\+magic\+bruno\+mars$"))
    page.evaluate("() => { window.notReloaded = true; }")
    panel = page.locator("section.lookup-panel")
    expect(panel).to_have_attribute("aria-live", "polite")
    genius = panel.locator('li[data-source="genius"]')
    expect(genius).to_contain_text("fetching")
    expect(genius).to_contain_text("song 2872960: 24K Magic by Bruno Mars")
    expect(panel.locator(".lookup-said")).to_contain_text("Asking Genius")
    expect(panel.locator('li[data-source="discogs"]')).to_contain_text("set DISCOGS_TOKEN")
    shoot(page, shots, "lookup-running")

    live.gate.open.set()

    mixing = panel.locator("#credits tr", has=page.locator("th", has_text="Mixing Engineer"))
    expect(mixing).to_contain_text("Șerban Ghenea", timeout=CREDITS_TIMEOUT_MS)
    expect(panel.locator(".lookup-said")).to_have_text(
        "Found the song “24K Magic”: its credits are below."
    )
    expect(genius).to_contain_text("done")
    assert page.evaluate("() => window.notReloaded === true"), "the page was reloaded"
    shoot(page, shots, "lookup-done")


def test_refresh_credits_by_keyboard_replaces_them_in_place(
    lookup_page: Page, live: LiveSite, shots: Path
) -> None:
    live.gate.open.set()
    page = lookup_page
    # A hit now (after the look-up above), or the panel's link (a look-up, when run alone).
    page.goto(f"/search?q={QUERY}")
    songs = page.locator('a.hit[href^="/song/"], .lookup-result a[href^="/song/"]')
    found = songs.filter(has_text="24K Magic").first
    expect(found).to_be_visible(timeout=CREDITS_TIMEOUT_MS)
    found.focus()
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/song/\d+$"))
    expect(page.locator("section.lookup-panel")).to_have_count(0)  # its credits are fresh
    page.evaluate("() => { window.notReloaded = true; }")

    tab_to(page, "Refresh credits")
    page.keyboard.press("Enter")

    panel = page.locator("section.lookup-panel")
    expect(panel).to_contain_text("Checking the sources for newer credits")
    expect(panel.locator(".lookup-said")).to_have_text(
        "Credits updated from Genius.", timeout=CREDITS_TIMEOUT_MS
    )
    mixing = page.locator("#credits tr", has=page.locator("th", has_text="Mixing Engineer"))
    expect(mixing).to_contain_text("Șerban Ghenea")
    expect(page.locator("#credits")).to_have_count(1)  # replaced, not added
    focused = page.evaluate(FOCUS_JS)
    assert focused["text"] == "Refresh credits", "focus stays where the reader was"
    assert page.evaluate("() => window.notReloaded === true"), "the page was reloaded"
    shoot(page, shots, "song-refresh")
