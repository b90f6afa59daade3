"""Validate: list[SourceDoc] -> Project (every variant resolved, typed and cross-checked), or a
ContentError listing every problem at once. Nothing is written here."""

from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterator

import jinja2
from pydantic import BaseModel, ValidationError

from . import markup
from .kinds import ALL_KINDS, BY_NAME, GENERATED_PAGES, ORGANISATION, output_path
from .load import SourceDoc, inside_project

LOGO_SUFFIXES = {".svg", ".png", ".jpg", ".jpeg", ".webp"}
# An SVG opened by itself runs its scripts in the site's origin: a logo may hold none.
_ACTIVE_SVG = re.compile(r"<\s*script|<\s*foreignObject|\son[a-z]+\s*=|javascript:", re.IGNORECASE)
from .problems import PYDANTIC_MESSAGES, TODO, ContentError, Problem, suggest
from .provenance import check_act_now_sources, check_sources
from .resolve import Item, Variant, key_of_path, resolve
from .texts import MISSING, lookup_dotted, answers_of, icon_path, item_anchors, text_context



@dataclass
class Project:
    variants: dict[str, Variant]
    warnings: list[Problem] = field(default_factory=list)
    docs: list[SourceDoc] = field(default_factory=list)


def validate(docs: list[SourceDoc], orgs: list[str] | None = None, root: Path | None = None) -> Project:
    """Check every base file and every organisation variant; raise ContentError with all problems."""
    validation = Validation(docs, orgs, root)
    for _ in validation.variants():
        pass
    return validation.project()


class Validation:
    """validate() in steps: the base files when made, then each variant as `variants()` reaches it
    (so the build of one organisation can start while the next is checked), then `project()`.
    `problems` may start with problems found before (the base mkdocs.yml): they are reported too."""

    def __init__(self, docs: list[SourceDoc], orgs: list[str] | None = None, root: Path | None = None,
                 problems: list[Problem] | None = None):
        self.docs, self.orgs, self.root = docs, orgs, root
        self.problems: list[Problem] = list(problems or [])
        self.warnings: list[Problem] = []
        self.checked: dict[str, Variant] = {}
        # Complete files on their own, so an error is reported even if no organisation uses the file:
        # every base file, and a pack's file at a path the base does not have (a pack's file at a base
        # path only carries what it changes, and is checked in each organisation's chain).
        base_paths = {(d.kind, d.id) for d in docs if d.org is None and d.sector is None}
        for doc in docs:
            if doc.org is None and (doc.sector is None or doc.kind == "sector" or (doc.kind, doc.id) not in base_paths):
                _typed(Item(doc.kind, doc.id, doc.data, doc.body, [doc]), self.problems)

    @property
    def failed(self) -> bool:
        """True once any error is found (warnings do not count)."""
        return any(p.severity == "fout" for p in self.problems)

    def variants(self) -> Iterator[Variant]:
        """Resolve and check each organisation's variant, in name order; yields each after its check."""
        for slug in sorted(d.id for d in self.docs if d.kind == ORGANISATION.name):
            if self.orgs is not None and slug not in self.orgs:
                continue
            variant = resolve(self.docs, slug)
            _check_variant(variant, self.problems, self.warnings, self.docs, self.root)
            self.checked[slug] = variant
            yield variant

    def project(self) -> Project:
        """The checked project, after variants() went through every variant; raises ContentError
        with every problem when there is one."""
        errors = [p for p in self.problems if p.severity == "fout"]
        if errors:
            raise ContentError(errors)
        docs, variants = self.docs, self.checked
        warnings = self.warnings + check_sources(docs, variants) + check_act_now_sources(docs)
        if self.orgs is None:  # base files that no organisation publishes
            used = {(kind, i) for v in variants.values() for kind, items in v.items.items() for i in items}
            for doc in docs:
                if doc.org is None and doc.kind in BY_NAME and (doc.kind, doc.id) not in used:
                    warnings.append(Problem(doc.path, 1, f"geen enkele organisatie gebruikt {BY_NAME[doc.kind].label} '{doc.id}'",
                                            "verwijs ernaar vanuit een rol, het menu of index:", severity="waarschuwing"))
        return Project(variants, sorted(set(warnings)), docs)


# --- typed models -------------------------------------------------------------------------------

