"""Load: content roots -> list[SourceDoc] (data, Markdown body, line map). Nothing is checked yet
beyond "the file parses"; parse errors come back as Problems with their line."""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from pathlib import Path

import re

import yaml

from .kinds import KINDS, ORG_FILE, ORGANISATION, SECTOR, SECTOR_FILE, Kind
from .problems import ContentError, Problem, suggest


INSTALL_ROOT = Path(__file__).resolve().parent.parent  # the Rolwijzer checkout: mkdocs.yml, theme/


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


@dataclass(frozen=True)
class Roots:
    """Where the sources of a project live. `project` holds content/, roles/, ..., orgs/."""

    project: Path

    @property
    def base_config(self) -> Path:
        """The base mkdocs.yml: the project's own, else the one shipped with Rolwijzer."""
        own = self.project / "mkdocs.yml"
        return own if own.is_file() else INSTALL_ROOT / "mkdocs.yml"

    @property
    def theme(self) -> Path:
        own = self.project / "theme"
        return own if own.is_dir() else INSTALL_ROOT / "theme"

    @property
    def orgs(self) -> Path:
        return self.project / ORGANISATION.folder

    def org_dir(self, slug: str) -> Path:
        return self.orgs / slug

    def org_slugs(self) -> list[str]:
        if not self.orgs.is_dir():
            return []
        return sorted(p.name for p in self.orgs.iterdir() if (p / ORG_FILE).is_file())

    @property
    def sectors(self) -> Path:
        return self.project / SECTOR.folder

    def sector_dir(self, pack: str) -> Path:
        return self.sectors / pack

    def sector_ids(self) -> list[str]:
        if not self.sectors.is_dir():
            return []
        return sorted(p.name for p in self.sectors.iterdir() if (p / SECTOR_FILE).is_file())


@dataclass(frozen=True)
class SourceDoc:
    kind: str  # a Kind name
    id: str  # path inside the kind folder without suffix; the slug for an organisation
    org: str | None  # None for the base, else the overlay's organisation slug
    path: str  # relative to the project root, for messages
    data: dict
    body: str = ""
    body_line: int = 1  # line number of the body's first line in the file
    lines: dict[tuple, int] = field(default_factory=dict)  # key path -> line
    sector: str | None = None  # the sector pack this file belongs to (then org is None)

    @property
    def layer(self) -> str:
        """'basis', 'sector:<id>' or 'organisatie:<slug>': the layer of the chain this file is in."""
        if self.org is not None:
            return f"organisatie:{self.org}"
        return f"sector:{self.sector}" if self.sector else "basis"

    def line(self, loc: tuple = ()) -> int:
        """The line of `loc` or of its nearest parent that has a line."""
        loc = tuple(loc)
        while loc and loc not in self.lines:
            loc = loc[:-1]
        return self.lines.get(loc, 1)


