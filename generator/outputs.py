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
    body: str = ""  # HTML of a section of our own (path None), e.g. a role PDF's "Wie bel je?"
    brief: bool = False  # print only its overview (steps, outcomes, headings) and a link to the full text
    steps: tuple[str, ...] = ()  # a protocol in brief: only these steps (the reader's own); () is all


@dataclass(frozen=True)
class Download:
    file: str  # relative to downloads/
    label: str
    note: str = ""

    @property
    def href(self) -> str:
        return f"{DOWNLOADS}/{self.file}"


@dataclass(frozen=True)
class RolePrints:
    """What is printed for one hub role: its short PDF, its A4 poster and its A6 card."""

    role_id: str
    page: str  # the built role page, relative to the site root
    url: str  # its public address; '' when the site has none (then nothing promises a QR code)

    @property
    def pdf(self) -> str:  # relative to downloads/
        return f"rollen/{self.role_id}.pdf"

    @property
    def poster(self) -> str:
        return f"poster-{self.role_id}.pdf"

    @property
    def card(self) -> str:
        return f"rolkaart-{self.role_id}.pdf"


@dataclass(frozen=True)
class Outputs:
    slug: str
    site_url: str  # the public address of the site, ending in '/'; '' when unknown
    reading_order: list[Section]  # hub > role > topic, then the rest once: the PDF and the schoolgids follow it
    schoolgids: list[tuple[str, str, str]]  # (kind, id, title) of every section marked `schoolgids: true`
    downloads: list[Download]  # what the export stage writes, as the hub lists it
    roles: list[RolePrints]  # per hub role, in hub order

    @property
    def pdf(self) -> str:
        return f"{self.slug}.pdf"

    def public_url(self, path: str) -> str:
        """The published address of a file of the site (relative to its root), or '' without one."""
        return self.site_url + path if self.site_url else ""

    def of_role(self, role_id: str) -> RolePrints | None:
        return next((r for r in self.roles if r.role_id == role_id), None)


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
    qr = ", met QR-code naar de rolpagina" if variant.site_url else ""
    downloads = [Download(f"{variant.slug}.pdf", "Het hele beleid als PDF", "met klikbare inhoud en bladwijzers"),
                 Download("rolkaarten.pdf", "Rolkaarten (A6)", "één kaart per rol" + qr),
                 Download("rolkaarten-a4.pdf", "Rolkaarten op A4", "vier kaarten per vel, om te knippen")]
    if schoolgids:
        downloads += [Download("schoolgids.html", "Samenvatting voor de schoolgids", "webpagina"),
                      Download("schoolgids.docx", "Schoolgids als Word-bestand", "om aan te passen"),
                      Download("schoolgids.pdf", "Schoolgids als PDF")]
    roles = []
    for role_id in variant.org.model.hub:
        page = html_path("role", role_id)
        roles.append(RolePrints(role_id, page,
                                variant.site_url + page if variant.site_url else ""))
    return Outputs(variant.slug, variant.site_url, order, schoolgids, downloads, roles)


def reading_order(variant: Variant) -> list[Section]:
    """Sections in reading order: the hub, each hub role with its route, then the policy part.

    - A role's route: its page (level 2), then its topics in its own order (level 3). A topic
      prints once, under the first role that lists it; later roles are added to its links back.
    - A numbered series: a run of consecutive entries of the organisation's menu whose labels are
      numbered 1, 2, 3, ... (such as the sections of a code of conduct: "1. Kern", "2. Grens") is
      one document with an order of its own. Its items never join a role's route: they print
      together, in menu order, in the policy part, and link back to every role that lists them
      (the role's page links to them there). So a code of conduct never reads section 10 before
      section 1 because a role needed section 10 first.
    - The policy part ("Beleid en protocollen"): the menu's items in menu order, then every other
      protocol, table, letter and page by id, the contact page last; each item once (level 2)."""
    org = variant.org.model
    sections = [Section("start", "index.html", _plain(org.name), 1)]
    placed: dict[str, Section] = {"index.html": sections[0]}
    series = {html_path(kind, item_id): Section(anchor_of(html_path(kind, item_id)), html_path(kind, item_id),
                                                _title(variant, kind, item_id), 2)
              for kind, item_id in _numbered_series(org.menu)}
    for role_id in org.hub:
        role = variant.get("role", role_id).model
        path = html_path("role", role_id)
        role_section = Section(anchor_of(path), path, _plain(role.title), 2)
        sections.append(role_section)
        placed[path] = role_section
        back = (role_section.anchor, role_section.title)
        for topic in role.topics:
            kind, item_id, _ = markup.split_ref(topic.ref)
            target = html_path(kind, item_id)
            known = series.get(target) or placed.get(target)
            if known is not None:
                if known.level == 3 or target in series:
                    if back not in known.roles:
                        known.roles.append(back)
                continue
            section = Section(anchor_of(target), target, _title(variant, kind, item_id), 3, [back])
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
            section = series.get(target) or Section(anchor_of(target), target, _title(variant, kind, item_id), 2)
            sections.append(section)
            placed[target] = section
    return sections


