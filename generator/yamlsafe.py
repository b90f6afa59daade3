"""YAML for untrusted input: the fast C loader with YAML 1.2 booleans, bounded before libyaml or the
constructor could overflow (deep nesting) or explode (alias bombs), duplicate keys refused, and
parser errors explained in Dutch on the line where the construct began."""

from __future__ import annotations

import functools
import re

import yaml

from .kinds import KINDS, ORGANISATION, SECTOR
from .problems import in_dutch


_FastLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when the wheel has it


class YamlLoader(_FastLoader):
    """SafeLoader with YAML 1.2 booleans: only true/false are booleans, so `yes:` and `no:`
    (the answers of a decision question) stay keys, and 'ja'/'nee'/'on' stay text."""


YamlLoader.yaml_implicit_resolvers = {
    key: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:bool"]
    for key, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
for _first in "tTfF":
    YamlLoader.yaml_implicit_resolvers.setdefault(_first, []).append(
        ("tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$")))


# Bounds on untrusted input, each reported as a content error at its line (never a hang or a crash).
MAX_FILE_BYTES = 1_000_000  # the longest source file today is about 60 kB
MAX_DEPTH = 40  # nesting of lists and mappings; the deepest source file today nests 7 levels
MAX_NODES = 100_000  # values in one file, counting every '*alias' as a full copy of what it names


class InputLimit(Exception):
    """A file exceeds a bound; `line` is where (1-based)."""

    def __init__(self, line: int, message: str, hint: str = ""):
        super().__init__(message)
        self.line, self.message, self.hint = line, message, hint


def parse_yaml(text: str) -> object:
    return compose_yaml(text)[1]


def compose_yaml(text: str) -> tuple[yaml.Node | None, object]:
    """Parse once: the node tree (for line numbers) and the data built from it. Raises InputLimit
    before libyaml or the constructor could overflow (deep nesting) or explode (alias bombs)."""
    _check_nesting_text(text)
    loader = YamlLoader(text)
    try:
        node = loader.get_single_node()
        if node is not None:
            _check_node_tree(node)
        try:
            data = loader.construct_document(node) if node is not None else None
        except (ValueError, OverflowError) as error:  # e.g. a date like 2026-13-45
            raise _bad_value(node, error) from None
    finally:
        loader.dispose()
    return node, data


_BRACKET = re.compile(r"[\[\]{}\n]")
_BLOCK_INDENT = re.compile(r"^[ \t?:-]*", re.MULTILINE)


def _check_nesting_text(text: str) -> None:
    """libyaml recurses in C for nested [ ] and { }: 100,000 of them crash the process. Count
    them (and deep indentation) in the text first; brackets inside quoted text only make the count
    a little higher, which the bound allows for."""
    depth, line = 0, 1
    for match in _BRACKET.finditer(text):
        char = match.group()
        if char == "\n":
            line += 1
        elif char in "[{":
            depth += 1
            if depth > MAX_DEPTH:
                raise InputLimit(line, f"te diep genest: meer dan {MAX_DEPTH} haakjes [ of {{ in elkaar", "maak de structuur platter")
        else:
            depth = max(0, depth - 1)
    for match in _BLOCK_INDENT.finditer(text):
        if len(match.group()) > 4 * MAX_DEPTH:
            line = text.count("\n", 0, match.start()) + 1
            raise InputLimit(line, f"te diep ingesprongen: meer dan {4 * MAX_DEPTH} spaties of '- ' voor de tekst", "maak de structuur platter")


