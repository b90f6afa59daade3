"""Export: BuiltSite -> Exports (the interactive PDF, role cards, schoolgids) in
<built site>/downloads/, so they are published together with the site they come from.

All variants share one warm Chromium: `Exporter` is opened once per run."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from ..build import BuiltSite
from ..resolve import Variant

DOWNLOADS = "downloads"


@dataclass
class Exports:
    slug: str
    files: list[Path] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # what was not made, and why
    pdf_pages: int = 0


class Exporter:
    """Holds one Chromium for all exports of a run. Use as a context manager."""

    def __init__(self) -> None:
        self._playwright = None
        self.browser = None

    def __enter__(self) -> "Exporter":
        from playwright.sync_api import sync_playwright

        from ..browser import launch

        self._playwright = sync_playwright().start()
        self.browser = launch(self._playwright)
        return self

    def __exit__(self, *exc: object) -> None:
        if self.browser is not None:
            self.browser.close()
        if self._playwright is not None:
            self._playwright.stop()

    def export(self, built: BuiltSite, variant: Variant) -> Exports:
        from . import cards, pdf, schoolgids

        out = built.out_dir / DOWNLOADS
        out.mkdir(parents=True, exist_ok=True)
        exports = Exports(built.slug)
        pdf.export_pdf(self.browser, built, variant, out, exports)
        cards.export_cards(self.browser, built, variant, out, exports)
        schoolgids.export_schoolgids(self.browser, built, variant, out, exports)
        return exports
