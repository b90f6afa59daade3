"""The whole run, top to bottom: load -> validate -> render + build (one process per variant, in
parallel) -> export (one warm Chromium for all variants) -> publish. Everything is checked before
anything is written; variants whose inputs did not change are skipped.

A build or export holds site/'s lock from validation to the index (see publish.site_lock) and
first removes what killed builds left behind; a build also holds the lock of build/, the staging
folder that builds of one project into different site folders share. A second build waits. Ctrl-C (KeyboardInterrupt in the main thread)
stops the worker processes and Chromium, removes the unpublished folders and is raised again:
site/<org> is then the old site or, when the exchange already happened, the new one."""

from __future__ import annotations

import contextlib
import hashlib
import importlib
import logging
import multiprocessing
import os
import queue
import shutil
import signal
import tempfile
import threading
import time
from contextlib import contextmanager
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass, replace
from importlib import metadata
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator

from . import __version__
from .baseconfig import check_base_config
from .build import BuildError, BuiltSite, build, build_date
from .kinds import KINDS
from .load import Roots, load
from . import codecache, filestore, markup, pagecache
from .problems import ContentError, relpath
from .publish import (LOCK, PublishError, leftovers, make_dir, publish, publish_error, published_stamp, remove_leftovers,
                      site_lock, write_index)
from .render import render
from .resolve import Variant
from .validate import Project, Validation


@dataclass(frozen=True)
class Result:
    slug: str
    status: str  # "gebouwd", "ongewijzigd", "mislukt"
    seconds: float
    messages: tuple[str, ...] = ()
    built: BuiltSite | None = None
    stamp: str = ""
    notes: tuple[str, ...] = ()  # export notes (what was not made, and why)
    pdf_pages: int = 0


def check(roots: Roots, orgs: list[str] | None = None) -> Project:
    """Load and validate; raises ContentError with every problem. Every variant gets its public
    address (org.yml's site_url, else the run's `--site-url` base)."""
    validation = _validation(roots, orgs)
    for _ in _checked_variants(roots, validation):
        pass
    return validation.project()


def _validation(roots: Roots, orgs: list[str] | None) -> Validation:
    """The sources loaded and the base files checked (ContentError when a file cannot be read);
    the variants are checked as Validation.variants() reaches them."""
    config = roots.base_config
    config_problems = check_base_config(config, relpath(config, roots.project))
    try:
        docs = load(roots, orgs)
    except ContentError as error:
        raise ContentError(config_problems + error.problems) from None
    return Validation(docs, orgs, roots.project, config_problems)


def _checked_variants(roots: Roots, validation: Validation) -> Iterator[Variant]:
    """Each variant once checked, with its public address while the sources hold no error."""
    for variant in validation.variants():
        if not validation.failed:
            variant.site_url = roots.site_url(variant.slug, variant.org.model.site_url)
        yield variant


def shard_of(slug: str, count: int) -> int:
    """The shard (1..count) that builds organisation `slug`: from a hash of its name alone, so an
    organisation stays in its shard when others are added or removed."""
    return int(hashlib.sha256(slug.encode("utf-8")).hexdigest(), 16) % count + 1


def in_shard(slugs: list[str], shard: tuple[int, int] | None) -> list[str]:
    """The organisations of shard K of N (`--shard K/N`); all of them without a shard."""
    if shard is None:
        return slugs
    number, count = shard
    return [slug for slug in slugs if shard_of(slug, count) == number]


def shared_stamp(roots: Roots) -> str:
    """A hash of what every variant's output depends on: the base, the sector packs, the theme,
    the generator and the MkDocs versions. Computed once per run, not once per organisation."""
    digest = hashlib.sha256()
    project = roots.project
    files: list[Path] = [roots.base_config]
    for kind in KINDS:
        files += sorted((project / kind.folder).rglob("*")) if (project / kind.folder).is_dir() else []
    for folder in (roots.sectors, roots.theme, Path(__file__).parent):
        files += sorted(p for p in folder.rglob("*") if "__pycache__" not in p.parts)
    _hash_files(digest, project, files)
    for package in ("mkdocs", "mkdocs-material"):
        digest.update(metadata.version(package).encode())
    return digest.hexdigest()


