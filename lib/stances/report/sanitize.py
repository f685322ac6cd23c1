"""HTML from notebooks and data, made safe for the report by an allowlist, not a blocklist.

Every fragment a notebook supplies (markdown cells, ``text/html`` and ``text/markdown``
outputs, raw cells) goes through ``safe_html``: bleach's sanitiser (the one behind nbconvert's
``SanitizeHTML``) keeps only the tags and attributes listed here and escapes the rest, so a
``<script>`` or ``<iframe>`` shows as text and an ``onclick`` is dropped. A link (``href``) is
kept only when it points at an ``http(s):`` address or a relative one (a page, ``#anchor``);
an image or other ``src`` only when it is relative, so a page never loads from the network.
CSS (``style`` attributes and ``<style>`` sheets) is parsed with tinycss2 and keeps only
allowed properties whose values call no function outside a short list: no ``url()``, no
``@import``. ``safe_href`` is the same link rule for the page templates (the licence in the
footer). Table cells that hold just a web address become links; links to ``NN_name.ipynb``
point at the rendered page; a link to a fact (``#fact-NAME``) gets a title naming the value.
"""

from __future__ import annotations

import html
import json
import re

import bleach
import tinycss2
from bleach.css_sanitizer import ALLOWED_CSS_PROPERTIES, CSSSanitizer
from bleach.html5lib_shim import Filter

TAGS = frozenset({
    "a", "abbr", "b", "blockquote", "br", "caption", "code", "col", "colgroup", "dd", "del",
    "details", "div", "dl", "dt", "em", "figcaption", "figure", "h1", "h2", "h3", "h4", "h5", "h6",
    "hr", "i", "img", "ins", "kbd", "li", "mark", "ol", "p", "pre", "q", "s", "samp", "small",
    "span", "strong", "style", "sub", "summary", "sup", "table", "tbody", "td", "tfoot", "th",
    "thead", "tr", "u", "ul", "var",
})
GLOBAL_ATTRIBUTES = frozenset({"class", "id", "title", "lang", "dir", "style", "role"})
ATTRIBUTES = {
    "a": {"href", "rel", "download"},
    "img": {"src", "alt", "width", "height"},
    "td": {"colspan", "rowspan", "align", "headers"},
    "th": {"colspan", "rowspan", "align", "scope", "headers"},
    "table": {"border"},
    "ol": {"start", "type"},
    "col": {"span"},
    "colgroup": {"span"},
    "details": {"open"},
    "style": {"type"},
}
LINK_PROTOCOLS = frozenset({"http", "https"})
CSS_FUNCTIONS = frozenset({"rgb", "rgba", "hsl", "hsla", "calc", "var", "min", "max", "clamp",
                           "linear-gradient", "repeating-linear-gradient"})
_SOURCE_ATTRIBUTES = frozenset({"src"})
_TEXT = ("Characters", "SpaceCharacters")
_ADDRESS = re.compile(r"\s*(https?://[^\s<>\"']+)\s*")
_NOTEBOOK_LINK = re.compile(r"^(\./)?(\d\d_[^\"'#?/]+)\.ipynb(?=$|#)")


def _allowed_attribute(tag: str, name: str, value: str) -> bool:
    if name in GLOBAL_ATTRIBUTES or name in ATTRIBUTES.get(tag, ()):
        if name in _SOURCE_ATTRIBUTES:  # loads by itself: only a file of the report
            return not re.match(r"\s*([a-zA-Z][\w+.-]*:|//|\\\\)", value)
        return True
    return tag == "mark" and name.startswith("data-")  # the article's highlighted spans


def _declaration_is_inert(declaration) -> bool:
    """True unless a CSS declaration calls a function off ``CSS_FUNCTIONS`` or holds a url."""
    def inert(tokens) -> bool:
        for token in tokens:
            if token.type == "url" or token.type == "at-keyword":
                return False
            if token.type == "function" and (token.lower_name not in CSS_FUNCTIONS
                                             or not inert(token.arguments)):
                return False
            if token.type in ("() block", "[] block", "{} block") and not inert(token.content):
                return False
        return True

    return inert(declaration.value)


