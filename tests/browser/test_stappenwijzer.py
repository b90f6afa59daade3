"""The stappenwijzer in Chromium, from disk and offline: real clicks along every path of every
stappenwijzer of every organisation, axe on every screen, and the whole decision without JavaScript."""

from __future__ import annotations

import re

import pytest
from bs4 import BeautifulSoup
from playwright.sync_api import expect

from tests.conftest import ORGS

pytestmark = pytest.mark.browser

AXE_OPTIONS = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}, "resultTypes": ["violations"]}


def wizards(sites, slug):
    return sorted((sites / slug / "stappenwijzer").glob("*.html")) if (sites / slug / "stappenwijzer").is_dir() else []


def paths(html: str) -> list[list[tuple[str, str]]]:
    """Every path through the questions as [(question id, answer label), ...], read from the page."""
    soup = BeautifulSoup(html, "html.parser")
    questions = {q["id"]: q for q in soup.select(".rw-wizard__q")}
    ends = {e["id"]: e for e in soup.select(".rw-wizard__end")}
    found: list[list[tuple[str, str]]] = []

    def walk(qid: str, so_far: list[tuple[str, str]]) -> None:
        for answer in questions[qid].select(".rw-wizard__answer"):
            step = so_far + [(qid, answer["data-label"])]
            end, nxt = answer.get("data-end"), answer.get("data-next")
            if end:
                then = ends[end].select_one(".rw-wizard__then a[href^='#q-']")
                if then is not None:  # an urgent outcome first, then the questions go on
                    walk(then["href"][1:], step + [(end, "verder")])
                else:
                    found.append(step)
            else:
                walk(nxt, step)

    walk(soup.select_one(".rw-wizard__q")["id"], [])
    return found


def settle(page) -> None:
    """Let Material's header and button transitions finish (axe measures colours mid-fade otherwise)."""
    page.mouse.move(0, 0)
    page.wait_for_timeout(450)


def test_every_organisation_with_decision_questions_has_a_stappenwijzer(sites):
    for slug in ORGS:
        protocols = [p for p in (sites / slug / "protocollen").glob("*.html")
                     if 'class="rw-question' in p.read_text(encoding="utf-8") or "rw-wizard-link" in p.read_text(encoding="utf-8")]
        for protocol in protocols:
            assert (sites / slug / "stappenwijzer" / protocol.name).is_file(), (slug, protocol.name)


@pytest.mark.parametrize("slug", ORGS)
def test_clicks_along_every_path_end_in_what_to_do_now(browser, sites, slug):
    from axe_playwright_python.sync_playwright import Axe

    axe = Axe()
    context = browser.new_context(viewport={"width": 360, "height": 740})
    context.route("**/*", lambda route: route.continue_() if route.request.url.startswith(("file:", "data:", "blob:")) else route.abort())
    page = context.new_page()
    problems: list[str] = []
    for wizard in wizards(sites, slug):
        all_paths = paths(wizard.read_text(encoding="utf-8"))
        assert all_paths, wizard
        for number, path in enumerate(all_paths):
            page.goto(wizard.as_uri())
            expect(page.locator(".rw-wizard__q:visible")).to_have_count(1)
            expect(page.locator(".rw-wizard__progress")).to_have_text(f"Vraag 1 van {page.locator('.rw-wizard__q').count()}")
            for screen, label in path:
                visible = page.locator(f"#{screen}")
                expect(visible).to_be_visible()
                if label == "verder":
                    visible.locator(".rw-wizard__then a").click()
                else:
                    visible.get_by_role("button", name=label, exact=True).click()
            end = page.locator(".rw-wizard__end:visible")
            expect(end).to_have_count(1)
            expect(end.locator("h2")).to_be_focused()
            expect(page.locator(".rw-wizard__summary")).to_be_visible()
            expect(page.locator(".rw-wizard__list li")).to_have_count(len(path))
            for tel in end.locator("a[href^='tel:']").all():
                assert tel.get_attribute("href")[4:].lstrip("+").isdigit()
            if number == 0:  # axe on a question screen and an end screen of each stappenwijzer
                settle(page)
                for result in (axe.run(page, options=AXE_OPTIONS),):
                    problems += [f"{wizard.name} end: {v['id']} {[n['target'] for n in v['nodes'][:3]]}" for v in result.response["violations"]]
                page.locator(".rw-wizard__end:visible").get_by_role("button", name="Terug", exact=True).click()
                expect(page.locator(".rw-wizard__q:visible")).to_have_count(1)
                settle(page)
                result = axe.run(page, options=AXE_OPTIONS)
                problems += [f"{wizard.name} question: {v['id']} {[n['target'] for n in v['nodes'][:3]]}" for v in result.response["violations"]]
    context.close()
    assert problems == []


def test_without_javascript_the_whole_decision_is_text(browser, sites):
    slug = next(s for s in ORGS if wizards(sites, s))
    wizard = wizards(sites, slug)[0]
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(wizard.as_uri())
    count = page.locator(".rw-wizard__q").count()
    assert count >= 1
    expect(page.locator(".rw-wizard__q:visible")).to_have_count(count)
    expect(page.locator(".rw-wizard__end:visible")).to_have_count(page.locator(".rw-wizard__end").count())
    assert page.locator(".rw-wizard__answer:visible").count() >= 2 * count
    context.close()


