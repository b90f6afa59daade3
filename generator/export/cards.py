"""Role cards and the facts every printed thing of a role shares.

`sheets_for` gathers, once per hub role, what its card and its poster print: what you do now (the
act-now block, else the role's actions), what changes it, whom you call (reachable contacts only:
an empty contact is replaced by its fallbacks) and the QR code to the role page when the site has
a public address. Without an address there is no QR code and nothing says there is one.

Cards: an A6 card per role (105 x 148 mm: Chromium ignores `size: A6`), all in rolkaarten.pdf,
one PDF per role, and an A4 sheet of four cards with cut marks. Every card is checked to fit its
page: what does not fit is left out from the end (the last action, the last contact), never shrunk
below a readable size."""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import segno

from .. import markup
from ..browser import Printer
from ..build import BuiltSite
from ..outputs import DOWNLOADS, Outputs, RolePrints, plan_outputs
from ..reach import reach
from ..resolve import Variant, references
from ..texts import act_now_of, icon_path, text_context
from .postprint import file_link, link_files

CARD_CSS = Path(__file__).with_name("cards.css")


@dataclass(frozen=True)
class Call:
    contact_id: str
    name: str
    shown: str  # the number (or address) in print
    href: str  # tel:, mailto: or https: link
    is_phone: bool
    when: str = ""  # for a fallback: when you use it


@dataclass(frozen=True)
class RoleSheet:
    role_id: str
    title: str
    function: str
    colour: str
    svg: str
    do: list[str]  # the things to do now, most important first
    exceptions: list[str]  # what changes them (acute danger, a disclosure)
    first_step: str
    red_line: str
    calls: list[Call]  # whom to call, in order: the act-now block's first
    urgent: int  # how many of `calls` the act-now block names (the poster shows just those when there are any)
    prints: RolePrints  # its files and the role page's public address
    qr_svg: str  # '' without an address
    short_pdf: str  # link from a download to the role's short PDF: on the site, else beside it

    @property
    def url(self) -> str:  # the role page's public address, '' without one
        return self.prints.url


def sheets_for(variant: Variant, outputs: Outputs | None = None) -> list[RoleSheet]:
    outputs = outputs or plan_outputs(variant)
    org = variant.org.model
    context = text_context(variant)
    red_line = _plain(markup.fill(org.red_line, context))
    sheets = []
    for prints in outputs.roles:
        role = variant.get("role", prints.role_id).model
        # Print has no sector choice: an exception that holds for one pack of a two-sector
        # organisation stays on the role page (labelled there), the card and poster show the rest.
        act = act_now_of(variant, prints.role_id, context)
        do = list(act.do) if act else [markup.fill(a, context) for a in role.actions] or [t.label for t in role.topics][:4]
        first = list(act.call) if act else []
        calls = _calls(variant, first + list(role.contacts) + _contacts_of(variant, prints.role_id), context)
        qr = ""
        if prints.url:
            qr = segno.make(prints.url, error="m").svg_inline(scale=4, dark="#000000", light="#ffffff", border=2, omitsize=True)
        svg = (icon_path(role.icon) or icon_path("material/account")).read_text(encoding="utf-8")
        sheets.append(RoleSheet(prints.role_id, role.title, role.function, role.colour, svg, [_plain(d) for d in do],
                                [_plain(e.text) for e in act.exceptions if e.sector is None] if act else [], _plain(markup.fill(role.first_step, context)),
                                red_line, calls, sum(1 for c in calls if c.contact_id in first), prints, qr,
                                outputs.public_url(f"{DOWNLOADS}/{prints.pdf}") or file_link(prints.pdf)))
    return sheets


def _contacts_of(variant: Variant, role_id: str) -> list[str]:
    """The contacts the role's own texts name, then those of the protocol steps it takes part in.
    Not the organisation's whole list: a child's card does not list the GGD's crisis team."""
    item = variant.get("role", role_id)
    found = [ref_id for kind, ref_id, _ in references(item.data) if kind == "contact"]
    for protocol in variant.all("protocol"):
        for step in protocol.model.steps:
            if role_id in step.who:
                found += step.contacts
    return list(dict.fromkeys(found))


