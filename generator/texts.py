"""What texts can use, shared by validate and render: a variant's variables (org, contact('id'),
role('id'), the embeds table('id') and list('id')), dotted look-ups for letter placeholders, the
answers of a decision question, the anchors of an item's page and the Material icons."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Callable

import jinja2

from . import markup
from .resolve import Item, Variant


MISSING = object()


def lookup_dotted(context: dict, dotted: str) -> Any:
    current: Any = context
    for part in dotted.split("."):
        if part.startswith("_"):  # no route to Python internals from a placeholder
            return MISSING
        if isinstance(current, dict) and part in current:
            current = current[part]
        elif hasattr(current, part):
            current = getattr(current, part)
        else:
            return MISSING
    return current


def lookup(context: dict, dotted: str) -> Any:
    value = lookup_dotted(context, dotted)
    return None if value is MISSING else value


# --- shared with render -------------------------------------------------------------------------

def text_context(variant: Variant, embed: Callable[[str, str, Any], str] | None = None) -> dict[str, Any]:
    """The variables a text can use: org, contact('id'), role('id'), and the embeds table('id')
    and list('id'). `embed(kind, id, model)` renders an embed; validation only checks it exists."""
    org = variant.org.model

    def lookup_model(kind: str, item_id: str) -> Any:
        item = variant.get(kind, item_id) or variant.unused.get(kind, {}).get(item_id)
        if item is None:
            raise jinja2.UndefinedError(f"{kind} '{item_id}' is undefined")
        if item.model is None:  # the file exists but is invalid: that is reported at the file itself
            return _INVALID
        return item.model

    def embedder(kind: str) -> Callable[[str], str]:
        def render_embed(item_id: str) -> str:
            model = lookup_model(kind, item_id)
            return embed(kind, item_id, model) if embed and model is not _INVALID else ""
        return render_embed

    return {"org": org, "contact": lambda i: lookup_model("contact", i), "role": lambda i: lookup_model("role", i),
            "table": embedder("table"), "list": embedder("list")}


class _Invalid:
    """Stands in for an item whose own file has errors, so texts that use it report nothing extra."""

    def __getattr__(self, name: str) -> str:
        if name.startswith("_"):
            raise AttributeError(name)
        return ""

    def __str__(self) -> str:
        return ""


_INVALID = _Invalid()


def answers_of(question: Any) -> list[tuple[str, Any]]:
    """('yes', answer), ('no', answer) and, where the policy treats doubt, ('doubt', answer)."""
    found = [("yes", question.yes), ("no", question.no)]
    return found + ([("doubt", question.doubt)] if question.doubt is not None else [])


def item_anchors(item: Item) -> set[str]:
    """Anchors a reference may point to inside an item's page."""
    if item.kind == "page":
        return markup.heading_anchors(item.body)
    if item.kind == "protocol" and item.model is not None:
        anchors = set()
        for step in item.model.steps:
            anchors.add(step.id)
            anchors.update(q.id for q in step.questions)
        if item.model.definitions:
            anchors.add("begrippen")
        if item.model.fields:
            anchors.add("formulier")
        anchors |= markup.heading_anchors(item.model.intro + "\n" + item.model.outro)
        return anchors
    return set()


def icon_path(icon: str) -> Path | None:
    import material

    root = Path(material.__file__).parent / "templates" / ".icons"
    path = (root / f"{icon}.svg").resolve()
    if not path.is_relative_to(root.resolve()) or not path.is_file():
        return None
    return path
