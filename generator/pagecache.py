"""Page cache of the build stage: what MkDocs makes of a page is kept in build/.cache/pages, keyed by
everything it is made from, so a rebuild converts and themes only the pages whose input changed.

Three things per page, each under its own key (a SHA-256 of its inputs):

  html    Markdown -> HTML, table of contents, title, anchors and links (Page.render). Key: the
          page's Markdown and address, the Markdown extensions and their settings, the addresses of
          all files of the site (links are resolved and checked against them), the link-check
          levels, the versions of Markdown, pymdownx and MkDocs and the source of our own extension.
  search  the page's entries in the search index. Key: the html key, the page's address, title and
          front matter, and the site's config (the search settings are in it).
  themed  the page in Material's templates, before the post-page plugins. Key: the html key, the
          page's address, title and front matter, the whole navigation (titles, addresses and front
          matter of every page: the menu is in every page), the staged config, our theme overrides,
          the versions of Material and MkDocs and the build date. The theme's own pages (404.html,
          sitemap.xml) too, keyed by the navigation and the site's files.

The same database holds the compiled templates and texts of every Jinja environment (kind "code",
signed: see codecache).

Only what is known to depend on nothing but these inputs is cached: the Markdown extensions of
baseconfig.EXTENSIONS and the plugins of PURE_PLUGINS. An extension that reads other files (such as
pymdownx.snippets) or a plugin that changes a page's context turns the cache off for that site:
its pages are always made again.

An entry is written only when its page was made without a warning (a warning fails a strict build,
and a hit must not hide one). The entries live in one SQLite file, pages.sqlite3: a build reads
from it and writes its new entries and the times of its hits in one transaction at its end, so
parallel builds share the cache (SQLite serialises their writes). One file, not a file per entry:
creating hundreds of small files and folders was half a second of a cold build on this machine's
disk. `prune` removes the least recently used entries above a size limit. A file that is not this
cache (another schema, a trigger, not a database at all) is thrown away and made again. A cache
that cannot be read or written is only slower: every failure falls back to the real work.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import sqlite3
import time
import zlib
from contextlib import contextmanager
from importlib.metadata import version
from pathlib import Path
from typing import Any, Iterator

from .baseconfig import EXTENSIONS, PLUGINS

FORMAT = "1"  # change when what an entry holds changes
DATABASE = "pages.sqlite3"  # in the cache folder, with SQLite's -wal and -shm files while in use
SCHEMA = ("CREATE TABLE entries (kind TEXT NOT NULL, key TEXT NOT NULL, value BLOB NOT NULL, used INTEGER NOT NULL,"
          " PRIMARY KEY (kind, key)) WITHOUT ROWID")
LIMIT_BYTES = 512 * 1024 * 1024  # prune() keeps the cache below this
DAY_NS = 86_400 * 10**9  # how precisely the time of an entry's last use is kept
# What a page's cached HTML and themed page may come from: the extensions that baseconfig accepts
# (their output is a function of the page's Markdown and their settings alone), and plugins that
# change no page before its template (search indexes it, offline works after the build).
PURE_PLUGINS = frozenset(f"material/{name}" for name in PLUGINS)  # as MkDocs names them once loaded


def _digest(*parts: str) -> str:
    h = hashlib.sha256()
    for part in parts:
        h.update(part.encode("utf-8", "surrogatepass"))
        h.update(b"\0")
    return h.hexdigest()


def _json(value: Any) -> str:
    return json.dumps(value, sort_keys=True, default=str, ensure_ascii=False)


def _tree_digest(directory: Path | None) -> str:
    if directory is None or not directory.is_dir():
        return ""
    h = hashlib.sha256()
    for path in sorted(p for p in directory.rglob("*") if p.is_file()):
        h.update(str(path.relative_to(directory)).encode() + b"\0" + path.read_bytes() + b"\0")
    return h.hexdigest()


def _toc_to_json(items: Any) -> list:
    return [{"title": i.title, "id": i.id, "level": i.level, "children": _toc_to_json(i.children)} for i in items]


def _toc_from_json(items: list) -> Any:
    from mkdocs.structure.toc import AnchorLink, TableOfContents

    def link(item: dict) -> Any:
        anchor = AnchorLink(item["title"], item["id"], item["level"])
        anchor.children = [link(child) for child in item["children"]]
        return anchor

    return TableOfContents([link(item) for item in items])


def _connect(path: Path, create: bool = True) -> sqlite3.Connection | None:
    """The cache database at `path`, made when missing (unless not `create`); None when it cannot
    be opened. A file that holds anything but our one table is removed and made again: SQLite runs
    triggers and views stored in the file, and a cache from elsewhere must not bring its own."""
    for attempt in range(2):
        if not create and not path.exists():
            return None
        db = None
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            db = sqlite3.connect(path, timeout=60, isolation_level=None)
            db.execute("PRAGMA trusted_schema = OFF")
            schema = db.execute("SELECT type, name, sql FROM sqlite_master").fetchall()
            if not schema:
                db.execute("PRAGMA auto_vacuum = INCREMENTAL")  # must come before the first table
                db.execute(SCHEMA.replace("CREATE TABLE", "CREATE TABLE IF NOT EXISTS", 1))
                schema = db.execute("SELECT type, name, sql FROM sqlite_master").fetchall()
            if schema == [("table", "entries", SCHEMA)]:
                db.execute("PRAGMA journal_mode = WAL")
                db.execute("PRAGMA synchronous = OFF")  # a cache: a torn write is a miss, not a loss
                return db
        except sqlite3.Error:
            pass
        if db is not None:
            db.close()
        if attempt == 0:  # not our cache: throw it away, once
            for suffix in ("", "-wal", "-shm", "-journal"):
                Path(f"{path}{suffix}").unlink(missing_ok=True)
    return None


class Store:
    """Entries in one SQLite table (the page cache's as zlib-compressed JSON). Reads go to the file; new entries and
    the keys of hits are kept until `flush`, which writes them in one transaction."""

    def __init__(self, directory: Path):
        self.path = directory / DATABASE
        self._db: sqlite3.Connection | None = None
        self._opened = False
        self._new: dict[tuple[str, str], bytes] = {}
        self._hits: set[tuple[str, str]] = set()

    def _database(self) -> sqlite3.Connection | None:
        if not self._opened:
            self._opened = True
            self._db = _connect(self.path)
        return self._db

    def get(self, kind: str, key: str) -> Any:
        data = self.get_bytes(kind, key)
        if data is None:
            return None
        try:
            return json.loads(zlib.decompress(data))
        except (ValueError, zlib.error):
            return None

    def put(self, kind: str, key: str, value: Any) -> None:
        self.put_bytes(kind, key, zlib.compress(json.dumps(value, ensure_ascii=False).encode("utf-8"), 1))

    def get_bytes(self, kind: str, key: str) -> bytes | None:
        """An entry's bytes as they were put, or None."""
        data = self._new.get((kind, key))
        if data is None and (db := self._database()) is not None:
            try:
                row = db.execute("SELECT value FROM entries WHERE kind = ? AND key = ?", (kind, key)).fetchone()
            except sqlite3.Error:
                row = None
            data = None if row is None else bytes(row[0])
        if data is not None:
            self._hits.add((kind, key))
        return data

    def put_bytes(self, kind: str, key: str, data: bytes) -> None:
        self._new[(kind, key)] = data

    def flush(self) -> None:
        """Write the new entries and the times of the hits, then close the file."""
        db = self._database() if self._new or self._hits else self._db
        now = time.time_ns()
        try:
            if db is not None and (self._new or self._hits):
                db.execute("BEGIN IMMEDIATE")
                db.executemany("INSERT OR REPLACE INTO entries VALUES (?, ?, ?, ?)",
                               [(kind, key, data, now) for (kind, key), data in self._new.items()])
                # The time of a hit is kept to the day: SQLite writes a changed row again whole,
                # and writing every hit of every build was the cache written again each time.
                db.executemany("UPDATE entries SET used = ? WHERE kind = ? AND key = ? AND used < ?",
                               [(now, kind, key, now - DAY_NS) for kind, key in self._hits - self._new.keys()])
                db.execute("COMMIT")
        except sqlite3.Error:
            pass
        finally:
            self._new.clear()
            self._hits.clear()
            if db is not None:
                db.close()
            self._db, self._opened = None, False


class _Warnings(logging.Handler):
    """Counts MkDocs' warnings, so an entry is kept only from work that warned of nothing."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.count = 0

    def emit(self, record: logging.LogRecord) -> None:
        self.count += 1


class _Site:
    """The keys of one MkDocs build: what all its pages share, computed once."""

    def __init__(self, config: Any, config_file: Path):
        import markdown
        import mkdocs

        from . import sanitize

        self.config = config
        own_extension = Path(sanitize.__file__).read_text(encoding="utf-8")
        self.conversion = _digest(FORMAT, markdown.__version__, version("pymdown-extensions"), mkdocs.__version__,
                                  own_extension, _json(config["markdown_extensions"]), _json(config["mdx_configs"]),
                                  _json(config["use_directory_urls"]), _json(dict(config["validation"])))
        custom_dir = config.theme.custom_dir
        self.theme = _digest(FORMAT, config_file.read_text(encoding="utf-8"), _tree_digest(Path(custom_dir) if custom_dir else None),
                             version("mkdocs-material"), mkdocs.__version__, os.environ.get("SOURCE_DATE_EPOCH", ""))
        self._files: tuple[int, str] | None = None
        self._nav: str | None = None

    @property
    def files_key(self) -> str | None:
        """The key of the site's files, once a page was converted."""
        return None if self._files is None else self._files[1]

    def files(self, files: Any) -> str:
        if self._files is None or self._files[0] != id(files):
            listing = sorted(_json([f.src_uri, f.dest_uri, f.url, str(f.inclusion)]) for f in files)
            self._files = (id(files), _digest(self.conversion, _json(listing)))
        return self._files[1]

    def nav(self, nav: Any) -> str:
        if self._nav is None:
            def walk(items: Any) -> list:
                out = []
                for item in items:
                    if item.is_page:
                        out.append(["page", item.title, item.url, _json(item.meta)])
                    elif item.is_section:
                        out.append(["section", item.title, walk(item.children)])
                    else:
                        out.append(["link", item.title, item.url])
                return out

            self._nav = _digest(self.theme, _json(walk(nav.items)))
        return self._nav


@contextmanager
def cached_pages(config: Any, config_file: Path, directory: Path) -> Iterator[Store]:
    """While MkDocs builds `config` (staged from `config_file`), pages come from and go to the
    cache in `directory`. Patches MkDocs' Page.render, the template of each page and Material's
    search index for the duration, and puts them back after."""
    from material.plugins.search.plugin import SearchIndex
    from mkdocs.structure.pages import Page

    if not (set(config["markdown_extensions"]) <= EXTENSIONS and set(config.plugins) <= PURE_PLUGINS):
        yield Store(directory)  # something outside the known inputs: no cache for this site (nothing is put)
        return
    store = Store(directory)
    site = _Site(config, config_file)
    warnings = _Warnings()
    logger = logging.getLogger("mkdocs")
    render, index = Page.render, SearchIndex.add_entry_from_context

    def cached_render(page: Any, config: Any, files: Any) -> None:
        key = _digest(site.files(files), page.file.src_uri, page.markdown or "")
        page._rolwijzer_key = key
        entry = store.get("html", key)
        if entry is not None:
            page.content = entry["content"]
            page.toc = _toc_from_json(entry["toc"])
            page._title_from_render = entry["title"]
            page.present_anchor_ids = set(entry["anchors"])
            if entry["links"] is not None:
                page.links_to_anchors = {files.get_file_from_path(uri): links for uri, links in entry["links"].items()}
            return
        before = warnings.count
        render(page, config, files)
        if warnings.count == before:
            links = page.links_to_anchors
            store.put("html", key, {"content": page.content, "toc": _toc_to_json(page.toc), "title": page._title_from_render,
                                    "anchors": list(page.present_anchor_ids or ()),
                                    "links": None if links is None else {f.src_uri: v for f, v in links.items()}})

    def page_key(page: Any, *more: str) -> str | None:
        key = getattr(page, "_rolwijzer_key", None)
        return None if key is None else _digest(key, page.url, str(page.title), _json(page.meta), *more)

    def cached_index(search_index: Any, page: Any) -> None:
        key = page_key(page, site.theme)
        entries = None if key is None else store.get("search", key)
        if entries is not None:
            search_index.entries.extend(entries)
            return
        start = len(search_index.entries)
        index(search_index, page)
        if key is not None:
            store.put("search", key, search_index.entries[start:])

    class CachedTemplate:
        def __init__(self, template: Any, name: str):
            self.template, self.name = template, name

        def render(self, context: Any) -> str:
            page, nav = context.get("page"), context.get("nav")
            if nav is None or (page is None and site.files_key is None):
                key = None
            elif page is None:  # a page of the theme's own (404.html, sitemap.xml): it shows the menu and lists the pages
                key = _digest(site.nav(nav), site.files_key, self.name)
            else:
                key = page_key(page, site.nav(nav), self.name)
            output = None if key is None else store.get("themed", key)
            if output is not None:
                return output
            before = warnings.count
            output = self.template.render(context)
            if key is not None and warnings.count == before:
                store.put("themed", key, output)
            return output

        def __getattr__(self, name: str) -> Any:
            return getattr(self.template, name)

    class PageEnvironment:
        """The theme's environment as this build sees it: a page's own template comes cached.
        (The environment itself is shared by builds: it is not changed.)"""

        def __init__(self, env: Any):
            self._env = env

        def get_template(self, name: Any, *args: Any, **kwargs: Any) -> Any:
            template = self._env.get_template(name, *args, **kwargs)
            # MkDocs asks for a page's template by name alone.
            return template if args or kwargs else CachedTemplate(template, str(name))

        def __getattr__(self, name: str) -> Any:
            return getattr(self._env, name)

    make_env = config.theme.get_env

    def get_env() -> Any:
        return PageEnvironment(make_env())

    logger.addHandler(warnings)
    Page.render, SearchIndex.add_entry_from_context = cached_render, cached_index
    config.theme.get_env = get_env
    try:
        yield store
    finally:
        Page.render, SearchIndex.add_entry_from_context = render, index
        config.theme.get_env = make_env
        logger.removeHandler(warnings)
        store.flush()


def prune(directory: Path, limit: int = LIMIT_BYTES) -> int:
    """Remove the least recently used entries until the cache is below `limit` bytes; returns how
    many were removed. Run after a build, when no build is writing. Costs nothing below the limit:
    the size is the file's own page count."""
    db = _connect(directory / DATABASE, create=False)
    if db is None:
        return 0
    try:
        page_size, pages, free = (db.execute(f"PRAGMA {name}").fetchone()[0] for name in ("page_size", "page_count", "freelist_count"))
        excess = (pages - free) * page_size - limit
        if excess <= 0:
            return 0
        doomed = []
        for kind, key, size in db.execute("SELECT kind, key, length(value) FROM entries ORDER BY used"):
            if excess <= 0:
                break
            doomed.append((kind, key))
            excess -= size
        db.execute("BEGIN IMMEDIATE")
        db.executemany("DELETE FROM entries WHERE kind = ? AND key = ?", doomed)
        db.execute("COMMIT")
        db.execute("PRAGMA incremental_vacuum")
        return len(doomed)
    except sqlite3.Error:
        return 0
    finally:
        db.close()
