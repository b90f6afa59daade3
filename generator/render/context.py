"""The shared side of rendering: one RenderContext per variant (texts with the organisation's
words, references as links, routes per role, sector blocks, the page frame) and the page templates
with their one escaping rule. The renderers per kind (pages, roles, protocol, generated) use it."""

from __future__ import annotations

import functools
import html
import json
import posixpath
import re
from typing import Any

import jinja2
from markupsafe import Markup

from .. import markup
from ..kinds import GENERATED_PAGES, output_path
from ..load import Roots
from ..outputs import DOWNLOADS, plan_outputs
from ..reach import Reach, not_filled_in, reach
from ..resolve import Item, Variant, references
from ..texts import icon_path, text_context


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


@functools.lru_cache(maxsize=65536)  # the same few thousand pairs in every organisation (relpath asks the OS for the cwd)
def relative(source: str, target: str) -> str:
    return posixpath.relpath(target, posixpath.dirname(source) or ".")


def html_href(source: str, target_md: str) -> str:
    return relative(source, target_md)[:-3] + ".html"


@functools.lru_cache(maxsize=1024)  # Material's icons, installed: read once per process
def _icon_svg(icon: str) -> str:
    path = icon_path(icon) or icon_path("material/account")
    return path.read_text(encoding="utf-8").strip()


class RenderContext:
    """What every renderer of one variant shares. `files` collects the staged docs (path -> text)."""

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
        self.outputs = plan_outputs(variant)

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
        return _icon_svg(icon)

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
        # Route blocks are navigation, not content: out of the search index, so a result's snippet
        # starts with the page's own text.
        return ('<div class="rw-routes rw-routes--top" data-search-exclude>\n' + "\n".join(crumbs) + "\n</div>\n\n",
                '\n\n<div class="rw-routes rw-routes--bottom" data-search-exclude>\n' + "\n".join(buttons) + "\n</div>\n")

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

    def reach_html(self, source: str, contact_id: str, link_name: bool = True) -> str:
        """A contact as a route, in inline HTML: the name (to the contact page), a dialable phone and
        the e-mail address; an empty contact says it is not filled in yet and gives its fallbacks."""
        found = reach(self.variant, contact_id, self.context)
        page = html_href(source, "contact.md") + f"#{contact_id}"
        name = f'<a href="{page}">{html.escape(found.name)}</a>' if link_name else html.escape(found.name)
        return name + self._ways(found)

    def _ways(self, found: Reach) -> str:
        ways = []
        if found.phone:
            ways.append(f'<a class="rw-tel" href="tel:{found.tel}">{html.escape(found.phone)}</a>')
        if found.email:
            ways.append(f'<a href="mailto:{html.escape(found.email)}">{html.escape(found.email)}</a>')
        if not ways and found.url:
            shown = html.escape(found.url.split("://", 1)[-1].split("/", 1)[0])
            ways.append(f'<a class="rw-external" rel="external" href="{html.escape(found.url)}">{shown}</a>')
        if ways:
            return ": " + " · ".join(ways)
        text = f" ({not_filled_in(html.escape(self.org.name))}"
        if found.fallbacks:
            text += "; intussen: " + "; ".join(f"{html.escape(f.when)}: {html.escape(f.name)}{self._ways(f)}" for f in found.fallbacks)
        return text + ")"

    def sector_choice(self) -> str:
        """Buttons to show one sector only (an organisation with school and childcare)."""
        if len(self.org.sectors) < 2:
            return ""
        labels = {"": "Alles"} | {pack: self.pack_name(pack) for pack in self.org.sectors}
        buttons = "".join(f'<button type="button" class="md-button rw-sector-choice__button" data-choose-sector="{value}" aria-pressed="false">{label}</button>'
                          for value, label in labels.items())
        return f'<div class="rw-sector-choice" role="group" aria-label="Kies je sector"><span>Toon:</span> {buttons}</div>'

    def download_links(self) -> list[dict[str, str]]:
        """The exports of this variant (written by the export stage into downloads/), from the plan of outputs."""
        if not self.downloads:
            return []
        return [{"href": d.href, "label": d.label, "note": d.note} for d in self.outputs.downloads]

    def role_print_links(self, source: str, role_id: str) -> list[dict[str, str]]:
        """A hub role's own print matter (its short PDF, poster and card), from the plan of outputs."""
        prints = self.outputs.of_role(role_id)
        if not self.downloads or prints is None:
            return []
        qr = ", met QR-code naar deze pagina" if prints.url else ""
        to = relative(source, DOWNLOADS + "/x")[:-1]
        return [{"href": to + prints.pdf, "label": "Korte PDF voor jouw rol", "note": "deze pagina, je onderwerpen en wie je belt, om te bewaren of te printen"},
                {"href": to + prints.poster, "label": "Poster (A4)", "note": "om op te hangen, met de nummers in grote letters" + qr},
                {"href": to + prints.card, "label": "Rolkaart (A6)", "note": "om bij je te hebben" + qr}]

    def menu_links(self, source: str) -> list[dict[str, str]]:
        links = []
        for entry in self.org.menu:
            kind, item_id, anchor = markup.split_ref(entry.ref)
            href = html_href(source, output_path(kind, item_id)) + (f"#{anchor}" if anchor else "")
            links.append({"label": entry.label, "href": href})
        return links


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
