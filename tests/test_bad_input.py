"""Bad input: each case states its whole changed input and pins the exact message line."""

from __future__ import annotations

import pytest

from generator.load import Roots
from generator.pipeline import check
from generator.problems import ContentError

CASES = [
    pytest.param(
        {"orgs/voorbeeld/roles/leerkracht.yml": """
            colour: "#1b5e20"
            contacts: [veilig-thuiss]
            """},
        ["orgs/voorbeeld/roles/leerkracht.yml:2: contact 'veilig-thuiss' is onbekend (bedoelde je 'veilig-thuis'?)"],
        id="role-contact-typo",
    ),
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
            sectors: [onderwijs]
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
        ["contacts/ggd.yml:2: een aanhalingsteken is niet gesloten (sluit de tekst af met hetzelfde aanhalingsteken als waarmee hij begint)"],
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
                    no: {text: Sluit af., outcome: {kind: afsluiten}}
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
            sectors: [scholen]
            source: "003_9a54ac296a9565ce.txt:1"
            hub: [leerkracht, directeur]
            hide: [protocols/bestaat-niet.yml]
            """},
        ["orgs/voorbeeld/org.yml:2: 'sectors' heeft waarde 'scholen'; verwacht een van: 'onderwijs', 'kinderopvang', 'zorg' of 'training'"],
        id="org-enum",
    ),
    pytest.param(
        {"orgs/voorbeeld/org.yml": """
            name: Voorbeeldschool
            sector: school
            source: "003_9a54ac296a9565ce.txt:1"
            hub: [leerkracht]
            terms: {dossiersysteem: ParnasSys}
            """},
        ["orgs/voorbeeld/org.yml:2: 'sector: school' is vervangen door 'sectors:' met een lijst van sectorpakketten, bijv. 'sectors: [onderwijs]'"],
        id="old-sector-key",
    ),
    pytest.param(
        {"orgs/voorbeeld/content/meldcode/signaleren.md": """
            ---
            sector: beide
            ---
            """},
        ["orgs/voorbeeld/content/meldcode/signaleren.md:2: 'sector: beide' is vervangen door 'sectors:' met een lijst van sectorpakketten, "
         "bijv. 'sectors: [onderwijs, kinderopvang]'"],
        id="old-sector-key-in-page",
    ),
    pytest.param(
        {"orgs/voorbeeld/org.yml": """
            name: Voorbeeldschool
            sectors: [onderwijs]
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
        {"orgs/voorbeeld/content/meldcode/signaleren.md": """
            ---
            title: Signaleren
            ---
            Bij {{ org.name }} gaat het zo.

            Een regel.

            Twee {{ ''.__class__ }}
            """},
        ["orgs/voorbeeld/content/meldcode/signaleren.md:8: niet toegestaan in een {{ ... }}-variabele: het onderdeel '__class__' is afgeschermd "
         "(gebruik alleen org.name, org.terms.<woord>, contact('<id>').phone, table('<id>') of list('<id>'))"],
        id="sandbox-refused-after-a-good-variable",  # the line of the refused variable, not of the first one
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


# --- bounded input and what YAML would silently accept ----------------------------------------
CASES += [
    pytest.param(
        {"orgs/voorbeeld/roles/leerkracht.yml": """
            tagline: Voor iedereen
            tagline: Voor leerkrachten
            """},
        ["orgs/voorbeeld/roles/leerkracht.yml:2: sleutel 'tagline' staat twee keer in hetzelfde blok (eerst op regel 1) "
         "(haal er één weg: anders telt stilzwijgend alleen de laatste)"],
        id="duplicate-key",
    ),
    pytest.param(
        {"orgs/voorbeeld/roles/leerkracht.yml": """
            tagline: "Voor iedereen
            intro: Hallo
            function: "Leerkracht"
            """},
        ["orgs/voorbeeld/roles/leerkracht.yml:1: een aanhalingsteken is niet gesloten (sluit de tekst af met hetzelfde aanhalingsteken als waarmee hij begint)"],
        id="unclosed-quote-swallows-keys",
    ),
    pytest.param(
        {"orgs/voorbeeld/roles/leerkracht.yml": """
            tagline: 'Voor iedereen
            intro: Hallo
            """},
        ["orgs/voorbeeld/roles/leerkracht.yml:1: een aanhalingsteken is niet gesloten (sluit de tekst af met hetzelfde aanhalingsteken als waarmee hij begint)"],
        id="unclosed-single-quote",
    ),
    pytest.param(
        {"orgs/voorbeeld/roles/leerkracht.yml": """
            tagline: Voor iedereen
            actions: [Kijk, [Luister, Schrijf op
            """},
        ["orgs/voorbeeld/roles/leerkracht.yml:2: een haakje [ of { is niet gesloten (sluit het af met ] of })"],
        id="unclosed-bracket",
    ),
    pytest.param(
        {"orgs/voorbeeld/roles/leerkracht.yml": "tagline: x\nactions: " + "[" * 5000 + "]" * 5000 + "\n"},
        ["orgs/voorbeeld/roles/leerkracht.yml:2: te diep genest: meer dan 40 haakjes [ of { in elkaar (maak de structuur platter)"],
        id="nested-brackets",
    ),
    pytest.param(
        {"orgs/voorbeeld/roles/leerkracht.yml": "tagline: x\nactions: " + "[" * 100_000 + "]" * 100_000 + "\n"},
        ["orgs/voorbeeld/roles/leerkracht.yml:2: te diep genest: meer dan 40 haakjes [ of { in elkaar (maak de structuur platter)"],
        id="nested-brackets-that-crash-libyaml",
    ),
    pytest.param(
        {"orgs/voorbeeld/roles/leerkracht.yml": "tagline: x\nintro:\n" + "".join(" " * i + f"k{i}:\n" for i in range(1, 1000)) + " " * 1000 + "x: 1\n"},
        ["orgs/voorbeeld/roles/leerkracht.yml:163: te diep ingesprongen: meer dan 160 spaties of '- ' voor de tekst (maak de structuur platter)"],
        id="nested-mappings",
    ),
    pytest.param(
        {"orgs/voorbeeld/roles/leerkracht.yml": "tagline: x\nintro:\n" + "".join(" " * i + f"k{i}:\n" for i in range(1, 60)) + " " * 60 + "x: 1\n"},
        ["orgs/voorbeeld/roles/leerkracht.yml:42: te diep genest: meer dan 40 niveaus (maak de structuur platter)"],
        id="nested-mappings-shallow-indent",
    ),
    pytest.param(
        {"orgs/voorbeeld/roles/leerkracht.yml": """
            a: &a ["x", "x", "x", "x", "x", "x", "x", "x", "x"]
            b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]
            c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]
            d: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c]
            e: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d]
            f: &f [*e, *e, *e, *e, *e, *e, *e, *e, *e]
            g: &g [*f, *f, *f, *f, *f, *f, *f, *f, *f]
            h: &h [*g, *g, *g, *g, *g, *g, *g, *g, *g]
            """},
        ["orgs/voorbeeld/roles/leerkracht.yml:8: te groot: meer dan 100000 waarden (door '*'-verwijzingen?) "
         "(gebruik geen &anker en *verwijzing om lijsten te herhalen)"],
        id="alias-bomb",
    ),
    pytest.param(
        {"orgs/voorbeeld/roles/leerkracht.yml": "tagline: x\nintro: \"" + "x" * 1_000_001 + "\"\n"},
        ["orgs/voorbeeld/roles/leerkracht.yml:1: bestand is te groot (1000 kB, hoogstens 1000 kB) (splits het in kleinere bestanden)"],
        id="file-too-large",
    ),
    pytest.param(
        {"orgs/voorbeeld/protocol/meldcode.yml": "title: x\n"},
        ["orgs/voorbeeld/protocol/:1: onbekende map 'protocol/': Rolwijzer leest hem niet (bedoelde je 'protocols'?)"],
        id="mistyped-overlay-folder",
    ),
    pytest.param(
        {"orgs/voorbeeld/contacts/notities.md": "Bel de GGD.\n"},
        ["orgs/voorbeeld/contacts/notities.md:1: hoort niet in contacts/: die map bevat alleen .yml-bestanden (contact) (hernoem het naar notities.yml)"],
        id="stray-file-in-kind-folder",
    ),
    pytest.param(
        {"roles/directeur.yaml": "title: Directeur\n"},
        ["roles/directeur.yaml:1: hoort niet in roles/: die map bevat alleen .yml-bestanden (rol) (hernoem het naar directeur.yml)"],
        id="yaml-suffix",
    ),
    pytest.param(
        {"orgs/mijn school/org.yml": "name: Mijn school\n"},
        ["orgs/mijn school/:1: de mapnaam 'mijn school' kan geen organisatie zijn (gebruik alleen kleine letters, cijfers en '-', bijv. 'mijn-school')"],
        id="org-folder-with-spaces",
    ),
    pytest.param(
        {"orgs/nieuw/org.yaml": "name: Nieuw\n"},
        ["orgs/nieuw/:1: de map van organisatie 'nieuw' heeft geen org.yml (bedoelde je 'org.yaml'?)"],
        id="org-folder-without-org-yml",
    ),
    pytest.param(
        {"orgs/voorbeeld/org.yml": """
            name: Voorbeeldschool
            sectors: [onderwijs]
            source: "003_9a54ac296a9565ce.txt:1"
            hub: [leerkracht, aandachtsfunctionaris, leerkracht]
            terms: {dossiersysteem: ParnasSys}
            """},
        ["orgs/voorbeeld/org.yml:4: rol 'leerkracht' staat twee keer in hub: (een tegel per rol)"],
        id="hub-role-twice",
    ),
    pytest.param(
        {"orgs/voorbeeld/org.yml": """
            name: Voorbeeldschool
            sectors: [onderwijs]
            source: "003_9a54ac296a9565ce.txt:1"
            site_url: niet een url
            hub: [leerkracht]
            terms: {dossiersysteem: ParnasSys}
            """},
        ["orgs/voorbeeld/org.yml:4: adres 'niet een url' is geen webadres (verwacht https://...)"],
        id="site-url",
    ),
    pytest.param(
        {"orgs/voorbeeld/org.yml": """
            name: Voorbeeldschool
            sectors: [onderwijs]
            source: "003_9a54ac296a9565ce.txt:1"
            site_url: https://intranet.voorbeeld.nl/beleid/%2E%2E/andere-school
            hub: [leerkracht]
            terms: {dossiersysteem: ParnasSys}
            """},
        ["orgs/voorbeeld/org.yml:4: adres 'https://intranet.voorbeeld.nl/beleid/%2E%2E/andere-school' is geen adres van een site: "
         "zonder '?', '#', '.' of '..' (verwacht bijvoorbeeld https://beleid.example.nl/school)"],
        id="site-url-climbs-out-of-its-folder",
    ),
    pytest.param(
        {"orgs/voorbeeld/org.yml": """
            name: Voorbeeldschool
            sectors: [onderwijs]
            source: "003_9a54ac296a9565ce.txt:1"
            branding:
              logo: ../../../../etc/passwd
            hub: [leerkracht]
            terms: {dossiersysteem: ParnasSys}
            """},
        ["orgs/voorbeeld/org.yml:5: bestandsnaam '../../../../etc/passwd' moet een naam in de map van de organisatie zijn (geen '/', '..' of pad van buiten)"],
        id="logo-outside",
    ),
    pytest.param(
        {"orgs/voorbeeld/org.yml": """
            name: Voorbeeldschool
            sectors: [onderwijs]
            source: "003_9a54ac296a9565ce.txt:1"
            branding: {logo: /etc/hostname}
            hub: [leerkracht]
            terms: {dossiersysteem: ParnasSys}
            """},
        ["orgs/voorbeeld/org.yml:4: bestandsnaam '/etc/hostname' moet een naam in de map van de organisatie zijn (geen '/', '..' of pad van buiten)"],
        id="logo-absolute",
    ),
    pytest.param(
        {"orgs/voorbeeld/contacts/veilig-thuis.yml": """
            phone: "0800-2000'><script>"
            email: "info@example.nl<script>"
            url: "javascript:alert(1)"
            """},
        ["orgs/voorbeeld/contacts/veilig-thuis.yml:1: telefoonnummer '0800-2000'><script>' mag alleen cijfers, spaties, '-' en een '+' aan het begin bevatten",
         "orgs/voorbeeld/contacts/veilig-thuis.yml:2: e-mailadres 'info@example.nl<script>' heeft niet de vorm naam@domein.nl",
         "orgs/voorbeeld/contacts/veilig-thuis.yml:3: adres 'javascript:alert(1)' is geen webadres (verwacht https://...)"],
        id="contact-fields",
    ),
]


# --- follow-on errors, misnamed overlays, file links, logos, text variables -------------------
CASES += [
    pytest.param(
        {"roles/leerkracht.yml": """
            title: Leerkracht
            colour: groen
            source: "003_9a54ac296a9565ce.txt:1098"
            """,
         "orgs/voorbeeld/content/meldcode/signaleren.md": """
            ---
            title: Signaleren
            ---
            Vraag het aan de {{ role('leerkracht').title | lower }}.
            """},
        ["roles/leerkracht.yml:2: kleur 'groen' is geen geldige hex-kleur (verwacht #RRGGBB)"],
        id="no-follow-on-error-from-an-invalid-base-file",
    ),
    pytest.param(
        {"orgs/voorbeeld/contacts/veiligthuis.yml": """
            phone: "0800 2000"
            """},
        ["orgs/voorbeeld/contacts/veiligthuis.yml:1: er is geen basisbestand contacts/veiligthuis.yml om aan te vullen "
         "(bedoelde je veilig-thuis.yml? Een bestand met dezelfde naam als het basisbestand vult dat aan)"],
        id="overlay-file-name-typo",
    ),
    pytest.param(
        {"orgs/voorbeeld/content/meldcode/signaleren.md": """
            ---
            title: Signaleren
            ---
            Eerste regel.

            Lees [dit](bestaat-niet.md), [contact](../contact.md) en [elders](https://example.org/a.md).
            """},
        ["orgs/voorbeeld/content/meldcode/signaleren.md:6: link 'bestaat-niet.md' wijst naar een pagina die niet bestaat "
         "(bedoelde je 'meldcode/signaleren'?)"],
        id="plain-markdown-link-to-missing-page",
    ),
    pytest.param(
        {"orgs/voorbeeld/org.yml": """
            name: Voorbeeldschool
            sectors: [onderwijs]
            source: "003_9a54ac296a9565ce.txt:1"
            branding: {logo: logo.svg}
            hub: [leerkracht]
            terms: {dossiersysteem: ParnasSys}
            """,
         "orgs/voorbeeld/logo.svg": '<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'},
        ["orgs/voorbeeld/org.yml:4: logo 'logo.svg' bevat script, een on...=-attribuut of een javascript:-link "
         "(sla het logo op zonder script, of gebruik een png-bestand)"],
        id="logo-svg-with-script",
    ),
    pytest.param(
        {"orgs/voorbeeld/org.yml": """
            name: Voorbeeldschool
            sectors: [onderwijs]
            source: "003_9a54ac296a9565ce.txt:1"
            branding: {logo: org.yml}
            hub: [leerkracht]
            terms: {dossiersysteem: ParnasSys}
            """},
        ["orgs/voorbeeld/org.yml:4: logo 'org.yml' is geen afbeelding (gebruik een .jpeg, .jpg, .png, .svg, .webp-bestand)"],
        id="logo-not-an-image",
    ),
    pytest.param(
        {"orgs/voorbeeld/roles/leerkracht.yml": """
            tagline: "{{ org.name "
            """},
        ["orgs/voorbeeld/roles/leerkracht.yml:1: fout in een {{ ... }}-variabele: de tekst houdt op binnen een {{ ... }} (ontbreekt '}}'?) (controleer de accolades)"],
        id="jinja-unclosed",
    ),
    pytest.param(
        {"orgs/voorbeeld/roles/leerkracht.yml": """
            tagline: "{{ 7 ** 999999 }}"
            """},
        ["orgs/voorbeeld/roles/leerkracht.yml:1: niet toegestaan in een {{ ... }}-variabele: machtsverheffen met zulke getallen mag niet "
         "(gebruik alleen org.name, org.terms.<woord>, contact('<id>').phone, table('<id>') of list('<id>'))"],
        id="sandbox-power",
    ),
    pytest.param(
        {"orgs/voorbeeld/roles/leerkracht.yml": """
            tagline: "{{ '%099999999d' % 1 }}"
            """},
        ["orgs/voorbeeld/roles/leerkracht.yml:1: niet toegestaan in een {{ ... }}-variabele: tekst opmaken met % kan niet in een tekst "
         "(gebruik alleen org.name, org.terms.<woord>, contact('<id>').phone, table('<id>') of list('<id>'))"],
        id="sandbox-format",
    ),
    pytest.param(
        {"orgs/voorbeeld/org.yml": """
            name: Voorbeeldschool
            sectors: [onderwijs]
            source: "003_9a54ac296a9565ce.txt:1"
            hub: [leerkracht]
            red_line: "Bel {{ org.__init__ }}"
            terms: {dossiersysteem: ParnasSys}
            """},
        ["orgs/voorbeeld/org.yml:5: niet toegestaan in een {{ ... }}-variabele: het onderdeel '__init__' is afgeschermd "
         "(gebruik alleen org.name, org.terms.<woord>, contact('<id>').phone, table('<id>') of list('<id>'))"],
        id="sandbox-red-line",
    ),
]


# --- Markdown that would crash or stall the build, and broken files ---------------------------
CASES += [
    pytest.param(
        {"orgs/voorbeeld/content/meldcode/signaleren.md": "---\ntitle: S\n---\nEen.\n\n" + "".join("    " * i + "- x\n" for i in range(300))},
        ["orgs/voorbeeld/content/meldcode/signaleren.md:23: te diep ingesprongen: meer dan 64 spaties voor de tekst (maak de tekst eenvoudiger)"],
        id="markdown-nested-lists",
    ),
    pytest.param(
        {"orgs/voorbeeld/content/meldcode/signaleren.md": "---\ntitle: S\n---\nEen.\n\n" + "*" * 20000 + "x" + "*" * 20000 + "\n"},
        ["orgs/voorbeeld/content/meldcode/signaleren.md:6: te veel '*' of '_' achter elkaar (meer dan 12) (maak de tekst eenvoudiger)"],
        id="markdown-emphasis-run",
    ),
    pytest.param(
        {"orgs/voorbeeld/content/meldcode/signaleren.md": "---\ntitle: S\n---\nEen.\n\n" + "[" * 20000 + "x" + "]" * 20000 + "\n"},
        ["orgs/voorbeeld/content/meldcode/signaleren.md:6: te veel '[' in één alinea zonder ']' (meer dan 24) (maak de tekst eenvoudiger)"],
        id="markdown-nested-brackets",
    ),
    pytest.param(
        {"orgs/voorbeeld/content/meldcode/signaleren.md": "---\ntitle: S\n---\nEen.\n\n" + ">" * 3000 + " x\n"},
        ["orgs/voorbeeld/content/meldcode/signaleren.md:6: te veel '>' in elkaar (meer dan 12) (maak de tekst eenvoudiger)"],
        id="markdown-nested-quotes",
    ),
    pytest.param(
        {"orgs/voorbeeld/roles/leerkracht.yml": "intro: \"" + "_" * 40 + "\"\n"},
        ["orgs/voorbeeld/roles/leerkracht.yml:1: te veel '*' of '_' achter elkaar (meer dan 12) (maak de tekst eenvoudiger)"],
        id="markdown-limits-in-fields",
    ),
    pytest.param(
        {"orgs/voorbeeld/content/meldcode/signaleren.md": "title: Signaleren\n\nTekst zonder front matter.\n"},
        ["orgs/voorbeeld/content/meldcode/signaleren.md:1: front matter ontbreekt (begin het bestand met '---', dan title: en source:, dan '---')"],
        id="missing-front-matter",
    ),
    pytest.param(
        {"orgs/voorbeeld/roles/leerkracht.yml": "- een\n- lijst\n"},
        ["orgs/voorbeeld/roles/leerkracht.yml:1: verwacht een lijst van 'sleutel: waarde'"],
        id="top-level-list",
    ),
    pytest.param(
        {"orgs/voorbeeld/roles/leerkracht.yml": "tagline: !!python/object/apply:os.system ['id']\n"},
        ["orgs/voorbeeld/roles/leerkracht.yml:1: ongeldige YAML: een '!!'-aanduiding die Rolwijzer niet kent (zet de tekst tussen aanhalingstekens) "
         "(controleer inspringing, ':' en aanhalingstekens)"],
        id="yaml-python-tag",
    ),
    pytest.param(
        {"orgs/voorbeeld/roles/leerkracht.yml": "tagline:\tVoor iedereen\nintro:\n\t- x\n"},
        ["orgs/voorbeeld/roles/leerkracht.yml:3: ongeldige YAML: een teken waarmee geen waarde mag beginnen (een tab? gebruik spaties; of zet de tekst tussen aanhalingstekens) (controleer inspringing, ':' en aanhalingstekens)"],
        id="yaml-tab-indent",
    ),
    pytest.param(
        {"orgs/voorbeeld/roles/leerkracht.yml": "tagline: *nergens\n"},
        ["orgs/voorbeeld/roles/leerkracht.yml:1: ongeldige YAML: onbekende '*'-verwijzing (controleer inspringing, ':' en aanhalingstekens)"],
        id="yaml-undefined-alias",
    ),
]


# --- references and names ---------------------------------------------------------------------
CASES += [
    pytest.param(
        {"orgs/voorbeeld/protocols/meldcode.yml": """
            steps:
              - id: signalen
                title: Breng signalen in kaart
                questions:
                  - id: vermoeden
                    question: Is er een vermoeden?
                    yes: {text: Ga door., next: twijfel}
                    no: {text: Sluit af.}
                  - id: twijfel
                    question: Twijfel je nog?
                    yes: {text: Begin opnieuw., next: vermoeden}
                    no: {text: Meld., outcome: {kind: melden, contacts: [veilig-thuis]}}
              - id: overleg
                title: Overleg met een collega
            """},
        ["orgs/voorbeeld/protocols/meldcode.yml:5: de vragen vanaf 'vermoeden' lopen in een kring (laat elk pad eindigen in een uitkomst)",
         "orgs/voorbeeld/protocols/meldcode.yml:8: het antwoord 'nee' op vraag 'vermoeden' eindigt zonder uitkomst "
         "(zet onder het antwoord outcome: met kind: (melden, intern-melden, hulp, afsluiten, ...) en contacts:)"],
        id="decision-paths-end-in-an-outcome",
    ),
    pytest.param(
        {"orgs/voorbeeld/roles/leerkracht.yml": """
            icon: material/bestaat-niet-icoon
            """},
        ["orgs/voorbeeld/roles/leerkracht.yml:1: icoon 'material/bestaat-niet-icoon' bestaat niet (kies een naam uit de Material-iconen, bijv. material/account)"],
        id="unknown-icon",
    ),
    pytest.param(
        {"orgs/voorbeeld/roles/leerkracht.yml": """
            icon: ../../../../etc/passwd
            """},
        ["orgs/voorbeeld/roles/leerkracht.yml:1: icoon '../../../../etc/passwd' bestaat niet (kies een naam uit de Material-iconen, bijv. material/account)"],
        id="icon-path-outside",
    ),
    pytest.param(
        {"orgs/voorbeeld/org.yml": """
            name: Voorbeeldschool
            sectors: [onderwijs]
            source: "003_9a54ac296a9565ce.txt:1"
            document: {date: 2026-13-45}
            hub: [leerkracht]
            terms: {dossiersysteem: ParnasSys}
            """},
        ["orgs/voorbeeld/org.yml:4: '2026-13-45' is geen geldige datum (schrijf een datum als JJJJ-MM-DD, bijv. 2026-01-31)"],
        id="bad-date",
    ),
    pytest.param(
        {"orgs/voorbeeld/org.yml": """
            name: Voorbeeldschool
            sectors: [onderwijs]
            source: "003_9a54ac296a9565ce.txt:1"
            hub: [leerkracht]
            menu:
              - label: Meldcode
                ref: "javascript:alert(1)"
            terms: {dossiersysteem: ParnasSys}
            """},
        ["orgs/voorbeeld/org.yml:7: verwijzing 'javascript:alert(1)' heeft niet de vorm soort:id (soort is page, protocol, role, contact, letter of table)"],
        id="menu-ref-javascript",
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
        "contacts/veilig-thuis.yml:2: onbekend veld 'telefoon' (toegestaan: address, document, email, fallback, function, hours, name, note, phone, required, source, url)",
        "roles/leerkracht.yml:2: kleur 'groen' is geen geldige hex-kleur (verwacht #RRGGBB)",
    ]
    assert str(caught.value) == "2 fouten in 2 bestanden; er is niets gebouwd."


def _problems(project) -> list[str]:
    with pytest.raises(ContentError) as caught:
        check(Roots(project))
    return [p.format() for p in caught.value.problems]


def test_non_utf8_byte_is_reported_on_its_own_line(make_project):
    project = make_project({}, base="minimal")
    (project / "orgs/voorbeeld/roles").mkdir(parents=True)
    (project / "orgs/voorbeeld/roles/leerkracht.yml").write_bytes(b"tagline: Voor iedereen\nintro: caf\xe9\n")
    assert _problems(project) == [
        "orgs/voorbeeld/roles/leerkracht.yml:2: bestand is geen UTF-8-tekst (een teken op deze regel) (sla het op als UTF-8)"]


def test_symbolic_links_out_of_the_project_are_refused(make_project, tmp_path):
    outside = tmp_path / "buiten"
    (outside / "map").mkdir(parents=True)
    (outside / "geheim.md").write_text("---\ntitle: Geheim\nsource: x\n---\nwachtwoord\n", encoding="utf-8")
    (outside / "map/ook.md").write_text("---\ntitle: Ook\nsource: x\n---\nwachtwoord\n", encoding="utf-8")
    (outside / "logo.png").write_bytes(b"\x89PNG")
    project = make_project({"orgs/voorbeeld/org.yml": """
        name: Voorbeeldschool
        sectors: [onderwijs]
        source: "003_9a54ac296a9565ce.txt:1"
        branding: {logo: logo.png}
        hub: [leerkracht]
        terms: {dossiersysteem: ParnasSys}
        """}, base="minimal")
    (project / "orgs/voorbeeld/content").mkdir(parents=True)
    (project / "orgs/voorbeeld/content/geheim.md").symlink_to(outside / "geheim.md")
    (project / "orgs/voorbeeld/content/map").symlink_to(outside / "map")
    (project / "orgs/voorbeeld/logo.png").symlink_to(outside / "logo.png")
    assert _problems(project) == [
        "orgs/voorbeeld/content/geheim.md:1: symbolische link naar iets buiten het project (zet het bestand zelf in het project; Rolwijzer leest niets daarbuiten)",
        "orgs/voorbeeld/content/map:1: symbolische link naar iets buiten het project (zet het bestand zelf in het project; Rolwijzer leest niets daarbuiten)",
    ]
    (project / "orgs/voorbeeld/content/geheim.md").unlink()
    (project / "orgs/voorbeeld/content/map").unlink()
    assert _problems(project) == [
        "orgs/voorbeeld/org.yml:4: logo 'logo.png' is een symbolische link naar een bestand buiten het project (zet het logobestand zelf in de map van de organisatie)"]


def test_a_byte_order_mark_is_not_an_error(make_project):
    project = make_project({}, base="minimal")
    path = project / "orgs/voorbeeld/org.yml"
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
    check(Roots(project))


def test_every_bad_input_case_has_its_own_id():
    ids = [case.id for case in CASES]
    assert len(ids) == len(set(ids))
