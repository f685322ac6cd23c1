"""Read one CSV file into a table of strings (the exact text, so the checks report values as
written) with the file line of every row; the one CSV reader of the corpus.

pyarrow parses the file (10x faster than the ``csv`` module for a large study); a row with the
wrong number of fields is kept aside with its text, never parsed again in Python."""

from __future__ import annotations

import csv
import functools
import re
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv

from stances.errors import Problem

STRING = pd.StringDtype("pyarrow")  # the loaded tables' text columns
BLOCK = 16 << 20  # pyarrow parses in blocks of this many bytes; a longer row is refused ("straddles")
MAX_HEADER = 1 << 16  # bytes in the header row, under Python csv's field limit (128 KiB)
MAX_NAME = 256  # characters in a column name: a longer one is no name and would flood the messages


@dataclass
class Rows:
    """A table as written: ``table`` (an Arrow table, every column a string, empty cells ``""``;
    the checks run ``pyarrow.compute`` on its columns), ``header`` in file order, and ``lines``,
    the file line (1-based) of each row."""
    header: list[str]
    table: pa.Table
    lines: np.ndarray
    numbers: dict = field(default_factory=dict, repr=False)  # column -> int64 values, parsed once

    def __len__(self) -> int:
        return self.table.num_rows

    def __contains__(self, column: str) -> bool:
        return column in self.header

    def __getitem__(self, column: str) -> pa.ChunkedArray:
        return self.table.column(column)


def _parse(raw: bytes, header: list[str], skipped: list | None = None) -> pa.Table:
    """pyarrow's parse (values may hold line breaks; pyarrow checks that each is UTF-8). With
    ``skipped``, a row with the wrong number of fields is appended to it as (record number,
    fields, text) instead of failing the parse: only one thread numbers the rows, so that parse
    runs on one."""
    def skip(row) -> str:
        skipped.append((row.number, row.actual_columns, row.text))
        return "skip"

    return pacsv.read_csv(
        pa.py_buffer(raw),
        read_options=pacsv.ReadOptions(use_threads=skipped is None and len(raw) > BLOCK,
                                       block_size=BLOCK),
        parse_options=pacsv.ParseOptions(newlines_in_values=True, ignore_empty_lines=False,
                                         invalid_row_handler=None if skipped is None else skip),
        convert_options=pacsv.ConvertOptions(column_types=dict.fromkeys(header, pa.large_string()),
                                             strings_can_be_null=False,
                                             quoted_strings_can_be_null=False))


def _lines(raw: bytes, table: pa.Table, skipped: list) -> tuple[np.ndarray, list[int]]:
    """The file line of every kept row and of every skipped one: 2, plus the records and the line
    breaks inside values before it."""
    records = table.num_rows + len(skipped)
    kept = np.ones(records, dtype=bool)
    kept[[number - 2 for number, _, _ in skipped]] = False
    line = np.arange(2, records + 2)
    if raw.count(b"\n") - raw.endswith(b"\n") != records:  # some value holds a line break
        breaks = np.zeros(records, dtype=np.int64)
        breaks[kept] = sum(pc.count_substring(column, "\n").to_numpy() for column in table.columns)
        breaks[~kept] = [text.count("\n") for _, _, text in skipped]
        line += np.concatenate([[0], np.cumsum(breaks)[:-1]])
    return line[kept], line[~kept].tolist()


def _utf8_problems(raw: bytes, shown: str, header: list[str]) -> list[Problem]:
    """One problem per run of bytes that is not UTF-8, in one pass over the file."""
    text = raw.decode("utf-8", errors="surrogateescape")  # each bad byte -> one surrogate
    problems, line, last, line_start = [], 1, 0, 0
    for bad in re.finditer("[\udc80-\udcff]+", text):
        at = bad.start()
        breaks = text.count("\n", last, at)
        if breaks:
            line += breaks
            line_start = text.rfind("\n", last, at) + 1
        last = at
        prefix = text[line_start:at]
        # The CSV field the byte is in: commas outside quotes before it on its line.
        field = sum(part.count(",") for part in prefix.split('"')[::2])
        column = header[field] if line > 1 and field < len(header) else "-"
        problems.append(Problem(shown, line, column,
                                f"byte 0x{ord(bad.group()[0]) - 0xDC00:02x} at character "
                                f"{len(prefix) + 1} is not UTF-8 (save the file as UTF-8)", "utf-8"))
    return problems


