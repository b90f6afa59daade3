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

Only what is known to depend on nothing but these inputs is cached: the Markdown extensions of
baseconfig.EXTENSIONS and the plugins of PURE_PLUGINS. An extension that reads other files (such as
pymdownx.snippets) or a plugin that changes a page's context turns the cache off for that site:
its pages are always made again.

An entry is written only when its page was made without a warning (a warning fails a strict build,
and a hit must not hide one). Entries are written atomically, so parallel builds share the cache.
Hits refresh an entry's time; `prune` removes the least recently used entries above a size limit.
A cache that cannot be read or written is only slower: every failure falls back to the real work.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import zlib
from contextlib import contextmanager
from importlib.metadata import version
from pathlib import Path
from typing import Any, Iterator

from .baseconfig import EXTENSIONS, PLUGINS

FORMAT = "1"  # change when what an entry holds changes
LIMIT_BYTES = 512 * 1024 * 1024  # prune() keeps the cache below this
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


class _Store:
    """Entries as zlib-compressed JSON files, two levels deep, written atomically."""

    def __init__(self, directory: Path):
        self.directory = directory

    def _path(self, kind: str, key: str) -> Path:
        return self.directory / kind / key[:2] / key

    def get(self, kind: str, key: str) -> Any:
        path = self._path(kind, key)
        try:
            value = json.loads(zlib.decompress(path.read_bytes()))
            os.utime(path)
        except (OSError, ValueError, zlib.error):
            return None
        return value

    def put(self, kind: str, key: str, value: Any) -> None:
        path = self._path(kind, key)
        temporary = path.with_name(f".{key}.{os.getpid()}")
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            temporary.write_bytes(zlib.compress(json.dumps(value, ensure_ascii=False).encode("utf-8"), 1))
            os.replace(temporary, path)
        except OSError:
            temporary.unlink(missing_ok=True)


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
def cached_pages(config: Any, config_file: Path, directory: Path) -> Iterator[_Store]:
    """While MkDocs builds `config` (staged from `config_file`), pages come from and go to the
    cache in `directory`. Patches MkDocs' Page.render, the template of each page and Material's
    search index for the duration, and puts them back after."""
    from material.plugins.search.plugin import SearchIndex
    from mkdocs.structure.pages import Page

    if not (set(config["markdown_extensions"]) <= EXTENSIONS and set(config.plugins) <= PURE_PLUGINS):
        yield _Store(directory)  # something outside the known inputs: no cache for this site
        return
    store = _Store(directory)
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


def prune(directory: Path, limit: int = LIMIT_BYTES) -> int:
    """Remove the least recently used entries until the cache is below `limit` bytes; returns how
    many were removed. Run after a build, when no build is writing."""
    entries = []
    for path in directory.glob("*/*/*"):
        try:
            status = path.stat()
        except OSError:
            continue
        entries.append((status.st_mtime, status.st_size, path))
    total = sum(size for _, size, _ in entries)
    removed = 0
    for _, size, path in sorted(entries):
        if total <= limit:
            break
        path.unlink(missing_ok=True)
        total -= size
        removed += 1
    return removed
