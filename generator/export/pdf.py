"""The interactive PDF of one variant: the built pages combined into one HTML document (cover,
table of contents, role hub, roles with their topics, then the policy part), printed by Chromium
with bookmarks, tags, working in-document links and "Pagina X van Y".

Chromium's CSS cannot print the page number of a link target (target-counter() prints nothing).
So the document is printed once with empty number slots in the table of contents; the PDF then
tells, for every table-of-contents link, where the link sits and on which page its target landed.
Those numbers are then stamped onto the contents pages (postprint.py): the expensive full print
happens once, and a document whose HTML did not change is not printed again (print_pdf's cache)."""

from __future__ import annotations

import functools
import hashlib
import html
import os
import shutil
import posixpath
import threading
import re
import secrets
from pathlib import Path
from typing import Any, Callable

from bs4 import BeautifulSoup, NavigableString

from ..browser import Printer
from ..build import BuiltSite
from .postprint import page_count, page_numbers, stamp_numbers, toc_slots
from ..outputs import Section, reading_order
from ..resolve import Variant

PDF_CSS = Path(__file__).with_name("pdf.css")
PARSER = "lxml"  # for BeautifulSoup: lxml's parser, about five times faster than Python's html.parser
FOOTER = ('<div style="font-size:8px;width:100%;padding:0 12mm;display:flex;justify-content:space-between;'
          'font-family:DejaVu Sans,sans-serif;color:#444"><span>{name}</span>'
          '<span>Pagina <span class="pageNumber"></span> van <span class="totalPages"></span></span></div>')


Outside = Callable[[str, str], "str | None"]  # (page of the site not in this document, fragment) -> its link, or None


def site_links(site_url: str) -> Outside:
    """Links to pages outside a document go to the published site, or nowhere without an address:
    never to the folder the document was printed from."""
    return lambda path, fragment="": (site_url + path + (f"#{fragment}" if fragment else "")) if site_url else None


def combined_html(site: Path, variant: Variant, sections: list[Section], numbers: dict[str, int] | None = None, *,
                  cover: str | None = None, outside: Outside | None = None, title: str = "beleid sociale veiligheid",
                  css_class: str = "") -> str:
    """One HTML document of `sections` (the whole variant, or one role's), for a file at the site
    root: a cover (the variant's unless given), the contents, the sections."""
    org = variant.org.model
    body = [cover if cover is not None else _cover(site, variant), _toc(sections, numbers)]
    body += section_html(site, variant, sections, outside)
    styles = sorted((site / "assets/stylesheets").glob("main.*.min.css"))
    links = "".join(f'<link rel="stylesheet" href="{p.relative_to(site).as_posix()}">' for p in styles)
    links += '<link rel="stylesheet" href="assets/rolwijzer.css"><link rel="stylesheet" href="assets/org.css">'
    return (f'<!doctype html><html lang="nl"><head><meta charset="utf-8"><title>{html.escape(org.name)}: {html.escape(title)}</title>'
            f'{links}<style>{PDF_CSS.read_text(encoding="utf-8")}</style></head>'
            f'<body class="rw-pdf {css_class}"><div class="md-typeset">{"".join(body)}</div></body></html>')


def _cover(site: Path, variant: Variant) -> str:
    org = variant.org.model
    logo = ""
    if org.branding.logo:
        logo = f'<img class="rw-pdf-cover__logo" src="assets/{html.escape(Path(org.branding.logo).name)}" alt="Logo {html.escape(org.name)}">'
    meta = []
    document = org.document
    if document.version:
        meta.append(f"Versie {html.escape(document.version)}")
    if document.date:
        meta.append(f"Datum {document.date.strftime('%d-%m-%Y')}")
    if document.owner:
        meta.append(f"Eigenaar: {html.escape(document.owner)}")
    if document.next_review:
        meta.append(f"Herzien vóór {document.next_review.strftime('%d-%m-%Y')}")
    for contact_id in org.footer:
        contact = variant.get("contact", contact_id).model
        reach = contact.email or contact.phone
        if reach:
            meta.append(f"{html.escape(contact.name)}: {html.escape(reach)}")
    return (f'<section class="rw-pdf-cover">{logo}<p class="rw-pdf-cover__kicker">Beleid sociale veiligheid</p>'
            f'<p class="rw-pdf-cover__title">{html.escape(org.name)}</p>'
            f'<p class="rw-pdf-cover__sub">Klik op jouw rol: wat doe jij, en wie bel je?</p>'
            f'<p class="rw-pdf-cover__meta">{"<br>".join(meta)}</p></section>')


