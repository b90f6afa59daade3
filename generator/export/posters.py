"""An A4 poster per hub role (downloads/poster-<role>.pdf), to hang in the staff room: readable
from two metres. One page: the role, the three things to do, the numbers to call in large type
and, when the site has a public address, a QR code to the role page. In the organisation's
colours; the type sizes are fixed (body 26 pt, numbers 54 pt, QR code 40 mm), so what does not
fit is left out from the end, never made smaller."""

from __future__ import annotations

import html
from dataclasses import replace
from pathlib import Path
from typing import Any

from .. import markup
from ..browser import Printer
from ..build import BuiltSite
from ..resolve import Variant
from .cards import RoleSheet, fitted

POSTER_CSS = Path(__file__).with_name("posters.css")
MAX_DO = 3
MAX_CALLS = 3


def poster_html(sheet: RoleSheet, org: Any) -> str:
    do = "".join(f"<li>{html.escape(d)}</li>" for d in sheet.do)
    calls = "".join(
        f'<li class="poster__call{"" if c.is_phone else " poster__call--text"}{" poster__call--long" if len(c.shown) > 13 else ""}"><span class="poster__who">{html.escape(c.name)}'
        f'{f" ({html.escape(c.when)})" if c.when else ""}</span>'
        f'<a class="poster__number" href="{html.escape(c.href)}">{html.escape(c.shown)}</a></li>' for c in sheet.calls)
    alert = "".join(f'<p class="poster__alert">{html.escape(text)}</p>' for text in sheet.exceptions[:2])
    qr = f'<div class="poster__qr">{sheet.qr_svg}</div>' if sheet.qr_svg else ""
    scan = '<p class="poster__scan">Scan de code: jouw rol op je telefoon.</p>' if sheet.qr_svg else ""
    meta = " · ".join(part for part in (
        f"Versie {html.escape(org.document.version)}" if org.document.version else "",
        org.document.date.strftime("%d-%m-%Y") if org.document.date else "") if part)
    return (f'<section class="poster" data-role="{html.escape(sheet.role_id)}">'
            f'<header class="poster__head"><div class="poster__name"><p class="poster__org">{html.escape(org.name)}</p>'
            f'<div class="poster__role"><span class="poster__icon" aria-hidden="true">{sheet.svg}</span>'
            f'<h1 class="poster__title{_title_size(sheet.title)}">{html.escape(markup.hyphenate(sheet.title))}</h1></div>'
            f'{scan}</div>{qr}</header>'
            f'<div class="poster__body"><h2 class="poster__label">Wat doe je?</h2><ol class="poster__do">{do}</ol>{alert}'
            + (f'<h2 class="poster__label">Bel</h2><ul class="poster__calls">{calls}</ul>' if calls else "")
            + f'<div class="poster__foot"><p class="poster__meta">{meta}</p></div></div></section>')


def _title_size(title: str) -> str:
    """A long title, or one long word, gets the smaller of the two title sizes (never below 36 pt)."""
    longest = max((len(word) for word in title.split()), default=0)
    return " poster__title--long" if len(title) > 18 or longest >= 10 else ""


def _document(sheets: list[RoleSheet], org: Any) -> str:
    css = POSTER_CSS.read_text(encoding="utf-8")
    colours = f":root {{ --primary: {org.branding.primary}; --accent: {org.branding.accent}; }}"
    body = "".join(poster_html(s, org) for s in sheets)
    return (f'<!doctype html><html lang="nl"><head><meta charset="utf-8"><title>Posters {html.escape(org.name)}</title>'
            f"<style>@page {{ size: 210mm 297mm; margin: 0; }}{colours}{css}</style></head><body>{body}</body></html>")


def export_posters(printer: Printer, built: BuiltSite, variant: Variant, out: Path, exports: Any, sheets: list[RoleSheet]) -> None:
    """All posters are laid out in one page (one A4 each), fitted, printed once and split."""
    from pypdf import PdfReader, PdfWriter


    org = variant.org.model
    # The act-now block's numbers when it names any (the urgent ones), else the role's first contacts.
    sheets = [replace(s, do=s.do[:MAX_DO], calls=s.calls[:min(s.urgent or MAX_CALLS, MAX_CALLS)]) for s in sheets]
    everything = out / ".posters.pdf"
    try:
        with printer.page("de posters (poster-<rol>.pdf)") as page:
            page.set_viewport_size({"width": 794, "height": 1123})  # A4 at 96 dpi (measured in print media: no scroll bar)
            sheets = fitted(page, sheets, lambda s: _document(s, org), ".poster", (2, 1))
            page.pdf(path=str(everything), width="210mm", height="297mm", print_background=True, tagged=True,
                     margin={"top": "0", "bottom": "0", "left": "0", "right": "0"})
        reader = PdfReader(str(everything))
        for sheet, pdf_page in zip(sheets, reader.pages):
            writer = PdfWriter()
            writer.add_page(pdf_page)
            writer.add_metadata({"/Title": f"Poster {sheet.title}, {org.name}"})
            poster = out / sheet.prints.poster
            with poster.open("wb") as handle:
                writer.write(handle)
            exports.files.append(poster)
    finally:
        everything.unlink(missing_ok=True)
