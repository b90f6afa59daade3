"""Render: Variant -> StagedSite (a docs dir of Markdown and a complete generated mkdocs.yml).

Every generated page is Markdown; text from the sources passes through two steps: organisation
variables are filled in (`markup.fill`) and references become relative `.md` links that MkDocs
checks in strict mode (`markup.rewrite_refs`). Navigation that the theme draws (tiles, route
buttons) uses final `.html` addresses, since the site is built with `use_directory_urls: false`.
"""

from __future__ import annotations

import html
import json
import re
import os
import posixpath
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jinja2
import yaml
from markupsafe import Markup

from . import markup
from .kinds import GENERATED_PAGES, output_path
from .load import Roots
from .resolve import Item, Variant, references
from .validate import icon_path, lookup, text_context

def _as_plain(value: Any) -> Any:
    """Every {{ value }} in a page template is plain text unless render marked it as Markup (HTML
    or Markdown it made itself): one escaping rule for HTML, attributes and Markdown alike."""
    if isinstance(value, Markup) or not isinstance(value, str):
        return value
    return Markup(markup.plain(value))


TEMPLATES = jinja2.Environment(
    loader=jinja2.PackageLoader("generator", "templates"),
    undefined=jinja2.StrictUndefined,
    autoescape=True,
    finalize=_as_plain,
    keep_trailing_newline=True,
    trim_blocks=True,
)
TEMPLATES.filters["e"] = TEMPLATES.filters["escape"] = _as_plain
# A page title in front matter: MkDocs and Material print it unescaped (<title>, nav, search).
TEMPLATES.filters["title_json"] = lambda value: Markup(json.dumps(html.escape(str(value)), ensure_ascii=False))


@dataclass(frozen=True)
class StagedSite:
    slug: str
    name: str
    root: Path  # holds mkdocs.yml and docs/
    config_file: Path
    docs_dir: Path


def relative(source: str, target: str) -> str:
    return posixpath.relpath(target, posixpath.dirname(source) or ".")


def html_href(source: str, target_md: str) -> str:
    return relative(source, target_md)[:-3] + ".html"


