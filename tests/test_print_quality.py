"""The interactive PDF of every organisation read back as its reader sees it: bookmarks that read
as the headings they stand for, no page that holds only the footer or a version line, no nearly
empty page before a forced page break, page numbers on the hub's tiles, and RESET's code of
conduct in its own order. The four organisations are built once (the session's `sites`)."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest
import yaml
from bs4 import BeautifulSoup
from pypdf import PdfReader

from generator.load import Roots
from generator.outputs import reading_order
from generator.pipeline import check

from .conftest import ORGS, REPO, pdf_page_texts

from .test_export import outline_titles as outline

FOOTER = re.compile(r"Pagina \d+ van \d+\s*$")


def words(text: str) -> str:
    return " ".join(text.replace("\u00ad", "").split())


def pdf_file(sites: Path, slug: str) -> Path:
    return sites / slug / "downloads" / f"{slug}.pdf"


def pdf_of(sites: Path, slug: str) -> PdfReader:
    return PdfReader(str(pdf_file(sites, slug)))


def page_of(reader: PdfReader, anchor: str) -> int:
    """1-based page of a section's anchor."""
    return reader.get_destination_page_number(reader.named_destinations[f"/{anchor}"]) + 1


def built_pages(sites: Path, slug: str) -> list[BeautifulSoup]:
    return [BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
            for path in sorted((sites / slug).rglob("*.html")) if "assets" not in path.parts]


def heading_texts(sites: Path, slug: str) -> set[str]:
    """Every heading of the built site as a reader sees it (and the tab labels, which print as headings)."""
    texts = {"Beleid en protocollen"}
    for soup in built_pages(sites, slug):
        for link in soup.select("a.headerlink"):
            link.decompose()
        for node in soup.select("article h1, article h2, article h3, article h4, article h5, article h6, .tabbed-labels > label"):
            texts.add(words(node.get_text()))
    return texts


def filled(pdf: Path, page: int) -> float:
    """How far down the text area (A4 minus the 14 mm top and 16 mm bottom margins) the page's ink reaches."""
    data = subprocess.run(["pdftoppm", "-gray", "-r", "20", "-f", str(page), "-l", str(page), str(pdf)],
                          capture_output=True, check=True).stdout
    header = re.match(rb"P5\s+(\d+)\s+(\d+)\s+\d+\s", data)
    width, height = int(header.group(1)), int(header.group(2))
    pixels = data[header.end():header.end() + width * height]
    top, bottom = int(height * 14 / 297), int(height * (297 - 16) / 297)
    rows = [y for y in range(top, bottom) if any(v < 200 for v in pixels[y * width:(y + 1) * width])]
    return (rows[-1] - top + 1) / (bottom - top) if rows else 0.0


@pytest.mark.parametrize("slug", ORGS)
def test_bookmarks_read_as_the_headings_they_stand_for(sites, slug):
    """A heading that wraps lost the space at the wrap ("datgrensoverschrijdend"), and a heading
    printed one level deeper than on the site came out in capitals (Material's h5/h6)."""
    headings = heading_texts(sites, slug)
    titles = [title for _, title in outline(pdf_of(sites, slug))]
    assert len(titles) > 20
    strange = [title for title in titles if title not in headings]
    assert not strange, f"{len(strange)} bladwijzers zijn geen kop van de site: {strange[:10]}"


@pytest.mark.parametrize("slug", ORGS)
def test_no_page_holds_only_the_footer_or_a_version_line(sites, slug):
    reader = pdf_of(sites, slug)
    versions = {words(node.get_text()) for soup in built_pages(sites, slug) for node in soup.select(".rw-docmeta")}
    name = reader.outline[0].title if reader.outline else ""
    empty = []
    for number, text in enumerate(pdf_page_texts(pdf_file(sites, slug)), start=1):
        lines = [words(line) for line in text.splitlines()]
        lines = [FOOTER.sub("", line).strip() for line in lines]
        lines = [line for line in lines if line and line != name and line not in versions]
        rest = " ".join(lines)
        for version in versions:  # a version line that wrapped over two lines
            rest = rest.replace(version, "")
        if len(rest.strip()) < 60:
            empty.append((number, rest.strip()))
    assert not empty, f"pagina's met (bijna) alleen de voettekst of een versieregel: {empty}"