def first_line_roles(slug: str) -> list[str]:
    import yaml

    from tests.conftest import REPO

    found = []
    for path in sorted((REPO / "orgs" / slug / "roles").glob("*.yml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        if data.get("act_now"):
            found.append(path.stem)
    return found


# The first-line roles (who see signals first) whose seed says what they do then; each must open with
# 'Wat doe je nu?' (a role that loses its act_now: fails here, not only disappears from the loop).
FIRST_LINE = {"wij-de-venen": {"leerkracht", "ondersteunend-personeel"},
              "de-kindpartners": {"leerkracht", "ondersteunend-personeel"},
              "reset": {"trainer", "medewerker", "zzp-partner"},
              "veilige-zorgrelatie": {"professional"}}


@pytest.mark.parametrize("slug", ORGS)
def test_what_to_do_now_is_in_the_first_phone_screen(browser, sites, slug):
    assert FIRST_LINE[slug] <= set(first_line_roles(slug)), (slug, first_line_roles(slug))
    context = browser.new_context(viewport={"width": 360, "height": 740})
    page = context.new_page()
    for role in first_line_roles(slug):
        page.goto((sites / slug / "rollen" / f"{role}.html").as_uri())
        block = page.locator(".rw-act-now")
        expect(block.locator("h2")).to_have_text("Wat doe je nu?")
        first = block.locator("li").first.bounding_box()
        assert first is not None and first["y"] + first["height"] <= 740, (slug, role, first)
        # what changes it: the sector's exceptions and 112, under 'Let op'
        expect(block.locator(".rw-act-now__exceptions li").last).to_have_text("Is iemand nu in gevaar? Bel 112.")
        for tel in block.locator("a[href^='tel:']").all():
            assert tel.get_attribute("href")[4:].lstrip("+").isdigit(), (slug, role)
        assert block.locator("a[href^='tel:']").count() >= 1, f"{slug}/{role}: no number to tap"
    context.close()


def test_resets_report_form_is_filled_in_on_the_page_and_copied(browser, sites):
    context = browser.new_context()
    context.grant_permissions(["clipboard-read", "clipboard-write"])
    page = context.new_page()
    page.goto((sites / "reset/protocollen/meldformulier.html").as_uri())
    fields = page.locator(".rw-fill textarea")
    expect(fields).to_have_count(5)
    fields.nth(0).fill("Een deelnemer schold een ander uit.")
    fields.nth(1).fill("Dinsdag, 14.00 uur, in de sportzaal.")
    page.get_by_role("button", name="Kopiëren").click()
    expect(page.locator(".rw-fill__done")).to_have_text("Gekopieerd.")
    copied = page.evaluate("navigator.clipboard.readText()")
    assert "Wat is er gebeurd?\nEen deelnemer schold een ander uit." in copied and "Wanneer en waar?" in copied
    # The directie has no address yet: no mail button, and the page says whom to reach meanwhile.
    expect(page.get_by_role("button", name=re.compile("^Mailen"))).to_have_count(0)
    expect(page.locator(".rw-fill__nomail")).to_contain_text("nog niet ingevuld door RESET Methodiek")
    context.close()


# The four scenarios of the act-now issue: who sees what, and the hub tile they tap.
SCENARIOS = [("wij-de-venen", "Leerkracht", "a teacher who sees bruises"),
             ("de-kindpartners", "Professional", "a pedagogisch medewerker who suspects abuse"),
             ("reset", "Trainer", "a trainer whose participant threatens someone"),
             ("veilige-zorgrelatie", "Professional en vrijwilliger", "a care professional whose colleague crosses a boundary")]


@pytest.mark.parametrize("slug, tile, who", SCENARIOS, ids=[s[0] for s in SCENARIOS])
def test_each_scenario_reaches_what_to_do_and_a_number_to_tap_in_one_tap_offline(browser, sites, slug, tile, who):
    context = browser.new_context(viewport={"width": 360, "height": 740}, has_touch=True, is_mobile=True)
    outside: list[str] = []
    context.route("**/*", lambda route: route.continue_() if route.request.url.startswith(("file:", "data:", "blob:"))
                  else (outside.append(route.request.url), route.abort()))
    page = context.new_page()
    page.goto((sites / slug / "index.html").as_uri())
    page.locator("a.rw-tile", has_text=tile).first.tap()  # tap 1: the role on the hub
    block = page.locator(".rw-act-now")
    expect(block.locator("h2")).to_have_text("Wat doe je nu?")
    first = block.locator("li").first.bounding_box()
    assert first is not None and first["y"] < 740, f"{who}: 'Wat doe je nu?' is not on the first screen"
    numbers = block.locator("a[href^='tel:']")
    assert numbers.count() >= 1, f"{who}: no number to tap"
    assert all(n.get_attribute("href")[4:].lstrip("+").isdigit() for n in numbers.all())
    assert outside == [], outside
    context.close()
