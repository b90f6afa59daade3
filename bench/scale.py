"""Benchmark at the scale of a sector: many organisations from one base. Prints figures measured in
one run (nothing is asserted anywhere; machines here are shared and noisy).

  python bench/scale.py                 # 50 synthetic organisations + the real four, and again at 10
  python bench/scale.py --orgs 20       # another N
  python bench/scale.py --export-orgs 0 # skip the runs with exports (they take minutes)
  python bench/scale.py --repeat 5      # each site-only build 5 times, the median printed (default 3)
  python bench/scale.py --profile       # also: where the milliseconds of one variant's pages go

The synthetic organisations are made with the same code as `rolwijzer new-org` (a mix of the four
sectors) in a copy of the project. Every run is a whole `rolwijzer build` process, timed from
outside; peak memory is the largest resident set of that process or any of its workers.

Printed per run: organisations, pages, seconds, ms per page, speed-up of all cores over one, peak
memory per process; with exports also PDF pages and PDF pages per second. The same figures at N=10
show how the cost grows with N (it should grow linearly with pages, or better). Also: a clean
rebuild after editing one base page, against the first clean build. And the same sources built in
three shards (`--shard K/3`), copied together and indexed, compared with one unsharded build.
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import itertools
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from generator.load import Roots  # noqa: E402
from generator.scaffold import new_org  # noqa: E402

SECTORS = ["onderwijs", "kinderopvang", "zorg", "training"]
SKIP = {"site", "build", ".venv", ".git", "tests", "bench", "rolwijzer.egg-info", "docs", "tools"}

# Runs the build as its child, then reports the wall time and the largest resident set (KiB) of any
# process below it: getrusage(RUSAGE_CHILDREN) covers the workers the build itself waited for.
RUNNER = ("import json, resource, subprocess, sys, time\n"
          "started = time.perf_counter()\n"
          "done = subprocess.run(sys.argv[1:], capture_output=True, text=True)\n"
          "seconds = time.perf_counter() - started\n"
          "print(json.dumps({'seconds': seconds, 'rc': done.returncode, 'peak_kib': resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss,"
          " 'err': done.stderr[-2000:]}))\n")


def make_project(root: Path, count: int) -> Path:
    """A copy of the project's sources with `count` new organisations beside the real ones."""
    root.mkdir(parents=True)
    for item in REPO.iterdir():
        if item.name in SKIP or item.name.startswith("."):
            continue
        (shutil.copytree if item.is_dir() else shutil.copy2)(item, root / item.name)
    roots = Roots(root)
    for n in range(count):
        sector = SECTORS[n % len(SECTORS)]
        new_org(roots, f"org-{n:03d}-{sector}", f"Organisatie {n} ({sector})", sector, today=dt.date(2026, 1, 15))
    return root


def forget(project: Path) -> None:
    """A clean build from nothing: no staging, no kept pages, prints or compiled templates."""
    shutil.rmtree(project / "build", ignore_errors=True)


def build(project: Path, site: Path, jobs: int, export: bool, orgs: list[str] | None = None, shard: str | None = None) -> dict:
    command = [sys.executable, "-m", "generator", "--project", str(project), "build", "--force", "--site", str(site),
               "--jobs", str(jobs)]
    if not export:
        command.append("--no-export")
    for slug in orgs or []:
        command += ["--org", slug]
    if shard:
        command += ["--shard", shard]
    out = subprocess.run([sys.executable, "-c", RUNNER, *command], capture_output=True, text=True, cwd=project)
    result = json.loads(out.stdout.strip().splitlines()[-1])
    if result["rc"] != 0:
        raise SystemExit(f"build failed ({result['rc']}):\n{result['err']}")
    result["pages"] = sum(pages_of(site / slug) for slug in (orgs or Roots(project).org_slugs()) if (site / slug).is_dir())
    if export:
        result["pdf_pages"] = sum(pdf_pages(site / slug / "downloads") for slug in (orgs or Roots(project).org_slugs()))
    return result


def digests(root: Path) -> dict[str, str]:
    return {p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(root.rglob("*")) if p.is_file()}


