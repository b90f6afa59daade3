"""Pages Rolwijzer writes itself: the protocol index, the contact page, the schoolgids page, the organisation's colours."""

from __future__ import annotations

from .. import markup
from ..kinds import output_path
from ..resolve import Item
from .context import RenderContext, relative
from .stappenwijzer import render_stappenwijzers


def schoolgids_page(ctx: RenderContext) -> None:
    """The schoolgids summary on the site: which sections it holds and where to download it.
    The text itself lives in those sections; the downloads gather it (export/schoolgids.py).
    Only made when something is marked or the organisation links to it."""
    source = output_path("page", "schoolgids")
    marked = ctx.outputs.schoolgids
    linked = any(entry.ref.startswith("page:schoolgids") for entry in ctx.org.menu + ctx.org.index)
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
        if ctx.downloads:
            lines += ['<ul class="rw-downloads-list">',
                      '<li><a href="downloads/schoolgids.html">De hele samenvatting als webpagina</a></li>',
                      '<li><a href="downloads/schoolgids.docx">Als Word-bestand, om aan te passen</a></li>',
                      '<li><a href="downloads/schoolgids.pdf">Als PDF</a></li>', "</ul>", ""]
    ctx.files[source] = "\n".join(lines)


def protocol_index(ctx: RenderContext) -> None:
    source = output_path("page", "protocollen")
    lines = ["---", "title: Protocollen", "---", ""]
    listed: set[tuple[str, str]] = set()
    if ctx.org.index:
        lines += [f"{_index_kinds(ctx).capitalize()}, in de volgorde van het beleid.", ""]
        for number, entry in enumerate(ctx.org.index, start=1):
            kind, item_id, anchor = markup.split_ref(entry.ref)
            listed.add((kind, item_id))
            target = relative(source, output_path(kind, item_id)) + (f"#{anchor}" if anchor else "")
            summary = ctx.summary_of(kind, item_id)
            lines.append(f"{number}. [{markup.plain(entry.label)}]({target})" + (f": {markup.plain(summary)}" if summary else ""))
        lines.append("")
    groups = {"protocol": "Protocollen", "richtlijn": "Richtlijnen en handreikingen", "formulier": "Formulieren"}
    if ctx.org.index:
        groups = {kind: f"Ook in dit beleid: {label.lower()}" for kind, label in groups.items()}
    for kind, heading in groups.items():
        items = [i for i in ctx.variant.all("protocol") if i.model.kind == kind and ("protocol", i.id) not in listed]
        if not items:
            continue
        lines += [f"## {heading}", ""]
        for item in sorted(items, key=lambda i: i.model.title.lower()):
            summary = f": {markup.plain(markup.fill(item.model.summary, ctx.context))}" if item.model.summary else ""
            lines.append(f"- [{markup.plain(item.model.title)}]({relative(source, output_path('protocol', item.id))}){summary}")
        lines.append("")
    letters = [i for i in ctx.variant.all("letter") if ("letter", i.id) not in listed]
    if letters:
        lines += ["## Voorbeeldbrieven" if not ctx.org.index else "## Ook in dit beleid: voorbeeldbrieven", ""]
        for item in sorted(letters, key=lambda i: i.model.title.lower()):
            lines.append(f"- [{markup.plain(item.model.title)}]({relative(source, output_path('letter', item.id))})")
        lines.append("")
    ctx.files[source] = "\n".join(lines)


def _index_kinds(ctx: RenderContext) -> str:
    """What the protocol index lists, in words: only the kinds it really holds."""
    nouns = {"protocol": "protocollen", "richtlijn": "richtlijnen en handreikingen", "formulier": "formulieren",
             "letter": "brieven", "table": "overzichten", "page": "pagina's"}
    found: list[str] = []
    for entry in ctx.org.index:
        kind, item_id, _ = markup.split_ref(entry.ref)
        item = ctx.variant.get(kind, item_id)
        key = item.model.kind if kind == "protocol" and item is not None else kind
        if nouns.get(key) and nouns[key] not in found:
            found.append(nouns[key])
    if not found:
        return "alles"
    return found[0] if len(found) == 1 else ", ".join(found[:-1]) + " en " + found[-1]


def contacts(ctx: RenderContext) -> None:
    source = "contact.md"
    lines = ["---", "title: Meer informatie en contact", "---", ""]
    ids = list(ctx.org.contacts) + [c.id for c in ctx.variant.all("contact") if c.id not in ctx.org.contacts]
    for contact_id in ids:
        contact = ctx.variant.get("contact", contact_id).model
        lines += [f"## {markup.plain(contact.name)} {{: #{contact_id} }}", ""]
        if contact.function:
            lines += [f"*{markup.plain(markup.fill(contact.function, ctx.context))}*", ""]
        rows = [("Telefoon", f"[{markup.plain(contact.phone)}](tel:{markup.tel_href(contact.phone)})" if contact.phone else ""),
                ("E-mail", f"[{markup.plain(contact.email)}](mailto:{contact.email})" if contact.email else ""),
                ("Website", f"<{contact.url}>" if contact.url else ""),
                ("Adres", markup.plain(contact.address)), ("Bereikbaar", markup.plain(contact.hours))]
        lines += [f"- **{label}:** {value}" for label, value in rows if value]
        if not contact.reachable:
            lines += ["", f'<p class="rw-missing">{ctx.reach_html(source, contact_id, link_name=False)}</p>']
        if contact.note:
            lines += ["", ctx.text(source, contact.note).strip()]
        lines.append("")
    ctx.files[source] = "\n".join(lines)


def org_css(ctx: RenderContext) -> str:
    branding = ctx.org.branding
    return (":root, [data-md-color-scheme=\"default\"] {\n"
            f"  --md-primary-fg-color: {branding.primary};\n"
            f"  --md-primary-fg-color--light: {branding.primary};\n"
            f"  --md-primary-fg-color--dark: {branding.primary};\n"
            f"  --md-accent-fg-color: {branding.accent};\n"
            f"  --md-typeset-a-color: {branding.accent};\n"
            f"  --rw-primary: {branding.primary};\n"
            f"  --rw-accent: {branding.accent};\n"
            "}\n")


def render_contacts(ctx: RenderContext, items: list[Item]) -> None:
    """All contacts on one page, in the organisation's order."""
    contacts(ctx)


def write_org_css(ctx: RenderContext) -> None:
    ctx.files["assets/org.css"] = org_css(ctx)


# Pages that belong to no content kind, in the order they are written (after the hub).
GENERATED = (protocol_index, schoolgids_page, render_stappenwijzers, write_org_css)
