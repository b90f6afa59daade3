"""The hub (one tile per role) and the role pages."""

from __future__ import annotations

import html
from types import SimpleNamespace
from typing import Any

from markupsafe import Markup

from .. import markup
from ..kinds import output_path
from ..resolve import Item
from ..texts import ActNowView, act_now_of
from .context import TEMPLATES, RenderContext, html_href, with_sources
from .stappenwijzer import wizard_path


def hub(ctx: RenderContext) -> None:
    """The hub: one tile per role. Tile titles get soft hyphens (narrow phone tiles); the tiles stay
    out of the search index (hub.md.j2), where the role pages stand with their plain titles."""
    source = "index.md"
    tiles = []
    for role_id in ctx.org.hub:
        role = ctx.variant.get("role", role_id).model
        tiles.append({"href": html_href(source, output_path("role", role_id)), "colour": role.colour, "svg": Markup(ctx.svg(role.icon)),
                      "title": markup.hyphenate(role.title), "tagline": markup.fill(role.tagline, ctx.context)})
    ctx.files[source] = TEMPLATES.get_template("hub.md.j2").render(
        sector_choice=Markup(ctx.sector_choice()), org=ctx.org, tiles=tiles, menu=ctx.menu_links(source), downloads=ctx.download_links(),
        red_line=markup.fill(ctx.org.red_line, ctx.context),
        description=Markup(ctx.text(source, ctx.org.description)))
    ctx.files[source] = with_sources(ctx.files[source], ctx.variant.org)


def role(ctx: RenderContext, role_id: str) -> None:
    item = ctx.variant.get("role", role_id)
    role = item.model
    source = output_path("role", role_id)
    groups: list[dict[str, Any]] = []
    for topic in role.topics:
        kind, item_id, anchor = markup.split_ref(topic.ref)
        href = html_href(source, output_path(kind, item_id)) + f"?rol={role_id}" + (f"#{anchor}" if anchor else "")
        target = ctx.variant.get(kind, item_id)  # None for a generated page such as page:contact
        sector = ctx.one_sector(topic.sectors or (getattr(target.model, "sectors", None) if target else None) or [])
        if not groups or groups[-1]["title"] != topic.group:
            groups.append({"title": topic.group, "topics": []})
        groups[-1]["topics"].append({"label": topic.label, "href": href, "summary": ctx.summary_of(kind, item_id, anchor), "sector": sector,
                                         "sector_name": ctx.pack_name(sector) if sector else ""})
    act = act_now_of(ctx.variant, role_id, ctx.context)
    ctx.files[source] = TEMPLATES.get_template("role.md.j2").render(
        groups=groups, sector_choice=Markup(ctx.sector_choice()),
        role=role, svg=Markup(ctx.svg(role.icon)), tagline=markup.fill(role.tagline, ctx.context),
        red_line=Markup(ctx.text(source, ctx.org.red_line)), intro=Markup(ctx.text(source, role.intro)),
        hub_href=html_href(source, "index.md"), act_now=act_now_html(ctx, source, act), prints=ctx.role_print_links(source, role_id))
    # The page's sources: the role's files, and those of the sector's and the national exceptions it shows.
    cited = SimpleNamespace(docs=[*item.docs, *(SimpleNamespace(data={"source": s}) for s in (act.sources if act else ()))])
    ctx.files[source] = with_sources(ctx.files[source], cited) + ctx.meta_line(item)


def render_roles(ctx: RenderContext, items: list[Item]) -> None:
    """A page per hub role and per role a text links to (`ctx.role_pages`), not per role file."""
    for role_id in ctx.role_pages:
        role(ctx, role_id)


def act_now_html(ctx: RenderContext, source: str, act: ActNowView | None) -> Markup:
    """'Wat doe je nu?': the two or three things to do, what changes them, whom to call (tap to dial)
    and the way into the stappenwijzer, at the top of a first-line role's page. An exception for one
    sector of a two-sector organisation carries that sector, so the reader's sector choice applies."""
    if act is None:
        return Markup("")
    parts = ['<section class="rw-act-now" aria-labelledby="wat-doe-je-nu">', '<h2 id="wat-doe-je-nu">Wat doe je nu?</h2>']
    if act.do:
        parts.append("<ol>" + "".join(f"<li>{markup.plain(d)}</li>" for d in act.do) + "</ol>")
    if act.exceptions:
        items = []
        for exception in act.exceptions:
            if exception.sector:
                items.append(f'<li data-sector="{html.escape(exception.sector)}"><strong>{markup.plain(exception.sector_name)}:</strong> '
                             f"{markup.plain(exception.text)}</li>")
            else:
                items.append(f"<li>{markup.plain(exception.text)}</li>")
        parts.append('<p class="rw-act-now__label">Let op</p><ul class="rw-act-now__exceptions">' + "".join(items) + "</ul>")
    if act.call:
        parts.append('<p class="rw-act-now__label">Bel</p><ul class="rw-act-now__call">'
                     + "".join(f"<li>{ctx.reach_html(source, c)}</li>" for c in act.call) + "</ul>")
    if act.stappenwijzer:
        target = html_href(source, wizard_path(act.stappenwijzer))
        parts.append(f'<p><a class="md-button md-button--primary" href="{target}">Twijfel je? Beantwoord de vragen in de stappenwijzer</a></p>')
    parts.append("</section>")
    return Markup("\n".join(parts))
