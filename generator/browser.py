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
about 0.15 s each on this machine, more than printing a short role PDF.

The export runs one `Chromium` for every lane of a run: Playwright's asyncio API on a thread of its
own, which the lanes (threads) call and wait on. Each lane prints in its own context, concurrently
in the one browser: while one lane's Python lays out a document, Chromium prints another's.
(Playwright's sync objects belong to the thread that made them: with the sync API every lane
needed a Chromium of its own. Measured here, two documents printed at once in one Chromium took
4.3-4.8 s, in two Chromiums 5.2-5.3 s, one after the other 6.1-6.6 s.)"""

from __future__ import annotations

import asyncio
import os
import shutil
import threading
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Awaitable, Callable, Iterator

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


def launch_options(offline: bool = False) -> dict[str, Any]:
    """Playwright's launch options for headless Chromium with the flags this project needs;
    `offline` resolves no host."""
    path = chromium_path()
    options: dict[str, Any] = {"headless": True, "args": ARGS + (OFFLINE_ARGS if offline else [])}
    if path and Path(path).exists():
        options["executable_path"] = path
    return options


def launch(playwright, *, offline: bool = False):  # noqa: ANN001, ANN201 - playwright types are imported lazily
    """Launch headless Chromium with Playwright's sync API (tests, screenshots)."""
    return playwright.chromium.launch(**launch_options(offline))


def export_timeout() -> float:
    """The time limit of one exported document, in seconds."""
    try:
        seconds = float(os.environ.get(TIMEOUT_ENV, DEFAULT_TIMEOUT))
    except ValueError:
        return DEFAULT_TIMEOUT
    return seconds if seconds > 0 else DEFAULT_TIMEOUT


DEFAULT_VIEWPORT = {"width": 1280, "height": 720}  # Playwright's default; a document that sets another gets this back after it


class Chromium:
    """One headless Chromium without network for all documents of a run, driven by Playwright's
    asyncio API on a thread of its own. Any thread may use it: `run` runs a coroutine there and
    waits for its result. Use as a context manager; `abort()` from any thread closes Chromium, so
    every call in progress fails at once."""

    def __init__(self) -> None:
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, name="rolwijzer-chromium", daemon=True)
        self._playwright: Any = None
        self.browser: Any = None
        self.version = ""

    def __enter__(self) -> "Chromium":
        self._thread.start()
        try:
            self.run(self._start())
        except BaseException:
            self.__exit__()
            raise
        return self

    async def _start(self) -> None:
        from playwright.async_api import async_playwright

        self._playwright = await async_playwright().start()
        self.browser = await self._playwright.chromium.launch(**launch_options(offline=True))
        self.version = self.browser.version

    def __exit__(self, *exc: object) -> None:
        async def stop() -> None:
            try:
                if self.browser is not None:
                    await self.browser.close()
            except Exception:  # noqa: BLE001 - closed already by abort() or a crash
                pass
            finally:
                if self._playwright is not None:
                    await self._playwright.stop()

        if self._thread.is_alive():
            try:
                self.run(stop())
            finally:
                self._loop.call_soon_threadsafe(self._loop.stop)
                self._thread.join(60)
        if not self._loop.is_running():
            self._loop.close()

    def run(self, work: Awaitable[Any]) -> Any:
        """Run a coroutine on Chromium's thread; its result, or its exception, here."""
        return asyncio.run_coroutine_threadsafe(work, self._loop).result()  # type: ignore[arg-type]

    def call(self, function: Callable[..., Any], *args: Any) -> Any:
        """A plain (not async) method of a Playwright object, on Chromium's thread."""
        async def call() -> Any:
            return function(*args)

        return self.run(call())

    def close_soon(self, obj: Any) -> None:
        """Close the browser, a context or a page from any thread, without waiting: the call that
        waits on it fails at once (TargetClosedError)."""
        def start() -> None:
            task = self._loop.create_task(obj.close())
            task.add_done_callback(lambda done: done.cancelled() or done.exception())  # never "not retrieved"

        try:
            self._loop.call_soon_threadsafe(start)
        except RuntimeError:  # the loop closed meanwhile
            pass

    def abort(self) -> None:
        if self.browser is not None:
            self.close_soon(self.browser)