def _calls(variant: Variant, contact_ids: list[str], context: dict) -> list[Call]:
    """Reachable routes by phone or e-mail, in the order given; an empty contact gives its fallbacks."""
    calls: list[Call] = []
    for contact_id in contact_ids:
        found = reach(variant, contact_id, context)
        for route in ([found] if found.reachable else found.fallbacks):
            if any(c.name == route.name for c in calls):
                continue
            if route.phone:
                calls.append(Call(contact_id, route.name, route.phone, f"tel:{route.tel}", True, route.when))
            elif route.email:
                calls.append(Call(contact_id, route.name, route.email, f"mailto:{route.email}", False, route.when))
            # a website only is nothing to call or mail: the role page links it
    return calls


def _plain(text: str) -> str:
    """Markdown links and emphasis to plain text for print."""
    return re.sub(r"\[([^\]]+)\]\([^)]*\)", r"\1", text or "").replace("**", "").strip()


# --- the A6 card ----------------------------------------------------------------------------------

MAX_CARD_DO = 4
MAX_CARD_CALLS = 4


def card_html(sheet: RoleSheet) -> str:
    do = "".join(f"<li>{html.escape(a)}</li>" for a in sheet.do)
    calls = "".join(f'<li><span class="card__who">{html.escape(c.name)}{_when(c)}</span>'
                    f'<a class="card__number{"" if c.is_phone else " card__number--text"}" href="{html.escape(c.href)}">{html.escape(c.shown)}</a></li>'
                    for c in sheet.calls)
    function = f'<p class="card__function">{html.escape(sheet.function)}</p>' if sheet.function else ""
    watch = sheet.exceptions[:1] or [t for t in (sheet.first_step,) if t]
    first = (f'<div class="card__first"><p class="card__label">Let op</p><p>{html.escape(watch[0])}</p></div>' if watch else "")
    qr = f'<div class="card__qr">{sheet.qr_svg}<p>Scan voor je rolpagina</p></div>' if sheet.qr_svg else ""
    call_block = (f'<div class="card__calls"><p class="card__label">Bel of mail</p><ul>{calls}</ul></div>' if calls else "")
    return (f'<section class="card" data-role="{html.escape(sheet.role_id)}" style="--card: {sheet.colour}">'
            f'<header class="card__head"><span class="card__icon" aria-hidden="true">{sheet.svg}</span>'
            f'<div><h1 class="card__title">{html.escape(markup.hyphenate(sheet.title))}</h1>{function}</div></header>'
            f'<div class="card__body"><p class="card__label">Wat doe je?</p><ol class="card__do">{do}</ol>'
            f'{first}<div class="card__foot">{call_block}{qr}</div>'
            f'<p class="card__more"><a href="{html.escape(sheet.short_pdf)}">Meer: de korte PDF van jouw rol</a></p>'
            f"</div></section>")


def _when(call: Call) -> str:
    return f' <span class="card__when">({html.escape(call.when)})</span>' if call.when else ""


def _document(title: str, body: str, sheet: bool) -> str:
    css = CARD_CSS.read_text(encoding="utf-8")
    page = "@page { size: 210mm 297mm; margin: 0; }" if sheet else "@page { size: 105mm 148mm; margin: 0; }"
    return (f'<!doctype html><html lang="nl"><head><meta charset="utf-8"><title>{html.escape(title)}</title>'
            f"<style>{page}{css}</style></head><body class=\"{'sheet' if sheet else 'cards'}\">{body}</body></html>")


def sheet_body(sheets: list[RoleSheet]) -> str:
    pages = []
    for start in range(0, len(sheets), 4):
        cells = "".join(f'<div class="sheet__cell">{card_html(c)}</div>' for c in sheets[start:start + 4])
        pages.append(f'<div class="sheet__page">{cells}<span class="cut cut--v"></span><span class="cut cut--h"></span></div>')
    return "".join(pages)


