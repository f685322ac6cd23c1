"""Read one CSV file into columns of strings (the exact text, so the checks report values as
written), with the file line of every row. pyarrow parses every file, good or bad: a row with
the wrong number of fields costs a callback, not a re-parse in Python. Every step is linear in
the size of the file, also for a file that is not UTF-8."""

from __future__ import annotations

import csv
import functools
import mmap
import os
import re
import stat
from dataclasses import dataclass, field

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv

from stances.errors import Problem

# large_string is what pandas' "string" dtype holds: the DataFrames share the parsed data.
STRING = pa.large_string()
MAP_AT_LEAST = 1 << 20  # files from this size on are memory-mapped rather than read into memory
BLOCK = 1 << 20  # pyarrow's block; a row longer than this is parsed again with one block
MAX_HEADER = 1 << 16  # bytes in the header row, under Python csv's field limit (128 KiB)
MAX_NAME = 256  # characters in a column name: a longer one is no name and would flood the messages


@dataclass
class RawTable:
    """A table as strings: ``columns`` (pyarrow ``large_string``) in file order, ``lines``
    (1-based) for each row, and what the checks and the DataFrame share, computed once."""
    header: list[str]
    columns: dict[str, pa.ChunkedArray]
    lines: np.ndarray
    cache: dict = field(default_factory=dict, repr=False)

    def __len__(self) -> int:
        return len(self.lines)

    def once(self, what: str, name: str, compute):
        """``compute(the column)``, computed on the first call only."""
        if (what, name) not in self.cache:
            self.cache[what, name] = compute(self.columns[name])
        return self.cache[what, name]

    def empty(self, name: str) -> pa.ChunkedArray:
        return self.once("empty", name, lambda column: pc.equal(column, ""))

    def codes(self, name: str, values: tuple[str, ...]) -> pa.ChunkedArray:
        """The position of each value of column ``name`` in ``values`` (null when not there)."""
        return self.once("codes", name, lambda c: pc.index_in(c, value_set=pa.array(values, c.type)))


def file_bytes(path: str | os.PathLike) -> tuple[bytes | mmap.mmap | None, str]:
    """The bytes of a regular file (a read-only map when large), or None and why not."""
    handle = None
    try:  # non-blocking, so that opening a FIFO does not wait for a writer
        handle = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
        info = os.fstat(handle)
        if not stat.S_ISREG(info.st_mode):
            return None, ("is a directory, not a file" if stat.S_ISDIR(info.st_mode)
                          else "is not a regular file")
        if info.st_size >= MAP_AT_LEAST:
            return mmap.mmap(handle, 0, access=mmap.ACCESS_READ), ""
        return os.read(handle, info.st_size), ""  # one call: a regular file is read whole
    except FileNotFoundError:
        return None, "does not exist"
    except OSError as err:
        return None, f"cannot be read ({err.strerror or err})"
    finally:
        if handle is not None:
            os.close(handle)


def _parse(raw, header: list[str]):
    """pyarrow's parse; returns the table and the rows it skipped as (record number, fields, text).

    Values may hold line breaks. Every row with the wrong number of fields goes to
    ``invalid_row_handler`` with its record number, which needs one thread: measured with the
    UTF-8 check, 0.38 s for 1M statements against 0.39 s for pyarrow's threaded parse alone.
    """
    skipped = []

    def skip(row) -> str:
        skipped.append((row.number, row.actual_columns, row.text))
        return "skip"

    block = BLOCK
    while True:
        try:
            table = pacsv.read_csv(
                pa.BufferReader(raw),  # zero-copy; io.BytesIO would copy the file through Python
                read_options=pacsv.ReadOptions(use_threads=False, block_size=block),
                parse_options=pacsv.ParseOptions(newlines_in_values=True, ignore_empty_lines=False,
                                                 invalid_row_handler=skip),
                convert_options=pacsv.ConvertOptions(
                    column_types=dict.fromkeys(header, STRING),
                    strings_can_be_null=False, quoted_strings_can_be_null=False),
            )
            return table, skipped
        except pa.ArrowInvalid as err:
            if "straddling" not in str(err) or block >= len(raw):
                raise
            block, skipped = min(block * 16, len(raw) + 1), []


