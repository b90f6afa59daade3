"""Print matter read back as its reader would: the short PDF per role (its pages, bookmarks and
links), the A4 poster (one page, type sizes readable from two metres, the numbers to call, a QR code
a phone reads as the role page), the role cards, and no link into the build folder anywhere.

The four variants are built as if published at SITE_BASE/<org>/ (tests/conftest.py); the minimal
fixture is built once with and once without an address."""

from __future__ import annotations

import io
import math
import subprocess
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from pypdf import PdfReader

from generator.markup import SOFT_HYPHEN

from .conftest import ORGS, SITE_BASE

MM = 72 / 25.4


def hub_roles(sites: Path, slug: str) -> list[str]:
    soup = BeautifulSoup((sites / slug / "index.html").read_text(encoding="utf-8"), "html.parser")
    return [a["href"].removeprefix("rollen/").removesuffix(".html") for a in soup.select("a.rw-tile")]


def link_actions(reader: PdfReader) -> list[dict]:
    actions = []
    for page in reader.pages:
        for annotation in page.get("/Annots") or []:
            annotation = annotation.get_object()
            if annotation.get("/Subtype") == "/Link":
                actions.append(annotation)
    return actions


def sized_text(pdf_page) -> list[tuple[str, float]]:
    """(text, font size in pt) of every text run of a page, as printed."""
    found = []

    def visit(text, cm, tm, font, size):  # noqa: ANN001
        if text.strip():
            found.append((text.strip(), round(size * abs(tm[3]) * abs(cm[3]), 1)))

    pdf_page.extract_text(visitor_text=visit)
    return found


def qr_codes(pdf_file: Path, dpi: int = 150) -> list[tuple[str, float]]:
    """(text, width in mm) of every QR code zxing-cpp finds on the first page, as a phone would."""
    import zxingcpp
    from PIL import Image

    png = subprocess.run(["pdftoppm", "-r", str(dpi), "-f", "1", "-l", "1", "-png", str(pdf_file)],
                         capture_output=True, check=True).stdout
    found = []
    for code in zxingcpp.read_barcodes(Image.open(io.BytesIO(png))):
        corners = code.position
        width = math.dist((corners.top_left.x, corners.top_left.y), (corners.top_right.x, corners.top_right.y))
        found.append((code.text, width / dpi * 25.4))
    return found


@pytest.mark.parametrize("slug", ORGS)
def test_every_hub_role_has_a_short_pdf_with_bookmarks_contents_and_working_links(sites, slug):
    roles = hub_roles(sites, slug)
    assert roles
    for role in roles:
        reader = PdfReader(str(sites / slug / "downloads/rollen" / f"{role}.pdf"))
        assert 2 <= len(reader.pages) <= 24, (role, len(reader.pages))
        title = BeautifulSoup((sites / slug / "rollen" / f"{role}.html").read_text(encoding="utf-8"), "html.parser").h1.get_text(strip=True)
        outline = [item.title for item in reader.outline if not isinstance(item, list)]
        assert outline[0].replace(SOFT_HYPHEN, "") == title, (role, outline[:3])
        assert "Wie bel je?" in [t for item in reader.outline if isinstance(item, list) for t in [i.title for i in item if not isinstance(i, list)]] \
            or "Wie bel je?" in outline
        destinations = reader.named_destinations
        internal = 0
        for annotation in link_actions(reader):
            action = annotation.get("/A")
            if action is not None and action.get("/S") == "/URI":
                uri = str(action["/URI"])
                assert uri.startswith(("https://", "http://", "mailto:", "tel:")), (role, uri)
                assert "rolwijzer.invalid" not in uri
                continue
            assert annotation["/Dest"] in destinations, (role, annotation["/Dest"])
            internal += 1
        assert internal >= 3, role  # the contents, at least
        contents = reader.pages[0].extract_text()
        assert "Inhoud" in contents and title.split()[0] in contents