class _Renderer:
    def __init__(self, variant: Variant, roots: Roots, downloads: bool = True):
        self.variant = variant
        self.downloads = downloads
        self.roots = roots
        self.org = variant.org.model
        self.context = text_context(variant, self.embed)
        self.files: dict[str, str] = {}
        self.routes = self._routes()
        self.role_pages = self._all_role_ids()
        self.menu_targets = {markup.split_ref(entry.ref)[:2] for entry in self.org.menu}

    # --- text ---------------------------------------------------------------------------------
    def text(self, source: str, value: str, extra: dict | None = None) -> str:
        filled = markup.fill(value or "", {**self.context, **(extra or {})})

        def href(kind: str, item_id: str, anchor: str | None) -> str:
            target = output_path(kind, item_id)
            if kind == "contact":
                anchor = item_id
            return relative(source, target) + (f"#{anchor}" if anchor else "")

        return markup.rewrite_refs(filled, href)

    def title_of(self, kind: str, item_id: str) -> str:
        if kind == "page" and item_id in GENERATED_PAGES:
            return GENERATED_PAGES[item_id]
        item = self.variant.get(kind, item_id)
        model = item.model if item else None
        return getattr(model, "title", None) or getattr(model, "name", item_id)

    def summary_of(self, kind: str, item_id: str, anchor: str | None = None) -> str:
        item = self.variant.get(kind, item_id)
        if item is None:
            return ""
        if kind == "protocol" and anchor:  # a button to one step: that step's first sentence
            for step in item.model.steps:
                if step.id == anchor and step.what:
                    plain = re.sub(r"\[([^\]]+)\]\([^)]*\)", r"\1", markup.fill(step.what, self.context)).replace("**", "")
                    first = re.split(r"(?<=[.!?])\s", " ".join(plain.split()), maxsplit=1)[0]
                    return first if len(first) < 160 else first[:157].rsplit(" ", 1)[0] + " …"
        return markup.fill(getattr(item.model, "summary", "") or "", self.context)

    def svg(self, icon: str) -> str:
        path = icon_path(icon) or icon_path("material/account")
        return path.read_text(encoding="utf-8").strip()

    # --- embeds: {{ table('id') }} and {{ list('id') }} inside any text -------------------------
    def embed(self, kind: str, item_id: str, model: Any) -> str:
        if kind == "list":
            return self.list_markdown(model)
        return self.table_html(item_id, model)

    def list_markdown(self, rule_list: Any) -> str:
        lines = []
        for number, item in enumerate(rule_list.items, start=1):
            marker = f"{number}." if rule_list.numbered else "-"
            pad = "    "  # Python-Markdown needs four spaces for a paragraph inside a list item
            text = markup.fill(item.text, self.context).strip()
            lines.append(f"{marker} {text}")
            if item.detail:
                detail = markup.fill(item.detail, self.context).strip()
                lines.append("")
                lines += [pad + line if line else "" for line in detail.splitlines()]
                lines.append("")
        # Marked as an embed: the same list may rightly stand on several pages (one source).
        return '\n\n<div class="rw-embed" markdown>\n\n' + "\n".join(lines) + "\n\n</div>\n\n"

    def table_html(self, table_id: str, table: Any) -> str:
        filters = [c for c in table.columns if c.filter]
        parts = [f'<div class="rw-table rw-embed" data-table="{table_id}">']
        if filters:
            parts.append('<div class="rw-table__filters">')
            for column in filters:
                index = table.columns.index(column)
                values = sorted({v for row in table.rows for v in _as_list(row.get(column.key))})
                options = "".join(f'<option value="{html.escape(v)}">{html.escape(v)}</option>' for v in values)
                parts.append(f'<label>{html.escape(column.label)} <select data-column="{index}">'
                             f'<option value="">Alles</option>{options}</select></label>')
            parts.append('<p class="rw-table__count" aria-live="polite"></p></div>')
        parts.append('<table><thead><tr>' + "".join(f'<th scope="col">{html.escape(c.label)}</th>' for c in table.columns) + "</tr></thead><tbody>")
        for row in table.rows:
            cells = []
            for column in table.columns:
                values = _as_list(row.get(column.key))
                data = html.escape("|".join(values))
                cells.append(f'<td data-values="{data}">' + "<br>".join(_cell(column.type, v) for v in values) + "</td>")
            parts.append("<tr>" + "".join(cells) + "</tr>")
        parts.append("</tbody></table></div>")
        return "\n\n" + "".join(parts) + "\n\n"

    # --- routes: VORIGE / VOLGENDE / SLUIT per role -------------------------------------------
    def _routes(self) -> dict[str, list[tuple[str, str]]]:
        routes: dict[str, list[tuple[str, str]]] = {}
        for role_id in self.org.hub:
            role = self.variant.get("role", role_id).model
            route: list[tuple[str, str]] = []
            for topic in role.topics:
                kind, item_id, _ = markup.split_ref(topic.ref)
                if (kind, item_id) not in route:
                    route.append((kind, item_id))
            routes[role_id] = route
        return routes

    def route_nav(self, source: str, kind: str, item_id: str) -> tuple[str, str]:
        """(breadcrumbs for the top, VORIGE / SLUIT / VOLGENDE for the bottom), one block per role
        whose route holds this page; rolwijzer.js shows the block of the role the reader came from."""
        crumbs, buttons = [], []
        hub_href = html_href(source, "index.md")
        for role_id, route in self.routes.items():
            if (kind, item_id) not in route:
                continue
            role = self.variant.get("role", role_id).model
            position = route.index((kind, item_id))
            role_href = html_href(source, output_path("role", role_id))
            title = html.escape(role.title)
            crumbs.append(f'<nav class="rw-crumbs" data-role="{role_id}" aria-label="Kruimelpad {title}"><a href="{hub_href}">Start</a> '
                          f'<span aria-hidden="true">›</span> <a href="{role_href}">{title}</a> '
                          f'<span aria-hidden="true">›</span> <span aria-current="page">{html.escape(self.title_of(kind, item_id))}</span></nav>')
            parts = [f'<nav class="rw-route" data-role="{role_id}" aria-label="Route {title}" style="--rw-tile: {role.colour}">']
            if position > 0:
                prev = route[position - 1]
                parts.append(f'<a class="md-button rw-prev" rel="prev" href="{html_href(source, output_path(*prev))}?rol={role_id}">'
                             f'VORIGE<span class="rw-route__to">{html.escape(self.title_of(*prev))}</span></a>')
            parts.append(f'<a class="md-button rw-close" href="{role_href}">SLUIT<span class="rw-route__to">terug naar {title}</span></a>')
            if position < len(route) - 1:
                nxt = route[position + 1]
                parts.append(f'<a class="md-button md-button--primary rw-next" rel="next" href="{html_href(source, output_path(*nxt))}?rol={role_id}">'
                             f'VOLGENDE<span class="rw-route__to">{html.escape(self.title_of(*nxt))}</span></a>')
            parts.append("</nav>")
            buttons.append("".join(parts))
        if not crumbs:
            return "", ""
        return ('<div class="rw-routes rw-routes--top">\n' + "\n".join(crumbs) + "\n</div>\n\n",
                '\n\n<div class="rw-routes rw-routes--bottom">\n' + "\n".join(buttons) + "\n</div>\n")

    def wrap(self, source: str, kind: str, item: Item, header: str, body: str) -> str:
        """Front matter + breadcrumbs + body + route buttons + document metadata."""
        if (kind, item.id) in self.menu_targets:  # the side menu's pages come first in search
            header = header.replace("\n---\n", "\nsearch:\n  boost: 3\n---\n", 1)
        header = with_sources(header, item)
        top, bottom = self.route_nav(source, kind, item.id)
        # An explicit h1: a menu label in the nav must not replace the page's own title.
        title = f"# {markup.plain(self.title_of(kind, item.id))}\n\n"
        return header + title + top + body.strip() + "\n" + bottom + self.meta_line(item)

    def meta_line(self, item: Item) -> str:
        document = self.org.document
        own = getattr(item.model, "document", None)
        merged = {k: (getattr(own, k, None) if own else None) or getattr(document, k) for k in ("owner", "version", "date", "next_review")}
        parts = []
        if merged["version"]:
            parts.append(f"Versie {html.escape(str(merged['version']))}")
        if merged["date"]:
            parts.append(f"datum {merged['date'].strftime('%d-%m-%Y')}")
        if merged["owner"]:
            parts.append(f"eigenaar {html.escape(merged['owner'])}")
        if merged["next_review"]:
            parts.append(f"herzien vóór {merged['next_review'].strftime('%d-%m-%Y')}")
        if not parts:
            return ""
        return f'\n\n<p class="rw-docmeta">{" · ".join(parts)}</p>\n'

    # --- pages ----------------------------------------------------------------------------------
    def render(self) -> dict[str, str]:
        self.hub()
        for role_id in self.role_pages:
            self.role(role_id)
        for item in self.variant.all("page"):
            self.page(item)
        for item in self.variant.all("protocol"):
            self.protocol(item)
        for item in self.variant.all("letter"):
            self.letter(item)
        for item in self.variant.all("table"):
            self.table_page(item)
        self.protocol_index()
        self.schoolgids_page()
        self.contacts()
        self.files["assets/org.css"] = self.org_css()
        return self.files

    def _all_role_ids(self) -> list[str]:
        """Hub roles, then every role a text links to (role:...): those get a page too. A role
        only named in a step's who: is a label and gets none."""
        ids = list(self.org.hub)
        for items in self.variant.items.values():
            for item in items.values():
                for kind, item_id, follow in references(item.data, item.body):
                    if kind == "role" and follow and item_id not in ids and self.variant.get("role", item_id):
                        ids.append(item_id)
        return ids

    def hub(self) -> None:
        source = "index.md"
        tiles = []
        for role_id in self.org.hub:
            role = self.variant.get("role", role_id).model
            tiles.append({"href": html_href(source, output_path("role", role_id)), "colour": role.colour,
                          "svg": Markup(self.svg(role.icon)), "title": role.title, "tagline": markup.fill(role.tagline, self.context)})
        self.files[source] = TEMPLATES.get_template("hub.md.j2").render(
            sector_choice=Markup(self.sector_choice()), org=self.org, tiles=tiles, menu=self.menu_links(source), downloads=self.download_links(),
            red_line=markup.fill(self.org.red_line, self.context),
            description=Markup(self.text(source, self.org.description)))
        self.files[source] = with_sources(self.files[source], self.variant.org)

    def pack_name(self, pack: str) -> str:
        item = self.variant.packs.get(pack)
        return item.model.name if item is not None and item.model is not None else pack

    def pack_label(self, pack: str) -> str:
        item = self.variant.packs.get(pack)
        return item.model.label if item is not None and item.model is not None else pack

    def one_sector(self, sectors: list[str]) -> str | None:
        """The sector a part is for, when the reader can choose (two packs) and it is for one only."""
        return sectors[0] if len(self.org.sectors) > 1 and len(set(sectors)) == 1 else None

    def body_of(self, source: str, item: Item, extra: dict | None = None) -> str:
        """An item's Markdown body; a page two sector packs hold shows each pack's text in its own block."""
        parts = item.body_parts()
        if len(parts) == 1:
            return self.text(source, parts[0][1], extra)
        blocks = []
        for pack, text, _ in parts:
            blocks.append(f'<div class="rw-sectie" data-sector="{pack}" markdown>\n\n'
                          f'<p class="rw-sector-label">{html.escape(self.pack_label(pack))}</p>\n\n'
                          f"{self.text(source, text, extra).strip()}\n\n</div>")
        return "\n\n".join(blocks) + "\n"

    def sector_choice(self) -> str:
        """Buttons to show one sector only (an organisation with school and childcare)."""
        if len(self.org.sectors) < 2:
            return ""
        labels = {"": "Alles"} | {pack: self.pack_name(pack) for pack in self.org.sectors}
        buttons = "".join(f'<button type="button" class="md-button rw-sector-choice__button" data-choose-sector="{value}" aria-pressed="false">{label}</button>'
                          for value, label in labels.items())
        return f'<div class="rw-sector-choice" role="group" aria-label="Kies je sector"><span>Toon:</span> {buttons}</div>'

    def download_links(self) -> list[dict[str, str]]:
        """The exports of this variant (written by the export stage into downloads/)."""
        if not self.downloads:
            return []
        from .export.schoolgids import has_marked_sections

        slug = self.variant.slug
        links = [{"href": f"downloads/{slug}.pdf", "label": "Het hele beleid als PDF", "note": "met klikbare inhoud en bladwijzers"},
                 {"href": "downloads/rolkaarten.pdf", "label": "Rolkaarten (A6)", "note": "één kaart per rol, met QR-code"},
                 {"href": "downloads/rolkaarten-a4.pdf", "label": "Rolkaarten op A4", "note": "vier kaarten per vel, om te knippen"}]
        if has_marked_sections(self.variant):
            links += [{"href": "downloads/schoolgids.html", "label": "Samenvatting voor de schoolgids", "note": "webpagina"},
                      {"href": "downloads/schoolgids.docx", "label": "Schoolgids als Word-bestand", "note": "om aan te passen"},
                      {"href": "downloads/schoolgids.pdf", "label": "Schoolgids als PDF", "note": ""}]
        return links

    def menu_links(self, source: str) -> list[dict[str, str]]:
        links = []
        for entry in self.org.menu:
            kind, item_id, anchor = markup.split_ref(entry.ref)
            href = html_href(source, output_path(kind, item_id)) + (f"#{anchor}" if anchor else "")
            links.append({"label": entry.label, "href": href})
        return links

    def role(self, role_id: str) -> None:
        item = self.variant.get("role", role_id)
        role = item.model
        source = output_path("role", role_id)
        groups: list[dict[str, Any]] = []
        for topic in role.topics:
            kind, item_id, anchor = markup.split_ref(topic.ref)
            href = html_href(source, output_path(kind, item_id)) + f"?rol={role_id}" + (f"#{anchor}" if anchor else "")
            target = self.variant.get(kind, item_id)  # None for a generated page such as page:contact
            sector = self.one_sector(topic.sectors or (getattr(target.model, "sectors", None) if target else None) or [])
            if not groups or groups[-1]["title"] != topic.group:
                groups.append({"title": topic.group, "topics": []})
            groups[-1]["topics"].append({"label": topic.label, "href": href, "summary": self.summary_of(kind, item_id, anchor), "sector": sector,
                                             "sector_name": self.pack_name(sector) if sector else ""})
        self.files[source] = TEMPLATES.get_template("role.md.j2").render(
            groups=groups, sector_choice=Markup(self.sector_choice()),
            role=role, svg=Markup(self.svg(role.icon)), tagline=markup.fill(role.tagline, self.context),
            red_line=Markup(self.text(source, self.org.red_line)), intro=Markup(self.text(source, role.intro)),
            hub_href=html_href(source, "index.md"))
        self.files[source] = with_sources(self.files[source], item) + self.meta_line(item)

    def page(self, item: Item) -> None:
        source = output_path("page", item.id)
        meta = item.model
        # Tags stay out of the page metadata: Material's search boosts tags a million-fold, which
        # would rank every tagged page above the page whose title is the search word.
        front = {"title": html.escape(meta.title)}
        header = "---\n" + yaml.safe_dump(front, allow_unicode=True, sort_keys=False) + "---\n\n"
        only = self.one_sector(meta.sectors)
        sector = (f'<p class="rw-sector rw-sector--{only}" data-page-sector="{only}">{html.escape(self.pack_label(only))}</p>\n\n'
                  if only else "")
        self.files[source] = self.wrap(source, "page", item, header, sector + self.body_of(source, item))

    def protocol(self, item: Item) -> None:
        source = output_path("protocol", item.id)
        p = item.model
        titles = {s.id: s.title for s in p.steps} | {q.id: q.question for s in p.steps for q in s.questions}
        numbers = {s.id: f"Stap {n}" for n, s in enumerate(p.steps, start=1)}
        numbers |= {q.id: f"Vraag {n}" for s in p.steps for n, q in enumerate(s.questions, start=1)}

        def answer(a: Any) -> dict[str, Any]:
            text = self.text(source, a.text).strip()
            first = re.split(r"(?<=[.!?])\s", re.sub(r"\[([^\]]+)\]\([^)]*\)", r"\1", text).replace("**", ""), maxsplit=1)[0]
            return {"text": Markup(text), "next": a.next, "next_title": titles.get(a.next, ""),
                    "next_short": f"{numbers.get(a.next, '')}: {titles.get(a.next, '')}", "end": first}

        steps = []
        for step in p.steps:
            who = ", ".join(self.title_of("role", r) for r in step.who)
            contacts = []
            for contact_id in step.contacts:
                contact = self.variant.get("contact", contact_id).model
                contacts.append({"name": contact.name, "phone": contact.phone, "tel": markup.tel_href(contact.phone),
                                 "href": html_href(source, "contact.md") + f"#{contact_id}"})
            see = []
            for ref in step.see:
                kind, item_id, anchor = markup.split_ref(ref)
                see.append({"title": self.title_of(kind, item_id),
                            "href": html_href(source, output_path(kind, item_id)) + (f"#{anchor}" if anchor else "")})
            compare = None
            if step.compare is not None:
                kind, item_id, anchor = markup.split_ref(step.compare.ref)
                compare = {"label": step.compare.label, "text": Markup(self.text(source, step.compare.text).strip()),
                           "href": relative(source, output_path(kind, item_id)) + (f"#{anchor}" if anchor else ""),
                           "target": self.title_of(kind, item_id)}
            steps.append({
                "compare": compare, "parallel": Markup(self.text(source, step.parallel).strip()),
                "id": step.id, "title": markup.fill(step.title, self.context), "who": who,
                "when": markup.fill(step.when, self.context), "contacts": contacts, "see": see,
                "what": Markup(self.text(source, step.what).strip()), "record": Markup(self.text(source, step.record).strip()),
                "questions": [{"id": q.id, "question": markup.fill(q.question, self.context),
                               "explain": Markup(self.text(source, q.explain).strip()),
                               "yes": answer(q.yes), "no": answer(q.no)} for q in step.questions],
            })
        definitions = [{"term": d.term, "text": Markup(self.text(source, d.text).strip())} for d in p.definitions]
        lanes = []
        for lane in p.lanes:
            role = self.variant.get("role", lane.role).model
            entries = []
            for entry in lane.items:
                kind, item_id, anchor = markup.split_ref(entry.ref)
                target = output_path(kind, item_id)
                href = ("" if target == source else html_href(source, target) + f"?rol={lane.role}") + (f"#{anchor}" if anchor else "")
                entries.append({"label": entry.label, "href": href or "#"})
            role_href = html_href(source, output_path("role", lane.role)) if lane.role in self.role_pages else ""
            lanes.append({"label": lane.label or role.title, "colour": role.colour, "note": markup.fill(lane.note, self.context),
                          "role_href": role_href, "entries": entries})
        rendered = TEMPLATES.get_template("protocol.md.j2").render(
            p=p, intro=Markup(self.text(source, p.intro)), outro=Markup(self.text(source, p.outro)), steps=steps, lanes=lanes,
            definitions=definitions, fields=p.fields)
        header, _, body = rendered.partition("\n---\n")
        self.files[source] = self.wrap(source, "protocol", item, header + "\n---\n\n", body)

    def letter(self, item: Item) -> None:
        source = output_path("letter", item.id)
        meta = item.model
        values = {}
        for name, placeholder in meta.placeholders.items():
            value = lookup(self.context, placeholder.from_) if placeholder.from_ else None
            values[name] = html.escape(str(value)) if value else f'<span class="rw-fill">[{html.escape(placeholder.label)}]</span>'
        intro = ""
        if meta.audience:
            intro = f'<p class="rw-lead">Voor: {html.escape(meta.audience)}</p>\n\n'
        note = ('!!! info "Sjabloon"\n    Vul de velden tussen [haken] in voordat je de brief verstuurt. '
                'Gegevens van de organisatie zijn al ingevuld.\n\n')
        body = self.body_of(source, item, values)
        header = f"---\ntitle: {json.dumps(html.escape(meta.title), ensure_ascii=False)}\n---\n\n"
        self.files[source] = self.wrap(source, "letter", item, header,
                                       intro + note + f'<div class="rw-letter" markdown>\n{body.strip()}\n</div>\n')

    def table_page(self, item: Item) -> None:
        source = output_path("table", item.id)
        table = item.model
        header = f"---\ntitle: {json.dumps(html.escape(table.title), ensure_ascii=False)}\n---\n\n"
        body = self.text(source, table.intro) + self.table_html(item.id, table) + self.text(source, table.outro)
        self.files[source] = self.wrap(source, "table", item, header, body)

    def schoolgids_page(self) -> None:
        """The schoolgids summary on the site: which sections it holds and where to download it.
        The text itself lives in those sections; the downloads gather it (export/schoolgids.py).
        Only made when something is marked or the organisation links to it."""
        from .export.schoolgids import marked_items

        source = output_path("page", "schoolgids")
        marked = marked_items(self.variant)
        linked = any(entry.ref.startswith("page:schoolgids") for entry in self.org.menu + self.org.index)
        if not marked and not linked:
            return
        lines = ["---", "title: Samenvatting voor de schoolgids", "---", ""]
        if not marked:
            lines += ["Er zijn nog geen onderdelen voor de schoolgids gemarkeerd (`schoolgids: true`).", ""]
        else:
            lines += ["Deze onderdelen van het beleid vormen samen de samenvatting voor de schoolgids. "
                      "De school neemt ze over in haar schoolgids.", ""]
            lines += [f"1. [{markup.plain(title)}]({relative(source, output_path(kind, item_id))})" for kind, item_id, title in marked]
            lines.append("")
            if self.downloads:
                lines += ['<ul class="rw-downloads-list">',
                          '<li><a href="downloads/schoolgids.html">De hele samenvatting als webpagina</a></li>',
                          '<li><a href="downloads/schoolgids.docx">Als Word-bestand, om aan te passen</a></li>',
                          '<li><a href="downloads/schoolgids.pdf">Als PDF</a></li>', "</ul>", ""]
        self.files[source] = "\n".join(lines)

    def protocol_index(self) -> None:
        source = output_path("page", "protocollen")
        lines = ["---", "title: Protocollen", "---", ""]
        listed: set[tuple[str, str]] = set()
        if self.org.index:
            lines += [f"{self._index_kinds().capitalize()}, in de volgorde van het beleid.", ""]
            for number, entry in enumerate(self.org.index, start=1):
                kind, item_id, anchor = markup.split_ref(entry.ref)
                listed.add((kind, item_id))
                target = relative(source, output_path(kind, item_id)) + (f"#{anchor}" if anchor else "")
                summary = self.summary_of(kind, item_id)
                lines.append(f"{number}. [{markup.plain(entry.label)}]({target})" + (f": {markup.plain(summary)}" if summary else ""))
            lines.append("")
        groups = {"protocol": "Protocollen", "richtlijn": "Richtlijnen en handreikingen", "formulier": "Formulieren"}
        if self.org.index:
            groups = {kind: f"Ook in dit beleid: {label.lower()}" for kind, label in groups.items()}
        for kind, heading in groups.items():
            items = [i for i in self.variant.all("protocol") if i.model.kind == kind and ("protocol", i.id) not in listed]
            if not items:
                continue
            lines += [f"## {heading}", ""]
            for item in sorted(items, key=lambda i: i.model.title.lower()):
                summary = f": {markup.plain(markup.fill(item.model.summary, self.context))}" if item.model.summary else ""
                lines.append(f"- [{markup.plain(item.model.title)}]({relative(source, output_path('protocol', item.id))}){summary}")
            lines.append("")
        letters = [i for i in self.variant.all("letter") if ("letter", i.id) not in listed]
        if letters:
            lines += ["## Voorbeeldbrieven" if not self.org.index else "## Ook in dit beleid: voorbeeldbrieven", ""]
            for item in sorted(letters, key=lambda i: i.model.title.lower()):
                lines.append(f"- [{markup.plain(item.model.title)}]({relative(source, output_path('letter', item.id))})")
            lines.append("")
        self.files[source] = "\n".join(lines)

    def _index_kinds(self) -> str:
        """What the protocol index lists, in words: only the kinds it really holds."""
        nouns = {"protocol": "protocollen", "richtlijn": "richtlijnen en handreikingen", "formulier": "formulieren",
                 "letter": "brieven", "table": "overzichten", "page": "pagina's"}
        found: list[str] = []
        for entry in self.org.index:
            kind, item_id, _ = markup.split_ref(entry.ref)
            item = self.variant.get(kind, item_id)
            key = item.model.kind if kind == "protocol" and item is not None else kind
            if nouns.get(key) and nouns[key] not in found:
                found.append(nouns[key])
        if not found:
            return "alles"
        return found[0] if len(found) == 1 else ", ".join(found[:-1]) + " en " + found[-1]

    def contacts(self) -> None:
        source = "contact.md"
        lines = ["---", "title: Meer informatie en contact", "---", ""]
        ids = list(self.org.contacts) + [c.id for c in self.variant.all("contact") if c.id not in self.org.contacts]
        for contact_id in ids:
            contact = self.variant.get("contact", contact_id).model
            lines += [f"## {markup.plain(contact.name)} {{: #{contact_id} }}", ""]
            if contact.function:
                lines += [f"*{markup.plain(markup.fill(contact.function, self.context))}*", ""]
            rows = [("Telefoon", f"[{markup.plain(contact.phone)}](tel:{markup.tel_href(contact.phone)})" if contact.phone else ""),
                    ("E-mail", f"[{markup.plain(contact.email)}](mailto:{contact.email})" if contact.email else ""),
                    ("Website", f"<{contact.url}>" if contact.url else ""),
                    ("Adres", markup.plain(contact.address)), ("Bereikbaar", markup.plain(contact.hours))]
            lines += [f"- **{label}:** {value}" for label, value in rows if value]
            if contact.note:
                lines += ["", self.text(source, contact.note).strip()]
            lines.append("")
        self.files[source] = "\n".join(lines)

    def org_css(self) -> str:
        branding = self.org.branding
        return (":root, [data-md-color-scheme=\"default\"] {\n"
                f"  --md-primary-fg-color: {branding.primary};\n"
                f"  --md-primary-fg-color--light: {branding.primary};\n"
                f"  --md-primary-fg-color--dark: {branding.primary};\n"
                f"  --md-accent-fg-color: {branding.accent};\n"
                f"  --md-typeset-a-color: {branding.accent};\n"
                f"  --rw-primary: {branding.primary};\n"
                f"  --rw-accent: {branding.accent};\n"
                "}\n")


