"""Click through a built site in Chromium from disk: hub -> role -> meldcode -> VORIGE / VOLGENDE -> SLUIT."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def test_hub_tile_role_page_meldcode_and_route_buttons(offline_page, minimal_site):
    page = offline_page
    page.goto((minimal_site / "voorbeeld/index.html").as_uri())
    expect(page.locator(".rw-tile")).to_have_count(2)

    page.get_by_role("link", name="Leerkracht Je staat voor de groep.").click()
    page.wait_for_url("**/rollen/leerkracht.html")
    expect(page.locator("h1")).to_have_text("Leerkracht")

    page.locator(".rw-topic", has_text="Meldcode").click()
    page.wait_for_url("**/protocollen/meldcode.html?rol=leerkracht")
    expect(page.locator("h2#signalen")).to_be_visible()
    # Only the route of the role we came from is shown.
    expect(page.locator(".rw-route:visible")).to_have_count(1)
    expect(page.locator(".rw-crumbs:visible")).to_have_text("Start › Leerkracht › Meldcode")

    page.locator(".rw-route:visible .rw-prev").click()
    page.wait_for_url("**/meldcode/signaleren.html?rol=leerkracht")
    page.locator(".rw-route:visible .rw-next").click()
    page.wait_for_url("**/protocollen/meldcode.html?rol=leerkracht")

    page.locator(".rw-route:visible .rw-close").click()
    page.wait_for_url("**/rollen/leerkracht.html")
    assert page.outside_requests == []


def test_route_follows_the_role_the_reader_came_from(offline_page, minimal_site):
    page = offline_page
    page.goto((minimal_site / "voorbeeld/rollen/aandachtsfunctionaris.html").as_uri())
    page.locator(".rw-topic", has_text="Meldcode").click()
    page.wait_for_url("**/protocollen/meldcode.html?rol=aandachtsfunctionaris")
    # For the aandachtsfunctionaris the meldcode is the first topic: no VORIGE, VOLGENDE to Signaleren.
    route = page.locator(".rw-route:visible")
    expect(route).to_have_count(1)
    expect(route.locator(".rw-prev")).to_have_count(0)
    route.locator(".rw-next").click()
    page.wait_for_url("**/meldcode/signaleren.html?rol=aandachtsfunctionaris")
    expect(page.locator(".rw-crumbs:visible")).to_contain_text("Aandachtsfunctionaris")
    assert page.outside_requests == []


def test_search_finds_the_meldcode_offline(offline_page, minimal_site):
    page = offline_page
    page.goto((minimal_site / "voorbeeld/index.html").as_uri())
    page.wait_for_function("document.querySelector('iframe') !== null")  # the search worker's offline shim
    page.locator("input.md-search__input").click()
    page.keyboard.type("meldcode", delay=50)
    expect(page.locator(".md-search-result__list")).to_contain_text("Meldcode", timeout=15000)
    assert page.outside_requests == []


def test_table_filter_shows_only_matching_rows(offline_page, make_project, tmp_path):
    from generator.load import Roots
    from generator.pipeline import build_variants

    from ..test_embeds import FILES

    project = make_project(FILES, base="minimal")
    build_variants(Roots(project), None, tmp_path / "site", jobs=1, export=False)
    page = offline_page
    page.goto((tmp_path / "site/voorbeeld/tabellen/aanbod.html").as_uri())
    rows = page.locator(".rw-table tbody tr:visible")
    expect(rows).to_have_count(2)
    page.locator(".rw-table select").select_option("Ouders")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("HALT voorlichtingen")
    expect(page.locator(".rw-table__count")).to_have_text("1 van 2 getoond")
    assert page.outside_requests == []


def test_the_role_stays_the_readers_without_rol_in_the_address(offline_page, make_project, tmp_path):
    from generator.load import Roots
    from generator.pipeline import build_variants

    project = make_project({
        "orgs/voorbeeld/content/alleen-leerkracht.md": """
            ---
            title: Alleen voor de leerkracht
            source: "003_9a54ac296a9565ce.txt:1098"
            ---
            Een pagina op de route van de leerkracht.
            """,
        "orgs/voorbeeld/roles/leerkracht.yml": """
            topics:
              - {label: Signaleren, ref: "page:meldcode/signaleren"}
              - {label: Meldcode, ref: "protocol:meldcode"}
              - {label: Alleen leerkracht, ref: "page:alleen-leerkracht"}
            """,
    }, base="minimal")
    build_variants(Roots(project), None, tmp_path / "site", jobs=1, export=False)
    site = tmp_path / "site/voorbeeld"
    page = offline_page
    page.goto((site / "rollen/aandachtsfunctionaris.html").as_uri())
    page.locator(".rw-topic", has_text="Meldcode").click()
    page.wait_for_url("**/protocollen/meldcode.html?rol=aandachtsfunctionaris")
    # Opened without ?rol= (the side menu, a link in a text): still the aandachtsfunctionaris' route.
    page.goto((site / "meldcode/signaleren.html").as_uri())
    expect(page.locator(".rw-crumbs:visible")).to_contain_text("Aandachtsfunctionaris")
    # A page on another role's route only: no breadcrumb or SLUIT of that other role.
    page.goto((site / "alleen-leerkracht.html").as_uri())
    expect(page.locator(".rw-crumbs:visible")).to_have_count(0)
    expect(page.locator(".rw-route:visible")).to_have_count(0)
    assert page.outside_requests == []


def test_search_snippets_start_with_the_pages_own_text(minimal_site):
    import json

    index = json.loads((minimal_site / "voorbeeld/search/search_index.json").read_text(encoding="utf-8"))
    routes = [doc["location"] for doc in index["docs"] if "Start ›" in doc["text"] or "VOLGENDE" in doc["text"] or "SLUIT" in doc["text"]]
    assert routes == []