@pytest.mark.parametrize("slug", ORGS)
def test_short_pdf_links_to_other_pages_go_to_the_published_site(sites, slug):
    role = hub_roles(sites, slug)[0]
    reader = PdfReader(str(sites / slug / "downloads/rollen" / f"{role}.pdf"))
    to_site = [str(a["/A"]["/URI"]) for a in link_actions(reader) if "/A" in a and str(a["/A"].get("/URI", "")).startswith(SITE_BASE)]
    assert to_site, role
    for uri in to_site:
        path = uri.removeprefix(f"{SITE_BASE}/{slug}/").split("#")[0]
        assert (sites / slug / path).is_file(), uri


def test_without_an_address_the_short_pdf_links_into_the_full_pdf(minimal_site_without_address):
    downloads = minimal_site_without_address / "voorbeeld/downloads"
    full = PdfReader(str(downloads / "voorbeeld.pdf")).named_destinations
    reader = PdfReader(str(downloads / "rollen/leerkracht.pdf"))
    remote = [a["/A"] for a in link_actions(reader) if "/A" in a and a["/A"].get("/S") == "/GoToR"]
    assert remote, "no link into the full PDF"
    for action in remote:
        assert action["/F"] == "../voorbeeld.pdf"
        assert f"/{action['/D']}" in full, action["/D"]
    for annotation in link_actions(reader):
        uri = str(annotation.get("/A", {}).get("/URI", ""))
        assert not uri.startswith(("file:", "https://rolwijzer.invalid")), uri
    card = [a["/A"] for a in link_actions(PdfReader(str(downloads / "rolkaart-leerkracht.pdf"))) if "/A" in a]
    assert {"/F": "rollen/leerkracht.pdf"}.items() <= {k: str(v) for k, v in card[-1].items()}.items(), card


@pytest.mark.parametrize("slug", ORGS)
def test_every_hub_role_has_a_one_page_a4_poster_readable_from_two_metres(sites, slug):
    from generator.pipeline import check
    from generator.load import Roots
    from generator.export.cards import sheets_for

    from .conftest import REPO

    variant = check(Roots(REPO, SITE_BASE), [slug]).variants[slug]
    sheets = {s.role_id: s for s in sheets_for(variant)}
    for role in hub_roles(sites, slug):
        poster = sites / slug / "downloads" / f"poster-{role}.pdf"
        reader = PdfReader(str(poster))
        assert len(reader.pages) == 1, role
        page = reader.pages[0]
        assert abs(float(page.mediabox.width) / MM - 210) < 0.6 and abs(float(page.mediabox.height) / MM - 297) < 0.6
        runs = sized_text(page)
        body = [(text, size) for text, size in runs if not text.startswith("Versie")]
        assert body and min(size for _, size in body) >= 24, (role, min(body, key=lambda r: r[1]))
        for call in sheets[role].calls[:1]:
            if call.is_phone:
                sizes = [size for text, size in runs if text == call.shown]
                assert sizes and min(sizes) >= 48, (role, call.shown, sizes)
        text = page.extract_text().replace(SOFT_HYPHEN, "")
        assert "Wat doe je?" in text
        assert sheets[role].do[0].split()[0] in text
        codes = qr_codes(poster)
        assert [c for c, _ in codes] == [f"{SITE_BASE}/{slug}/rollen/{role}.html"], (role, codes)
        assert codes[0][1] >= 30, f"QR code of {codes[0][1]:.1f} mm"


@pytest.mark.parametrize("slug", ORGS)
def test_first_line_posters_carry_the_act_now_numbers(sites, slug):
    from generator.pipeline import check
    from generator.load import Roots
    from generator.export.cards import sheets_for

    from .conftest import REPO

    variant = check(Roots(REPO, SITE_BASE), [slug]).variants[slug]
    urgent = [s for s in sheets_for(variant) if s.urgent]
    assert urgent, "no first-line role with an act-now block"
    for sheet in urgent:
        text = PdfReader(str(sites / slug / "downloads" / f"poster-{sheet.role_id}.pdf")).pages[0].extract_text()
        assert sheet.calls[0].shown in text, (sheet.role_id, sheet.calls[0])
        card = PdfReader(str(sites / slug / "downloads" / f"rolkaart-{sheet.role_id}.pdf")).pages[0].extract_text()
        assert sheet.calls[0].shown in card