def sources_of(item: Item) -> str:
    """Every `source:` an item's files name (base, pack, organisation), for auditors."""
    found: list[str] = []
    for doc in item.docs:
        source = doc.data.get("source")
        if isinstance(source, str) and source not in found:
            found.append(source)
    return "; ".join(found)


def with_sources(header: str, item: Item) -> str:
    """Front matter + `rolwijzer_source`, which the theme prints as <meta name="rolwijzer:source">."""
    sources = sources_of(item)
    if not sources:
        return header
    return header.replace("\n---\n", f"\nrolwijzer_source: {json.dumps(sources, ensure_ascii=False)}\n---\n", 1)


def footer_line(variant: Variant) -> list[str]:
    """Name, version, date and owner of the policy, and the footer contacts (escaped HTML parts)."""
    org = variant.org.model
    document = org.document
    parts = [html.escape(org.name)]
    if document.version:
        parts.append(f"versie {html.escape(document.version)}")
    if document.date:
        parts.append(document.date.strftime("%d-%m-%Y"))
    if document.owner:
        parts.append(f"eigenaar {html.escape(document.owner)}")
    for contact_id in org.footer:
        contact = variant.get("contact", contact_id).model
        reach = (f'<a href="mailto:{html.escape(contact.email)}">{html.escape(contact.email)}</a>' if contact.email
                 else html.escape(contact.phone))
        if reach:
            parts.append(f"{html.escape(contact.name)}: {reach}")
    return parts


