"""Exports read back as a user would: the PDF's bookmarks, links and page numbers, the card sizes,
the schoolgids DOCX, and pages that are not blank."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest
from pypdf import PdfReader

from generator.export.pdf import page_numbers

MM = 72 / 25.4


def outline_titles(reader: PdfReader, items=None, depth=0) -> list[tuple[int, str]]:
    found = []
    for item in reader.outline if items is None else items:
        if isinstance(item, list):
            found += outline_titles(reader, item, depth + 1)
        else:
            found.append((depth, item.title))
    return found


@pytest.fixture(scope="module")
def pdf(minimal_site) -> PdfReader:
    return PdfReader(str(minimal_site / "voorbeeld/downloads/voorbeeld.pdf"))


def test_pdf_outline_is_hub_then_roles_then_topics(pdf):
    titles = outline_titles(pdf)
    assert (0, "Voorbeeldschool") in titles
    hub = titles.index((0, "Voorbeeldschool"))
    assert titles[hub + 1] == (1, "Leerkracht")
    assert titles[hub + 2] == (2, "Signaleren")
    assert (2, "Meldcode") in titles
    assert (1, "Aandachtsfunctionaris") in titles
    assert (0, "Beleid en protocollen") in titles


def test_every_pdf_link_points_inside_the_document(pdf):
    destinations = pdf.named_destinations
    internal = 0
    for page in pdf.pages:
        for annotation in page.get("/Annots") or []:
            annotation = annotation.get_object()
            if annotation.get("/Subtype") != "/Link":
                continue
            action = annotation.get("/A")
            if action is not None and action.get("/S") == "/URI":
                assert action["/URI"].startswith(("http", "mailto:", "tel:")), action["/URI"]
                continue
            name = annotation["/Dest"]
            assert name in destinations, f"link to missing destination {name}"
            internal += 1
    assert internal > 20


def test_hub_tiles_jump_to_their_role_section(pdf):
    hub_page = pdf.get_destination_page_number(pdf.named_destinations["/start"])
    assert "Klik op jouw rol" in pdf.pages[hub_page].extract_text()
    targets = [a.get_object()["/Dest"] for a in pdf.pages[hub_page]["/Annots"] if "/Dest" in a.get_object()]
    assert "/p-rollen-leerkracht" in targets and "/p-rollen-aandachtsfunctionaris" in targets
    role_page = pdf.get_destination_page_number(pdf.named_destinations["/p-rollen-leerkracht"])
    assert "Leerkracht" in pdf.pages[role_page].extract_text()


def test_table_of_contents_shows_the_real_page_numbers(pdf, minimal_site):
    toc = pdf.pages[1].extract_text(extraction_mode="layout")
    numbers = page_numbers(minimal_site / "voorbeeld/downloads/voorbeeld.pdf", ["p-rollen-leerkracht", "p-protocollen-meldcode"])
    assert re.search(rf"Leerkracht\s*{numbers['p-rollen-leerkracht']}\b", toc), toc
    assert re.search(rf"Meldcode\s*{numbers['p-protocollen-meldcode']}\b", toc), toc


def test_pdf_pages_are_numbered_and_cover_has_version(pdf):
    total = len(pdf.pages)
    assert total > 4
    assert f"Pagina 3 van {total}" in pdf.pages[2].extract_text()
    cover = pdf.pages[0].extract_text()
    assert "Voorbeeldschool" in cover and "Versie 1.2" in cover and "15-01-2026" in cover


def test_role_cards_are_a6_with_actions_first_step_and_qr(minimal_site):
    downloads = minimal_site / "voorbeeld/downloads"
    cards = PdfReader(str(downloads / "rolkaarten.pdf"))
    assert len(cards.pages) == 2
    for page in cards.pages:
        assert abs(float(page.mediabox.width) / MM - 105) < 0.6
        assert abs(float(page.mediabox.height) / MM - 148) < 0.6
    text = cards.pages[0].extract_text()
    assert "Schrijf op wat je ziet, alleen feiten." in text
    assert "Is een kind in acuut gevaar?" in text
    assert "Scan voor je rolpagina" in text
    assert (downloads / "rolkaart-leerkracht.pdf").is_file() and (downloads / "rolkaart-aandachtsfunctionaris.pdf").is_file()
    sheet = PdfReader(str(downloads / "rolkaarten-a4.pdf"))
    assert abs(float(sheet.pages[0].mediabox.width) / MM - 210) < 0.6
    assert abs(float(sheet.pages[0].mediabox.height) / MM - 297) < 0.6


def test_schoolgids_docx_holds_every_marked_heading(minimal_site):
    from docx import Document

    downloads = minimal_site / "voorbeeld/downloads"
    document = Document(str(downloads / "schoolgids.docx"))
    headings = [p.text for p in document.paragraphs if p.style.name.startswith("Heading")]
    assert "Signaleren" in headings
    assert "Wat doe je daarna" in headings
    assert any(p.text.startswith("Je kijkt naar gedrag en uiterlijk.") for p in document.paragraphs)
    assert (downloads / "schoolgids.pdf").is_file()
    html = (downloads / "schoolgids.html").read_text(encoding="utf-8")
    assert "<h2>Signaleren</h2>" in html


def test_variant_without_marked_sections_has_no_schoolgids(make_project, tmp_path):
    from generator.load import Roots
    from generator.pipeline import build_variants

    project = make_project({}, base="minimal")
    results = build_variants(Roots(project), None, tmp_path / "site", jobs=1)
    assert "geen schoolgids: geen enkel onderdeel heeft schoolgids: true" in results[0].notes
    assert not (tmp_path / "site/voorbeeld/downloads/schoolgids.docx").exists()
    assert "rolkaarten en posters zonder QR-code: geen site_url in org.yml en geen --site-url" in results[0].notes


def _ink(pdf_file: Path, page: int) -> float:
    """Share of non-white pixels of one page rendered by pdftoppm (grey PGM)."""
    data = subprocess.run(["pdftoppm", "-gray", "-r", "20", "-f", str(page), "-l", str(page), str(pdf_file)],
                          capture_output=True, check=True).stdout
    header = data.split(b"\n", 3)
    width, height = map(int, header[1].split())
    pixels = header[3][: width * height]
    return sum(1 for value in pixels if value < 200) / len(pixels)


@pytest.mark.parametrize("name, page", [("voorbeeld.pdf", 1), ("voorbeeld.pdf", 2), ("voorbeeld.pdf", 3), ("rolkaarten.pdf", 1)])
def test_rendered_pages_are_not_blank(minimal_site, name, page):
    assert _ink(minimal_site / "voorbeeld/downloads" / name, page) > 0.003  # a page with only the footer: ~0.001


def test_a_short_pdf_link_to_a_part_its_overview_left_out_goes_to_the_top_of_that_section():
    from generator.export.rolepdf import _without_dangling_links

    document = ('<section id="p-meldcode"><h2 id="p-meldcode--stap-1">Stap 1</h2>'
                '<p>Tekst met id="p-meldcode--stap-9" erin, geen element.</p>'
                '<a class="rw-step" href="#p-meldcode--stap-1">Stap 1</a>'
                '<a class="rw-step" href="#p-meldcode--stap-9" title="Stap 9">Stap 9</a>'
                '<a href="#p-elders--kop">Elders</a><abbr title="x">AVG</abbr>'
                '<a href="https://example.nl/#p-elders">Site</a></section>')
    out = _without_dangling_links(document)
    assert '<a class="rw-step" href="#p-meldcode--stap-1">Stap 1</a>' in out  # its part is in this PDF
    assert '<a class="rw-step" href="#p-meldcode" title="Stap 9">Stap 9</a>' in out  # left out: the section's top
    assert "<a>Elders</a>" in out  # its section is not in this PDF either: no link
    assert '<a href="https://example.nl/#p-elders">Site</a>' in out and "<abbr title=\"x\">AVG</abbr>" in out