def sharded(project: Path, work: Path, count: int, cores: int, shards: int, whole: Path) -> None:
    """The organisations in `shards` shards (`build --shard K/N`, as a CI matrix runs them), their
    sites copied together and `rolwijzer index` run, against `whole`: one unsharded build of the
    same sources."""
    merged = work / f"site-{count}-merged"
    runs = []
    for number in range(1, shards + 1):
        part = work / f"site-{count}-shard-{number}"
        runs.append(build(project, part, cores, False, shard=f"{number}/{shards}"))
        for folder in (part.iterdir() if part.is_dir() else []):
            if folder.is_dir() and not folder.name.startswith("."):
                shutil.copytree(folder, merged / folder.name)
    index = subprocess.run([sys.executable, "-m", "generator", "--project", str(project), "index", "--site", str(merged)],
                           capture_output=True, text=True, cwd=project)
    a, b = digests(whole), digests(merged)
    differ = sorted(set(a) ^ set(b)) + [path for path in a if path in b and a[path] != b[path]]
    verdict = (f"equal to one unsharded build, byte for byte ({len(a)} files)" if index.returncode == 0 and not differ
               else f"NOT equal to one unsharded build: {index.stderr[-300:]} {differ[:5]}")
    print(f"{shards} shards (--shard K/{shards}): " + ", ".join(f"{run['pages']} pages in {run['seconds']:.1f} s" for run in runs)
          + f"; copied together + rolwijzer index: {verdict}")


def pages_of(site: Path) -> int:
    return sum(1 for p in site.rglob("*.html") if "assets" not in p.parts and "downloads" not in p.parts)


def pdf_pages(downloads: Path) -> int:
    from pypdf import PdfReader

    return sum(len(PdfReader(str(p)).pages) for p in downloads.rglob("*.pdf"))


def line(label: str, run: dict, base: dict | None = None) -> str:
    ms = 1000 * run["seconds"] / max(1, run["pages"])
    text = f"{label:<34} {run['pages']:>6} pages {run['seconds']:>8.1f} s {ms:>7.1f} ms/page  peak {run['peak_kib'] / 1024:>6.0f} MiB"
    if base is not None:
        text += f"  speed-up {base['seconds'] / run['seconds']:.2f}"
    if "pdf_pages" in run:
        text += f"  {run['pdf_pages']} PDF pages, {run['pdf_pages'] / run['seconds']:.1f} PDF pages/s (whole build)"
    return text


