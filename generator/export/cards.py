"""Role cards: an A6 card per role (105 x 148 mm: Chromium ignores `size: A6`) with the role's
most important actions, the first step when something happens, the contacts it needs and a QR
code to its page; all cards in rolkaarten.pdf, one PDF per role, and an A4 sheet of four cards
with cut marks."""

from __future__ import annotations

import html
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import segno

from .. import markup
from ..build import BuiltSite
from ..resolve import Variant
from ..reach import reach
from ..texts import text_context

CARD_CSS = Path(__file__).with_name("cards.css")


@dataclass
class Card:
    role_id: str
    title: str
    function: str
    colour: str
    svg: str
    actions: list[str]
    first_step: str
    contacts: list[tuple[str, str]]  # (name, phone or e-mail or address)
    red_line: str
    qr_svg: str
    url: str


def cards_for(variant: Variant) -> list[Card]:
    from ..kinds import output_path
    from ..texts import icon_path

    org = variant.org.model
    context = text_context(variant)
    cards = []
    for role_id in org.hub:
        role = variant.get("role", role_id).model
        actions = [markup.fill(a, context) for a in role.actions] or [t.label for t in role.topics][:6]
        first_step = markup.fill(role.first_step, context)
        red_line = markup.fill(org.red_line, context)
        contacts: list[tuple[str, str]] = []
        for contact_id in _contacts_of(variant, role_id):
            found = reach(variant, contact_id, context)
            if found.reachable:
                entry = (found.name, found.short)
                if entry not in contacts:
                    contacts.append(entry)
            else:  # an empty contact is no route: its fallbacks are
                for fallback in found.fallbacks:
                    entry = (f"{fallback.name} ({fallback.when})", fallback.short)
                    if entry not in contacts:
                        contacts.append(entry)
        url, qr = "", ""
        if org.site_url:
            url = org.site_url.rstrip("/") + "/" + output_path("role", role_id)[:-3] + ".html"
            qr = segno.make(url, error="m").svg_inline(scale=3, dark="#000000", light="#ffffff", border=2)
        svg = (icon_path(role.icon) or icon_path("material/account")).read_text(encoding="utf-8")
        cards.append(Card(role_id, role.title, role.function, role.colour, svg, _plain(actions), _plain([first_step])[0] if first_step else "",
                          contacts[:4], _plain([red_line])[0] if red_line else "", qr, url))
    return cards


def _contacts_of(variant: Variant, role_id: str) -> list[str]:
    """Contacts of the protocol steps this role takes part in, then the organisation's own list."""
    found: list[str] = []
    for item in variant.all("protocol"):
        for step in item.model.steps:
            if role_id in step.who:
                found += [c for c in step.contacts if c not in found]
    found += [c for c in variant.org.model.contacts if c not in found]
    return found


def _plain(texts: list[str]) -> list[str]:
    """Markdown links and emphasis to plain text for a small printed card."""
    import re

    return [re.sub(r"\[([^\]]+)\]\([^)]*\)", r"\1", t).replace("**", "").strip() for t in texts]


def card_html(card: Card) -> str:
    actions = "".join(f"<li>{html.escape(a)}</li>" for a in card.actions)
    contacts = "".join(f"<li><strong>{html.escape(n)}</strong> {html.escape(r)}</li>" for n, r in card.contacts)
    function = f'<p class="card__function">{html.escape(card.function)}</p>' if card.function else ""
    first_text = " ".join(html.escape(t) for t in (card.red_line, card.first_step) if t)
    first = (f'<div class="card__first"><p class="card__label">Als er iets gebeurt</p><p>{first_text}</p></div>'
             if first_text else "")
    qr = (f'<div class="card__qr">{card.qr_svg}<p>Scan voor je rolpagina</p></div>' if card.qr_svg else "")
    return (f'<section class="card" style="--card: {card.colour}">'
            f'<header class="card__head"><span class="card__icon" aria-hidden="true">{card.svg}</span>'
            f'<div><h1 class="card__title">{html.escape(card.title)}</h1>{function}</div></header>'
            f'<div class="card__body"><p class="card__label">Wat doe jij?</p><ul class="card__actions">{actions}</ul>'
            f'{first}'
            f'<div class="card__foot"><div class="card__contacts"><p class="card__label">Contact</p><ul>{contacts}</ul></div>{qr}</div>'
            f"</div></section>")


def _document(title: str, body: str, sheet: bool) -> str:
    css = CARD_CSS.read_text(encoding="utf-8")
    page = "@page { size: 210mm 297mm; margin: 0; }" if sheet else "@page { size: 105mm 148mm; margin: 0; }"
    return (f'<!doctype html><html lang="nl"><head><meta charset="utf-8"><title>{html.escape(title)}</title>'
            f"<style>{page}{css}</style></head><body class=\"{'sheet' if sheet else 'cards'}\">{body}</body></html>")


def sheet_body(cards: list[Card]) -> str:
    pages = []
    for start in range(0, len(cards), 4):
        cells = "".join(f'<div class="sheet__cell">{card_html(c)}</div>' for c in cards[start:start + 4])
        pages.append(f'<div class="sheet__page">{cells}<span class="cut cut--v"></span><span class="cut cut--h"></span></div>')
    return "".join(pages)


def export_cards(browser: Any, built: BuiltSite, variant: Variant, out: Path, exports: Any) -> None:
    from pypdf import PdfReader, PdfWriter

    org = variant.org.model
    cards = cards_for(variant)
    if not org.site_url:
        exports.notes.append("rolkaarten zonder QR-code: geen site_url in org.yml")
    from ..browser import export_page

    all_cards = out / "rolkaarten.pdf"
    sheet = out / "rolkaarten-a4.pdf"
    # The cards are our own HTML and need no JavaScript; each document has its own time limit.
    with export_page(browser, "de rolkaarten (rolkaarten.pdf)") as page:
        page.set_content(_document(f"Rolkaarten {org.name}", "".join(card_html(c) for c in cards), sheet=False))
        page.pdf(path=str(all_cards), width="105mm", height="148mm", print_background=True, tagged=True,
                 margin={"top": "0", "bottom": "0", "left": "0", "right": "0"})
    with export_page(browser, "het A4-vel met rolkaarten (rolkaarten-a4.pdf)") as page:
        page.set_content(_document(f"Rolkaarten {org.name} (A4)", sheet_body(cards), sheet=True))
        page.pdf(path=str(sheet), width="210mm", height="297mm", print_background=True, tagged=True,
                 margin={"top": "0", "bottom": "0", "left": "0", "right": "0"})
    reader = PdfReader(str(all_cards))
    exports.files += [all_cards, sheet]
    for card, pdf_page in zip(cards, reader.pages):
        writer = PdfWriter()
        writer.add_page(pdf_page)
        single = out / f"rolkaart-{card.role_id}.pdf"
        with single.open("wb") as handle:
            writer.write(handle)
        exports.files.append(single)
