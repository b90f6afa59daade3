"""Publish: BuiltSite -> site/<org>/ by rename, so a failed build never touches the last good site.
`write_index` writes site/index.html, the list of published variants (once per run)."""

from __future__ import annotations

import html
import json
import os
import shutil
from pathlib import Path

from .build import BuiltSite

MANIFEST = "rolwijzer.json"


def publish(built: BuiltSite, site_root: Path, stamp: str) -> Path:
    target = site_root / built.slug
    (built.out_dir / MANIFEST).write_text(json.dumps({"slug": built.slug, "name": built.name, "inputs": stamp}, ensure_ascii=False), encoding="utf-8")
    old = site_root / f".{built.slug}.old-{os.getpid()}"
    if target.exists():
        target.rename(old)
    built.out_dir.rename(target)
    shutil.rmtree(old, ignore_errors=True)
    return target


def published_stamp(site_root: Path, slug: str) -> str | None:
    manifest = site_root / slug / MANIFEST
    if not (site_root / slug / "index.html").is_file() or not manifest.is_file():
        return None
    try:
        return json.loads(manifest.read_text(encoding="utf-8")).get("inputs")
    except (OSError, ValueError):
        return None


def write_index(site_root: Path) -> None:
    """site/index.html: one link per published variant."""
    entries = []
    for manifest in sorted(site_root.glob(f"*/{MANIFEST}")):
        data = json.loads(manifest.read_text(encoding="utf-8"))
        entries.append(f'<li><a href="{html.escape(data["slug"])}/index.html">{html.escape(data["name"])}</a></li>')
    page = f"""<!doctype html>
<html lang="nl">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Rolwijzer: overzicht van organisaties</title>
<style>body{{font-family:system-ui,sans-serif;max-width:40rem;margin:2rem auto;padding:0 1rem;line-height:1.5;color:#1a1a1a}}
a{{color:#005a87}}li{{margin:.5rem 0;font-size:1.2rem}}</style></head>
<body><main><h1>Rolwijzer</h1><p>Kies een organisatie om haar beleid sociale veiligheid te openen.</p>
<ul>{''.join(entries)}</ul></main></body></html>
"""
    tmp = site_root / ".index.html.tmp"
    tmp.write_text(page, encoding="utf-8")
    tmp.replace(site_root / "index.html")
