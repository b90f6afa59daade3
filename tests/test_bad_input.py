"""Bad input: each case states its whole changed input and pins the exact message line."""

from __future__ import annotations

import pytest

from generator.load import Roots
from generator.pipeline import check
from generator.problems import ContentError

CASES = [
    pytest.param(
        {"roles/leerkracht.yml": """
            titel: Leerkracht
            colour: "#1b5e20"
            source: "003_9a54ac296a9565ce.txt:1098"
            """},
        ["roles/leerkracht.yml:1: onbekend veld 'titel' (bedoelde je 'title'?)",
         "roles/leerkracht.yml:1: verplicht veld 'title' ontbreekt"],
        id="misspelt-key",
    ),
    pytest.param(
        {"orgs/voorbeeld/org.yml": """
            name: Voorbeeldschool
            sector: school
            source: "003_9a54ac296a9565ce.txt:1"
            branding:
              primary: blauw
            hub: [leerkracht]
            """},
        ["orgs/voorbeeld/org.yml:5: kleur 'blauw' is geen geldige hex-kleur (verwacht #RRGGBB)"],
        id="bad-colour",
    ),
    pytest.param(
        {"orgs/voorbeeld/roles/leerkracht.yml": """
            colour: "#ffd54f"
            """},
        ["orgs/voorbeeld/roles/leerkracht.yml:1: kleur '#ffd54f' heeft te weinig contrast met witte tekst (1.41:1, nodig 4.5:1) (kies een donkerdere kleur)"],
        id="colour-contrast",
    ),
    pytest.param(
        {"orgs/voorbeeld/roles/leerkracht.yml": """
            topics:
              - label: Signaleren
                ref: page:meldcode/signaleer
            """},
        ["orgs/voorbeeld/roles/leerkracht.yml:3: pagina 'meldcode/signaleer' bestaat niet (verwijzing 'page:meldcode/signaleer') (bedoelde je 'meldcode/signaleren'?)"],
        id="unknown-topic",
    ),
    pytest.param(
        {"content/meldcode/uitleg.md": """
            ---
            title: Uitleg
            source: "003_9a54ac296a9565ce.txt:3630"
            ---
            Eerste regel.

            Lees [stap 9](protocol:meldcode#stap-9) en [de brief](letter:ouderbrieff).
            """},
        ["content/meldcode/uitleg.md:7: anker '#stap-9' bestaat niet in protocol 'meldcode'",
         "content/meldcode/uitleg.md:7: brief 'ouderbrieff' bestaat niet (verwijzing 'letter:ouderbrieff') (bedoelde je 'ouderbrief'?)"],
        id="broken-links-in-body",
    ),
    pytest.param(
        {"orgs/voorbeeld/content/uitleg.md": """
            ---
            title: Uitleg
            source: "003_9a54ac296a9565ce.txt:3630"
            ---
            Schrijf het op.

            Gebruik {{ org.terms.volgsysteem }}.
            """},
        ["orgs/voorbeeld/content/uitleg.md:7: onbekende term 'volgsysteem' (zet 'volgsysteem: ...' onder terms: in org.yml van de organisatie)"],
        id="unknown-term",
    ),
    pytest.param(
        {"contacts/ggd.yml": """
            name: GGD
            phone: "088 - 308 33 42
            source: "003_9a54ac296a9565ce.txt:4853"
            """},
        ["contacts/ggd.yml:3: ongeldige YAML: onverwachte tekst op deze regel (klopt de inspringing?) (controleer inspringing, ':' en aanhalingstekens)"],
        id="yaml-syntax",
    ),
    pytest.param(
        {"orgs/voorbeeld/protocols/meldcode.yml": """
            steps:
              - id: signalen
                title: Breng signalen in kaart
                contacts: [veilig-thuiss]
                questions:
                  - id: vermoeden
                    question: Is er een vermoeden?
                    yes: {text: Ga door., next: veiligheidd}
                    no: {text: Sluit af.}
              - id: overleg
                title: Overleg met een collega
            """},
        ["orgs/voorbeeld/protocols/meldcode.yml:4: contact 'veilig-thuiss' is onbekend (bedoelde je 'veilig-thuis'?)",
         "orgs/voorbeeld/protocols/meldcode.yml:8: volgende 'veiligheidd' bestaat niet in dit protocol (kies uit: overleg, signalen, vermoeden)"],
        id="protocol-references",
    ),
    pytest.param(
        {"orgs/voorbeeld/org.yml": """
            name: Voorbeeldschool
            sector: scholen
            source: "003_9a54ac296a9565ce.txt:1"
            hub: [leerkracht, directeur]
            hide: [protocols/bestaat-niet.yml]
            """},
        ["orgs/voorbeeld/org.yml:2: 'sector' heeft waarde 'scholen'; verwacht een van: 'school', 'kinderopvang', 'zorg' of 'training'"],
        id="org-enum",
    ),
    pytest.param(
        {"orgs/voorbeeld/org.yml": """
            name: Voorbeeldschool
            sector: school
            source: "003_9a54ac296a9565ce.txt:1"
            hub: [leerkracht, directeur]
            hide: [protocols/bestaat-niet.yml]
            terms: {dossiersysteem: ParnasSys}
            """},
        ["orgs/voorbeeld/org.yml:4: rol 'directeur' bestaat niet (maak roles/directeur.yml)",
         "orgs/voorbeeld/org.yml:5: 'protocols/bestaat-niet.yml' is geen pad van een basisbestand (bijv. protocols/naam.yml of content/map/pagina.md)"],
        id="org-hub-and-hide",
    ),
]


