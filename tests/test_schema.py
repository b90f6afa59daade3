"""Editor support: the committed JSON Schemas match the models, and YAML files point to them."""

from __future__ import annotations

import json

from generator.schema import SCHEMA_COMMENT, link_schemas, schemas

from .conftest import REPO


def test_committed_schemas_match_the_models():
    for name, schema in schemas().items():
        committed = json.loads((REPO / "schemas" / name).read_text(encoding="utf-8"))
        assert committed == schema, f"schemas/{name} is verouderd: draai 'rolwijzer schema'"


def test_schema_documents_fields_in_dutch():
    role = schemas()["role.schema.json"]
    assert role["properties"]["colour"]["description"].startswith("Kleur van de tegel")
    assert "title" in role["required"]
    assert "required" not in schemas()["role.overlay.schema.json"]


def test_every_yaml_source_points_to_its_schema():
    files = [p for p in REPO.glob("**/*.yml") if p.parts[len(REPO.parts)] in {"roles", "protocols", "contacts", "orgs", "tables", "lists"}]
    assert files
    missing = [str(p.relative_to(REPO)) for p in files if not p.read_text(encoding="utf-8").startswith(SCHEMA_COMMENT)]
    assert missing == [], "draai 'rolwijzer schema' om de schema-verwijzing toe te voegen"


def test_link_schemas_uses_overlay_schema_for_overlay_files(make_project):
    project = make_project({}, base="minimal")
    link_schemas(project, project / "schemas")
    assert (project / "orgs/voorbeeld/contacts/veilig-thuis.yml").read_text().startswith(
        "# yaml-language-server: $schema=../../../schemas/contact.overlay.schema.json\n")
    assert (project / "orgs/voorbeeld/org.yml").read_text().startswith(
        "# yaml-language-server: $schema=../../schemas/organisation.schema.json\n")
