"""Every organisation in a real browser from disk (file://), with every outside request blocked:
hub -> role -> topic -> back, keyboard, phone width, search, the sector choice, and an axe-core
WCAG 2.1 A/AA audit of every page."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from ..conftest import ORGS

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("slug", ORGS)
def test_hub_role_topic_and_back_from_disk(offline_page, sites, slug):
    page = offline_page
    page.goto((sites / slug / "index.html").as_uri())
    tile = page.locator("a.rw-tile").first
    role_title = tile.locator(".rw-tile__title").inner_text()
    tile.click()
    page.wait_for_url("**/rollen/*.html")
    expect(page.locator("h1")).to_have_text(role_title)
    topic = page.locator("a.rw-topic").first
    topic_label = topic.locator(".rw-topic__label").inner_text()
    topic.click()
    page.wait_for_url("**?rol=*")
    expect(page.locator(".rw-crumbs:visible")).to_contain_text(role_title)
    page.locator(".rw-route:visible .rw-close").click()
    page.wait_for_url("**/rollen/*.html")
    assert topic_label
    assert page.outside_requests == []


@pytest.mark.parametrize("slug", ORGS)
def test_tab_key_reaches_every_role_tile_with_visible_focus(offline_page, sites, slug):
    page = offline_page
    page.goto((sites / slug / "index.html").as_uri())
    tiles = page.locator("a.rw-tile").evaluate_all("tiles => tiles.map(t => t.getAttribute('href'))")
    reached = set()
    for _ in range(80):
        page.keyboard.press("Tab")
        focused = page.evaluate("""() => { const e = document.activeElement;
            return e && e.classList.contains('rw-tile') ? [e.getAttribute('href'), getComputedStyle(e).outlineStyle] : null; }""")
        if focused:
            reached.add(focused[0])
            assert focused[1] != "none", "geen zichtbare focus op een tegel"
        if reached == set(tiles):
            break
    assert reached == set(tiles)


@pytest.mark.parametrize("slug", ORGS)
def test_hub_fits_a_360_px_phone(browser, sites, slug):
    context = browser.new_context(viewport={"width": 360, "height": 740}, device_scale_factor=2, is_mobile=True)
    page = context.new_page()
    page.goto((sites / slug / "index.html").as_uri())
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    box = page.locator("a.rw-tile").first.bounding_box()
    assert box["width"] >= 140 and box["height"] >= 44  # big enough to tap
    context.close()


def test_search_finds_the_meldcode_offline_in_wij_de_venen(offline_page, sites):
    page = offline_page
    page.goto((sites / "wij-de-venen/index.html").as_uri())
    page.wait_for_function("document.querySelector('iframe') !== null")
    page.locator("input.md-search__input").click()
    page.keyboard.type("meldcode", delay=50)
    expect(page.locator(".md-search-result__item").first).to_be_visible(timeout=15000)
    hrefs = page.locator(".md-search-result__item > a").evaluate_all("links => links.map(a => a.getAttribute('href'))")
    assert any("protocollen/meldcode.html" in href for href in hrefs[:3]), hrefs[:5]
    assert page.outside_requests == []


def test_kindpartners_reader_can_show_only_childcare(offline_page, sites):
    page = offline_page
    page.goto((sites / "de-kindpartners/index.html").as_uri())
    page.get_by_role("button", name="Kinderopvang").click()
    page.goto((sites / "de-kindpartners/protocollen/grensoverschrijdend-gedrag.html").as_uri())
    expect(page.locator('[data-sector="kinderopvang"]').first).to_be_visible()
    assert page.locator('[data-sector="onderwijs"]:visible').count() == 0
    page.goto((sites / "de-kindpartners/index.html").as_uri())
    page.get_by_role("button", name="Alles").click()
    page.goto((sites / "de-kindpartners/protocollen/grensoverschrijdend-gedrag.html").as_uri())
    assert page.locator('[data-sector="onderwijs"]:visible').count() > 0


@pytest.mark.parametrize("slug", ORGS)
def test_axe_finds_no_wcag_21_aa_violation_on_any_page(browser, sites, slug):
    from axe_playwright_python.sync_playwright import Axe

    axe = Axe()
    options = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}, "resultTypes": ["violations"]}
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    problems = []
    for html_file in sorted((sites / slug).rglob("*.html")):
        if html_file.name == "404.html":
            continue
        page.goto(html_file.as_uri())
        result = axe.run(page, options=options)
        for violation in result.response["violations"]:
            targets = [", ".join(n["target"]) for n in violation["nodes"][:3]]
            problems.append(f"{html_file.relative_to(sites)}: {violation['id']} ({violation['impact']}): {targets}")
    context.close()
    assert problems == []