# Runs through page.evaluate (which works with the page's JavaScript off): the roles whose card
# overflows its box.
OVERFLOWING = """(selector) => [...document.querySelectorAll(selector)]
  .filter((box) => box.scrollHeight > box.clientHeight + 1 || box.scrollWidth > box.clientWidth + 1
    || [...box.querySelectorAll('*')].some((node) => node.getBoundingClientRect().right > box.getBoundingClientRect().right + 1)
    || box.querySelector('.card__foot, .poster__foot')?.getBoundingClientRect().bottom > box.getBoundingClientRect().bottom + 1)
  .map((box) => box.dataset.role)"""


def fitted(page: Any, sheets: list[RoleSheet], render: Any, selector: str, floor: tuple[int, int]) -> list[RoleSheet]:
    """Shorten every sheet whose box overflows, from the end (the last call, then the last thing to
    do, then the exception), until it fits or reaches `floor` (least to do, least calls)."""
    sheets = list(sheets)
    page.emulate_media(media="print")  # measured as printed: print rules, no scroll bar taking width
    for _ in range(12):
        page.set_content(render(sheets))
        over = set(page.evaluate(OVERFLOWING, selector))
        if not over:
            break
        changed = False
        for index, sheet in enumerate(sheets):
            if sheet.role_id not in over:
                continue
            shorter = _shorter(sheet, floor)
            if shorter is not None:
                sheets[index] = shorter
                changed = True
        if not changed:
            break
    return sheets


def _shorter(sheet: RoleSheet, floor: tuple[int, int]) -> RoleSheet | None:
    """One thing less, least needed first: a third number, a second exception, an action beyond
    the floor, the exception, a second number. The numbers to call go last."""
    least_do, least_calls = floor
    if len(sheet.calls) > max(2, least_calls):
        return replace(sheet, calls=sheet.calls[:-1])
    if len(sheet.exceptions) > 1:
        return replace(sheet, exceptions=sheet.exceptions[:-1])
    if len(sheet.do) > least_do:
        return replace(sheet, do=sheet.do[:-1])
    if sheet.exceptions or sheet.first_step:
        return replace(sheet, exceptions=[], first_step="")
    if len(sheet.calls) > least_calls:
        return replace(sheet, calls=sheet.calls[:-1])
    return None


def export_cards(printer: Printer, built: BuiltSite, variant: Variant, out: Path, exports: Any, sheets: list[RoleSheet]) -> None:
    from pypdf import PdfReader, PdfWriter


    org = variant.org.model
    sheets = [replace(s, do=s.do[:MAX_CARD_DO], calls=s.calls[:MAX_CARD_CALLS]) for s in sheets]
    if not variant.site_url:
        exports.notes.append("rolkaarten en posters zonder QR-code: geen site_url in org.yml en geen --site-url")
    all_cards = out / "rolkaarten.pdf"
    sheet = out / "rolkaarten-a4.pdf"
    # The cards are our own HTML and need no JavaScript; each document has its own time limit.
    with printer.page("de rolkaarten (rolkaarten.pdf)") as page:
        page.set_viewport_size({"width": 397, "height": 559})  # 105 x 148 mm at 96 dpi
        sheets = fitted(page, sheets, lambda s: _document(f"Rolkaarten {org.name}", "".join(card_html(c) for c in s), sheet=False),
                        ".card", (2, 1))
        page.pdf(path=str(all_cards), width="105mm", height="148mm", print_background=True, tagged=True,
                 margin={"top": "0", "bottom": "0", "left": "0", "right": "0"})
    with printer.page("het A4-vel met rolkaarten (rolkaarten-a4.pdf)") as page:
        page.set_content(_document(f"Rolkaarten {org.name} (A4)", sheet_body(sheets), sheet=True))
        page.pdf(path=str(sheet), width="210mm", height="297mm", print_background=True, tagged=True,
                 margin={"top": "0", "bottom": "0", "left": "0", "right": "0"})
    for printed in (all_cards, sheet):
        link_files(printed)
    reader = PdfReader(str(all_cards))
    exports.files += [all_cards, sheet]
    for card, pdf_page in zip(sheets, reader.pages):
        writer = PdfWriter()
        writer.add_page(pdf_page)
        single = out / card.prints.card
        with single.open("wb") as handle:
            writer.write(handle)
        exports.files.append(single)