@pytest.mark.parametrize("slug", ORGS)
def test_every_card_carries_a_qr_code_of_its_role_page(sites, slug):
    for role in hub_roles(sites, slug):
        card = sites / slug / "downloads" / f"rolkaart-{role}.pdf"
        codes = qr_codes(card, dpi=200)
        assert [c for c, _ in codes] == [f"{SITE_BASE}/{slug}/rollen/{role}.html"], (role, codes)
        uris = [str(a["/A"].get("/URI")) for a in link_actions(PdfReader(str(card))) if "/A" in a]
        assert f"{SITE_BASE}/{slug}/downloads/rollen/{role}.pdf" in uris, (role, uris)


@pytest.mark.parametrize("slug", ORGS)
def test_no_pdf_in_downloads_links_into_a_folder(sites, slug):
    pdfs = sorted((sites / slug / "downloads").rglob("*.pdf"))
    assert len(pdfs) > 10
    for pdf in pdfs:
        for annotation in link_actions(PdfReader(str(pdf))):
            action = annotation.get("/A") or {}
            uri = str(action.get("/URI", ""))
            assert not uri.startswith("file:") and "rolwijzer.invalid" not in uri, (pdf.name, uri)


@pytest.mark.parametrize("slug", ORGS)
def test_role_page_links_its_short_pdf_poster_and_card(sites, slug):
    for role in hub_roles(sites, slug):
        soup = BeautifulSoup((sites / slug / "rollen" / f"{role}.html").read_text(encoding="utf-8"), "html.parser")
        links = {a["href"] for a in soup.select(".rw-role-prints a")}
        assert links == {f"../downloads/rollen/{role}.pdf", f"../downloads/poster-{role}.pdf", f"../downloads/rolkaart-{role}.pdf"}
        for href in links:
            assert (sites / slug / "rollen" / href).resolve().is_file(), href
        assert "QR-code" in soup.select_one(".rw-role-prints").get_text()


def test_without_an_address_nothing_promises_a_qr_code(minimal_site_without_address):
    site = minimal_site_without_address / "voorbeeld"
    for page in [site / "index.html", *sorted((site / "rollen").glob("*.html"))]:
        assert "QR" not in BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser").get_text(), page.name
    for pdf in [site / "downloads/rolkaarten.pdf", site / "downloads/poster-leerkracht.pdf"]:
        reader = PdfReader(str(pdf))
        assert all("Scan" not in p.extract_text() for p in reader.pages), pdf.name
        assert qr_codes(pdf) == []


def test_schoolgids_docx_keeps_its_links_to_the_published_site(minimal_site):
    from docx import Document

    document = Document(str(minimal_site / "voorbeeld/downloads/schoolgids.docx"))
    targets = [r.target_ref for r in document.part.rels.values() if r.reltype.endswith("/hyperlink")]
    assert targets
    assert all(t.startswith(("https://intranet.voorbeeld.nl/beleid/voorbeeld/", "http", "mailto:", "tel:")) for t in targets), targets
    assert not any(t.startswith("file:") or t.startswith("../") for t in targets)


def test_a_two_sector_organisations_prints_hold_no_exception_of_one_sector(sites):
    """Print has no sector choice: De Kindpartners' posters and cards (onderwijs and kinderopvang)
    must not tell a childcare reader about 'een leerling'; the labelled exceptions stay on the page."""
    downloads = sites / "de-kindpartners" / "downloads"
    for pdf in sorted(downloads.glob("poster-*.pdf")) + sorted(downloads.glob("rolkaart-*.pdf")):
        text = " ".join(page.extract_text() for page in PdfReader(str(pdf)).pages).replace(SOFT_HYPHEN, "")
        assert "leerling" not in text.lower(), pdf.name