def _toc(sections: list[Section], numbers: dict[str, int] | None) -> str:
    items = []
    for section in sections:
        shown = f"{numbers.get(section.anchor, '')}" if numbers else ""  # empty slot: stamped after printing
        items.append(f'<li class="rw-toc__l{section.level}"><a class="rw-toc__link" href="#{section.anchor}"><span class="rw-toc__t">{html.escape(section.title)}</span>'
                     f'<span class="rw-toc__n">{shown}</span></a></li>')
    return f'<nav class="rw-pdf-toc" aria-label="Inhoud"><p class="rw-pdf-toc__title">Inhoud</p><ol>{"".join(items)}</ol></nav>'


def section_html(site: Path, variant: Variant, sections: list[Section], outside: Outside | None = None) -> list[str]:
    """The HTML of every section of one document. A page's section is laid out once per form
    (level, overview or whole, links back) for all documents it goes into (`_laid_out`); only its
    links depend on the document: which pages it holds and where outside links go."""
    outside = outside or site_links(variant.site_url)
    placed = {s.path: s for s in sections if s.path}
    return [_section(site, section, placed, outside) for section in sections]


def page_article(page: Path) -> str:
    """The <article> of a built page, as HTML: parsed once per file version, not once per
    document it goes into (the whole page, with Material's navigation, is ten times larger)."""
    stat = page.stat()
    return _article_of(str(page), stat.st_mtime_ns, stat.st_size)


@functools.lru_cache(maxsize=1024)
def _article_of(page: str, mtime_ns: int, size: int) -> str:
    # Cut out, not parsed: Material writes one <article> per page, and the content is inside it.
    text = Path(page).read_text(encoding="utf-8")
    start, end = text.find("<article"), text.rfind("</article>")
    return text[start:end + len("</article>")] if 0 <= start < end else "<article></article>"


# Parts of a built page that are for the screen only: class -> the element it is on (None: any).
# Found by BeautifulSoup's own class match in one walk (a CSS selector walk costs ten times more).
NOT_PRINTED = {"rw-routes": None, "rw-close": None, "headerlink": "a", "md-content__button": None, "rw-crumbs": "nav",
               "md-source-file": None, "rw-downloads": None, "rw-sector-choice": None, "rw-menu-inline": None}


def _not_printed(node: Any) -> bool:
    return any(NOT_PRINTED.get(name, "") in (None, node.name) for name in node.get("class") or ())


def _section(site: Path, section: Section, placed: dict[str, Section], outside: Outside) -> str:
    heading = f"h{section.level}"
    back = ""
    if section.anchor != "start":
        links = ['<a href="#start">↑ Start</a>'] + [f'<a href="#{a}">↑ {html.escape(t)}</a>' for a, t in section.roles]
        back = f'<p class="rw-pdf-back">{" · ".join(links)}</p>'
    if section.path is None:
        css = "rw-pdf-part" if not section.body else f"rw-pdf-section rw-pdf-section--l{section.level}"
        return (f'<section class="{css}" id="{section.anchor}"><{heading} class="rw-pdf-title">{html.escape(section.title)}</{heading}>'
                f'{back if section.body else ""}{section.body}</section>')
    page = site / section.path
    stat = page.stat()
    full_text = outside(section.path, "") if section.brief else None
    content, targets = _laid_out(str(page), stat.st_mtime_ns, stat.st_size, section.anchor, section.path, section.level,
                                 section.brief, section.steps, section.title, full_text)
    content = _LINK_SLOT.sub(lambda found: _link_to(targets[int(found[1])], placed, outside), content)
    if section.anchor == "start":  # the label of a tile's page number, for the tiles to a page this document holds
        for slot, (resolved, _, _) in enumerate(targets):
            content = content.replace(_label_slot(slot), PAGE_LABEL if resolved in placed else "")
    css = "rw-pdf-section rw-pdf-section--l{}".format(section.level)
    return (f'<section class="{css}" id="{section.anchor}"><{heading} class="rw-pdf-title">{html.escape(section.title)}</{heading}>'
            f'{back}{content}</section>')


