"""Overlay resolution: same path replaces fields, new path adds, hide removes."""

from __future__ import annotations

from generator.load import Roots, load
from generator.resolve import merge, resolve
from generator.validate import validate


def variant_of(project, slug="voorbeeld"):
    return validate(load(Roots(project)), [slug]).variants[slug]


def test_merge_rule_mappings_merge_lists_and_text_replace():
    base = {"title": "A", "branding": {"primary": "#000000", "accent": "#111111"}, "hub": ["x", "y"]}
    overlay = {"branding": {"primary": "#222222"}, "hub": ["z"]}
    assert merge(base, overlay) == {"title": "A", "branding": {"primary": "#222222", "accent": "#111111"}, "hub": ["z"]}


def test_overlay_field_replaces_base_field_and_keeps_the_rest(minimal):
    variant = variant_of(minimal)
    contact = variant.get("contact", "veilig-thuis")
    assert contact.model.phone == "0800 2000"  # from orgs/voorbeeld/contacts/veilig-thuis.yml
    assert contact.model.url == "https://www.veiligthuishollandsmidden.nl"  # from the base file
    assert [d.path for d in contact.docs] == ["contacts/veilig-thuis.yml", "orgs/voorbeeld/contacts/veilig-thuis.yml"]


def test_overlay_list_replaces_whole_list(make_project):
    project = make_project({"orgs/voorbeeld/roles/leerkracht.yml": """
        topics:
          - label: Alleen de meldcode
            ref: protocol:meldcode
        """}, base="minimal")
    role = variant_of(project).get("role", "leerkracht").model
    assert [t.label for t in role.topics] == ["Alleen de meldcode"]
    assert role.title == "Leerkracht"


def test_new_path_in_overlay_adds_a_file(make_project):
    project = make_project({"orgs/voorbeeld/content/eigen.md": """
        ---
        title: Eigen pagina
        source: "003_9a54ac296a9565ce.txt:1"
        ---
        Alleen voor deze school.
        """, "orgs/voorbeeld/roles/leerkracht.yml": """
        topics:
          - label: Eigen
            ref: page:eigen
        """}, base="minimal")
    page = variant_of(project).get("page", "eigen")
    assert page.model.title == "Eigen pagina" and not page.overridden


def test_markdown_overlay_replaces_body_and_merges_front_matter(make_project):
    project = make_project({"orgs/voorbeeld/content/meldcode/signaleren.md": """
        ---
        title: Signalen zien
        source: "003_9a54ac296a9565ce.txt:1362"
        ---
        Eigen tekst van de school.
        """}, base="minimal")
    page = variant_of(project).get("page", "meldcode/signaleren")
    assert page.model.title == "Signalen zien"
    assert page.model.summary == "Wat je ziet en wat je ermee doet."  # kept from the base front matter
    assert page.body.strip() == "Eigen tekst van de school."


def test_overlay_without_body_keeps_base_body(make_project):
    project = make_project({"orgs/voorbeeld/content/meldcode/signaleren.md": """
        ---
        summary: Kort.
        ---
        """}, base="minimal")
    page = variant_of(project).get("page", "meldcode/signaleren")
    assert page.model.summary == "Kort." and "Je kijkt naar gedrag" in page.body


def test_hide_removes_a_base_file_from_the_variant(make_project):
    project = make_project({"orgs/voorbeeld/org.yml": """
        name: Voorbeeldschool
        sectors: [onderwijs]
        source: "003_9a54ac296a9565ce.txt:1"
        hub: [leerkracht, aandachtsfunctionaris]
        terms: {dossiersysteem: ParnasSys}
        hide: [letters/ouderbrief.md]
        """}, base="minimal")
    variant = variant_of(project)
    assert variant.get("letter", "ouderbrief") is None
    assert variant.get("protocol", "meldcode") is not None


def test_two_organisations_share_the_base_but_not_each_others_overlay(make_project):
    project = make_project({"orgs/tweede/org.yml": """
        name: Tweede school
        sectors: [onderwijs]
        source: "003_9a54ac296a9565ce.txt:1"
        hub: [leerkracht]
        terms: {dossiersysteem: Esis}
        """}, base="minimal")
    docs = load(Roots(project))
    first, second = resolve(docs, "voorbeeld"), resolve(docs, "tweede")
    assert first.get("contact", "veilig-thuis").data.get("phone") == "0800 2000"
    assert "phone" not in second.get("contact", "veilig-thuis").data


def test_variant_publishes_only_what_its_organisation_reaches(make_project):
    project = make_project({"orgs/zorg/org.yml": """
        name: Zorgorganisatie
        sectors: [zorg]
        source: "002_7c6db3fb882a8737.txt:1"
        hub: [aandachtsfunctionaris]
        terms: {dossiersysteem: ECD}
        """, "orgs/zorg/roles/aandachtsfunctionaris.yml": """
        topics:
          - label: Signalen
            ref: page:meldcode/signaleren
        """}, base="minimal")
    variant = variant_of(project, "zorg")
    assert variant.get("page", "meldcode/signaleren") is not None
    assert variant.get("protocol", "meldcode") is not None  # the page links to it
    assert variant.get("letter", "ouderbrief") is None  # a school letter nothing in this variant reaches
    assert variant.get("role", "leerkracht") is not None  # named in a step's who: for its label only
