"""Provenance: every `source:` must fit its layer. An organisation cites its own documents (org.yml
`documents:`); the base and a sector pack cite a national source or more than one organisation's
document; no organisation publishes a page whose only sources are another organisation's documents.
Warnings (errors with `check --strict`), at the `source:` line."""

from __future__ import annotations

import re

from .kinds import BY_NAME, ORGANISATION
from .load import SourceDoc
from .problems import Problem
from .resolve import Variant


SEED_FILE = re.compile(r"\b\d{3}_[0-9a-f]{16}\.txt\b")


def cited(source: str) -> tuple[set[str], bool]:
    """(seed documents a `source:` names, whether it also names a source that is no seed line,
    such as a law and article or the national basismodel)."""
    seeds = set(SEED_FILE.findall(source))
    national = any(part.strip() and not SEED_FILE.search(part) for part in re.split(r";", source))
    return seeds, national


def check_sources(docs: list[SourceDoc], variants: dict[str, Variant]) -> list[Problem]:
    """Provenance: every `source:` must fit its layer. An organisation cites its own documents (org.yml
    `documents:`); the base and a sector pack cite what is true beyond one organisation; no
    organisation publishes a page whose only sources are another organisation's documents."""
    owner: dict[str, str] = {}
    for doc in docs:
        if doc.kind == ORGANISATION.name:
            for name in doc.data.get("documents") or []:
                owner[str(name)] = doc.id
    found: list[Problem] = []

    def warn(doc: SourceDoc, message: str, hint: str) -> None:
        found.append(Problem(doc.path, doc.line(("source",)), message, hint, severity="waarschuwing"))

    for doc in docs:
        source = doc.data.get("source")
        if not isinstance(source, str) or doc.kind == ORGANISATION.name and doc.org is None:
            continue
        seeds, national = cited(source)
        owners = {owner[s] for s in seeds if s in owner}
        if doc.org is not None:
            foreign = sorted(s for s in seeds if owner.get(s, doc.org) != doc.org)
            if foreign:
                warn(doc, f"bron {foreign[0]} is het document van {owner[foreign[0]]}, niet van {doc.org}",
                     "een organisatie noemt alleen haar eigen documenten (documents: in org.yml) of een landelijke bron")
        elif len(owners) == 1 and not national and doc.kind in BY_NAME:
            (only,) = owners
            layer = f"het sectorpakket '{doc.sector}'" if doc.sector else "de basis"
            warn(doc, f"{layer} noemt alleen het document van {only} als bron",
                 f"wat alleen voor {only} geldt hoort in orgs/{only}/; noem anders een landelijke bron (wet en artikel, basismodel meldcode)")
    for slug, variant in variants.items():
        for items in variant.items.values():
            for item in items.values():
                seeds: set[str] = set()
                national = False
                for doc in item.docs:
                    if isinstance(doc.data.get("source"), str):
                        more, nat = cited(doc.data["source"])
                        seeds |= more
                        national |= nat
                owners = {owner[s] for s in seeds if s in owner}
                if owners and slug not in owners and not national:
                    doc = item.docs[-1]
                    label = BY_NAME[item.kind].label
                    found.append(Problem(doc.path, doc.line(("source",)),
                                         f"{slug} publiceert {label} '{item.id}' met alleen bronnen van {', '.join(sorted(owners))}",
                                         f"schrijf een eigen versie in orgs/{slug}/ uit het eigen document, of verberg hem (hide:)",
                                         severity="waarschuwing"))
    return found


def check_act_now_sources(docs: list[SourceDoc]) -> list[Problem]:
    """The sources inside act-now blocks fit their layer too: a sector pack's exception cites more than
    one organisation's document or a national source; an organisation's act_now cites its own."""
    owner = {str(name): doc.id for doc in docs if doc.kind == ORGANISATION.name for name in doc.data.get("documents") or []}
    found: list[Problem] = []
    for doc in docs:
        if doc.kind == "sector":
            for index, entry in enumerate(doc.data.get("act_now_exceptions") or []):
                source = entry.get("source") if isinstance(entry, dict) else None
                if not isinstance(source, str):
                    continue
                seeds, national = cited(source)
                owners = {owner[s] for s in seeds if s in owner}
                if len(owners) == 1 and not national:
                    found.append(Problem(doc.path, doc.line(("act_now_exceptions", index, "source")),
                                         f"het sectorpakket '{doc.sector}' noemt alleen het document van {owners.pop()} als bron",
                                         "wat alleen voor één organisatie geldt hoort in haar eigen act_now: exceptions:; "
                                         "noem anders een landelijke bron", severity="waarschuwing"))
        elif doc.kind == "role" and doc.org is not None and isinstance(doc.data.get("act_now"), dict):
            source = doc.data["act_now"].get("source")
            if isinstance(source, str):
                foreign = sorted(s for s in cited(source)[0] if owner.get(s, doc.org) != doc.org)
                if foreign:
                    found.append(Problem(doc.path, doc.line(("act_now", "source")),
                                         f"bron {foreign[0]} is het document van {owner[foreign[0]]}, niet van {doc.org}",
                                         "een organisatie noemt alleen haar eigen documenten (documents: in org.yml) of een landelijke bron",
                                         severity="waarschuwing"))
    return found
