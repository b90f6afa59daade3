"""A short PDF per hub role (downloads/rollen/<role>.pdf): the role's own route, with the same
interactivity as the full PDF (bookmarks, contents with page numbers, internal links).

The route: the role page, its topics in order, the protocols it takes part in, the stappenwijzer
its act-now block opens, and "Wie bel je?" with the numbers to tap. It must stay short (aim: about
a dozen pages, never more than MAX_PAGES): a long section prints as its overview (a protocol's
steps, who, when, contacts and outcomes; a page's first paragraphs and headings) with a link to
its full text. That link, like every link to a page this PDF does not hold, goes to the page on
the published site when the site has an address, and otherwise into the full PDF beside it
(a PDF "go to another file" action at the page's bookmark): never to the folder it was printed in."""

from __future__ import annotations

import html
import re
from dataclasses import replace
from pathlib import Path
from typing import Any

from ..browser import Printer
from ..build import BuiltSite
from ..outputs import Outputs, Section, role_reading_order
from ..resolve import Variant
from .cards import RoleSheet
from .pdf import combined_html, page_article, print_cache, print_pdf, section_html, site_links
from .postprint import file_link, link_files, page_count, page_numbers, stamp_numbers, toc_slots

MAX_PAGES = 24
AIM_PAGES = 14
CHARS_PER_PAGE = 1100  # measured: 1,000-1,500 characters of text per printed page (tiles, step boxes, headings)
LONG_SECTION = 4500  # characters of text (about a page and a half): printed as an overview first


def export_role_pdfs(printer: Printer, built: BuiltSite, variant: Variant, out: Path, exports: Any, outputs: Outputs,
                     sheets: list[RoleSheet]) -> None:
    site = built.out_dir
    in_full_pdf = {s.path: s.anchor for s in outputs.reading_order if s.path}
    if variant.site_url:
        outside = site_links(variant.site_url)
    else:
        # The page's bookmark in the full PDF (its fragments are no bookmarks there).
        full_pdf = f"../{outputs.pdf}"
        outside = lambda path, fragment="": file_link(full_pdf, in_full_pdf[path]) if path in in_full_pdf else None  # noqa: E731
    (out / "rollen").mkdir(exist_ok=True)
    for sheet in sheets:
        sections = role_reading_order(variant, sheet.role_id) + [_calls_section(sheet)]
        sizes = {s.anchor: _text_size(site, s) for s in sections}
        target = out / sheet.prints.pdf
        # Longer sections into an overview until the route is about AIM_PAGES long (estimated from
        # its text, so it is printed once), and again if the print is still over MAX_PAGES. The
        # role page itself always stays whole.
        limits = [(limit, [replace(s, brief=s.path is not None and s.level > 1 and sizes[s.anchor] > limit) for s in sections])
                  for limit in (LONG_SECTION, 1500, 0)]
        first = next((i for i, (_, option) in enumerate(limits[:-1])
                      if _text_length(section_html(site, variant, option, outside)) / CHARS_PER_PAGE <= AIM_PAGES), len(limits) - 1)
        for _, option in limits[first:]:
            sections = option
            if _print(printer, site, variant, sections, target, sheet, outside, print_cache(built)):
                exports.reused += 1
            pages = page_count(target)
            if pages <= MAX_PAGES:
                break
        if pages > MAX_PAGES:
            exports.notes.append(f"korte PDF van {sheet.title} heeft {pages} pagina's (meer dan {MAX_PAGES})")
        anchors = {s.anchor for s in sections}
        first_content = min(page_numbers(target, ["start"]).values(), default=2)
        # Numbers in the contents only: the role page's topic tiles have no label for one.
        slots = toc_slots(target, anchors, first_content - 1, first_page=0)
        if slots:
            stamp_numbers(target, slots)
        link_files(target)
        exports.files.append(target)


def _print(printer: Printer, site: Path, variant: Variant, sections: list[Section], target: Path, sheet: RoleSheet,
           outside: Any, cache: Path | None) -> bool:
    document = site / ".rolwijzer-print-role.html"
    try:
        text = combined_html(site, variant, sections, cover=_cover(variant, sheet), outside=outside,
                             title=f"{sheet.title}, beleid sociale veiligheid", css_class="rw-pdf--role")
        document.write_text(_without_dangling_links(text), encoding="utf-8")
        return print_pdf(printer, document, target, f"{variant.org.model.name} · {sheet.title}", cache)
    finally:
        document.unlink(missing_ok=True)


# Tags and attributes as combined_html writes them: every value in double quotes, with '<', '>'
# and '"' escaped (BeautifulSoup's output and html.escape), so a tag ends at the first '>'.
_ID = re.compile(r'<[a-zA-Z][^>]*?\sid="([^"]*)"')
_LOCAL_LINK = re.compile(r'(<a\b[^>]*?)\shref="#([^"]*)"')


def _without_dangling_links(document: str) -> str:
    """A link to a part an overview left out goes to the top of its section instead (or, when the
    section is not in this PDF either, is no link). Found in the text, not parsed: parsing and
    writing out the whole document again was most of the Python time of a short PDF."""
    ids = set(_ID.findall(document))

    def relink(found: re.Match) -> str:
        target = found[2]
        if target in ids:
            return found[0]
        section = target.split("--", 1)[0]
        return f'{found[1]} href="#{section}"' if section in ids else found[1]

    return _LOCAL_LINK.sub(relink, document)


def _cover(variant: Variant, sheet: RoleSheet) -> str:
    org = variant.org.model
    meta = [part for part in (f"Versie {org.document.version}" if org.document.version else "",
                              f"Datum {org.document.date.strftime('%d-%m-%Y')}" if org.document.date else "") if part]
    where = (f"Online: {html.escape(sheet.url)}" if sheet.url else "Het hele beleid staat in de PDF naast deze (downloads).")
    return (f'<section class="rw-pdf-cover rw-pdf-cover--role"><p class="rw-pdf-cover__kicker">{html.escape(org.name)} · beleid sociale veiligheid</p>'
            f'<p class="rw-pdf-cover__title">{html.escape(sheet.title)}</p>'
            f'<p class="rw-pdf-cover__sub">Wat doe jij, en wie bel je? Jouw pagina, je onderwerpen en de nummers.</p>'
            f'<p class="rw-pdf-cover__meta">{html.escape(" · ".join(meta))}<br>{where}</p></section>')


def _calls_section(sheet: RoleSheet) -> Section:
    items = "".join(f'<li><strong>{html.escape(c.name)}</strong>{f" ({html.escape(c.when)})" if c.when else ""}'
                    f'<a class="rw-pdf-calls__number" href="{html.escape(c.href)}">{html.escape(c.shown)}</a></li>'
                    for c in sheet.calls)
    body = f'<ul class="rw-pdf-calls">{items}</ul>' if items else "<p>Er zijn nog geen contactgegevens ingevuld.</p>"
    return Section("bellen", None, "Wie bel je?", 2, [("start", sheet.title)], body=body)


def _text_size(site: Path, section: Section) -> int:
    return 0 if section.path is None else _text_length([page_article(site / section.path)])


def _text_length(parts: list[str]) -> int:
    """About how many characters of text HTML holds (tags out, white space as one): for the estimate."""
    return sum(len(re.sub(r"\s+", " ", re.sub(r"<[^>]*>", " ", part))) for part in parts)
