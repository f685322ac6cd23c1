"""Read one CSV file into columns of strings, with the file line of every row.

Nothing is converted here: every value stays the exact string in the file, so the
checks can report it as written. pyarrow parses well-formed files quickly; a file
with ragged rows, blank lines or undecodable bytes is re-read with Python's csv
module so that each problem gets its true line number.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv

from .errors import Problem


@dataclass
class RawTable:
    """A table as strings: ``columns`` in file order, ``lines`` (1-based) for each row."""

    header: list[str]
    columns: dict[str, pa.Array]
    lines: np.ndarray

    def __len__(self) -> int:
        return len(self.lines)


def _utf8_problems(raw: bytes, shown: str) -> list[Problem]:
    problems, pos = [], 0
    while True:
        try:
            raw[pos:].decode("utf-8")
            return problems
        except UnicodeDecodeError as err:
            at = pos + err.start
            line_start = raw.rfind(b"\n", 0, at) + 1
            line = raw.count(b"\n", 0, at) + 1
            prefix = raw[line_start:at].decode("utf-8", errors="replace")
            field = next(csv.reader([prefix + "x"]), [""])
            problems.append(
                Problem(shown, line, f"field {len(field)}",
                        f"byte 0x{raw[at]:02x} at character {at - line_start + 1} is not UTF-8 "
                        "(save the file as UTF-8)")
            )
            pos = pos + err.end


def _fast(raw: bytes, header: list[str]) -> RawTable | None:
    """Parse with pyarrow; None when the file needs the careful path."""
    ragged = []

    def on_invalid_row(row):
        ragged.append(row)
        return "skip"

    try:
        table = pacsv.read_csv(
            io.BytesIO(raw),
            parse_options=pacsv.ParseOptions(
                newlines_in_values=True, ignore_empty_lines=False, invalid_row_handler=on_invalid_row
            ),
            convert_options=pacsv.ConvertOptions(
                column_types={name: pa.string() for name in header},
                strings_can_be_null=False,
                quoted_strings_can_be_null=False,
            ),
        )
    except (pa.ArrowInvalid, pa.ArrowKeyError):
        return None
    if ragged or table.column_names != header:
        return None
    columns = {name: table.column(name).combine_chunks() for name in header}
    n = table.num_rows
    if n and len(header) > 0:
        blank = None
        for col in columns.values():
            empty = pc.equal(pc.binary_length(col), 0)
            blank = empty if blank is None else pc.and_(blank, empty)
        if pc.any(blank).as_py():
            return None  # a blank line or a row of empty fields: let the careful path say where
    lines = np.arange(2, n + 2, dtype=np.int64)
    if raw.count(b"\n") - raw.endswith(b"\n") != n:  # some values span lines
        newlines = np.zeros(n, dtype=np.int64)
        for col in columns.values():
            newlines += pc.count_substring(col, "\n").to_numpy(zero_copy_only=False)
        lines += np.concatenate([[0], np.cumsum(newlines)[:-1]]) if n else newlines
    return RawTable(header, columns, lines)


def _careful(text: str, header: list[str], shown: str) -> tuple[RawTable, list[Problem]]:
    problems, rows, lines = [], [], []
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    next(reader)
    previous_end = reader.line_num
    try:
        for record in reader:
            line = previous_end + 1
            previous_end = reader.line_num
            if not record or all(value == "" for value in record):
                problems.append(Problem(shown, line, "-", "blank row (delete it)"))
            elif len(record) != len(header):
                problems.append(Problem(shown, line, "-",
                                        f"row has {len(record)} fields, the header has {len(header)}"))
            else:
                rows.append(record)
                lines.append(line)
    except csv.Error as err:
        problems.append(Problem(shown, reader.line_num, "-", f"cannot parse CSV: {err}"))
    columns = {name: pa.array([r[i] for r in rows], pa.string()) for i, name in enumerate(header)}
    return RawTable(header, columns, np.asarray(lines, dtype=np.int64)), problems


def read_csv(raw: bytes, shown: str) -> tuple[RawTable | None, list[Problem]]:
    """Parse ``raw`` (the bytes of the file ``shown``); return the table and its problems."""
    if not raw.strip():
        return None, [Problem(shown, 1, "-", "file is empty (expected a header row)")]
    problems = _utf8_problems(raw, shown)
    text = raw.decode("utf-8", errors="replace")
    header = next(csv.reader([text.splitlines()[0]]))
    duplicated = sorted({name for name in header if header.count(name) > 1})
    problems += [Problem(shown, 1, name, "column appears more than once") for name in duplicated]
    if problems:
        return None, problems
    table = _fast(raw, header)
    if table is None:
        table, problems = _careful(text, header, shown)
    if len(table) == 0 and not problems:
        problems.append(Problem(shown, 1, "-", "table has no rows (only a header)"))
    return table, problems
