"""Serve: live preview of one variant. Sources (base and overlay) are watched; on a change the
variant is validated and re-rendered into its staged docs, which `mkdocs serve` watches and
rebuilds. A content error is printed and the last good preview stays."""

from __future__ import annotations

import sys
import threading
import time
from pathlib import Path
from typing import Callable

from .kinds import KINDS
from .load import Roots, load
from .problems import ContentError
from .publish import PublishError, site_lock
from .render import render
from .validate import validate


def _stage(roots: Roots, slug: str, on_wait: Callable[[Path], None] | None = None) -> Path:
    """Validate and render the variant into build/<slug>/, under the lock of build/ that every
    `rolwijzer build` holds while it renders into the same folder (a preview waits for a build)."""
    project = validate(load(roots), [slug])
    with site_lock(roots.project / "build", on_wait):
        return render(project.variants[slug], roots, roots.project / "build").config_file


def _waiting(lock: Path) -> None:
    print(f"er loopt een build in {lock.parent}; het voorbeeld wordt bijgewerkt als die klaar is", file=sys.stderr)


def _watched(roots: Roots, slug: str) -> list[Path]:
    paths = [roots.project / kind.folder for kind in KINDS] + [roots.org_dir(slug), roots.project / "mkdocs.yml"]
    return [p for p in paths if p.exists()]


def serve(roots: Roots, slug: str, dev_addr: str) -> int:
    from mkdocs.commands.serve import serve as mkdocs_serve
    from watchdog.events import FileSystemEventHandler
    from watchdog.observers import Observer

    config_file = _stage(roots, slug, _waiting)
    pending = threading.Event()

    class Handler(FileSystemEventHandler):
        def on_any_event(self, event) -> None:  # noqa: ANN001
            if not event.is_directory:
                pending.set()

    def restage() -> None:
        while True:
            pending.wait()
            time.sleep(0.3)  # let an editor finish writing
            pending.clear()
            try:
                _stage(roots, slug, _waiting)
                print(f"{slug}: bijgewerkt", file=sys.stderr)
            except ContentError as error:
                for problem in error.problems:
                    print(problem.format(), file=sys.stderr)
                print(f"{error} De vorige versie blijft zichtbaar.", file=sys.stderr)
            except PublishError as error:
                print(f"{error} De vorige versie blijft zichtbaar.", file=sys.stderr)

    observer = Observer()
    handler = Handler()
    for path in _watched(roots, slug):
        observer.schedule(handler, str(path), recursive=path.is_dir())
    observer.start()
    threading.Thread(target=restage, daemon=True).start()
    try:
        mkdocs_serve(config_file=str(config_file), dev_addr=dev_addr, livereload=True)
    finally:
        observer.stop()
    return 0
