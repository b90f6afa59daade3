"""Schoolgids: every section marked `schoolgids: true` (pages, protocols, tables), in reading
order, as one document: HTML on the site (downloads/schoolgids.html), a PDF, and an editable
DOCX with headings, lists and tables intact. No marked section: no files, and a note says so."""

from __future__ import annotations

import datetime as dt
import html
import io
import posixpath
import re
from pathlib import Path
from typing import Any

from bs4 import BeautifulSoup, NavigableString, Tag

from ..browser import Printer
from ..build import BuiltSite
from ..resolve import Variant
from ..outputs import html_path, plan_outputs
from .pdf import FOOTER, flatten_tabs

CSS = Path(__file__).with_name("schoolgids.css")


def marked_sections(variant: Variant) -> list[tuple[str, str]]:
    """(built page path, title) of every marked item, in reading order."""
    return [(html_path(kind, item_id), title) for kind, item_id, title in plan_outputs(variant).schoolgids]


def _article(site: Path, path: str) -> Tag:
    soup = BeautifulSoup((site / path).read_text(encoding="utf-8"), "html.parser")
    article = soup.find("article")
    for selector in (".rw-routes", ".rw-close", "a.headerlink", ".md-content__button", "nav.rw-crumbs", ".rw-docmeta", ".rw-table__filters",
                     "p.rw-sector"):
        for node in article.select(selector):
            node.decompose()
    title = article.find("h1")
    if title is not None:
        title.decompose()
    for node in article.find_all(re.compile(r"^h[1-5]$")):
        node.name = f"h{int(node.name[1]) + 1}"
    flatten_tabs(article, 3)
    for link in article.find_all("a", href=True):  # links now start from downloads/
        href = link["href"]
        if not re.match(r"^(https?:|mailto:|tel:|#)", href):
            link["href"] = "../" + posixpath.normpath(posixpath.join(posixpath.dirname(path), href))
    return article


def schoolgids_html(site: Path, variant: Variant, sections: list[tuple[str, str]]) -> str:
    org = variant.org.model
    parts = ["<h1>Sociale veiligheid: samenvatting voor de schoolgids</h1>",
             f'<p class="lead">{html.escape(org.name)}. Deze tekst komt uit het beleid sociale veiligheid en mag in de schoolgids worden overgenomen.</p>']
    for path, title in sections:
        parts.append(f"<section><h2>{html.escape(title)}</h2>{_article(site, path).decode_contents()}</section>")
    return (f'<!doctype html><html lang="nl"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">'
            f"<title>Schoolgids: sociale veiligheid, {html.escape(org.name)}</title><style>{CSS.read_text(encoding='utf-8')}</style></head>"
            f'<body><main>{"".join(parts)}</main></body></html>')


def export_schoolgids(printer: Printer, built: BuiltSite, variant: Variant, out: Path, exports: Any) -> None:
    sections = marked_sections(variant)
    if not sections:
        exports.notes.append("geen schoolgids: geen enkel onderdeel heeft schoolgids: true")
        return
    document = out / "schoolgids.html"
    document.write_text(schoolgids_html(built.out_dir, variant, sections), encoding="utf-8")
    pdf = out / "schoolgids.pdf"

    with printer.page("de schoolgids (schoolgids.pdf)") as page:
        page.goto(document.as_uri(), wait_until="load")
        # Chromium turns relative links into file:// addresses of the build folder: point them to
        # the published page when the site address is known, else keep only their text.
        page.evaluate(PRINT_LINKS, variant.site_url.rstrip("/"))
        page.pdf(path=str(pdf), format="A4", print_background=True, tagged=True, outline=True,
                 display_header_footer=True, header_template="<span></span>",
                 footer_template=FOOTER.format(name=html.escape(variant.org.model.name + " · schoolgids")),
                 margin={"top": "16mm", "bottom": "18mm", "left": "18mm", "right": "18mm"})
    docx = out / "schoolgids.docx"
    write_docx(document, docx, variant.org.model.name, date=getattr(exports, "date", None), site_url=variant.site_url)
    exports.files += [document, pdf, docx]


# Runs through page.evaluate, which works with the page's JavaScript disabled.
PRINT_LINKS = """(site) => {
  for (const link of document.querySelectorAll("a[href]")) {
    const href = link.getAttribute("href");
    if (/^(https?:|mailto:|tel:)/i.test(href)) continue;
    if (href.startsWith("#")) {
      if (!document.getElementById(decodeURIComponent(href.slice(1)))) link.removeAttribute("href");
    } else if (site && href.startsWith("../")) {
      link.setAttribute("href", site + "/" + href.slice(3));
    } else {
      link.removeAttribute("href");
    }
  }
}"""


# --- DOCX -----------------------------------------------------------------------------------------

