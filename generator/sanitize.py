"""The HTML policy for page bodies, applied to the HTML that Markdown renders (a Python-Markdown
extension that runs last, so it also sees what attr_list (`{ onclick=... }`) and raw HTML wrote).

The policy, in one place (docs/content-format.md describes it for authors):
- kept: the HTML that Markdown and its extensions produce (headings, lists, tables, admonitions,
  tabs, details, footnotes, definition lists), the generator's own markup (tiles, route blocks,
  decision schemas, svg icons, filters on tables) and a safe subset of raw HTML in Markdown bodies:
  the tags in TAGS with the attributes in ATTRIBUTES, any `data-*` and `aria-*` attribute, and
  only the style properties in STYLES;
- removed: <script>, <style>, <iframe>, <object>, <embed>, <form>, event handlers (`onclick=`,
  `onerror=`, ...), and links or sources with any scheme other than http(s), mailto and tel
  (so `javascript:` and `data:` URLs are gone). The content of a removed <script> is dropped.
"""

from __future__ import annotations

import nh3
from markdown import Extension
from markdown.postprocessors import Postprocessor

SVG_TAGS = {"svg", "path", "g", "circle", "rect", "polygon", "polyline", "line", "ellipse", "title"}
TAGS = nh3.ALLOWED_TAGS | SVG_TAGS | {
    "nav", "section", "article", "aside", "header", "footer", "figure", "figcaption", "details", "summary",
    "button", "select", "option", "label", "input", "textarea", "abbr", "mark", "time", "small", "sup", "sub", "caption",
}
ATTRIBUTES = {
    "*": {"class", "id", "style", "title", "lang", "role", "hidden", "tabindex"},
    "a": {"href", "rel", "target", "download"},
    "img": {"src", "alt", "width", "height", "loading"},
    "th": {"scope", "colspan", "rowspan"},
    "td": {"colspan", "rowspan"},
    "ol": {"start", "type", "reversed"},
    "li": {"value"},
    "input": {"type", "name", "checked", "disabled", "value"},
    "label": {"for"},
    "button": {"type", "disabled"},
    "select": {"name"},
    "textarea": {"name", "rows", "cols", "placeholder"},
    "option": {"value", "selected"},
    "details": {"open"},
    "abbr": {"title"},
    "time": {"datetime"},
    "svg": {"xmlns", "viewBox", "viewbox", "width", "height", "fill", "focusable"},
    "path": {"d", "fill", "fill-rule", "clip-rule", "transform"},
    "g": {"fill", "transform"},
    "circle": {"cx", "cy", "r", "fill"},
    "rect": {"x", "y", "width", "height", "rx", "fill"},
    "polygon": {"points", "fill"},
    "polyline": {"points", "fill"},
    "line": {"x1", "y1", "x2", "y2"},
    "ellipse": {"cx", "cy", "rx", "ry", "fill"},
}
STYLES = {"--rw-tile", "height", "width", "text-align", "color", "background-color"}
URL_SCHEMES = {"http", "https", "mailto", "tel"}


def clean(html: str) -> str:
    """Sanitise one HTML fragment by the policy above."""
    return nh3.clean(
        html,
        tags=TAGS,
        clean_content_tags={"script", "style"},
        attributes=ATTRIBUTES,
        generic_attribute_prefixes={"data-", "aria-"},
        url_schemes=URL_SCHEMES,
        link_rel=None,
        strip_comments=True,
        filter_style_properties=STYLES,
    )


class _Sanitise(Postprocessor):
    def run(self, text: str) -> str:
        return clean(text)


class SanitiseExtension(Extension):
    """`markdown_extensions: [generator.sanitize]` in the generated mkdocs.yml."""

    def extendMarkdown(self, md) -> None:  # noqa: N802, ANN001 - Python-Markdown's API
        md.postprocessors.register(_Sanitise(md), "rolwijzer_sanitise", -100)  # after every other postprocessor


def makeExtension(**kwargs) -> SanitiseExtension:  # noqa: N802 - the name Python-Markdown looks for
    return SanitiseExtension(**kwargs)