def input_stamp(roots: Roots, slug: str, export: bool = True, shared: str | None = None) -> str:
    """A hash of everything a variant's output depends on: `shared` (see shared_stamp) and its overlay."""
    digest = hashlib.sha256((shared or shared_stamp(roots)).encode())
    _hash_files(digest, roots.project, sorted(p for p in roots.org_dir(slug).rglob("*") if "__pycache__" not in p.parts))
    digest.update(f"{__version__} export={export} site={roots.site_url(slug)}".encode())
    return digest.hexdigest()


def _hash_files(digest: Any, project: Path, files: list[Path]) -> None:
    for path in files:
        if path.is_file():
            digest.update(path.relative_to(project).as_posix().encode() if path.is_relative_to(project) else path.name.encode())
            digest.update(path.read_bytes())


def build_one(project_dir: str, variant: Variant, site_dir: str, stage_dir: str, stamp: str,
              export: bool = True, site_base: str = "") -> Result:
    """Render and build one validated variant into a fresh directory beside site/<org>/. A worker
    process receives the variant (pickled: a few milliseconds) instead of loading and validating
    its sources again (tens of milliseconds, more than the rest of a cached build)."""
    started = time.perf_counter()
    slug = variant.slug
    roots = Roots(Path(project_dir), site_base)
    site_root = Path(site_dir)
    site_root.mkdir(parents=True, exist_ok=True)
    staged = render(variant, roots, Path(stage_dir), downloads=export)
    out_dir = _new_dir(site_root, slug)
    try:
        built = build(staged, out_dir, build_date(variant.org.model.document.date))
    except BuildError as error:
        shutil.rmtree(out_dir, ignore_errors=True)
        return Result(slug, "mislukt", time.perf_counter() - started, tuple(error.messages))
    except BaseException:
        shutil.rmtree(out_dir, ignore_errors=True)
        raise
    return Result(slug, "gebouwd", time.perf_counter() - started, built=built, stamp=stamp)


def _new_dir(site_root: Path, slug: str) -> Path:
    """A fresh folder beside site/<org>/ (site/.<org>.new-*), with the mode the umask allows."""
    try:
        site_root.mkdir(parents=True, exist_ok=True)
        out_dir = Path(tempfile.mkdtemp(prefix=f".{slug}.new-", dir=site_root))
        make_dir(out_dir)
    except OSError as error:
        raise publish_error(site_root, "er geen nieuwe map in maken", error) from None
    return out_dir


@contextmanager
def _no_interrupts() -> Iterator[None]:
    """Ctrl-C is ignored while we clean up after Ctrl-C (in the main thread; elsewhere a no-op)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)


WORKER_IMPORTS = ("mkdocs.commands.build", "mkdocs.config", "material.plugins.search.plugin", "material.plugins.offline.plugin",
                  "pymdownx.superfences", "pymdownx.tabbed", "generator.build", "generator.render")


def _start_worker() -> None:
    """A worker process leaves Ctrl-C to the main process, which stops it (no traceback per
    worker), and imports what a build needs (MkDocs, Material, Markdown: about half a second)
    while the main process still validates."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    for module in WORKER_IMPORTS:
        importlib.import_module(module)


def _start_workers(count: int, jobs: int | None) -> ProcessPoolExecutor | None:
    """The build processes for up to `count` variants, started at once (before validation), or
    None when one process does it all."""
    workers = min(count, _workers(jobs))
    if workers < 2:
        return None
    pool = ProcessPoolExecutor(max_workers=workers, initializer=_start_worker)
    pool.submit(int)  # the first task starts every worker
    return pool


def _stop_workers(pool: ProcessPoolExecutor) -> None:
    """Stop the workers now, also in the middle of a build (Ctrl-C, a failure)."""
    pool.shutdown(wait=False, cancel_futures=True)
    for process in multiprocessing.active_children():
        process.terminate()
    for process in multiprocessing.active_children():
        process.join(5)


def _discard(results: list[Result]) -> None:
    for result in results:
        if result.built is not None:
            shutil.rmtree(result.built.out_dir, ignore_errors=True)


