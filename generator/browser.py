"""Browser: the one place that knows how to start Chromium for Playwright (tests, PDF export).

Playwright's own Chromium is used when it is installed; otherwise a system Chromium (Debian's
/usr/bin/chromium). ROLWIJZER_CHROMIUM points to another binary.

Content is untrusted (forks accept pull requests), so every document the exporter prints is
printed by a `Printer`: a browser context of one organisation's own (never shared with another
organisation's documents), JavaScript off unless the caller needs it, JavaScript dialogs
dismissed, and a time limit for each document (ROLWIJZER_EXPORT_TIMEOUT seconds, default 120).
When the limit passes, a watchdog closes the context from another thread, which makes the
Playwright call that waits (even on a renderer stuck in `while(true){}`) fail at once; the caller
gets an `ExportTimeout` with a Dutch message. The browser itself stays usable, and the printer's
next document gets a new context.

One printer prints all documents of one organisation on one page: a new context and page cost
about 0.15 s each on this machine, more than printing a short role PDF."""

from __future__ import annotations

import os
import shutil
import threading
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Iterator

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
# The exporter prints local files only: any host name fails at once, so untrusted content cannot
# make the build machine fetch (or wait for) something from the network.
OFFLINE_ARGS = ["--host-resolver-rules=MAP * ~NOTFOUND"]
TIMEOUT_ENV = "ROLWIJZER_EXPORT_TIMEOUT"
DEFAULT_TIMEOUT = 120.0  # seconds for one whole document (the interactive PDF of a large variant: ~15 s)


class ExportTimeout(Exception):
    """One document was not printed within its time limit."""

    def __init__(self, what: str, seconds: float):
        self.what = what
        self.seconds = seconds
        super().__init__(f"{what} was niet binnen {seconds:g} seconden klaar en is afgebroken; "
                         "controleer de inhoud van deze organisatie (een pagina die blijft laden of rekenen?)")


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


def launch(playwright, *, offline: bool = False):  # noqa: ANN001, ANN201 - playwright types are imported lazily
    """Launch headless Chromium with the flags this project needs; `offline` resolves no host."""
    path = chromium_path()
    kwargs = {"headless": True, "args": ARGS + (OFFLINE_ARGS if offline else [])}
    if path and Path(path).exists():
        kwargs["executable_path"] = path
    return playwright.chromium.launch(**kwargs)


def export_timeout() -> float:
    """The time limit of one exported document, in seconds."""
    try:
        seconds = float(os.environ.get(TIMEOUT_ENV, DEFAULT_TIMEOUT))
    except ValueError:
        return DEFAULT_TIMEOUT
    return seconds if seconds > 0 else DEFAULT_TIMEOUT


def close_soon(obj: Any) -> bool:
    """Close a Playwright browser, context or page from any thread, without waiting.

    Playwright's sync objects may only be used from the thread that made them; this schedules
    their asynchronous close() on that thread's event loop instead, which is thread-safe. The
    call the owning thread waits on then fails with TargetClosedError. Returns False when the
    object does not expose its loop (a Playwright version that changed these internals)."""
    loop = getattr(obj, "_loop", None)
    impl = getattr(obj, "_impl_obj", None)
    if loop is None or impl is None or loop.is_closed():
        return False

    def start() -> None:
        task = loop.create_task(impl.close())
        task.add_done_callback(lambda done: done.cancelled() or done.exception())  # never "not retrieved"

    try:
        loop.call_soon_threadsafe(start)
    except RuntimeError:  # the loop closed meanwhile
        return False
    return True


DEFAULT_VIEWPORT = {"width": 1280, "height": 720}  # Playwright's default; a document that sets another gets this back after it


class Printer:
    """Prints documents one after the other on one reused page of its own browser context. Use as a
    context manager, in the thread that made `browser`; `page(what)` gives the page for one
    document, under that document's time limit."""

    def __init__(self, browser: Any, *, javascript: bool = False) -> None:
        self.browser = browser
        self.version = getattr(browser, "version", "")
        self.javascript = javascript
        self._context: Any = None
        self._page: Any = None

    def __enter__(self) -> "Printer":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        context, self._context, self._page = self._context, None, None
        if context is not None:
            try:
                context.close()
            except Exception:  # noqa: BLE001 - already closed by the watchdog or with the browser
                pass

    @contextmanager
    def page(self, what: str, *, seconds: float | None = None) -> Iterator[Any]:
        """The page for one document (`what`, in Dutch, names it in messages)."""
        limit = export_timeout() if seconds is None else seconds
        if self._page is None:
            self._context = self.browser.new_context(java_script_enabled=self.javascript, viewport=DEFAULT_VIEWPORT)
            self._page = self._context.new_page()
            self._page.on("dialog", lambda dialog: dialog.dismiss())
        page, context = self._page, self._context
        page.set_default_timeout(limit * 1000)
        page.set_default_navigation_timeout(limit * 1000)
        fired = threading.Event()

        def expire() -> None:
            fired.set()
            close_soon(context)

        watchdog = threading.Timer(limit, expire)
        watchdog.daemon = True
        watchdog.start()
        try:
            yield page
            if page.viewport_size != DEFAULT_VIEWPORT:
                page.set_viewport_size(DEFAULT_VIEWPORT)
        except Exception as error:
            from playwright.sync_api import TimeoutError as PlaywrightTimeout

            self.close()  # the next document starts on a new page
            if fired.is_set() or isinstance(error, PlaywrightTimeout):
                raise ExportTimeout(what, limit) from None
            raise
        finally:
            watchdog.cancel()
        if fired.is_set():  # the limit passed just as the document was done: its context is closing
            self.close()


@contextmanager
def export_page(browser: Any, what: str, *, javascript: bool = False, seconds: float | None = None) -> Iterator[Any]:
    """A fresh page of its own context for printing one document (see Printer)."""
    with Printer(browser, javascript=javascript) as printer, printer.page(what, seconds=seconds) as page:
        yield page
