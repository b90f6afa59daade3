"""Fork and customise: new-org for each sector, diff and stale detection on a fixture fork,
review ordering and exit codes."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
from pathlib import Path

import pytest

from generator.diff import diff_org, format_markdown, format_text
from generator.load import Roots
from generator.pipeline import build_variants, check
from generator.review import format_review, review
from generator.scaffold import ScaffoldError, new_org

from .conftest import REPO


def run(project: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "generator", "--project", str(project), *args],
                          capture_output=True, text=True, timeout=300)


@pytest.fixture
def repo_copy(tmp_path) -> Path:
    """The repository's base (no organisations) as a fresh project."""
    import shutil

    project = tmp_path / "fork"
    for name in ("content", "roles", "protocols", "contacts", "letters", "lists", "tables", "schemas", "sectors"):
        if (REPO / name).is_dir():  # the base holds only the kinds it needs
            shutil.copytree(REPO / name, project / name)
    (project / "orgs").mkdir()
    return project


@pytest.mark.parametrize("sector", ["onderwijs", "kinderopvang", "zorg", "training"])
def test_new_org_builds_at_once_and_check_lists_what_is_missing(repo_copy, tmp_path, sector):
    written = new_org(Roots(repo_copy), "nieuw", "Nieuwe organisatie", sector, today=dt.date(2026, 1, 10))
    assert repo_copy / "orgs/nieuw/org.yml" in written
    project = check(Roots(repo_copy), ["nieuw"])
    warnings = [w.format() for w in project.warnings]
    assert any("geen logo ingevuld" in w for w in warnings)
    assert any("geen site_url ingevuld" in w for w in warnings)
    assert not any("geen Veilig Thuis ingevuld" in w for w in warnings), "the national number comes from the base"
    assert project.variants["nieuw"].get("contact", "veilig-thuis").model.phone == "0800-2000"
    assert any("ingevuld (vul phone:, email: in)" in w and "orgs/nieuw/contacts/" in w for w in warnings)
    assert any("te bevestigen: Voeg jullie eigen protocollen toe" in w for w in warnings)
    results = build_variants(Roots(repo_copy), ["nieuw"], tmp_path / "site", jobs=1, export=False)
    assert results[0].status == "gebouwd", results[0].messages
    hub = (tmp_path / "site/nieuw/index.html").read_text(encoding="utf-8")
    assert "Nieuwe organisatie" in hub and hub.count('class="rw-tile"') == len(project.variants["nieuw"].org.model.hub)


def test_new_org_explains_every_field_in_dutch(repo_copy):
    new_org(Roots(repo_copy), "nieuw", "Nieuwe organisatie", "school")
    text = (repo_copy / "orgs/nieuw/org.yml").read_text(encoding="utf-8")
    assert "\nsectors: [onderwijs]\n" in text, "'school' is the old name of the onderwijs pack"
    for key in ("name:", "sectors:", "documents:", "site_url:", "branding:", "document:", "hub:", "menu:", "index:", "terms:", "contacts:"):
        line = text.index("\n" + key) if not text.startswith(key) else 0
        assert text[:line].rstrip().splitlines()[-1].startswith("#"), f"geen uitleg boven {key}"


def test_new_org_refuses_an_existing_or_invalid_slug(repo_copy):
    new_org(Roots(repo_copy), "bestaat", "Bestaat", "school")
    with pytest.raises(ScaffoldError, match="organisatie 'bestaat' bestaat al"):
        new_org(Roots(repo_copy), "bestaat", "Nog een", "school")
    result = run(repo_copy, "new-org", "De Linde!", "--name", "De Linde", "--sector", "school")
    assert result.returncode == 2
    assert "'De Linde!' is geen geldige naam voor een organisatie: gebruik kleine letters, cijfers en '-'" in result.stderr


def git(project: Path, *args: str) -> None:
    subprocess.run(["git", "-c", "user.name=Test", "-c", "user.email=test@example.org", *args], cwd=project, check=True,
                   capture_output=True)


def test_diff_lists_overrides_per_field_additions_and_hidden_files(minimal):
    (minimal / "orgs/voorbeeld/org.yml").write_text(
        (minimal / "orgs/voorbeeld/org.yml").read_text(encoding="utf-8") + "hide: [letters/ouderbrief.md]\n", encoding="utf-8")
    (minimal / "orgs/voorbeeld/content").mkdir()
    (minimal / "orgs/voorbeeld/content/eigen.md").write_text("---\ntitle: Eigen\nsource: x\n---\nTekst.\n", encoding="utf-8")
    report = diff_org(Roots(minimal), "voorbeeld")
    text = format_text(report)
    assert "overschrijft  contacts/veilig-thuis.yml: phone" in text
    assert "voegt toe     orgs/voorbeeld/content/eigen.md" in text
    assert "verbergt      letters/ouderbrief.md" in text
    markdown = format_markdown(report)
    assert "| `contacts/veilig-thuis.yml` | `orgs/voorbeeld/contacts/veilig-thuis.yml` | phone |" in markdown


