"""Resolve: base documents + one organisation's overlay -> one Variant (raw, merged data).

The overlay rule, written once: a file at the same relative path as a base file replaces fields of
it. Mappings merge key by key; lists, text and numbers replace as a whole. A Markdown overlay page
replaces the body when it has one. A new path adds a file. `hide:` in org.yml removes base files.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from pydantic import BaseModel

from .kinds import BY_NAME, KINDS
from .load import SourceDoc


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
    items: dict[str, dict[str, Item]] = field(default_factory=dict)  # kind -> id -> Item
    hidden: list[str] = field(default_factory=list)

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
    return variant


def key_of_path(path: str) -> tuple[str, str] | None:
    """'protocols/x.yml' -> ('protocol', 'x')."""
    for kind in KINDS:
        prefix = kind.folder + "/"
        if path.startswith(prefix) and path.endswith(kind.suffix):
            return kind.name, path[len(prefix):-len(kind.suffix)]
    return None

