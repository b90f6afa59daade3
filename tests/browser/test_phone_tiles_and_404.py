"""In a real browser: hub tile titles on a 360 px phone break only between words or at a Dutch
syllable (a soft hyphen), and the Dutch 404 page leads back to the hub and to search, served for a
deep address at the site's own address (its site_url, or a server root) and opened from disk."""

from __future__ import annotations

import mimetypes
import re
from pathlib import Path
from urllib.parse import urlsplit

import pyphen
import pytest
from playwright.sync_api import expect

from ..conftest import ORGS

pytestmark = pytest.mark.browser

SOFT_HYPHEN = "\u00ad"
LETTERS = re.compile(r"[^\W\d_]+")
DUTCH = pyphen.Pyphen(lang="nl")

# Where each rendered line of every tile title starts, as an offset in its text (soft hyphens
# included). Per-character ranges are off by one after a hyphenated line end in Chromium (the drawn
# hyphen is a fragment of its own), so each line's first character is found by hit-testing.
LINE_STARTS = """titles => titles.map(title => {
    title.scrollIntoView({block: "center", behavior: "instant"});
    const nodes = [];
    const walker = document.createTreeWalker(title, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) nodes.push(node);
    const range = document.createRange();
    range.selectNodeContents(title);
    const lines = new Map();  // top of a line -> its leftmost fragment
    for (const rect of range.getClientRects()) {
        const top = Math.round(rect.top);
        if (!lines.has(top) || rect.left < lines.get(top).left) lines.set(top, rect);
    }
    const starts = [...lines.keys()].sort((a, b) => a - b).map(top => {
        const rect = lines.get(top);
        const caret = document.caretRangeFromPoint(rect.left + 1, (rect.top + rect.bottom) / 2);
        const index = caret ? nodes.indexOf(caret.startContainer) : -1;
        if (index < 0) return null;
        return nodes.slice(0, index).reduce((sum, node) => sum + node.data.length, 0) + caret.startOffset;
    });
    return {text: title.textContent, starts, scrollWidth: title.scrollWidth, clientWidth: title.clientWidth};
})"""


def bad_breaks(text: str, starts: list) -> list[str]:
    """The line breaks of one rendered title that are not between words (a space, after '-' or
    '/') and not at a soft hyphen on a Dutch syllable boundary of the word."""
    plain = text.replace(SOFT_HYPHEN, "")
    if not starts or None in starts or starts[0] != 0 or starts != sorted(set(starts)):
        return [f"{plain!r}: regels niet te meten ({starts})"]
    problems = []
    for start in starts[1:]:
        before = text[start - 1]
        if before.isspace() or text[start].isspace() or before in "-/–":
            continue
        offset = len(text[:start].replace(SOFT_HYPHEN, ""))  # where the break falls in the plain title
        word = next((m for m in LETTERS.finditer(plain) if m.start() < offset < m.end()), None)
        syllable = word is not None and (offset - word.start()) in DUTCH.positions(word.group(0))
        if before != SOFT_HYPHEN or not syllable:
            problems.append(f"{plain!r}: breekt als {plain[:offset]!r} / {plain[offset:]!r}")
    return problems


@pytest.mark.parametrize("slug", ORGS)
def test_tile_titles_on_a_360_px_phone_break_only_between_words_or_syllables(browser, sites, slug):
    context = browser.new_context(viewport={"width": 360, "height": 740}, device_scale_factor=2, is_mobile=True)
    page = context.new_page()
    page.goto((sites / slug / "index.html").as_uri())
    titles = page.locator(".rw-tile__title").evaluate_all(LINE_STARTS)
    context.close()
    assert titles
    problems = []
    for title in titles:
        problems += bad_breaks(title["text"], title["starts"])
        if title["scrollWidth"] > title["clientWidth"]:
            problems.append(f"{title['text'].replace(SOFT_HYPHEN, '')!r}: steekt buiten de tegel")
    assert problems == []


# --- the 404 page --------------------------------------------------------------------------------

def published_at(site: Path) -> str:
    """Where a built site expects to be served: its site_url (the canonical link MkDocs writes
    then), else the root of a server."""
    found = re.search(r'<link rel="canonical" href="([^"]+)index\.html"', (site / "index.html").read_text(encoding="utf-8"))
    return found.group(1) if found else "http://rolwijzer.test/"


def _served_page(browser, site: Path, base: str):
    """A phone-sized page on which `base` serves `site` as a static host does (a missing address
    gets 404.html with status 404); any other request is blocked and recorded."""
    context = browser.new_context(viewport={"width": 360, "height": 740}, is_mobile=True)
    outside: list[str] = []
    root = site.resolve()

    def serve(route):
        url = route.request.url.split("#", 1)[0].split("?", 1)[0]
        if not url.startswith(base):
            outside.append(route.request.url)
            return route.abort()
        target = (root / urlsplit(url).path[len(urlsplit(base).path):]).resolve()
        if target.is_dir():
            target = target / "index.html"
        if target.is_file() and root in target.parents:
            route.fulfill(status=200, body=target.read_bytes(),
                          content_type=mimetypes.guess_type(target.name)[0] or "application/octet-stream")
        else:
            route.fulfill(status=404, body=(root / "404.html").read_bytes(), content_type="text/html; charset=utf-8")

    context.route("**/*", serve)
    page = context.new_page()
    page.outside_requests = outside
    return context, page


