"""Publishing that survives the worst: modes a web server can read, an atomic exchange, builds killed
(kill -9) or interrupted (Ctrl-C) at any moment, a corrupt stamp, an unwritable site/, and an
exporter that prints untrusted pages without running their scripts or hanging on them.

The builds run on a copy of the project with only the smallest organisation (reset)."""

from __future__ import annotations

import json
import os
import shutil
import signal
import stat
import subprocess
import sys
import threading
import time
import uuid
from pathlib import Path

import pytest

from generator import publish as publish_module
from generator.build import BuiltSite
from generator.load import Roots
from generator.pipeline import build_variants, check
from generator.publish import LOCK, exchange, leftovers, publish, umask

from .conftest import REPO

ORG = "reset"
SKIP = {".git", ".venv", "build", "site", "tests", "docs", "bench", "tools", "generator", "schemas", "orgs",
        "rolwijzer.egg-info", "__pycache__", ".pytest_cache"}


def project_copy(target: Path, orgs: tuple[str, ...] = (ORG,)) -> Path:
    """The repository's sources with only `orgs` under orgs/ (the generator itself is the installed one)."""
    target.mkdir(parents=True)
    for item in REPO.iterdir():
        if item.name in SKIP or item.name.startswith("."):
            continue
        if item.is_dir():
            shutil.copytree(item, target / item.name)
        else:
            shutil.copy2(item, target / item.name)
    for slug in orgs:
        shutil.copytree(REPO / "orgs" / slug, target / "orgs" / slug)
    return target


def run(project: Path, *args: str, env: dict | None = None, timeout: float = 120) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "generator", "--project", str(project), *args],
                          capture_output=True, text=True, timeout=timeout, env=env)


def start(project: Path, site: Path, *args: str, mark: str) -> subprocess.Popen:
    env = dict(os.environ, ROLWIJZER_TEST_MARK=mark)
    # Ctrl-C as from a terminal: a test run started in the background (`make test &`) ignores
    # SIGINT, and a child would inherit that, so the build gets the default disposition back.
    return subprocess.Popen([sys.executable, "-m", "generator", "--project", str(project), "build",
                             "--site", str(site), *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            env=env, preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))


def wait_for_line(build: subprocess.Popen, text: str) -> str:
    """Read the build's stderr up to the line holding `text` (so Ctrl-C never lands in Python's
    own start-up, before Rolwijzer runs); returns what was read."""
    seen = ""
    for line in build.stderr:
        seen += line
        if text in line:
            break
    return seen


def marked_processes(mark: str) -> list[str]:
    """Processes (the build, its workers, Playwright's driver, Chromium) started with this mark."""
    found = []
    for environ in Path("/proc").glob("[0-9]*/environ"):
        try:
            if f"ROLWIJZER_TEST_MARK={mark}".encode() in environ.read_bytes():
                found.append(environ.parent.name)
        except OSError:
            pass
    return found


def wait_until_gone(mark: str, seconds: float = 15) -> list[str]:
    deadline = time.monotonic() + seconds
    while (alive := marked_processes(mark)) and time.monotonic() < deadline:
        time.sleep(0.2)
    return alive


def assert_complete(site: Path) -> dict:
    """site/<org> is a whole published site: its hub and a valid manifest."""
    assert (site / ORG / "index.html").is_file()
    manifest = json.loads((site / ORG / "rolwijzer.json").read_text(encoding="utf-8"))
    assert manifest["slug"] == ORG and isinstance(manifest["inputs"], str)
    assert (site / ORG / "downloads" / f"{ORG}.pdf").is_file()
    return manifest


@pytest.fixture(scope="module")
def project(tmp_path_factory) -> Path:
    return project_copy(tmp_path_factory.mktemp("publish") / "project")


@pytest.fixture(scope="module")
def built_site(project, tmp_path_factory) -> Path:
    """A complete site (with exports) of the project copy, the 'previous version' of the tests below."""
    site = tmp_path_factory.mktemp("published") / "site"
    results = build_variants(Roots(project), None, site, jobs=1)
    assert [(r.slug, r.status) for r in results] == [(ORG, "gebouwd")], results
    return site


