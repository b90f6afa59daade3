"""Layers: base -> sector packs -> organisation, one rule at every layer; two packs side by side;
sources that must fit their layer. Small fixture projects, one build where the reader's view matters."""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup

from generator.load import Roots
from generator.pipeline import build_variants, check
from generator.problems import ContentError

TWO_SECTORS_ORG = """
    name: Kindcentrum Voorbeeld
    sectors: [onderwijs, kinderopvang]
    documents: [004_f468ba2b1a69ee71.txt]
    source: "004_f468ba2b1a69ee71.txt:1-10"
    hub: [leerkracht]
    terms: {dossiersysteem: het kinddossier}
    """

PACK_PAGES = {
    "sectors/onderwijs/content/meldcode/signaleren.md": """
        ---
        title: Signaleren
        source: "Wet verplichte meldcode huiselijk geweld en kindermishandeling (2013)"
        ---
        Op school let je op hoe een leerling zich gedraagt in de klas.
        """,
    "sectors/kinderopvang/content/meldcode/signaleren.md": """
        ---
        source: "Wet verplichte meldcode huiselijk geweld en kindermishandeling (2013)"
        ---
        In de opvang let je op hoe een kind speelt in de groep.
        """,
}


def test_pack_lays_over_the_base_and_the_organisation_over_the_pack(make_project):
    project = make_project({
        "sectors/onderwijs/roles/leerkracht.yml": "tagline: Uit het pakket onderwijs.\n",
        "orgs/voorbeeld/roles/leerkracht.yml": "colour: \"#0d47a1\"\n",
    }, base="minimal")
    variant = check(Roots(project)).variants["voorbeeld"]
    role = variant.get("role", "leerkracht")
    assert role.model.tagline == "Uit het pakket onderwijs."  # pack over base
    assert role.model.colour == "#0d47a1"  # organisation over pack
    assert role.model.title == "Leerkracht"  # the rest from the base
    assert [doc.layer for doc in role.docs] == ["basis", "sector:onderwijs", "organisatie:voorbeeld"]


def test_a_pack_the_organisation_does_not_name_is_not_in_its_chain(make_project):
    project = make_project({"sectors/zorg/roles/leerkracht.yml": "title: Zorgverlener\n"}, base="minimal")
    variant = check(Roots(project)).variants["voorbeeld"]
    assert variant.get("role", "leerkracht").model.title == "Leerkracht"


def test_two_packs_put_a_shared_page_in_sector_blocks_that_the_reader_can_choose(make_project, tmp_path):
    project = make_project({"orgs/voorbeeld/org.yml": TWO_SECTORS_ORG, **PACK_PAGES}, base="minimal")
    results = build_variants(Roots(project), None, tmp_path / "site", jobs=1, export=False)
    assert results[0].status == "gebouwd", results[0].messages
    page = BeautifulSoup((tmp_path / "site/voorbeeld/meldcode/signaleren.html").read_text(encoding="utf-8"), "html.parser")
    blocks = {block["data-sector"]: block.get_text(" ", strip=True) for block in page.select("article .rw-sectie[data-sector]")}
    assert set(blocks) == {"onderwijs", "kinderopvang"}
    assert "leerling" in blocks["onderwijs"] and "leerling" not in blocks["kinderopvang"]
    assert blocks["kinderopvang"].startswith("Voor de kinderopvang")  # the pack's label, not "Sector: beide"
    assert "beide" not in page.get_text()
    hub = BeautifulSoup((tmp_path / "site/voorbeeld/index.html").read_text(encoding="utf-8"), "html.parser")
    assert [b.get_text() for b in hub.select("[data-choose-sector]")] == ["Alles", "Onderwijs", "Kinderopvang"]


def test_a_yaml_file_both_packs_hold_must_be_settled_by_the_organisation(make_project):
    files = {"orgs/voorbeeld/org.yml": TWO_SECTORS_ORG,
             "sectors/onderwijs/roles/leerkracht.yml": "title: Leerkracht\n",
             "sectors/kinderopvang/roles/leerkracht.yml": "title: Pedagogisch medewerker\n"}
    project = make_project(files, base="minimal")
    with pytest.raises(ContentError) as caught:
        check(Roots(project))
    assert [p.format() for p in caught.value.problems] == [
        "sectors/kinderopvang/roles/leerkracht.yml:1: sectors/onderwijs/roles/leerkracht.yml en sectors/kinderopvang/roles/leerkracht.yml "
        "zeggen allebei iets over dit bestand; voorbeeld heeft beide sectoren (maak orgs/voorbeeld/roles/leerkracht.yml met wat voor voorbeeld geldt)"]
    (project / "orgs/voorbeeld/roles").mkdir(parents=True)
    (project / "orgs/voorbeeld/roles/leerkracht.yml").write_text("title: Professional\n", encoding="utf-8")
    assert check(Roots(project)).variants["voorbeeld"].get("role", "leerkracht").model.title == "Professional"


