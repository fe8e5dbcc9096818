"""Live look-ups in the pages: a search the catalog cannot answer shows a live panel that ends
with the credits found; a song page with stale credits checks the sources and gets its credits
section replaced; "Refresh credits" asks on demand; with look-ups off none of it shows.

The app runs its look-ups on real threads, answered from recorded responses (tests/
lookup_support.py) on fake clocks; the tests poll the panel's fragment as the page does, a
bounded number of times with a tiny wait between polls.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import lxml.html
import pytest
from fastapi.testclient import TestClient
from httpx2 import Response
from lxml.html import HtmlElement

from linernotes.lookup import jobs
from linernotes.lookup.service import LookupSettings
from linernotes.sources.http_policy import Credentials
from linernotes.web.lookup_panel import panel
from lookup_fixtures import (
    LOOKUPS_OFF,
    LOOKUPS_ON,
    QUERY,
    LookupSite,
    never_heard,
    never_heard_path,
    snapshot_24k,
    snapshot_24k_path,
)
from lookup_support import Sources

__all__ = ["never_heard", "never_heard_path", "snapshot_24k", "snapshot_24k_path"]

POLLS = 400  # x 25 ms: ten seconds at most for a look-up answered from recordings
POLL_WAIT = 0.025
STALE_AFTER_A_YEAR = LookupSettings(
    enabled=True, budget=20.0, stale=timedelta(days=365), reuse=timedelta(minutes=60)
)


@pytest.fixture
def client(never_heard: LookupSite) -> Iterator[TestClient]:
    with TestClient(never_heard.app()) as made:
        yield made


def page(answer: Response) -> HtmlElement:
    assert answer.status_code == 200, answer.text[:500]
    assert answer.headers["content-type"].startswith("text/html")
    return lxml.html.fromstring(answer.text)


def fragment(answer: Response) -> HtmlElement:
    assert answer.status_code == 200, answer.text[:500]
    return lxml.html.fragment_fromstring(answer.text, create_parent="div")


def text(element: HtmlElement) -> str:
    return " ".join(element.text_content().split())


def one(html: HtmlElement, xpath: str) -> HtmlElement:
    found = html.xpath(xpath)
    assert len(found) == 1, f"{xpath}: {len(found)} found"
    element: HtmlElement = found[0]
    return element


def job_id(html: HtmlElement) -> int:
    """The look-up the panel on this page follows."""
    section = one(html, "//section[contains(@class, 'lookup-panel')]")
    return int(str(section.get("id")).removeprefix("lookup-"))


def polled_until_done(client: TestClient, lookup: int, view: str) -> HtmlElement:
    """The panel's fragment once the look-up ended, asked for as the page asks."""
    for _ in range(POLLS):
        html = fragment(client.get(f"/lookups/{lookup}", params={"view": view}))
        if one(html, "//div[contains(@class, 'lookup-body')]").get("hx-get") is None:
            return html
        time.sleep(POLL_WAIT)  # the look-up runs on the app's own thread
    pytest.fail(f"look-up {lookup} still running after {POLLS} polls")


def source_line(html: HtmlElement, source: str) -> str:
    return text(one(html, f"//li[@data-source='{source}']"))


def credits_row(html: HtmlElement, section: str, role: str) -> str:
    """The people of a role in a credits section, as the table's row reads."""
    table = one(html, f"//section[@id='{section}']")
    rows = [r for r in table.xpath(".//tr") if text(r.xpath("./th")[0]) == role]
    return text(rows[0]) if rows else ""


# -- the results page ---------------------------------------------------------------------------


def test_a_search_the_catalog_cannot_answer_shows_a_live_panel_then_the_credits(
    never_heard: LookupSite, client: TestClient
) -> None:
    html = page(client.get("/search", params={"q": QUERY}))
    lookup = job_id(html)
    live = one(html, "//section[contains(@class, 'lookup-panel')]")
    assert live.get("aria-live") == "polite"
    assert "Looking it up at Genius, MusicBrainz, Discogs and Spotify" in text(live)
    body = one(live, ".//div[contains(@class, 'lookup-body')]")
    if body.get("hx-get") is not None:  # still running when the page was made: it polls
        assert body.get("hx-get", "").startswith(f"/lookups/{lookup}?view=search")
        assert body.get("hx-trigger") == "every 1s"

    done = polled_until_done(client, lookup, "search")

    said = text(one(done, f"//p[@id='lookup-{lookup}-said']"))
    assert said == "Found the song “24K Magic”: its credits are below."
    assert "song 2872960: 24K Magic by Bruno Mars" in source_line(done, "genius")
    assert "DISCOGS_TOKEN" in source_line(done, "discogs")  # skipped, and says why
    link = one(done, "//p[@class='lookup-result']/a")
    song = never_heard.song_id("24K Magic")
    assert (link.get("href"), text(link)) == (f"/song/{song}", "24K Magic")
    assert "Șerban Ghenea" in credits_row(done, "credits", "Mixing Engineer")


