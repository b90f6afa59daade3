"""Publish: BuiltSite -> site/<org>/, so a failed or killed build never touches the last good site.

- The new folder is built beside the published one (site/.<org>.new-*) and exchanged with it in
  one step, renameat2(RENAME_EXCHANGE): site/<org> is at every moment either the old complete
  site or the new one. Where the system lacks that call (not Linux, or a file system that
  refuses it), two renames: the old site moves aside (site/.<org>.old-*), the new one in.
- Published files and folders get the modes the user's umask allows (0644 / 0755 by default).
- One build or export at a time per site/ folder: `site_lock` holds an exclusive flock on
  site/.rolwijzer.lock (a dot file that exists only during a build, so it is never deployed);
  a second build waits for the first and says so. Under the lock, `remove_leftovers` deletes what a killed
  build left behind (site/.<org>.new-*, site/.<org>.old-*, site/.index.html.tmp).
- `write_index` writes site/index.html, the list of published variants (once per run).
- Every failure to write in site/ is a `PublishError` with a Dutch message naming the path."""

from __future__ import annotations

import ctypes
import ctypes.util
import errno
import html
import json
import os
import re
import shutil
import sys
from contextlib import contextmanager
from pathlib import Path
from typing import Callable, Iterator

from .build import BuiltSite

MANIFEST = "rolwijzer.json"
LOCK = ".rolwijzer.lock"
INDEX_TMP = ".index.html.tmp"
LEFTOVER = re.compile(r"^\..+\.(new|old)-[^/]+$")  # .<org>.new-*, .<org>.old-*
AT_FDCWD = -100
RENAME_EXCHANGE = 2


class PublishError(Exception):
    """site/ cannot be written: the message (Dutch) names the path and the reason."""


def _reason(error: OSError) -> str:
    reasons = {errno.EACCES: "geen schrijfrechten", errno.EPERM: "niet toegestaan (alleen-lezen of onveranderbaar?)",
               errno.EROFS: "het bestandssysteem is alleen-lezen", errno.ENOSPC: "de schijf is vol",
               errno.ENOTDIR: "een deel van het pad is een bestand, geen map",
               errno.EEXIST: "er staat al een bestand met die naam", errno.EDQUOT: "de schijfruimte (quota) is op"}
    return reasons.get(error.errno, error.strerror or str(error))


def publish_error(path: Path, action: str, error: OSError) -> PublishError:
    return PublishError(f"publiceren mislukt: {path}: kan {action}: {_reason(error)}")


# --- modes ----------------------------------------------------------------------------------------