def load(roots: Roots, orgs: list[str] | None = None) -> list[SourceDoc]:
    """Read every source file of the base and of the organisation overlays (all, or only `orgs`)."""
    docs: list[SourceDoc] = []
    problems: list[Problem] = (_check_layer_folders(roots.orgs, ORGANISATION, ORG_FILE, "rolwijzer new-org")
                               + _check_layer_folders(roots.sectors, SECTOR, SECTOR_FILE, "een sectorpakket"))
    slugs = [s for s in roots.org_slugs() if orgs is None or s in orgs]
    layers = ([(roots.project, None, None)] + [(roots.sector_dir(p), None, p) for p in roots.sector_ids()]
              + [(roots.org_dir(s), s, None) for s in slugs])
    for base, org, pack in layers:
        for kind in KINDS:
            folder = base / kind.folder
            if not folder.is_dir():
                continue
            for file in sorted(folder.rglob("*")):
                if file.name.startswith("."):
                    continue
                if file.is_symlink() and not inside_project(file, roots.project):
                    problems.append(Problem(file.relative_to(roots.project).as_posix(), 1, "symbolische link naar iets buiten het project",
                                            "zet het bestand zelf in het project; Rolwijzer leest niets daarbuiten"))
                    continue
                if file.is_dir():
                    if file.is_symlink():
                        problems.append(Problem(file.relative_to(roots.project).as_posix(), 1, "symbolische link naar een map: Rolwijzer leest die niet",
                                                "zet de bestanden zelf in deze map"))
                    continue
                if file.suffix != kind.suffix:
                    problems.append(_stray_file(file, roots.project, kind))
                    continue
                doc_id = file.relative_to(folder).with_suffix("").as_posix()
                _read(file, roots.project, kind, doc_id, org, docs, problems, pack)
        if org is not None:
            _read(base / ORG_FILE, roots.project, ORGANISATION, org, org, docs, problems)
        if pack is not None:
            _read(base / SECTOR_FILE, roots.project, SECTOR, pack, None, docs, problems, pack)
    for slug in roots.org_slugs():  # every organisation's org.yml: whose documents are whose (provenance)
        if slug not in slugs:
            _read(roots.org_dir(slug) / ORG_FILE, roots.project, ORGANISATION, slug, slug, docs, problems)
    if problems:
        raise ContentError(problems)
    return docs


def inside_project(path: Path, project: Path) -> bool:
    """True when `path`, with every symbolic link followed, stays inside the project."""
    try:
        return path.resolve().is_relative_to(project.resolve())
    except (OSError, RuntimeError):  # a link loop
        return False


def _check_layer_folders(root: Path, kind: Kind, own_file: str, how: str) -> list[Problem]:
    """Organisation or sector-pack folders and their sub-folders: a mistyped name would be
    skipped without a word."""
    problems: list[Problem] = []
    if not root.is_dir():
        return problems
    folders = {k.folder for k in KINDS}
    noun = "organisatie" if kind is ORGANISATION else "sectorpakket"
    for layer_dir in sorted(root.iterdir()):
        rel = f"{kind.folder}/{layer_dir.name}"
        if not layer_dir.is_dir() or layer_dir.name.startswith("."):
            continue
        if not ORG_SLUG.match(layer_dir.name):
            problems.append(Problem(f"{rel}/", 1, f"de mapnaam '{layer_dir.name}' kan geen {noun} zijn",
                                    "gebruik alleen kleine letters, cijfers en '-', bijv. " + _slug_hint(layer_dir.name)))
            continue
        if not (layer_dir / own_file).is_file():
            near = suggest(own_file, [p.name for p in layer_dir.iterdir() if p.is_file()])
            problems.append(Problem(f"{rel}/", 1, f"de map van {noun} '{layer_dir.name}' heeft geen {own_file}",
                                    near or f"maak {rel}/{own_file} (zie {how})"))
            continue
        for entry in sorted(layer_dir.iterdir()):
            if entry.is_dir() and not entry.name.startswith(".") and entry.name not in folders and entry.name != "assets":
                hint = suggest(entry.name, folders) or f"mappen van een {noun}: {', '.join(sorted(folders | {'assets'}))}"
                problems.append(Problem(f"{rel}/{entry.name}/", 1, f"onbekende map '{entry.name}/': Rolwijzer leest hem niet", hint))
    return problems


ORG_SLUG = re.compile(r"^[a-z0-9][a-z0-9-]*$")


def _slug_hint(name: str) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-") or "mijn-organisatie"
    return f"'{slug}'"


def _stray_file(file: Path, project: Path, kind: Kind) -> Problem:
    rel = file.relative_to(project).as_posix()
    hint = f"hernoem het naar {file.stem}{kind.suffix}" if file.suffix in (".yaml", ".markdown", ".yml", ".md") else "haal het weg"
    return Problem(rel, 1, f"hoort niet in {kind.folder}/: die map bevat alleen {kind.suffix}-bestanden ({kind.label})", hint)