def _record_lines(raw, table: pa.Table, skipped: list):
    """The file line of every kept row and of every skipped row: 2 plus the rows and the line
    breaks inside values before it (counted only when some value holds one)."""
    records = table.num_rows + len(skipped)
    kept = np.ones(records, dtype=bool)
    for number, _, _ in skipped:
        kept[number - 2] = False
    breaks = np.zeros(records, dtype=np.int64)
    data = np.frombuffer(raw, dtype=np.uint8)  # counted in blocks: no file-sized temporary
    newlines = sum(int(np.count_nonzero(data[lo : lo + BLOCK] == 10)) for lo in range(0, len(data), BLOCK))
    if newlines - (raw[-1:] == b"\n") != records:  # some value holds a line break
        for col in table.columns:
            breaks[kept] += pc.count_substring(col, "\n").to_numpy(zero_copy_only=False)
        breaks[~kept] = [text.count("\n") for _, _, text in skipped]
    line = np.arange(2, records + 2, dtype=np.int64)
    line[1:] += np.cumsum(breaks)[:-1]
    return line[kept], line[~kept]


def _is_utf8(raw) -> bool:
    """Whether the whole file is UTF-8, checked by Arrow in C without copying it."""
    offsets = pa.array([0, len(raw)], pa.int64()).buffers()[1]
    try:
        pa.Array.from_buffers(STRING, 1, [None, offsets, pa.py_buffer(raw)]).validate(full=True)
    except pa.ArrowInvalid:
        return False
    return True


def _utf8_problems(raw, shown: str, header: list[str]) -> list[Problem]:
    """One problem per run of bytes that is not UTF-8, in one pass over the file."""
    text = bytes(raw).decode("utf-8", errors="surrogateescape")  # each bad byte -> one surrogate
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


def read_csv(raw, shown: str) -> tuple[RawTable | None, list[Problem]]:
    """Parse ``raw`` (the bytes of the file ``shown``); return the table and its problems."""
    def fail(message: str, line: int = 1, check: str = "file"):
        return None, [Problem(shown, line, "-", message, check)]

    if not raw[:65536].strip() and not bytes(raw).strip():
        return fail("file is empty (expected a header row)")
    if raw[:3] == b"\xef\xbb\xbf":  # Excel's "UTF-8"; the mark would hide in the first column name
        return fail("file starts with a byte-order mark; save it as UTF-8 without BOM")
    newline = raw.find(b"\n", 0, MAX_HEADER + 1)
    if newline < 0 and len(raw) > MAX_HEADER:
        return fail(f"the header row is longer than {MAX_HEADER >> 10} KiB (column names are short)")
    first_line = raw[:] if newline < 0 else raw[: newline + 1]  # bytes, also from a memory map
    header = next(csv.reader([first_line.decode("utf-8", errors="replace").splitlines()[0]]))
    if any(len(name) > MAX_NAME for name in header):
        return None, [Problem(shown, 1, "-", f"column {i + 1}'s name is {len(name):,} characters long "
                              f"(at most {MAX_NAME})", "columns")
                      for i, name in enumerate(header) if len(name) > MAX_NAME]
    repeated = sorted({name for name in header if header.count(name) > 1})
    # UTF-8 is checked first, the header before its names: pyarrow decodes a bad row's text
    # before handing it to the row handler, and fails on it.
    if not _is_utf8(first_line) or (not repeated and not _is_utf8(raw)):
        return None, _utf8_problems(raw, shown, header)
    if repeated:
        return None, [Problem(shown, 1, name, "column appears more than once", "columns")
                      for name in repeated]
    try:
        table, skipped = _parse(raw, header)
    except pa.ArrowInvalid as err:
        return fail(f"cannot parse CSV: {err}", line=0, check="row")
    if table.column_names != header:
        return fail("cannot read the header row", check="columns")
    lines, skipped_lines = _record_lines(raw, table, skipped)
    problems = [Problem(shown, int(line), "-", "a quote is never closed (the rest of the file is "
                        "inside it)" if text.count('"') % 2 else
                        f"row has {fields} fields, the header has {len(header)}", "row")
                for (_, fields, text), line in zip(skipped, skipped_lines, strict=True)]
    result = RawTable(header, {name: table.column(name) for name in header}, lines)
    blank = functools.reduce(pc.and_, map(result.empty, header))  # shared with the checks
    if pc.any(blank).as_py():
        rows = np.flatnonzero(blank.to_numpy(zero_copy_only=False))
        problems += [Problem(shown, int(lines[i]), "-", "blank row (delete it)", "row") for i in rows]
        result = RawTable(header, {name: pc.filter(column, pc.invert(blank))
                                   for name, column in result.columns.items()}, np.delete(lines, rows))
    # A header with no rows is a table of zero rows (a study not yet coded); no header at all
    # is refused above ("file is empty").
    return result, sorted(problems, key=lambda p: p.line)