# --- modes -------------------------------------------------------------------------------------------

def test_published_files_and_folders_are_readable_as_the_umask_allows(minimal_site):
    mask = umask()
    for path in [minimal_site, *minimal_site.rglob("*")]:
        mode = stat.S_IMODE(path.stat().st_mode)
        expected = (0o777 if path.is_dir() else 0o666) & ~mask
        assert mode == expected, f"{path}: {oct(mode)} instead of {oct(expected)}"
    assert (minimal_site / "voorbeeld/downloads").is_dir()


def test_a_stricter_umask_is_honoured(project, tmp_path):
    previous = os.umask(0o027)
    try:
        build_variants(Roots(project), None, tmp_path / "site", jobs=1, export=False)
    finally:
        os.umask(previous)
    assert stat.S_IMODE((tmp_path / "site" / ORG).stat().st_mode) == 0o750
    assert stat.S_IMODE((tmp_path / "site" / ORG / "index.html").stat().st_mode) == 0o640


# --- the exchange --------------------------------------------------------------------------------------

def _site(folder: Path, text: str) -> Path:
    folder.mkdir(parents=True)
    (folder / "index.html").write_text(text, encoding="utf-8")
    return folder


def test_exchange_swaps_two_folders_in_one_step(tmp_path):
    a, b = _site(tmp_path / "a", "A"), _site(tmp_path / "b", "B")
    if not exchange(a, b):
        pytest.skip("this system has no renameat2(RENAME_EXCHANGE)")
    assert (a / "index.html").read_text() == "B" and (b / "index.html").read_text() == "A"


@pytest.mark.parametrize("atomic", [True, False], ids=["renameat2", "two-renames"])
def test_publish_keeps_the_old_site_until_the_exchange(tmp_path, monkeypatch, atomic):
    site = tmp_path / "site"
    _site(site / ORG, "oud")
    new = _site(site / f".{ORG}.new-test", "nieuw")
    seen = []
    real = publish_module.exchange

    def watched(a: Path, b: Path) -> bool:
        seen.append((b / "index.html").read_text())  # what a visitor sees just before the swap
        return real(a, b) if atomic else False

    monkeypatch.setattr(publish_module, "exchange", watched)
    publish(BuiltSite(ORG, "RESET", new, None), site, "stempel")
    assert seen == ["oud"]
    assert (site / ORG / "index.html").read_text() == "nieuw"
    assert json.loads((site / ORG / "rolwijzer.json").read_text())["inputs"] == "stempel"
    assert sorted(p.name for p in site.iterdir()) == [ORG]  # the old site is gone, nothing left beside it


# --- kill -9 and Ctrl-C ------------------------------------------------------------------------------------

def test_killed_build_leaves_a_complete_site_and_the_next_build_cleans_up(project, built_site):
    for delay in (0.5, 1.5, 3.0):
        mark = uuid.uuid4().hex
        build = start(project, built_site, "--org", ORG, "--force", mark=mark)
        time.sleep(delay)
        build.kill()
        build.communicate(timeout=30)
        assert_complete(built_site)  # the previous complete site, or the new complete one
        assert not wait_until_gone(mark), "Chromium or a worker outlived the killed build"
        result = run(project, "build", "--org", ORG, "--site", str(built_site))
        assert result.returncode == 0, result.stderr
        assert leftovers(built_site) == [] and not (built_site / LOCK).exists()
        assert_complete(built_site)


def test_leftovers_of_killed_builds_are_removed_by_the_next_build(project, built_site):
    for name in (f".{ORG}.new-abc", f".{ORG}.old-123", ".andere-org.new-x"):
        _site(built_site / name, "half")
    (built_site / ".index.html.tmp").write_text("half", encoding="utf-8")
    results = build_variants(Roots(project), None, built_site)  # nothing changed: only the clean-up
    assert [r.status for r in results] == ["ongewijzigd"]
    assert leftovers(built_site) == []
    assert sorted(p.name for p in built_site.iterdir()) == ["index.html", ORG]