def _workers(jobs: int | None) -> int:
    """How many variants are built, and exported, at once: `jobs`, or one per core."""
    return max(1, jobs or os.cpu_count() or 1)


def _build_all(roots: Roots, validation: Validation, todo: dict[str, str], site_root: Path, export: bool,
               pool: ProcessPoolExecutor | None, on_start: Callable[[list[str]], None] | None) -> tuple[Project, list[Result]]:
    """Check every variant, and build those in `todo` (slug -> input stamp). With a `pool`, each
    variant goes to a worker process as soon as it is checked, so the next ones are checked while
    it is built; without, all are checked first. When the sources hold an error, ContentError
    (with every problem) is raised and nothing of this run is left: builds under way are stopped
    and their folders removed. `on_start` gets the names to build once all checks passed."""
    stage_root = roots.project / "build"
    built: list[Result] = []

    def job(variant: Variant) -> tuple:
        return str(roots.project), variant, str(site_root), str(stage_root), todo[variant.slug], export, roots.site_base

    if pool is None:
        variants = [v for v in _checked_variants(roots, validation) if v.slug in todo]
        project = validation.project()
        if on_start:
            on_start([variant.slug for variant in variants])
        try:
            for variant in variants:
                built.append(build_one(*job(variant)))
        except BaseException:
            with _no_interrupts():
                _discard(built)
            raise
        return project, built
    try:
        futures, slugs = [], []
        for variant in _checked_variants(roots, validation):
            if variant.slug in todo and not validation.failed:
                futures.append(pool.submit(build_one, *job(variant)))
                slugs.append(variant.slug)
        project = validation.project()
        if on_start:
            on_start(slugs)
        for future in as_completed(futures):
            built.append(future.result())
    except BaseException:
        with _no_interrupts():
            _stop_workers(pool)
            _discard(built)
            remove_leftovers(site_root, list(todo))  # folders of the stopped workers
        raise
    return project, built


def _export_and_publish(results: list[Result], project: Project, site_root: Path, export: bool,
                        lanes: int = 1) -> list[Result]:
    """Export every built variant, then publish it. With `lanes` > 1, that many variants are
    exported at once, each lane a thread printing in the run's one Chromium (each variant in a
    browser context of its own): while one lane's Python lays out a document, Chromium prints
    another lane's (the GIL lets one thread run Python at a time, and Chromium prints in its own
    processes).

    The exports run in a thread of their own, which starts Chromium, runs the lanes and closes
    Chromium again. The main thread only waits, so Ctrl-C reaches it: it then aborts every export
    and waits for that thread to close Chromium and end, so nothing keeps running after the
    command returns."""
    if not any(r.built is not None for r in results):
        return results
    waiting: queue.SimpleQueue[Result] = queue.SimpleQueue()
    for result in results:
        waiting.put(result)

    def next_results() -> Iterator[Result]:
        while True:
            try:
                yield waiting.get_nowait()
            except queue.Empty:
                return

    done: list[Result] = []
    failure: list[BaseException] = []
    cancel = threading.Event()
    exporters: list = []

    def lane(exporter: Any) -> None:
        try:
            done.extend(_publish_each(next_results(), project, site_root, exporter, cancel))
        except BaseException as error:  # handed back to the calling thread
            failure.append(error)
            cancel.set()  # the other lanes stop too: this run fails

    count = max(1, min(lanes if export else 1, sum(r.built is not None for r in results)))

    def run_lanes(finished: threading.Event) -> None:
        try:
            if export:
                from .export import Exporter

                opened: Any = Exporter()
            else:
                opened = contextlib.nullcontext()
            with opened as exporter:
                if exporter is not None:
                    exporters.append(exporter)
                threads = [threading.Thread(target=lane, args=(exporter,), name=f"rolwijzer-export-{n}") for n in range(count)]
                for thread in threads:
                    thread.start()
                for thread in threads:  # (not the main thread: Ctrl-C does not reach these joins)
                    thread.join()
        except BaseException as error:  # Chromium did not start (or close): handed back too
            failure.append(error)
            cancel.set()
        finally:
            finished.set()

    finished = threading.Event()
    exports = threading.Thread(target=run_lanes, args=(finished,), name="rolwijzer-exports")
    # Wait on our own event, not on thread.join(): in Python 3.11 a join() interrupted by Ctrl-C
    # marks the still running thread as ended, so nothing would wait for Chromium to close.
    try:
        exports.start()
        finished.wait()
    except BaseException:
        with _no_interrupts():
            cancel.set()
            for exporter in list(exporters):
                exporter.abort()
            # A Ctrl-C in a terminal also reaches Playwright's driver; a call it left unanswered
            # is reported by asyncio when the process ends ("Task exception was never retrieved").
            logging.getLogger("asyncio").addFilter(lambda record: False)
            if exports.ident is not None:
                finished.wait(120)
            _discard(results)
        raise
    exports.join()
    if failure:
        _discard(results)
        raise failure[0]
    return sorted(done, key=lambda r: r.slug)


