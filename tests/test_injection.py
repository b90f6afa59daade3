"""Hostile content: script, event handlers, iframes and javascript: links in every kind of field
end up as text (plain fields) or are removed (Markdown bodies), in every page and the search index."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from tests.conftest import build_minimal
from generator.sanitize import clean

# One payload per trick; each carries the marker "rwx" so a surviving copy is easy to find.
SCRIPT = "<script>alert('rwx1')</script>"
IMG = "<img src=x onerror=alert('rwx2')>"
FRAME = "<iframe src=\"https://example.org/rwx3\"></iframe>"
MD_LINK = "[klik](javascript:alert('rwx4'))"
ATTR = "{: onclick=\"alert('rwx5')\" }"
PAYLOAD = f"Naam {SCRIPT} {IMG} {FRAME} {MD_LINK} {ATTR}"
YAML_PAYLOAD = json.dumps(PAYLOAD)  # a YAML double-quoted string

HOSTILE = {
    "orgs/voorbeeld/org.yml": f"""
        name: {YAML_PAYLOAD}
        sectors: [onderwijs]
        source: "003_9a54ac296a9565ce.txt:1-10"
        hub: [leerkracht, aandachtsfunctionaris]
        red_line: {YAML_PAYLOAD}
        description: {YAML_PAYLOAD}
        menu:
          - label: {YAML_PAYLOAD}
            ref: protocol:meldcode
        terms:
          dossiersysteem: {YAML_PAYLOAD}
        contacts: [veilig-thuis]
        footer: [veilig-thuis]
        index:
          - label: {YAML_PAYLOAD}
            ref: protocol:meldcode
          - label: Ouderbrief
            ref: letter:ouderbrief
        """,
    "orgs/voorbeeld/roles/leerkracht.yml": f"""
        title: {YAML_PAYLOAD}
        tagline: {YAML_PAYLOAD}
        function: {YAML_PAYLOAD}
        intro: {YAML_PAYLOAD}
        topics:
          - label: {YAML_PAYLOAD}
            group: {YAML_PAYLOAD}
            ref: protocol:meldcode
          - label: Signaleren
            ref: page:meldcode/signaleren
        """,
    "orgs/voorbeeld/protocols/meldcode.yml": f"""
        title: {YAML_PAYLOAD}
        summary: {YAML_PAYLOAD}
        """,
    "orgs/voorbeeld/contacts/veilig-thuis.yml": f"""
        name: {YAML_PAYLOAD}
        function: {YAML_PAYLOAD}
        hours: {YAML_PAYLOAD}
        """,
    "orgs/voorbeeld/content/meldcode/signaleren.md": f"""
        ---
        title: {YAML_PAYLOAD}
        summary: {YAML_PAYLOAD}
        ---
        Een alinea met {SCRIPT} en {IMG}.

        {FRAME}

        Een link: {MD_LINK} en [data](data:text/html;base64,cnd4Ng==).

        Een alinea met een attribuut.
        {{: onclick="alert('rwx7')" }}

        <div onmouseover="alert('rwx8')" markdown>**vet** in een blok</div>

        <a href="JaVaScRiPt:alert('rwx9')">hoofdletters</a>
        """,
}


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory) -> Path:
    return build_minimal(tmp_path_factory.mktemp("hostile"), HOSTILE, export=False) / "voorbeeld"


def _pages(site: Path) -> list[Path]:
    return sorted(p for p in site.rglob("*.html") if "assets" not in p.parts)


def test_no_live_script_handler_frame_or_javascript_link_in_any_page(hostile_site):
    pages = _pages(hostile_site)
    assert len(pages) >= 6
    for page in pages:
        soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
        where = page.relative_to(hostile_site).as_posix()
        for script in soup.find_all("script"):
            assert "rwx" not in (script.string or "") and "rwx" not in script.get("src", ""), where
        assert not soup.find_all("iframe"), where
        for tag in soup.find_all(True):
            handlers = [name for name in tag.attrs if name.lower().startswith("on")]
            assert not handlers, (where, tag.name, handlers)
            for name in ("href", "src", "action", "formaction"):
                value = str(tag.get(name, "")).strip().lower()
                assert not value.startswith(("javascript:", "data:", "vbscript:")), (where, tag.name, value)


def test_plain_fields_show_the_payload_as_text(hostile_site):
    """A title with markup is shown as the characters the author typed, not as HTML."""
    hub = BeautifulSoup((hostile_site / "index.html").read_text(encoding="utf-8"), "html.parser")
    assert PAYLOAD in hub.find("h1").get_text()
    assert PAYLOAD in hub.title.get_text()
    role = BeautifulSoup((hostile_site / "rollen/leerkracht.html").read_text(encoding="utf-8"), "html.parser")
    assert any(PAYLOAD in a.get_text() for a in role.select(".md-nav a")), "the nav label is text"
    assert PAYLOAD in role.find("h1").get_text()
    contact = BeautifulSoup((hostile_site / "contact.html").read_text(encoding="utf-8"), "html.parser")
    assert PAYLOAD in contact.find("h2").get_text()


def test_search_index_holds_no_markup_from_content(hostile_site):
    """Material shows search titles and snippets as HTML: what content wrote must stay text there."""
    index = json.loads((hostile_site / "search/search_index.json").read_text(encoding="utf-8"))
    assert any(PAYLOAD in BeautifulSoup(doc["title"], "html.parser").get_text() for doc in index["docs"])
    for doc in index["docs"]:
        for key in ("title", "text"):
            soup = BeautifulSoup(doc.get(key, ""), "html.parser")
            assert not soup.find_all(["script", "iframe", "img", "object", "embed"]), (doc["location"], key)
            assert not [a for tag in soup.find_all(True) for a in tag.attrs if a.lower().startswith("on")], (doc["location"], key)


@pytest.mark.parametrize("html, kept, removed", [
    ('<p onclick="x()">a</p>', "<p>a</p>", "onclick"),
    ('<a href="javascript:x()">a</a>', "<a>a</a>", "javascript"),
    ('<a href="tel:08002000">a</a>', 'href="tel:08002000"', ""),
    ('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 24"><path d="M1 1"/></svg>', 'viewBox="0 0 24 24"', ""),
    ('<a class="rw-tile" style="--rw-tile: #123456; position: fixed" data-role="x">t</a>', 'data-role="x"', "position"),
    ("<script>alert(1)</script><p>b</p>", "<p>b</p>", "alert"),
    ('<object data="x.swf"></object><embed src="x"><form action="x"><input name="q"></form>', '<input name="q">', "object"),
])
def test_sanitiser_policy(html, kept, removed):
    result = clean(html)
    assert kept in result
    if removed:
        assert removed not in result


def test_the_base_mkdocs_yml_may_not_run_code_or_read_files(make_project):
    """A fork's mkdocs.yml may not add MkDocs hooks (Python files MkDocs runs), other plugins or
    Markdown extensions, or point the theme or the docs elsewhere: each is a content error at its
    line, reported together, and nothing is built."""
    from generator.load import Roots
    from generator.pipeline import check
    from generator.problems import ContentError

    project = make_project({"evil.py": "import pathlib\npathlib.Path('HOOK_RAN').write_text('x')\n"}, base="minimal")
    base = (Roots(project).base_config).read_text(encoding="utf-8")
    base = base.replace("  - offline\n", "  - offline\n  - info\n").replace("  - pymdownx.tasklist\n", "  - pymdownx.tasklist\n  - pymdownx.snippets:\n      base_path: [/]\n")
    base = base.replace("  name: material\n", "  name: material\n  custom_dir: /etc\n")
    (project / "mkdocs.yml").write_text(base + "hooks:\n  - ../../evil.py\ndocs_dir: /etc\n", encoding="utf-8")
    with pytest.raises(ContentError) as caught:
        check(Roots(project))
    lines = base.splitlines()
    at = {text: lines.index(text) + 1 for text in ("  - info", "  - pymdownx.snippets:", "  custom_dir: /etc")}
    messages = [p.format() for p in caught.value.problems]
    assert [m.split(" (")[0] for m in messages] == [
        f"mkdocs.yml:{at['  custom_dir: /etc']}: theme: 'custom_dir' mag niet in mkdocs.yml",
        f"mkdocs.yml:{at['  - info']}: plugin 'info' mag niet in mkdocs.yml",
        f"mkdocs.yml:{at['  - pymdownx.snippets:']}: Markdown-extensie 'pymdownx.snippets' mag niet in mkdocs.yml",
        f"mkdocs.yml:{len(lines) + 1}: 'hooks' mag niet in mkdocs.yml",
        f"mkdocs.yml:{len(lines) + 3}: 'docs_dir' mag niet in mkdocs.yml",
    ], messages
    build = subprocess.run([sys.executable, "-m", "generator", "--project", str(project), "build", "--no-export",
                            "--site", str(project / "site")], capture_output=True, text=True, timeout=120)
    assert build.returncode == 2 and "Traceback" not in build.stderr, build.stderr
    assert not (project / "HOOK_RAN").exists() and not (project / "build/HOOK_RAN").exists()


def test_a_theme_override_cannot_reach_python(make_project, tmp_path):
    """theme/*.html are the fork's too, and Material's templates run in Jinja's sandbox: a block
    that reaches for Python's internals to run a command does not run it."""
    import shutil as _shutil

    from generator.load import Roots
    from generator.pipeline import build_variants

    project = make_project({}, base="minimal")
    _shutil.copytree(Roots(project).theme, project / "theme")
    marker = tmp_path / "SSTI_RAN"
    main = project / "theme/main.html"
    payload = f"{{% set x = cycler.__init__.__globals__.os.popen('touch {marker}').read() %}}"
    main.write_text(main.read_text(encoding="utf-8").replace('{% extends "base.html" %}', '{% extends "base.html" %}' + payload, 1),
                    encoding="utf-8")
    assert payload in main.read_text(encoding="utf-8")
    results = build_variants(Roots(project), None, tmp_path / "site", jobs=1, export=False)
    assert not marker.exists()
    assert results[0].status == "mislukt"
    assert any("sjabloon van het thema" in m and "unsafe" in m for m in results[0].messages), results[0].messages
