"""Split a source text into sentences, for coverage counts.

Rule: a sentence ends at ``.``, ``!`` or ``?`` (with any closing quote mark right
after it) followed by whitespace, or at a line break; headline and subheading,
which have no final stop, are sentences of their own. A stop inside a quotation
("…with that. We are…") ends a sentence like any other.
"""

from __future__ import annotations

import re

import pandas as pd

_SENTENCE = re.compile(r"[^\n]+?(?:[.!?][\"']?(?=\s)|$)", re.MULTILINE)


def sentences(text: str) -> pd.DataFrame:
    """One row per sentence: ``start``, ``end`` (Python offsets) and ``sentence``."""
    rows = []
    for match in _SENTENCE.finditer(text):
        raw = match.group()
        lead = len(raw) - len(raw.lstrip())
        start, end = match.start() + lead, match.end()
        if start < end:
            rows.append((start, end, text[start:end]))
    return pd.DataFrame(rows, columns=["start", "end", "sentence"])