@pytest.mark.parametrize("slug", ORGS)
def test_no_nearly_empty_page_before_a_forced_page_break(sites, slug):
    """Pages break by force only before the hub, the first role and the policy part: the page
    before each of them is not a leftover of a few lines (its ink reaches 15% of the text area)."""
    reader = pdf_of(sites, slug)
    first_role = reading_order(check(Roots(REPO), [slug]).variants[slug])[1].anchor
    pdf = pdf_file(sites, slug)
    for anchor in ("start", first_role, "beleid"):
        before = page_of(reader, anchor) - 1
        assert before >= 2  # after the cover at least
        assert filled(pdf, before) > 0.15, f"pagina {before} (voor '{anchor}') is bijna leeg"


@pytest.mark.parametrize("slug", ORGS)
def test_hub_tiles_show_the_page_of_their_role(sites, slug):
    reader = pdf_of(sites, slug)
    hub = reader.pages[page_of(reader, "start") - 1]
    targets = [a.get_object()["/Dest"] for a in hub.get("/Annots") or [] if "/Dest" in a.get_object()]
    roles = [t for t in targets if str(t).startswith("/p-rollen-")]
    assert roles
    text = hub.extract_text()
    assert text.count("pagina") == len(roles), text
    numbers = set(re.findall(r"\b\d+\b", text))
    for target in roles:
        assert str(reader.get_destination_page_number(reader.named_destinations[target]) + 1) in numbers, target


def test_reset_code_of_conduct_prints_in_menu_order_and_roles_link_into_it(sites):
    menu = yaml.safe_load((REPO / "orgs/reset/org.yml").read_text(encoding="utf-8"))["menu"]
    code = [entry["label"] for entry in menu if re.match(r"\d+\. ", entry["label"])]
    assert code[0].startswith("1. ") and code[-1].startswith("12. ")
    reader = pdf_of(sites, "reset")
    titles = outline(reader)
    policy = titles.index((0, "Beleid en protocollen"))
    found = [(i, t) for i, (_, t) in enumerate(titles) if t in code]
    assert [t for _, t in found] == code  # each once, in the menu's order
    assert all(i > policy and titles[i][0] == 1 for i, _ in found)  # in the policy part, not in a role's route
    route = range(page_of(reader, "p-rollen-trainer") - 1, page_of(reader, "p-rollen-medewerker"))
    links = {str(a.get_object().get("/Dest")) for i in route for a in reader.pages[i].get("/Annots") or []}
    assert "/p-gedragscode-rode-lijn" in links  # the role's tile jumps into the code of conduct


def test_reading_order_keeps_a_numbered_menu_series_together():
    variant = check(Roots(REPO), ["reset"]).variants["reset"]
    sections = reading_order(variant)
    titles = [s.title for s in sections]
    code = [s for s in sections if re.match(r"\d+\. ", s.title)]
    assert [s.title.split(".")[0] for s in code] == [str(n) for n in range(1, 13)]
    assert all(s.level == 2 for s in code)
    assert titles.index("Beleid en protocollen") < titles.index("1. Kern")
    positions = [sections.index(s) for s in code]
    assert positions == list(range(positions[0], positions[0] + 12))  # one run, nothing between
    rode_lijn = next(s for s in code if s.title == "3. Rode lijn")
    assert ("p-rollen-trainer", "Trainer") in rode_lijn.roles  # back to the roles that list it


def test_reading_order_without_a_numbered_series_keeps_role_routes():
    """WIJ de Venen's menu numbers nothing: every topic of a role prints in a role's route."""
    from generator import markup
    from generator.outputs import html_path

    variant = check(Roots(REPO), ["wij-de-venen"]).variants["wij-de-venen"]
    by_path = {s.path: s for s in reading_order(variant)}
    for role_id in variant.org.model.hub:
        for topic in variant.get("role", role_id).model.topics:
            kind, item_id, _ = markup.split_ref(topic.ref)
            section = by_path[html_path(kind, item_id)]
            assert section.level in (1, 2) and section.path.startswith(("index", "rollen/")) or section.level == 3, section
