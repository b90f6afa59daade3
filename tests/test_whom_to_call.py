"""Whom to call, in every output of every variant: every tel: link dials (digits and an optional
leading +), in the pages and in the PDFs; the national numbers stand on the contact page."""

from __future__ import annotations

import re

import pytest
from bs4 import BeautifulSoup

from tests.conftest import ORGS, REPO

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


@pytest.fixture(scope="module")
def variants():
    from generator.load import Roots
    from generator.pipeline import check

    return check(Roots(REPO)).variants


@pytest.mark.parametrize("slug", ORGS)
def test_every_hub_role_card_has_a_number_or_address_to_reach(variants, slug):
    """The card and poster of every hub role print whom to call: at least one phone number or
    e-mail address that works (an empty contact counts only through its fallbacks)."""
    from generator.export.cards import sheets_for

    variant = variants[slug]
    sheets = {sheet.role_id: sheet for sheet in sheets_for(variant)}
    assert list(sheets) == list(variant.org.model.hub)
    assert [role for role, sheet in sheets.items() if not sheet.calls] == [], slug
    for role, sheet in sheets.items():
        for call in sheet.calls:
            assert call.shown and re.match(r"^(tel:\+?[0-9]+|mailto:[^@\s]+@[^@\s]+)$", call.href), (slug, role, call)
            contact = variant.get("contact", call.contact_id).model
            assert contact.phone or contact.email or contact.fallback, (slug, role, call)


# --- Wat doe je nu?: the sector's exceptions, the role's own, 112 from the base -------------------

PACK_EXCEPTION = "Vertelt een leerling zelf over geweld thuis? Ga dan meteen naar de aandachtsfunctionaris. Praat er niet eerst over met de ouders."
ACT_NOW_PROJECT = {
    "contacts/alarmnummer.yml": """
        name: Alarmnummer 112
        phone: "112"
        source: "Alarmnummer 112 (landelijk)"
        """,
    "sectors/onderwijs/sector.yml": f"""
        name: Onderwijs
        label: Voor het onderwijs
        source: "Wet verplichte meldcode huiselijk geweld en kindermishandeling (2013)"
        foreign_words: [cliënt]
        act_now_exceptions:
          - text: "{PACK_EXCEPTION}"
            source: "Basismodel meldcode; 003_9a54ac296a9565ce.txt:7837-7862; 004_f468ba2b1a69ee71.txt:1672-1678"
        """,
    "orgs/voorbeeld/org.yml": """
        name: Voorbeeldschool
        sectors: [onderwijs]
        documents: [003_9a54ac296a9565ce.txt]
        source: "003_9a54ac296a9565ce.txt:1-10"
        hub: [leerkracht]
        terms:
          dossiersysteem: ParnasSys
        contacts: [veilig-thuis]
        """,
    "orgs/voorbeeld/roles/leerkracht.yml": f"""
        act_now:
          do: ["Schrijf feitelijk op wat je ziet in {{{{ org.terms.dossiersysteem }}}}."]
          exceptions:
            - Alleen voor deze rol.
            - "{PACK_EXCEPTION}"
          call: [veilig-thuis, alarmnummer]
          stappenwijzer: meldcode
          source: "003_9a54ac296a9565ce.txt:1144-1151"
        """,
}


def _variant(project_dir, slug="voorbeeld"):
    from generator.load import Roots, load
    from generator.validate import validate

    return validate(load(Roots(project_dir))).variants[slug]


def test_act_now_shows_the_sectors_exceptions_then_the_roles_own_then_112(make_project):
    from generator.texts import act_now_of

    variant = _variant(make_project(ACT_NOW_PROJECT, base="minimal"))
    act = act_now_of(variant, "leerkracht")
    assert act.do == ("Schrijf feitelijk op wat je ziet in ParnasSys.",)
    # the role's copy of the sector's sentence shows once; 112 comes from the base contact
    assert act.exception_texts == [PACK_EXCEPTION, "Alleen voor deze rol.", "Is iemand nu in gevaar? Bel 112."]
    assert act.call == ("veilig-thuis", "alarmnummer") and act.stappenwijzer == "meldcode"
    # the page cites the pack's national part and this organisation's own document, not the other's
    assert "Basismodel meldcode; 003_9a54ac296a9565ce.txt:7837-7862" in act.sources
    assert not any("004_" in s for s in act.sources)
    assert act_now_of(variant, "aandachtsfunctionaris") is None  # a role without act_now: none


