"""Quotation marks in a text: where each quotation opens and which mark closes it (a text
tool, like ``anchor``; source criticism uses it to find quote-mark slips)."""

from __future__ import annotations

import re

import pandas as pd

_CLOSING_SINGLE = re.compile(r"(?<=\S)'(?!\w)")


def inside_quotation(text: str, at: int) -> bool:
    """Whether a quotation is open at ``at``: an odd number of straight quote marks, or more
    opening than closing curly ones, since the start of its line."""
    line = text[text.rfind("\n", 0, at) + 1 : at]
    return line.count('"') % 2 == 1 or line.count("\u201c") > line.count("\u201d")


def quotations(text: str) -> pd.DataFrame:
    """Every quotation opened by a double quote mark, with the mark that closes it.

    A ``"`` opens a quotation when it follows a space, a line start or a bracket, and
    closes one otherwise. An opening mark whose next mark opens again (or that has none)
    is unbalanced; its closing mark is then the first single quote before the next opening
    that ends a word and is not followed by a letter (so not an apostrophe), if any.
    """
    marks = [m.start() for m in re.finditer('"', text)]
    opening = [i for i in marks if i == 0 or text[i - 1] in " \n([" ]
    rows = []
    for k, open_at in enumerate(opening):
        limit = opening[k + 1] if k + 1 < len(opening) else len(text)
        paragraph_end = text.find("\n", open_at)
        limit = min(limit, paragraph_end if paragraph_end >= 0 else len(text))
        close = next((i for i in marks if open_at < i < limit), None)
        if close is not None:
            rows.append((open_at, close + 1, '"', '"'))
            continue
        single = _CLOSING_SINGLE.search(text, open_at + 1, limit)
        if single is not None:
            rows.append((open_at, single.start() + 1, '"', "'"))
        else:
            rows.append((open_at, limit, '"', "(none)"))
    table = pd.DataFrame(rows, columns=["start", "end", "opens_with", "closes_with"])
    table["quotation"] = [text[s:e] for s, e in zip(table["start"], table["end"], strict=True)]
    table["balanced"] = table["opens_with"] == table["closes_with"]
    return table
