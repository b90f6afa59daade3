"""Shared test helpers: small projects written from a dict, copies of the fixture projects."""

from __future__ import annotations

import fcntl
import functools
import os
import shutil
import textwrap
from collections.abc import Callable
from pathlib import Path

import pytest

from generator.load import Roots

REPO = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"


def write_files(root: Path, files: dict[str, str]) -> Path:
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
    return root


@pytest.fixture
def make_project(tmp_path: Path):
    """make_project({"roles/x.yml": "...", ...}) -> project dir (mkdocs.yml and theme come from Rolwijzer)."""

    def make(files: dict[str, str], base: str | None = None) -> Path:
        root = tmp_path / "project"
        if base:
            shutil.copytree(FIXTURES / base, root, ignore=shutil.ignore_patterns("build", "site"))
        root.mkdir(exist_ok=True)
        return write_files(root, files)

    return make


@pytest.fixture
def minimal(make_project) -> Path:
    """A copy of tests/fixtures/minimal: one organisation 'voorbeeld', two roles, the meldcode."""
    return make_project({}, base="minimal")


@pytest.fixture
def roots(minimal: Path) -> Roots:
    return Roots(minimal)


EXPORT_FILES = {
    "orgs/voorbeeld/org.yml": """
        name: Voorbeeldschool
        sectors: [onderwijs]
        source: "003_9a54ac296a9565ce.txt:1-10"
        site_url: https://intranet.voorbeeld.nl/beleid/voorbeeld
        document: {owner: Directie, version: "1.2", date: 2026-01-15, next_review: 2027-01-15}
        hub: [leerkracht, aandachtsfunctionaris]
        menu:
          - label: Meldcode
            ref: protocol:meldcode
        terms:
          dossiersysteem: ParnasSys
        contacts: [veilig-thuis]
        index:
          - {label: Meldcode, ref: "protocol:meldcode"}
          - {label: Ouderbrief, ref: "letter:ouderbrief"}
        """,
    "orgs/voorbeeld/content/meldcode/signaleren.md": """
        ---
        schoolgids: true
        ---
        """,
    "orgs/voorbeeld/roles/leerkracht.yml": """
        actions:
          - Schrijf op wat je ziet, alleen feiten.
          - Bespreek je zorg met een collega.
          - Praat met de ouders.
        first_step: Is een kind in acuut gevaar? Bel direct de aandachtsfunctionaris.
        """,
}


def build_minimal(root: Path, files: dict[str, str], export: bool = True) -> Path:
    """A copy of the minimal fixture with `files` written over it, built into root/site; returns site/."""
    from generator.pipeline import build_variants

    project = root / "project"
    shutil.copytree(FIXTURES / "minimal", project, ignore=shutil.ignore_patterns("build", "site"))
    write_files(project, files)
    site = root / "site"
    results = build_variants(Roots(project), None, site, jobs=1, export=export)
    assert [(r.slug, r.status) for r in results] == [("voorbeeld", "gebouwd")], [r.messages for r in results]
    return site


def built_once(tmp_path_factory, name: str, build: Callable[[Path], Path]) -> Path:
    """A tree built once for the whole test run and then only read: build(root) -> the tree.
    Under pytest-xdist every worker asks for it; the first builds it in the run's shared temporary
    folder while the others wait on a lock, then all read the same tree."""
    if "PYTEST_XDIST_WORKER" not in os.environ:
        return build(tmp_path_factory.mktemp(name))
    shared = tmp_path_factory.getbasetemp().parent
    with open(shared / f"{name}.lock", "w", encoding="utf-8") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        root, done = shared / name, shared / f"{name}.done"
        if not done.is_file():
            shutil.rmtree(root, ignore_errors=True)  # left by a worker whose build failed
            root.mkdir()
            done.write_text(build(root).relative_to(root).as_posix(), encoding="utf-8")
        return root / done.read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def minimal_site(tmp_path_factory) -> Path:
    """The minimal fixture with exports (site_url, a schoolgids section, role actions), built once."""
    return built_once(tmp_path_factory, "minimal", lambda root: build_minimal(root, EXPORT_FILES))


@pytest.fixture(scope="session")
def minimal_site_without_address(tmp_path_factory) -> Path:
    """The same exports without any site address: no QR code may be promised, links stay inside."""
    files = dict(EXPORT_FILES)
    files["orgs/voorbeeld/org.yml"] = "\n".join(line for line in files["orgs/voorbeeld/org.yml"].splitlines() if "site_url" not in line)
    return built_once(tmp_path_factory, "minimal-no-address", lambda root: build_minimal(root, files))


def pdf_page_texts(pdf: Path) -> tuple[str, ...]:
    """The text of every page of a PDF as pypdf extracts it. Several suites read the same built
    PDFs (pypdf takes seconds for a 100-page one): each file version is read once per session."""
    stat = pdf.stat()
    return _pdf_page_texts(str(pdf), stat.st_mtime_ns, stat.st_size)


@functools.cache
def _pdf_page_texts(path: str, mtime_ns: int, size: int) -> tuple[str, ...]:
    from pypdf import PdfReader

    return tuple(page.extract_text() or "" for page in PdfReader(path).pages)


ORGS = ["de-kindpartners", "reset", "veilige-zorgrelatie", "wij-de-venen"]
SITE_BASE = "https://beleid.example.nl"  # the four variants are built as if published at SITE_BASE/<org>/


@pytest.fixture(scope="session")
def sites(tmp_path_factory) -> Path:
    from generator.pipeline import build_variants

    def build(root: Path) -> Path:
        site = root / "site"
        results = build_variants(Roots(REPO, SITE_BASE), None, site)
        assert [(r.slug, r.status) for r in results] == [(slug, "gebouwd") for slug in ORGS], [r.messages for r in results]
        return site

    return built_once(tmp_path_factory, "variants", build)


