"""Lists and tables kept as data: written once, shown wherever a page embeds them."""

from __future__ import annotations

import re

import pytest

from generator.load import Roots
from generator.pipeline import build_variants, check
from generator.problems import ContentError

FILES = {
    "lists/basisregels.yml": """
        title: Basisregels
        source: "000_96872a6850bca0d0.txt:40-60"
        numbered: true
        items:
          - Je bent op tijd.
          - text: Je meldt wat je ziet.
            detail: Gebruik [de meldcode](protocol:meldcode).
        """,
    "tables/aanbod.yml": """
        title: Aanbod scholing
        source: "003_9a54ac296a9565ce.txt:4175-4578"
        columns:
          - {key: doelgroep, label: Doelgroep, filter: true}
          - {key: aanbod, label: Aanbod}
          - {key: link, label: Website, type: url}
          - {key: email, label: E-mail, type: email}
        rows:
          - {doelgroep: Professional, aanbod: Training aandachtsfunctionaris, link: "https://www.lvak.nl/trainingen", email: ""}
          - {doelgroep: [Kinderen, Ouders], aanbod: HALT voorlichtingen, link: "https://www.halt.nl", email: info@example.nl}
        """,
    "content/regels.md": """
        ---
        title: Regels
        source: "000_96872a6850bca0d0.txt:40-60"
        ---
        De regels:

        {{ list('basisregels') }}

        Wat je kunt leren:

        {{ table('aanbod') }}
        """,
    "orgs/voorbeeld/roles/leerkracht.yml": """
        topics:
          - label: Regels
            ref: page:regels
          - label: Scholing
            ref: table:aanbod
        """,
}


def test_embedded_list_and_table_render_once_from_data(make_project, tmp_path):
    project = make_project(FILES, base="minimal")
    build_variants(Roots(project), None, tmp_path / "site", jobs=1, export=False)
    page = (tmp_path / "site/voorbeeld/regels.html").read_text(encoding="utf-8")
    assert re.search(r"<ol>\s*<li>(<p>)?Je bent op tijd.(</p>)?\s*</li>\s*<li>\s*<p>Je meldt wat je ziet.</p>\s*<p>Gebruik <a", page, re.S)
    assert 'href="protocollen/meldcode.html"' in page  # reference inside a list item resolved
    assert '<select data-column="0"><option value="">Alles</option><option value="Kinderen">Kinderen</option><option value="Ouders">Ouders</option><option value="Professional">Professional</option></select>' in page
    assert '<a href="mailto:info@example.nl">info@example.nl</a>' in page
    table_page = (tmp_path / "site/voorbeeld/tabellen/aanbod.html").read_text(encoding="utf-8")
    assert "Training aandachtsfunctionaris" in table_page and "VORIGE" in table_page


def test_unknown_embed_and_unknown_column_are_reported(make_project):
    files = dict(FILES)
    files["content/regels.md"] = FILES["content/regels.md"].replace("list('basisregels')", "list('basisregel')")
    files["tables/aanbod.yml"] = FILES["tables/aanbod.yml"].replace("aanbod: HALT", "aanbood: HALT")
    project = make_project(files, base="minimal")
    with pytest.raises(ContentError) as caught:
        check(Roots(project))
    assert [p.format() for p in caught.value.problems] == [
        "content/regels.md:7: list 'basisregel' bestaat niet (maak lists/basisregel.yml)",
        "tables/aanbod.yml:10: kolom 'aanbood' bestaat niet in deze tabel (bedoelde je 'aanbod'?)",
    ]