def _check_node_tree(root: yaml.Node) -> None:
    """Depth, size with aliases expanded (a 'billion laughs' file is tiny but expands to billions
    of values), and duplicate keys, which YAML would silently resolve to the last one."""
    count = 0
    # (node, depth, line of the top-level entry it belongs to: where an explosion is reported)
    stack: list[tuple[yaml.Node, int, int]] = [(root, 1, root.start_mark.line + 1)]
    seen_maps: set[int] = set()
    while stack:
        node, depth, top = stack.pop()
        count += 1
        if count > MAX_NODES:
            raise InputLimit(top, f"te groot: meer dan {MAX_NODES} waarden (door '*'-verwijzingen?)",
                             "gebruik geen &anker en *verwijzing om lijsten te herhalen")
        if depth > MAX_DEPTH:
            raise InputLimit(node.start_mark.line + 1, f"te diep genest: meer dan {MAX_DEPTH} niveaus", "maak de structuur platter")
        if isinstance(node, yaml.MappingNode):
            if id(node) not in seen_maps:  # an alias repeats the same mapping: check its keys once
                seen_maps.add(id(node))
                _check_duplicate_keys(node)
            for key, value in node.value:
                line = key.start_mark.line + 1 if depth == 1 else top
                stack.append((key, depth + 1, line))
                stack.append((value, depth + 1, line))
        elif isinstance(node, yaml.SequenceNode):
            stack.extend((value, depth + 1, value.start_mark.line + 1 if depth == 1 else top) for value in node.value)


def _bad_value(root: yaml.Node, error: Exception) -> InputLimit:
    """The scalar that YAML could not turn into a value (today: only dates and times can fail)."""
    import datetime as dt

    stack = [root]
    while stack:
        node = stack.pop()
        if isinstance(node, yaml.MappingNode):
            stack += [value for _, value in node.value] + [key for key, _ in node.value]
        elif isinstance(node, yaml.SequenceNode):
            stack += node.value
        elif node.tag == "tag:yaml.org,2002:timestamp":
            try:
                dt.date.fromisoformat(node.value[:10])
            except ValueError:
                return InputLimit(node.start_mark.line + 1, f"'{node.value}' is geen geldige datum", "schrijf een datum als JJJJ-MM-DD, bijv. 2026-01-31")
    return InputLimit(root.start_mark.line + 1, f"een waarde kan niet worden gelezen ({error})", "controleer getallen en datums")


def _check_duplicate_keys(node: yaml.MappingNode) -> None:
    first: dict[str, int] = {}
    for key, _ in node.value:
        if not isinstance(key, yaml.ScalarNode) or key.tag == "tag:yaml.org,2002:merge":
            continue
        line = key.start_mark.line + 1
        if key.value in first:
            raise InputLimit(line, f"sleutel '{key.value}' staat twee keer in hetzelfde blok (eerst op regel {first[key.value]})",
                             "haal er één weg: anders telt stilzwijgend alleen de laatste")
        first[key.value] = line


YAML_PROBLEMS_NL = {
    "found unexpected end of stream": "het bestand houdt onverwacht op (ontbreekt een aanhalingsteken?)",
    "expected <block end>, but found": "onverwachte tekst op deze regel (klopt de inspringing?)",
    "did not find expected key": "onverwachte tekst op deze regel (klopt de inspringing?)",
    "did not find expected '-' indicator": "onverwachte tekst op deze regel (klopt de inspringing?)",
    "mapping values are not allowed in this context": "een ':' op een plek waar dat niet mag (zet zulke tekst tussen aanhalingstekens)",
    "found character that cannot start any token": "een teken waarmee geen waarde mag beginnen (een tab? gebruik spaties; of zet de tekst tussen aanhalingstekens)",
    "mapping values are not allowed here": "een ':' op een plek waar dat niet mag (zet zulke tekst tussen aanhalingstekens)",
    "found character '\\t' that cannot start any token": "een tab-teken (gebruik spaties om in te springen)",
    "could not find expected ':'": "een ':' ontbreekt",
    "found undefined alias": "onbekende '*'-verwijzing",
    "could not determine a constructor for the tag": "een '!!'-aanduiding die Rolwijzer niet kent (zet de tekst tussen aanhalingstekens)",
}


def _yaml_problem_nl(problem: str) -> str:
    return in_dutch(problem, YAML_PROBLEMS_NL, "de YAML klopt hier niet")


_OPEN_QUOTE = re.compile(r"""^\s*(?:- )?[\w-]+:\s*(["'])(.*)$""")


