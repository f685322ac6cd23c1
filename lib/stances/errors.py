"""Problems found in a corpus, reported all at once like a compiler's errors."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

SHOWN_PER_COLUMN = 5  # by default, the first problems of each file and column are printed
_INVISIBLE = re.compile(r"[^\S ]|[\x00-\x1f\x7f-\x9f\u200b-\u200f\u2028-\u202e\u2060-\u2064\ufeff]"
                        r"|[\ud800-\udfff]")  # a lone surrogate (from a JSON "\ud800") cannot be printed


def printable(text: str) -> str:
    """``text`` with control, format and line-break characters escaped (``\\x1b``, ``\\u200b``),
    so that a value from a file cannot move the cursor, ring the bell or hide in a message."""
    return _INVISIBLE.sub(lambda m: m.group().encode("unicode_escape").decode("ascii"), text)


def clip(text: str, limit: int) -> str:
    """``text`` cut to ``limit`` characters, the last one "…" when it is cut."""
    return text if len(text) <= limit else text[: limit - 1] + "…"


def shorten(text: str, limit: int) -> str:
    """``text`` cut to its first ``limit`` characters, followed by its length, when longer."""
    return text if len(text) <= limit else f"{text[:limit]}... ({len(text)} characters)"


def show(value: str, limit: int = 60, count: bool = False) -> str:
    """A value as it appears in a message: quoted, shortened when long (``count``: to its first
    ``limit`` characters, followed by its length), invisibles escaped. The one shortener of
    messages."""
    if count and len(value) > limit:
        return f"{value[:limit]!r}... ({len(value)} characters)"
    return repr(clip(value, limit))


def plural(count: int, noun: str) -> str:
    return f"{count} {noun}{'s' if count != 1 else ''}"


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with the data, located as ``path:line: column: message``.

    ``line`` is the line in the file (the CSV header is line 1); 0 means the whole file.
    ``column`` is the CSV column, a JSON path in ``datapackage.json``, or ``-``. ``check``
    names the rule that found it (for counts).
    """

    path: str
    line: int
    column: str
    message: str
    check: str = field(default="", compare=False)

    def __str__(self) -> str:
        return printable(f"{self.path}:{self.line}: {self.column}: {self.message}")


def capped(problems: list[Problem], limit: int = SHOWN_PER_COLUMN) -> tuple[list[Problem], list[str]]:
    """The first ``limit`` problems of each file and column (of the descriptor: of the file), and
    one line per check for the rest."""
    seen, shown, hidden = Counter(), [], Counter()
    for problem in problems:
        # In datapackage.json the column is a JSON path, one per field: they count together.
        column = problem.check if problem.check == "package" else problem.column
        seen[problem.path, column] += 1
        if seen[problem.path, column] <= limit:
            shown.append(problem)
        else:
            hidden[problem.path, problem.check or problem.column] += 1
    return shown, [printable(f"{path}: {plural(count, 'more problem')} of the check '{check}' not shown")
                   for (path, check), count in hidden.items()]


class CorpusError(ValueError):
    """The corpus is invalid. ``problems`` lists every problem found, in file order; the message
    shows the first of each file and column and counts the rest (readable for a million)."""

    def __init__(self, problems: list[Problem]):
        self.problems = list(problems)
        shown, notes = capped(self.problems)
        head = f"{plural(len(self.problems), 'problem')} in the corpus:"
        super().__init__("\n".join([head, *map(str, shown), *notes]))