async def _dismiss(dialog: Any) -> None:
    await dialog.dismiss()


class Page:
    """The page one printer prints on, for the thread that prints: what the export stage calls
    of Playwright's page, each call waiting for its result on Chromium's thread."""

    def __init__(self, chromium: Chromium, page: Any):
        self._chromium, self._page = chromium, page

    def goto(self, url: str, **options: Any) -> Any:
        return self._chromium.run(self._page.goto(url, **options))

    def set_content(self, html: str, **options: Any) -> None:
        self._chromium.run(self._page.set_content(html, **options))

    def pdf(self, **options: Any) -> bytes:
        return self._chromium.run(self._page.pdf(**options))

    def evaluate(self, expression: str, arg: Any = None) -> Any:
        return self._chromium.run(self._page.evaluate(expression, arg))

    def emulate_media(self, **options: Any) -> None:
        self._chromium.run(self._page.emulate_media(**options))

    def set_viewport_size(self, size: dict[str, int]) -> None:
        self._chromium.run(self._page.set_viewport_size(size))

    @property
    def viewport_size(self) -> Any:
        return self._chromium.call(lambda: self._page.viewport_size)

    def set_default_timeout(self, milliseconds: float) -> None:
        self._chromium.call(self._page.set_default_timeout, milliseconds)

    def set_default_navigation_timeout(self, milliseconds: float) -> None:
        self._chromium.call(self._page.set_default_navigation_timeout, milliseconds)


class Printer:
    """Prints documents one after the other on one reused page of its own browser context in
    `chromium`. Use as a context manager; `page(what)` gives the page for one document, under that
    document's time limit. Printers in different threads print at the same time."""

    def __init__(self, chromium: Chromium, *, javascript: bool = False) -> None:
        self.chromium = chromium
        self.version = chromium.version
        self.javascript = javascript
        self._context: Any = None
        self._page: Page | None = None

    def __enter__(self) -> "Printer":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        context, self._context, self._page = self._context, None, None
        if context is not None:
            try:
                self.chromium.run(context.close())
            except Exception:  # noqa: BLE001 - already closed by the watchdog or with the browser
                pass

    def _new_page(self) -> Page:
        chromium = self.chromium
        self._context = chromium.run(chromium.browser.new_context(java_script_enabled=self.javascript, viewport=DEFAULT_VIEWPORT))
        page = chromium.run(self._context.new_page())
        chromium.call(page.on, "dialog", _dismiss)
        return Page(chromium, page)

    @contextmanager
    def page(self, what: str, *, seconds: float | None = None) -> Iterator[Page]:
        """The page for one document (`what`, in Dutch, names it in messages)."""
        limit = export_timeout() if seconds is None else seconds
        if self._page is None:
            self._page = self._new_page()
        page, context = self._page, self._context
        page.set_default_timeout(limit * 1000)
        page.set_default_navigation_timeout(limit * 1000)
        fired = threading.Event()

        def expire() -> None:
            fired.set()
            self.chromium.close_soon(context)

        watchdog = threading.Timer(limit, expire)
        watchdog.daemon = True
        watchdog.start()
        try:
            yield page
            if page.viewport_size != DEFAULT_VIEWPORT:
                page.set_viewport_size(DEFAULT_VIEWPORT)
        except Exception as error:
            from playwright.async_api import TimeoutError as PlaywrightTimeout

            self.close()  # the next document starts on a new page
            if fired.is_set() or isinstance(error, PlaywrightTimeout):
                raise ExportTimeout(what, limit) from None
            raise
        finally:
            watchdog.cancel()
        if fired.is_set():  # the limit passed just as the document was done: its context is closing
            self.close()


@contextmanager
def export_page(chromium: Chromium, what: str, *, javascript: bool = False, seconds: float | None = None) -> Iterator[Page]:
    """A fresh page of its own context for printing one document (see Printer)."""
    with Printer(chromium, javascript=javascript) as printer, printer.page(what, seconds=seconds) as page:
        yield page