def write_docx(source: Path, target: Path, name: str, date: dt.datetime | None = None, site_url: str = "") -> None:
    """HTML -> DOCX with real headings, list styles, tables and links, so a school can edit and
    paste it. `date` (the build date) is the document's creation and change date and every ZIP
    entry's time. Links to the site's own pages point to the published site (`site_url`); without
    an address they keep only their text, like the PDF: never a link into the build folder."""
    from docx import Document
    from docx.shared import Pt

    soup = BeautifulSoup(source.read_text(encoding="utf-8"), "html.parser")
    document = Document()
    document.core_properties.title = f"Sociale veiligheid: samenvatting voor de schoolgids ({name})"
    document.core_properties.language = "nl-NL"
    if date is not None:
        stamp = date.astimezone(dt.timezone.utc).replace(tzinfo=None, microsecond=0)
        document.core_properties.created = stamp
        document.core_properties.modified = stamp
    document.styles["Normal"].font.name = "Calibri"
    document.styles["Normal"].font.size = Pt(11)
    for link in soup.find_all("a", href=True):
        href = link["href"]
        if href.startswith("../") and site_url:
            link["href"] = site_url + posixpath.normpath(href[3:])
        elif not re.match(r"^(https?:|mailto:|tel:)", href):
            del link["href"]
    for node in soup.find("main").children:
        _block(document, node)
    buffer = io.BytesIO()
    document.save(buffer)
    target.write_bytes(fixed_zip(buffer.getvalue(), date) if date is not None else buffer.getvalue())


def fixed_zip(data: bytes, date: dt.datetime) -> bytes:
    """The same ZIP with every entry dated `date` (python-docx stamps the time of saving)."""
    import zipfile

    when = date.astimezone(dt.timezone.utc).timetuple()[:6]
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w") as target:
        for entry in source.infolist():
            info = zipfile.ZipInfo(entry.filename, date_time=max(when, (1980, 1, 1, 0, 0, 0)))
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            target.writestr(info, source.read(entry.filename))
    return out.getvalue()


def _block(document: Any, node: Any, level: int = 0) -> None:
    if isinstance(node, NavigableString):
        if node.strip():
            document.add_paragraph(node.strip())
        return
    if not isinstance(node, Tag):
        return
    name = node.name
    if name in ("section", "div", "article", "details"):
        if "admonition" in (node.get("class") or []):
            title = node.find(class_="admonition-title")
            if title is not None:
                paragraph = document.add_paragraph()
                paragraph.add_run(title.get_text(" ", strip=True)).bold = True
                title.decompose()
        for child in node.children:
            _block(document, child, level)
    elif re.fullmatch(r"h[1-6]", name):
        document.add_heading(node.get_text(" ", strip=True), level=min(int(name[1]) - 1, 9) or 0)
    elif name == "p":
        _runs(document.add_paragraph(), node)
    elif name in ("ul", "ol"):
        style = "List Number" if name == "ol" else "List Bullet"
        if level:
            style += f" {min(level + 1, 3)}"
        for item in node.find_all("li", recursive=False):
            nested = [c for c in item.children if isinstance(c, Tag) and c.name in ("ul", "ol")]
            for sub in nested:
                sub.extract()
            _runs(document.add_paragraph(style=style), item)
            for sub in nested:
                _block(document, sub, level + 1)
    elif name == "table":
        rows = node.find_all("tr")
        width = max((len(r.find_all(["td", "th"])) for r in rows), default=0)
        if not rows or not width:
            return
        table = document.add_table(rows=len(rows), cols=width)
        table.style = "Table Grid"
        for r, row in enumerate(rows):
            for c, cell in enumerate(row.find_all(["td", "th"])):
                table.cell(r, c).text = cell.get_text(" ", strip=True)
                if cell.name == "th":
                    for run in table.cell(r, c).paragraphs[0].runs:
                        run.bold = True
    elif name == "dl":
        for child in node.find_all(["dt", "dd"]):
            paragraph = document.add_paragraph()
            run = paragraph.add_run(child.get_text(" ", strip=True))
            run.bold = child.name == "dt"
    elif name in ("nav", "script", "style", "svg", "form", "select"):
        return
    else:
        text = node.get_text(" ", strip=True)
        if text:
            document.add_paragraph(text)


def _runs(paragraph: Any, node: Tag) -> None:
    """The text of `node` as runs, keeping bold and italic."""
    for child in node.descendants:
        if not isinstance(child, NavigableString):
            continue
        text = re.sub(r"\s+", " ", str(child))
        if not text.strip() and not paragraph.runs:
            continue
        parents = {p.name for p in child.parents}
        bold, italic = bool(parents & {"strong", "b"}), bool(parents & {"em", "i"})
        link = child.find_parent("a", href=True)
        if link is not None:
            _hyperlink(paragraph, link["href"], text, bold, italic)
            continue
        run = paragraph.add_run(text)
        run.bold = bold
        run.italic = italic


def _hyperlink(paragraph: Any, url: str, text: str, bold: bool, italic: bool) -> None:
    """A clickable run (python-docx has no API for it): a w:hyperlink with an external relation."""
    from docx.opc.constants import RELATIONSHIP_TYPE
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    relation = paragraph.part.relate_to(url, RELATIONSHIP_TYPE.HYPERLINK, is_external=True)
    hyperlink = OxmlElement("w:hyperlink")
    hyperlink.set(qn("r:id"), relation)
    run = OxmlElement("w:r")
    properties = OxmlElement("w:rPr")
    for tag, value in (("w:color", "0563C1"), ("w:u", "single")):
        element = OxmlElement(tag)
        element.set(qn("w:val"), value)
        properties.append(element)
    for tag, on in (("w:b", bold), ("w:i", italic)):
        if on:
            properties.append(OxmlElement(tag))
    run.append(properties)
    content = OxmlElement("w:t")
    content.text = text
    content.set(qn("xml:space"), "preserve")
    run.append(content)
    hyperlink.append(run)
    paragraph._p.append(hyperlink)