def footer_html(variant: Variant) -> str:
    return " · ".join(footer_line(variant))


def _as_list(value: Any) -> list[str]:
    if value is None or value == "":
        return []
    return [str(v) for v in value] if isinstance(value, list) else [str(value)]


def _cell(kind: str, value: str) -> str:
    text = html.escape(value)
    if kind == "url" and value.startswith(("http://", "https://")):
        shown = html.escape(value.split("://", 1)[1].split("/", 1)[0])  # the site's name; the full address is the link
        return f'<a href="{text}" class="rw-external" rel="external">{shown}</a>'
    if kind == "email" and "@" in value:
        return f'<a href="mailto:{text}">{text}</a>'
    return text


def render(variant: Variant, roots: Roots, stage_root: Path, downloads: bool = True) -> StagedSite:
    """Write the variant's docs and mkdocs.yml under stage_root/<slug>/; unchanged files keep their mtime.
    `downloads`: link the exports (PDF, role cards, schoolgids) that the export stage will write."""
    renderer = _Renderer(variant, roots, downloads)
    files = renderer.render()
    org = renderer.org
    root = stage_root / variant.slug
    docs_dir = root / "docs"
    logo = None
    if org.branding.logo:
        logo_file = roots.org_dir(variant.slug) / org.branding.logo
        logo = f"assets/{logo_file.name}"
        files[logo] = logo_file.read_bytes()  # type: ignore[assignment]
    _write_tree(docs_dir, files)
    config = generate_config(variant, renderer, roots, logo)
    config_file = root / "mkdocs.yml"
    _write_if_changed(config_file, yaml.safe_dump(config, allow_unicode=True, sort_keys=False))
    return StagedSite(variant.slug, org.name, root, config_file, docs_dir)