def _read(file: Path, project: Path, kind: Kind, doc_id: str, org: str | None,
          docs: list[SourceDoc], problems: list[Problem], sector: str | None = None) -> None:
    rel = file.relative_to(project).as_posix()
    if not inside_project(file, project):
        problems.append(Problem(rel, 1, "symbolische link naar een bestand buiten het project",
                                "zet het bestand zelf in het project; Rolwijzer leest niets daarbuiten"))
        return
    try:
        size = file.stat().st_size
        if size > MAX_FILE_BYTES:
            problems.append(Problem(rel, 1, f"bestand is te groot ({size // 1000} kB, hoogstens {MAX_FILE_BYTES // 1000} kB)",
                                    "splits het in kleinere bestanden"))
            return
        raw = file.read_bytes()
    except OSError as error:
        problems.append(Problem(rel, 1, f"bestand kan niet worden gelezen ({error.strerror or error})"))
        return
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        line = raw.count(b"\n", 0, error.start) + 1
        problems.append(Problem(rel, line, "bestand is geen UTF-8-tekst (een teken op deze regel)", "sla het op als UTF-8"))
        return
    if text.startswith("\ufeff"):
        text = text[1:]
    body, body_line, front, front_line = "", 1, text, 0
    if kind.markdown:
        split = _split_front_matter(text)
        if split is None:
            problems.append(Problem(rel, 1, "front matter ontbreekt", "begin het bestand met '---', dan title: en source:, dan '---'"))
            return
        front, body, body_line = split
        front_line = 1
    try:
        node, data = compose_yaml(front)
    except InputLimit as limit:
        problems.append(Problem(rel, limit.line + front_line, limit.message, limit.hint))
        return
    except yaml.YAMLError as error:
        line, message, hint = explain_yaml_error(error, front)
        problems.append(Problem(rel, line + front_line, message, hint))
        return
    except RecursionError:
        problems.append(Problem(rel, 1 + front_line, "te diep genest", "maak de structuur platter"))
        return
    if data is None:
        data = {}
    if not isinstance(data, dict):
        problems.append(Problem(rel, 1 + front_line, "verwacht een lijst van 'sleutel: waarde'"))
        return
    lines: dict[tuple, int] = {(): 1 + front_line}
    _map_lines(node, (), lines, front_line)
    swallowed = _swallowed_key(node, front)
    if swallowed:
        line, key = swallowed
        problems.append(Problem(rel, line + front_line, f"een aanhalingsteken is niet gesloten: de tekst loopt door en slokt '{key}:' op",
                                "sluit de tekst af met hetzelfde aanhalingsteken als waarmee hij begint"))
        return
    docs.append(SourceDoc(kind.name, doc_id, org, rel, data, body, body_line, lines, sector))


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
    for english, dutch in YAML_PROBLEMS_NL.items():
        if problem.startswith(english):
            return dutch
    return "de YAML klopt hier niet"


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


def _swallowed_key(node: yaml.Node | None, text: str) -> tuple[int, str] | None:
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


def _split_front_matter(text: str) -> tuple[str, str, int] | None:
    lines = text.splitlines(keepends=True)
    if not lines or lines[0].strip() != "---":
        return None
    for index in range(1, len(lines)):
        if lines[index].strip() == "---":
            front = "".join(lines[1:index])
            body = "".join(lines[index + 1:])
            return front, body, index + 2
    return None


def _map_lines(node: yaml.Node | None, loc: tuple, lines: dict[tuple, int], offset: int) -> None:
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            child = loc + (key.value,)
            lines[child] = key.start_mark.line + 1 + offset
            _map_lines(value, child, lines, offset)
    elif isinstance(node, yaml.SequenceNode):
        for index, value in enumerate(node.value):
            lines[loc + (index,)] = value.start_mark.line + 1 + offset
            _map_lines(value, loc + (index,), lines, offset)