def _is_utf8(raw: bytes) -> bool:
    """Whether ``raw`` is UTF-8, checked by Arrow's cast (5x faster than ``bytes.decode``)."""
    try:
        raw.isascii() or pc.cast(pa.array([raw], pa.large_binary()), pa.large_string())
    except pa.ArrowInvalid:
        return False
    return True


def read_csv(raw: bytes, shown: str) -> tuple[Rows | None, list[Problem]]:
    """Parse ``raw`` (the bytes of the file ``shown``); return its rows and its problems."""
    def fail(message: str, line: int = 1, check: str = "file"):
        return None, [Problem(shown, line, "-", message, check)]

    if not raw or raw.isspace():
        return fail("file is empty (expected a header row)")
    if raw.startswith(b"\xef\xbb\xbf"):  # Excel's "UTF-8"; the mark would hide in the first column name
        return fail("file starts with a byte-order mark; save it as UTF-8 without BOM")
    newline = raw.find(b"\n", 0, MAX_HEADER + 1)
    if newline < 0 and len(raw) > MAX_HEADER:
        return fail(f"the header row is longer than {MAX_HEADER >> 10} KiB (column names are short)")
    first_line = raw if newline < 0 else raw[: newline + 1]
    header = next(csv.reader([first_line.decode("utf-8", errors="replace").splitlines()[0]]))
    if any(len(name) > MAX_NAME for name in header):
        return None, [Problem(shown, 1, "-", f"column {i + 1}'s name is {len(name):,} characters long "
                              f"(at most {MAX_NAME})", "columns")
                      for i, name in enumerate(header) if len(name) > MAX_NAME]
    if not _is_utf8(first_line):  # the header before its names
        return None, _utf8_problems(raw, shown, header)
    repeated = sorted({name for name in header if header.count(name) > 1})
    if repeated:
        return None, [Problem(shown, 1, name, "column appears more than once", "columns")
                      for name in repeated]
    skipped = []
    try:
        table = _parse(raw, header)
    except pa.ArrowInvalid:  # a value that is not UTF-8, or a row of the wrong length
        if not _is_utf8(raw):  # before the rows are handed to a handler, which decodes them
            return None, _utf8_problems(raw, shown, header)
        try:
            table = _parse(raw, header, skipped)
        except pa.ArrowInvalid as err:
            return fail(f"cannot parse CSV: {err}", line=0, check="row")
    if table.column_names != header:
        return fail("cannot read the header row", check="columns")
    lines, skipped_lines = _lines(raw, table, skipped)
    problems = [Problem(shown, line, "-", "a quote is never closed (the rest of the file is "
                        "inside it)" if text.count('"') % 2 else
                        f"row has {fields} fields, the header has {len(header)}", "row")
                for (_, fields, text), line in zip(skipped, skipped_lines, strict=True)]
    blank = functools.reduce(pc.and_, (pc.equal(column, "") for column in table.columns))
    if pc.any(blank).as_py():
        blank = blank.to_numpy(zero_copy_only=False)
        problems += [Problem(shown, int(line), "-", "blank row (delete it)", "row") for line in lines[blank]]
        table, lines = table.filter(pa.array(~blank)), lines[~blank]
    # A header with no rows is a table of zero rows (a study not yet coded); no header at all
    # is refused above ("file is empty").
    return Rows(header, table, lines), sorted(problems, key=lambda p: p.line)
