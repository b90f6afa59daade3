"""Benchmark the interactive PDF: prints, measured in one run (no timed assertions anywhere),

  pdf ratio = (full interactive PDF: combined HTML, passes for the table of contents)
              / (one bare page.pdf() of the same combined HTML)                           target <= 1.3
  pages per second of the full export (target >= 40).

Usage: python bench/export.py [--org SLUG ...]   (builds the sites first if needed, without exports)
"""

from __future__ import annotations

import argparse
import logging
import shutil
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from generator.build import BuiltSite  # noqa: E402
from generator.export import Exports  # noqa: E402
from generator.export.pdf import combined_html, export_pdf, print_pdf  # noqa: E402
from generator.outputs import reading_order as plan  # noqa: E402
from generator.load import Roots  # noqa: E402
from generator.pipeline import build_variants, check  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--org", action="append")
    args = parser.parse_args()
    logging.getLogger("mkdocs").setLevel(logging.ERROR)
    roots = Roots(REPO)
    orgs = args.org or roots.org_slugs()
    work = Path(tempfile.mkdtemp(prefix="rolwijzer-bench-export-"))
    try:
        site_root = work / "site"
        build_variants(roots, orgs, site_root, export=False)
        project = check(roots, orgs)
        from playwright.sync_api import sync_playwright

        from generator.browser import Printer, launch

        print(f"{'organisatie':<22} {'pagina':>7} {'volledig s':>11} {'kaal s':>7} {'ratio':>6} {'pag/s':>6}")
        with sync_playwright() as playwright:
            browser = launch(playwright)
            warm = browser.new_page()
            warm.set_content("<p>warm</p>")
            warm.pdf(path=str(work / "warm.pdf"))
            warm.close()
            for slug in orgs:
                variant = project.variants[slug]
                site = site_root / slug
                out = work / slug
                out.mkdir()
                document = site / ".bench-print.html"
                document.write_text(combined_html(site, variant, plan(variant)), encoding="utf-8")
                started = time.perf_counter()
                print_pdf(Printer(browser), document, out / "bare.pdf", variant.org.model.name)
                bare = time.perf_counter() - started
                document.unlink()
                exports = Exports(slug)
                started = time.perf_counter()
                export_pdf(Printer(browser), BuiltSite(slug, variant.org.model.name, site, None), variant, out, exports)
                full = time.perf_counter() - started
                print(f"{slug:<22} {exports.pdf_pages:>7} {full:>11.2f} {bare:>7.2f} {full / bare:>6.2f} {exports.pdf_pages / full:>6.1f}")
            browser.close()
        print("doel: ratio <= 1.3, >= 40 pagina's per seconde")
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