def median(runs: list[dict]) -> dict:
    """The run of median time (of an odd number; the slower middle one of an even), with the
    largest peak of them all: this machine is shared, and one run can be twice another."""
    middle = dict(sorted(runs, key=lambda run: run["seconds"])[len(runs) // 2])
    middle["peak_kib"] = max(run["peak_kib"] for run in runs)
    return middle


def measure(count: int, work: Path, export_orgs: int, cores: int, repeat: int) -> None:
    project = make_project(work / f"project-{count}", count)
    slugs = Roots(project).org_slugs()
    print(f"\nN = {count} synthetic + {len(slugs) - count} real = {len(slugs)} organisations, {cores} cores"
          f" (site only: median of {repeat} runs)")

    def clean(site: str, jobs: int) -> dict:
        forget(project)
        return build(project, work / site, jobs, False)

    serial = median([clean(f"site-{count}-serial-{n}", 1) for n in range(repeat)])
    print(line("site only, 1 process", serial))
    # Each clean build with all cores is followed by two clean rebuilds (--force: every
    # organisation) after one base page changed, with the clean build's build/.cache kept, as it
    # is between two runs on one machine or CI runner: once into the site folder of the clean build
    # (as on one machine: pages that come out the same are the published files), once into an empty
    # one (as in CI, where only build/.cache is kept between runs). Each rebuild edits the page
    # again. A ratio is taken within each such triple, minutes apart at most: this machine's speed
    # changes from one minute to the next, and a ratio of two medians taken far apart shows that.
    page = sorted((project / "content").rglob("*.md"))[0]
    edits = itertools.count()

    def edited(site: str) -> dict:
        page.write_text(page.read_text(encoding="utf-8") + f"\nEen zin erbij voor meting {next(edits)}.\n", encoding="utf-8")
        return build(project, work / site, cores, False)

    triples = []
    for n in range(repeat):
        first = clean(f"site-{count}-all-{n}", cores)
        triples.append((first, edited(f"site-{count}-all-{n}"), edited(f"site-{count}-empty-{n}")))
    parallel = median([first for first, _, _ in triples])
    print(line(f"site only, {cores} processes", parallel, serial))
    again = median([same for _, same, _ in triples])
    ratios = sorted(same["seconds"] / first["seconds"] for first, same, _ in triples)
    print(line("clean rebuild after 1 base edit", again) + f"  ratio to its clean build {ratios[len(ratios) // 2]:.2f}"
          f" (median; all {', '.join(f'{r:.2f}' for r in ratios)})")
    empty = median([into_empty for _, _, into_empty in triples])
    ratios = sorted(into_empty["seconds"] / first["seconds"] for first, _, into_empty in triples)
    print(line("  the same, into an empty site/", empty) + f"  ratio {ratios[len(ratios) // 2]:.2f}"
          f" (median; all {', '.join(f'{r:.2f}' for r in ratios)})")
    sharded(project, work, count, cores, 3, work / f"site-{count}-empty-{repeat - 1}")  # (built from the sources as they are now)
    if export_orgs:
        chosen = slugs[:export_orgs]
        forget(project)
        site_only = build(project, work / f"site-{count}-export-site", cores, False, chosen)
        forget(project)
        with_exports = build(project, work / f"site-{count}-export", cores, True, chosen)
        print(line(f"with exports, {len(chosen)} orgs, {cores} processes", with_exports)
              + f"  exports add {with_exports['seconds'] - site_only['seconds']:.1f} s over site only ({site_only['seconds']:.1f} s)")
        page.write_text(page.read_text(encoding="utf-8") + "\nNog een zin erbij.\n", encoding="utf-8")
        again = build(project, work / f"site-{count}-export", cores, True, chosen)
        print(line("  again after 1 base edit", again)
              + f"  ratio {again['seconds'] / with_exports['seconds']:.2f} (unchanged documents are not printed again)")


def profile(work: Path) -> None:
    """cProfile of one variant's site build in this process, grouped by who owns the time."""
    import cProfile
    import logging
    import pstats

    from generator.pipeline import build_variants

    logging.getLogger("mkdocs").setLevel(logging.ERROR)
    roots = Roots(REPO)
    slug = "wij-de-venen"
    build_variants(roots, [slug], work / "warm", force=True, jobs=1, export=False)  # warm imports and caches
    profiler = cProfile.Profile()
    profiler.enable()
    build_variants(roots, [slug], work / "profile", force=True, jobs=1, export=False)
    profiler.disable()
    stats = pstats.Stats(profiler)
    owners = {"markdown (Python-Markdown, pymdownx)": ("/markdown/", "/pymdownx/"), "jinja2 (Material's templates)": ("/jinja2/",),
              "material (theme, plugins: search, offline, ...)": ("/material/",), "mkdocs (core, nav, files)": ("/mkdocs/",),
              "rolwijzer (load, validate, render, publish)": ("/generator/",), "yaml / pydantic": ("/yaml/", "/pydantic"),
              "beautifulsoup / nh3 (sanitise)": ("/bs4/", "/nh3")}
    own: dict[str, float] = {name: 0.0 for name in owners}
    own["other"] = 0.0
    total = 0.0
    for (filename, _, _), (_, _, tottime, _, _) in stats.stats.items():
        total += tottime
        for name, parts in owners.items():
            if any(part in filename for part in parts):
                own[name] += tottime
                break
        else:
            own["other"] += tottime
    pages = pages_of(work / "profile" / slug)
    print(f"\nprofile of {slug}, site only, one process: {total:.2f} s own time, {pages} pages ({1000 * total / pages:.1f} ms/page)")
    for name, seconds in sorted(own.items(), key=lambda kv: -kv[1]):
        print(f"  {name:<48} {seconds:>6.2f} s  {100 * seconds / total:>5.1f} %")
    print("  largest in 'other' (standard library and built-ins, called by all of the above):")
    others = [(tottime, filename, name) for (filename, _, name), (_, _, tottime, _, _) in stats.stats.items()
              if not any(part in filename for parts in owners.values() for part in parts)]
    for tottime, filename, name in sorted(others, reverse=True)[:8]:
        print(f"    {tottime:>6.2f} s  {Path(filename).name}:{name}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--orgs", type=int, default=50, help="synthetic organisations (default 50)")
    parser.add_argument("--small", type=int, default=10, help="the second, smaller N (default 10; 0: skip)")
    parser.add_argument("--export-orgs", type=int, default=10, help="organisations in the runs with exports (default 10; 0: none)")
    parser.add_argument("--repeat", type=int, default=3, help="runs of each site-only build; the median is printed (default 3)")
    parser.add_argument("--profile", action="store_true")
    args = parser.parse_args()
    cores = os.cpu_count() or 1
    work = Path(tempfile.mkdtemp(prefix="rolwijzer-scale-"))
    started = time.perf_counter()
    try:
        for count in [n for n in (args.orgs, args.small) if n]:
            measure(count, work, args.export_orgs, cores, max(1, args.repeat))
        if args.profile:
            profile(work)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print(f"\n(benchmark took {time.perf_counter() - started:.0f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