def _expect_dutch_404(page):
    expect(page.locator("html")).to_have_attribute("lang", "nl")
    expect(page.locator("article h1")).to_have_text("Deze pagina bestaat niet")
    assert page.title().startswith("Pagina niet gevonden")
    text = page.locator("article").inner_text()
    assert "Not found" not in text and "404" not in text
    assert "startpagina" in text and "zoek" in text.lower()


@pytest.mark.parametrize("slug", ORGS)
def test_404_at_a_deep_address_is_dutch_and_leads_to_the_hub_and_search(browser, sites, slug):
    from axe_playwright_python.sync_playwright import Axe

    site = sites / slug
    base = published_at(site)
    hub = (site / "index.html").read_text(encoding="utf-8")
    tiles = hub.count('class="rw-tile"')
    role = re.search(r'class="rw-tile__title">([^<]+)<', hub).group(1).replace(SOFT_HYPHEN, "")
    context, page = _served_page(browser, site, base)
    deep = f"{base}rollen/bestaat/niet/meer.html"
    response = page.goto(deep)
    assert response.status == 404
    _expect_dutch_404(page)
    # Material's own styles load from this depth too: the page looks like the rest of the site.
    assert page.evaluate("getComputedStyle(document.querySelector('.md-header')).position") == "sticky"
    options = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}, "resultTypes": ["violations"]}
    violations = Axe().run(page, options=options).response["violations"]
    assert [v["id"] for v in violations] == []

    page.get_by_role("link", name="Naar de startpagina").click()
    page.wait_for_url(f"{base}index.html")
    expect(page.locator("a.rw-tile")).to_have_count(tiles)

    page.goto(deep)
    page.get_by_role("link", name="Zoeken in het beleid").click()
    page.wait_for_url(f"{base}index.html**")
    expect(page.locator("#__search")).to_be_checked()  # Material opened its search
    # typed key by key as a reader does: Material reads the query on keyup (fill() sends none, and
    # then finds nothing when the index was ready before the input had focus)
    page.locator(".md-search__input").press_sequentially(role.split()[0], delay=50)  # the first role's page is found
    expect(page.locator(".md-search-result__item").first).to_be_visible(timeout=20_000)  # the index loads first
    assert page.outside_requests == []
    context.close()


def test_404_of_a_site_in_a_folder_leads_to_the_hub_in_that_folder(browser, minimal_site):
    """site_url https://intranet.voorbeeld.nl/beleid/voorbeeld: the site is not at the server's
    root, and the 404 is served for an address in any folder below it."""
    site = minimal_site / "voorbeeld"
    base = published_at(site)
    assert base == "https://intranet.voorbeeld.nl/beleid/voorbeeld/"
    context, page = _served_page(browser, site, base)
    response = page.goto(f"{base}rollen/oud/verplaatst.html")
    assert response.status == 404
    _expect_dutch_404(page)
    page.get_by_role("link", name="Naar de startpagina").click()
    page.wait_for_url(f"{base}index.html")
    expect(page.locator("a.rw-tile")).to_have_count(2)
    assert page.outside_requests == []
    context.close()


def test_404_of_a_site_at_a_server_root_leads_to_the_hub(browser, minimal):
    """Without site_url MkDocs assumes the server root: the 404 links there, from any depth."""
    from generator.load import Roots
    from generator.pipeline import build_variants

    site = minimal.parent / "site"
    results = build_variants(Roots(minimal), None, site, export=False)
    assert [r.status for r in results] == ["gebouwd"]
    base = published_at(site / "voorbeeld")
    assert base == "http://rolwijzer.test/"
    context, page = _served_page(browser, site / "voorbeeld", base)
    assert page.goto(f"{base}een/twee/drie/vier.html").status == 404
    _expect_dutch_404(page)
    page.get_by_role("link", name="Naar de startpagina").click()
    page.wait_for_url(f"{base}index.html")
    expect(page.locator("a.rw-tile")).to_have_count(2)
    assert page.outside_requests == []
    context.close()


@pytest.mark.parametrize("slug", ORGS)
def test_404_opened_from_disk_leads_to_the_hub(offline_page, sites, slug):
    page = offline_page
    page.goto((sites / slug / "404.html").as_uri())
    expect(page.locator("article h1")).to_have_text("Deze pagina bestaat niet")
    page.get_by_role("link", name="Naar de startpagina").click()
    page.wait_for_url((sites / slug / "index.html").as_uri())
    expect(page.locator("a.rw-tile").first).to_be_visible()
