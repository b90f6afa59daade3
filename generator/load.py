"""Load: content roots -> list[SourceDoc] (data, Markdown body, line map). Nothing is checked yet
beyond "the file parses"; parse errors come back as Problems with their line."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import re

import yaml

from .kinds import KINDS, ORG_FILE, ORGANISATION, Kind
from .problems import ContentError, Problem


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


def parse_yaml(text: str) -> object:
    return yaml.load(text, Loader=YamlLoader)


def compose_yaml(text: str) -> tuple[yaml.Node | None, object]:
    """Parse once: the node tree (for line numbers) and the data built from it."""
    loader = YamlLoader(text)
    try:
        node = loader.get_single_node()
        data = loader.construct_document(node) if node is not None else None
    finally:
        loader.dispose()
    return node, data


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

    def line(self, loc: tuple = ()) -> int:
        """The line of `loc` or of its nearest parent that has a line."""
        loc = tuple(loc)
        while loc and loc not in self.lines:
            loc = loc[:-1]
        return self.lines.get(loc, 1)


def load(roots: Roots, orgs: list[str] | None = None) -> list[SourceDoc]:
    """Read every source file of the base and of the organisation overlays (all, or only `orgs`)."""
    docs: list[SourceDoc] = []
    problems: list[Problem] = []
    slugs = [s for s in roots.org_slugs() if orgs is None or s in orgs]
    for base, org in [(roots.project, None)] + [(roots.org_dir(s), s) for s in slugs]:
        for kind in KINDS:
            folder = base / kind.folder
            if not folder.is_dir():
                continue
            for file in sorted(folder.rglob(f"*{kind.suffix}")):
                doc_id = file.relative_to(folder).with_suffix("").as_posix()
                _read(file, roots.project, kind, doc_id, org, docs, problems)
        if org is not None:
            _read(base / ORG_FILE, roots.project, ORGANISATION, org, org, docs, problems)
    if problems:
        raise ContentError(problems)
    return docs


def _read(file: Path, project: Path, kind: Kind, doc_id: str, org: str | None,
          docs: list[SourceDoc], problems: list[Problem]) -> None:
    rel = file.relative_to(project).as_posix()
    try:
        text = file.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        problems.append(Problem(rel, 1, "bestand is geen UTF-8-tekst", "sla het op als UTF-8"))
        return
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
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        line = (mark.line + 1 + front_line) if mark else 1
        problem = getattr(error, "problem", None) or str(error).splitlines()[0]
        problems.append(Problem(rel, line, f"ongeldige YAML: {_yaml_problem_nl(problem)}", "controleer inspringing, ':' en aanhalingstekens"))
        return
    if data is None:
        data = {}
    if not isinstance(data, dict):
        problems.append(Problem(rel, 1 + front_line, "verwacht een lijst van 'sleutel: waarde'"))
        return
    lines: dict[tuple, int] = {(): 1 + front_line}
    _map_lines(node, (), lines, front_line)
    docs.append(SourceDoc(kind.name, doc_id, org, rel, data, body, body_line, lines))


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
}


def _yaml_problem_nl(problem: str) -> str:
    for english, dutch in YAML_PROBLEMS_NL.items():
        if problem.startswith(english):
            return dutch
    return problem


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
