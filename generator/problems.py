"""Problems: one message format (`path:line: message`) for every content error and warning."""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable

# Pydantic error types translated to Dutch, by error `type`. `{value}` is the bad value as written,
# `{expected}` the expected form from the error context.
PYDANTIC_MESSAGES = {
    "missing": "verplicht veld '{field}' ontbreekt",
    "extra_forbidden": "onbekend veld '{field}'",
    "string_type": "'{field}' moet tekst zijn, niet {value}",
    "int_type": "'{field}' moet een geheel getal zijn, niet {value}",
    "int_parsing": "'{field}' moet een geheel getal zijn, niet {value}",
    "bool_type": "'{field}' moet true of false zijn, niet {value}",
    "bool_parsing": "'{field}' moet true of false zijn, niet {value}",
    "list_type": "'{field}' moet een lijst zijn (regels die met '- ' beginnen)",
    "dict_type": "'{field}' moet een lijst van 'sleutel: waarde' zijn",
    "model_type": "'{field}' moet een lijst van 'sleutel: waarde' zijn",
    "date_type": "'{field}' moet een datum zijn (verwacht JJJJ-MM-DD), niet {value}",
    "date_from_datetime_parsing": "'{field}' moet een datum zijn (verwacht JJJJ-MM-DD), niet {value}",
    "date_parsing": "'{field}' moet een datum zijn (verwacht JJJJ-MM-DD), niet {value}",
    "literal_error": "'{field}' heeft waarde {value}; verwacht een van: {expected}",
    "enum": "'{field}' heeft waarde {value}; verwacht een van: {expected}",
    "string_pattern_mismatch": "'{field}' heeft waarde {value}; dat is geen geldige vorm",
    "too_short": "'{field}' mag niet leeg zijn",
}


WARNING = "waarschuwing"
TODO = "te doen"


@dataclass(frozen=True, order=True)
class Problem:
    """One problem in one file. Sorted by path and line, as reported."""

    path: str
    line: int
    message: str
    hint: str = ""
    # "fout": nothing is built; "waarschuwing": something is wrong (`check --strict` fails on it);
    # "te doen": the organisation still has to fill something in or confirm it, and the site says so honestly
    severity: str = field(default="fout", compare=False)

    def format(self) -> str:
        text = f"{self.path}:{self.line}: {self.message}"
        if self.hint:
            text += f" ({self.hint})"
        return text


class ContentError(Exception):
    """Raised with every problem found, never just the first."""

    def __init__(self, problems: Iterable[Problem]):
        self.problems = sorted(set(problems))
        super().__init__(summary(self.problems))


def summary(problems: list[Problem]) -> str:
    errors = [p for p in problems if p.severity == "fout"]
    files = {p.path for p in errors}
    noun = "fout" if len(errors) == 1 else "fouten"
    where = "bestand" if len(files) == 1 else "bestanden"
    return f"{len(errors)} {noun} in {len(files)} {where}; er is niets gebouwd."


def in_dutch(message: str, table: dict[str, str], default: str | None = None) -> str:
    """A parser's English message in Dutch: the entry of `table` whose English start it has."""
    for english, dutch in table.items():
        if message.startswith(english):
            return dutch
    return message if default is None else default


def suggest(word: str, options: Iterable[str]) -> str:
    """A 'bedoelde je ...?' hint with the nearest match, or ''."""
    match = difflib.get_close_matches(word, list(options), n=1, cutoff=0.6)
    return f"bedoelde je '{match[0]}'?" if match else ""


def relpath(path: Path, root: Path) -> str:
    try:
        return path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return path.as_posix()


def limit_repeats(problems: list[Problem], limit: int = 5) -> list[str]:
    """Format warnings, folding a message repeated more than `limit` times into one summary line."""
    lines: list[str] = []
    counts: dict[str, int] = {}
    for problem in problems:
        key = problem.message.split("'")[0]
        counts[key] = counts.get(key, 0) + 1
        if counts[key] <= limit:
            lines.append(problem.format())
    for key, count in counts.items():
        if count > limit:
            lines.append(f"... en nog {count - limit} keer: {key.strip()}")
    return lines
