"""Markup helpers shared by validate and render: references in text, organisation variables
(Jinja), heading anchors and colour contrast. One place for each rule."""

from __future__ import annotations

import functools
import html
import re
from typing import Any, Callable, Iterator

import jinja2
from jinja2.sandbox import ImmutableSandboxedEnvironment
from markdown.extensions.toc import slugify as _toc_slugify

from .codecache import template_from_string
from .problems import in_dutch

# A reference inside a Markdown link: [tekst](protocol:meldcode#wegen)
LINK_REF = re.compile(r"\]\((?P<ref>(?P<kind>page|protocol|role|contact|letter|table):(?P<id>[^)\s#]+)(?:#(?P<anchor>[^)\s]+))?)\)")
HEADING = re.compile(r"^(#{2,6})\s+(.+?)\s*(?:\{[^}]*\})?\s*#*\s*$", re.MULTILINE)
EXPLICIT_ANCHOR = re.compile(r"\{[^}]*#([a-z0-9_-]+)[^}]*\}|<a\s+(?:id|name)=\"([^\"]+)\"")

MAX_TEXT_RESULT = 200_000  # characters a {{ ... }} operation may produce (a page is far smaller)


class _TextEnvironment(ImmutableSandboxedEnvironment):
    """The only Jinja environment that content reaches. Sandboxed: no attributes starting with '_'
    (so no route from a text to Python internals or os), no changing objects, and arithmetic that
    could build huge values (`'x' * 10**9`, `9 ** 9 ** 9`) is refused."""

    intercepted_binops = frozenset({"*", "**", "%"})

    def is_safe_attribute(self, obj: Any, attr: str, value: Any) -> bool:
        return not attr.startswith("_") and super().is_safe_attribute(obj, attr, value)

    def call_binop(self, context: Any, operator: str, left: Any, right: Any) -> Any:
        if operator == "%" and isinstance(left, str):
            raise jinja2.exceptions.SecurityError("tekst opmaken met % kan niet in een tekst")
        if operator == "**":
            if not (isinstance(left, (int, float)) and isinstance(right, (int, float))) or abs(right) > 64 or abs(left) > 10**6:
                raise jinja2.exceptions.SecurityError("machtsverheffen met zulke getallen mag niet")
        elif operator == "*" and isinstance(left, (str, list, tuple)) or isinstance(right, (str, list, tuple)):
            count = right if isinstance(left, (str, list, tuple)) else left
            size = len(left) if isinstance(left, (str, list, tuple)) else len(right)
            if not isinstance(count, int) or count * size > MAX_TEXT_RESULT:
                raise jinja2.exceptions.SecurityError("deze vermenigvuldiging maakt een te lange tekst")
        return super().call_binop(context, operator, left, right)


# Markdown's attribute lists ({#anker}) look like Jinja comments ({# ... #}): give comments another syntax.
TEXT_ENV = _TextEnvironment(undefined=jinja2.StrictUndefined, autoescape=False, keep_trailing_newline=True,
                            comment_start_string="{#-jinja", comment_end_string="-jinja#}")
TEXT_ENV.globals.clear()  # no range(), lipsum(), cycler(), namespace(): a text names things, it does not compute
TEXT_ENV.filters = {
    # Jinja's own `capitalize` lowercases the rest ("Het bestuur van wij de venen"): only raise the first letter.
    "capitalize": lambda value: str(value)[:1].upper() + str(value)[1:],
    "lower": lambda value: str(value).lower(),
    "upper": lambda value: str(value).upper(),
    # An embed inside a tab or list item needs its lines indented; never wider than a few levels.
    "indent": lambda value, width=4, first=False: jinja2.filters.do_indent(str(value), min(int(width), 16), first),
}


class TextError(jinja2.exceptions.TemplateRuntimeError):
    """Any other failure while filling in a text (a number too large to print, a wrong type)."""


# Plain text in any output: HTML-escaped, and the characters that start Markdown syntax (links,
# attribute lists, code, emphasis) as character references, so `[x](javascript:...)` or
# `{: onclick=... }` in a title stays text. Addresses (a-z, 0-9, / . - _ # ? =) pass unchanged.
_MARKDOWN_SPECIALS = str.maketrans({"[": "&#91;", "]": "&#93;", "{": "&#123;", "}": "&#125;", "`": "&#96;",
                                    "*": "&#42;", "\\": "&#92;", "|": "&#124;"})


def plain(value: object) -> str:
    """A plain-text field, safe in HTML, in an HTML attribute and in Markdown (one line)."""
    text = " ".join(str(value).split())
    return html.escape(text, quote=True).translate(_MARKDOWN_SPECIALS)


SOFT_HYPHEN = "\u00ad"
HYPHENATE_LONGER_THAN = 10  # letters: shorter words fit a phone's tile on one line
_WORD = re.compile(r"[^\W\d_]+")  # a run of letters (Unicode), so "Zzp'er" and "ICT-coordinator" split at ' and -
_TREMA = frozenset("äëïöüÄËÏÖÜ")  # Dutch drops the trema at a break (cli-enten): a soft hyphen cannot, so no break there


