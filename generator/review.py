"""review: every document's owner, version, date and next review date per organisation, most
urgent first; overdue documents are flagged (and fail `--fail-overdue`)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from .load import Roots, load
from .validate import validate


@dataclass(frozen=True)
class Row:
    org: str
    path: str
    title: str
    owner: str
    version: str
    date: dt.date | None
    next_review: dt.date | None
    overdue: bool


def review(roots: Roots, orgs: list[str] | None, today: dt.date) -> list[Row]:
    """The organisation document of each variant, plus every published file with its own `document:`."""
    project = validate(load(roots), orgs, roots.project)
    rows = []
    for slug, variant in sorted(project.variants.items()):
        org = variant.org.model
        rows.append(_row(slug, variant.org.origin.path, org.name, org.document, org.document, today))
        for items in variant.items.values():
            for item in items.values():
                own = getattr(item.model, "document", None)
                if own is not None:
                    title = getattr(item.model, "title", None) or getattr(item.model, "name", item.id)
                    rows.append(_row(slug, item.origin.path, title, own, org.document, today))
    far = dt.date.max
    return sorted(rows, key=lambda r: (r.next_review or far, r.org, r.path))


def _row(slug: str, path: str, title: str, own, fallback, today: dt.date) -> Row:  # noqa: ANN001
    value = lambda key: getattr(own, key, None) or getattr(fallback, key, None)  # noqa: E731
    next_review = value("next_review")
    return Row(slug, path, title, value("owner") or "", value("version") or "", value("date"), next_review,
               bool(next_review and next_review < today))


def format_review(rows: list[Row]) -> str:
    def day(value: dt.date | None) -> str:
        return value.strftime("%d-%m-%Y") if value else "-"

    lines = [f"{'status':<9} {'herzien vóór':<13} {'organisatie':<20} {'eigenaar':<26} {'versie':<7} {'datum':<11} document"]
    for row in rows:
        status = "VERLOPEN" if row.overdue else ("geen" if not row.next_review else "ok")
        lines.append(f"{status:<9} {day(row.next_review):<13} {row.org:<20} {row.owner[:25]:<26} {row.version[:6]:<7} "
                     f"{day(row.date):<11} {row.title} ({row.path})")
    return "\n".join(lines) + "\n"
