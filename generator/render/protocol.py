"""Protocols: steps with who / when / contact, decision questions, lanes, definitions, forms."""

from __future__ import annotations

import re
from typing import Any

from markupsafe import Markup

from .. import markup
from ..kinds import output_path
from ..resolve import Item
from ..reach import reach
from .context import TEMPLATES, RenderContext, html_href, relative
from .stappenwijzer import has_wizard, wizard_path


def protocol(ctx: RenderContext, item: Item) -> None:
    source = output_path("protocol", item.id)
    p = item.model
    titles = {s.id: s.title for s in p.steps} | {q.id: q.question for s in p.steps for q in s.questions}
    numbers = {s.id: f"Stap {n}" for n, s in enumerate(p.steps, start=1)}
    numbers |= {q.id: f"Vraag {n}" for s in p.steps for n, q in enumerate(s.questions, start=1)}

    def answer(a: Any) -> dict[str, Any]:
        text = ctx.text(source, a.text).strip()
        first = re.split(r"(?<=[.!?])\s", re.sub(r"\[([^\]]+)\]\([^)]*\)", r"\1", text).replace("**", ""), maxsplit=1)[0]
        outcome = a.outcome
        calls = [Markup(ctx.reach_html(source, c)) for c in outcome.contacts] if outcome is not None else []
        return {"text": Markup(text), "next": a.next, "next_title": titles.get(a.next, ""),
                "next_short": f"{numbers.get(a.next, '')}: {titles.get(a.next, '')}", "end": first,
                "outcome": outcome.heading if outcome is not None else "", "urgent": bool(outcome and outcome.urgent), "calls": calls}

    steps = []
    for step in p.steps:
        who = ", ".join(ctx.title_of("role", r) for r in step.who)
        contacts = [Markup(ctx.reach_html(source, contact_id)) for contact_id in step.contacts]
        see = []
        for ref in step.see:
            kind, item_id, anchor = markup.split_ref(ref)
            see.append({"title": ctx.title_of(kind, item_id),
                        "href": html_href(source, output_path(kind, item_id)) + (f"#{anchor}" if anchor else "")})
        compare = None
        if step.compare is not None:
            kind, item_id, anchor = markup.split_ref(step.compare.ref)
            compare = {"label": step.compare.label, "text": Markup(ctx.text(source, step.compare.text).strip()),
                       "href": relative(source, output_path(kind, item_id)) + (f"#{anchor}" if anchor else ""),
                       "target": ctx.title_of(kind, item_id)}
        steps.append({
            "compare": compare, "parallel": Markup(ctx.text(source, step.parallel).strip()),
            "id": step.id, "title": markup.fill(step.title, ctx.context), "who": who,
            "when": markup.fill(step.when, ctx.context), "contacts": contacts, "see": see,
            "what": Markup(ctx.text(source, step.what).strip()), "record": Markup(ctx.text(source, step.record).strip()),
            "questions": [{"id": q.id, "question": markup.fill(q.question, ctx.context),
                           "explain": Markup(ctx.text(source, q.explain).strip()),
                           "yes": answer(q.yes), "no": answer(q.no),
                           "doubt": answer(q.doubt) if q.doubt is not None else None} for q in step.questions],
        })
    definitions = [{"term": d.term, "text": Markup(ctx.text(source, d.text).strip())} for d in p.definitions]
    lanes = []
    for lane in p.lanes:
        role = ctx.variant.get("role", lane.role).model
        entries = []
        for entry in lane.items:
            kind, item_id, anchor = markup.split_ref(entry.ref)
            target = output_path(kind, item_id)
            href = ("" if target == source else html_href(source, target) + f"?rol={lane.role}") + (f"#{anchor}" if anchor else "")
            entries.append({"label": entry.label, "href": href or "#"})
        role_href = html_href(source, output_path("role", lane.role)) if lane.role in ctx.role_pages else ""
        lanes.append({"label": lane.label or role.title, "colour": role.colour, "note": markup.fill(lane.note, ctx.context),
                      "role_href": role_href, "entries": entries})
    rendered = TEMPLATES.get_template("protocol.md.j2").render(
        p=p, intro=Markup(ctx.text(source, p.intro)), outro=Markup(ctx.text(source, p.outro)), steps=steps, lanes=lanes,
        definitions=definitions, fields=p.fields, send_to=_send_to(ctx, source, p),
        wizard_href=html_href(source, wizard_path(item.id)) if has_wizard(p) else "")
    header, _, body = rendered.partition("\n---\n")
    ctx.files[source] = ctx.wrap(source, "protocol", item, header + "\n---\n\n", body)


def render_protocols(ctx: RenderContext, items: list[Item]) -> None:
    for item in items:
        protocol(ctx, item)


def _send_to(ctx: RenderContext, source: str, protocol: Any) -> dict[str, Any] | None:
    """Where a filled-in form goes: the contact's e-mail address for the reader's own mail program,
    or, while it is not filled in, the contact as the reach snippet says it."""
    if not protocol.send_to:
        return None
    found = reach(ctx.variant, protocol.send_to, ctx.context)
    return {"email": found.email, "name": found.name, "reach": Markup(ctx.reach_html(source, protocol.send_to))}
