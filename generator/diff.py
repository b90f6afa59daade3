"""diff: what an organisation overrides, adds and hides relative to the base, per file and field;
with --stale, only overrides whose base file changed after the override was last changed (so an
organisation notices that the national text it overrode has been updated)."""

from __future__ import annotations

import datetime as dt
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

from .kinds import BY_NAME
from .load import Roots, SourceDoc, load
from .resolve import key_of_path


@dataclass
class Change:
    action: str  # "overschrijft", "voegt toe", "verbergt"
    path: str  # the organisation's file (or the hidden base file)
    base: str = ""  # the base file it overrides
    fields: list[str] = field(default_factory=list)
    stale: bool = False
    base_changed: str = ""  # when the base file last changed (YYYY-MM-DD)
    own_changed: str = ""


@dataclass
class DiffReport:
    slug: str
    changes: list[Change]
    stale_only: bool
    how: str  # "git" or "bestandsdatum": how change times were found


def diff_org(roots: Roots, slug: str, stale_only: bool = False) -> DiffReport:
    docs = load(roots)
    base = {(d.kind, d.id): d for d in docs if d.org is None}
    clock = _ChangeClock(roots.project)
    changes: list[Change] = []
    for doc in sorted((d for d in docs if d.org == slug and d.kind in BY_NAME), key=lambda d: d.path):
        original = base.get((doc.kind, doc.id))
        if original is None:
            changes.append(Change("voegt toe", doc.path))
            continue
        change = Change("overschrijft", doc.path, original.path, _changed_fields(original, doc))
        change.base_changed, change.own_changed = _day(clock.changed(original.path)), _day(clock.changed(doc.path))
        change.stale = clock.base_is_newer(original.path, doc.path)
        changes.append(change)
    org_doc = next(d for d in docs if d.kind == "organisation" and d.org == slug)
    for hidden in org_doc.data.get("hide", []) or []:
        if key_of_path(hidden) in base:
            changes.append(Change("verbergt", hidden))
    if stale_only:
        changes = [c for c in changes if c.stale]
    return DiffReport(slug, changes, stale_only, clock.how)


def _changed_fields(original: SourceDoc, overlay: SourceDoc) -> list[str]:
    fields = [".".join(path) for path in _leaves(overlay.data) if _get(original.data, path) != _get(overlay.data, path)]
    if overlay.body.strip() and overlay.body.strip() != original.body.strip():
        fields.append("tekst")
    return fields


def _leaves(data: object, prefix: tuple = ()) -> list[tuple]:
    if isinstance(data, dict) and data:
        found = []
        for key, value in data.items():
            found += _leaves(value, prefix + (str(key),))
        return found
    return [prefix] if prefix else []


_MISSING = object()


def _get(data: object, path: tuple) -> object:
    for part in path:
        if not isinstance(data, dict) or part not in data:
            return _MISSING
        data = data[part]
    return data


def _day(timestamp: float) -> str:
    return dt.datetime.fromtimestamp(timestamp).strftime("%Y-%m-%d") if timestamp else ""


class _ChangeClock:
    """When a file last changed: its last git commit, or now if it has uncommitted changes;
    without git, the file's modification time."""

    def __init__(self, project: Path):
        self.project = project
        self.how = "git" if self._git("rev-parse", "--is-inside-work-tree").strip() == "true" else "bestandsdatum"
        self.dirty: set[str] = set()
        if self.how == "git":
            for line in self._git("status", "--porcelain", "--untracked-files=all", ".").splitlines():
                self.dirty.add(self._relative(line[3:].strip().strip('"')))

    def _git(self, *args: str) -> str:
        try:
            return subprocess.run(["git", *args], cwd=self.project, capture_output=True, text=True, timeout=30).stdout
        except (OSError, subprocess.TimeoutExpired):
            return ""

    def _relative(self, git_path: str) -> str:
        top = self._git("rev-parse", "--show-toplevel").strip()
        absolute = Path(top) / git_path if top else self.project / git_path
        try:
            return absolute.resolve().relative_to(self.project.resolve()).as_posix()
        except ValueError:
            return git_path

    def base_is_newer(self, base: str, own: str) -> bool:
        """Did the base file change after the override last did? With git: a commit after the
        override's last commit touched the base, or the base has uncommitted changes and the
        override has not. Without git: modification times."""
        if self.how != "git":
            return self.changed(base) > self.changed(own)
        if own in self.dirty:
            return base in self.dirty and self.changed(base) > self.changed(own)
        if base in self.dirty:
            return True
        own_commit = self._git("log", "-1", "--format=%H", "--", own).strip()
        if not own_commit:
            return False
        return bool(self._git("rev-list", f"{own_commit}..HEAD", "--", base).strip())

    def changed(self, rel_path: str) -> float:
        path = self.project / rel_path
        if self.how != "git":
            return path.stat().st_mtime if path.exists() else 0.0
        if rel_path in self.dirty:
            return path.stat().st_mtime
        stamp = self._git("log", "-1", "--format=%ct", "--", rel_path).strip()
        return float(stamp) if stamp else (path.stat().st_mtime if path.exists() else 0.0)


def format_text(report: DiffReport) -> str:
    if not report.changes:
        return ("geen verouderde overschrijvingen\n" if report.stale_only
                else f"{report.slug} verandert niets aan de basis\n")
    lines = []
    for change in report.changes:
        if change.action == "overschrijft":
            fields = ", ".join(change.fields) if change.fields else "(niets anders dan de basis)"
            note = f"  [VEROUDERD: basis gewijzigd op {change.base_changed}, jouw versie op {change.own_changed}]" if change.stale else ""
            lines.append(f"overschrijft  {change.base}: {fields}{note}")
        elif change.action == "voegt toe":
            lines.append(f"voegt toe     {change.path}")
        else:
            lines.append(f"verbergt      {change.path}")
    counts = {a: sum(1 for c in report.changes if c.action == a) for a in ("overschrijft", "voegt toe", "verbergt")}
    stale = sum(1 for c in report.changes if c.stale)
    lines.append(f"{report.slug}: {counts['overschrijft']} overschreven, {counts['voegt toe']} toegevoegd, "
                 f"{counts['verbergt']} verborgen, {stale} verouderd (volgens {report.how})")
    return "\n".join(lines) + "\n"


def format_markdown(report: DiffReport) -> str:
    title = "Verouderde overschrijvingen" if report.stale_only else "Wat deze organisatie verandert aan de basis"
    lines = [f"# {title}: {report.slug}", ""]
    sections = (("overschrijft", "Overschreven basisbestanden"), ("voegt toe", "Eigen bestanden"), ("verbergt", "Verborgen basisbestanden"))
    for action, heading in sections:
        rows = [c for c in report.changes if c.action == action]
        if not rows:
            continue
        lines += [f"## {heading}", ""]
        if action == "overschrijft":
            lines += ["| basisbestand | eigen bestand | velden | verouderd |", "| --- | --- | --- | --- |"]
            for c in rows:
                stale = f"ja (basis {c.base_changed})" if c.stale else "nee"
                lines.append(f"| `{c.base}` | `{c.path}` | {', '.join(c.fields) or '-'} | {stale} |")
        else:
            lines += [f"- `{c.path}`" for c in rows]
        lines.append("")
    if not report.changes:
        lines += ["Niets gevonden.", ""]
    return "\n".join(lines)
