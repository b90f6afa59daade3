"""Resolve: the layer chain -> one Variant (raw, merged data). This stage alone knows the layers.

The chain: the national base, then the sector packs the organisation names in `sectors:` (in that
order), then the organisation's overlay. One rule at every layer: a file at the same relative path
as a file of an earlier layer replaces fields of it. Mappings merge key by key; lists, text and
numbers replace as a whole. A Markdown page replaces the body when it has one. A new path adds a
file. `hide:` in org.yml removes files of the base and the packs.

Two packs of one organisation (onderwijs and kinderopvang) do not replace each other: a page both
hold is published once with each pack's text in its own sector block (the reader's sector choice
shows one); a YAML file both hold must be settled by the organisation's own file at that path.

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
    sector_parts: list[SourceDoc] = field(default_factory=list)  # one page from two packs: each pack's body
    pack_clash: list[SourceDoc] = field(default_factory=list)  # one YAML file from two packs, not settled

    def body_parts(self) -> list[tuple[str | None, str, SourceDoc]]:
        """(pack, Markdown body, the file it is in): one part, or one per sector pack."""
        if self.sector_parts:
            return [(doc.sector, doc.body, doc) for doc in self.sector_parts]
        return [(None, self.body, self.body_doc)]

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
    packs: dict[str, Item] = field(default_factory=dict)  # the organisation's sector packs, in its order
    items: dict[str, dict[str, Item]] = field(default_factory=dict)  # kind -> id -> Item (what is published)
    hidden: list[str] = field(default_factory=list)
    unused: dict[str, dict[str, Item]] = field(default_factory=dict)  # available but nothing reaches it
    site_url: str = ""  # the public address of the site, ending in '/' (org.yml or `--site-url`); '' when unknown

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
    packs = [p for p in org_doc.data.get("sectors") or [] if isinstance(p, str)]
    variant = Variant(slug, org, {}, {kind.name: {} for kind in KINDS}, hidden)
    for doc in docs:
        if doc.kind == "sector" and doc.sector in packs:
            variant.packs[doc.sector] = Item("sector", doc.sector, doc.data, "", [doc])
    variant.packs = {p: variant.packs[p] for p in packs if p in variant.packs}
    chain = [[d for d in docs if d.org is None and d.sector is None]]
    chain += [[d for d in docs if d.sector == pack] for pack in packs]
    chain.append([d for d in docs if d.org == slug])
    for layer in chain:
        for doc in layer:
            if doc.kind not in BY_NAME or (doc.org is None and (doc.kind, doc.id) in hidden_keys):
                continue
            _apply(variant.items[doc.kind], doc)
    _keep_reachable(variant)
    return variant


def _apply(items: dict[str, Item], doc: SourceDoc) -> None:
    """Lay one file over what the earlier layers gave for its path."""
    earlier = items.get(doc.id)
    if earlier is None:
        items[doc.id] = Item(doc.kind, doc.id, doc.data, doc.body, [doc])
        return
    body = doc.body if doc.body.strip() else earlier.body
    item = Item(doc.kind, doc.id, merge(earlier.data, doc.data), body, earlier.docs + [doc],
                sector_parts=list(earlier.sector_parts), pack_clash=list(earlier.pack_clash))
    other_pack = next((d for d in earlier.docs if d.sector and d.sector != doc.sector), None) if doc.sector else None
    if other_pack is not None:  # a second sector pack at the same path: side by side, not replacing
        if BY_NAME[doc.kind].markdown and doc.body.strip():
            item.sector_parts = item.sector_parts or [d for d in earlier.docs if d.sector and d.body.strip()][-1:]
            item.sector_parts.append(doc)
        elif not BY_NAME[doc.kind].markdown:
            item.pack_clash = [other_pack, doc]
    elif doc.org is not None:
        item.pack_clash = []  # the organisation's own file settles it
        if doc.body.strip():
            item.sector_parts = []
    items[doc.id] = item


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
            elif key in ("contacts", "contact", "call", "send_to"):  # a step's or outcome's contacts, a fallback, act_now's call
                found.append(("contact", value, True))
            elif key == "stappenwijzer":  # act_now: the protocol whose stappenwijzer it opens
                found.append(("protocol", value, True))
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

