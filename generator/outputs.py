"""Outputs: the one plan of what a variant publishes besides its pages, computed once from the
resolved variant. Render reads it for the links a page shows (downloads, the schoolgids page);
export reads it for what to make (the reading order of the PDF and the schoolgids). So render
and export never import each other."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from . import markup
from .kinds import GENERATED_PAGES, output_path
from .resolve import Variant

DOWNLOADS = "downloads"


@dataclass
class Section:
    """One part of the printed documents, in reading order."""

    anchor: str
    path: str | None  # built page, relative to the site root; None for a heading of our own
    title: str
    level: int  # 1: hub or part, 2: role or policy item, 3: topic of a role
    roles: list[tuple[str, str]] = field(default_factory=list)  # (anchor, title) to link back to


@dataclass(frozen=True)
class Download:
    file: str  # relative to downloads/
    label: str
    note: str = ""

    @property
    def href(self) -> str:
        return f"{DOWNLOADS}/{self.file}"


@dataclass(frozen=True)
class Outputs:
    slug: str
    reading_order: list[Section]  # hub > role > topic, then the rest once: the PDF and the schoolgids follow it
    schoolgids: list[tuple[str, str, str]]  # (kind, id, title) of every section marked `schoolgids: true`
    downloads: list[Download]  # what the export stage writes, as the hub lists it

    @property
    def pdf(self) -> str:
        return f"{self.slug}.pdf"


def html_path(kind: str, item_id: str) -> str:
    return output_path(kind, item_id)[:-3] + ".html"


def anchor_of(path: str) -> str:
    return "p-" + re.sub(r"[^a-z0-9]+", "-", path[:-5].lower()).strip("-")


def plan_outputs(variant: Variant) -> Outputs:
    order = reading_order(variant)
    marked = {}
    for kind in ("page", "protocol", "table"):
        for item in variant.all(kind):
            if getattr(item.model, "schoolgids", False):
                marked[html_path(kind, item.id)] = (kind, item.id, item.model.title)
    schoolgids = [marked[s.path] for s in order if s.path in marked]
    downloads = [Download(f"{variant.slug}.pdf", "Het hele beleid als PDF", "met klikbare inhoud en bladwijzers"),
                 Download("rolkaarten.pdf", "Rolkaarten (A6)", "één kaart per rol" + (", met QR-code" if variant.org.model.site_url else "")),
                 Download("rolkaarten-a4.pdf", "Rolkaarten op A4", "vier kaarten per vel, om te knippen")]
    if schoolgids:
        downloads += [Download("schoolgids.html", "Samenvatting voor de schoolgids", "webpagina"),
                      Download("schoolgids.docx", "Schoolgids als Word-bestand", "om aan te passen"),
                      Download("schoolgids.pdf", "Schoolgids als PDF")]
    return Outputs(variant.slug, order, schoolgids, downloads)


def reading_order(variant: Variant) -> list[Section]:
    """Sections in reading order: hub > role > topic, then everything else once."""
    org = variant.org.model
    sections = [Section("start", "index.html", org.name, 1)]
    placed: dict[str, Section] = {"index.html": sections[0]}
    for role_id in org.hub:
        role = variant.get("role", role_id).model
        path = html_path("role", role_id)
        role_section = Section(anchor_of(path), path, role.title, 2)
        sections.append(role_section)
        placed[path] = role_section
        for topic in role.topics:
            kind, item_id, _ = markup.split_ref(topic.ref)
            target = html_path(kind, item_id)
            if target in placed:
                if placed[target].level == 3:
                    placed[target].roles.append((role_section.anchor, role.title))
                continue
            section = Section(anchor_of(target), target, _title(variant, kind, item_id), 3, [(role_section.anchor, role.title)])
            sections.append(section)
            placed[target] = section
    sections.append(Section("beleid", None, "Beleid en protocollen", 1))
    rest: list[tuple[str, str]] = []
    for entry in org.menu:
        kind, item_id, _ = markup.split_ref(entry.ref)
        rest.append((kind, item_id))
    for kind in ("protocol", "table", "letter", "page"):
        rest += sorted((kind, item.id) for item in variant.all(kind))
    rest.append(("contact", "contact"))
    for kind, item_id in rest:
        target = html_path(kind, item_id)
        if target not in placed:
            section = Section(anchor_of(target), target, _title(variant, kind, item_id), 2)
            sections.append(section)
            placed[target] = section
    return sections


def _title(variant: Variant, kind: str, item_id: str) -> str:
    if kind == "page" and item_id in GENERATED_PAGES:
        return GENERATED_PAGES[item_id]
    if kind == "contact":
        return GENERATED_PAGES["contact"]
    model = variant.get(kind, item_id).model
    return getattr(model, "title", item_id)