def test_a_sector_exception_with_an_unknown_word_is_a_file_line_error(make_project):
    from generator.problems import ContentError

    files = dict(ACT_NOW_PROJECT)
    files["sectors/onderwijs/sector.yml"] = files["sectors/onderwijs/sector.yml"].replace(
        "Ga dan meteen", "Ga dan meteen naar {{ org.terms.onbekend }} en")
    with pytest.raises(ContentError) as caught:
        _variant(make_project(files, base="minimal"))
    assert any(p.path == "sectors/onderwijs/sector.yml" and p.line == 6 and "onbekend" in p.message for p in caught.value.problems), [
        p.format() for p in caught.value.problems]


def test_a_sector_exception_citing_one_organisation_only_is_a_warning(make_project):
    from generator.load import Roots, load
    from generator.validate import validate

    files = dict(ACT_NOW_PROJECT)
    files["sectors/onderwijs/sector.yml"] = files["sectors/onderwijs/sector.yml"].replace(
        "Basismodel meldcode; 003_9a54ac296a9565ce.txt:7837-7862; 004_f468ba2b1a69ee71.txt:1672-1678", "003_9a54ac296a9565ce.txt:7837-7862")
    warnings = [w.format() for w in validate(load(Roots(make_project(files, base="minimal")))).warnings]
    assert any(w.startswith("sectors/onderwijs/sector.yml:7: het sectorpakket 'onderwijs' noemt alleen het document van voorbeeld")
               for w in warnings), warnings


def act_now_blocks(sites, slug: str) -> dict[str, BeautifulSoup]:
    """Role page -> its 'Wat doe je nu?' block, for every built role page that has one."""
    found = {}
    for page in sorted((sites / slug / "rollen").glob("*.html")):
        block = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser").select_one(".rw-act-now")
        if block is not None:
            found[page.stem] = block
    return found


def exceptions_for(block: BeautifulSoup, sector: str | None = None) -> list[str]:
    """The 'Let op' lines a reader of `sector` sees (None: every line)."""
    return [li.get_text(" ", strip=True) for li in block.select(".rw-act-now__exceptions li")
            if sector is None or li.get("data-sector") in (None, sector)]


PARENTS_FIRST = re.compile(r"niet eerst .*ouders", re.IGNORECASE)


def test_a_care_act_now_has_no_parent_exception_while_a_schools_has_it(sites):
    care = act_now_blocks(sites, "veilige-zorgrelatie")
    assert "professional" in care
    for role, block in care.items():
        lines = exceptions_for(block)
        assert lines and not [line for line in lines if re.search(r"\bouders?\b", line, re.IGNORECASE)], (role, lines)
        assert any("cliënt" in line for line in lines), (role, lines)  # the zorg pack's own exception
    for slug, sectors in (("wij-de-venen", ["onderwijs"]), ("de-kindpartners", ["onderwijs", "kinderopvang"])):
        blocks = act_now_blocks(sites, slug)
        assert {"leerkracht", "ondersteunend-personeel"} <= set(blocks), (slug, sorted(blocks))
        for role, block in blocks.items():
            for sector in sectors:  # in each sector's view, in that sector's words
                lines = [line for line in exceptions_for(block, sector) if PARENTS_FIRST.search(line)]
                word = "leerling" if sector == "onderwijs" else "kind"
                assert any(re.search(rf"\b{word}\b", line) for line in lines), (slug, role, sector, exceptions_for(block, sector))


@pytest.mark.parametrize("slug", ORGS)
def test_every_act_now_block_says_112_once_from_the_base(sites, slug):
    blocks = act_now_blocks(sites, slug)
    assert blocks, slug
    for role, block in blocks.items():
        lines = exceptions_for(block)
        assert [line for line in lines if "112" in line] == ["Is iemand nu in gevaar? Bel 112."], (slug, role, lines)
        assert len(lines) == len(set(lines)), (slug, role, lines)
