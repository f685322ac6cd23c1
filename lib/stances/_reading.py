"""Read one CSV file into columns of strings, with the file line of every row.

Nothing is converted here: every value stays the exact string in the file, so the
checks can report it as written. pyarrow parses well-formed files quickly; a file
with ragged rows, blank lines or undecodable bytes is re-read with Python's csv
module so that each problem gets its true line number.
"""

from __future__ import annotations

import csv
import io
import mmap
import os
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv

from ._errors import Problem

# Arrow type of every column. large_string is what pandas' "string" dtype holds, so the typed
# DataFrames can share the parsed string data instead of copying it.
STRING = pa.large_string()
MAP_AT_LEAST = 1 << 20  # files from this size on are memory-mapped rather than read into memory


@dataclass
class RawTable:
    """A table as strings: ``columns`` in file order, ``lines`` (1-based) for each row.

    A column is a pyarrow ``large_string`` ``Array`` or, straight from the fast parser, a
    ``ChunkedArray``.
    """

    header: list[str]
    columns: dict[str, pa.Array | pa.ChunkedArray]
    lines: np.ndarray

    def __len__(self) -> int:
        return len(self.lines)


def _utf8_problems(raw: bytes, shown: str) -> list[Problem]:
    """One problem per byte sequence that is not UTF-8: line, CSV column, character position."""
    first_line = raw[: raw.find(b"\n") if b"\n" in raw[:1 << 20] else 1 << 20]
    header = next(csv.reader([first_line.decode("utf-8", errors="replace").rstrip("\r")]), [])
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
            field = len(next(csv.reader([prefix + "x"]), [""]))
            column = header[field - 1] if line > 1 and field <= len(header) else "-"
            problems.append(
                Problem(shown, line, column,
                        f"byte 0x{raw[at]:02x} at character {len(prefix) + 1} is not UTF-8 "
                        "(save the file as UTF-8)")
            )
            pos = pos + err.end


def _is_utf8(raw: bytes) -> bool:
    try:
        raw.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def _parse(raw: bytes | mmap.mmap, header: list[str], newlines_in_values: bool) -> pa.Table | None:
    # A ragged row or a byte that is not UTF-8 makes pyarrow raise (check_utf8 is on and every
    # column is read as a string), which sends the file down the careful path. No
    # invalid_row_handler: a Python callback would make the parse much slower.
    try:
        return pacsv.read_csv(
            pa.BufferReader(raw),  # zero-copy; io.BytesIO would copy the file through Python
            parse_options=pacsv.ParseOptions(newlines_in_values=newlines_in_values,
                                             ignore_empty_lines=False),
            convert_options=pacsv.ConvertOptions(
                column_types={name: STRING for name in header},
                strings_can_be_null=False,
                quoted_strings_can_be_null=False,
            ),
        )
    except (pa.ArrowInvalid, pa.ArrowKeyError):
        return None


def _one_row_per_line(table: pa.Table, lines: int, header: list[str]) -> bool:
    """Whether a parse that assumed no line breaks inside values got every row right.

    ``lines`` counts the LF-terminated lines after the header (the file has no CR). If there
    are as many rows, every LF ended a row, so none was inside a value (a row cannot end
    without one, except the last at the end of the file): each line is one row, which is also
    how a parse allowing line breaks in values reads the file.
    """
    return table.column_names == header and table.num_rows == lines


