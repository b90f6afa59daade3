"""The base mkdocs.yml: what a fork may set in it. Every variant's MkDocs configuration starts from
this file, and MkDocs acts on what it says: `hooks:` runs Python files, a plugin or a Markdown
extension can read files or run code, `docs_dir` or `theme.custom_dir` can point anywhere. So
only the keys, plugins and extensions below are accepted; anything else is a content error at
its line in mkdocs.yml, reported with the other content errors. The page cache (pagecache.py)
relies on the same lists: their extensions depend on a page's Markdown alone."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from .problems import Problem

KEYS = frozenset({"site_name", "site_description", "site_author", "copyright", "use_directory_urls", "strict", "theme",
                  "plugins", "extra_css", "extra_javascript", "markdown_extensions", "validation", "extra"})
THEME_KEYS = frozenset({"name", "language", "font", "palette", "icon", "features"})
THEME = "material"
PLUGINS = frozenset({"search", "offline"})
# Markdown extensions whose output is a function of the page's Markdown and their settings alone
# (toc, tables and fenced_code are added by MkDocs itself; generator.sanitize by render).
EXTENSIONS = frozenset({"abbr", "admonition", "attr_list", "def_list", "fenced_code", "footnotes", "md_in_html", "tables", "toc",
                        "pymdownx.details", "pymdownx.superfences", "pymdownx.tabbed", "pymdownx.tasklist", "generator.sanitize"})


def check_base_config(path: Path, shown: str) -> list[Problem]:
    """Every problem of the base mkdocs.yml at `path` (`shown`: its name in messages)."""
    import yaml

    from .yamlsafe import InputLimit, compose_yaml

    try:
        node, data = compose_yaml(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError, InputLimit) as error:
        return [Problem(shown, getattr(error, "line", 1), f"mkdocs.yml is niet te lezen: {error}")]
    if node is None:
        return []
    if not isinstance(data, dict) or not isinstance(node, yaml.MappingNode):
        return [Problem(shown, 1, "mkdocs.yml moet een lijst van sleutels zijn (sleutel: waarde)")]
    problems = []
    keys = {key.value: (key, value) for key, value in node.value if isinstance(key, yaml.ScalarNode)}
    for name, (key, _) in keys.items():
        if name not in KEYS:
            problems.append(_problem(shown, key, f"'{name}' mag niet in mkdocs.yml", f"toegestaan: {', '.join(sorted(KEYS))}"))
    if "theme" in keys:
        problems += _check_theme(shown, keys["theme"][1])
    if "plugins" in keys:
        problems += _check_names(shown, keys["plugins"][1], PLUGINS, "plugin")
    if "markdown_extensions" in keys:
        problems += _check_names(shown, keys["markdown_extensions"][1], EXTENSIONS, "Markdown-extensie")
    return problems


def _problem(shown: str, node: Any, message: str, hint: str = "") -> Problem:
    return Problem(shown, node.start_mark.line + 1, message, hint)


def _check_theme(shown: str, node: Any) -> list[Problem]:
    import yaml

    if isinstance(node, yaml.ScalarNode):
        return [] if node.value == THEME else [_problem(shown, node, f"thema '{node.value}' wordt niet ondersteund", f"gebruik {THEME}")]
    if not isinstance(node, yaml.MappingNode):
        return [_problem(shown, node, "theme: verwacht de instellingen van het thema")]
    problems = []
    for key, value in node.value:
        if key.value not in THEME_KEYS:
            problems.append(_problem(shown, key, f"theme: '{key.value}' mag niet in mkdocs.yml",
                                     f"toegestaan: {', '.join(sorted(THEME_KEYS))}"))
        elif key.value == "name" and getattr(value, "value", None) != THEME:
            problems.append(_problem(shown, value, f"thema '{getattr(value, 'value', '')}' wordt niet ondersteund", f"gebruik {THEME}"))
    return problems


def _check_names(shown: str, node: Any, allowed: frozenset[str], what: str) -> list[Problem]:
    """A list of names, each alone or as the one key of its settings."""
    import yaml

    if not isinstance(node, yaml.SequenceNode):
        return [_problem(shown, node, f"verwacht een lijst van namen ({what})")]
    problems = []
    for item in node.value:
        name_node = item.value[0][0] if isinstance(item, yaml.MappingNode) and len(item.value) == 1 else item
        name = getattr(name_node, "value", None)
        if not isinstance(name, str) or name not in allowed:
            problems.append(_problem(shown, name_node, f"{what} '{name}' mag niet in mkdocs.yml",
                                     f"toegestaan: {', '.join(sorted(allowed))}"))
    return problems
