"""The pages on the demo catalog: what a reader sees on each, where links lead, the reveal flow.

Pages are read as a browser would get them (HTML over the app's own HTTP handling) and checked
with lxml: the content a user would look for, not the markup's exact shape. Reveals write to
the catalog, so those tests run on a copy of the demo catalog with small plans and a clock
that stands still.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import lxml.html
import pytest
from fastapi.testclient import TestClient
from httpx2 import Response
from lxml.html import HtmlElement

from backends import Backend
from linernotes.normalize.records import EntityKind
from linernotes.normalize.roles import ROLES, Family
from linernotes.store import read_people
from linernotes.store.catalog import Catalog
from linernotes.store.read_names import exact
from linernotes.store.read_producers import producers
from linernotes.web import pages_catalog
from linernotes.web.app import create_app, prepare
from linernotes.web.config import Plan, WebConfig, plans_from_settings
from linernotes.web.pages_read import family_people, people_per_family

NOON = datetime(2026, 3, 14, 12, 0, tzinfo=UTC)
SMALL_PLANS = {
    "anonymous": Plan("anonymous", reveals_per_day=2, api_per_minute=1000),
    "free": Plan("free", reveals_per_day=5, api_per_minute=1000),
    "pro": Plan("pro", reveals_per_day=50, api_per_minute=1000),
}


@pytest.fixture(scope="module")
def catalog(demo_path: Path | str) -> Iterator[Catalog]:
    """The demo catalog, read only: where the tests look up the ids they expect."""
    opened = Catalog.open(demo_path)
    prepare(opened)
    yield opened
    opened.close()


@pytest.fixture(scope="module")
def client(demo_path: Path | str, catalog: Catalog) -> Iterator[TestClient]:
    with TestClient(create_app(WebConfig(demo_path, plans=plans_from_settings()))) as client:
        yield client


@pytest.fixture
def writable(backend: Backend, demo_path: Path | str) -> Iterator[TestClient]:
    """An app on a copy of the demo catalog (reveals are written), 2 reveals a day anonymous."""
    where = backend.copy(demo_path, "pages")
    app = create_app(WebConfig(where, plans=SMALL_PLANS))
    app.state.now = lambda: NOON
    with TestClient(app) as client:
        yield client


def page(answer: Response) -> HtmlElement:
    assert answer.headers["content-type"].startswith("text/html")
    return lxml.html.fromstring(answer.text)


def text(element: HtmlElement) -> str:
    return " ".join(element.text_content().split())


def artist_id(catalog: Catalog, name: str) -> int:
    found = exact(catalog.db, EntityKind.ARTIST, name)
    assert found, name
    return found[0].id


def drake(catalog: Catalog) -> int:
    return artist_id(catalog, "Drake")


def producer_ids(catalog: Catalog) -> dict[str, int]:
    answer = producers(catalog.db, drake(catalog))
    return {row.name: row.artist_id for row in answer.producers}


def duets(catalog: Catalog) -> int:
    row = catalog.db.one(
        "SELECT entity_id FROM external_id"
        " WHERE entity_kind = 'release' AND namespace = 'discogs' AND value = '9343063'"
    )
    assert row is not None
    return int(row[0])


def csrf(html: HtmlElement) -> str:
    token = html.xpath("//meta[@name='csrf-token']/@content")[0]
    assert isinstance(token, str) and token
    return token


# -- home and search ----------------------------------------------------------------------------


def test_home_has_one_search_box_with_suggestions_as_you_type(client: TestClient) -> None:
    html = page(client.get("/"))
    box = html.get_element_by_id("q")
    assert (box.tag, box.get("name"), box.get("type")) == ("input", "q", "search")
    assert box.get("hx-get") == "/search/suggest"
    assert html.xpath("//label[@for='q']"), "the search box has a label"
    suggestions = html.get_element_by_id("suggestions")
    assert suggestions.get("aria-live") == "polite"
    assert html.xpath("//a[@class='skip-link' and @href='#main']")
    assert html.xpath("//main[@id='main']")


def test_suggestions_are_links_to_the_pages(client: TestClient, catalog: Catalog) -> None:
    html = page(client.get("/search/suggest", params={"q": "drak"}))
    hits = {a.get("href"): text(a) for a in html.xpath("//a[contains(@class, 'hit')]")}
    assert f"/artist/{drake(catalog)}" in hits
    assert hits[f"/artist/{drake(catalog)}"].startswith("Drake")
    assert "/search?q=drak" in hits, "the last suggestion opens every result"


def test_suggestions_for_nothing_or_too_much(client: TestClient) -> None:
    assert client.get("/search/suggest", params={"q": " "}).text.strip() == ""
    too_long = client.get("/search/suggest", params={"q": "x" * 201})
    assert too_long.status_code == 200
    assert "at most 200 characters" in too_long.text
    nothing = page(client.get("/search/suggest", params={"q": "zzqxv"}))
    assert "Nothing matches" in text(nothing)


def test_search_page_works_without_javascript(client: TestClient) -> None:
    html = page(client.get("/search", params={"q": "kendrik lamar"}))
    artists = html.get_element_by_id("results-artist").getparent()
    first = artists.xpath(".//a[contains(@class, 'hit')]")[0]
    assert text(first).startswith("Kendrick Lamar")
    assert "typo" in text(first), "says why a misspelt name matched"


def test_a_search_too_long_is_refused_with_a_clear_message(client: TestClient) -> None:
    answer = client.get("/search", params={"q": "love " * 50})
    assert answer.status_code == 400
    assert "at most 200 characters" in text(page(answer))


# -- artist -------------------------------------------------------------------------------------


def test_drakes_producers_table(client: TestClient, catalog: Catalog) -> None:
    ids = producer_ids(catalog)
    html = page(client.get(f"/artist/{drake(catalog)}"))
    table = html.get_element_by_id("producers")
    rows = table.xpath(".//tr[@data-person-id]")
    assert len(rows) == len(ids)
    by_name = {text(r.xpath("./th")[0]): r for r in rows}
    boi = by_name["Boi-1da"]
    assert boi.get("data-person-id") == str(ids["Boi-1da"])
    assert boi.xpath(f".//a[@href='/person/{ids['Boi-1da']}']")
    assert text(boi.xpath("./td[@data-label='Roles']")[0]) == "Producer"
    assert text(boi.xpath("./td[@data-label='Songs']")[0]) == "4 songs"
    assert boi.xpath(".//td[@data-label='Latest']//a[starts-with(@href, '/song/')]")
    # The handle is behind a Reveal button: not on the page until revealed.
    assert boi.xpath(".//button[contains(@class, 'reveal')]")
    assert "boi1da" not in lxml.html.tostring(html, encoding="unicode")


def test_songs_where_drake_is_only_featured_are_listed_apart(
    client: TestClient, catalog: Catalog
) -> None:
    html = page(client.get(f"/artist/{drake(catalog)}"))
    main = {
        text(r.xpath("./th")[0]) for r in html.xpath("//*[@id='producers']//tr[@data-person-id]")
    }
    featured = {
        text(r.xpath("./th")[0])
        for r in html.xpath("//*[@id='featured-producers']//tr[@data-person-id]")
    }
    assert "Kuk Harrell" in featured and "Kuk Harrell" not in main
    assert "Drake & Future" in text(html), "the combined page counted is named"


def test_filters_by_role_family(client: TestClient, catalog: Catalog) -> None:
    html = page(client.get(f"/artist/{drake(catalog)}", params={"family": "writing"}))
    current = html.xpath("//a[contains(@class, 'filter') and @aria-current='page']")
    assert [text(a).split()[0] for a in current] == ["Writing"]
    rows = html.xpath("//*[@id='producers']//tr[@data-person-id]")
    assert rows and all("Songwriter" in text(r) or "Composer" in text(r) for r in rows)
    filters = html.xpath("//a[contains(@class, 'filter')]/@href")
    assert f"/artist/{drake(catalog)}?family=engineering" in filters


def test_an_unknown_family_is_a_clear_400(client: TestClient, catalog: Catalog) -> None:
    answer = client.get(f"/artist/{drake(catalog)}", params={"family": "dancing"})
    assert answer.status_code == 400
    assert "production, engineering" in text(page(answer))


def test_the_family_reader_agrees_with_the_producers_answer(catalog: Catalog) -> None:
    """Other families' tables and the filter's counts come from pages_read; the production
    table from read_producers: both count the same people the same way."""
    expected = producers(catalog.db, drake(catalog))
    production = family_people(catalog.db, drake(catalog), Family.PRODUCTION)
    assert [(r.name, r.song_count) for r in production.rows] == [
        (r.name, r.song_count) for r in expected.producers
    ]
    assert [r.name for r in production.featured_rows] == [
        r.name for r in expected.featured_producers
    ]
    names = {r.name for r in expected.producers} | {r.name for r in expected.featured_producers}
    assert people_per_family(catalog.db, drake(catalog))["production"] == len(names)


def test_the_filter_counts_come_once_the_page_is_shown(
    client: TestClient, catalog: Catalog
) -> None:
    first = page(client.get(f"/artist/{drake(catalog)}", params={"family": "writing"}))
    nav = first.xpath("//nav[contains(@class, 'filters')]")[0]
    assert nav.get("hx-trigger") == "load"
    counts = page(client.get(nav.get("hx-get")))
    writing = counts.xpath("//a[contains(@class, 'filter') and @aria-current='page']")[0]
    assert text(writing).startswith("Writing")
    songwriters = people_per_family(catalog.db, drake(catalog))["writing"]
    assert text(writing.xpath(".//span[@class='count']")[0]) == f"{songwriters} people"
    assert not counts.xpath("//nav[@hx-get]"), "asks once"


# -- album and song -----------------------------------------------------------------------------


def test_duets_shows_its_executive_producers_above_the_tracks(
    client: TestClient, catalog: Catalog
) -> None:
    html = page(client.get(f"/album/{duets(catalog)}"))
    release = html.get_element_by_id("release-credits")
    executive = release.xpath(".//tr[.//a[@href='/roles/executive_producer']]")
    assert executive, "executive producer is a release-level credit"
    assert {"Elton John", "Ray Cooper", "Steve Brown"} <= {
        text(a) for a in executive[0].xpath(".//a[contains(@class, 'person')]")
    }
    matrix = html.get_element_by_id("track-credits")
    assert len(matrix.xpath("./tbody/tr")) == 16
    columns = matrix.xpath("./thead/tr[2]/th//a/@href")
    assert "/roles/producer" in columns
    assert "/roles/executive_producer" not in columns, "release-level credits are not per track"
    teardrops = matrix.xpath("./tbody/tr[1]")[0]
    assert "Teardrops" in text(teardrops) and "Greg Penny" in text(teardrops)


def test_a_song_links_to_its_album_and_its_people(client: TestClient, catalog: Catalog) -> None:
    album = page(client.get(f"/album/{duets(catalog)}"))
    song_href = album.xpath("//table[@id='track-credits']/tbody/tr[1]/th//a/@href")[0]
    html = page(client.get(song_href))
    assert text(html.xpath("//h1")[0]) == "Teardrops"
    assert html.xpath(f"//a[@href='/album/{duets(catalog)}']")
    people = html.xpath("//section[@id='credits']//a[contains(@class, 'person')]")
    assert "Greg Penny" in {text(a) for a in people}
    for href in {a.get("href") for a in people}:
        assert client.get(href).status_code == 200
    assert html.xpath("//section[@id='credits']//details[contains(@class, 'sources')]")
    assert "Discogs" in text(html.get_element_by_id("credits"))


# -- person -------------------------------------------------------------------------------------


def test_person_page_has_credits_by_role_and_year_and_collaborators(
    client: TestClient, catalog: Catalog
) -> None:
    boi = producer_ids(catalog)["Boi-1da"]
    html = page(client.get(f"/person/{boi}"))
    credits = text(html.get_element_by_id("credits"))
    assert "Producer" in credits and "2016" in credits and "Controlla" in credits
    collaborators = text(html.get_element_by_id("collaborators"))
    assert "Allen Ritter" in collaborators
    handles = html.get_element_by_id("handles")
    assert handles.xpath(".//button[contains(@class, 'reveal')]")
    assert "@boi1da" not in text(handles)


def test_a_long_cell_shows_its_latest_titles_and_links_to_all_of_them(
    client: TestClient, catalog: Catalog
) -> None:
    who = drake(catalog)
    cells = read_people.person(catalog.db, who).by_role_year
    long = max(cells, key=lambda c: c.count)
    assert long.count > 8
    html = page(client.get(f"/person/{who}"))
    (more,) = [
        a
        for a in html.xpath("//a[contains(@class, 'more-titles')]")
        if f"all {long.count}" == text(a)
    ]
    row = more.getparent()
    shown = [text(a) for a in row.xpath("./a[not(contains(@class, 'more-titles'))]")]
    assert shown == [s.title for s in long.songs[:8]]
    every = page(client.get(more.get("href")))
    assert long.role_label in text(every.xpath("//h1")[0])
    listed = [text(a) for a in every.xpath("//ol[contains(@class, 'titles-list')]/li/a")]
    assert len(listed) == long.count and listed[:8] == shown
    for bad in ("role=boss", "role=producer&year=17"):  # a readable page, not a crash
        answer = client.get(f"/person/{who}/credits?{bad}")
        assert answer.status_code == 400 and "Bad request" in text(page(answer).xpath("//h1")[0])


# -- guides and labels --------------------------------------------------------------------------


def test_every_credit_label_links_to_its_guide(client: TestClient, catalog: Catalog) -> None:
    boi = producer_ids(catalog)["Boi-1da"]
    pages = [f"/artist/{drake(catalog)}", f"/album/{duets(catalog)}", f"/person/{boi}"]
    album = page(client.get(pages[1]))
    pages.append(album.xpath("//table[@id='track-credits']/tbody/tr[1]/th//a/@href")[0])
    for path in pages:
        html = page(client.get(path))
        labels = [
            *html.xpath("//td[contains(@class, 'roles')]"),
            *html.xpath("//table[contains(@class, 'credits')]//th"),
            *html.xpath("//table[@id='track-credits']/thead/tr[2]/th[position() > 1]"),
            *html.xpath("//table[contains(@class, 'role-years')]//th[@scope='rowgroup']"),
        ]
        assert labels, path
        for label in labels:
            links = label.xpath(".//a[contains(@class, 'role')]/@href")
            assert links, f"{path}: {text(label)!r} has no guide link"
            assert all(h.removeprefix("/roles/") in ROLES for h in links), links


def test_role_guides(client: TestClient) -> None:
    index = page(client.get("/roles"))
    assert len(index.xpath("//a[contains(@class, 'role')]")) == len(ROLES)
    guide = page(client.get("/roles/producer"))
    assert text(guide.xpath("//h1")[0]) == "Producer"
    assert ROLES["producer"].guide.split(".")[0] in text(guide)
    assert guide.xpath("//a[@href='/roles/executive_producer']"), "links its family's roles"


# -- errors -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("path", "says"),
    [
        ("/artist/999999999", "No such artist"),
        ("/person/999999999", "No such artist"),
        ("/album/999999999", "No such album"),
        ("/song/999999999", "No such song"),
        ("/roles/dancer", "No such role"),
        ("/artist/drake", "Page not found"),
        ("/nowhere", "Page not found"),
    ],
)
def test_unknown_ids_are_html_404s(client: TestClient, path: str, says: str) -> None:
    answer = client.get(path)
    assert answer.status_code == 404
    html = page(answer)
    assert says in text(html.xpath("//h1")[0])
    assert html.xpath("//input[@name='q']"), "the error page still offers a search"


def test_the_api_keeps_its_json_errors(client: TestClient) -> None:
    answer = client.get("/api/v1/nowhere")
    assert answer.status_code == 404
    assert answer.json()["error"]["code"] == "not_found"


def test_a_merged_id_redirects_to_the_one_kept(client: TestClient, catalog: Catalog) -> None:
    row = catalog.db.one(
        "SELECT kept, dropped FROM entity_merge WHERE entity_kind = 'artist'"
        " AND dropped NOT IN (SELECT id FROM artist) LIMIT 1"
    )
    assert row is not None
    answer = client.get(f"/person/{row[1]}", follow_redirects=False)
    assert answer.status_code == 301
    assert answer.headers["location"] == f"/person/{row[0]}"


# -- reveal -------------------------------------------------------------------------------------


def reveal(client: TestClient, token: str, person: int, view: str = "best") -> Response:
    return client.post(
        f"/reveal/{person}",
        params={"view": view},
        headers={"X-CSRF-Token": token, "HX-Request": "true"},
    )


def test_reveal_shows_the_handle_with_evidence_and_a_copy_button(
    writable: TestClient, catalog: Catalog
) -> None:
    ids = producer_ids(catalog)
    artist_page = f"/artist/{drake(catalog)}"
    token = csrf(page(writable.get(artist_page)))
    answer = reveal(writable, token, ids["Boi-1da"])
    assert answer.status_code == 200
    fragment = page(answer)
    copy = fragment.xpath("//button[contains(@class, 'copy')]")[0]
    assert copy.get("data-copy") == "@boi1da" and text(copy) == "Copy"
    assert copy.get("type") == "button"
    evidence = text(fragment.xpath("//details[contains(@class, 'evidence')]")[0])
    assert "handles file" in evidence and "unverified" in text(fragment)
    # Revealed today: the artist page now shows it directly, with its copy button.
    row = page(writable.get(artist_page)).xpath(f"//tr[@data-person-id='{ids['Boi-1da']}']")[0]
    assert row.xpath(".//button[@data-copy='@boi1da']")
    assert not row.xpath(".//button[contains(@class, 'reveal')]")


def test_past_the_limit_the_message_says_when_it_resets(
    writable: TestClient, catalog: Catalog
) -> None:
    ids = producer_ids(catalog)
    token = csrf(page(writable.get(f"/artist/{drake(catalog)}")))
    assert reveal(writable, token, ids["Boi-1da"]).status_code == 200
    assert reveal(writable, token, ids["Boi-1da"]).status_code == 200, "again: not counted"
    assert reveal(writable, token, ids["Murda Beatz"]).status_code == 200
    answer = reveal(writable, token, ids["Metro Boomin"])
    assert answer.status_code == 429
    assert answer.headers["Retry-After"] == str(12 * 3600)
    message = page(answer).xpath("//p[contains(@class, 'limit-message')]")[0]
    assert message.get("role") == "alert"
    assert "00:00 UTC" in text(message)
    assert message.xpath(".//a[@href='/signup']"), "an anonymous visitor is offered sign-up"


def test_reveal_without_a_csrf_token_is_refused(writable: TestClient, catalog: Catalog) -> None:
    boi = producer_ids(catalog)["Boi-1da"]
    writable.get(f"/person/{boi}")  # has the visitor cookie, not the token
    answer = writable.post(f"/reveal/{boi}", headers={"HX-Request": "true"})
    assert answer.status_code == 403
    assert "boi1da" not in answer.text
    handles = page(writable.get(f"/person/{boi}")).get_element_by_id("handles")
    assert handles.xpath(".//button[contains(@class, 'reveal')]"), "nothing was revealed"


def test_reveal_without_javascript_goes_back_to_the_page(
    writable: TestClient, catalog: Catalog
) -> None:
    boi = producer_ids(catalog)["Boi-1da"]
    token = csrf(page(writable.get(f"/person/{boi}")))
    form = {"csrf_token": token, "next": f"/person/{boi}#handles"}
    answer = writable.post(f"/reveal/{boi}", data=form, follow_redirects=False)
    assert answer.status_code == 303
    assert answer.headers["location"] == f"/person/{boi}#handles"
    handles = page(writable.get(f"/person/{boi}")).get_element_by_id("handles")
    assert "@boi1da" in text(handles)
    elsewhere = {"csrf_token": token, "next": "//example.com/"}
    answer = writable.post(f"/reveal/{boi}", data=elsewhere, follow_redirects=False)
    assert answer.headers["location"] == f"/person/{boi}#handles", "never sends elsewhere"


def test_a_person_without_handles_costs_no_reveal(writable: TestClient, catalog: Catalog) -> None:
    ids = producer_ids(catalog)
    token = csrf(page(writable.get(f"/person/{ids['40']}")))
    for _ in range(3):
        answer = reveal(writable, token, ids["40"])
        assert answer.status_code == 200 and "No handle known" in answer.text
    assert reveal(writable, token, ids["Boi-1da"]).status_code == 200


def test_htmx_is_shipped_with_its_licence_and_swaps_the_limit_message(
    client: TestClient,
) -> None:
    assert client.get("/static/vendor/htmx.min.js").status_code == 200
    assert "Zero-Clause BSD" in client.get("/static/vendor/htmx.LICENSE").text
    app_js = client.get("/static/app.js").text
    assert 'code: "429", swap: true' in app_js
    assert "navigator.clipboard" in app_js


def test_a_long_producer_list_links_to_all_of_it(
    client: TestClient, catalog: Catalog, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(pages_catalog, "ROWS", 10)
    url = f"/artist/{drake(catalog)}"
    top = page(client.get(url))
    assert len(top.xpath("//table[@id='producers']//tr[@data-person-id]")) == 10
    link = top.xpath("//a[starts-with(text(), 'show all')]")[0]
    assert text(link) == "show all 42"
    every = page(client.get(url + link.get("href")))
    assert len(every.xpath("//table[@id='producers']//tr[@data-person-id]")) == 42