def generate_config(variant: Variant, renderer: _Renderer, roots: Roots, logo: str | None) -> dict[str, Any]:
    """The complete mkdocs.yml of one variant: the root mkdocs.yml plus the variant's own keys."""
    base = yaml.safe_load(roots.base_config.read_text(encoding="utf-8")) or {}
    org = renderer.org
    config = dict(base)
    config["site_name"] = html.escape(org.name)  # MkDocs and Material print it unescaped
    config["docs_dir"] = "docs"
    config["site_dir"] = "site"
    if org.site_url:
        config["site_url"] = org.site_url.rstrip("/") + "/"
    theme = dict(base.get("theme", {}))
    theme["custom_dir"] = os.path.relpath(roots.theme, roots.project / "build" / variant.slug)
    if logo:
        theme["logo"] = logo
        theme["favicon"] = logo
    config["theme"] = theme
    config["copyright"] = footer_html(variant)
    config["extra_css"] = list(base.get("extra_css", [])) + ["assets/org.css"]
    extra = dict(base.get("extra", {}))
    extra["polyfills"] = ["assets/vendor/iframe-worker-shim.js"]
    extra["rolwijzer"] = {"org": variant.slug, "hub": "index.html"}
    config["extra"] = extra
    config["markdown_extensions"] = list(base.get("markdown_extensions", [])) + ["generator.sanitize"]
    nav: list[Any] = [{"Start": "index.md"}]
    nav.append({"Rollen": [{html.escape(renderer.title_of("role", r)): output_path("role", r)} for r in org.hub]})
    seen = {"index.md"}
    for entry in org.menu:
        kind, item_id, _ = markup.split_ref(entry.ref)
        target = output_path(kind, item_id)
        if target in seen:
            continue
        seen.add(target)
        nav.append({html.escape(entry.label): target})
    if "contact.md" not in seen:
        nav.append({GENERATED_PAGES["contact"]: "contact.md"})
    config["nav"] = nav
    return config


def _write_if_changed(path: Path, content: str | bytes) -> None:
    data = content.encode("utf-8") if isinstance(content, str) else content
    if path.is_file() and path.read_bytes() == data:
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)


def _write_tree(root: Path, files: dict[str, str | bytes]) -> None:
    root.mkdir(parents=True, exist_ok=True)
    for rel, content in files.items():
        _write_if_changed(root / rel, content)
    wanted = {(root / rel).resolve() for rel in files}
    for path in sorted(root.rglob("*"), reverse=True):
        if path.is_file() and path.resolve() not in wanted:
            path.unlink()
        elif path.is_dir() and not any(path.iterdir()):
            path.rmdir()
