"""Whom to call: how one contact can be reached, in one place for every output (contact page,
protocol steps, stappenwijzer, role cards, footer). An empty contact never appears as a route:
the output says it is not filled in yet and points to the fallbacks that work."""

from __future__ import annotations

from dataclasses import dataclass, field

from . import markup
from .resolve import Variant


@dataclass(frozen=True)
class Reach:
    id: str
    name: str
    function: str
    phone: str = ""
    tel: str = ""  # dialable: digits and an optional leading +
    email: str = ""
    url: str = ""
    fallbacks: list["Reach"] = field(default_factory=list)
    when: str = ""  # for a fallback: when you use it

    @property
    def reachable(self) -> bool:
        return bool(self.phone or self.email or self.url)

    @property
    def short(self) -> str:
        """The one line a card has room for: phone, else e-mail, else website."""
        return self.phone or self.email or self.url.split("://", 1)[-1].rstrip("/")


def reach(variant: Variant, contact_id: str, context: dict | None = None, _seen: tuple[str, ...] = ()) -> Reach:
    contact = variant.get("contact", contact_id).model
    function = markup.fill(contact.function, context) if context is not None else contact.function
    fallbacks = []
    if not contact.reachable:
        for fallback in contact.fallback:
            if fallback.contact in _seen or variant.get("contact", fallback.contact) is None:
                continue
            target = reach(variant, fallback.contact, context, _seen + (contact_id,))
            fallbacks.append(Reach(**{**target.__dict__, "when": fallback.when}))
    return Reach(contact_id, contact.name, function, contact.phone, markup.tel_href(contact.phone) if contact.phone else "",
                 contact.email, contact.url, fallbacks)


def not_filled_in(org_name: str) -> str:
    return f"nog niet ingevuld door {org_name}"