# --- content never runs code: texts are sandboxed ---------------------------------------------
CASES += [
    pytest.param(
        {"orgs/voorbeeld/content/meldcode/signaleren.md": """
            ---
            title: Signaleren
            ---
            Een regel.

            Twee {{ ''.__class__.__mro__[1].__subclasses__() }}
            """},
        ["orgs/voorbeeld/content/meldcode/signaleren.md:6: niet toegestaan in een {{ ... }}-variabele: het onderdeel '__class__' is afgeschermd "
         "(gebruik alleen org.name, org.terms.<woord>, contact('<id>').phone, table('<id>') of list('<id>'))"],
        id="sandbox-dunder",
    ),
    pytest.param(
        {"orgs/voorbeeld/roles/leerkracht.yml": """
            intro: "{{ cycler.__init__.__globals__.os.popen('id').read() }}"
            """},
        ["orgs/voorbeeld/roles/leerkracht.yml:1: niet toegestaan in een {{ ... }}-variabele: het onderdeel '__init__' is afgeschermd "
         "(gebruik alleen org.name, org.terms.<woord>, contact('<id>').phone, table('<id>') of list('<id>'))"],
        id="sandbox-no-globals",
    ),
    pytest.param(
        {"orgs/voorbeeld/roles/leerkracht.yml": """
            tagline: Voor iedereen
            intro: |
              Hallo
              {% for x in org.name %}{{ x }}{% endfor %}
            """},
        ["orgs/voorbeeld/roles/leerkracht.yml:4: niet toegestaan in een {{ ... }}-variabele: {% ... %}-opdrachten kunnen niet in een tekst "
         "(gebruik alleen org.name, org.terms.<woord>, contact('<id>').phone, table('<id>') of list('<id>'))"],
        id="sandbox-no-statements",
    ),
    pytest.param(
        {"orgs/voorbeeld/roles/leerkracht.yml": """
            intro: "{{ 'x' * 999999999 }}"
            """},
        ["orgs/voorbeeld/roles/leerkracht.yml:1: niet toegestaan in een {{ ... }}-variabele: deze vermenigvuldiging maakt een te lange tekst "
         "(gebruik alleen org.name, org.terms.<woord>, contact('<id>').phone, table('<id>') of list('<id>'))"],
        id="sandbox-huge-text",
    ),
    pytest.param(
        {"orgs/voorbeeld/roles/leerkracht.yml": """
            intro: "{{ org.name | center(999999999) }}"
            """},
        ["orgs/voorbeeld/roles/leerkracht.yml:1: onbekend filter 'center' in een {{ ... }}-variabele (toegestaan: capitalize, indent, lower, upper)"],
        id="sandbox-filter-allow-list",
    ),
    pytest.param(
        {"orgs/voorbeeld/letters/ouderbrief.md": """
            ---
            placeholders:
              school: {label: school, from: org.__class__}
            ---
            """},
        ["orgs/voorbeeld/letters/ouderbrief.md:3: gegeven 'org.__class__' bestaat niet (bijv. org.name of org.terms.<woord>)"],
        id="sandbox-placeholder",
    ),
]


@pytest.mark.parametrize("files, expected", CASES)
def test_bad_input_reports_file_and_line(make_project, files, expected):
    project = make_project(files, base="minimal")
    with pytest.raises(ContentError) as caught:
        check(Roots(project))
    assert [p.format() for p in caught.value.problems] == expected


def test_all_problems_are_reported_at_once_sorted_by_file(make_project):
    project = make_project({
        "roles/leerkracht.yml": """
            title: Leerkracht
            colour: groen
            source: "003_9a54ac296a9565ce.txt:1098"
            """,
        "contacts/veilig-thuis.yml": """
            name: Veilig Thuis
            telefoon: "0800"
            source: "003_9a54ac296a9565ce.txt:4074"
            """,
    }, base="minimal")
    with pytest.raises(ContentError) as caught:
        check(Roots(project))
    lines = [p.format() for p in caught.value.problems]
    assert lines == [
        "contacts/veilig-thuis.yml:2: onbekend veld 'telefoon' (toegestaan: address, document, email, function, hours, name, note, phone, required, source, url)",
        "roles/leerkracht.yml:2: kleur 'groen' is geen geldige hex-kleur (verwacht #RRGGBB)",
    ]
    assert str(caught.value) == "2 fouten in 2 bestanden; er is niets gebouwd."
