"""Problems found in a corpus, reported all at once like a compiler's errors."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with the data, located as ``path:line: column: message``.

    ``line`` is the line in the file (the CSV header is line 1); 0 means the
    problem concerns the whole file. ``column`` is the CSV column, or ``-``.
    """

    path: str
    line: int
    column: str
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.column}: {self.message}"


class CorpusError(ValueError):
    """The corpus is invalid. ``problems`` lists every problem found, in file order."""

    def __init__(self, problems: list[Problem]):
        self.problems = list(problems)
        count = len(self.problems)
        head = f"{count} problem{'s' if count != 1 else ''} in the corpus:"
        super().__init__("\n".join([head, *map(str, self.problems)]))