@functools.lru_cache(maxsize=1)
def _dutch_syllables() -> Any:
    import pyphen

    return pyphen.Pyphen(lang="nl", left=2, right=3)


def hyphenate(text: str) -> str:
    """A display title with soft hyphens (U+00AD) at the Dutch syllable breaks of its long words,
    so a narrow hub tile breaks "Contact-persoon", never "Contactperso-on" (browsers have no Dutch
    dictionary offline; the CSS sets `hyphens: manual`). Only for a title that is shown: page
    titles, the search index, the PDF outline and table of contents use the plain text."""
    syllables = _dutch_syllables()

    def soft(match: re.Match[str]) -> str:
        word = match.group(0)
        if len(word) <= HYPHENATE_LONGER_THAN:
            return word
        breaks = [int(p) for p in syllables.positions(word) if getattr(p, "data", None) is None and word[int(p)] not in _TREMA]
        return "".join(SOFT_HYPHEN + word[a:b] if a else word[a:b] for a, b in zip([0] + breaks, breaks + [len(word)]))

    return _WORD.sub(soft, text.replace(SOFT_HYPHEN, ""))


def tel_href(phone: str) -> str:
    """The dialable form of a phone number for a tel: link: digits and an optional leading +."""
    if phone.strip().startswith("+"):
        phone = phone.replace("(0)", "")  # +31 (0)20 ...: the 0 is not dialled from abroad
    digits = re.sub(r"\D", "", phone)
    return ("+" if phone.strip().startswith("+") else "") + digits


# Python-Markdown recurses on nested lists and emphasis and is quadratic on nested brackets: a
# crafted body could crash or stall the build. Real pages stay far below these bounds.
MAX_MD_INDENT = 64  # leading spaces of a line (a list nested about 15 deep)
MAX_MD_QUOTE = 12  # '>' at the start of a line
MAX_MD_RUN = 12  # '*' or '_' in a row
MAX_MD_BRACKETS = 24  # open '[' in one paragraph
_MD_RUN = re.compile(r"[*_]{%d,}" % (MAX_MD_RUN + 1))


@functools.lru_cache(maxsize=8192)  # the base's texts are checked once per organisation: the same text each time
def markdown_limits(text: str) -> tuple[int, str] | None:
    """(line offset, Dutch message) for the first place a Markdown text exceeds a bound."""
    depth = 0
    for offset, line in enumerate(text.split("\n")):
        stripped = line.lstrip(" \t")
        if len(line) - len(stripped) > MAX_MD_INDENT:
            return offset, f"te diep ingesprongen: meer dan {MAX_MD_INDENT} spaties voor de tekst"
        if len(stripped) - len(stripped.lstrip("> ")) > 2 * MAX_MD_QUOTE and stripped.count(">", 0, 2 * MAX_MD_QUOTE + 1) > MAX_MD_QUOTE:
            return offset, f"te veel '>' in elkaar (meer dan {MAX_MD_QUOTE})"
        if _MD_RUN.search(line):
            return offset, f"te veel '*' of '_' achter elkaar (meer dan {MAX_MD_RUN})"
        if not stripped:
            depth = 0
        if "[" not in line and not (depth and "]" in line):
            continue  # nothing to count (most lines)
        for char in line:
            if char == "[":
                depth += 1
                if depth > MAX_MD_BRACKETS:
                    return offset, f"te veel '[' in één alinea zonder ']' (meer dan {MAX_MD_BRACKETS})"
            elif char == "]":
                depth = max(0, depth - 1)
    return None


def refs_in(text: str) -> Iterator[tuple[int, str, str, str | None]]:
    """(line offset, kind, id, anchor) for every reference link in a Markdown text."""
    yield from _refs_in(text)


@functools.lru_cache(maxsize=8192)
def _refs_in(text: str) -> tuple[tuple[int, str, str, str | None], ...]:
    return tuple((text.count("\n", 0, match.start()), match["kind"], match["id"], match["anchor"]) for match in LINK_REF.finditer(text))


# A plain link to a page file: [tekst](../map/pagina.md#anker) (no scheme, no kind: prefix).
FILE_LINK = re.compile(r"\]\((?P<target>(?![a-z][a-z0-9+.-]*:|#|/)[^)\s#?]+\.(?:md|html))(?:#[^)\s]*)?\)")


def file_links_in(text: str) -> Iterator[tuple[int, str]]:
    """(line offset, target) for every plain link to a .md or .html file in a Markdown text."""
    for match in FILE_LINK.finditer(text):
        yield text.count("\n", 0, match.start()), match["target"]


def split_ref(ref: str) -> tuple[str, str, str | None]:
    kind, _, rest = ref.partition(":")
    item_id, _, anchor = rest.partition("#")
    return kind, item_id, anchor or None


