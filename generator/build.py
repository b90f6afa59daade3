"""Build: StagedSite -> BuiltSite (MkDocs in strict mode, into a fresh directory beside site/<org>/)."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path

from .render import StagedSite


@dataclass(frozen=True)
class BuiltSite:
    slug: str
    name: str
    out_dir: Path  # a temporary directory, published by publish()
    staged: StagedSite | None  # None when an already published site is exported again


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


def build(staged: StagedSite, out_dir: Path) -> BuiltSite:
    """Run MkDocs on the staged config; every MkDocs warning fails the build (strict)."""
    from mkdocs.commands.build import build as mkdocs_build
    from mkdocs.config import load_config
    from mkdocs.exceptions import MkDocsException

    collect = _Collect()
    logger = logging.getLogger("mkdocs")
    logger.addHandler(collect)
    try:
        config = load_config(str(staged.config_file), site_dir=str(out_dir), strict=True)
        mkdocs_build(config)
    except MkDocsException as error:
        raise BuildError(staged.slug, collect.messages or [str(error)]) from None
    finally:
        logger.removeHandler(collect)
    if collect.messages:
        raise BuildError(staged.slug, collect.messages)
    return BuiltSite(staged.slug, staged.name, out_dir, staged)
