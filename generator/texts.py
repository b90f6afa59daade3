"""What texts can use, shared by validate and render: a variant's variables (org, contact('id'),
role('id'), the embeds table('id') and list('id')), dotted look-ups for letter placeholders, the
answers of a decision question, the anchors of an item's page, the Material icons, and a role's
'Wat doe je nu?' with the sector's exceptions filled in (act_now_of, for page, card and poster)."""

from __future__ import annotations

import functools

from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable

import jinja2

from . import markup
from .provenance import SEED_FILE
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


@functools.lru_cache(maxsize=1024)  # Material's icons are installed files: looked up once per process
def icon_path(icon: str) -> Path | None:
    import material

    root = Path(material.__file__).parent / "templates" / ".icons"
    path = (root / f"{icon}.svg").resolve()
    if not path.is_relative_to(root.resolve()) or not path.is_file():
        return None
    return path


# --- Wat doe je nu? -----------------------------------------------------------------------------

# Someone in danger now: call 112. True for every Dutch organisation, so it is said once, here, with
# the number and the source of the base contact (contacts/alarmnummer.yml); no role repeats it.
EMERGENCY_CONTACT = "alarmnummer"
EMERGENCY_TEXT = "Is iemand nu in gevaar? Bel {phone}."


@dataclass(frozen=True)
class ActNowException:
    text: str  # filled in with the organisation's words; plain text (escape it when printing)
    source: str
    sector: str | None = None  # the pack it holds for, set only when the organisation has two or more
    sector_name: str = ""  # that pack's name ('Onderwijs'), to print next to the text


@dataclass(frozen=True)
class ActNowView:
    """A role's 'Wat doe je nu?' as every output shows it: the role's own steps, then the exceptions
    of each sector pack of the organisation (in org.yml order), the role's own extra ones and the
    national 112; whom to call; the stappenwijzer; and every source behind it."""

    do: tuple[str, ...]
    exceptions: tuple[ActNowException, ...]
    call: tuple[str, ...]  # contact ids, in order
    stappenwijzer: str | None  # protocol id
    sources: tuple[str, ...]

    @property
    def exception_texts(self) -> list[str]:
        return [e.text for e in self.exceptions]


def act_now_of(variant: Variant, role_id: str, context: dict[str, Any] | None = None) -> ActNowView | None:
    """The act-now block of a role in this variant, texts filled in; None for a role without one."""
    item = variant.get("role", role_id) or variant.unused.get("role", {}).get(role_id)
    role = item.model if item is not None else None
    act = getattr(role, "act_now", None)
    if act is None or not (act.do or act.call):
        return None
    context = context if context is not None else text_context(variant)
    org = variant.org.model
    several = len(org.sectors) > 1
    found: list[ActNowException] = []
    for pack_id, pack in variant.packs.items():
        if pack.model is None:
            continue
        for entry in pack.model.act_now_exceptions:
            found.append(ActNowException(markup.fill(entry.text, context), _own_sources(entry.source, org.documents),
                                         pack_id if several else None, pack.model.name if several else ""))
    own_source = act.source or role.source
    found += [ActNowException(markup.fill(text, context), own_source) for text in act.exceptions]
    emergency = variant.get("contact", EMERGENCY_CONTACT) or variant.unused.get("contact", {}).get(EMERGENCY_CONTACT)
    if emergency is not None and emergency.model is not None and emergency.model.phone:
        found.append(ActNowException(EMERGENCY_TEXT.format(phone=emergency.model.phone), emergency.model.source))
    exceptions: list[ActNowException] = []
    for exception in found:  # the same sentence twice (two packs, or a role repeating its sector) shows once
        twin = next((e for e in exceptions if e.text == exception.text), None)
        if twin is None:
            exceptions.append(exception)
        elif twin.sector and exception.sector and twin.sector != exception.sector:  # both packs say it: for everyone
            exceptions[exceptions.index(twin)] = ActNowException(twin.text, f"{twin.source}; {exception.source}")
    sources = tuple(dict.fromkeys(s for s in [own_source, *(e.source for e in exceptions)] if s))
    return ActNowView(tuple(markup.fill(d, context) for d in act.do), tuple(exceptions), tuple(act.call),
                      act.stappenwijzer, sources)


def _own_sources(source: str, documents: list[str]) -> str:
    """The parts of a pack's `source:` an organisation's page cites: the national ones and those in
    its own documents (a pack names several organisations' documents; each page names its own)."""
    parts = [part.strip() for part in source.split(";") if part.strip()]
    own = [part for part in parts if not SEED_FILE.search(part) or any(doc in part for doc in documents)]
    return "; ".join(own or parts)