# A link to another page of the site, in a laid-out section: its href names an entry of the
# section's targets, and its class is kept there too (see _mark_link). The href carries a token of
# this process's own, so no text of the content can stand for it.
_LINK_TOKEN = secrets.token_hex(8)
_LINK_SLOT = re.compile(rf' href="rw-link-{_LINK_TOKEN}:(\d+)"')
PAGE_LABEL = '<span class="rw-tile__page" aria-hidden="true">pagina</span>'


def _label_slot(slot: int) -> str:
    return f"rw-label-{_LINK_TOKEN}:{slot};"


@functools.lru_cache(maxsize=2048)
def _laid_out(page: str, mtime_ns: int, size: int, anchor: str, path: str, level: int, brief_only: bool,
              steps: tuple[str, ...], title: str, full_text: str | None) -> tuple[str, tuple[Target, ...]]:
    """A built page's article as a section of the printed documents, all but its links to other
    pages: those are left as slots, with the (page, fragment) each one goes to."""
    soup = BeautifulSoup(_article_of(page, mtime_ns, size), PARSER)
    article = soup.find("article")
    for node in article.find_all(class_=list(NOT_PRINTED)):
        if not node.decomposed and _not_printed(node):
            node.decompose()
    for node in article.find_all(class_="rw-tile__title"):  # soft hyphens (markup.hyphenate) are for phone tiles: PDF text stays plain
        for text in node.find_all(string=True):
            text.replace_with(text.replace("\u00ad", ""))
    heading = article.find("h1")
    if heading is not None:
        heading.decompose()
    if brief_only:
        brief(article, full_text, title, set(steps))
    shift = level - 1
    for node in article.find_all(HEADINGS):
        if path.startswith("rollen/"):
            # A role page's own headings ("Onderwerpen") stay out of the outline: hub > role > topic.
            node.name = "p"
            node["class"] = "rw-pdf-subhead"
        else:
            node.name = f"h{min(6, int(node.name[1]) + shift)}"
    flatten_tabs(article, level + 1)
    meta = article.find(class_="rw-docmeta")
    if meta is not None:
        # In print the version line opens the section, under its title: at the end it could fall
        # onto a page of its own.
        article.insert(0, meta.extract())
    targets: list[Target] = []
    for node in article.find_all(True):  # one walk for what is done to every element
        attrs = node.attrs
        if node.name in HEADINGS:
            _plain_heading(node)
        if "id" in attrs:
            attrs["id"] = f"{anchor}--{attrs['id']}"
        attrs.pop("aria-labelledby", None)
        if node.name == "a" and "href" in attrs:
            tile = anchor == "start" and "rw-tile" in (attrs.get("class") or ())
            _mark_link(node, anchor, path, targets)
            if tile:
                # The role's page number is stamped after printing (stamp_numbers) at the right end
                # of the tile's link, centred on it: pdf.css draws this label around that place.
                # A link within the page always gets it; a link to another page, in the documents
                # that hold that page (see _section).
                node.append(BeautifulSoup(PAGE_LABEL, PARSER).span if attrs["href"].startswith("#") else _label_slot(len(targets) - 1))
        elif node.name == "img" and "src" in attrs and not re.match(r"^[a-z]+:", attrs["src"]):
            attrs["src"] = posixpath.normpath(posixpath.join(posixpath.dirname(path), attrs["src"]))
    return article.decode_contents(), tuple(targets)


HEADINGS = ("h1", "h2", "h3", "h4", "h5", "h6")


def _plain_heading(node: Any) -> None:
    """A heading as plain words with single spaces: no line break, soft hyphen or white space run.
    Chromium takes a bookmark's title from the text it paints, so these would show in the PDF
    outline (see pdf.css: headings print with white-space: pre-wrap)."""
    for brk in node.find_all(["br", "wbr"]):
        brk.replace_with(" " if brk.name == "br" else "")
    texts = [t for t in node.find_all(string=True) if type(t) is NavigableString]
    space = True  # at the start, as after a space: leading white space goes
    for text in texts:
        plain = re.sub(r"\s+", " ", text.replace("\u00ad", ""))
        if space:
            plain = plain.lstrip(" ")
        if plain:
            space = plain.endswith(" ")
        text.replace_with(plain)
    for text in reversed([t for t in node.find_all(string=True) if type(t) is NavigableString]):
        if text.strip(" "):
            text.replace_with(text.rstrip(" "))
            break
        text.replace_with("")


