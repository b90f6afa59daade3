"""Browser: the one place that knows how to start Chromium for Playwright (tests, PDF export).

Playwright's own Chromium is used when it is installed; otherwise a system Chromium (Debian's
/usr/bin/chromium). ROLWIJZER_CHROMIUM points to another binary."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

CANDIDATES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
# Without these, Chromium keeps trying to reach Google's services from a machine without internet.
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]


def chromium_path() -> str | None:
    """The Chromium binary to use, or None for Playwright's bundled browser."""
    override = os.environ.get("ROLWIJZER_CHROMIUM")
    if override:
        return override
    for name in CANDIDATES:
        found = shutil.which(name)
        if found:
            return found
    return None


def launch(playwright):  # noqa: ANN001, ANN201 - playwright types are imported lazily
    """Launch headless Chromium with the flags this project needs."""
    path = chromium_path()
    kwargs = {"headless": True, "args": ARGS}
    if path and Path(path).exists():
        kwargs["executable_path"] = path
    return playwright.chromium.launch(**kwargs)
