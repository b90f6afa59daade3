"""Resolve: base documents + one organisation's overlay -> one Variant (raw, merged data).

The overlay rule, written once: a file at the same relative path as a base file replaces fields of
it. Mappings merge key by key; lists, text and numbers replace as a whole. A Markdown overlay page
replaces the body when it has one. A new path adds a file. `hide:` in org.yml removes base files.

A variant holds what its organisation uses: everything reachable from its hub, menu, protocol
index and contact list, following every reference. So a care organisation does not publish a
school's protocols just because they are in the shared base.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from pydantic import BaseModel

import re

from .kinds import BY_NAME, GENERATED_PAGES, KINDS
from .load import SourceDoc

_TEXT_REF = re.compile(r"\]\((page|protocol|role|contact|letter|table):([^)\s#]+)")
_TEXT_CALL = re.compile(r"\b(contact|table|list|role)\(\s*['\"]([^'\"]+)['\"]\s*\)")


def merge(base: Any, overlay: Any) -> Any:
    """Overlay wins; mappings merge key by key, everything else replaces."""
    if isinstance(base, dict) and isinstance(overlay, dict):
        merged = dict(base)
        for key, value in overlay.items():
            merged[key] = merge(base[key], value) if key in base else value
        return merged
    return overlay


@dataclass
class Item:
    """One resolved content item: its merged data, typed model (after validation) and origins."""

    kind: str
    id: str
    data: dict
    body: str
    docs: list[SourceDoc]  # base first, overlay last
    model: BaseModel | None = None

    @property
    def body_doc(self) -> SourceDoc:
        for doc in reversed(self.docs):
            if doc.body.strip() or doc is self.docs[0]:
                return doc
        return self.docs[0]

    @property
    def origin(self) -> SourceDoc:
        return self.docs[-1]

    @property
    def overridden(self) -> bool:
        return len(self.docs) > 1

    def where(self, loc: tuple = ()) -> tuple[str, int]:
        """(path, line) of a key path: the overlay's line when the overlay sets it, else the base's."""
        loc = tuple(loc)
        for doc in reversed(self.docs):
            probe = loc
            while probe:
                if probe in doc.lines:
                    return doc.path, doc.lines[probe]
                probe = probe[:-1]
        doc = self.docs[-1]
        return doc.path, doc.line(())

    def body_where(self, offset: int) -> tuple[str, int]:
        doc = self.body_doc
        return doc.path, doc.body_line + offset


@dataclass
class Variant:
    slug: str
    org: Item
    items: dict[str, dict[str, Item]] = field(default_factory=dict)  # kind -> id -> Item (what is published)
    hidden: list[str] = field(default_factory=list)
    unused: dict[str, dict[str, Item]] = field(default_factory=dict)  # available but nothing reaches it

    def get(self, kind: str, item_id: str) -> Item | None:
        return self.items.get(kind, {}).get(item_id)

    def all(self, kind: str) -> list[Item]:
        return list(self.items.get(kind, {}).values())


def resolve(docs: list[SourceDoc], slug: str) -> Variant:
    """Apply organisation `slug`'s overlay to the base. Models are filled in by validate."""
    org_doc = next(d for d in docs if d.kind == "organisation" and d.org == slug)
    org = Item("organisation", slug, org_doc.data, "", [org_doc])
    hidden = [h for h in org_doc.data.get("hide", []) or [] if isinstance(h, str)]
    hidden_keys = {key_of_path(h) for h in hidden}
    variant = Variant(slug, org, {kind.name: {} for kind in KINDS}, hidden)
    for doc in docs:
        if doc.org is None and doc.kind in BY_NAME and (doc.kind, doc.id) not in hidden_keys:
            variant.items[doc.kind][doc.id] = Item(doc.kind, doc.id, doc.data, doc.body, [doc])
    for doc in docs:
        if doc.org != slug or doc.kind not in BY_NAME:
            continue
        base = variant.items[doc.kind].get(doc.id)
        if base is None:
            variant.items[doc.kind][doc.id] = Item(doc.kind, doc.id, doc.data, doc.body, [doc])
        else:
            body = doc.body if doc.body.strip() else base.body
            variant.items[doc.kind][doc.id] = Item(doc.kind, doc.id, merge(base.data, doc.data), body, base.docs + [doc])
    _keep_reachable(variant)
    return variant


def references(data: object, body: str = "") -> list[tuple[str, str, bool]]:
    """(kind, id, follow) for every reference in an item's data and body. `follow` is False for a
    role named only for its label (`who:`, `roles:`): its own topics are not pulled in."""
    found: list[tuple[str, str, bool]] = []

    def walk(value: object, key: str = "") -> None:
        if isinstance(value, dict):
            for k, v in value.items():
                walk(v, str(k))
        elif isinstance(value, list):
            for v in value:
                walk(v, key)
        elif isinstance(value, str):
            if key in ("ref", "see") and ":" in value:
                kind, _, rest = value.partition(":")
                found.append((kind, rest.split("#", 1)[0], True))
            elif key == "contacts":
                found.append(("contact", value, True))
            elif key in ("who", "roles"):
                found.append(("role", value, False))
            elif key == "hub":
                found.append(("role", value, True))
            else:
                text(value)

    def text(value: str) -> None:
        found.extend((kind, item_id, True) for kind, item_id in _TEXT_REF.findall(value))
        found.extend((kind, item_id, kind != "role") for kind, item_id in _TEXT_CALL.findall(value))

    walk(data)
    text(body)
    return found


def _keep_reachable(variant: Variant) -> None:
    org_data = {k: variant.org.data.get(k) for k in ("hub", "menu", "index", "contacts", "description", "red_line")}
    org_data["footer"] = [{"contacts": c} for c in variant.org.data.get("footer") or [] if isinstance(c, str)]
    queue = [(k, i, f) for k, i, f in references(org_data) if not (k == "page" and i in GENERATED_PAGES)]
    kept: set[tuple[str, str]] = set()
    followed: set[tuple[str, str]] = set()
    while queue:
        kind, item_id, follow = queue.pop()
        item = variant.items.get(kind, {}).get(item_id)
        if item is None:
            continue
        kept.add((kind, item_id))
        if follow and (kind, item_id) not in followed:
            followed.add((kind, item_id))
            queue += references(item.data, item.body)
    for kind, items in variant.items.items():
        variant.unused[kind] = {i: item for i, item in items.items() if (kind, i) not in kept}
        variant.items[kind] = {i: item for i, item in items.items() if (kind, i) in kept}


def key_of_path(path: str) -> tuple[str, str] | None:
    """'protocols/x.yml' -> ('protocol', 'x')."""
    for kind in KINDS:
        prefix = kind.folder + "/"
        if path.startswith(prefix) and path.endswith(kind.suffix):
            return kind.name, path[len(prefix):-len(kind.suffix)]
    return None