def _typed(item: Item, problems: list[Problem]) -> BaseModel | None:
    model = next(kind.model for kind in ALL_KINDS if kind.name == item.kind)
    try:
        item.model = model.model_validate(item.data)
    except ValidationError as error:
        for detail in error.errors():
            loc = ("sector",) if detail["type"] == "sector_moved" else tuple(detail["loc"])
            path, line = item.where(loc)
            problems.append(Problem(path, line, *_explain(detail, model, loc)))
        return None
    return item.model


def _explain(detail: dict, model: type[BaseModel], loc: tuple) -> tuple[str, str]:
    kind = detail["type"]
    name = ".".join(str(p) for p in loc if not isinstance(p, int)) or "bestand"
    field_name = str(loc[-1]) if loc else name
    value = detail.get("input")
    context = detail.get("ctx") or {}
    if kind == "extra_forbidden":
        known = _field_names(model, loc[:-1])
        return f"onbekend veld '{field_name}'", suggest(field_name, known) or f"toegestaan: {', '.join(sorted(known))}"
    if kind in ("hex_colour", "ref", "id", "phone", "email", "url", "file", "hub_twice", "sector_moved"):
        return detail["msg"], ""
    template = PYDANTIC_MESSAGES.get(kind)
    if template is None:
        return f"'{name}': {detail['msg']}", ""
    shown = f"'{value}'" if isinstance(value, str) else repr(value)
    expected = str(context.get("expected", "")).replace(" or ", " of ")
    return template.format(field=name if kind != "missing" else field_name, value=shown, expected=expected), ""


def _field_names(model: type[BaseModel], loc: tuple) -> set[str]:
    current: Any = model
    for part in loc:
        if isinstance(part, int):
            continue
        fields = getattr(current, "model_fields", {})
        info = fields.get(part)
        if info is None:
            return set()
        current = _inner_model(info.annotation)
    return {info.alias or name for name, info in getattr(current, "model_fields", {}).items()}


def _inner_model(annotation: Any) -> Any:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in getattr(annotation, "__args__", ()) or ():
        found = _inner_model(arg)
        if found is not None:
            return found
    return None


# --- one variant --------------------------------------------------------------------------------

def _check_variant(variant: Variant, problems: list[Problem], warnings: list[Problem], docs: list[SourceDoc],
                   root: Path | None) -> None:
    org = _typed(variant.org, problems)
    base_keys = {(d.kind, d.id) for d in docs if d.org is None}
    for index, pack in enumerate((org.sectors if org else [])):
        if pack not in variant.packs:
            path, line = variant.org.where(("sectors", index))
            problems.append(Problem(path, line, f"sectorpakket '{pack}' bestaat niet", f"maak sectors/{pack}/sector.yml"))
    for pack_item in variant.packs.values():
        if pack_item.model is None:
            found: list[Problem] = []
            _typed(pack_item, found)
            problems += [p for p in found if p not in problems]
    for kind_items in list(variant.items.values()) + list(variant.unused.values()):
        for item in kind_items.values():
            found: list[Problem] = []
            _typed(item, found)
            problems += _misnamed_overlay(item, found, base_keys) or found
            if item.pack_clash:
                first, second = item.pack_clash
                problems.append(Problem(second.path, 1, f"{first.path} en {second.path} zeggen allebei iets over dit bestand; "
                                        f"{variant.slug} heeft beide sectoren",
                                        f"maak orgs/{variant.slug}/{second.path.split('/', 2)[2]} met wat voor {variant.slug} geldt"))
    if org is None:
        return
    _Checker(variant, problems, warnings, base_keys, root).run()


def _misnamed_overlay(item: Item, found: list[Problem], base_keys: set) -> list[Problem]:
    """A new overlay file that misses required fields and whose name is close to a base file was
    most likely meant to fill that base file in: say so instead of listing the missing fields."""
    if not found or item.overridden or item.origin.org is None or not any("ontbreekt" in p.message for p in found):
        return []
    kind = BY_NAME.get(item.kind)
    near = suggest(item.id, [i for k, i in base_keys if k == item.kind]) if kind else ""
    if not near:
        return []
    meant = near.removeprefix("bedoelde je '").removesuffix("'?")
    return [Problem(item.origin.path, 1, f"er is geen basisbestand {kind.folder}/{item.id}{kind.suffix} om aan te vullen",
                    f"bedoelde je {meant}{kind.suffix}? Een bestand met dezelfde naam als het basisbestand vult dat aan")]


