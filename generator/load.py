"""Load: content roots -> list[SourceDoc] (data, Markdown body, line map). Nothing is checked yet
beyond "the file parses"; parse errors come back as Problems with their line."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import re

import yaml

from .kinds import KINDS, ORG_FILE, ORGANISATION, SECTOR, SECTOR_FILE, Kind
from .problems import ContentError, Problem, suggest
from .yamlsafe import MAX_FILE_BYTES, InputLimit, compose_yaml, explain_yaml_error, swallowed_key


INSTALL_ROOT = Path(__file__).resolve().parent.parent  # the Rolwijzer checkout: mkdocs.yml, theme/


@dataclass(frozen=True)
class Roots:
    """Where the sources of a project live. `project` holds content/, roles/, ..., orgs/."""

    project: Path
    site_base: str = ""  # `build --site-url`: the base address; an organisation's site is <base>/<org>/

    def site_url(self, slug: str, own: str = "") -> str:
        """The public address of an organisation's site, ending in '/': its own site_url (which
        wins), else <base>/<slug>/, else '' (no address: nothing may promise a QR code)."""
        if own:
            return own.rstrip("/") + "/"
        if self.site_base:
            return f"{self.site_base.rstrip('/')}/{slug}/"
        return ""

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
    swallowed = swallowed_key(node, front)
    if swallowed:
        line, key = swallowed
        problems.append(Problem(rel, line + front_line, f"een aanhalingsteken is niet gesloten: de tekst loopt door en slokt '{key}:' op",
                                "sluit de tekst af met hetzelfde aanhalingsteken als waarmee hij begint"))
        return
    docs.append(SourceDoc(kind.name, doc_id, org, rel, data, body, body_line, lines, sector))


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