def _publish_each(results: Iterable[Result], project: Project, site_root: Path, exporter, cancel: threading.Event) -> list[Result]:  # noqa: ANN001
    from .browser import ExportTimeout

    done = []
    for result in results:
        if result.built is None:
            done.append(result)
            continue
        started = time.perf_counter()
        try:
            notes, pages = (), 0
            if cancel.is_set():
                raise KeyboardInterrupt
            if exporter is not None:
                exports = exporter.export(result.built, project.variants[result.slug])
                notes, pages = tuple(exports.notes), exports.pdf_pages
            if cancel.is_set():
                raise KeyboardInterrupt
            publish(result.built, site_root, result.stamp)
        except Exception as error:  # an export failure fails this variant, never the last good site
            if cancel.is_set():
                raise KeyboardInterrupt from None
            shutil.rmtree(result.built.out_dir, ignore_errors=True)
            if isinstance(error, PublishError):
                message = str(error)
            elif isinstance(error, (ExportTimeout, OSError)):
                message = f"exporteren mislukt: {error}"
            else:
                message = f"exporteren mislukt: {type(error).__name__}: {error}"
            done.append(replace(result, status="mislukt", built=None, messages=(message,)))
            continue
        done.append(replace(result, seconds=result.seconds + time.perf_counter() - started, built=None,
                            notes=notes, pdf_pages=pages))
    return done


def build_variants(roots: Roots, orgs: list[str] | None, site_root: Path, *, force: bool = False,
                   jobs: int | None = None, export: bool = True,
                   on_result: Callable[[Result], None] | None = None,
                   on_start: Callable[[list[str]], None] | None = None,
                   on_wait: Callable[[Path], None] | None = None, timings: dict[str, float] | None = None) -> list[Result]:
    """Validate everything, then build the variants whose inputs changed, in parallel.
    `on_wait` is called when another build holds site/'s lock (this one then waits for it).
    `timings`, when given, gets the wall-clock seconds of the two phases: "sites", "exports"."""
    # Stamps first, then load: a file saved during the run makes the next run build again.
    shared = shared_stamp(roots)
    stamps = {slug: input_stamp(roots, slug, export, shared) for slug in (orgs or roots.org_slugs())}
    if not force and all(published_stamp(site_root, slug) == stamp for slug, stamp in stamps.items()):
        # Nothing changed since the last good build: its inputs were validated then. A killed
        # build may have left folders, or its lock file: clean up (after a build that still runs).
        if leftovers(site_root) or (site_root / LOCK).exists():
            with site_lock(site_root, on_wait):
                remove_leftovers(site_root)
        results = [Result(slug, "ongewijzigd", 0.0) for slug in sorted(stamps)]
        if on_result:
            for result in results:
                on_result(result)
        return results
    pool = _start_workers(len(stamps), jobs)
    try:
        return _check_build_export(roots, orgs, site_root, stamps, force, export, jobs, pool, on_result, on_start, on_wait, timings)
    except BaseException:
        if pool is not None:
            with _no_interrupts():
                _stop_workers(pool)
        raise
    finally:
        if pool is not None:
            pool.shutdown()


