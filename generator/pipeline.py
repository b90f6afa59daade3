"""The whole run, top to bottom: load -> validate -> (per variant, in parallel) render -> build ->
publish. Everything is checked before anything is written; unchanged variants are skipped."""

from __future__ import annotations

import hashlib
import os
import shutil
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from typing import Callable

from . import __version__
from .build import BuildError, build
from .kinds import KINDS
from .load import Roots, load
from .publish import publish, published_stamp, write_index
from .render import render
from .validate import Project, validate


@dataclass(frozen=True)
class Result:
    slug: str
    status: str  # "gebouwd", "ongewijzigd", "mislukt"
    seconds: float
    messages: tuple[str, ...] = ()


def check(roots: Roots, orgs: list[str] | None = None) -> Project:
    """Load and validate; raises ContentError with every problem."""
    return validate(load(roots), orgs)


def input_stamp(roots: Roots, slug: str) -> str:
    """A hash of everything a variant's output depends on: base, its overlay, theme, generator."""
    digest = hashlib.sha256()
    project = roots.project
    files: list[Path] = [roots.base_config]
    for kind in KINDS:
        files += sorted((project / kind.folder).rglob("*")) if (project / kind.folder).is_dir() else []
    for folder in (roots.org_dir(slug), roots.theme, Path(__file__).parent):
        files += sorted(p for p in folder.rglob("*") if "__pycache__" not in p.parts)
    for path in files:
        if path.is_file():
            digest.update(path.relative_to(project).as_posix().encode() if path.is_relative_to(project) else path.name.encode())
            digest.update(path.read_bytes())
    for package in ("mkdocs", "mkdocs-material"):
        digest.update(metadata.version(package).encode())
    digest.update(__version__.encode())
    return digest.hexdigest()


def build_one(project_dir: str, slug: str, site_dir: str, stage_dir: str, stamp: str,
              project: Project | None = None) -> Result:
    """Render, build and publish one variant. A worker process loads and validates again (cheap)
    rather than receiving the project; in-process the already validated project is reused."""
    started = time.perf_counter()
    roots = Roots(Path(project_dir))
    site_root = Path(site_dir)
    site_root.mkdir(parents=True, exist_ok=True)
    if project is None:
        project = validate(load(roots), [slug])
    staged = render(project.variants[slug], roots, Path(stage_dir))
    out_dir = Path(tempfile.mkdtemp(prefix=f".{slug}.new-", dir=site_root))
    try:
        built = build(staged, out_dir)
        publish(built, site_root, stamp)
    except BuildError as error:
        shutil.rmtree(out_dir, ignore_errors=True)
        return Result(slug, "mislukt", time.perf_counter() - started, tuple(error.messages))
    except BaseException:
        shutil.rmtree(out_dir, ignore_errors=True)
        raise
    return Result(slug, "gebouwd", time.perf_counter() - started)


def build_variants(roots: Roots, orgs: list[str] | None, site_root: Path, *, force: bool = False,
                   jobs: int | None = None, on_result: Callable[[Result], None] | None = None,
                   on_start: Callable[[list[str]], None] | None = None) -> list[Result]:
    """Validate everything, then build the variants whose inputs changed, in parallel."""
    project = check(roots, orgs)
    slugs = sorted(project.variants)
    stage_root = roots.project / "build"
    todo, results = [], []
    for slug in slugs:
        stamp = input_stamp(roots, slug)
        if not force and published_stamp(site_root, slug) == stamp:
            result = Result(slug, "ongewijzigd", 0.0)
            results.append(result)
            if on_result:
                on_result(result)
        else:
            todo.append((slug, stamp))
    if on_start:
        on_start([slug for slug, _ in todo])
    workers = max(1, min(len(todo), jobs or os.cpu_count() or 1))
    if workers == 1:
        for slug, stamp in todo:
            result = build_one(str(roots.project), slug, str(site_root), str(stage_root), stamp, project)
            results.append(result)
            if on_result:
                on_result(result)
    elif todo:
        with ProcessPoolExecutor(max_workers=workers) as pool:
            futures = [pool.submit(build_one, str(roots.project), slug, str(site_root), str(stage_root), stamp) for slug, stamp in todo]
            for future in as_completed(futures):
                result = future.result()
                results.append(result)
                if on_result:
                    on_result(result)
    if site_root.is_dir():
        write_index(site_root)
    return sorted(results, key=lambda r: r.slug)
