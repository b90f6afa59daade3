"""Build: StagedSite -> BuiltSite (MkDocs in strict mode, into a fresh directory beside site/<org>/).

`build_date` is the one date of a variant's build, used by every output that carries a date (the
sitemap, PDF metadata, DOCX): SOURCE_DATE_EPOCH when set, else the organisation's own document
date (org.yml `document.date`), else 1 January 1980. Two builds of the same sources are then
identical byte for byte, whatever day they run."""

from __future__ import annotations

import datetime as dt
import io
import logging
import os
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterator

from . import codecache
from .filestore import linked_copies
from .pagecache import cached_pages
from .render import StagedSite


@dataclass(frozen=True)
class BuiltSite:
    slug: str
    name: str
    out_dir: Path  # a temporary directory, published by publish()
    staged: StagedSite | None  # None when an already published site is exported again


FALLBACK_DATE = dt.datetime(1980, 1, 1, tzinfo=dt.timezone.utc)  # the earliest date a ZIP entry can hold


def build_date(document_date: dt.date | None) -> dt.datetime:
    """The build date (UTC) of a variant whose org.yml has `document.date` = document_date."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch:
        try:
            return max(FALLBACK_DATE, dt.datetime.fromtimestamp(int(epoch), dt.timezone.utc))
        except (ValueError, OverflowError, OSError):
            pass  # not a number of seconds: ignored, as MkDocs would fail on it
    if document_date is not None:
        return max(FALLBACK_DATE, dt.datetime.combine(document_date, dt.time(), dt.timezone.utc))
    return FALLBACK_DATE


@contextmanager
def source_date_epoch(when: dt.datetime) -> Iterator[None]:
    """SOURCE_DATE_EPOCH set to `when` while MkDocs runs (it dates the sitemap with it), restored after."""
    before = os.environ.get("SOURCE_DATE_EPOCH")
    os.environ["SOURCE_DATE_EPOCH"] = str(int(when.timestamp()))
    try:
        yield
    finally:
        if before is None:
            os.environ.pop("SOURCE_DATE_EPOCH", None)
        else:
            os.environ["SOURCE_DATE_EPOCH"] = before


class BuildError(Exception):
    """MkDocs refused the staged site; `messages` are its warnings and errors."""

    def __init__(self, slug: str, messages: list[str]):
        self.slug = slug
        self.messages = messages
        super().__init__(f"{slug}: bouwen mislukt: " + "; ".join(messages[:5]))


class _Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


def _theme_environment(config: Any, cache: Path) -> None:
    """Material's templates run in Jinja's sandbox, in one environment per process and theme.

    - Sandboxed: the theme's templates are the fork's too (theme/*.html overrides Material's
      blocks), and in a plain Jinja environment a template can reach Python's internals and run
      any command. The sandbox refuses private and internal attributes; Material's templates
      need neither.
    - One per process: the templates are compiled once per worker process, not once per
      organisation (about a tenth of a site build), and the compiled code is kept, signed, in the
      page cache `cache` for the next build (codecache: a fork can plant a file in build/, so an
      entry is read only when its signature holds). Jinja checks each template's file before it
      uses it, so an edited template is read and compiled again.
    - Listing the theme's files skips hidden folders. MkDocs lists every file of the theme to copy
      its static files, then drops every name in a hidden folder; Material's .icons alone are
      14,000 files, about a third of a warm site build. The list MkDocs keeps is the same. The
      installed themes' folders (Material's) are listed once per process; theme/ every build."""
    theme = config.theme
    # Every organisation names the same theme folders by another path (build/<org>/../../theme).
    dirs = tuple(os.path.realpath(folder) for folder in theme.dirs)
    custom = os.path.realpath(theme.custom_dir) if theme.custom_dir else None

    def get_env() -> Any:
        env = _sandboxed_env(dirs, custom, theme.locale)
        codecache.keep_compiled(cache, {"theme": env})
        return env

    config.theme.get_env = get_env


@contextmanager
def installed_themes() -> Iterator[None]:
    """MkDocs looks up the installed themes (the entry points of every installed package, read from
    their metadata files) at least twice per config it loads, and clears its own cache of them:
    5-10 ms of every organisation's build. While this is in force, they are looked up once per
    process (what is installed does not change while we build)."""
    from mkdocs import utils

    lookup = utils.get_themes
    if not _INSTALLED:
        _INSTALLED.update(lookup())

    def get_themes() -> dict[str, Any]:
        return _INSTALLED

    get_themes.cache_clear = lambda: None  # type: ignore[attr-defined]  # mkdocs.theme calls it
    utils.get_themes = get_themes
    try:
        yield
    finally:
        utils.get_themes = lookup


_INSTALLED: dict[str, Any] = {}  # the installed themes' entry points, by name (installed_themes)


_ENVIRONMENTS: dict[tuple[tuple[str, ...], str | None, str], Any] = {}


def _sandboxed_env(dirs: tuple[str, ...], custom: str | None, locale: Any) -> Any:
    """What mkdocs.theme.Theme.get_env makes, in Jinja's sandbox (see _theme_environment)."""
    key = (dirs, custom, str(locale))
    if key not in _ENVIRONMENTS:
        _ENVIRONMENTS[key] = _make_sandboxed_env(dirs, custom, locale)
    return _ENVIRONMENTS[key]


def _make_sandboxed_env(dirs: tuple[str, ...], custom: str | None, locale: Any) -> Any:
    from jinja2 import FileSystemLoader
    from jinja2.sandbox import SandboxedEnvironment
    from mkdocs import localization
    from mkdocs.utils import templates

    class Sandbox(SandboxedEnvironment):
        """Jinja's sandbox, which remembers its verdict on an attribute per type and name.

        Jinja's own verdict depends on nothing else: a name that starts with '_', or an internal
        attribute of a function, method, class, code object, frame, traceback or generator
        (jinja2.sandbox.is_internal_attribute tests the object's type). Material's menu asks the
        same few thousand questions on every page; asked afresh they were about a tenth of
        rendering a page. An object whose __class__ is not its type is asked afresh every time."""

        verdicts: dict[tuple[type, str], bool] = {}

        def is_safe_attribute(self, obj: Any, attr: str, value: Any) -> bool:
            kind = type(obj)
            if obj.__class__ is not kind:
                return super().is_safe_attribute(obj, attr, value)
            verdict = self.verdicts.get((kind, attr))
            if verdict is None:
                verdict = self.verdicts[(kind, attr)] = super().is_safe_attribute(obj, attr, value)
            return verdict

    loader = FileSystemLoader(list(dirs))
    listed: dict[str, list[str]] = {}  # an installed theme's folder: listed once

    def list_templates() -> list[str]:
        found: set[str] = set()
        for folder in loader.searchpath:
            if folder == custom:
                found.update(_visible_files([folder], loader.followlinks))
                continue
            if folder not in listed:
                listed[folder] = _visible_files([folder], loader.followlinks)
            found.update(listed[folder])
        return sorted(found)

    loader.list_templates = list_templates
    env = Sandbox(loader=loader, auto_reload=True)
    env.filters["url"] = templates.url_filter
    env.filters["script_tag"] = templates.script_tag_filter
    localization.install_translations(env, locale, list(dirs))
    return env


def _visible_files(searchpaths: list[str], followlinks: bool) -> list[str]:
    """What jinja2.FileSystemLoader.list_templates lists, less the files in hidden folders."""
    found = set()
    for searchpath in searchpaths:
        for folder, subfolders, names in os.walk(searchpath, followlinks=followlinks):
            subfolders[:] = [name for name in subfolders if not name.startswith(".")]
            for name in names:
                found.add(os.path.join(folder, name)[len(searchpath):].strip(os.sep).replace(os.sep, "/"))
    return sorted(found)


def build(staged: StagedSite, out_dir: Path, date: dt.datetime | None = None) -> BuiltSite:
    """Run MkDocs on the staged config; every MkDocs warning fails the build (strict). `date` is
    the build date (see build_date); without it, SOURCE_DATE_EPOCH or today, as MkDocs does."""
    from mkdocs.commands.build import build as mkdocs_build
    from mkdocs.config import load_config
    from jinja2 import TemplateError
    from mkdocs.exceptions import MkDocsException

    collect = _Collect()
    logger = logging.getLogger("mkdocs")
    logger.addHandler(collect)
    try:
        if staged.config:
            # The config as render made it, not parsed back from its YAML (MkDocs' YAML loader is
            # written in Python: a tenth of a cached build). Same options, same checks.
            options = dict(staged.config, site_dir=str(out_dir), strict=True)
            source: Any = io.StringIO("{}")
        else:
            options, source = dict(site_dir=str(out_dir), strict=True), str(staged.config_file)
        with installed_themes():
            config = load_config(source, config_file_path=str(staged.config_file), **options)
        cache = staged.config_file.parent.parent / ".cache"
        _theme_environment(config, cache / "pages")
        with source_date_epoch(date) if date is not None else nullcontext():
            with cached_pages(config, staged.config_file, cache / "pages"), linked_copies(cache / "files", config.theme.dirs, out_dir, out_dir.parent / staged.slug):
                mkdocs_build(config)
    except MkDocsException as error:
        raise BuildError(staged.slug, collect.messages or [str(error)]) from None
    except TemplateError as error:  # the theme's templates (theme/*.html): a mistake, or what the sandbox refuses
        where = f"{error.filename}:{error.lineno}: " if getattr(error, "filename", None) else ""
        raise BuildError(staged.slug, [f"sjabloon van het thema: {where}{error}"]) from None
    finally:
        logger.removeHandler(collect)
        codecache.flush()  # the templates and texts this process compiled (render's too)
    if collect.messages:
        raise BuildError(staged.slug, collect.messages)
    return BuiltSite(staged.slug, staged.name, out_dir, staged)