def test_the_same_search_again_is_answered_from_the_catalog_without_a_panel(
    never_heard: LookupSite, client: TestClient
) -> None:
    polled_until_done(client, job_id(page(client.get("/search", params={"q": QUERY}))), "search")
    asked = len(never_heard.sources.requests)

    html = page(client.get("/search", params={"q": "24K Magic Bruno Mars"}))

    assert not html.xpath("//section[contains(@class, 'lookup-panel')]")
    songs = one(html, "//h2[@id='results-recording']/..")
    first = songs.xpath(".//a[contains(@class, 'hit')]")[0]
    assert first.get("href") == f"/song/{never_heard.song_id('24K Magic')}"
    assert "by Bruno Mars" in text(first.getparent()), "the hit says whose song it is"
    assert len(never_heard.sources.requests) == asked, "no source was asked again"


def test_a_poll_with_nothing_new_swaps_nothing(never_heard: LookupSite, client: TestClient) -> None:
    lookup = job_id(page(client.get("/search", params={"q": QUERY})))
    polled_until_done(client, lookup, "search")
    job = jobs.get(never_heard.catalog.db, lookup)
    assert job is not None
    shown = panel(job, "search")

    same = client.get(f"/lookups/{lookup}", params={"view": "search", "v": shown.version})
    changed = client.get(f"/lookups/{lookup}", params={"view": "search", "v": "0" * 12})
    said_already = client.get(
        f"/lookups/{lookup}", params={"view": "search", "v": "0" * 12, "said": shown.said_key}
    )

    assert (same.status_code, same.text) == (204, "")
    assert changed.status_code == 200 and "lookup-body" in changed.text
    assert f'id="lookup-{lookup}-said"' in changed.text
    assert f'id="lookup-{lookup}-said"' not in said_already.text, "not read out twice"
    assert client.get("/lookups/999999").status_code == 404


def test_when_no_source_finds_it_the_panel_says_so_with_each_source_note(
    never_heard: LookupSite, tmp_path: Path
) -> None:
    no_tokens = Sources(tmp_path / "no-tokens", credentials=Credentials({}))
    never_heard.sources = no_tokens
    try:
        with TestClient(never_heard.app()) as client:
            lookup = job_id(page(client.get("/search", params={"q": QUERY})))
            done = polled_until_done(client, lookup, "search")
    finally:
        no_tokens.close()
    said = text(one(done, f"//p[@id='lookup-{lookup}-said']"))
    assert said == f"No source found “{QUERY}”. What each said is below."
    genius = "Genius: skipped. No token configured for genius: set GENIUS_TOKEN"
    assert source_line(done, "genius") == genius
    assert source_line(done, "musicbrainz").startswith("MusicBrainz: no match.")
    assert not done.xpath("//p[@class='lookup-result']")


def test_suggestions_never_start_a_look_up_but_offer_one(
    never_heard: LookupSite, client: TestClient
) -> None:
    html = fragment(client.get("/search/suggest", params={"q": QUERY}))
    offer = one(html, "//a[contains(@class, 'hit-lookup')]")
    assert "Look it up at Genius, MusicBrainz, Discogs and Spotify" in text(offer)
    assert offer.get("href") == "/search?q=24k%20magic%20bruno%20mars"
    found = fragment(client.get("/search/suggest", params={"q": "bruno mars"}))
    assert not found.xpath("//a[contains(@class, 'hit-lookup')]"), "a good hit: no offer"
    assert never_heard.lookups_made() == 0 and never_heard.sources.requests == []


# -- song pages ---------------------------------------------------------------------------------