def test_a_named_pack_that_does_not_exist_is_an_error(make_project):
    project = make_project({"orgs/voorbeeld/org.yml": """
        name: Voorbeeld
        sectors: [onderwijs, zorg]
        source: "003_9a54ac296a9565ce.txt:1"
        hub: [leerkracht]
        terms: {dossiersysteem: ParnasSys}
        """}, base="minimal")
    import shutil

    shutil.rmtree(project / "sectors/zorg")
    with pytest.raises(ContentError) as caught:
        check(Roots(project))
    assert [p.format() for p in caught.value.problems] == [
        "orgs/voorbeeld/org.yml:2: sectorpakket 'zorg' bestaat niet (maak sectors/zorg/sector.yml)"]


def _source_warnings(project) -> list[str]:
    return [w.format() for w in check(Roots(project)).warnings if "bron" in w.message or "publiceert" in w.message]


def test_sources_must_fit_their_layer(make_project):
    project = make_project({
        "orgs/voorbeeld/org.yml": """
            name: Voorbeeldschool
            sectors: [onderwijs]
            documents: [003_9a54ac296a9565ce.txt]
            source: "003_9a54ac296a9565ce.txt:1"
            hub: [leerkracht, aandachtsfunctionaris]
            terms: {dossiersysteem: ParnasSys}
            """,
        "orgs/ander/org.yml": """
            name: Ander kindcentrum
            sectors: [onderwijs]
            documents: [004_f468ba2b1a69ee71.txt]
            source: "004_f468ba2b1a69ee71.txt:1"
            hub: [leerkracht]
            terms: {dossiersysteem: het kinddossier}
            """,
        # an organisation citing another organisation's document
        "orgs/voorbeeld/contacts/veilig-thuis.yml": 'phone: "0800-2000"\nsource: "004_f468ba2b1a69ee71.txt:2250"\n',
    }, base="minimal")
    warnings = _source_warnings(project)
    assert ("orgs/voorbeeld/contacts/veilig-thuis.yml:2: bron 004_f468ba2b1a69ee71.txt is het document van ander, niet van voorbeeld "
            "(een organisatie noemt alleen haar eigen documenten (documents: in org.yml) of een landelijke bron)") in warnings
    # the fixture's base cites 003 only: the base names one organisation's document ...
    assert any(w.startswith("roles/leerkracht.yml:6: de basis noemt alleen het document van voorbeeld als bron") for w in warnings)
    # ... so the other organisation publishes a role whose only sources are voorbeeld's
    assert any(w.startswith("roles/leerkracht.yml:6: ander publiceert rol 'leerkracht' met alleen bronnen van voorbeeld") for w in warnings)
    # a national source settles it
    (project / "roles/leerkracht.yml").write_text((project / "roles/leerkracht.yml").read_text(encoding="utf-8").replace(
        'source: "003_9a54ac296a9565ce.txt:1098-1212"', 'source: "Wet verplichte meldcode (2013); 003_9a54ac296a9565ce.txt:1098-1212"'),
        encoding="utf-8")
    assert not any(w.startswith("roles/leerkracht.yml") for w in _source_warnings(project))


def test_strict_check_fails_on_a_planted_cross_organisation_source(repo_copy_with_orgs, capsys):
    from generator.cli import main

    path = sorted((repo_copy_with_orgs / "orgs/reset/content").rglob("*.md"))[0]
    rel = path.relative_to(repo_copy_with_orgs).as_posix()
    args = ["--project", str(repo_copy_with_orgs), "check", "--org", "reset"]
    assert main(args) == 0
    assert f"{rel}:" not in capsys.readouterr().err
    assert main(args + ["--strict"]) == 0  # what RESET still has to fill in or confirm is no failure ...
    assert "te doen: orgs/reset/" in capsys.readouterr().err
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace('source: "', 'source: "003_9a54ac296a9565ce.txt:1; ', 1), encoding="utf-8")
    assert main(args) == 0  # ... a cross-organisation source is a warning ...
    err = capsys.readouterr().err
    assert f"{rel}:" in err and "bron 003_9a54ac296a9565ce.txt is het document van wij-de-venen, niet van reset" in err
    assert main(args + ["--strict"]) == 2  # ... and an error with --strict


def test_strict_check_passes_on_all_four_organisations(capsys):
    """Each organisation's sources fit their layers; only its own to-do list remains."""
    from generator.cli import main

    from tests.conftest import REPO

    assert main(["--project", str(REPO), "check", "--strict"]) == 0, capsys.readouterr().err
    err = capsys.readouterr().err
    assert "waarschuwing:" not in err
    assert "te doen: orgs/wij-de-venen/org.yml" in err  # its open items are still listed


