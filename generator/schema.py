"""Schema: the content models -> one JSON Schema per file kind, for editor completion and checks.

Base files (and a sector pack's new files) use `<kind>.schema.json`; overlay files (which carry only the keys they change) use
`<kind>.overlay.schema.json`, the same schema without required keys. A YAML file points to its
schema with a first-line comment: `# yaml-language-server: $schema=../schemas/role.schema.json`.
"""

from __future__ import annotations

import copy
import os
import json
from pathlib import Path
from typing import Any

from .kinds import ALL_KINDS


def schemas() -> dict[str, dict[str, Any]]:
    result = {}
    for kind in ALL_KINDS:
        schema = kind.model.model_json_schema(by_alias=True)
        schema["title"] = f"Rolwijzer {kind.label or kind.name}"
        result[f"{kind.name}.schema.json"] = schema
        overlay = copy.deepcopy(schema)
        _drop_required(overlay)
        overlay["title"] += " (overlay: alleen de velden die je verandert)"
        result[f"{kind.name}.overlay.schema.json"] = overlay
    return result


def _drop_required(node: Any) -> None:
    if isinstance(node, dict):
        node.pop("required", None)
        for value in node.values():
            _drop_required(value)
    elif isinstance(node, list):
        for value in node:
            _drop_required(value)


def write_schemas(out_dir: Path) -> list[Path]:
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for name, schema in schemas().items():
        path = out_dir / name
        text = json.dumps(schema, ensure_ascii=False, indent=2) + "\n"
        if not path.is_file() or path.read_text(encoding="utf-8") != text:
            path.write_text(text, encoding="utf-8")
        written.append(path)
    return written


SCHEMA_COMMENT = "# yaml-language-server: $schema="


def link_schemas(project: Path, schema_dir: Path) -> list[Path]:
    """Give every YAML source file a first-line comment that points an editor to its schema."""
    from .kinds import KINDS, ORG_FILE, ORGANISATION, SECTOR, SECTOR_FILE

    targets: list[tuple[Path, str, bool]] = []
    packs = [p for p in sorted((project / SECTOR.folder).glob("*")) if p.is_dir()]
    orgs = [p for p in sorted((project / ORGANISATION.folder).glob("*")) if p.is_dir()]
    for kind in KINDS:
        if kind.markdown:
            continue
        for base, layer in [(project, "base")] + [(p, "pack") for p in packs] + [(p, "org") for p in orgs]:
            folder = base / kind.folder
            if not folder.is_dir():
                continue
            for file in sorted(folder.rglob(f"*{kind.suffix}")):
                # an organisation's file is an overlay; a pack's file is one where the base has that path
                overlay = layer == "org" or layer == "pack" and (project / kind.folder / file.relative_to(folder)).is_file()
                targets.append((file, kind.name, overlay))
    targets += [(f, ORGANISATION.name, False) for f in sorted((project / ORGANISATION.folder).glob(f"*/{ORG_FILE}"))]
    targets += [(f, SECTOR.name, False) for f in sorted((project / SECTOR.folder).glob(f"*/{SECTOR_FILE}"))]
    changed = []
    for file, kind_name, overlay in targets:
        name = f"{kind_name}.overlay.schema.json" if overlay else f"{kind_name}.schema.json"
        rel = Path(os.path.relpath(schema_dir / name, file.parent)).as_posix()
        line = f"{SCHEMA_COMMENT}{rel}\n"
        text = file.read_text(encoding="utf-8")
        if text.startswith(SCHEMA_COMMENT):
            first, _, rest = text.partition("\n")
            new = line + rest
        else:
            new = line + text
        if new != text:
            file.write_text(new, encoding="utf-8")
            changed.append(file)
    return changed
