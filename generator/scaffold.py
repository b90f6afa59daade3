"""new-org: scaffold an organisation overlay from a template per sector, so that `rolwijzer build
--org SLUG` works at once and `rolwijzer check` lists what the organisation still has to fill in."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path

import jinja2

from .load import Roots

SLUG = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
SECTORS = ("onderwijs", "kinderopvang", "zorg", "training")  # the sector packs in sectors/
OLD_NAMES = {"school": "onderwijs"}  # accepted on the command line, written as the pack id
RESERVED = {"handleiding"}  # site/handleiding/ holds the customisation guide


@dataclass(frozen=True)
class Sector:
    hub: tuple[str, ...]
    titles: dict[str, tuple[str, str]]  # base role id -> (title, tagline) in this sector's words
    terms: dict[str, str]
    contacts: tuple[tuple[str, str, str], ...]  # (id, name, function) of contacts the organisation fills in


SCHOOL_TERMS = {"locatie": "school", "de_locatie": "de school", "onze_locatie": "onze school", "kinderen": "leerlingen",
                "dossiersysteem": "het leerlingvolgsysteem", "bevoegd_gezag": "het schoolbestuur",
                "melder_veilig_thuis": "de aandachtsfunctionaris, samen met de directeur"}

SECTOR_TEMPLATES = {
    "onderwijs": Sector(
        hub=("kinderen", "ouders", "contactpersoon", "vertrouwenspersoon", "leerkracht", "ondersteunend-personeel",
             "externe-professionals", "manager-sociale-veiligheid", "aandachtsfunctionaris"),
        titles={}, terms=SCHOOL_TERMS,
        contacts=(("contactpersoon", "Contactpersoon", "Interne contactpersoon voor vragen en klachten"),
                  ("vertrouwenspersoon", "Externe vertrouwenspersoon", "Onafhankelijk aanspreekpunt bij klachten"))),
    "kinderopvang": Sector(
        hub=("kinderen", "ouders", "vertrouwenspersoon", "leerkracht", "ondersteunend-personeel", "externe-professionals",
             "manager-sociale-veiligheid", "aandachtsfunctionaris"),
        titles={"leerkracht": ("Pedagogisch medewerker", "Je werkt elke dag met de kinderen in de groep."),
                "manager-sociale-veiligheid": ("Locatiemanager", "Je bent eindverantwoordelijk voor de veiligheid op de locatie.")},
        terms={"locatie": "locatie", "de_locatie": "de locatie", "onze_locatie": "onze locatie", "kinderen": "kinderen",
               "dossiersysteem": "het kinddossier", "bevoegd_gezag": "de houder",
               "melder_veilig_thuis": "de aandachtsfunctionaris, samen met de locatiemanager"},
        contacts=(("vertrouwenspersoon", "Externe vertrouwenspersoon", "Onafhankelijk aanspreekpunt bij klachten"),)),
    "zorg": Sector(
        hub=("leerkracht", "ondersteunend-personeel", "manager-sociale-veiligheid", "aandachtsfunctionaris", "vertrouwenspersoon"),
        titles={"leerkracht": ("Zorgverlener", "Je werkt elke dag met cliënten."),
                "ondersteunend-personeel": ("Andere medewerker of vrijwilliger", "Je werkt mee, bijvoorbeeld bij de receptie, in de keuken of als vrijwilliger."),
                "manager-sociale-veiligheid": ("Leidinggevende", "Je zorgt voor een veilig werk- en leerklimaat in je team.")},
        terms={"locatie": "zorgorganisatie", "de_locatie": "de zorgorganisatie", "onze_locatie": "onze zorgorganisatie",
               "kinderen": "cliënten", "dossiersysteem": "het cliëntdossier", "bevoegd_gezag": "de bestuurder",
               "melder_veilig_thuis": "de aandachtsfunctionaris"},
        contacts=(("vertrouwenspersoon", "Vertrouwenspersoon", "Aanspreekpunt voor cliënten en medewerkers"),)),
    "training": Sector(
        hub=("leerkracht", "ondersteunend-personeel", "manager-sociale-veiligheid", "vertrouwenspersoon"),
        titles={"leerkracht": ("Trainer", "Je werkt met de deelnemers."),
                "ondersteunend-personeel": ("Medewerker of stagiair", "Je werkt mee in de organisatie."),
                "manager-sociale-veiligheid": ("Directie", "Je bent eigenaar van het beleid en neemt meldingen aan."),
                "vertrouwenspersoon": ("Vertrouwenscontactpersoon", "Je bent het aanspreekpunt voor wie iets wil bespreken.")},
        terms={"locatie": "organisatie", "de_locatie": "de organisatie", "onze_locatie": "onze organisatie",
               "kinderen": "deelnemers", "dossiersysteem": "het deelnemersdossier", "bevoegd_gezag": "de directie",
               "melder_veilig_thuis": "de directie"},
        contacts=(("vertrouwenspersoon", "Vertrouwenscontactpersoon", "Aanspreekpunt voor wie iets wil bespreken"),)),
}

TEMPLATES = jinja2.Environment(loader=jinja2.PackageLoader("generator", "templates/new-org"), keep_trailing_newline=True,
                               undefined=jinja2.StrictUndefined)


class ScaffoldError(Exception):
    """A refused new-org (bad or existing slug); the message says why and what to do."""


def new_org(roots: Roots, slug: str, name: str, sector: str, today: dt.date | None = None) -> list[Path]:
    """Write orgs/<slug>/ for a new organisation; returns the files written."""
    if not SLUG.match(slug):
        raise ScaffoldError(f"'{slug}' is geen geldige naam voor een organisatie: gebruik kleine letters, cijfers en '-', "
                            "bijvoorbeeld 'basisschool-de-linde'")
    if slug in RESERVED:
        raise ScaffoldError(f"'{slug}' is gereserveerd (site/{slug}/ is de handleiding); kies een andere naam")
    target = roots.org_dir(slug)
    if target.exists():
        raise ScaffoldError(f"organisatie '{slug}' bestaat al ({target.relative_to(roots.project)}); kies een andere naam")
    sector = OLD_NAMES.get(sector, sector)
    if sector not in SECTOR_TEMPLATES:
        raise ScaffoldError(f"onbekende sector '{sector}': kies uit {', '.join(SECTORS)}")
    template = SECTOR_TEMPLATES[sector]
    today = today or dt.date.today()
    files = {
        "org.yml": TEMPLATES.get_template("org.yml.j2").render(
            slug=slug, name=name, sector=sector, hub=template.hub, terms=template.terms,
            contacts=[c[0] for c in template.contacts], today=today.isoformat(),
            next_review=today.replace(year=today.year + 1).isoformat()),
    }
    for contact_id, contact_name, function in template.contacts:
        files[f"contacts/{contact_id}.yml"] = TEMPLATES.get_template("contact.yml.j2").render(name=contact_name, function=function)
    for role_id, (title, tagline) in template.titles.items():
        files[f"roles/{role_id}.yml"] = TEMPLATES.get_template("role.yml.j2").render(title=title, tagline=tagline, sector=sector)
    written = []
    for rel, text in files.items():
        path = target / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        written.append(path)
    return written
