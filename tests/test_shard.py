"""Sharded builds for a CI matrix: `build --shard K/N` builds a stable share of the organisations,
the shards together are every organisation once, and their sites copied together plus
`rolwijzer index` equal one unsharded build, byte for byte."""

from __future__ import annotations

import datetime as dt
import hashlib
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from generator.load import Roots
from generator.pipeline import in_shard, shard_of
from generator.scaffold import new_org

from .test_publish import project_copy

ORGS = [("basisschool-de-linde", "Basisschool De Linde", "onderwijs"), ("kdv-het-bos", "Kinderdagverblijf Het Bos", "kinderopvang"),
        ("zorg-oost", "Zorggroep Oost", "zorg"), ("sportclub-vooruit", "Sportclub Vooruit", "training")]


def rolwijzer(project: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "generator", "--project", str(project), *args],
                          capture_output=True, text=True, timeout=600)


def digests(root: Path) -> dict[str, str]:
    return {p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(root.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def project(tmp_path_factory) -> Path:
    root = project_copy(tmp_path_factory.mktemp("shard") / "project", ())
    for slug, name, sector in ORGS:
        new_org(Roots(root), slug, name, sector, today=dt.date(2026, 1, 15))
    return root


def test_every_organisation_is_in_exactly_one_shard_and_stays_there():
    slugs = [f"school-{n}" for n in range(200)]
    shards = [in_shard(slugs, (k, 4)) for k in range(1, 5)]
    assert sorted(s for shard in shards for s in shard) == sorted(slugs)
    assert all(30 <= len(shard) <= 70 for shard in shards), [len(s) for s in shards]  # spread, not all in one
    # Adding organisations (anywhere in the alphabet) moves none of the others to another shard.
    more = slugs + ["aaa-nieuw", "mmm-nieuw", "zzz-nieuw"]
    assert all(set(shards[k - 1]) <= set(in_shard(sorted(more), (k, 4))) for k in range(1, 5))
    assert {shard_of(s, 4) for s in slugs} == {1, 2, 3, 4}


def test_shards_copied_together_equal_one_unsharded_build(project, tmp_path):
    whole = tmp_path / "whole"
    result = rolwijzer(project, "build", "--no-export", "--site", str(whole))
    assert result.returncode == 0, result.stderr
    merged = tmp_path / "merged"
    built = []
    for k in (1, 2, 3):
        part = tmp_path / f"shard-{k}"
        result = rolwijzer(project, "build", "--no-export", "--shard", f"{k}/3", "--site", str(part))
        assert result.returncode == 0, result.stderr
        assert f"deel {k} van 3" in result.stdout
        for folder in (part.iterdir() if part.is_dir() else []):  # a shard may hold no organisation
            if folder.is_dir() and not folder.name.startswith("."):
                built.append(folder.name)
                shutil.copytree(folder, merged / folder.name)
    assert sorted(built) == sorted(slug for slug, _, _ in ORGS)
    result = rolwijzer(project, "index", "--site", str(merged))
    assert result.returncode == 0, result.stderr
    assert "4 organisatie(s)" in result.stdout
    a, b = digests(whole), digests(merged)
    assert a.keys() == b.keys(), sorted(set(a) ^ set(b))[:10]
    assert [path for path in a if a[path] != b[path]] == []


def test_a_bad_shard_is_a_clear_error(project):
    result = rolwijzer(project, "build", "--shard", "4/3")
    assert result.returncode == 2
    assert "geen deel: gebruik K/N" in result.stderr


def test_the_guide_s_ci_files_build_every_shard_and_keep_the_cache():
    """The ready CI files in the guide are valid YAML, run every shard of the matrix once, keep
    build/.cache between runs and assemble the shards with `rolwijzer index`."""
    import re

    import yaml

    from .conftest import REPO

    guide = (REPO / "docs/gids/veel-organisaties.md").read_text(encoding="utf-8")
    gitlab, github = (yaml.safe_load(block) for block in re.findall(r"```yaml\n(.*?)```", guide, re.S))
    shards = gitlab["build"]["parallel"]["matrix"][0]["DEEL"]
    assert shards == github["jobs"]["build"]["strategy"]["matrix"]["deel"]
    total = len(shards)
    assert shards == [f"{k}/{total}" for k in range(1, total + 1)]
    assert gitlab["build"]["cache"]["paths"] == ["build/.cache/"]
    steps = github["jobs"]["build"]["steps"]
    assert any(step.get("uses", "").startswith("actions/cache@") and step["with"]["path"] == "build/.cache/" for step in steps)
    assert any("--shard" in step.get("run", "") for step in steps) and any("--shard" in line for line in gitlab["build"]["script"])
    assert "rolwijzer index" in " ".join(gitlab["publish"]["script"])
    assert any("rolwijzer index" in step.get("run", "") for step in github["jobs"]["publish"]["steps"])
