"""Topic pages, template letters and tables as pages."""

from __future__ import annotations

import html
import json

import yaml

from ..kinds import output_path
from ..resolve import Item
from ..texts import lookup
from .context import RenderContext


def page(ctx: RenderContext, item: Item) -> None:
    source = output_path("page", item.id)
    meta = item.model
    # Tags stay out of the page metadata: Material's search boosts tags a million-fold, which
    # would rank every tagged page above the page whose title is the search word.
    front = {"title": html.escape(meta.title)}
    header = "---\n" + yaml.safe_dump(front, allow_unicode=True, sort_keys=False) + "---\n\n"
    only = ctx.one_sector(meta.sectors)
    sector = (f'<p class="rw-sector rw-sector--{only}" data-page-sector="{only}">{html.escape(ctx.pack_label(only))}</p>\n\n'
              if only else "")
    ctx.files[source] = ctx.wrap(source, "page", item, header, sector + ctx.body_of(source, item))


def letter(ctx: RenderContext, item: Item) -> None:
    source = output_path("letter", item.id)
    meta = item.model
    values = {}
    for name, placeholder in meta.placeholders.items():
        value = lookup(ctx.context, placeholder.from_) if placeholder.from_ else None
        values[name] = html.escape(str(value)) if value else f'<span class="rw-fill">[{html.escape(placeholder.label)}]</span>'
    intro = ""
    if meta.audience:
        intro = f'<p class="rw-lead">Voor: {html.escape(meta.audience)}</p>\n\n'
    note = ('!!! info "Sjabloon"\n    Vul de velden tussen [haken] in voordat je de brief verstuurt. '
            'Gegevens van de organisatie zijn al ingevuld.\n\n')
    body = ctx.body_of(source, item, values)
    header = f"---\ntitle: {json.dumps(html.escape(meta.title), ensure_ascii=False)}\n---\n\n"
    ctx.files[source] = ctx.wrap(source, "letter", item, header,
                                   intro + note + f'<div class="rw-letter" markdown>\n{body.strip()}\n</div>\n')


def table_page(ctx: RenderContext, item: Item) -> None:
    source = output_path("table", item.id)
    table = item.model
    header = f"---\ntitle: {json.dumps(html.escape(table.title), ensure_ascii=False)}\n---\n\n"
    body = ctx.text(source, table.intro) + ctx.table_html(item.id, table) + ctx.text(source, table.outro)
    ctx.files[source] = ctx.wrap(source, "table", item, header, body)


def render_pages(ctx: RenderContext, items: list[Item]) -> None:
    for item in items:
        page(ctx, item)


def render_letters(ctx: RenderContext, items: list[Item]) -> None:
    for item in items:
        letter(ctx, item)


def render_tables(ctx: RenderContext, items: list[Item]) -> None:
    for item in items:
        table_page(ctx, item)