def slugify(text: str) -> str:
    return _toc_slugify(text, "-")


def heading_anchors(markdown_text: str) -> set[str]:
    return set(_heading_anchors(markdown_text))


@functools.lru_cache(maxsize=4096)  # the base's texts are checked once per organisation: the same text each time
def _heading_anchors(markdown_text: str) -> frozenset[str]:
    anchors = {slugify(re.sub(r"[*_`]", "", m.group(2))) for m in HEADING.finditer(markdown_text)}
    for match in EXPLICIT_ANCHOR.finditer(markdown_text):
        anchors.add(match.group(1) or match.group(2))
    return frozenset(anchors)


@functools.lru_cache(maxsize=4096)
def compile_text(text: str) -> jinja2.Template:
    """Compile a text's variables once (raises TemplateSyntaxError for a broken {{ ... }}).
    A text holds only {{ ... }} expressions: {% ... %} statements (loops) are refused."""
    if "{%" in text:
        raise jinja2.exceptions.SecurityError("{% ... %}-opdrachten kunnen niet in een tekst")
    try:
        return template_from_string(TEXT_ENV, text)
    except RecursionError:
        raise jinja2.exceptions.SecurityError("de {{ ... }}-variabele is te diep genest") from None


def fill(text: str, context: dict[str, Any]) -> str:
    """Render organisation variables in a text. Raises jinja2 errors for the caller to place."""
    if "{{" not in text and "{%" not in text:
        return text
    template = compile_text(text)
    try:
        return template.render(**context)
    except jinja2.TemplateError:
        raise
    except (ArithmeticError, ValueError, TypeError, LookupError, RecursionError) as error:
        raise TextError(str(error)).with_traceback(error.__traceback__) from None  # (the text's line is in it)


def _line_filled_in(error: Exception) -> int | None:
    """The line (offset in the text) of the {{ ... }} that raised `error` while the text was filled
    in: Jinja puts the text's own line numbers in the traceback, as frames of '<template>'."""
    line = None
    trace = error.__traceback__
    while trace is not None:
        if trace.tb_frame.f_code.co_filename == "<template>":
            line = trace.tb_lineno - 1
        trace = trace.tb_next
    return line


def explain_template_error(error: Exception, text: str) -> tuple[int, str, str]:
    """(line offset, Dutch message, hint) for a Jinja error in `text`."""
    if isinstance(error, jinja2.exceptions.SecurityError):
        offset = _line_filled_in(error)
        if offset is None:  # refused before filling in ({% ... %}, nested too deep): the first variable
            offset = next((i for i, line in enumerate(text.splitlines()) if "{{" in line or "{%" in line), 0)
        return offset, f"niet toegestaan in een {{{{ ... }}}}-variabele: {_security_nl(str(error))}", \
            "gebruik alleen org.name, org.terms.<woord>, contact('<id>').phone, table('<id>') of list('<id>')"
    if isinstance(error, TextError):
        offset = _line_filled_in(error)
        if offset is None:
            offset = next((i for i, line in enumerate(text.splitlines()) if "{{" in line), 0)
        return offset, f"deze {{{{ ... }}}}-variabele kan niet worden ingevuld ({error.message})", "controleer de variabele"
    if isinstance(error, jinja2.TemplateSyntaxError):
        unknown_filter = re.search(r"No filter named '([^']+)'", error.message or "")
        if unknown_filter:
            return ((error.lineno or 1) - 1, f"onbekend filter '{unknown_filter.group(1)}' in een {{{{ ... }}}}-variabele",
                    suggest_filter(unknown_filter.group(1)))
        return (error.lineno or 1) - 1, f"fout in een {{{{ ... }}}}-variabele: {_syntax_nl(error.message or '')}", "controleer de accolades"
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


def suggest_filter(name: str) -> str:
    return f"toegestaan: {', '.join(sorted(TEXT_ENV.filters))}"


JINJA_SYNTAX_NL = {
    "unexpected end of template": "de tekst houdt op binnen een {{ ... }} (ontbreekt '}}'?)",
    "unexpected '}'": "een '}' te veel of te weinig",
    "unexpected char": "een teken dat hier niet kan",
    "expected token": "er ontbreekt iets (een haakje, aanhalingsteken of '}}')",
    "unexpected end of print statement": "de variabele is leeg of onvolledig",
    "tag name expected": "onvolledige {% ... %}",
    "Expected an expression": "de variabele is leeg of onvolledig",
}


def _syntax_nl(message: str) -> str:
    return in_dutch(message, JINJA_SYNTAX_NL)


def _security_nl(message: str) -> str:
    """Jinja's sandbox messages in English ("access to attribute '__class__' of 'str' object is unsafe.")."""
    found = re.search(r"attribute '([^']+)'", message)
    if found:
        return f"het onderdeel '{found.group(1)}' is afgeschermd"
    if "unsafe" in message or "not safely callable" in message:
        return "deze functie is afgeschermd"
    return message


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