def test_ctrl_c_exits_130_without_traceback_and_stops_chromium(project, built_site):
    before = assert_complete(built_site)
    interrupted = 0
    finished: list[str] = []  # what a build that ended before the signal said (for the message below)
    for delay in (0.0, 0.3, 0.7, 1.5, 2.5):  # after validation: in MkDocs, then in the export
        shutil.rmtree(project / "build" / ".cache" / "prints", ignore_errors=True)  # so the export really prints
        mark = uuid.uuid4().hex
        build = start(project, built_site, "--org", ORG, "--force", mark=mark)
        seen = wait_for_line(build, "bouwen: ")
        time.sleep(delay)
        build.send_signal(signal.SIGINT)
        out, err = build.communicate(timeout=60)
        err = seen + err
        assert "Traceback" not in out + err and build.returncode != -signal.SIGSEGV
        if build.returncode == 0:  # finished before the signal arrived
            finished.append(f"delay {delay}: {err[-400:]!r}")
            continue
        interrupted += 1
        assert build.returncode == 130, err
        assert err.strip().endswith("onderbroken"), err
        assert not wait_until_gone(mark), "Chromium or a worker outlived the interrupted build"
        assert leftovers(built_site) == [] and not (built_site / LOCK).exists()
        assert assert_complete(built_site)["inputs"] == before["inputs"]
    assert interrupted, "every build finished before Ctrl-C:\n" + "\n".join(finished)


def test_ctrl_c_stops_the_parallel_workers(tmp_path):
    project = project_copy(tmp_path / "project")
    shutil.copytree(project / "orgs" / ORG, project / "orgs" / "reset-twee")
    site = tmp_path / "site"
    for delay in (0.3, 0.8, 4.0):  # while the two worker processes build; then while two export lanes print
        shutil.rmtree(project / "build" / ".cache" / "prints", ignore_errors=True)  # so the export really prints
        mark = uuid.uuid4().hex
        build = start(project, site, "--force", "--jobs", "2", mark=mark)
        seen = wait_for_line(build, "bouwen: ")
        time.sleep(delay)
        build.send_signal(signal.SIGINT)
        out, err = build.communicate(timeout=60)
        err = seen + err
        if build.returncode == 0:
            continue
        assert build.returncode == 130 and "Traceback" not in out + err, err
        assert not wait_until_gone(mark), "a worker process or Chromium outlived the interrupted build"
        assert leftovers(site) == [] and not (site / LOCK).exists()


def test_a_second_build_waits_for_the_first_and_says_so(project, tmp_path):
    from generator.publish import site_lock

    site = tmp_path / "site"
    with site_lock(site):
        build = start(project, site, "--no-export", mark=uuid.uuid4().hex)
        time.sleep(3)
        assert build.poll() is None, build.communicate()
    out, err = build.communicate(timeout=60)
    assert build.returncode == 0, err
    assert f"er loopt al een andere build in {site}; deze wacht tot die klaar is" in err
    assert f"{ORG}: gebouwd" in out and not (site / LOCK).exists()



def test_the_preview_waits_for_a_build_before_it_writes_the_staged_docs(project):
    """`rolwijzer serve` and `rolwijzer build` render into the same build/<org>/: not at once."""
    from generator.publish import site_lock
    from generator.serve import _stage

    staged = project / "build" / ORG / "mkdocs.yml"
    shutil.rmtree(project / "build", ignore_errors=True)
    waiting, done = threading.Event(), []
    preview = threading.Thread(target=lambda: done.append(_stage(Roots(project), ORG, lambda lock: waiting.set())))
    with site_lock(project / "build"):  # as a build holds it
        preview.start()
        assert waiting.wait(60), "the preview did not wait for the lock"
        time.sleep(0.5)
        assert not staged.exists() and done == []
    preview.join(60)
    assert done == [staged] and staged.is_file()

# --- bad state in site/ -------------------------------------------------------------------------------------

