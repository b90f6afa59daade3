"""The stappenwijzer: every protocol with decision questions gets `stappenwijzer/<protocol-id>.md`,
one implementation for all. With JavaScript (theme/assets/rolwijzer.js) it asks one question per
screen (Ja / Nee / Weet ik niet, back, progress) and ends with what you do now, whom you call and
a summary to print or copy; without JavaScript the same page shows the whole decision as text."""

from __future__ import annotations

from typing import Any

from markupsafe import Markup

from .. import markup
from ..kinds import output_path
from ..models import Question
from ..texts import answers_of
from .context import TEMPLATES, RenderContext, html_href

LABELS = {"yes": "Ja", "no": "Nee", "doubt": "Weet ik niet"}


def wizard_path(protocol_id: str) -> str:
    return f"stappenwijzer/{protocol_id}.md"


def has_wizard(protocol: Any) -> bool:
    return any(step.questions for step in protocol.steps)


def render_stappenwijzers(ctx: RenderContext) -> None:
    for item in ctx.variant.all("protocol"):
        if has_wizard(item.model):
            stappenwijzer(ctx, item)


def stappenwijzer(ctx: RenderContext, item: Any) -> None:
    source = wizard_path(item.id)
    protocol = item.model
    protocol_md = output_path("protocol", item.id)
    questions: list[tuple[Any, Question]] = [(step, q) for step in protocol.steps for q in step.questions]
    numbers = {q.id: n for n, (_, q) in enumerate(questions, start=1)}
    steps = {s.id: (n, s) for n, s in enumerate(protocol.steps, start=1)}
    rendered_questions, ends = [], []
    for step, question in questions:
        answers = []
        for key, answer in answers_of(question):
            nxt = answer.next if answer.next in numbers else None
            ends_here = answer.outcome is not None or nxt is None
            end_anchor = f"e-{question.id}-{key}" if ends_here else ""
            heading = answer.outcome.heading if answer.outcome is not None else "Wat je nu doet"
            text = Markup(ctx.text(source, answer.text).strip())
            answers.append({"key": key, "label": LABELS[key], "next": f"q-{nxt}" if nxt else "", "next_number": numbers.get(nxt, ""),
                            "end": end_anchor, "heading": heading, "text": text})
            if ends_here:
                contact_ids = answer.outcome.contacts if answer.outcome is not None else step.contacts
                step_target = steps.get(answer.next) if answer.next and not nxt else None
                ends.append({
                    "anchor": end_anchor, "heading": heading, "urgent": bool(answer.outcome and answer.outcome.urgent),
                    "number": numbers[question.id], "question": markup.fill(question.question, ctx.context), "label": LABELS[key],
                    "text": text, "contacts": [_contact(ctx, source, c) for c in contact_ids],
                    "next": f"q-{nxt}" if nxt else "", "next_number": numbers.get(nxt, ""),
                    "step": f"stap {step_target[0]}: {step_target[1].title}" if step_target else "",
                    "step_href": html_href(source, protocol_md) + f"#{answer.next}" if step_target else "",
                })
        rendered_questions.append({"id": question.id, "anchor": f"q-{question.id}", "question": markup.fill(question.question, ctx.context),
                                   "explain": Markup(ctx.text(source, question.explain).strip()), "answers": answers})
    ctx.files[source] = TEMPLATES.get_template("stappenwijzer.md.j2").render(
        title=f"Stappenwijzer: {protocol.title}", protocol_id=item.id, questions=rendered_questions, ends=ends,
        protocol_href=html_href(source, protocol_md), protocol_title=protocol.title, org_name=ctx.org.name,
        contact_page=html_href(source, "contact.md"))


def _contact(ctx: RenderContext, source: str, contact_id: str) -> Markup:
    return Markup(ctx.reach_html(source, contact_id))