def test_a_song_with_stale_credits_checks_the_sources_and_its_credits_are_replaced(
    snapshot_24k: LookupSite,
) -> None:
    song = snapshot_24k.song_id("24K Magic")
    with TestClient(snapshot_24k.app(STALE_AFTER_A_YEAR)) as client:
        html = page(client.get(f"/song/{song}"))
        assert credits_row(html, "credits", "Mixing Engineer") == ""  # the snapshot has none
        live = one(html, "//section[contains(@class, 'lookup-panel')]")
        assert "Checking the sources for newer credits" in text(live)
        assert "Credits last checked 2018" in text(live)
        done = polled_until_done(client, job_id(html), "record")

    said = text(one(done, f"//p[@id='lookup-{job_id(html)}-said']"))
    assert said == "Credits updated from Genius."
    section = one(done, "//section[@id='credits']")
    assert section.get("hx-swap-oob") == "outerHTML", "replaces the page's credits"
    assert "Șerban Ghenea" in credits_row(done, "credits", "Mixing Engineer")


def test_refresh_credits_asks_the_sources_on_demand(snapshot_24k: LookupSite) -> None:
    song = snapshot_24k.song_id("24K Magic")
    with TestClient(snapshot_24k.app(LOOKUPS_ON)) as client:
        html = page(client.get(f"/song/{song}"))
        assert not html.xpath("//section[contains(@class, 'lookup-panel')]"), "fresh enough"
        form = one(html, "//form[contains(@class, 'refresh-form')]")
        assert form.get("action") == form.get("hx-post") == f"/song/{song}/refresh"
        assert text(one(form, ".//button")) == "Refresh credits"
        token = one(html, "//meta[@name='csrf-token']").get("content", "")

        refused = client.post(f"/song/{song}/refresh", headers={"HX-Request": "true"})
        assert refused.status_code == 403, "no CSRF token, no look-up"
        assert snapshot_24k.lookups_made() == 0

        started = client.post(
            f"/song/{song}/refresh", headers={"HX-Request": "true", "X-CSRF-Token": token}
        )
        lookup = job_id(fragment(started))
        done = polled_until_done(client, lookup, "record")
        assert "Șerban Ghenea" in credits_row(done, "credits", "Mixing Engineer")

        # Without JavaScript: the form posts, and the page shows that look-up.
        plain = client.post(
            f"/song/{song}/refresh", data={"csrf_token": token}, follow_redirects=False
        )
        assert plain.status_code == 303
        assert plain.headers["location"] == f"/song/{song}?lookup={lookup}"  # the one just run
        again = page(client.get(plain.headers["location"]))
        assert job_id(again) == lookup
        assert "Șerban Ghenea" in credits_row(again, "credits", "Mixing Engineer")


def test_an_album_with_stale_credits_gets_its_sections_replaced(
    snapshot_24k: LookupSite,
) -> None:
    album = snapshot_24k.catalog.db.one("SELECT id FROM release WHERE title = '24K Magic'")
    assert album is not None
    with TestClient(snapshot_24k.app(STALE_AFTER_A_YEAR)) as client:
        html = page(client.get(f"/album/{album[0]}"))
        assert one(html, "//form[contains(@class, 'refresh-form')]").get("action") == (
            f"/album/{album[0]}/refresh"
        )
        done = polled_until_done(client, job_id(html), "record")
    assert one(done, "//section[@id='tracks']").get("hx-swap-oob") == "outerHTML"
    assert one(done, "//section[@id='release-credits']").get("hx-swap-oob") == "outerHTML"
    assert "Șerban Ghenea" in text(one(done, "//section[@id='tracks']"))


# -- look-ups off -------------------------------------------------------------------------------


def test_with_look_ups_off_no_page_shows_a_panel_or_a_refresh_button(
    snapshot_24k: LookupSite,
) -> None:
    song = snapshot_24k.song_id("24K Magic")
    with TestClient(snapshot_24k.app(LOOKUPS_OFF)) as client:
        search = page(client.get("/search", params={"q": "zzqx flurbo"}))
        song_page = page(client.get(f"/song/{song}"))
        offer = fragment(client.get("/search/suggest", params={"q": "zzqx flurbo"}))
        token = one(song_page, "//meta[@name='csrf-token']").get("content", "")
        refresh = client.post(f"/song/{song}/refresh", headers={"X-CSRF-Token": token})
    assert not search.xpath("//section[contains(@class, 'lookup-panel')]")
    assert "Check the spelling" in text(search)
    assert not song_page.xpath("//section[contains(@class, 'lookup-panel')]")
    assert not song_page.xpath("//form[contains(@class, 'refresh-form')]")
    assert not offer.xpath("//a[contains(@class, 'hit-lookup')]")
    assert refresh.status_code == 503 and "Look-ups are off" in refresh.text
    assert snapshot_24k.lookups_made() == 0 and snapshot_24k.sources.requests == []
