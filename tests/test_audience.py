"""Words for another sector's readers: each sector pack names the words that do not belong to its
readers (sectors/<id>/sector.yml `foreign_words`); every built variant, in each sector view, uses
none of them: page text, search index and, for one-sector organisations, the PDF text. A sentence
that names both sectors ("in de groep of klas") is allowed where the organisation has both."""

from __future__ import annotations

import json
import re

import pytest
import yaml
from bs4 import BeautifulSoup

from tests.conftest import ORGS, REPO, pdf_page_texts

PACKS = {p.parent.name: yaml.safe_load(p.read_text(encoding="utf-8")) for p in (REPO / "sectors").glob("*/sector.yml")}
# Sentences that name both sectors of a two-sector organisation, so they are true in either view.
# The sentence must name the childcare side itself, next to the school word.
BOTH_SECTORS = re.compile(r"groep of klas|klas of groep|werk- of schooltijd|\bopvang\b|opvang-|kinderopvang|pedagogisch(e)? medewerker|"
                          r"\bBSO\b|op de groep", re.IGNORECASE)


def org_sectors(slug: str) -> list[str]:
    return yaml.safe_load((REPO / "orgs" / slug / "org.yml").read_text(encoding="utf-8"))["sectors"]


def foreign(pack: str) -> re.Pattern[str]:
    words = PACKS[pack].get("foreign_words") or []
    return re.compile(r"\b(" + "|".join(map(re.escape, words)) + r")\b", re.IGNORECASE)


def hits_in(text: str, pattern: re.Pattern[str], two_sectors: bool) -> list[str]:
    found = []
    for sentence in re.split(r"(?<=[.!?])\s+", " ".join(text.split())):
        if pattern.search(sentence) and not (two_sectors and BOTH_SECTORS.search(sentence)):
            found.append(sentence[:160])
    return found


def view_text(html: str, pack: str, sectors: list[str]) -> str:
    """The article text a reader of `pack` sees: blocks and pages of the other sector left out."""
    article = BeautifulSoup(html, "html.parser").find("article")
    if article is None:
        return ""
    page_sector = article.select_one("[data-page-sector]")
    if page_sector is not None and page_sector["data-page-sector"] != pack:
        return ""
    for node in article.select("[data-sector]"):
        if node["data-sector"] != pack:
            node.decompose()
    for node in article.select(".rw-routes, .rw-docmeta"):
        node.decompose()
    return article.get_text(" ", strip=True)


@pytest.mark.parametrize("slug", ORGS)
def test_no_words_for_another_sectors_readers(sites, slug):
    sectors = org_sectors(slug)
    two = len(sectors) > 1
    problems = []
    for pack in sectors:
        pattern = foreign(pack)
        for page in sorted((sites / slug).rglob("*.html")):
            if "downloads" in page.parts:
                continue
            for sentence in hits_in(view_text(page.read_text(encoding="utf-8"), pack, sectors), pattern, two):
                problems.append(f"{pack} view, {page.relative_to(sites / slug)}: {sentence}")
        if not two:
            index = json.loads((sites / slug / "search/search_index.json").read_text(encoding="utf-8"))
            for doc in index["docs"]:
                text = BeautifulSoup(doc["title"] + ". " + doc["text"], "html.parser").get_text(" ")
                problems += [f"search {doc['location']}: {s}" for s in hits_in(text, pattern, two)]
            pdf = sites / slug / "downloads" / f"{slug}.pdf"
            if pdf.is_file():
                for number, text in enumerate(pdf_page_texts(pdf), start=1):
                    problems += [f"PDF p. {number}: {s}" for s in hits_in(text, pattern, two)]
    assert problems == []


def test_every_pack_names_its_foreign_words():
    assert set(PACKS) == {"onderwijs", "kinderopvang", "zorg", "training"}
    for pack, data in PACKS.items():
        assert data.get("foreign_words"), pack