_NUMBERED = re.compile(r"^\s*(\d+)\s*[.):]?\s")


def _numbered_series(menu: list) -> list[tuple[str, str]]:
    """(kind, id) of every menu entry in a numbered series: a run of at least two consecutive
    entries whose labels start with 1, 2, 3, ... in turn ("1. Kern", "2. Grens", ...)."""
    found: list[tuple[str, str]] = []
    run: list[tuple[str, str]] = []
    for entry in [*menu, None]:
        match = _NUMBERED.match(entry.label) if entry is not None else None
        number = int(match.group(1)) if match else None
        if number is not None and number == len(run) + 1:
            kind, item_id, _ = markup.split_ref(entry.ref)
            run.append((kind, item_id))
            continue
        if len(run) >= 2:
            found += run
        run = []
        if number == 1:  # a new series starts right after another
            kind, item_id, _ = markup.split_ref(entry.ref)
            run.append((kind, item_id))
    return found


def _plain(text: str) -> str:
    """A title as one line of words: soft hyphens and line breaks are for the screen."""
    return " ".join(text.replace("\u00ad", "").split())


def _title(variant: Variant, kind: str, item_id: str) -> str:
    """The title a section prints under: the page's own heading on the site. A generated page
    (the protocol index, the contact page) has none of its own and is headed by its label in the
    organisation's menu (MkDocs takes the nav title), else by its default title."""
    if kind == "contact" or (kind == "page" and item_id in GENERATED_PAGES):
        page = "contact" if kind == "contact" else item_id
        target = output_path("page", page)
        for entry in variant.org.model.menu:
            entry_kind, entry_id, _ = markup.split_ref(entry.ref)
            if output_path(entry_kind, entry_id) == target:
                return _plain(entry.label)
        return GENERATED_PAGES[page]
    model = variant.get(kind, item_id).model
    return _plain(getattr(model, "title", item_id))


def role_reading_order(variant: Variant, role_id: str) -> list[Section]:
    """The short PDF of one role: its page first, then its topics in its own order, then the
    protocols it takes part in that it does not list, then the stappenwijzer its act-now block
    opens. Every section links back to the role; the export adds "Wie bel je?" and decides
    which long sections print as an overview only."""
    role = variant.get("role", role_id).model
    start = Section("start", html_path("role", role_id), role.title, 1)
    sections = [start]
    placed = {start.path}
    back = [(start.anchor, role.title)]

    def add(kind: str, item_id: str) -> None:
        target = html_path(kind, item_id)
        if target not in placed:
            placed.add(target)
            own = tuple(s.id for s in variant.get(kind, item_id).model.steps if role_id in s.who) if kind == "protocol" else ()
            sections.append(Section(anchor_of(target), target, _title(variant, kind, item_id), 2, list(back), steps=own))

    for topic in role.topics:
        kind, item_id, _ = markup.split_ref(topic.ref)
        add(kind, item_id)
    for item in variant.all("protocol"):
        if any(role_id in step.who for step in item.model.steps):
            add("protocol", item.id)
    wizard = role.act_now.stappenwijzer if role.act_now else None
    if wizard:
        sections.append(Section(anchor_of(f"stappenwijzer/{wizard}.html"), f"stappenwijzer/{wizard}.html",
                                f"Stappenwijzer: {_title(variant, 'protocol', wizard)}", 2, list(back)))
    return sections