@pytest.mark.parametrize("manifest", ['["x"]', "{kapot", '{"slug": "reset"}', "\x00\xff"])
def test_corrupt_stamp_means_rebuild(project, tmp_path, manifest):
    site = tmp_path / "site"
    assert build_variants(Roots(project), None, site, jobs=1, export=False)[0].status == "gebouwd"
    (site / ORG / "rolwijzer.json").write_text(manifest, encoding="utf-8")
    result = run(project, "build", "--no-export", "--site", str(site))
    assert result.returncode == 0, result.stderr
    assert f"{ORG}: gebouwd" in result.stdout
    assert json.loads((site / ORG / "rolwijzer.json").read_text())["slug"] == ORG


def _assert_unwritable(result: subprocess.CompletedProcess, path: Path) -> None:
    assert result.returncode == 1, (result.returncode, result.stderr)
    assert "Traceback" not in result.stderr and "interne fout" not in result.stderr
    assert f"publiceren mislukt: {path}" in result.stderr, result.stderr


def test_site_that_is_a_file_exits_1_naming_the_path(project, tmp_path):
    site = tmp_path / "site"
    site.write_text("geen map", encoding="utf-8")
    _assert_unwritable(run(project, "build", "--no-export", "--site", str(site)), site)
    below = site / "sub"
    _assert_unwritable(run(project, "build", "--no-export", "--site", str(below)), below)


def test_immutable_site_exits_1_naming_the_path(project, tmp_path):
    site = tmp_path / "site"
    assert build_variants(Roots(project), None, site, jobs=1, export=False)[0].status == "gebouwd"
    if shutil.which("chattr") is None or subprocess.run(["chattr", "+i", str(site)], capture_output=True).returncode:
        pytest.skip("chattr +i is not possible here (no chattr, no CAP_LINUX_IMMUTABLE, or a file system without it)")
    try:
        result = run(project, "build", "--no-export", "--force", "--site", str(site))
        _assert_unwritable(result, site)
        assert (site / ORG / "index.html").is_file()
    finally:
        subprocess.run(["chattr", "-i", str(site)], check=True)


# --- the exporter and untrusted pages -------------------------------------------------------------------

HOSTILE = "<script>alert(1)</script><script>while(true){}</script>"


def in_thread(function):  # noqa: ANN001, ANN201
    """Run `function` in a thread of its own, as the pipeline does: Playwright's sync API refuses a
    thread whose asyncio loop runs (the browser tests' session fixture keeps one in the main thread)."""
    outcome: list = []

    def work() -> None:
        try:
            outcome.append((True, function()))
        except BaseException as error:  # noqa: BLE001 - handed back to the test
            outcome.append((False, error))

    thread = threading.Thread(target=work)
    thread.start()
    thread.join()
    ok, value = outcome[0]
    if not ok:
        raise value
    return value


def test_exporter_prints_pages_with_hostile_scripts_without_running_them(minimal_site, tmp_path):
    """The sanitiser removes scripts from pages; this checks the exporter does not depend on it."""
    from generator.export import Exporter

    project = minimal_site.parent / "project"
    variant = check(Roots(project), None).variants["voorbeeld"]
    copy = tmp_path / ".voorbeeld.new-test"
    shutil.copytree(minimal_site / "voorbeeld", copy)
    shutil.rmtree(copy / "downloads")
    pages = [copy / "index.html", copy / "meldcode/signaleren.html", copy / "protocollen/meldcode.html"]
    for page in pages:
        text = page.read_text(encoding="utf-8")
        assert "<article" in text
        page.write_text(text.replace("</article>", f"<p>Na het script.</p>{HOSTILE}</article>"), encoding="utf-8")
    def export():  # noqa: ANN202
        with Exporter() as exporter:
            return exporter.export(BuiltSite("voorbeeld", "Voorbeeldschool", copy, None), variant)

    started = time.monotonic()
    exports = in_thread(export)
    assert time.monotonic() - started < 60
    from pypdf import PdfReader

    text = " ".join(p.extract_text() for p in PdfReader(str(copy / "downloads/voorbeeld.pdf")).pages)
    assert "Na het script." in text
    assert {p.name for p in exports.files} >= {"voorbeeld.pdf", "rolkaarten.pdf", "schoolgids.pdf", "schoolgids.docx"}