class _Checker:
    """Cross-references, variables, colours and warnings of one resolved variant."""

    def __init__(self, variant: Variant, problems: list[Problem], warnings: list[Problem], base_keys: set,
                 root: Path | None = None):
        self.base_keys = base_keys
        self.root = root
        self.variant = variant
        self.problems = problems
        self.warnings = warnings
        self.org = variant.org.model
        self.context = text_context(variant)

    # helpers
    def error(self, item: Item, loc: tuple, message: str, hint: str = "", offset: int | None = None) -> None:
        path, line = item.where(loc)
        if offset is not None:
            line += offset
        self.problems.append(Problem(path, line, message, hint))

    def warn(self, item: Item, loc: tuple, message: str, hint: str = "", severity: str = "waarschuwing") -> None:
        path, line = item.where(loc)
        self.warnings.append(Problem(path, line, f"{self.variant.slug}: {message}", hint, severity=severity))

    def todo(self, item: Item, loc: tuple, message: str, hint: str = "") -> None:
        """Something the organisation still has to fill in or confirm: reported, not wrong."""
        self.warn(item, loc, message, hint, severity=TODO)

    def ids(self, kind: str) -> list[str]:
        return list(self.variant.items.get(kind, {})) + list(self.variant.unused.get(kind, {}))

    def lookup(self, kind: str, item_id: str) -> Item | None:
        """Any item of the variant, published or not: an unused file is still checked."""
        return self.variant.get(kind, item_id) or self.variant.unused.get(kind, {}).get(item_id)

    def shared_but_unused(self, item: Item) -> bool:
        return item.origin.org is None and item.id in self.variant.unused.get(item.kind, {})

    def every(self, kind: str) -> list[Item]:
        return self.variant.all(kind) + list(self.variant.unused.get(kind, {}).values())

    def check_ref(self, item: Item, loc: tuple, kind: str, item_id: str, anchor: str | None, offset: int | None = None) -> None:
        ref = f"{kind}:{item_id}" + (f"#{anchor}" if anchor else "")
        if kind == "page" and item_id in GENERATED_PAGES:
            return
        target = self.lookup(kind, item_id)
        if target is None:
            label = BY_NAME[kind].label if kind in BY_NAME else kind
            hidden = any(key_of_path(h) == (kind, item_id) for h in self.variant.hidden)
            if hidden:
                self.error(item, loc, f"verwijzing '{ref}' wijst naar een verborgen {label}", "haal het uit hide: of verwijder de verwijzing", offset)
            else:
                hint = suggest(item_id, self.ids(kind))
                if not hint:
                    folder = BY_NAME[kind].folder if kind in BY_NAME else kind
                    hint = f"maak {folder}/{item_id}{BY_NAME[kind].suffix if kind in BY_NAME else ''}"
                self.error(item, loc, f"{label} '{item_id}' bestaat niet (verwijzing '{ref}')", hint, offset)
            return
        if anchor and target.model is not None:
            anchors = item_anchors(target)
            if anchor not in anchors:
                self.error(item, loc, f"anker '#{anchor}' bestaat niet in {kind} '{item_id}'", suggest(anchor, anchors), offset)

    def check_role(self, item: Item, loc: tuple, role_id: str) -> None:
        if self.lookup("role", role_id) is None:
            self.error(item, loc, f"rol '{role_id}' bestaat niet", suggest(role_id, self.ids("role")) or f"maak roles/{role_id}.yml")

    def check_contact(self, item: Item, loc: tuple, contact_id: str) -> None:
        if self.lookup("contact", contact_id) is None:
            self.error(item, loc, f"contact '{contact_id}' is onbekend", suggest(contact_id, self.ids("contact")) or f"maak contacts/{contact_id}.yml")

    def check_text(self, item: Item, loc: tuple, text: str, body: bool = False, extra: dict | None = None,
                   doc: SourceDoc | None = None) -> None:
        """References and variables inside one Markdown text (`doc`: the file a body part is in)."""
        def body_at(offset: int) -> tuple[str, int]:
            return (doc.path, doc.body_line + offset) if doc is not None else item.body_where(offset)

        def where_offset(offset: int) -> int | None:
            if body:
                return None
            return offset + (1 if "\n" in text.strip("\n") or text.endswith("\n") else 0)
        exceeded = markup.markdown_limits(text)
        if exceeded:
            offset, message = exceeded
            if body:
                path, line = body_at(offset)
                self.problems.append(Problem(path, line, message, "maak de tekst eenvoudiger"))
            else:
                self.error(item, loc, message, "maak de tekst eenvoudiger", where_offset(offset))
            return
        if body and item.kind in ("page", "letter"):
            self._check_file_links(item, text, body_at)
        for offset, kind, item_id, anchor in markup.refs_in(text):
            if body:
                path, line = body_at(offset)
                before = len(self.problems)
                self.check_ref(item, (), kind, item_id, anchor)
                self.problems[before:] = [Problem(path, line, p.message, p.hint) for p in self.problems[before:]]
            else:
                self.check_ref(item, loc, kind, item_id, anchor, where_offset(offset))
        try:
            if self.shared_but_unused(item):
                # A base file this organisation does not publish may use words (terms) that only the
                # organisations publishing it define: check its syntax here, its variables there.
                markup.compile_text(text)
            else:
                markup.fill(text, {**self.context, **(extra or {})})
        except jinja2.TemplateError as error:
            offset, message, hint = markup.explain_template_error(error, text)
            if body:
                path, line = body_at(offset)
                self.problems.append(Problem(path, line, message, hint))
            else:
                self.error(item, loc, message, hint, where_offset(offset))

    def _check_file_links(self, item: Item, text: str, body_at: Callable[[int], tuple[str, int]]) -> None:
        """A plain Markdown link to a page of the site ([x](andere-pagina.md)) is checked like a
        page: reference, so a missing target is a file:line error here and not an MkDocs failure."""
        source = output_path(item.kind, item.id)
        published = {output_path(kind, i) for kind in ("page", "protocol", "letter", "table") for i in self.ids(kind)}
        published |= {output_path("role", i) for i in self.ids("role")} | {output_path("page", i) for i in GENERATED_PAGES}
        for offset, target in markup.file_links_in(text):
            resolved = posixpath.normpath(posixpath.join(posixpath.dirname(source), target))
            if resolved.endswith(".html"):
                resolved = resolved[:-5] + ".md"
            if resolved not in published:
                path, line = body_at(offset)
                page_ids = [i for i in self.ids("page")]
                hint = suggest(resolved[:-3], page_ids)
                self.problems.append(Problem(path, line, f"link '{target}' wijst naar een pagina die niet bestaat",
                                             hint or "gebruik een verwijzing als page:map/naam; Rolwijzer controleert die"))

    def walk_texts(self, item: Item, data: Any, loc: tuple = ()) -> None:
        if isinstance(data, str):
            self.check_text(item, loc, data)
        elif isinstance(data, dict):
            for key, value in data.items():
                if key not in ("source", "ref", "see", "id", "icon", "colour", "next", "who", "contacts", "contact", "call",
                               "stappenwijzer", "send_to", "roles", "sector", "sectors"):
                    self.walk_texts(item, value, loc + (key,))
        elif isinstance(data, list):
            for index, value in enumerate(data):
                self.walk_texts(item, value, loc + (index,))

    # the checks
    def run(self) -> None:
        variant, org_item = self.variant, self.variant.org
        for index, role_id in enumerate(self.org.hub):
            self.check_role(org_item, ("hub", index), role_id)
        for key in ("menu", "index"):
            for index, entry in enumerate(getattr(self.org, key)):
                self.check_ref(org_item, (key, index, "ref"), *markup.split_ref(entry.ref))
        for key in ("contacts", "footer"):
            for index, contact_id in enumerate(getattr(self.org, key)):
                self.check_contact(org_item, (key, index), contact_id)
        for index, hidden in enumerate(self.org.hide):
            if key_of_path(hidden) not in self.base_keys:
                self.error(org_item, ("hide", index), f"'{hidden}' is geen pad van een basisbestand", "bijv. protocols/naam.yml of content/map/pagina.md")
        self._check_colours()
        self.walk_texts(org_item, {"description": self.org.description, "red_line": self.org.red_line})
        for pack_item in variant.packs.values():  # the sector's act-now exceptions, in this organisation's words
            if pack_item.model is not None:
                self.walk_texts(pack_item, {"act_now_exceptions": pack_item.data.get("act_now_exceptions")})
        for item in self.every("role"):
            self._check_role(item)
        for item in self.every("protocol"):
            self._check_protocol(item)
        for item in self.every("page"):
            if item.model is not None:
                for index, role_id in enumerate(item.model.roles):
                    self.check_role(item, ("roles", index), role_id)
                self.walk_texts(item, {"summary": item.model.summary})
                for _, text, doc in item.body_parts():
                    self.check_text(item, (), text, body=True, doc=doc)
                if item.id in GENERATED_PAGES:
                    self.error(item, ("title",), f"pagina-id '{item.id}' is gereserveerd voor een pagina die Rolwijzer zelf maakt", "kies een andere bestandsnaam")
        for item in self.every("contact"):
            if item.model is not None:
                self.walk_texts(item, {"note": item.model.note})
        for item in self.variant.all("contact"):  # only what this organisation publishes
            if item.model is None or not item.model.required:
                continue
            empty = [wanted for wanted in item.model.required if not getattr(item.model, wanted)]
            if empty and len(empty) == len(item.model.required):
                fill = ", ".join(f"{w}:" for w in empty)
                self.todo(item, ("required",), f"geen {_common_noun(item.model.name)} ingevuld", f"vul {fill} in")
            else:
                for wanted in empty:
                    self.todo(item, ("required",), f"contact '{item.id}' heeft geen {_FIELD_NL[wanted]}", f"vul {wanted}: in")
        for item in self.every("contact"):
            if item.model is not None:
                for index, fallback in enumerate(item.model.fallback):
                    self.check_contact(item, ("fallback", index, "contact"), fallback.contact)
        self._check_routes_reach_someone()
        for item in self.every("letter"):
            self._check_letter(item)
        for item in self.every("table") + self.every("list"):
            if item.model is not None:
                self.walk_texts(item, {k: item.data.get(k) for k in ("intro", "outro", "summary", "items") if item.data.get(k)})
        for item in self.every("table"):
            if item.model is not None:
                keys = {c.key for c in item.model.columns}
                for index, row in enumerate(item.model.rows):
                    for key in row:
                        if key not in keys:
                            self.error(item, ("rows", index, key), f"kolom '{key}' bestaat niet in deze tabel", suggest(key, keys) or f"kolommen: {', '.join(sorted(keys))}")
        self._warnings()

    def _check_colours(self) -> None:
        org_item, branding = self.variant.org, self.org.branding
        for key, colour in (("primary", branding.primary), ("accent", branding.accent)):
            ratio = markup.contrast(colour, "#ffffff")
            if ratio < 4.5:
                self.error(org_item, ("branding", key), f"kleur '{colour}' heeft te weinig contrast met wit ({ratio:.2f}:1, nodig 4.5:1)", "kies een donkerdere kleur")
        if branding.logo and self.root is not None:
            logo = self.root / Path(org_item.origin.path).parent / branding.logo
            if not inside_project(logo, self.root):
                self.error(org_item, ("branding", "logo"), f"logo '{branding.logo}' is een symbolische link naar een bestand buiten het project",
                           "zet het logobestand zelf in de map van de organisatie")
            elif logo.suffix.lower() not in LOGO_SUFFIXES:
                self.error(org_item, ("branding", "logo"), f"logo '{branding.logo}' is geen afbeelding",
                           f"gebruik een {', '.join(sorted(LOGO_SUFFIXES))}-bestand")
            elif logo.suffix.lower() == ".svg" and logo.is_file() and _ACTIVE_SVG.search(logo.read_text(encoding="utf-8", errors="replace")):
                self.error(org_item, ("branding", "logo"), f"logo '{branding.logo}' bevat script, een on...=-attribuut of een javascript:-link",
                           "sla het logo op zonder script, of gebruik een png-bestand")
            elif not logo.is_file():
                self.error(org_item, ("branding", "logo"), f"logo '{branding.logo}' bestaat niet",
                           f"zet het bestand in {Path(org_item.origin.path).parent.as_posix()}/")
        for item in self.every("role"):
            if item.model is None:
                continue
            ratio = markup.contrast(item.model.colour, "#ffffff")
            if ratio < 4.5:
                self.error(item, ("colour",), f"kleur '{item.model.colour}' heeft te weinig contrast met witte tekst ({ratio:.2f}:1, nodig 4.5:1)", "kies een donkerdere kleur")

    def _check_role(self, item: Item) -> None:
        role = item.model
        if role is None:
            return
        if icon_path(role.icon) is None:
            self.error(item, ("icon",), f"icoon '{role.icon}' bestaat niet", "kies een naam uit de Material-iconen, bijv. material/account")
        for index, topic in enumerate(role.topics):
            self.check_ref(item, ("topics", index, "ref"), *markup.split_ref(topic.ref))
        for index, contact_id in enumerate(role.contacts):
            self.check_contact(item, ("contacts", index), contact_id)
        if role.act_now is not None:
            for index, contact_id in enumerate(role.act_now.call):
                self.check_contact(item, ("act_now", "call", index), contact_id)
            wizard = role.act_now.stappenwijzer
            if wizard:
                protocol = self.lookup("protocol", wizard)
                if protocol is None:
                    self.error(item, ("act_now", "stappenwijzer"), f"protocol '{wizard}' bestaat niet", suggest(wizard, self.ids("protocol")))
                elif protocol.model is not None and not any(step.questions for step in protocol.model.steps):
                    self.error(item, ("act_now", "stappenwijzer"), f"protocol '{wizard}' heeft geen beslisvragen, dus geen stappenwijzer",
                               "kies een protocol met questions:")
        self.walk_texts(item, {k: item.data.get(k) for k in ("intro", "tagline", "first_step", "actions", "act_now") if item.data.get(k)})

    def _check_protocol(self, item: Item) -> None:
        protocol = item.model
        if protocol is None:
            return
        ids = item_anchors(item)
        for index, role_id in enumerate(protocol.roles):
            self.check_role(item, ("roles", index), role_id)
        for l, lane in enumerate(protocol.lanes):
            self.check_role(item, ("lanes", l, "role"), lane.role)
            for i, entry in enumerate(lane.items):
                self.check_ref(item, ("lanes", l, "items", i, "ref"), *markup.split_ref(entry.ref))
        seen: set[str] = set()
        for s, step in enumerate(protocol.steps):
            for key in [step.id] + [q.id for q in step.questions]:
                if key in seen:
                    self.error(item, ("steps", s), f"id '{key}' komt twee keer voor", "geef elke stap en vraag een eigen id")
                seen.add(key)
            for w, role_id in enumerate(step.who):
                self.check_role(item, ("steps", s, "who", w), role_id)
            for c, contact_id in enumerate(step.contacts):
                self.check_contact(item, ("steps", s, "contacts", c), contact_id)
            for r, ref in enumerate(step.see):
                self.check_ref(item, ("steps", s, "see", r), *markup.split_ref(ref))
            if step.compare is not None:
                self.check_ref(item, ("steps", s, "compare", "ref"), *markup.split_ref(step.compare.ref))
            for q, question in enumerate(step.questions):
                for answer_key, answer in answers_of(question):
                    target = answer.next
                    loc = ("steps", s, "questions", q, answer_key)
                    if target and target not in ids:
                        self.error(item, loc + ("next",), f"volgende '{target}' bestaat niet in dit protocol", suggest(target, ids) or f"kies uit: {', '.join(sorted(ids))}")
                    if answer.outcome is not None:
                        for c, contact_id in enumerate(answer.outcome.contacts):
                            self.check_contact(item, loc + ("outcome", "contacts", c), contact_id)
        self._check_decision_paths(item)
        if protocol.send_to:
            self.check_contact(item, ("send_to",), protocol.send_to)
        if protocol.fields and protocol.kind != "formulier":
            self.error(item, ("fields",), "alleen een formulier heeft invulvelden", "zet kind: formulier")
        self.walk_texts(item, item.data)

    def _check_routes_reach_someone(self) -> None:
        """An empty contact (no phone, no e-mail) that a route sends people to needs a fallback."""
        used: dict[str, str] = {}
        for item in self.variant.all("protocol"):
            if item.model is None:
                continue
            for step in item.model.steps:
                for contact_id in step.contacts:
                    used.setdefault(contact_id, f"protocol '{item.id}', stap '{step.id}'")
                for question in step.questions:
                    for _, answer in answers_of(question):
                        for contact_id in (answer.outcome.contacts if answer.outcome else []):
                            used.setdefault(contact_id, f"protocol '{item.id}', vraag '{question.id}'")
        for contact_id in self.org.footer:
            used.setdefault(contact_id, "de voettekst van elke pagina")
        for contact_id, where in used.items():
            item = self.variant.get("contact", contact_id)
            if item is None or item.model is None or item.model.reachable or item.model.fallback:
                continue
            self.warn(item, ("name",), f"contact '{contact_id}' heeft geen telefoon of e-mail en geen fallback, maar {where} stuurt mensen erheen",
                      "vul phone: of email: in, of zet fallback: met een contact dat wel werkt (en wanneer)")

    def _check_decision_paths(self, item: Item) -> None:
        """Every path through the decision questions ends in an outcome (what you do now, whom you
        call), and no path runs in a circle: both are errors."""
        questions = {q.id: (s, i, q) for s, step in enumerate(item.model.steps) for i, q in enumerate(step.questions)}
        for qid, (s, i, question) in questions.items():
            for answer_key, answer in answers_of(question):
                if answer.next in questions or answer.outcome is not None:
                    continue
                if answer.next and answer.next not in item_anchors(item):  # a wrong next: reported there, no follow-on
                    continue
                label = {"yes": "ja", "no": "nee", "doubt": "weet ik niet"}[answer_key]
                self.error(item, ("steps", s, "questions", i, answer_key),
                           f"het antwoord '{label}' op vraag '{qid}' eindigt zonder uitkomst",
                           "zet onder het antwoord outcome: met kind: (melden, intern-melden, hulp, afsluiten, ...) en contacts:")
        state: dict[str, int] = {}

        def visit(qid: str) -> bool:
            state[qid] = 1
            for _, answer in answers_of(questions[qid][2]):
                nxt = answer.next
                if nxt in questions and (state.get(nxt) == 1 or (nxt not in state and visit(nxt))):
                    return True
            state[qid] = 2
            return False

        for qid, (s, i, _) in questions.items():
            if qid not in state and visit(qid):
                self.error(item, ("steps", s, "questions", i), f"de vragen vanaf '{qid}' lopen in een kring", "laat elk pad eindigen in een uitkomst")
                return

    def _check_letter(self, item: Item) -> None:
        meta = item.model
        if meta is None:
            return
        for name, placeholder in meta.placeholders.items():
            if placeholder.from_ and lookup_dotted(self.context, placeholder.from_) is MISSING:
                self.error(item, ("placeholders", name, "from"), f"gegeven '{placeholder.from_}' bestaat niet", "bijv. org.name of org.terms.<woord>")
        extra = {name: f"[{p.label}]" for name, p in meta.placeholders.items()}
        for _, text, doc in item.body_parts():
            self.check_text(item, (), text, body=True, extra=extra, doc=doc)

    def _warnings(self) -> None:
        for kind, items in self.variant.unused.items():
            for item in items.values():
                if item.origin.org == self.variant.slug:  # the organisation's own file that its site does not show
                    label = BY_NAME[kind].label
                    self.warn(item, (), f"niets verwijst naar {label} '{item.id}': hij staat niet op de site",
                              "zet hem bij een rol (topics:), in het menu of in index:, of verwijs ernaar")
        org_item = self.variant.org
        for index, open_item in enumerate(self.org.open_items):
            self.todo(org_item, ("open_items", index), f"te bevestigen: {open_item.text}")
        if not self.org.branding.logo:
            self.todo(org_item, ("branding",), "geen logo ingevuld", "zet het logobestand in de map van de organisatie en vul branding.logo: in")
        if not self.org.site_url:
            self.todo(org_item, (), "geen site_url ingevuld: rolkaarten en posters krijgen geen QR-code",
                      "vul site_url: in org.yml, of bouw met 'rolwijzer build --site-url URL'")


def _common_noun(name: str) -> str:
    """'Vertrouwenscontactpersoon' -> 'vertrouwenscontactpersoon'; 'Veilig Thuis' stays a name."""
    words = name.split()
    if any(word[:1].isupper() for word in words[1:]):
        return name
    return name[:1].lower() + name[1:]


_FIELD_NL = {"phone": "telefoonnummer", "email": "e-mailadres", "url": "website", "name": "naam"}
