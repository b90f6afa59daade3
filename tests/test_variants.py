"""The four organisations as built from this repository: read the built pages like a user would.

Expected role/topic labels, counts and orders come from the organisations' source documents (the
seed maps), not from the output."""

from __future__ import annotations

import re
from collections import defaultdict
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from bs4 import BeautifulSoup

from .conftest import ORGS, REPO


def pages(site: Path, slug: str) -> list[Path]:
    return sorted(p for p in (site / slug).rglob("*.html") if "downloads" not in p.parts and p.name != "404.html")


def soup(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def topics(site: Path, slug: str, role: str) -> list[tuple[str, str]]:
    page = soup(site / slug / "rollen" / f"{role}.html")
    return [(a.select_one(".rw-topic__label").get_text(), a["href"]) for a in page.select("a.rw-topic")]


def hub_roles(site: Path, slug: str) -> list[str]:
    return [a["href"].split("/")[-1][:-5] for a in soup(site / slug / "index.html").select("a.rw-tile")]


# --- every variant -----------------------------------------------------------------------------

@pytest.mark.parametrize("slug", ORGS)
def test_no_broken_internal_link_or_anchor(sites, slug):
    root = sites.resolve()
    trees = {page.resolve(): soup(page) for page in pages(sites, slug)}  # each page parsed once
    ids = {page: {n["id"] for n in tree.find_all(id=True)} for page, tree in trees.items()}
    broken = []
    for page, tree in trees.items():
        for tag, attr in (("a", "href"), ("link", "href"), ("script", "src"), ("img", "src")):
            for node in tree.find_all(tag, attrs={attr: True}):
                url = urlsplit(node[attr])
                if url.scheme or url.netloc or node[attr].startswith("#") and not url.fragment:
                    continue
                target = (page.parent / unquote(url.path)).resolve() if url.path else page
                if not target.exists():
                    broken.append(f"{page.relative_to(root)}: {node[attr]}")
                    continue
                if url.fragment and target.suffix == ".html":
                    if target not in ids:
                        ids[target] = {n["id"] for n in soup(target).find_all(id=True)}
                    if unquote(url.fragment) not in ids[target]:
                        broken.append(f"{page.relative_to(root)}: {node[attr]} (anker ontbreekt)")
    assert broken == []


@pytest.mark.parametrize("slug", ORGS)
def test_site_loads_nothing_from_outside(sites, slug):
    for page in pages(sites, slug):
        for node in soup(page).find_all(["script", "link", "img", "iframe"]):
            if node.name == "link" and "canonical" in (node.get("rel") or []):
                continue  # the page's own published address (site_url): names it, loads nothing
            url = node.get("src") or (node.get("href") if node.name == "link" else None) or ""
            assert not re.match(r"^(https?:)?//", url), f"{page}: {url}"
    assert "fonts.googleapis" not in (sites / slug / "index.html").read_text(encoding="utf-8")


@pytest.mark.parametrize("slug", ORGS)
def test_interface_is_dutch(sites, slug):
    index = (sites / slug / "index.html").read_text(encoding="utf-8")
    assert '<html lang="nl"' in index
    assert 'placeholder="Zoeken"' in index


@pytest.mark.parametrize("slug", ORGS)
def test_every_hub_role_page_lists_topics_that_exist(sites, slug):
    for role in hub_roles(sites, slug):
        for label, href in topics(sites, slug, role):
            assert (sites / slug / "rollen" / urlsplit(href).path).resolve().is_file(), (role, label, href)


@pytest.mark.parametrize("slug", ORGS)
def test_exports_exist_and_are_linked_from_the_hub(sites, slug):
    hub = soup(sites / slug / "index.html")
    for link in hub.select(".rw-downloads a"):
        assert (sites / slug / link["href"]).is_file(), link["href"]
    assert (sites / slug / "downloads" / f"{slug}.pdf").is_file()
    assert (sites / slug / "downloads" / "rolkaarten.pdf").is_file()


def long_paragraphs(page: Path) -> set[str]:
    article = soup(page).find("article")
    if article is None:
        return set()
    texts = set()
    for node in article.find_all(["p", "li", "dd", "td"]):
        if node.find(["p", "li", "ul", "ol"]) or node.find_parent(class_="rw-embed"):
            continue  # an embedded list or table is one source shown in several places by design
        text = re.sub(r"\s+", " ", node.get_text(" ", strip=True))
        if len(text.split()) >= 40:
            texts.add(text)
    return texts


@pytest.mark.parametrize("slug", ORGS)
def test_no_paragraph_of_40_words_appears_on_two_pages(sites, slug):
    where = defaultdict(set)
    for page in pages(sites, slug):
        for text in long_paragraphs(page):
            where[text].add(page.relative_to(sites / slug).as_posix())
    doubles = {text[:80]: sorted(found) for text, found in where.items() if len(found) > 1}
    assert doubles == {}


def test_no_paragraph_of_40_words_is_written_in_both_school_overlays():
    """What WIJ de Venen and De Kindpartners share belongs in the base, once."""
    def overlay_paragraphs(slug: str) -> dict[str, str]:
        found = {}
        for path in (REPO / "orgs" / slug).rglob("*"):
            if path.suffix not in (".md", ".yml"):
                continue
            for block in re.split(r"\n\s*\n", path.read_text(encoding="utf-8")):
                text = re.sub(r"\s+", " ", re.sub(r"^\s*(-|\d+\.|>|[a-z_]+:\s*[|>]-?)\s*", "", block, flags=re.M)).strip()
                if len(text.split()) >= 40:
                    found[text] = str(path.relative_to(REPO))
        return found
    wij, kp = overlay_paragraphs("wij-de-venen"), overlay_paragraphs("de-kindpartners")
    assert {text[:80]: (wij[text], kp[text]) for text in wij.keys() & kp.keys()} == {}


# --- WIJ de Venen (seed 003) ---------------------------------------------------------------------

WIJ_TOPICS = {  # 003 map §2.1: the tab labels under each role, in order (33 in all)
    "kinderen": ["Educatie", "Klankbord", "Monitoren welbevinden"],
    "ouders": ["Leerkracht als partner", "(G)MR/Ouder-commissie"],
    "contactpersoon": ["Klachten/vragen", "Taken contactpersoon"],
    "vertrouwenspersoon": ["Taken"],
    "leerkracht": ["Taken", "Beroepscode", "Monitoren welbevinden", "Signaleren", "Overleg met collega's",
                   "Ouders als partner", "Dossier", "Kennis"],
    "ondersteunend-personeel": ["Beroepscode", "Overleg met collega's", "Signaleren"],
    "externe-professionals": ["Extern netwerk", "Ondersteuning"],
    "manager-sociale-veiligheid": ["Taken", "Handhaving beleid", "Calamiteiten", "Incidentenregistratie",
                                   "Personeelsbeleid", "Wegen zorg"],
    "aandachtsfunctionaris": ["Taken", "Interne coach", "Contact met ouders", "Overleg met externe professionals",
                              "Dossier Meldcode", "Wegen zorg"],
}


def test_wij_hub_has_every_role_and_all_33_role_topic_pairs(sites):
    assert hub_roles(sites, "wij-de-venen") == list(WIJ_TOPICS)
    pairs = {role: [label for label, _ in topics(sites, "wij-de-venen", role)] for role in WIJ_TOPICS}
    assert pairs == WIJ_TOPICS
    assert sum(len(v) for v in pairs.values()) == 33


def test_wij_protocol_index_lists_all_23_entries_and_each_resolves(sites):
    page = soup(sites / "wij-de-venen/protocollen/index.html")
    entries = page.select("article ol")[0].find_all("li", recursive=False)
    assert len(entries) == 23
    for entry in entries:
        href = urlsplit(entry.find("a")["href"]).path
        assert (sites / "wij-de-venen/protocollen" / href).resolve().is_file(), href


def afwegingskader(site: Path, slug: str) -> list[tuple[str, str, str]]:
    page = soup(site / slug / "protocollen/meldcode.html")
    found = []
    for question in ("vermoeden", "veiligheid", "hulp", "hulp-accepteren", "resultaat"):
        heading = page.find(id=question)
        answers = heading.find_next("div", class_="rw-answers")
        found.append((question, answers.select_one(".rw-answer--yes").get_text(" ", strip=True)[:3],
                      answers.select_one(".rw-answer--no").get_text(" ", strip=True)[:4]))
    return found


@pytest.mark.parametrize("slug", ["wij-de-venen", "de-kindpartners"])
def test_afwegingskader_has_five_questions_in_order_with_both_outcomes(sites, slug):
    page = (sites / slug / "protocollen/meldcode.html").read_text(encoding="utf-8")
    order = [page.index(f'id="{q}"') for q in ("vermoeden", "veiligheid", "hulp", "hulp-accepteren", "resultaat")]
    assert order == sorted(order)
    assert all(yes == "Ja." and no == "Nee." for _, yes, no in afwegingskader(sites, slug))


def test_wij_teacher_reaches_the_next_meldcode_step_in_two_clicks(sites):
    hub = soup(sites / "wij-de-venen/index.html")
    role_href = next(a["href"] for a in hub.select("a.rw-tile") if "leerkracht" in a["href"])
    signaleren = dict(topics(sites, "wij-de-venen", "leerkracht"))["Signaleren"]
    page = soup(sites / "wij-de-venen/rollen" / urlsplit(signaleren).path)
    assert role_href == "rollen/leerkracht.html"
    assert page.select_one('.rw-route[data-role="leerkracht"] .rw-next') is not None


# --- De Kindpartners (seed 004) -------------------------------------------------------------------

KP_TOPICS = {  # 004 map §2.2: 8 roles, 34 role-topic pairs, in order
    "kinderen": ["Educatie", "Kindparticipatie", "Monitoren welbevinden", "Kindgesprekken"],
    "ouders": ["Professional als partner", "(G)MR"],
    "vertrouwenspersoon": ["Advies", "Klachten/vragen", "Taken"],
    "leerkracht": ["Beroepscode", "Taken", "Monitoren welbevinden", "Signaleren", "Overleg met collega's",
                   "Gesprekken met kinderen", "Ouders als partners", "Dossier", "Kennis"],
    "externe-professionals": ["Extern netwerk", "Ondersteuning"],
    "ondersteunend-personeel": ["Overleg met collega's", "Signaleren", "Beroepscode"],
    "manager-sociale-veiligheid": ["Taken", "Personeelsbeleid", "Handhaving beleid", "Calamiteiten", "Incidentenregistratie"],
    "aandachtsfunctionaris": ["Taken", "Interne coach", "Contact met ouders", "Overleg met externe professionals",
                              "Dossier meldcode", "Wegen zorg"],
}


def test_kindpartners_hub_has_8_roles_and_34_role_topic_pairs(sites):
    assert hub_roles(sites, "de-kindpartners") == list(KP_TOPICS)
    pairs = {role: [label for label, _ in topics(sites, "de-kindpartners", role)] for role in KP_TOPICS}
    assert pairs == KP_TOPICS
    assert sum(len(v) for v in pairs.values()) == 34
    assert soup(sites / "de-kindpartners/rollen/leerkracht.html").find("h1").get_text() == "Professional"


def test_kindpartners_meldcode_has_three_lanes(sites):
    lanes = [t.get_text(strip=True) for t in soup(sites / "de-kindpartners/protocollen/meldcode.html").select(".rw-lane__title")]
    assert len(lanes) == 3 and lanes[0] == "Professional"


def test_kindpartners_pages_carry_their_sector(sites):
    sectors = [p for p in pages(sites, "de-kindpartners") if 'data-sector="kinderopvang"' in p.read_text(encoding="utf-8")]
    assert sectors, "geen enkel onderdeel is als kinderopvang gemarkeerd"
    assert soup(sites / "de-kindpartners/index.html").select("[data-choose-sector]")


# --- RESET (seeds 000, 001) -------------------------------------------------------------------------

def texts_in_order(page: Path, selector: str) -> list[str]:
    return [re.sub(r"\s+", " ", n.get_text(" ", strip=True)) for n in soup(page).select(selector)]


def test_reset_ten_rules_five_ladder_steps_and_five_report_fields(sites):
    rules = texts_in_order(sites / "reset/gedragscode/basisregels.html", "article ol > li")
    assert len(rules) == 10
    ladder = texts_in_order(sites / "reset/protocollen/sanctieladder.html", "h2.rw-step-title")
    assert len(ladder) == 5 and all(step.startswith(f"Stap {n}.") for n, step in enumerate(ladder, start=1))
    fields = texts_in_order(sites / "reset/protocollen/meldformulier.html", "table.rw-form th")
    assert len(fields) == 5


def test_reset_every_role_page_links_to_reporting_and_shows_the_red_line(sites):
    for role in hub_roles(sites, "reset"):
        page = soup(sites / "reset/rollen" / f"{role}.html")
        assert any("protocollen/melden.html" in a["href"] for a in page.select("a.rw-topic")), role
        assert "Onveilig = stoppen" in page.select_one(".rw-redline").get_text(), role


def test_reset_footer_shows_version_and_owner(sites):
    page = (sites / "reset/gedragscode/kern.html").read_text(encoding="utf-8")
    assert "versie 1.0" in page and "eigenaar Directie" in page


def test_reset_empty_contact_fields_are_warned_about():
    from generator.load import Roots
    from generator.pipeline import check

    warnings = [w.format() for w in check(Roots(REPO), ["reset"]).warnings]
    assert any(w.endswith("reset: geen vertrouwenscontactpersoon ingevuld (vul phone:, email: in)") for w in warnings)


# --- Veilige zorgrelatie (seed 002) ---------------------------------------------------------------

def test_zorg_hub_has_the_six_wijzer_roles(sites):
    titles = [t.get_text().replace("\u00ad", "") for t in soup(sites / "veilige-zorgrelatie/index.html").select(".rw-tile__title")]  # without the soft hyphens
    assert titles == ["Bestuurder met beleidsmaker", "Manager en coach", "HR functionaris", "Cliëntenraad en OR",
                      "Professional en vrijwilliger", "Opleider en trainer"]


def test_zorg_stappenplan_has_six_steps_each_compared_with_the_meldcode(sites):
    page = soup(sites / "veilige-zorgrelatie/protocollen/stappenplan.html")
    steps = page.select("h2.rw-step-title")
    assert [s["id"] for s in steps] == [f"stap-{n}" for n in range(1, 7)]
    for step in steps:
        comparison = step.find_next("div", class_="admonition abstract")
        assert comparison is not None and "verschil met de meldcode" in comparison.get_text().lower()
        assert "meldcode.html#" in comparison.find("a", href=re.compile("meldcode"))["href"]


def test_zorg_every_recommendation_page_has_its_parts(sites):
    root = sites / "veilige-zorgrelatie"
    recommendations = sorted(root.glob("*/aanbeveling-*.html")) + sorted(root.glob("interventie/*/aanbeveling-*.html"))
    assert len(recommendations) >= 14
    for page in recommendations:
        labels = [l.get_text(strip=True) for l in soup(page).select(".tabbed-labels > label")]
        assert labels and labels[0] == "Uitwerking", page


def test_reset_every_page_footer_and_the_pdf_cover_show_version_date_owner_and_contacts(sites):
    from pypdf import PdfReader

    for page in pages(sites, "reset"):
        footer = soup(page).select_one(".md-copyright").get_text(" ", strip=True)
        for fact in ("versie 1.0", "18-12-2025", "eigenaar Directie", "klachten@resetmethodiek.nl", "privacy@resetmethodiek.nl"):
            assert fact in footer, (page, fact)
    cover = PdfReader(str(sites / "reset/downloads/reset.pdf")).pages[0].extract_text()
    for fact in ("Versie 1.0", "18-12-2025", "klachten@resetmethodiek.nl", "privacy@resetmethodiek.nl"):
        assert fact in cover, fact


def test_reset_lists_hold_the_triggers_and_stop_criteria_of_the_code(sites):
    melden = soup(sites / "reset/gedragscode/melden-en-escaleren.html")
    lists = [ul for ul in melden.select("article .rw-embed")]
    assert len(lists) >= 2
    assert [len(x.select("li")) for x in lists[:2]] == [4, 5]  # 4 reporting triggers, 5 report fields
    stop = soup(sites / "reset/gedragscode/stopmoment.html").select("article .rw-embed li")
    assert len(stop) == 4