def test_stale_override_is_found_after_the_base_changes(minimal):
    git(minimal, "init", "-q")
    git(minimal, "add", "-A")
    git(minimal, "commit", "-q", "-m", "basis en overlay", "--date", "2026-01-01T10:00:00")
    assert diff_org(Roots(minimal), "voorbeeld", stale_only=True).changes == []
    base = minimal / "contacts/veilig-thuis.yml"
    base.write_text(base.read_text(encoding="utf-8").replace("Advies- en meldpunt", "Advies- en meldpunt (nieuw)"), encoding="utf-8")
    import os
    import time

    later = time.time() + 60
    os.utime(base, (later, later))
    stale = diff_org(Roots(minimal), "voorbeeld", stale_only=True)
    assert [c.base for c in stale.changes] == ["contacts/veilig-thuis.yml"]
    git(minimal, "add", "-A")
    git(minimal, "commit", "-q", "-m", "basis bijgewerkt")
    assert [c.base for c in diff_org(Roots(minimal), "voorbeeld", stale_only=True).changes] == ["contacts/veilig-thuis.yml"]
    override = minimal / "orgs/voorbeeld/contacts/veilig-thuis.yml"
    override.write_text('phone: "0800 2000"\n# bijgewerkt na de nieuwe basis\n', encoding="utf-8")
    git(minimal, "add", "-A")
    git(minimal, "commit", "-q", "-m", "overlay bijgewerkt")
    assert diff_org(Roots(minimal), "voorbeeld", stale_only=True).changes == []


REVIEW_FILES = {
    "orgs/voorbeeld/org.yml": """
        name: Voorbeeldschool
        sectors: [onderwijs]
        source: x
        document: {owner: Directie, version: "2", date: 2025-01-01, next_review: 2026-06-01}
        hub: [leerkracht, aandachtsfunctionaris]
        terms: {dossiersysteem: ParnasSys}
        index: [{label: Brief, ref: "letter:ouderbrief"}]
        """,
    "orgs/voorbeeld/protocols/meldcode.yml": """
        document: {owner: Aandachtsfunctionaris, next_review: 2026-02-01}
        """,
    "orgs/voorbeeld/contacts/veilig-thuis.yml": """
        document: {owner: Secretariaat, next_review: 2027-03-01}
        """,
}


def test_review_sorts_by_urgency_and_flags_overdue(make_project):
    project = make_project(REVIEW_FILES, base="minimal")
    rows = review(Roots(project), None, dt.date(2026, 3, 1))
    assert [(r.path, r.overdue) for r in rows] == [
        ("orgs/voorbeeld/protocols/meldcode.yml", True),
        ("orgs/voorbeeld/org.yml", False),
        ("orgs/voorbeeld/contacts/veilig-thuis.yml", False),
    ]
    assert rows[0].owner == "Aandachtsfunctionaris" and rows[0].version == "2"  # version from the organisation
    assert format_review(rows).splitlines()[1].startswith("VERLOPEN  01-02-2026")


def test_review_exit_codes(make_project):
    project = make_project(REVIEW_FILES, base="minimal")
    assert run(project, "review", "--today", "2026-01-15", "--fail-overdue").returncode == 0
    overdue = run(project, "review", "--today", "2026-03-01", "--fail-overdue")
    assert overdue.returncode == 1 and "1 document(en) zijn over de datum voor herziening" in overdue.stderr
    assert run(project, "review", "--today", "2026-03-01").returncode == 0


def test_page_shows_its_document_date(make_project, tmp_path):
    project = make_project(REVIEW_FILES, base="minimal")
    build_variants(Roots(project), None, tmp_path / "site", jobs=1, export=False)
    page = (tmp_path / "site/voorbeeld/protocollen/meldcode.html").read_text(encoding="utf-8")
    assert "datum 01-01-2025" in page and "eigenaar Aandachtsfunctionaris" in page and "herzien vóór 01-02-2026" in page


def test_customisation_guide_builds_strict_without_broken_links(tmp_path):
    """The guide in docs/ is its own small site, built and link-checked like the variants."""
    out = tmp_path / "handleiding"
    result = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "-f", str(REPO / "docs/mkdocs.yml"),
                             "-d", str(out)], capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    index = (out / "index.html").read_text(encoding="utf-8")
    assert '<html lang="nl"' in index
    assert "unpkg" not in index and "fonts.googleapis" not in index  # offline: nothing from a CDN
    for page in ("nieuwe-organisatie", "telefoonnummer", "pagina-aanpassen", "rol-verbergen", "protocol-toevoegen",
                 "huisstijl", "voorbeeld-bekijken", "publiceren", "bijwerken", "controle", "editor"):
        assert (out / f"{page}.html").is_file(), page


def test_guide_commands_exist_in_the_cli():
    """Every `rolwijzer <command>` the guide tells a policy owner to type is a real command."""
    import re

    from generator.cli import parser

    commands = set(parser()._subparsers._group_actions[0].choices)
    used = set()
    for page in (REPO / "docs/gids").glob("*.md"):
        used |= set(re.findall(r"rolwijzer ([a-z-]+)", page.read_text(encoding="utf-8")))
    assert used and used <= commands, used - commands
