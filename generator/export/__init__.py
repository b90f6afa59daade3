"""Export: BuiltSite -> Exports (what the plan of outputs lists: the interactive PDF, a short PDF
and an A4 poster per hub role, the role cards, the schoolgids) in <built site>/downloads/, so they
are published together with the site they come from.

All variants share one warm Chromium: `Exporter` is opened once per run, and the export lanes
print in it at the same time. The documents of one
variant are printed by one `browser.Printer`: a browser context of that variant's own, JavaScript
off, dialogs dismissed, a time limit per document. The files are reproducible: every date they carry is the variant's build date
(`build.build_date`), and Chromium's node names in tagged tables are renumbered, after printing."""

from __future__ import annotations

import datetime as dt
import threading
from dataclasses import dataclass, field
from pathlib import Path

from ..browser import Chromium, Printer
from ..build import BuiltSite, build_date
from ..resolve import Variant
from ..outputs import DOWNLOADS, plan_outputs


@dataclass
class Exports:
    slug: str
    files: list[Path] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # what was not made, and why
    pdf_pages: int = 0
    reused: int = 0  # prints copied from build/.cache/prints: their document had not changed
    date: dt.datetime | None = None  # the build date every file carries


class Interrupted(Exception):
    """The run was interrupted (Ctrl-C) while exporting."""


class Exporter:
    """Holds one Chromium for all exports of a run. Use as a context manager; `export` may be
    called from several threads at once (each export prints in a context of its own), and
    `abort()` from any thread stops the exports in progress."""

    def __init__(self) -> None:
        self.chromium = Chromium()
        self.aborted = threading.Event()

    def __enter__(self) -> "Exporter":
        self.chromium.__enter__()
        return self

    def __exit__(self, *exc: object) -> None:
        self.chromium.__exit__(*exc)

    def abort(self) -> None:
        """From another thread: close Chromium, so the calls in progress fail at once."""
        self.aborted.set()
        self.chromium.abort()

    def check(self) -> None:
        if self.aborted.is_set():
            raise Interrupted()

    def export(self, built: BuiltSite, variant: Variant) -> Exports:
        """Everything the plan of outputs lists: the full PDF, a short PDF and a poster per role,
        the role cards, the schoolgids."""
        from functools import partial

        from . import cards, pdf, posters, postprint, rolepdf, schoolgids

        out = built.out_dir / DOWNLOADS
        out.mkdir(parents=True, exist_ok=True)
        exports = Exports(built.slug, date=build_date(variant.org.model.document.date))
        outputs = plan_outputs(variant)
        sheets = cards.sheets_for(variant, outputs)
        steps = (pdf.export_pdf, partial(rolepdf.export_role_pdfs, outputs=outputs, sheets=sheets),
                 partial(cards.export_cards, sheets=sheets), partial(posters.export_posters, sheets=sheets),
                 schoolgids.export_schoolgids)
        try:
            with Printer(self.chromium) as printer:
                for step in steps:
                    self.check()
                    step(printer, built, variant, out, exports)
        except Exception:
            if self.aborted.is_set():
                raise Interrupted() from None
            raise
        for printed in sorted(out.rglob("*.pdf")):
            postprint.set_dates(printed, exports.date)
            postprint.stable_node_ids(printed)
        return exports