def _check_build_export(roots: Roots, orgs: list[str] | None, site_root: Path, stamps: dict[str, str], force: bool,
                        export: bool, jobs: int | None, pool: ProcessPoolExecutor | None,
                        on_result: Callable[[Result], None] | None, on_start: Callable[[list[str]], None] | None,
                        on_wait: Callable[[Path], None] | None, timings: dict[str, float] | None) -> list[Result]:
    # The texts validation compiles are kept with the build's (see codecache); written in _finish.
    codecache.keep_compiled(roots.project / "build" / ".cache" / "pages", {"text": markup.TEXT_ENV})
    validation = _validation(roots, orgs)
    existed = site_root.exists()
    try:
        # site/ first, then build/ (the staging folder, shared by builds of this project into any site/).
        with site_lock(site_root, on_wait), site_lock(roots.project / "build", on_wait):
            remove_leftovers(site_root)
            # (after the lock: we may have waited for another build, which published some of these)
            todo = {slug: stamp for slug, stamp in stamps.items() if force or published_stamp(site_root, slug) != stamp}
            started = time.perf_counter()
            try:
                project, built = _build_all(roots, validation, todo, site_root, export, pool, on_start)
                results = [Result(slug, "ongewijzigd", 0.0) for slug in sorted(project.variants) if slug not in todo]
                if pool is not None:
                    pool.shutdown()  # idle from here on: their memory goes back before Chromium starts
                halfway = time.perf_counter()
                results += _export_and_publish(built, project, site_root, export, _workers(jobs))
            except BaseException:
                # Ctrl-C between the two stages (after the builds, before the export thread holds
                # them) must not leave their folders: everything unpublished of this run goes.
                with _no_interrupts():
                    remove_leftovers(site_root, list(todo))
                raise
            return _finish(roots, site_root, results, started, halfway, timings, on_result)
    except ContentError:
        if not existed:  # nothing was built: no empty site/ either
            with contextlib.suppress(OSError):
                site_root.rmdir()
        raise


def _finish(roots: Roots, site_root: Path, results: list[Result], started: float, halfway: float,
            timings: dict[str, float] | None, on_result: Callable[[Result], None] | None) -> list[Result]:
    """After a build (under its locks): report, write site/index.html, keep the caches small."""
    if timings is not None:
        timings.update(sites=halfway - started, exports=time.perf_counter() - halfway)
    results.sort(key=lambda r: r.slug)
    if on_result:
        for result in results:
            on_result(result)
    write_index(site_root)
    codecache.flush()
    cache = roots.project / "build" / ".cache"
    pagecache.prune(cache / "pages")
    filestore.prune(cache / "files")
    return results


def export_variants(roots: Roots, orgs: list[str] | None, site_root: Path,
                    on_wait: Callable[[Path], None] | None = None) -> list[Result]:
    """`rolwijzer export`: make the exports again for published sites, without rebuilding them.
    The site is copied beside site/<org>/, exported, and swapped in like a build."""
    project = check(roots, orgs)
    results = []
    if not site_root.is_dir():
        return [Result(slug, "mislukt", 0.0, (f"geen gebouwde site in {site_root / slug}: draai eerst 'rolwijzer build'",))
                for slug in sorted(project.variants)]
    with site_lock(site_root, on_wait):
        remove_leftovers(site_root)
        try:
            for slug in sorted(project.variants):
                published = site_root / slug
                if not (published / "index.html").is_file():
                    results.append(Result(slug, "mislukt", 0.0, (f"geen gebouwde site in {published}: draai eerst 'rolwijzer build'",)))
                    continue
                out_dir = _new_dir(site_root, slug)
                name = project.variants[slug].org.model.name
                results.append(Result(slug, "gebouwd", 0.0, built=BuiltSite(slug, name, out_dir, None),
                                      stamp=published_stamp(site_root, slug) or ""))
                try:
                    shutil.copytree(published, out_dir, dirs_exist_ok=True)
                except OSError as error:
                    raise publish_error(out_dir, "de gepubliceerde site niet kopiëren", error) from None
                shutil.rmtree(out_dir / "downloads", ignore_errors=True)
        except BaseException:
            with _no_interrupts():
                _discard(results)
            raise
        done = _export_and_publish(results, project, site_root, export=True, lanes=_workers(None))
        write_index(site_root)
    return done