def test_a_page_that_hangs_is_stopped_at_its_time_limit():
    from generator.browser import Chromium, ExportTimeout, Printer, export_page

    def hang() -> None:
        with Chromium() as browser:
            started = time.monotonic()
            with pytest.raises(ExportTimeout, match="was niet binnen 2 seconden klaar"):
                with export_page(browser, "de test-PDF", javascript=True, seconds=2) as page:
                    page.set_content(f"<p>x</p>{HOSTILE}", wait_until="commit")
                    page.pdf()
            assert time.monotonic() - started < 10
            with export_page(browser, "de tweede PDF", javascript=True) as page:  # the browser still works
                page.set_content("<p>y</p><script>alert(2)</script>")  # the dialog is dismissed, not waited for
                assert page.pdf().startswith(b"%PDF")
            # One organisation's printer reuses its page: after a document that hangs, its next
            # document is printed on a new one.
            with Printer(browser, javascript=True) as printer:
                with printer.page("de eerste PDF") as page:
                    page.set_content("<p>eerst</p>")
                    first = page
                with pytest.raises(ExportTimeout, match="de tweede PDF was niet binnen 2 seconden"):
                    with printer.page("de tweede PDF", seconds=2) as page:
                        assert page is first
                        page.set_content(f"<p>x</p>{HOSTILE}", wait_until="commit")
                        page.pdf()
                with printer.page("de derde PDF") as page:
                    assert page is not first
                    page.set_content("<p>derde</p>")
                    assert page.pdf().startswith(b"%PDF")

    in_thread(hang)


def test_two_printers_print_at_once_in_one_chromium_and_a_hang_in_one_stops_only_that_one():
    """The export lanes share one Chromium: two printers in two threads print at the same time,
    each in its own context. One document that hangs is stopped at its limit; the other lane's
    documents are printed meanwhile and after."""
    from generator.browser import Chromium, ExportTimeout, Printer

    printed: list[str] = []
    errors: list[BaseException] = []

    def lane(browser, name: str, hangs: bool) -> None:  # noqa: ANN001
        try:
            with Printer(browser, javascript=True) as printer:
                for n in range(3):
                    try:
                        with printer.page(f"{name} {n}", seconds=2) as page:
                            page.set_content(f"<p>{name} {n}</p>" + (HOSTILE if hangs and n == 0 else ""), wait_until="commit")
                            if page.pdf().startswith(b"%PDF"):
                                printed.append(f"{name} {n}")
                    except ExportTimeout:
                        printed.append(f"{name} {n} gestopt")
        except BaseException as error:  # noqa: BLE001 - asserted below
            errors.append(error)

    def both() -> None:
        with Chromium() as browser:
            lanes = [threading.Thread(target=lane, args=(browser, name, name == "a")) for name in ("a", "b")]
            for thread in lanes:
                thread.start()
            for thread in lanes:
                thread.join(60)

    started = time.monotonic()
    in_thread(both)
    assert errors == []
    assert sorted(printed) == ["a 0 gestopt", "a 1", "a 2", "b 0", "b 1", "b 2"]
    assert printed.index("b 2") < printed.index("a 0 gestopt")  # b did not wait for a's hang
    assert time.monotonic() - started < 20


def test_export_over_its_time_limit_fails_the_variant_with_exit_1(project, tmp_path):
    site = tmp_path / "site"
    shutil.rmtree(project / "build" / ".cache", ignore_errors=True)  # a real print, not one kept from an earlier test
    env = dict(os.environ, ROLWIJZER_EXPORT_TIMEOUT="0.01")
    result = run(project, "build", "--site", str(site), env=env)
    assert result.returncode == 1, result.stderr
    assert "exporteren mislukt: de PDF reset.pdf was niet binnen 0.01 seconden klaar" in result.stderr
    assert "Traceback" not in result.stderr
    assert not (site / ORG).exists() and leftovers(site) == []
