"""Validation of good input: warnings, cross-references and variables."""

from __future__ import annotations

from generator.load import Roots, load
from generator.validate import validate


def test_minimal_fixture_is_valid_with_expected_warnings(minimal):
    project = validate(load(Roots(minimal)))
    messages = [w.format() for w in project.warnings]
    assert "contacts/veilig-thuis.yml:4: voorbeeld: contact 'veilig-thuis' heeft geen telefoonnummer (vul phone: in)" not in messages
    assert any("geen site_url ingevuld" in m for m in messages)


def test_empty_required_contact_field_is_a_warning(make_project):
    project_dir = make_project({"orgs/voorbeeld/contacts/veilig-thuis.yml": "url: https://example.org\n"}, base="minimal")
    project = validate(load(Roots(project_dir)))
    assert "contacts/veilig-thuis.yml:4: voorbeeld: geen Veilig Thuis ingevuld (vul phone: in)" in [w.format() for w in project.warnings]


def test_contact_with_some_required_fields_names_each_missing_one(make_project):
    project_dir = make_project({"orgs/voorbeeld/contacts/veilig-thuis.yml": 'email: info@example.nl\nrequired: [phone, email]\n'},
                               base="minimal")
    project = validate(load(Roots(project_dir)))
    assert "orgs/voorbeeld/contacts/veilig-thuis.yml:2: voorbeeld: contact 'veilig-thuis' heeft geen telefoonnummer (vul phone: in)" in [
        w.format() for w in project.warnings]


def test_page_nothing_links_to_is_a_warning(make_project):
    project_dir = make_project({"content/los.md": """
        ---
        title: Losse pagina
        source: "003_9a54ac296a9565ce.txt:1"
        ---
        Niemand verwijst hierheen.
        """}, base="minimal")
    project = validate(load(Roots(project_dir)))
    assert "content/los.md:1: geen enkele organisatie gebruikt pagina 'los' (verwijs ernaar vanuit een rol, het menu of index:)" in [
        w.format() for w in project.warnings]


def test_unused_overlay_page_is_a_warning_for_that_organisation(make_project):
    project_dir = make_project({"orgs/voorbeeld/content/eigen.md": """
        ---
        title: Eigen pagina
        source: "003_9a54ac296a9565ce.txt:1"
        ---
        Niemand verwijst hierheen.
        """}, base="minimal")
    project = validate(load(Roots(project_dir)))
    assert ("orgs/voorbeeld/content/eigen.md:2: voorbeeld: niets verwijst naar pagina 'eigen': hij staat niet op de site "
            "(zet hem bij een rol (topics:), in het menu of in index:, of verwijs ernaar)") in [w.format() for w in project.warnings]


def test_errors_in_a_file_nothing_uses_are_still_reported(make_project):
    import pytest

    from generator.problems import ContentError

    project_dir = make_project({"content/los.md": """
        ---
        title: Losse pagina
        source: "003_9a54ac296a9565ce.txt:1"
        ---
        Zie [stap 7](protocol:meldcode#stap-7).
        """}, base="minimal")
    with pytest.raises(ContentError) as caught:
        validate(load(Roots(project_dir)))
    assert [p.format() for p in caught.value.problems] == ["content/los.md:5: anker '#stap-7' bestaat niet in protocol 'meldcode'"]


def test_open_items_are_listed_for_the_organisation(make_project):
    project_dir = make_project({"orgs/voorbeeld/org.yml": """
        name: Voorbeeldschool
        sectors: [onderwijs]
        source: "003_9a54ac296a9565ce.txt:1"
        hub: [leerkracht]
        terms: {dossiersysteem: ParnasSys}
        open_items:
          - text: Wie meldt bij Veilig Thuis?
        """}, base="minimal")
    project = validate(load(Roots(project_dir)))
    assert "orgs/voorbeeld/org.yml:7: voorbeeld: te bevestigen: Wie meldt bij Veilig Thuis?" in [w.format() for w in project.warnings]


def test_base_file_an_organisation_does_not_publish_needs_none_of_its_terms(make_project):
    # A training organisation with its own role: the school page using {{ org.terms.dossiersysteem }}
    # is not published there, so the missing term is no error for that organisation.
    project_dir = make_project({
        "orgs/training/org.yml": """
            name: Trainingsbureau
            sectors: [training]
            source: "000_96872a6850bca0d0.txt:1"
            hub: [trainer]
            """,
        "orgs/training/roles/trainer.yml": """
            title: Trainer
            source: "000_96872a6850bca0d0.txt:1"
            """,
    }, base="minimal")
    project = validate(load(Roots(project_dir)))
    assert project.variants["training"].get("page", "meldcode/signaleren") is None
