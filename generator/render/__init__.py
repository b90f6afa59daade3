"""Render: Variant -> StagedSite (a docs dir of Markdown and a complete generated mkdocs.yml).

Every generated page is Markdown; text from the sources passes through two steps: organisation
variables are filled in (`markup.fill`) and references become relative `.md` links that MkDocs
checks in strict mode (`markup.rewrite_refs`). Navigation that the theme draws (tiles, route
buttons) uses final `.html` addresses, since the site is built with `use_directory_urls: false`.

One renderer per content kind, named in the KINDS table (`Kind.render`), writes that kind's
pages; the pages that belong to no kind (hub, protocol index, schoolgids, colours) are in
`generated.GENERATED`. Render knows nothing of layers: it gets one resolved Variant.
"""

from __future__ import annotations

import html
import importlib
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

import yaml

from .. import codecache, markup
from ..kinds import GENERATED_PAGES, KINDS, output_path
from ..load import Roots
from ..resolve import Variant
from .context import TEMPLATES, RenderContext, footer_html, html_href, relative  # noqa: F401 - the stage's public names
from .generated import GENERATED
from .roles import hub

__all__ = ["StagedSite", "render", "generate_config", "output_path", "html_href", "relative", "footer_html"]


@dataclass(frozen=True)
class StagedSite:
    slug: str
    name: str
    root: Path  # holds mkdocs.yml and docs/
    config_file: Path
    docs_dir: Path
    config: dict[str, Any] = field(default_factory=dict)  # what config_file holds, for MkDocs without parsing it again


def renderer_of(dotted: str) -> Callable[[RenderContext, list], None]:
    """'pages:render_pages' -> the function render_pages in generator/render/pages.py."""
    module, _, name = dotted.partition(":")
    return getattr(importlib.import_module(f"{__name__}.{module}"), name)


def render_files(ctx: RenderContext) -> dict[str, str]:
    """Every staged file of the variant: the hub, each kind's pages, then the generated pages."""
    hub(ctx)
    for kind in KINDS:
        if kind.render:
            renderer_of(kind.render)(ctx, ctx.variant.all(kind.name))
    for generate in GENERATED:
        generate(ctx)
    return ctx.files


# PyYAML's safe loader and dumper, in C when PyYAML has libyaml (ten times faster, the same YAML).
SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
SAFE_DUMPER = getattr(yaml, "CSafeDumper", yaml.SafeDumper)


def render(variant: Variant, roots: Roots, stage_root: Path, downloads: bool = True) -> StagedSite:
    """Write the variant's docs and mkdocs.yml under stage_root/<slug>/; unchanged files keep their mtime.
    `downloads`: link the exports (PDF, role cards, schoolgids) that the export stage will write."""
    # Compiled page templates and texts are kept beside the pages MkDocs makes (build/.cache/pages).
    codecache.keep_compiled(stage_root / ".cache" / "pages", {"pages": TEMPLATES, "text": markup.TEXT_ENV})
    renderer = RenderContext(variant, roots, downloads)
    files = render_files(renderer)
    org = renderer.org
    root = stage_root / variant.slug
    docs_dir = root / "docs"
    logo = None
    if org.branding.logo:
        logo_file = roots.org_dir(variant.slug) / org.branding.logo
        logo = f"assets/{logo_file.name}"
        files[logo] = logo_file.read_bytes()  # type: ignore[assignment]
    _write_tree(docs_dir, files)
    config = generate_config(variant, renderer, roots, logo)
    config_file = root / "mkdocs.yml"
    _write_if_changed(config_file, yaml.dump(config, Dumper=SAFE_DUMPER, allow_unicode=True, sort_keys=False))
    return StagedSite(variant.slug, org.name, root, config_file, docs_dir, config)


def generate_config(variant: Variant, renderer: RenderContext, roots: Roots, logo: str | None) -> dict[str, Any]:
    """The complete mkdocs.yml of one variant: the root mkdocs.yml plus the variant's own keys."""
    base = yaml.load(roots.base_config.read_text(encoding="utf-8"), Loader=SAFE_LOADER) or {}
    org = renderer.org
    config = dict(base)
    config["site_name"] = html.escape(org.name)  # MkDocs and Material print it unescaped
    config["docs_dir"] = "docs"
    config["site_dir"] = "site"
    if variant.site_url:
        config["site_url"] = variant.site_url
    theme = dict(base.get("theme", {}))
    theme["custom_dir"] = os.path.relpath(roots.theme, roots.project / "build" / variant.slug)
    if logo:
        theme["logo"] = logo
        theme["favicon"] = logo
    config["theme"] = theme
    config["copyright"] = footer_html(variant)
    config["extra_css"] = list(base.get("extra_css", [])) + ["assets/org.css"]
    extra = dict(base.get("extra", {}))
    extra["polyfills"] = ["assets/vendor/iframe-worker-shim.js"]
    extra["rolwijzer"] = {"org": variant.slug, "hub": "index.html"}
    config["extra"] = extra
    config["markdown_extensions"] = list(base.get("markdown_extensions", [])) + ["generator.sanitize"]
    nav: list[Any] = [{"Start": "index.md"}]
    nav.append({"Rollen": [{html.escape(renderer.title_of("role", r)): output_path("role", r)} for r in org.hub]})
    seen = {"index.md"}
    for entry in org.menu:
        kind, item_id, _ = markup.split_ref(entry.ref)
        target = output_path(kind, item_id)
        if target in seen:
            continue
        seen.add(target)
        nav.append({html.escape(entry.label): target})
    if "contact.md" not in seen:
        nav.append({GENERATED_PAGES["contact"]: "contact.md"})
    config["nav"] = nav
    return config


def _write_if_changed(path: Path, content: str | bytes) -> None:
    data = content.encode("utf-8") if isinstance(content, str) else content
    if path.is_file() and path.read_bytes() == data:
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)


def _write_tree(root: Path, files: dict[str, str | bytes]) -> None:
    root.mkdir(parents=True, exist_ok=True)
    for rel, content in files.items():
        _write_if_changed(root / rel, content)
    # Compared as relative names: resolving every path was a tenth of rendering a variant.
    wanted = {os.path.normpath(rel) for rel in files}
    for folder, subfolders, names in os.walk(root, topdown=False):
        for name in names:
            path = os.path.join(folder, name)
            if os.path.relpath(path, root) not in wanted:
                os.unlink(path)
        for name in subfolders:
            path = os.path.join(folder, name)
            if not os.path.islink(path) and not os.listdir(path):
                os.rmdir(path)
