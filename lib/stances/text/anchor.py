"""Find where a quote sits in a text: exact first, then tolerant of spacing and quote marks."""

from __future__ import annotations

import re
from dataclasses import dataclass

from stances.errors import show

# Typographic variants folded to their ASCII form before the tolerant search.
_FOLD = str.maketrans({"\u201c": '"', "\u201d": '"', "\u201e": '"', "\u00ab": '"', "\u00bb": '"',
                       "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u00a0": " "})
_QUOTE_MARKS = "\"'"


@dataclass(frozen=True)
class Match:
    start: int
    end: int
    exact: bool  # False when found only after normalising whitespace and quote marks


class AnchorError(LookupError):
    """The quote is not in the text, or it is there more than once."""

    def __init__(self, message: str, matches: tuple[Match, ...] = ()):
        super().__init__(message)
        self.matches = matches


def _all(pattern: re.Pattern, text: str) -> list[tuple[int, int]]:
    spans, pos = [], 0
    while (found := pattern.search(text, pos)) is not None:
        spans.append(found.span())
        pos = found.start() + 1
    return spans


def _tolerant(quote: str) -> re.Pattern:
    """A regex for the quote where any run of spaces matches any whitespace and any quote mark
    matches any quote mark."""
    parts = []
    for token in re.split(r"(\s+)", quote.translate(_FOLD).strip()):
        if not token:
            continue
        if token.isspace():
            parts.append(r"\s+")
        else:
            parts.append("".join(f"[{re.escape(_QUOTE_MARKS)}]" if ch in _QUOTE_MARKS else re.escape(ch)
                                 for ch in token))
    return re.compile("".join(parts))


def find_all(text: str, quote: str) -> tuple[Match, ...]:
    """Every place ``quote`` occurs: exact occurrences if any, else tolerant ones."""
    if not quote.strip():
        raise AnchorError("the quote is empty")
    if len(quote) - sum(map(len, re.findall(r"\s+", quote))) > len(text):
        return ()  # longer than the text even with its spacing squeezed: no match, and no huge regex
    exact = _all(re.compile(re.escape(quote)), text)
    if exact:
        return tuple(Match(s, e, True) for s, e in exact)
    folded = text.translate(_FOLD)  # same length as text: offsets carry over
    return tuple(Match(s, e, False) for s, e in _all(_tolerant(quote), folded))


SHOWN = 10  # occurrences an ambiguity message lists; AnchorError.matches keeps every one


def spans(matches: tuple[Match, ...], shown: int = SHOWN, numbered: bool = False) -> str:
    """``start-end`` of the first ``shown`` matches (``numbered``: ``1: start-end``, ...), and how
    many more there are."""
    listed = ", ".join(f"{f'{i}: ' if numbered else ''}{m.start}-{m.end}"
                       for i, m in enumerate(matches[:shown], 1))
    return listed + (f" and {len(matches) - shown} more" if len(matches) > shown else "")


def locate(text: str, quote: str, occurrence: int | None = None) -> Match:
    """The single place ``quote`` occurs in ``text``, or its ``occurrence``-th (1-based, in text
    order) when it occurs several times; ``AnchorError`` if none, several and no occurrence given,
    or fewer than ``occurrence``."""
    matches = find_all(text, quote)
    if not matches:
        raise AnchorError(f"quote not found: {show(quote, 120, count=True)}")
    if occurrence is not None:
        if occurrence < 1 or occurrence > len(matches):
            raise AnchorError(f"occurrence {occurrence} of {show(quote, 120, count=True)} asked for, "
                              f"but it occurs {len(matches)} time(s) (at {spans(matches)})", matches)
        return matches[occurrence - 1]
    if len(matches) > 1:
        raise AnchorError(f"quote is ambiguous: it occurs {len(matches)} times (at {spans(matches)}); "
                          "quote more context or give the occurrence to pick one", matches)
    return matches[0]


