"""Notebook outputs made readable: a table as a reader expects it. The kernel already shows a
DataFrame this way (``stances.setup`` registers :func:`table_html` with IPython, so JupyterLab
shows it too); the report applies the same rules again at render time, which changes nothing
more on such a table and mends any output stored before (a printed Series, an old notebook).

On a copy of each notebook, before it becomes a page:

* an HTML table gets a caption (the cell's ``caption`` metadata, else "Table N" and the
  heading it sits under), header words instead of snake_case ids, an actor's label for a cell
  that holds only its id, words for a snake_case code (``only_coder_a`` → *only coder a*), a
  dash for a missing value (``<NA>``, ``NaN``, ``None``) and *yes* / *no* for ``True`` /
  ``False``, and the true minus sign for a negative whole number (floats print it already,
  ``stances.notebook.number``);
* a printed Series (text only) loses its ``Name: …, dtype: …`` line and shows a dash for a
  missing value, its columns kept aligned;
* nothing else changes: the words of a cell, the figures, the order.

Output prompts (``Out[n]:``) are left out by the exporter (``exclude_output_prompt``).
"""

from __future__ import annotations

import re
from html import escape

from stances.notebook import MINUS
from stances.report.markdown import heading_texts

DASH = "–"
MISSING_CELL = re.compile(r"(<t[dh][^>]*>)\s*(?:&lt;NA&gt;|<NA>|NaN|nan|None|NaT)\s*(</t[dh]>)")
BOOLEAN_CELL = re.compile(r"(<td[^>]*>)\s*(True|False)\s*(</td>)")
HEADER_CELL = re.compile(r"(<th[^>]*>)([a-z][a-z0-9]*(?:_[a-z0-9]+)+)(</th>)")
PAIR_CELL = re.compile(r"(<td[^>]*>)([a-z][a-z0-9_]*)–([a-z][a-z0-9_]*)(</td>)")  # "spain–chile"
CODE_CELL = re.compile(r"(<td[^>]*>)([a-z][a-z0-9]*(?:_[a-z0-9]+)*)(</td>)")
TABLE_OPEN = re.compile(r"<table\b[^>]*>")
DTYPE_LINE = re.compile(r"\n(?:(?:Name|Length|Freq): [^\n]*?, )*dtype: [^\n]*\Z|\ndtype: [^\n]*\Z")
MISSING_WORD = re.compile(r"<NA>|\bNaN\b|\bNaT\b")
NEGATIVE_CELL = re.compile(r"(<td[^>]*>)-(?=\d)")  # a whole number; floats already carry U+2212


def readable(notebook, labels: dict[str, str] | None = None) -> None:
    """Rewrite ``notebook``'s outputs in place as described in the module's docstring;
    ``labels`` maps an actor's id to its label (``study.labels``)."""
    heading, tables = None, 0
    for cell in notebook.cells:
        if cell.cell_type == "markdown":
            heading = next(iter(heading_texts(cell.source)[-1:]), heading)
            continue
        if cell.cell_type != "code":
            continue
        for output in cell.get("outputs", []):
            data = output.get("data", {})
            if "<table" in data.get("text/html", ""):
                tables += 1
                caption = cell.get("metadata", {}).get("caption") or _caption(tables, heading)
                data["text/html"] = table_html(data["text/html"], caption, labels or {})
            elif output.get("output_type") == "execute_result" and set(data) == {"text/plain"}:
                data["text/plain"] = series_text(data["text/plain"])


def _caption(number: int, heading: str | None) -> str:
    return f"Table {number}" + (f": {heading}" if heading else "")


def table_html(html: str, caption: str | None, labels: dict[str, str] | None = None) -> str:
    """``html`` (a rendered DataFrame) with a caption on its first table (unless ``caption`` is
    None), words in its headers, labels for actor ids (alone or as a pair ``a–b``), words for
    codes, a dash for each missing value, yes / no for booleans. Applied twice, it changes
    nothing more: the kernel applies it as a table is shown (``stances.setup``), the report
    again to any table a notebook stored before that."""
    labels = labels or {}
    html = PAIR_CELL.sub(lambda m: m.group(1) + " – ".join(escape(labels.get(a, a)) for a in m.group(2, 3))
                         + m.group(4) if {m.group(2), m.group(3)} <= set(labels) else m.group(0), html)
    html = CODE_CELL.sub(lambda m: m.group(1) + escape(labels.get(m.group(2), m.group(2).replace("_", " ")))
                         + m.group(3), html)
    html = MISSING_CELL.sub(rf"\g<1>{DASH}\g<2>", html)
    html = NEGATIVE_CELL.sub(rf"\g<1>{MINUS}", html)
    html = BOOLEAN_CELL.sub(lambda m: m.group(1) + {"True": "yes"}.get(m.group(2), "no") + m.group(3), html)
    html = HEADER_CELL.sub(lambda m: f"{m.group(1)}{m.group(2).replace('_', ' ')}{m.group(3)}", html)
    if caption is not None and "<caption" not in html:
        html = TABLE_OPEN.sub(lambda m: f"{m.group(0)}<caption>{escape(caption)}</caption>", html, count=1)
    return html


def series_text(text: str) -> str:
    """A printed Series without its ``dtype`` line, a dash for each missing value, aligned."""
    text = DTYPE_LINE.sub("", text)
    lines = []
    for line in text.split("\n"):
        lines.append(MISSING_WORD.sub(
            lambda m, line=line: (DASH.ljust(len(m.group())) if m.start() == 0
                                  else DASH.rjust(len(m.group()))), line))
    return "\n".join(lines)
