"""Where a text's sentences end: the one definition of a sentence, for coverage counts, sentence
numbers, span checks, the suggester's clauses and the headline a thesis variant leaves out.

Each line is split by sentencex (Wikimedia's rule-based segmenter; 43 of the 48 English Golden
Rules, and every abbreviation, title, initial, decimal and quotation case among them: see
benchmarks/README.md), which keeps "U.N.", "Mr.", "J. R. R. Tolkien", "3.5 percent" and a stop
inside a quotation ("…with that. We are…") inside the sentence. A line break always ends a
sentence, so headline and subheading, which have no final stop, are sentences of their own.

sentencex only says where sentences end: the sentences are cut from the text itself, so the
offsets are exact Python ``str`` indices and no character is lost; a sentence never starts or
ends with whitespace.
"""

from __future__ import annotations

import re

import pandas as pd
from sentencex import segment

_LINE = re.compile(r"[^\n]+")
STOPS = ".!?"  # a sentence's final stop; a closing quote mark may follow it
_STOPPED = re.compile(rf"[{re.escape(STOPS)}][\"'’”]?$")


def _ends(line: str) -> list[int]:
    """Where the sentences of ``line`` end, in order (the last: ``len(line)``)."""
    ends, cursor = [], 0
    for piece in segment("en", line):
        piece = piece.strip()
        found = line.find(piece, cursor) if piece else -1
        if found >= 0:  # a piece not found verbatim joins the next sentence: nothing is lost
            cursor = found + len(piece)
            ends.append(cursor)
    return [*ends, len(line)] if not ends or ends[-1] < len(line) else ends


def sentences(text: str) -> pd.DataFrame:
    """One row per sentence: ``start``, ``end`` (Python offsets) and ``sentence``."""
    rows = []
    for match in _LINE.finditer(text):
        line, offset, start = match.group(), match.start(), 0
        for end in _ends(line):
            piece = line[start:end]
            lead, trail = len(piece) - len(piece.lstrip()), len(piece) - len(piece.rstrip())
            if lead < len(piece):
                first, last = offset + start + lead, offset + end - trail
                rows.append((first, last, text[first:last]))
            start = end
    return pd.DataFrame(rows, columns=["start", "end", "sentence"])


def headline_end(text: str) -> int:
    """Where the text's opening sentences without a final stop (its headline and subheading) end;
    0 when the first sentence has one, the text's last sentence end when none has."""
    table = sentences(text)
    stopped = [bool(_STOPPED.search(sentence)) for sentence in table["sentence"]]
    opening = stopped.index(True) if True in stopped else len(table)
    return int(table["end"].iloc[opening - 1]) if opening else 0