def umask() -> int:
    """The process umask, read without changing it where the system allows."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("Umask:"):
                return int(line.split()[1], 8)
    except (OSError, ValueError, IndexError):
        pass
    current = os.umask(0o022)
    os.umask(current)
    return current


def make_dir(path: Path) -> None:
    """Give a folder we made (tempfile.mkdtemp makes 0700) the mode the umask allows."""
    os.chmod(path, 0o777 & ~umask())


def normalise_modes(root: Path) -> None:
    """Every folder 0777 and every file 0666, minus the umask: a web server can read what we publish."""
    mask = umask()
    dir_mode, file_mode = 0o777 & ~mask, 0o666 & ~mask
    for folder, dirs, files in os.walk(root):
        for name, mode in [(folder, dir_mode)] + [(os.path.join(folder, f), file_mode) for f in files]:
            if os.path.islink(name):
                continue
            if (os.stat(name).st_mode & 0o7777) != mode:
                os.chmod(name, mode)


# --- the swap ---------------------------------------------------------------------------------------

def _renameat2():  # noqa: ANN202
    if not sys.platform.startswith("linux"):
        return None
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or None, use_errno=True)
        function = libc.renameat2
    except (OSError, AttributeError):  # no libc, or a libc older than glibc 2.28
        return None
    function.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    function.restype = ctypes.c_int
    return function


def exchange(a: Path, b: Path) -> bool:
    """Swap two existing paths atomically. False when the system cannot (then nothing changed)."""
    function = _renameat2()
    if function is None:
        return False
    if function(AT_FDCWD, os.fsencode(a), AT_FDCWD, os.fsencode(b), RENAME_EXCHANGE) == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.EINVAL, errno.ENOSYS, errno.EOPNOTSUPP, errno.ENOTSUP):
        return False
    raise OSError(code, os.strerror(code), str(b))


def publish(built: BuiltSite, site_root: Path, stamp: str) -> Path:
    target = site_root / built.slug
    try:
        (built.out_dir / MANIFEST).write_text(json.dumps({"slug": built.slug, "name": built.name, "inputs": stamp},
                                                         ensure_ascii=False), encoding="utf-8")
        normalise_modes(built.out_dir)
    except OSError as error:
        raise publish_error(built.out_dir, "er niet in schrijven", error) from None
    try:
        if not (target.exists() or target.is_symlink()):
            built.out_dir.rename(target)
        elif exchange(built.out_dir, target):
            # built.out_dir now holds the previous site; a kill before this line leaves a
            # .<org>.new-* folder that the next build removes.
            shutil.rmtree(built.out_dir, ignore_errors=True)
        else:
            old = site_root / f".{built.slug}.old-{os.getpid()}"
            target.rename(old)
            built.out_dir.rename(target)
            shutil.rmtree(old, ignore_errors=True)
    except OSError as error:
        raise publish_error(target, "de site niet vervangen", error) from None
    return target


# --- one build at a time, and what killed builds left ----------------------------------------------

def prepare(site_root: Path) -> None:
    """Make site/ (with the umask's mode) or fail with a Dutch message."""
    try:
        site_root.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise publish_error(site_root, "de uitvoermap niet maken", error) from None
    if not site_root.is_dir():
        raise PublishError(f"publiceren mislukt: {site_root}: is geen map")


@contextmanager
def site_lock(site_root: Path, on_wait: Callable[[Path], None] | None = None) -> Iterator[None]:
    """Hold the exclusive lock of site/ for a whole build or export; waits while another holds it.

    The lock file exists only while a build runs (so it never ends up on a web server): its holder
    removes it before letting go, and a waiter that then holds a lock on a removed file tries again."""
    try:
        import fcntl
    except ImportError:  # not a POSIX system: no lock
        prepare(site_root)
        yield
        return
    prepare(site_root)
    path = site_root / LOCK
    told = False
    while True:
        try:
            fd = os.open(path, os.O_RDWR | os.O_CREAT | getattr(os, "O_CLOEXEC", 0), 0o666)
        except OSError as error:
            raise publish_error(site_root, "er niet in schrijven", error) from None
        try:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                if on_wait is not None and not told:
                    on_wait(path)
                    told = True
                fcntl.flock(fd, fcntl.LOCK_EX)
            mine, there = os.fstat(fd), os.stat(path)
            if (mine.st_dev, mine.st_ino) == (there.st_dev, there.st_ino):
                break
        except FileNotFoundError:
            pass
        except BaseException:
            os.close(fd)
            raise
        os.close(fd)
    try:
        yield
    finally:
        try:
            os.unlink(path)
        except OSError:
            pass
        os.close(fd)  # releases the lock


def leftovers(site_root: Path) -> list[Path]:
    if not site_root.is_dir():
        return []
    return sorted(p for p in site_root.iterdir() if LEFTOVER.match(p.name) or p.name == INDEX_TMP)


def remove_leftovers(site_root: Path, slugs: list[str] | None = None) -> None:
    """Remove what killed builds left (only while holding site_lock); `slugs` limits it to those."""
    for path in leftovers(site_root):
        if slugs is not None and not any(path.name.startswith(f".{slug}.") for slug in slugs):
            continue
        try:
            if path.is_dir() and not path.is_symlink():
                shutil.rmtree(path)
            else:
                path.unlink()
        except FileNotFoundError:
            pass
        except OSError as error:
            raise publish_error(path, "dit overblijfsel van een afgebroken build niet verwijderen", error) from None


# --- reading what is published -----------------------------------------------------------------------

def _manifest(site_root: Path, slug: str) -> dict | None:
    """A published variant's manifest; None when missing or not what we wrote (then: rebuild)."""
    folder = site_root / slug
    try:
        if not (folder / "index.html").is_file():
            return None
        data = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(data, dict) or not all(isinstance(data.get(key), str) for key in ("slug", "name", "inputs")):
        return None
    return data


def published_stamp(site_root: Path, slug: str) -> str | None:
    data = _manifest(site_root, slug)
    return data["inputs"] if data else None


def write_index(site_root: Path) -> int:
    """site/index.html: one link per published variant; returns how many."""
    entries = []
    for folder in sorted(p for p in site_root.iterdir() if p.is_dir() and not p.name.startswith(".")):
        data = _manifest(site_root, folder.name)
        if data is not None:
            entries.append(f'<li><a href="{html.escape(folder.name)}/index.html">{html.escape(data["name"])}</a></li>')
    page = f"""<!doctype html>
<html lang="nl">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Rolwijzer: overzicht van organisaties</title>
<style>body{{font-family:system-ui,sans-serif;max-width:40rem;margin:2rem auto;padding:0 1rem;line-height:1.5;color:#1a1a1a}}
a{{color:#005a87}}li{{margin:.5rem 0;font-size:1.2rem}}</style></head>
<body><main><h1>Rolwijzer</h1><p>Kies een organisatie om haar beleid sociale veiligheid te openen.</p>
<ul>{''.join(entries)}</ul></main></body></html>
"""
    tmp = site_root / INDEX_TMP
    try:
        tmp.write_text(page, encoding="utf-8")
        os.chmod(tmp, 0o666 & ~umask())
        tmp.replace(site_root / "index.html")
    except OSError as error:
        raise publish_error(site_root / "index.html", "het overzicht niet schrijven", error) from None
    return len(entries)
