"""Whom to call, in every output of every variant: every tel: link dials (digits and an optional
leading +), in the pages and in the PDFs; the national numbers stand on the contact page."""

from __future__ import annotations

import re

import pytest
from bs4 import BeautifulSoup

from tests.conftest import ORGS

DIALABLE = re.compile(r"^tel:\+?[0-9]+$")
NATIONAL = {"wij-de-venen": ["08002000"], "de-kindpartners": ["08002000"], "veilige-zorgrelatie": ["08002000"], "reset": ["112"]}


@pytest.mark.parametrize("slug", ORGS)
def test_every_tel_link_dials_in_pages_and_pdfs(sites, slug):
    from pypdf import PdfReader

    bad = []
    links = 0
    for page in sorted((sites / slug).rglob("*.html")):
        for link in BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser").select("a[href^='tel:']"):
            links += 1
            if not DIALABLE.match(link["href"]):
                bad.append(f"{page.relative_to(sites)}: {link['href']}")
    for pdf in sorted((sites / slug / "downloads").rglob("*.pdf")):
        for number, pdf_page in enumerate(PdfReader(pdf).pages, start=1):
            for annotation in pdf_page.get("/Annots") or []:
                uri = (annotation.get_object().get("/A") or {}).get("/URI")
                if uri and str(uri).startswith("tel:") and not DIALABLE.match(str(uri)):
                    bad.append(f"{pdf.relative_to(sites)} p. {number}: {uri}")
    assert links > 0 and bad == []


@pytest.mark.parametrize("slug", ORGS)
def test_the_contact_page_has_the_national_numbers_to_tap(sites, slug):
    page = BeautifulSoup((sites / slug / "contact.html").read_text(encoding="utf-8"), "html.parser")
    numbers = {a["href"][4:] for a in page.select("article a[href^='tel:']")}
    for number in NATIONAL[slug]:
        assert number in numbers, (slug, number, numbers)