def _fast(raw: bytes | mmap.mmap, header: list[str]) -> RawTable | None:
    """Parse with pyarrow; None when the file needs the careful path."""
    table = None
    lines_after_header = _newlines(raw) - (raw[-1:] == b"\n")
    if raw.find(b"\r") < 0:
        # First with newlines_in_values off: pyarrow then splits the file at line ends and
        # parses the pieces in parallel, about a third faster. Kept only when it provably
        # matches a parse that allows line breaks in values; otherwise parsed again with them.
        table = _parse(raw, header, newlines_in_values=False)
        if table is not None and not _one_row_per_line(table, lines_after_header, header):
            table = None
    if table is None:
        table = _parse(raw, header, newlines_in_values=True)
    if table is None:
        return None
    if table.column_names != header:
        return None
    # Chunked as parsed: combining the chunks would copy the whole table for nothing.
    columns = {name: table.column(name) for name in header}
    n = table.num_rows
    if n and len(header) > 0:
        blank = None
        for col in columns.values():  # stops at the first column with no empty value left
            empty = pc.equal(col, "")
            blank = empty if blank is None else pc.and_(blank, empty)
            if not pc.any(blank).as_py():
                break
        else:
            return None  # a blank line or a row of empty fields: let the careful path say where
    lines = np.arange(2, n + 2, dtype=np.int64)
    if lines_after_header != n:  # some values span lines
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
    columns = {name: pa.array([r[i] for r in rows], STRING) for i, name in enumerate(header)}
    return RawTable(header, columns, np.asarray(lines, dtype=np.int64)), problems


def file_bytes(path: Path) -> bytes | mmap.mmap:
    """The bytes of ``path``: a read-only memory map for a large file (no copy), else ``bytes``."""
    with open(path, "rb") as handle:
        size = os.fstat(handle.fileno()).st_size
        if size < MAP_AT_LEAST:
            return handle.read()
        return mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ)


def _all_whitespace(raw: bytes | mmap.mmap) -> bool:
    """``not raw.strip()``, without copying the file."""
    if isinstance(raw, bytes):
        return not raw or raw.isspace()
    head = raw[:65536]
    return not head or (head.isspace() and bytes(raw).isspace())


def _newlines(raw: bytes | mmap.mmap) -> int:
    """``raw.count(b"\\n")``, also for a memory map."""
    if isinstance(raw, bytes):
        return raw.count(b"\n")
    data, block = np.frombuffer(raw, dtype=np.uint8), 1 << 22
    return sum(int(np.count_nonzero(data[lo : lo + block] == 10)) for lo in range(0, len(data), block))


def read_csv(raw: bytes | mmap.mmap, shown: str) -> tuple[RawTable | None, list[Problem]]:
    """Parse ``raw`` (the bytes of the file ``shown``); return the table and its problems."""
    if _all_whitespace(raw):
        return None, [Problem(shown, 1, "-", "file is empty (expected a header row)")]
    if raw[:3] == b"\xef\xbb\xbf":  # Excel's "UTF-8"; the mark would hide in the first column name
        return None, [Problem(shown, 1, "-", "file starts with a byte-order mark; save it as UTF-8 "
                                             "without BOM")]
    # The header is the first line of the decoded text. Only the bytes up to the first LF are
    # decoded for it: every other line break splitlines() knows lies before that LF, if any.
    newline = raw.find(b"\n")
    first_line = raw[:] if newline < 0 else raw[: newline + 1]  # bytes, also from a memory map
    header = next(csv.reader([first_line.decode("utf-8", errors="replace").splitlines()[0]]))
    duplicated = sorted({name for name in header if header.count(name) > 1})
    if not duplicated and _is_utf8(first_line):
        # pyarrow checks that every value is UTF-8; a file it cannot take goes the careful way
        # below, which looks for bad bytes first, so the problems reported are the same.
        table = _fast(raw, header)
        if table is not None:
            if len(table) == 0:
                return table, [Problem(shown, 1, "-", "table has no rows (only a header)")]
            return table, []
    raw = bytes(raw)  # the careful path works on a copy of a memory-mapped file
    problems = _utf8_problems(raw, shown)
    problems += [Problem(shown, 1, name, "column appears more than once") for name in duplicated]
    if problems:
        return None, problems
    table, problems = _careful(raw.decode("utf-8", errors="replace"), header, shown)
    if len(table) == 0 and not problems:
        problems.append(Problem(shown, 1, "-", "table has no rows (only a header)"))
    return table, problems
