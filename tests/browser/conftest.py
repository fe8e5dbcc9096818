"""Real Chromium against a real `linernotes serve`: one browser per session, one server per module.

The server serves a copy of the demo catalog (the run's backend: a SQLite file, or a database on
the session's PostgreSQL; reveals write to it) with small plan limits, so a journey can reach
them. Screenshots go to test-artifacts/screenshots/BACKEND/ (or $LINERNOTES_SCREENSHOTS).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, sync_playwright

from backends import Backend
from browser.serving import (
    ACTION_TIMEOUT_MS,
    CHROMIUM_ARGS,
    DESKTOP,
    ROOT,
    Site,
    ensure_chromium,
    serve,
)


@pytest.fixture(scope="module")
def site(
    backend: Backend, demo_path: Path | str, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Site]:
    where = backend.copy(demo_path, "browser")
    search_dir = getattr(backend, "search_dir", None)  # where a PostgreSQL catalog's index is
    env = {"LINERNOTES_SEARCH_DIR": str(search_dir)} if search_dir is not None else {}
    with serve(where, tmp_path_factory.mktemp("browser-site"), env) as served:
        yield served


# Module-wide, not session-wide: Playwright's sync API keeps an event loop running in this thread
# until it stops, and later tests run asyncio themselves (the webhook sender).
@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    executable = ensure_chromium()
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(executable), args=CHROMIUM_ARGS)
        yield launched
        launched.close()


@pytest.fixture(scope="session")
def shots(request: pytest.FixtureRequest) -> Path:
    base = os.environ.get("LINERNOTES_SCREENSHOTS") or ROOT / "test-artifacts" / "screenshots"
    folder = Path(base) / str(request.config.getoption("--backend"))
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@pytest.fixture
def context(browser: Browser, site: Site) -> Iterator[BrowserContext]:
    """A new visitor: its own cookies, allowed to use the clipboard on the site."""
    made = browser.new_context(base_url=site.url, viewport=DESKTOP)
    made.grant_permissions(["clipboard-read", "clipboard-write"], origin=site.url)
    made.set_default_timeout(ACTION_TIMEOUT_MS)
    yield made
    made.close()


@pytest.fixture
def page(context: BrowserContext) -> Page:
    return context.new_page()
