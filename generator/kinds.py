"""Kinds: the table of content kinds. Loader, validator, resolver and `schema` loop over KINDS."""

from __future__ import annotations

from dataclasses import dataclass

from pydantic import BaseModel

from . import models


@dataclass(frozen=True)
class Kind:
    name: str  # also the prefix of a reference: page:, protocol:, ...
    folder: str  # folder in the base and in each organisation overlay
    suffix: str  # file extension
    model: type[BaseModel]
    markdown: bool = False  # Markdown with front matter (else plain YAML)
    label: str = ""  # Dutch name for messages
    render: str = ""  # its renderer, 'module:function' in generator/render/ ('' for kinds only embedded)


KINDS: tuple[Kind, ...] = (
    Kind("page", "content", ".md", models.PageMeta, markdown=True, label="pagina", render="pages:render_pages"),
    Kind("role", "roles", ".yml", models.Role, label="rol", render="roles:render_roles"),
    Kind("protocol", "protocols", ".yml", models.Protocol, label="protocol", render="protocol:render_protocols"),
    Kind("contact", "contacts", ".yml", models.Contact, label="contact", render="generated:render_contacts"),
    Kind("letter", "letters", ".md", models.LetterMeta, markdown=True, label="brief", render="pages:render_letters"),
    Kind("table", "tables", ".yml", models.Table, label="tabel", render="pages:render_tables"),
    Kind("list", "lists", ".yml", models.RuleList, label="lijst"),  # only embedded: {{ list('id') }}
)
ORGANISATION = Kind("organisation", "orgs", ".yml", models.Organisation, label="organisatie")
ORG_FILE = "org.yml"
# The layers, as the folder list reads them: the national base in the top-level kind folders,
# sector packs in sectors/<id>/ (same sub-folders, plus sector.yml), organisations in orgs/<slug>/.
SECTOR = Kind("sector", "sectors", ".yml", models.SectorPack, label="sectorpakket")
SECTOR_FILE = "sector.yml"
BY_NAME = {kind.name: kind for kind in KINDS}
ALL_KINDS = (*KINDS, ORGANISATION, SECTOR)

# Pages the generator writes itself; content may link to them (page:contact) but not define them.
GENERATED_PAGES = {
    "index": "Start",
    "contact": "Meer informatie en contact",
    "protocollen": "Protocollen",
    "schoolgids": "Samenvatting voor de schoolgids",
}


def output_path(kind: str, item_id: str) -> str:
    """The Markdown path (inside docs/) of an item's page."""
    if kind == "page":
        if item_id == "index":
            return "index.md"
        if item_id == "protocollen":
            return "protocollen/index.md"
        return f"{item_id}.md"
    if kind == "role":
        return f"rollen/{item_id}.md"
    if kind == "protocol":
        return f"protocollen/{item_id}.md"
    if kind == "letter":
        return f"brieven/{item_id}.md"
    if kind == "contact":
        return "contact.md"
    if kind == "table":
        return f"tabellen/{item_id}.md"
    raise ValueError(kind)
