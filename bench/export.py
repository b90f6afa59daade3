"""Benchmark the interactive PDF: prints, measured in one run (no timed assertions anywhere),

  pdf ratio = (full interactive PDF: combined HTML, passes for the table of contents)
              / (one bare page.pdf() of the same combined HTML)                           target <= 1.3
  pages per second of the full export, one organisation at a time, and of all organisations'
  interactive PDFs printed in two lanes at once, as `rolwijzer build` does on 2 cores: each lane a
  thread printing in the one Chromium of the run (target >= 40 on 2 cores).

Each figure is the median of --repeat runs (default 3): this machine is shared, and one run can
be half again as long as the next.

Usage: python bench/export.py [--org SLUG ...] [--repeat N]   (builds the sites first, without exports)
"""

from __future__ import annotations

import argparse
import logging
import shutil
import statistics
import sys
import tempfile
import threading
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
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    repeat = max(1, args.repeat)
    logging.getLogger("mkdocs").setLevel(logging.ERROR)
    roots = Roots(REPO)
    orgs = args.org or roots.org_slugs()
    work = Path(tempfile.mkdtemp(prefix="rolwijzer-bench-export-"))
    try:
        site_root = work / "site"
        build_variants(roots, orgs, site_root, export=False)
        project = check(roots, orgs)
        from generator.browser import Chromium, Printer

        print(f"{'organisatie':<22} {'pagina':>7} {'volledig s':>11} {'kaal s':>7} {'ratio':>6} {'pag/s':>6}")
        with Chromium() as browser:
            warm(browser)
            for slug in orgs:
                variant = project.variants[slug]
                site = site_root / slug
                document = site / ".bench-print.html"
                document.write_text(combined_html(site, variant, plan(variant)), encoding="utf-8")
                bare, full = [], []
                for n in range(repeat):
                    out = work / slug / str(n)
                    out.mkdir(parents=True)
                    started = time.perf_counter()
                    with Printer(browser) as printer:
                        print_pdf(printer, document, out / "bare.pdf", variant.org.model.name)
                    bare.append(time.perf_counter() - started)
                    exports = Exports(slug)
                    started = time.perf_counter()
                    with Printer(browser) as printer:
                        export_pdf(printer, BuiltSite(slug, variant.org.model.name, site, None), variant, out, exports)
                    full.append(time.perf_counter() - started)
                document.unlink()
                b, f = statistics.median(bare), statistics.median(full)
                print(f"{slug:<22} {exports.pdf_pages:>7} {f:>11.2f} {b:>7.2f} {f / b:>6.2f} {exports.pdf_pages / f:>6.1f}")
        runs = [in_lanes(project, site_root, orgs, work / f"lanes-{n}", lanes=2) for n in range(repeat)]
        pages, seconds = runs[0][0], statistics.median(seconds for _, seconds in runs)
        print(f"{'alle, 2 banen tegelijk':<22} {pages:>7} {seconds:>11.2f} {'':>7} {'':>6} {pages / seconds:>6.1f}")
        print("doel: ratio <= 1.3, >= 40 pagina's per seconde")
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 0


def warm(browser) -> None:  # noqa: ANN001
    """Chromium past its first print (which costs a start-up of its own): what is timed after
    this is printing alone."""
    from generator.browser import Printer

    with Printer(browser) as printer, printer.page("warm") as page:
        page.set_content("<p>warm</p>")
        page.pdf()


def in_lanes(project, site_root: Path, orgs: list[str], out: Path, lanes: int) -> tuple[int, float]:  # noqa: ANN001
    """All interactive PDFs printed by `lanes` threads at once in one Chromium, each lane taking the
    next organisation when it is done (as generator.pipeline does): (PDF pages, wall seconds)."""
    from generator.browser import Chromium, Printer

    waiting = list(orgs)
    lock = threading.Lock()
    pages: list[int] = []
    errors: list[BaseException] = []

    def lane(browser) -> None:  # noqa: ANN001
        try:
            while True:
                with lock:
                    if not waiting:
                        break
                    slug = waiting.pop(0)
                variant = project.variants[slug]
                target = out / slug
                target.mkdir(parents=True)
                exports = Exports(slug)
                with Printer(browser) as printer:
                    export_pdf(printer, BuiltSite(slug, variant.org.model.name, site_root / slug, None), variant, target, exports)
                pages.append(exports.pdf_pages)
        except BaseException as error:  # noqa: BLE001 - reported by the main thread
            errors.append(error)

    with Chromium() as browser:
        for _ in range(lanes):  # every lane's first context past its start-up, as in the lanes of a build
            warm(browser)
        threads = [threading.Thread(target=lane, args=(browser,)) for _ in range(lanes)]
        started = time.perf_counter()
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        seconds = time.perf_counter() - started
    if errors:
        raise errors[0]
    return sum(pages), seconds


if __name__ == "__main__":
    sys.exit(main())
