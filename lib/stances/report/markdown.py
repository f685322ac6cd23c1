"""What the report reads from a notebook's markdown: its title and its "What we found" cell.

Headings are found by a CommonMark parser (markdown-it-py), not by matching lines, so ATX
(``# Title``) and setext (``Title`` over ``===``) headings, code spans and emphasis in them,
and ``#`` lines inside code blocks are all read as a reader sees them. The findings are
rendered with mistune, the parser nbconvert renders every markdown cell with, so the index
shows them as the notebook's page does; raw HTML in them is escaped, and the result goes
through the report's allowlist sanitiser.
"""

from __future__ import annotations

import mistune
from markdown_it import MarkdownIt

from stances.report.sanitize import safe_html

FINDINGS_HEADING = "what we found"
_PARSER = MarkdownIt("commonmark", {"html": False})
_TEXT_TOKENS = ("text", "code_inline", "text_special", "html_inline")


def _plain(inline) -> str:
    """The text a reader sees in an inline token (emphasis, code and links as their words)."""
    words = []
    for token in inline.children or []:
        if token.type in _TEXT_TOKENS:
            words.append(token.content)
        elif token.type in ("softbreak", "hardbreak"):
            words.append(" ")
        elif token.type == "image":
            words.append(_plain(token))
    return "".join(words).strip()


def _headings(source: str):
    """``(level, plain text, last line + 1)`` of each heading of ``source``, in order, and
    whether the heading is the cell's first block."""
    tokens = _PARSER.parse(source)
    first_block = next((i for i, t in enumerate(tokens) if t.level == 0), None)
    for i, token in enumerate(tokens):
        if token.type == "heading_open":
            yield int(token.tag[1:]), _plain(tokens[i + 1]), token.map[1], i == first_block


def heading_texts(source: str) -> list[str]:
    """The plain text of every heading of the markdown ``source``, in order."""
    return [text for _, text, _, _ in _headings(source) if text]


def notebook_title(notebook, fallback: str) -> str:
    """The plain text of the notebook's first level-1 heading, else ``fallback``."""
    for cell in notebook.cells:
        if cell.cell_type == "markdown":
            for level, text, _, _ in _headings(cell.source):
                if level == 1 and text:
                    return text
    return fallback


def _findings_heading_end(source: str) -> int | None:
    """The line after the heading that opens ``source``, if that heading says "What we found"."""
    for _, text, end, first in _headings(source):
        if first and FINDINGS_HEADING in text.lower():
            return end
        break
    return None


def findings_index(notebook) -> int | None:
    """The index of the "What we found" cell: the first markdown cell that opens with a heading
    (any level) containing those words; None if there is none. The one rule: the report and
    ``check-findings`` both ask here."""
    return next((i for i, cell in enumerate(notebook.cells) if cell.cell_type == "markdown"
                 and _findings_heading_end(cell.source) is not None), None)


def cell_anchor(cell) -> str | None:
    """The ``id`` nbconvert gives a cell on its page (``cell-id=<id>``; nbformat >= 4.5 cells have ids)."""
    return f"cell-id={cell['id']}" if cell.get("id") else None


class _Findings(mistune.HTMLRenderer):
    """Links to a bound number (``#fact-NAME``) point at the notebook page that shows it."""

    def __init__(self, page: str | None):
        super().__init__(escape=True)
        self.page = page

    def link(self, text: str, url: str, title: str | None = None) -> str:
        if self.page and url.startswith("#fact-"):
            url = f"{self.page}{url}"
        return super().link(text, url, title)


def findings_to_html(source: str, page: str | None = None) -> str:
    """The findings cell ``source`` minus its heading, as safe HTML; with ``page``, links to a
    fact (``#fact-NAME``) go to ``page#fact-NAME``."""
    end = _findings_heading_end(source)
    body = "\n".join(source.splitlines()[end or 0:]).strip()
    render = mistune.create_markdown(renderer=_Findings(page), plugins=["table", "strikethrough", "url"])
    return safe_html(render(body).strip())
