"""Quotation marks in a text: where each quotation opens and which mark closes it (a text
tool, like ``anchor``; source criticism uses it to find quote-mark slips, the suggester to find
direct quotations).

Marks read, as newswire writes them: straight ``"``, typographic ``“ ”``, low ``„`` (closed by
``“`` or ``”``), guillemets ``« »``, and typographic single quotes ``‘ ’``. A straight single
``'`` opens no quotation (it is an apostrophe far more often), but may close an unbalanced
``"`` (a slip that source criticism reports).
"""

from __future__ import annotations

import re

import pandas as pd

_CLOSING_SINGLE = re.compile(r"(?<=\S)'(?!\w)")
_DOUBLE_OPENERS = {'"': '"', "\u201c": "\u201d", "\u201e": "\u201c\u201d", "\u00ab": "\u00bb"}
_SINGLE_OPENERS = {"\u2018": "\u2019"}
_OPENING_MARKS = re.compile("[\"\u201c\u201e\u00ab\u2018]")


def _opens(text: str, i: int) -> bool:
    """A straight ``"`` or a ``‘`` opens after a space, a line start, a bracket or a dash;
    ``“``, ``„`` and ``«`` always open."""
    if text[i] in '"\u2018':
        return i == 0 or text[i - 1] in " \t\n([\u2014\u2013"
    return True


def _close(text: str, mark: str, start: int, limit: int) -> int | None:
    """The offset of the mark that closes the quotation opened by ``mark`` at ``start``."""
    closers = {**_DOUBLE_OPENERS, **_SINGLE_OPENERS}[mark]
    for i in range(start + 1, limit):
        if text[i] in closers and (mark != "\u2018" or not (i + 1 < len(text) and text[i + 1].isalnum())):
            return i
    return None


def inside_quotation(text: str, at: int) -> bool:
    """Whether a quotation is open at ``at``: an odd number of straight quote marks, or more
    opening than closing curly ones, since the start of its line."""
    line = text[text.rfind("\n", 0, at) + 1 : at]
    return line.count('"') % 2 == 1 or line.count("\u201c") > line.count("\u201d")


def quotations(text: str) -> pd.DataFrame:
    """Every quotation, with the mark that closes it.

    A quotation runs to its closing mark, at the latest to the next quotation opened with the
    same kind of mark (double or single) or the end of its paragraph. A straight ``"`` with no
    ``"`` before that is unbalanced; its closing mark is then the first single quote before
    the limit that ends a word and is not followed by a letter (so not an apostrophe), if any.
    ``closes_with`` is ``(none)`` for a quotation left open to the end of its paragraph (newswire
    leaves it open when the next paragraph goes on with the same speaker's words).
    """
    opening, low = [], None  # low: where a „ opened that no “ or ” has closed yet
    for found in _OPENING_MARKS.finditer(text):
        i = found.start()
        if low is not None and any(c in text[low:i] for c in "\u201d\n"):
            low = None
        if text[i] == "\u201c" and low is not None:  # „…“ closes here
            low = None
        elif _opens(text, i):
            opening.append(i)
            low = i if text[i] == "\u201e" else None
    rows = []
    for k, open_at in enumerate(opening):
        single = text[open_at] in _SINGLE_OPENERS
        later = [i for i in opening[k + 1:] if (text[i] in _SINGLE_OPENERS) == single]
        limit = later[0] if later else len(text)
        paragraph_end = text.find("\n", open_at)
        limit = min(limit, paragraph_end if paragraph_end >= 0 else len(text))
        mark = text[open_at]
        close = _close(text, mark, open_at, limit)
        if close is not None:
            rows.append((open_at, close + 1, mark, text[close]))
            continue
        fallback = _CLOSING_SINGLE.search(text, open_at + 1, limit) if mark == '"' else None
        if fallback is not None:
            rows.append((open_at, fallback.start() + 1, mark, "'"))
        else:
            rows.append((open_at, limit, mark, "(none)"))
    table = pd.DataFrame(rows, columns=["start", "end", "opens_with", "closes_with"])
    table["quotation"] = [text[s:e] for s, e in zip(table["start"], table["end"], strict=True)]
    pairs = {**_DOUBLE_OPENERS, **_SINGLE_OPENERS}
    table["balanced"] = [closing in pairs[opening] for opening, closing
                         in zip(table["opens_with"], table["closes_with"], strict=True)]
    return table
