"""Hub tile titles carry soft hyphens at Dutch syllables (for narrow phone tiles), and nothing else
that reads titles gets them: the search index and the PDF (outline, contents, the hub's tiles)."""

from __future__ import annotations

import html
import json

import pytest
from bs4 import BeautifulSoup

from generator import markup

from .conftest import ORGS, pdf_page_texts

SOFT_HYPHEN = "\u00ad"


def test_long_words_get_soft_hyphens_at_dutch_syllables_short_words_none():
    assert markup.hyphenate("Contactpersoon") == "Con\u00adtact\u00adper\u00adsoon"
    assert markup.hyphenate("(Externe) vertrouwenspersoon") == "(Externe) ver\u00adtrou\u00adwens\u00adper\u00adsoon"
    assert markup.hyphenate("Leerkracht") == "Leerkracht"  # ten letters: fits a tile
    assert markup.hyphenate("Zzp'er of partner") == "Zzp'er of partner"
    # Dutch drops the trema at a break (cli-enten), which a soft hyphen cannot: no break there.
    assert markup.hyphenate("Cliëntenraad") == "Cliën\u00adten\u00adraad"
    twice = markup.hyphenate(markup.hyphenate("Aandachtsfunctionaris kindermishandeling"))
    assert twice == markup.hyphenate("Aandachtsfunctionaris kindermishandeling")
    assert twice.replace(SOFT_HYPHEN, "") == "Aandachtsfunctionaris kindermishandeling"


def _soup(path):
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def _tiles(sites, slug):
    hub = _soup(sites / slug / "index.html")
    return [(a["href"], a.select_one(".rw-tile__title").get_text()) for a in hub.select("a.rw-tile")]


def test_long_tile_titles_are_hyphenated_on_the_hub(sites):
    titles = [title for slug in ORGS for _, title in _tiles(sites, slug)]
    assert "Con\u00adtact\u00adper\u00adsoon" in titles
    assert all(SOFT_HYPHEN not in word for title in titles for word in title.split() if len(word.replace(SOFT_HYPHEN, "")) <= 10)


@pytest.mark.parametrize("slug", ORGS)
def test_search_index_has_no_soft_hyphen_and_role_pages_under_their_plain_titles(sites, slug):
    raw = (sites / slug / "search/search_index.json").read_text(encoding="utf-8")
    index = json.loads(raw)
    found = [doc["location"] for doc in index["docs"] if SOFT_HYPHEN in doc["title"] + doc["text"]]
    assert found == []
    titles = {doc["location"]: html.unescape(doc["title"]) for doc in index["docs"]}  # the index holds titles as HTML
    for href, title in _tiles(sites, slug):
        assert titles.get(href) == title.replace(SOFT_HYPHEN, "")


@pytest.mark.parametrize("slug", ORGS)
def test_pdf_outline_contents_and_hub_tiles_have_plain_titles(sites, slug):
    from pypdf import PdfReader

    from generator.export.pdf import page_numbers

    pdf = sites / slug / "downloads" / f"{slug}.pdf"
    reader = PdfReader(str(pdf))

    def outline(entries):
        for entry in entries:
            yield from outline(entry) if isinstance(entry, list) else [entry.title]

    bookmarks = list(outline(reader.outline))
    assert bookmarks and [t for t in bookmarks if SOFT_HYPHEN in t] == []
    pages = pdf_page_texts(pdf)
    assert [n for n, text in enumerate(pages, start=1) if SOFT_HYPHEN in text] == []
    # pypdf joins some lines without a space, so whole words are compared: a word that the tile
    # hyphenates must come out of the PDF as one word (not "Con tact per soon").
    start = page_numbers(pdf, ["start"])["start"]
    contents, hub = " ".join(pages[:start - 1]), pages[start - 1]
    for _, title in _tiles(sites, slug):
        for word in title.split():
            if SOFT_HYPHEN in word:
                plain = word.replace(SOFT_HYPHEN, "")
                assert plain in contents, f"{plain!r} niet in de inhoudsopgave"
                assert plain in hub, f"{plain!r} niet als een woord op de startpagina van de PDF"
