"""Split a source text into sentences, for coverage counts, sentence numbers and span checks.

Each line is split by pySBD (rule-based, English; 47 of the 48 English Golden Rules, see
benchmarks/README.md), which keeps abbreviations and titles ("U.N.", "Mr."), initials
("J. R. R. Tolkien"), decimals ("3.5 percent") and a stop inside a quotation
("…with that. We are…") inside the sentence. A line break always ends a sentence, so
headline and subheading, which have no final stop, are sentences of their own.

pySBD only says where sentences end: the sentences are cut from the text itself, so the
offsets are exact Python ``str`` indices and no character is lost, even where pySBD drops or
rewrites some of a line (it can, on runs of stray punctuation); a sentence never starts or
ends with whitespace.
"""

from __future__ import annotations

import re
from functools import cache, lru_cache

import pandas as pd

_LINE = re.compile(r"[^\n]+")
WINDOW = 2000  # characters: the longest line pySBD reads at once


@cache
def _segmenter():
    import pysbd  # imported on first use: the loader and the CLI need it only for texts

    return pysbd.Segmenter(language="en", clean=False)


def _found(line: str) -> list[int]:
    """Offsets in ``line`` after each sentence pySBD finds there, in order."""
    ends, cursor = [], 0
    for piece in _segmenter().segment(line):
        piece = piece.strip()
        found = line.find(piece, cursor) if piece else -1
        if found >= 0:  # a piece pySBD rewrote is not found: its text joins the next sentence
            cursor = found + len(piece)
            ends.append(cursor)
    return ends


def _ends(line: str) -> list[int]:
    """Where the sentences of ``line`` end (the last: ``len(line)``). pySBD's time grows with
    the square of a text's length (a pass over the whole text per abbreviation), so a line
    longer than ``WINDOW`` goes in windows of that size: of each, only the ends at least
    ``WINDOW // 4`` before its edge are kept (a window without one is doubled), and the next
    window starts at the last end kept."""
    ends, base, size = [], 0, WINDOW
    while len(line) - base > size:
        kept = [e for e in _found(line[base : base + size]) if e <= size - WINDOW // 4]
        if kept:
            ends += [base + e for e in kept]
            base, size = base + kept[-1], WINDOW
        else:
            size *= 2
    ends += [base + e for e in _found(line[base:])]
    return [*ends, len(line)] if not ends or ends[-1] < len(line) else ends


def sentences(text: str) -> pd.DataFrame:
    """One row per sentence: ``start``, ``end`` (Python offsets) and ``sentence``."""
    return pd.DataFrame(list(_rows(text)), columns=["start", "end", "sentence"])


@lru_cache(maxsize=32)  # a document is split by coverage, checks and suggest alike: ~4 ms a page
def _rows(text: str) -> tuple[tuple[int, int, str], ...]:
    rows = []
    for match in _LINE.finditer(text):
        line, offset, start = match.group(), match.start(), 0
        if not line.strip():
            continue
        for end in _ends(line):
            piece = line[start:end]
            lead, trail = len(piece) - len(piece.lstrip()), len(piece) - len(piece.rstrip())
            if lead < len(piece):
                first, last = offset + start + lead, offset + end - trail
                rows.append((first, last, text[first:last]))
            start = end
    return tuple(rows)