def flatten_tabs(article: Any, level: int) -> None:
    """Content tabs become headed sections in print: every tab's content, under its label."""
    for tab_set in article.find_all(class_="tabbed-set"):
        labels = [label.get_text(" ", strip=True) for label in tab_set.select(".tabbed-labels > label")]
        blocks = tab_set.select(".tabbed-content > .tabbed-block")
        container = BeautifulSoup("", PARSER).new_tag("div", attrs={"class": "rw-tabs-flat"})
        for label, block in zip(labels, blocks):
            heading = BeautifulSoup("", PARSER).new_tag(f"h{min(6, level)}")
            heading.string = label
            container.append(heading)
            for child in list(block.children):
                container.append(child.extract())
        tab_set.replace_with(container)


BRIEF_KEEP = {"rw-lead", "rw-flow", "rw-step-title", "rw-step", "rw-decision", "rw-form"}


def brief(article: Any, full_text: str | None, title: str, steps: set[str] | None = None) -> None:
    """A long section as its overview: a protocol keeps its lead, its step overview, the title,
    who/when/contact and drawn decision (with the outcomes) of every step (of `steps` only, when
    given: the reader's own); another page keeps its first paragraphs and its headings. Then a
    link to the full text (`full_text`, when there is one)."""
    soup = BeautifulSoup("", PARSER)
    if steps:
        for heading in article.select(".rw-step-title"):
            if heading.get("id") not in steps:
                following = heading.find_next_sibling()
                if following is not None and "rw-step" in (following.get("class") or []):
                    following.decompose()
                heading.decompose()
    if article.select_one(".rw-step"):
        for parent in [article, *article.select(".rw-step")]:
            for child in list(parent.children):
                if getattr(child, "name", None) is None or child.name == "dl":
                    continue
                if set(child.get("class") or []) & BRIEF_KEEP or child.select_one(".rw-decision, table.rw-form"):
                    continue
                child.decompose()
    else:
        headings = [h.get_text(" ", strip=True) for h in article.find_all("h2")]
        kept, seen = [], 0
        for child in list(article.children):
            if not getattr(child, "name", None):
                continue
            if child.name == "p" and seen < 2 and not child.get("class"):
                kept.append(child.extract())
                seen += 1
        article.clear()
        for node in kept:
            article.append(node)
        if headings:
            listing = soup.new_tag("ul", attrs={"class": "rw-pdf-brief__topics"})
            for text in headings:
                item = soup.new_tag("li")
                item.string = text
                listing.append(item)
            label = soup.new_tag("p", attrs={"class": "rw-pdf-subhead"})
            label.string = "In de hele tekst:"
            article.append(label)
            article.append(listing)
    more = soup.new_tag("p", attrs={"class": "rw-pdf-more"})
    if full_text:
        more.append("Dit is een overzicht. Lees de hele tekst: ")
        link = soup.new_tag("a", href=full_text, attrs={"class": "rw-pdf-out"})
        link.string = title
        more.append(link)
    else:
        more.append("Dit is een overzicht. De hele tekst staat op de site en in de PDF met het hele beleid.")
    article.append(more)


Target = tuple[str, str, str]  # a link to another page: (page, fragment, its class attribute)


def _mark_link(link: Any, anchor: str, path: str, targets: list[Target]) -> None:
    href = link["href"]
    if re.match(r"^(https?:|mailto:|tel:)", href):
        return
    target, _, fragment = href.partition("#")
    target = target.split("?", 1)[0]
    if not target:
        link["href"] = f"#{anchor}--{fragment}" if fragment else f"#{anchor}"
        return
    resolved = posixpath.normpath(posixpath.join(posixpath.dirname(path), target))
    targets.append((resolved, fragment, " ".join(link.attrs.pop("class", None) or ())))
    link["href"] = f"rw-link-{_LINK_TOKEN}:{len(targets) - 1}"


