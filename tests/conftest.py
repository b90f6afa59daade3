"""Shared test helpers: small projects written from a dict, copies of the fixture projects."""

from __future__ import annotations

import shutil
import textwrap
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
