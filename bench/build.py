"""Benchmark the build: prints ratios measured in one run (no timed assertions anywhere).

  overhead = (rolwijzer build of a variant, site only) / (bare `mkdocs build` of the same staged docs)   target <= 1.05
             twice: "koud" with an empty page cache (build/.cache/pages removed before each run: every
             page converted and themed, as bare MkDocs does), and "warm" with the cache of the run before
  (the exports -- PDF, role cards, schoolgids -- are measured by bench/export.py)
  no-op    = (rolwijzer build with nothing changed) / (clean rolwijzer build)                 target <= 0.10

Usage: python bench/build.py [--org SLUG ...] [--repeat N]
"""

from __future__ import annotations

import argparse
import logging
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from generator.load import Roots  # noqa: E402
from generator.pipeline import build_variants  # noqa: E402


def bare_mkdocs(config_file: Path, out: Path) -> float:
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    started = time.perf_counter()
    build(load_config(str(config_file), site_dir=str(out), strict=True))
    return time.perf_counter() - started


def timed(func) -> float:
    started = time.perf_counter()
    func()
    return time.perf_counter() - started


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--org", action="append")
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    logging.getLogger("mkdocs").setLevel(logging.ERROR)
    roots = Roots(REPO)
    orgs = args.org or roots.org_slugs()
    work = Path(tempfile.mkdtemp(prefix="rolwijzer-bench-"))
    try:
        print(f"{'organisatie':<22} {'koud s':>7} {'warm s':>7} {'mkdocs s':>9} {'overhead koud':>14} {'warm':>6} {'no-op s':>8} {'no-op':>7}")
        pages = REPO / "build" / ".cache" / "pages"
        for slug in orgs:
            site = work / "site"
            cold, warm, bare, noop = [], [], [], []
            for _ in range(args.repeat):
                # Alternate the order, so neither side always runs on a warmer machine.
                if len(cold) % 2:
                    bare.append(bare_mkdocs(REPO / "build" / slug / "mkdocs.yml", work / "bare"))
                shutil.rmtree(pages, ignore_errors=True)
                cold.append(timed(lambda: build_variants(roots, [slug], site, force=True, jobs=1, export=False)))
                warm.append(timed(lambda: build_variants(roots, [slug], site, force=True, jobs=1, export=False)))
                if len(cold) % 2:
                    bare.append(bare_mkdocs(REPO / "build" / slug / "mkdocs.yml", work / "bare"))
                noop.append(timed(lambda: build_variants(roots, [slug], site, jobs=1, export=False)))
            c, w, b, n = (statistics.median(x) for x in (cold, warm, bare, noop))
            print(f"{slug:<22} {c:>7.2f} {w:>7.2f} {b:>9.2f} {c / b:>14.2f} {w / b:>6.2f} {n:>8.3f} {n / c:>7.3f}")
        serial = timed(lambda: build_variants(roots, orgs, work / "site-serial", force=True, jobs=1, export=False))
        parallel = timed(lambda: build_variants(roots, orgs, work / "site-all", force=True, export=False))
        print(f"alle {len(orgs)} organisatie(s): na elkaar {serial:.2f} s, parallel {parallel:.2f} s (ratio {parallel / serial:.2f})")
        print("doelen: overhead <= 1.05, no-op <= 0.10")
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