def _link_to(target: Target, placed: dict[str, Section], outside: Outside) -> str:
    """A link's href and class in one document: to the page's section when the document holds it,
    else to the published page (or the full PDF), else none: only its text is printed."""
    resolved, fragment, classes = target
    other = placed.get(resolved)
    if other is not None:
        href = f"#{other.anchor}--{fragment}" if fragment else f"#{other.anchor}"
    else:
        href = outside(resolved, fragment)
        if href:
            classes = f"{classes} rw-pdf-out".strip()  # its address is not printed after it
    attributes = f' href="{html.escape(href)}"' if href else ""
    return attributes + (f' class="{html.escape(classes)}"' if classes else "")


PRINT_OPTIONS = {"format": "A4", "print_background": True, "tagged": True, "outline": True, "display_header_footer": True,
                 "header_template": "<span></span>", "margin": {"top": "14mm", "bottom": "16mm", "left": "14mm", "right": "14mm"}}
PRINT_CACHE_FILES = 2000  # prints kept in build/.cache/prints; the least recently used go first


def print_cache(built: BuiltSite) -> Path | None:
    """Where the raw prints of this build are kept between runs (build/.cache/prints), or None for
    a site exported again without its staging folder."""
    return built.staged.config_file.parent.parent / ".cache" / "prints" if built.staged is not None else None


def print_pdf(printer: Printer, document: Path, target: Path, name: str, cache: Path | None = None) -> bool:
    """Print the combined document. It needs no JavaScript: scripts in the content do not run.

    With `cache`, a document printed before is not printed again: the print is kept under a hash
    of everything Chromium reads for it (the document, the stylesheets it links, the footer, the
    options and Chromium's version) and copied from there. What is done to the print afterwards
    (page numbers, links, dates) is done again on the copy. True when the print was reused."""
    footer = FOOTER.format(name=html.escape(name))
    key = _print_key(printer, document, footer) if cache is not None else ""
    kept = cache / f"{key}.pdf" if cache is not None else None
    if kept is not None and kept.is_file():
        shutil.copyfile(kept, target)
        os.utime(kept)
        return True
    with printer.page(f"de PDF {target.name}") as page:
        page.goto(document.as_uri(), wait_until="load")
        page.pdf(path=str(target), footer_template=footer, **PRINT_OPTIONS)
    if kept is not None:
        try:
            cache.mkdir(parents=True, exist_ok=True)
            partial = kept.with_suffix(f".{os.getpid()}-{threading.get_ident()}.tmp")
            shutil.copyfile(target, partial)
            partial.replace(kept)
            held = sorted(cache.glob("*.pdf"), key=lambda p: p.stat().st_mtime)
            for old in held[:max(0, len(held) - PRINT_CACHE_FILES)]:
                old.unlink(missing_ok=True)
        except OSError:
            pass  # a cache that cannot be written only costs time
    return False


def _print_key(printer: Printer, document: Path, footer: str) -> str:
    digest = hashlib.sha256()
    text = document.read_bytes()
    digest.update(text)
    linked = re.findall(rb'<link rel="stylesheet" href="([^"]+)"', text) + re.findall(rb'<img[^>]* src="([^":]+)"', text)
    for href in sorted(set(linked)):  # the files it loads: stylesheets, images (a logo)
        loaded = document.parent / href.decode("utf-8")
        digest.update(href + b"\0" + (loaded.read_bytes() if loaded.is_file() else b""))
    digest.update(footer.encode("utf-8"))
    digest.update(repr(sorted(PRINT_OPTIONS.items())).encode("utf-8"))
    digest.update(str(printer.version).encode("utf-8"))
    return digest.hexdigest()


def export_pdf(printer: Printer, built: BuiltSite, variant: Variant, out: Path, exports: Any) -> Path:
    """Write downloads/<slug>.pdf: print once, then stamp the contents' page numbers."""
    site = built.out_dir
    sections = reading_order(variant)
    document = site / ".rolwijzer-print.html"
    target = out / f"{built.slug}.pdf"
    try:
        document.write_text(combined_html(site, variant, sections), encoding="utf-8")
        if print_pdf(printer, document, target, variant.org.model.name, print_cache(built)):
            exports.reused += 1
    finally:
        document.unlink(missing_ok=True)
    anchors = {s.anchor for s in sections}
    first_content = min(page_numbers(target, ["start"]).values(), default=2)
    slots = toc_slots(target, anchors, first_content)
    exports.pdf_pages = page_count(target)  # (the stamped numbers add no page)
    if slots:
        stamp_numbers(target, slots)
    exports.files.append(target)
    return target
