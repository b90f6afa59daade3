"""Static files of the build stage as hard links to one kept copy in build/.cache/files.

Every site holds the same static files of the theme: Material's scripts, stylesheets and fonts, and
our theme's assets (2.6 MB in 48 files per organisation). MkDocs copies each of them
into each site it builds, every build. On this project's machines writing them was the largest
single cost of a cached rebuild (a third of it at 54 organisations): the data, and a new file per
copy. While `linked_copies` is in force MkDocs' copy becomes a hard link to a copy kept under the
SHA-256 of its bytes, so a site's file costs a directory entry and the bytes are on disk once.

- Only the theme's files are linked (Material's folder and theme/). A site's own files (staged
  docs, images, downloads) are copied as before: the export writes into downloads/, and a file
  written in place there must not be a file that other sites share.
- An entry is written once, atomically (a temporary file, then a rename), and never written
  again: a site file and its entry are one file, and nothing in the pipeline writes a theme file.
- Before a process first links an entry, it reads the entry back and checks its hash: an entry
  changed in place (by hand, or a planted cache) is written again, and the changed file stays
  with the sites that already had it.
- Where a link cannot be made (site/ on another file system, a system without hard links) the
  file is copied, as MkDocs does.
- `prune` removes the entries that no site links any more (a new Material version, say).

The pages MkDocs writes go the same way when they are what the published site already holds:
after one base page changed, most pages of a rebuild are byte for byte the pages being replaced.
Such a page is a hard link to the published file instead of a new file; nothing of the published
site is written. downloads/ is left out (the export writes its files there), and so is every file
that is not a plain file in the published site. Writing those pages again was, with the theme's
files, most of a cached rebuild on this disk, where every new file costs about a millisecond.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import stat
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Iterator

from .outputs import DOWNLOADS

_DIGESTS: dict[tuple[str, int, int], str] = {}  # (source path, size, mtime) -> SHA-256 of its bytes, per process
_CHECKED: set[str] = set()  # entries this process wrote or read back


def _sha256(path: str | Path) -> str:
    with open(path, "rb") as handle:
        return hashlib.file_digest(handle, "sha256").hexdigest()


def _entry(store: Path, source: str) -> Path:
    """The kept copy of `source`'s bytes, made when missing or not what its name says."""
    status = os.stat(source)
    key = (source, status.st_size, status.st_mtime_ns)
    digest = _DIGESTS.get(key)
    if digest is None:
        digest = _DIGESTS[key] = _sha256(source)
    entry = store / digest
    if str(entry) in _CHECKED:
        return entry
    try:
        good = _sha256(entry) == digest
    except OSError:
        good = False
    if not good:
        store.mkdir(parents=True, exist_ok=True)
        temporary = store / f".{digest}.{os.getpid()}"
        try:
            shutil.copyfile(source, temporary)
            os.replace(temporary, entry)
        finally:
            temporary.unlink(missing_ok=True)
    _CHECKED.add(str(entry))
    return entry


def _same_published(published: Path | None, out_dir: str, output_path: str, content: bytes) -> str | None:
    """The published site's file at output_path's place when it holds exactly `content`."""
    if published is None:
        return None
    rel = os.path.relpath(output_path, out_dir)
    if rel.startswith((DOWNLOADS + os.sep, os.pardir + os.sep)):
        return None
    old = os.path.join(published, rel)
    try:
        status = os.lstat(old)
        if not stat.S_ISREG(status.st_mode) or status.st_size != len(content):
            return None
        with open(old, "rb") as handle:
            return old if handle.read() == content else None
    except OSError:
        return None


@contextmanager
def linked_copies(store: Path, theme_dirs: list[str], out_dir: Path | None = None, published: Path | None = None) -> Iterator[None]:
    """While MkDocs builds into `out_dir`, a file of `theme_dirs` that it copies into the site is a
    hard link to its entry in `store`, and a page it writes that `published` (the site it will
    replace) holds byte for byte is a hard link to that file (mkdocs.utils.copy_file and
    write_file, and File.copy_file, are patched for the duration). Other files are copied and written."""
    import mkdocs.utils
    from mkdocs.structure.files import File

    copy, write, copy_file = mkdocs.utils.copy_file, mkdocs.utils.write_file, File.copy_file
    themes = tuple(os.path.join(os.path.normpath(folder), "") for folder in theme_dirs)
    published = published if published is not None and out_dir is not None and published.is_dir() else None
    out = str(out_dir) if out_dir is not None else ""

    def link(target: str | Path, output_path: str) -> None:
        try:
            os.link(target, output_path)
        except FileNotFoundError:  # the folder first (MkDocs' callers usually made it)
            os.makedirs(os.path.dirname(output_path), exist_ok=True)
            os.link(target, output_path)

    def unlinked(output_path: str) -> str:
        """A name to write to that is no other file's name: a file already there may be one of
        our links, and writing into it would write into the published site or the kept copy."""
        if os.path.isfile(output_path) and os.stat(output_path).st_nlink > 1:
            os.unlink(output_path)
        return output_path

    def link_or_copy(source_path: str, output_path: str) -> None:
        if os.path.isdir(output_path):
            output_path = os.path.join(output_path, os.path.basename(source_path))
        if os.path.normpath(source_path).startswith(themes):  # (MkDocs names them by these folders)
            try:
                link(_entry(store, source_path), output_path)
                return
            except OSError:  # another file system, an existing file, no hard links: MkDocs' copy
                pass
        copy(source_path, unlinked(output_path))

    def link_or_write(content: bytes, output_path: str) -> None:
        old = _same_published(published, out, output_path, content)
        if old is not None:
            try:
                link(old, output_path)
                return
            except OSError:
                pass
        write(content, unlinked(output_path))

    def copy_static_file(file: Any, dirty: bool = False) -> None:
        """File.copy_file without its os.makedirs of the file's folder, which asks the file system
        once per file (48 theme files a site, in a dozen folders; on this project's disks a tenth of
        a millisecond or more each): link() makes a folder that is missing."""
        if file._content is not None or file.abs_src_path is None or (dirty and not file.is_modified()):
            copy_file(file, dirty)
            return
        try:
            link_or_copy(file.abs_src_path, file.abs_dest_path)
        except shutil.SameFileError:
            pass

    mkdocs.utils.copy_file, mkdocs.utils.write_file, File.copy_file = link_or_copy, link_or_write, copy_static_file
    try:
        yield
    finally:
        mkdocs.utils.copy_file, mkdocs.utils.write_file, File.copy_file = copy, write, copy_file


def prune(store: Path) -> int:
    """Remove the entries that no site links (their only name is the entry's); returns how many.
    Run after a build, when no build is linking."""
    removed = 0
    if not store.is_dir():
        return removed
    for entry in store.iterdir():
        try:
            if entry.is_file() and entry.stat().st_nlink == 1:
                entry.unlink()
                _CHECKED.discard(str(entry))
                removed += 1
        except OSError:
            continue
    return removed