@pytest.fixture
def repo_copy_with_orgs(tmp_path):
    import shutil

    from tests.conftest import REPO

    project = tmp_path / "repo"
    for name in ("content", "roles", "protocols", "contacts", "letters", "lists", "tables", "sectors", "orgs"):
        if (REPO / name).is_dir():
            shutil.copytree(REPO / name, project / name)
    return project


def test_an_empty_contact_is_never_a_route_and_strict_fails_without_a_fallback(make_project, tmp_path):
    """A step that sends people to a contact without phone or e-mail: check warns (strict: fails);
    with a fallback the site says it is not filled in yet and gives the fallback's number."""
    files = {"orgs/voorbeeld/contacts/veilig-thuis.yml": 'phone: ""\nurl: ""\n'}
    project = make_project(files, base="minimal")
    warnings = [w.format() for w in check(Roots(project)).warnings]
    assert ("contacts/veilig-thuis.yml:1: voorbeeld: contact 'veilig-thuis' heeft geen telefoon of e-mail en geen fallback, maar protocol "
            "'meldcode', stap 'overleg' stuurt mensen erheen (vul phone: of email: in, of zet fallback: met een contact dat wel werkt "
            "(en wanneer))") in warnings
    (project / "contacts/alarmnummer.yml").write_text('name: Alarmnummer 112\nphone: "112"\nsource: "Alarmnummer 112 (landelijk)"\n', encoding="utf-8")
    (project / "orgs/voorbeeld/contacts/veilig-thuis.yml").write_text(
        'phone: ""\nurl: ""\nfallback:\n  - contact: alarmnummer\n    when: als iemand nu in gevaar is\n', encoding="utf-8")
    assert not [w for w in check(Roots(project)).warnings if "geen fallback" in w.message]
    results = build_variants(Roots(project), None, tmp_path / "site", jobs=1, export=False)
    assert results[0].status == "gebouwd", results[0].messages
    step = BeautifulSoup((tmp_path / "site/voorbeeld/protocollen/meldcode.html").read_text(encoding="utf-8"), "html.parser")
    texts = [dd.get_text(" ", strip=True) for dd in step.select(".rw-step__meta dd")]
    assert "Veilig Thuis (nog niet ingevuld door Voorbeeldschool; intussen: als iemand nu in gevaar is: Alarmnummer 112: 112 )" in texts
    assert step.select_one('a[href="tel:112"]') is not None


# --- What the layers of this repository hold -------------------------------------------------------

SCHOOL_DOCUMENTS = {"003_9a54ac296a9565ce.txt", "004_f468ba2b1a69ee71.txt"}  # WIJ de Venen, De Kindpartners


@pytest.fixture(scope="module")
def repo():
    from generator.load import load
    from tests.conftest import REPO

    return load(Roots(REPO)), check(Roots(REPO)).variants


def test_school_texts_are_in_the_onderwijs_pack_not_in_the_national_base(repo):
    """A text whose only sources are the two schools' documents is a school text: it belongs in
    sectors/onderwijs/ (or an organisation), not in the base that care and training read too."""
    from generator.provenance import cited

    docs, _ = repo
    misplaced = []
    for doc in docs:
        if doc.org is None and doc.sector is None and isinstance(doc.data.get("source"), str):
            seeds, national = cited(doc.data["source"])
            if seeds and seeds <= SCHOOL_DOCUMENTS and not national:
                misplaced.append(doc.path)
    assert misplaced == []


def test_base_contacts_are_national_and_school_contacts_reach_schools_only(repo):
    """The base's contacts hold for every organisation (no organisation's document as a source); the
    Inspectie van het Onderwijs is the onderwijs pack's, the GGD Hollands Midden team each school's own."""
    from generator.provenance import cited

    docs, variants = repo
    base_contacts = [doc for doc in docs if doc.kind == "contact" and doc.org is None and doc.sector is None]
    assert base_contacts and [doc.path for doc in base_contacts if cited(doc.data["source"])[0]] == []
    for slug, variant in variants.items():
        school = "onderwijs" in variant.org.model.sectors
        inspecteur = variant.get("contact", "vertrouwensinspecteur")
        team = variant.get("contact", "calamiteitenteam-ggd-hm")
        if not school:
            assert inspecteur is None and team is None, slug
            assert not [item.id for items in variant.items.values() for item in items.values()
                        if any(doc.sector == "onderwijs" for doc in item.docs)], slug
        else:
            assert inspecteur.origin.sector == "onderwijs", slug
            assert team.origin.org == slug and cited(team.model.source)[0] <= set(variant.org.model.documents), slug