def _unclosed_quote_before(text: str, error_line: int) -> int | None:
    """The line (1-based) of a `key: "...` whose quote does not close on its own line, when the
    next lines up to the error look like keys: the quote most likely swallowed them."""
    lines = text.splitlines()
    for index in range(min(error_line, len(lines)) - 2, -1, -1):
        match = _OPEN_QUOTE.match(lines[index])
        if not match:
            continue
        quote, rest = match.groups()
        closed = rest.replace("''", "").count("'") if quote == "'" else len(re.findall(r'(?<!\\)"', rest))
        if closed == 0 and any(_KEY_LINE.match(line) for line in lines[index + 1:error_line]):
            return index + 1
        return None
    return None


def explain_yaml_error(error: yaml.YAMLError, text: str = "") -> tuple[int, str, str]:
    """(line, Dutch message, hint). For an unclosed quote or bracket the line is where it began
    (PyYAML's context mark), not the end of the file where the parser gave up."""
    unclosed = _unclosed_quote_before(text, error.problem_mark.line + 1) if getattr(error, "problem_mark", None) else None
    if unclosed:
        return unclosed, "een aanhalingsteken is niet gesloten", "sluit de tekst af met hetzelfde aanhalingsteken als waarmee hij begint"
    problem = getattr(error, "problem", None) or str(error).splitlines()[0]
    mark = getattr(error, "problem_mark", None)
    context = getattr(error, "context", None) or ""
    context_mark = getattr(error, "context_mark", None)
    hint = "controleer inspringing, ':' en aanhalingstekens"
    if context_mark is not None and context.startswith("while scanning a quoted scalar"):
        return context_mark.line + 1, "een aanhalingsteken is niet gesloten", "sluit de tekst af met hetzelfde aanhalingsteken als waarmee hij begint"
    if context_mark is not None and context.startswith("while parsing a flow"):
        return context_mark.line + 1, "een haakje [ of { is niet gesloten", "sluit het af met ] of }"
    if context_mark is not None and context.startswith("while scanning an anchor") or context.startswith("while scanning an alias"):
        return context_mark.line + 1, "een & of * op een plek waar dat niet mag", "zet tekst die met & of * begint tussen aanhalingstekens"
    line = mark.line + 1 if mark else 1
    return line, f"ongeldige YAML: {_yaml_problem_nl(problem)}", hint


@functools.lru_cache(maxsize=1)
def _known_keys() -> frozenset[str]:
    """Every field name of every kind: the keys an unclosed quote can swallow."""
    names: set[str] = set()

    def collect(model: type) -> None:
        for name, info in getattr(model, "model_fields", {}).items():
            names.add(info.alias or name)
            for sub in _models_in(info.annotation):
                if sub not in seen:
                    seen.add(sub)
                    collect(sub)

    seen: set[type] = set()
    for kind in (*KINDS, ORGANISATION, SECTOR):
        collect(kind.model)
    return frozenset(names)


def _models_in(annotation: object) -> list[type]:
    from pydantic import BaseModel

    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return [annotation]
    found: list[type] = []
    for arg in getattr(annotation, "__args__", ()) or ():
        found += _models_in(arg)
    return found


_KEY_LINE = re.compile(r"^\s*(?:- )?([a-z_]+):(?:\s|$)", re.MULTILINE)


def swallowed_key(node: yaml.Node | None, text: str) -> tuple[int, str] | None:
    """A quoted text that runs over several lines and holds a line like `source: ...` most likely
    lost its closing quote: the keys after it were read as part of the text."""
    known = _known_keys()
    stack = [node] if node is not None else []
    while stack:
        current = stack.pop()
        if isinstance(current, yaml.MappingNode):
            for key, value in current.value:
                stack.append(value)
        elif isinstance(current, yaml.SequenceNode):
            stack.extend(current.value)
        elif isinstance(current, yaml.ScalarNode) and current.style in ('"', "'") and current.end_mark.line > current.start_mark.line:
            raw = text[current.start_mark.index:current.end_mark.index]
            for match in _KEY_LINE.finditer(raw):
                if match.group(1) in known and match.start() > 0:
                    return current.start_mark.line + 1, match.group(1)
    return None