class _InertCSS(CSSSanitizer):
    """bleach's CSS sanitiser (allowed properties), also dropping declarations that load."""

    def sanitize_css(self, style: str) -> str:
        kept = [d for d in tinycss2.parse_declaration_list(style, skip_comments=True, skip_whitespace=True)
                if d.type == "declaration" and d.lower_name in self.allowed_css_properties
                and _declaration_is_inert(d)]
        return "; ".join(f"{d.name}:{tinycss2.serialize(d.value)}{' !important' if d.important else ''}"
                         for d in kept)

    def sanitize_sheet(self, sheet: str) -> str:
        """A ``<style>`` sheet with its plain rules only (no at-rule such as ``@import``), each
        rule's declarations sanitised as a ``style`` attribute's are."""
        rules = []
        for rule in tinycss2.parse_stylesheet(sheet, skip_comments=True, skip_whitespace=True):
            if rule.type == "qualified-rule":
                body = self.sanitize_css(tinycss2.serialize(rule.content))
                if body:
                    rules.append(f"{tinycss2.serialize(rule.prelude).strip()} {{{body}}}")
        return "\n".join(rules)


_CSS = _InertCSS(allowed_css_properties=ALLOWED_CSS_PROPERTIES | {"text-align", "vertical-align"})


class _ReportFilter(Filter):
    """After sanitising: style sheets made inert, web addresses alone in a cell linked, and
    links to a notebook (``04_alignment.ipynb#x``) pointed at its page (``04_alignment.html#x``)."""

    link_cells = False

    def __iter__(self):
        tokens = []
        for token in super().__iter__():  # adjacent text as one token: a sheet, a cell's text
            if token["type"] in _TEXT and tokens and tokens[-1]["type"] in _TEXT:
                tokens[-1] = {"type": "Characters", "data": tokens[-1]["data"] + token["data"]}
            else:
                tokens.append(token)
        in_style = False
        for i, token in enumerate(tokens):
            kind, name = token["type"], token.get("name")
            if kind in ("StartTag", "EndTag") and name == "style":
                in_style = kind == "StartTag"
            elif in_style and kind in _TEXT:
                token = {**token, "data": _CSS.sanitize_sheet(token["data"])}
            elif kind == "StartTag" and name == "a":
                token = {**token, "data": _link_attributes(token["data"])}
            elif self.link_cells and kind in _TEXT and 0 < i < len(tokens) - 1:
                around = tokens[i - 1], tokens[i + 1]
                address = _ADDRESS.fullmatch(token["data"])
                if address and [(t["type"], t.get("name")) for t in around] == [("StartTag", "td"),
                                                                                 ("EndTag", "td")]:
                    url = address.group(1)
                    yield {"type": "StartTag", "name": "a", "namespace": None,
                           "data": {(None, "href"): url, (None, "rel"): "noreferrer"}}
                    yield {"type": "Characters", "data": url}
                    token = {"type": "EndTag", "name": "a", "namespace": None}
            yield token


class _LinkingCells(_ReportFilter):
    link_cells = True


def _link_attributes(attributes: dict) -> dict:
    """A link's attributes with a notebook's address turned into its page's, and a title on a
    link to a fact (a bare number says where it comes from, on hover and to a screen reader)."""
    href = attributes.get((None, "href"))
    if href is None:
        return attributes
    href, title = _NOTEBOOK_LINK.sub(r"\g<1>\g<2>.html", href), {}
    if "#fact-" in href and (None, "title") not in attributes:
        title = {(None, "title"): f"computed value {href.split('#fact-', 1)[1]}: see where it is computed"}
    return {**attributes, (None, "href"): href, **title}


def _cleaner(*filters) -> bleach.Cleaner:
    return bleach.Cleaner(tags=TAGS, attributes=_allowed_attribute, protocols=LINK_PROTOCOLS,
                          strip=False, strip_comments=True, css_sanitizer=_CSS, filters=list(filters))


_CLEANER, _CLEANER_LINKING_CELLS = _cleaner(_ReportFilter), _cleaner(_LinkingCells)


def safe_html(fragment: str, link_cells: bool = False) -> str:
    """``fragment`` with only allowed tags, attributes, links and CSS (see the module docstring);
    with ``link_cells``, a table cell holding just a web address becomes a link to it."""
    return (_CLEANER_LINKING_CELLS if link_cells else _CLEANER).clean(str(fragment))


def safe_href(url) -> str | None:
    """``url`` if ``safe_html`` would keep it as a link (http(s) or relative), else None."""
    cleaned = _CLEANER.clean(f'<a href="{html.escape(str(url), quote=True)}"></a>')
    return url if "href=" in cleaned else None


def json_ld(records: list[dict] | None) -> str:
    """A ``<script type="application/ld+json">`` holding ``records`` (data, never run), with
    ``<``, ``>`` and ``&`` escaped as JSON so no text can close the element."""
    if not records:
        return ""
    data = json.dumps(records, ensure_ascii=False, indent=1)
    data = data.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return f'<script type="application/ld+json">\n{data}\n</script>'
