"""Markup helpers shared by validate and render: references in text, organisation variables
(Jinja), heading anchors and colour contrast. One place for each rule."""

from __future__ import annotations

import functools
import re
from typing import Any, Callable, Iterator

import jinja2
from markdown.extensions.toc import slugify as _toc_slugify

# A reference inside a Markdown link: [tekst](protocol:meldcode#wegen)
LINK_REF = re.compile(r"\]\((?P<ref>(?P<kind>page|protocol|role|contact|letter|table):(?P<id>[^)\s#]+)(?:#(?P<anchor>[^)\s]+))?)\)")
HEADING = re.compile(r"^(#{2,6})\s+(.+?)\s*(?:\{[^}]*\})?\s*#*\s*$", re.MULTILINE)
EXPLICIT_ANCHOR = re.compile(r"\{[^}]*#([a-z0-9_-]+)[^}]*\}|<a\s+(?:id|name)=\"([^\"]+)\"")

# Markdown's attribute lists ({#anker}) look like Jinja comments ({# ... #}): give comments another syntax.
TEXT_ENV = jinja2.Environment(undefined=jinja2.StrictUndefined, autoescape=False, keep_trailing_newline=True,
                              comment_start_string="{#-jinja", comment_end_string="-jinja#}")
# Jinja's own `capitalize` lowercases the rest ("Het bestuur van wij de venen"): only raise the first letter.
TEXT_ENV.filters["capitalize"] = lambda value: str(value)[:1].upper() + str(value)[1:]


def refs_in(text: str) -> Iterator[tuple[int, str, str, str | None]]:
    """(line offset, kind, id, anchor) for every reference link in a Markdown text."""
    for match in LINK_REF.finditer(text):
        yield text.count("\n", 0, match.start()), match["kind"], match["id"], match["anchor"]


def split_ref(ref: str) -> tuple[str, str, str | None]:
    kind, _, rest = ref.partition(":")
    item_id, _, anchor = rest.partition("#")
    return kind, item_id, anchor or None


def slugify(text: str) -> str:
    return _toc_slugify(text, "-")


def heading_anchors(markdown_text: str) -> set[str]:
    anchors = {slugify(re.sub(r"[*_`]", "", m.group(2))) for m in HEADING.finditer(markdown_text)}
    for match in EXPLICIT_ANCHOR.finditer(markdown_text):
        anchors.add(match.group(1) or match.group(2))
    return anchors


@functools.lru_cache(maxsize=4096)
def compile_text(text: str) -> jinja2.Template:
    """Compile a text's variables once (raises TemplateSyntaxError for a broken {{ ... }})."""
    return TEXT_ENV.from_string(text)


def fill(text: str, context: dict[str, Any]) -> str:
    """Render organisation variables in a text. Raises jinja2 errors for the caller to place."""
    if "{{" not in text and "{%" not in text:
        return text
    return compile_text(text).render(**context)


def explain_template_error(error: Exception, text: str) -> tuple[int, str, str]:
    """(line offset, Dutch message, hint) for a Jinja error in `text`."""
    if isinstance(error, jinja2.TemplateSyntaxError):
        return (error.lineno or 1) - 1, f"fout in een {{{{ ... }}}}-variabele: {error.message}", "controleer de accolades"
    message = str(error)
    embed = re.match(r"(table|list|contact|role) '([^']+)' is undefined", message)
    if embed:
        kind, name = embed.groups()
        offset = next((i for i, line in enumerate(text.splitlines()) if name in line), 0)
        folder = {"table": "tables", "list": "lists", "contact": "contacts", "role": "roles"}[kind]
        return offset, f"{kind} '{name}' bestaat niet", f"maak {folder}/{name}.yml"
    match = re.search(r"has no attribute '([^']+)'", message) or re.search(r"'([^']+)' is undefined", message)
    name = match.group(1) if match else message
    offset = 0
    for index, line in enumerate(text.splitlines()):
        if "{{" in line and name in line:
            offset = index
            break
    if "terms" in text.splitlines()[offset] if text.splitlines() else False:
        return offset, f"onbekende term '{name}'", f"zet '{name}: ...' onder terms: in org.yml van de organisatie"
    return offset, f"onbekende variabele '{name}'", "gebruik org.name, org.terms.<woord> of contact('<id>')"


def _luminance(hex_colour: str) -> float:
    channels = [int(hex_colour[i:i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(colour_a: str, colour_b: str) -> float:
    """WCAG 2.1 contrast ratio of two #rrggbb colours."""
    high, low = sorted((_luminance(colour_a), _luminance(colour_b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def rewrite_refs(text: str, href: Callable[[str, str, str | None], str]) -> str:
    """Replace every `](kind:id#anchor)` by `](<href>)`."""
    return LINK_REF.sub(lambda m: f"]({href(m['kind'], m['id'], m['anchor'])})", text)
