"""Schema: the content models -> one JSON Schema per file kind, for editor completion and checks.

Base files use `<kind>.schema.json`; overlay files (which carry only the keys they change) use
`<kind>.overlay.schema.json`, the same schema without required keys. A YAML file points to its
schema with a first-line comment: `# yaml-language-server: $schema=../schemas/role.schema.json`.
"""

from __future__ import annotations

import copy
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
