"""Column-wise checks of raw tables against the schema in datapackage.json.

Every check works on whole columns (pyarrow compute / numpy) and only loops over
the rows that fail, so a clean million-row table is checked in C, not Python.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Mapping
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from ._errors import Problem
from ._package import Table
from ._reading import RawTable

# Whole numbers that fit in int64 (at most 18 digits); a "+" sign is reported, not read, so
# that a loaded corpus writes back byte for byte.
INTEGER = r"^-?[0-9]{1,18}$"
MAX_DIGITS = 18
DATE = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$"
ANCHOR = ("doc_id", "start", "end", "quote")
CHUNK = 65_536  # rows per block in the quote check; bounds its extra memory
VIEW_BUFFER = 2**31 - 1  # most bytes of text in one Arrow buffer behind string views
BLOCK = 1 << 20  # bytes of text scanned at a time when mapping characters to bytes


def show(value: str, limit: int = 60) -> str:
    """A value as it appears in a message: quoted, shortened when long."""
    return repr(value if len(value) <= limit else value[: limit - 1] + "…")


def _rows(mask: pa.Array) -> np.ndarray:
    if not pc.any(mask).as_py():
        return np.zeros(0, dtype=np.int64)  # nothing to report: no array of a million flags
    return np.flatnonzero(mask.to_numpy(zero_copy_only=False))


def _is_integer(column: pa.Array) -> pa.Array:
    """Which values match INTEGER; when all are plain digits this is known without the regex."""
    digits = pc.ascii_is_decimal(column)  # non-empty and only 0-9
    if pc.all(digits).as_py() is not False and (
            len(column) == 0 or pc.max(pc.binary_length(column)).as_py() <= MAX_DIGITS):
        return digits
    return pc.match_substring_regex(column, INTEGER)


def _empty(column: pa.Array) -> pa.Array:
    return pc.equal(column, "")  # only a bitmap; binary_length would allocate 8 bytes a row


def check_columns(schema: Table, raw: RawTable, shown: str) -> list[Problem]:
    declared, found = schema.columns, raw.header
    problems = [Problem(shown, 1, name, "missing column (datapackage.json declares it)")
                for name in declared if name not in found]
    problems += [Problem(shown, 1, name, "unknown column (not declared in datapackage.json)")
                 for name in found if name not in declared]
    if not problems and found != declared:
        problems.append(Problem(shown, 1, "-", "columns are not in the declared order: "
                                + ", ".join(declared)))
    return problems


def check_fields(schema: Table, raw: RawTable, shown: str) -> list[Problem]:
    """Required values, integer/date types, minimum, enum, pattern and unique keys."""
    problems = []
    for field in schema.fields:
        if field.name not in raw.columns:
            continue
        column = raw.columns[field.name]
        empty = _empty(column)
        present = pc.invert(empty)

        def report(mask, message, column=column, field=field):
            for i in _rows(mask):
                value = column[int(i)].as_py()
                problems.append(Problem(shown, int(raw.lines[i]), field.name, message(value)))

        if field.required:
            report(empty, lambda v: "missing value (required)")
        if field.type == "integer":
            bad = pc.and_(present, pc.invert(_is_integer(column)))
            report(bad, lambda v: f"{show(v)} is not an integer")
            if field.minimum is not None:
                good = pc.and_(present, pc.invert(bad))
                whole = pc.all(good).as_py() is not False  # the usual case: no copy of the column
                numbers = pc.cast(column if whole else pc.if_else(good, column, "0"), pa.int64())
                report(pc.and_(good, pc.less(numbers, field.minimum)),
                       lambda v, m=field.minimum: f"{v} is below the minimum {m}")
        elif field.type == "date":
            bad = pc.and_(present, pc.invert(pc.match_substring_regex(column, DATE)))
            report(bad, lambda v: f"{show(v)} is not a date (YYYY-MM-DD)")
        if field.enum is not None:
            bad = pc.and_(present, pc.invert(pc.is_in(column, value_set=pa.array(field.enum))))
            allowed = ", ".join(field.enum)
            report(bad, lambda v, a=allowed: f"{show(v)} is not one of: {a}")
        if field.pattern is not None:
            bad = pc.and_(present, pc.invert(pc.match_substring_regex(column, field.pattern)))
            report(bad, lambda v, p=field.pattern: f"{show(v)} does not match the pattern {p}")
        if field.unique or schema.primary_key == (field.name,):
            problems.extend(_duplicates(column, raw, shown, field.name))
    return problems


def _all_distinct(column: pa.Array) -> bool:
    """True when no value repeats: keys written in order are seen in one pass, others hashed."""
    n = len(column)
    if n < 2 or pc.all(pc.less(column.slice(0, n - 1), column.slice(1))).as_py():
        return True
    return pc.count_distinct(column).as_py() == n


def _duplicates(column: pa.Array, raw: RawTable, shown: str, name: str) -> list[Problem]:
    if _all_distinct(column):
        return []
    values = column.to_pandas()
    repeated = values.duplicated(keep=False) & (values != "")
    if not repeated.any():
        return []
    first_line = {}
    problems = []
    for i in np.flatnonzero(repeated.to_numpy()):
        value = values.iat[i]
        if value not in first_line:
            first_line[value] = int(raw.lines[i])
        else:
            problems.append(Problem(shown, int(raw.lines[i]), name,
                                    f"duplicate key {show(value)} (first on line {first_line[value]})"))
    return problems


def check_foreign_keys(schema: Table, raw: RawTable, shown: str,
                       tables: Mapping[str, Table], raws: Mapping[str, RawTable]) -> list[Problem]:
    problems = []
    for key in schema.foreign_keys:
        other = raws.get(key.resource)
        if key.field not in raw.columns or other is None or key.reference not in other.columns:
            continue  # the missing table or column is reported on its own
        column = raw.columns[key.field]
        known = pc.is_in(column, value_set=other.columns[key.reference])
        bad = pc.and_(pc.invert(_empty(column)), pc.invert(known))
        target = f"{key.reference} in {tables[key.resource].path}"
        for i in _rows(bad):
            problems.append(Problem(shown, int(raw.lines[i]), key.field,
                                    f"{show(column[int(i)].as_py())} is not a {target}"))
    return problems


def check_documents(raw: RawTable, shown: str, data_dir: Path) -> tuple[dict[str, str], list[Problem]]:
    """Check each source path and checksum; return the texts that could be read."""
    texts, problems = {}, []
    sources = (data_dir / "sources").resolve()
    cols = raw.columns
    if not {"doc_id", "path", "sha256"} <= cols.keys():
        return texts, problems
    rows = []  # (line, doc_id, path, digest, resolved file) of the sources to read
    real_dirs: dict[str, str] = {}
    for i, (doc_id, path, digest) in enumerate(
        zip(cols["doc_id"].to_pylist(), cols["path"].to_pylist(), cols["sha256"].to_pylist(), strict=True)
    ):
        line = int(raw.lines[i])
        if not path:
            continue  # reported as a missing required value
        if os.path.isabs(path):
            problems.append(Problem(shown, line, "path",
                                    f"{show(path)} is absolute; give a path inside data/sources/"))
            continue
        resolved = _resolve(data_dir, path, real_dirs)
        if not resolved.is_relative_to(sources):
            problems.append(Problem(shown, line, "path", f"{show(path)} escapes data/sources/"))
            continue
        if not resolved.is_file():
            problems.append(Problem(shown, line, "path", f"source file {show(path)} does not exist"))
            continue
        rows.append((line, doc_id, path, digest, resolved))
    # Reading and hashing release the GIL: do them on all cores, then report in file order.
    with ThreadPoolExecutor(max_workers=_workers(len(rows))) as pool:
        contents = pool.map(_read_and_hash, [row[-1] for row in rows])
        for (line, doc_id, path, digest, _), (content, actual) in zip(rows, contents, strict=True):
            if digest and actual != digest:
                problems.append(Problem(shown, line, "sha256",
                                        f"source file {show(path)} has sha256 {actual}, not {digest}"))
                continue
            try:
                texts[doc_id] = content.decode("utf-8")
            except UnicodeDecodeError as err:
                problems.append(Problem(shown, line, "path",
                                        f"source file {show(path)} is not UTF-8: {err}"))
    return texts, problems


def _workers(tasks: int) -> int:
    return max(1, min(tasks, os.cpu_count() or 1, 8))


def _read_and_hash(path: Path) -> tuple[bytes, str]:
    content = path.read_bytes()
    return content, hashlib.sha256(content).hexdigest()


def _resolve(data_dir: Path, path: str, real_dirs: dict[str, str]) -> Path:
    """``(data_dir / path).resolve()``, resolving the directory part once per directory."""
    joined = os.path.join(data_dir, path)
    head, name = os.path.split(joined)
    if name in ("", ".", "..") or not head:
        return Path(joined).resolve()
    real = real_dirs.get(head)
    if real is None:
        try:
            real = real_dirs[head] = str(Path(head).resolve())
        except (OSError, RuntimeError):
            return Path(joined).resolve()  # fails the same way as before
    candidate = os.path.join(real, name)
    if os.path.islink(candidate):
        return Path(joined).resolve()
    return Path(candidate)


class TextIndex:
    """The source texts as one UTF-8 buffer, and where each ``str`` index lands in it.

    Built once per corpus and shared by the quote checks of every anchored table. Only the
    multi-byte characters are recorded (their character index and the extra bytes they
    take), so ASCII text costs nothing and a mostly-ASCII text little.
    """

    def __init__(self, texts: Mapping[str, str]):
        self.doc_ids = list(texts)
        self.lengths = np.array([len(texts[d]) for d in self.doc_ids], dtype=np.int64)
        self.char_base = np.concatenate([[0], np.cumsum(self.lengths)[:-1]]).astype(np.int64)
        self.data = b"".join(texts[d].encode("utf-8") for d in self.doc_ids)
        self.wide_chars = np.zeros(0, dtype=np.int64)  # character index of each multi-byte char
        self.extra_before = np.zeros(1, dtype=np.int64)  # extra bytes of the first k of them
        if not self.data.isascii():
            data = np.frombuffer(self.data, dtype=np.uint8)
            lead = np.concatenate([np.flatnonzero(data[lo : lo + BLOCK] >= 0xC0) + lo
                                   for lo in range(0, len(data), BLOCK)])
            extra = (1 + (data[lead] >= 0xE0).astype(np.int64) + (data[lead] >= 0xF0))
            self.extra_before = np.concatenate([[0], np.cumsum(extra)])
            self.wide_chars = lead - self.extra_before[:-1]

    def byte_offsets(self, doc: np.ndarray, offset: np.ndarray) -> np.ndarray:
        """Where character ``offset`` of document number ``doc`` starts in ``data``."""
        index = self.char_base[doc] + offset
        if len(self.wide_chars) == 0:
            return index
        return index + self.extra_before[np.searchsorted(self.wide_chars, index)]

    def buffers(self) -> list[tuple[int, int, pa.Buffer]]:
        """(first doc, end doc, buffer) for runs of whole documents of under 2 GiB each."""
        starts = self.byte_offsets(np.arange(len(self.doc_ids)), np.zeros(len(self.doc_ids), np.int64))
        starts = np.append(starts, len(self.data))
        whole = pa.py_buffer(self.data)
        runs, first = [], 0
        while first < len(self.doc_ids):
            last = max(first + 1, int(np.searchsorted(starts, starts[first] + VIEW_BUFFER, "right")) - 1)
            runs.append((first, last, whole.slice(int(starts[first]), int(starts[last] - starts[first]))))
            first = last
        return runs


def check_anchors(raw: RawTable, shown: str, texts: Mapping[str, str],
                  index: TextIndex | None = None) -> list[Problem]:
    """start < end <= len(text) and text[start:end] == quote, for rows whose doc and offsets parse.

    ``index`` is ``TextIndex(texts)``, passed in when several tables are checked. The rows are
    checked in blocks of CHUNK, so the temporary arrays stay small whatever the table's size.
    """
    if not set(ANCHOR) <= raw.columns.keys() or not texts:
        return []
    index = TextIndex(texts) if index is None else index
    cols = raw.columns
    doc_ids = index.doc_ids
    doc_index = pc.index_in(cols["doc_id"], value_set=pa.array(doc_ids, cols["doc_id"].type))
    ok = pc.is_valid(doc_index)
    for name in ("start", "end"):
        ok = pc.and_(ok, _is_integer(cols[name]))
    rows = _rows(ok)
    if len(rows) == 0:
        return []
    if len(rows) == len(raw):  # the usual case: no copies of whole columns

        def take(column):
            return column
    else:
        chosen = pa.array(rows)

        def take(column):
            return pc.take(column, chosen)
    docs = take(doc_index)
    starts = pc.cast(take(cols["start"]), pa.int64())
    ends = pc.cast(take(cols["end"]), pa.int64())
    quotes = take(cols["quote"])
    buffers = [(first, last, int(index.byte_offsets(np.array([first]), np.zeros(1, np.int64))[0]),
                buffer, np.frombuffer(buffer, dtype=np.uint8)) for first, last, buffer in index.buffers()]

    reversed_rows, past_end_rows, mismatch_rows = [], [], []
    for lo in range(0, len(rows), CHUNK):
        doc = docs.slice(lo, CHUNK).to_numpy(zero_copy_only=False).astype(np.int64)
        start = starts.slice(lo, CHUNK).to_numpy(zero_copy_only=False)
        end = ends.slice(lo, CHUNK).to_numpy(zero_copy_only=False)
        lengths = index.lengths[doc]
        negative = start < 0  # reported by the field check as below the minimum 0
        reversed_ = ~negative & (start >= end)
        past_end = ~negative & ~reversed_ & (end > lengths)
        inside = ~negative & ~reversed_ & ~past_end
        mismatch = _quote_mismatches(index, buffers, doc, start, end, quotes.slice(lo, CHUNK), inside)
        for found, mask in ((reversed_rows, reversed_), (past_end_rows, past_end), (mismatch_rows, mismatch)):
            found += [(lo + j, int(doc[j]), int(start[j]), int(end[j])) for j in np.flatnonzero(mask)]

    problems = []
    for j, _, first, last in reversed_rows:
        problems.append(Problem(shown, int(raw.lines[rows[j]]), "start",
                                f"start ({first}) must be less than end ({last})"))
    for j, d, _, last in past_end_rows:
        problems.append(Problem(shown, int(raw.lines[rows[j]]), "end",
                                f"end ({last}) is past the end of the text ({index.lengths[d]} characters)"))
    for j, d, first, last in mismatch_rows:
        text = texts[doc_ids[d]]
        problems.append(Problem(shown, int(raw.lines[rows[j]]), "quote",
                                f"quote differs from text[{first}:{last}], which is "
                                f"{show(text[first:last])}"))
    return problems


def _quote_mismatches(index: TextIndex, buffers, doc, start, end, quotes, inside) -> np.ndarray:
    """Boolean per row: the quote is not the slice of its text (rows outside ``inside`` are False).

    No slice is copied out in Python: each ``text[start:end]`` becomes an Arrow string *view*
    (length and byte offset into the UTF-8 texts), and pyarrow compares all of them with the
    quotes in C. Two valid UTF-8 strings are equal exactly when their bytes are.
    """
    mismatch = np.zeros(len(doc), dtype=bool)
    if not inside.any():
        return mismatch
    safe_doc = np.where(inside, doc, 0)
    byte_start = index.byte_offsets(safe_doc, np.where(inside, start, 0))
    byte_end = index.byte_offsets(safe_doc, np.where(inside, end, 0))
    as_views = None
    for first, last, base, buffer, data in buffers:
        mine = inside & (safe_doc >= first) & (safe_doc < last)
        if not mine.any():
            continue
        slices = _views(buffer, data, np.where(mine, byte_start - base, 0),
                        np.where(mine, byte_end - base, 0))
        as_views = quotes.cast(pa.string_view()) if as_views is None else as_views
        mismatch |= mine & ~pc.equal(slices, as_views).to_numpy(zero_copy_only=False)
    return mismatch


def _views(buffer: pa.Buffer, data: np.ndarray, begin: np.ndarray, stop: np.ndarray) -> pa.Array:
    """The string_view array of ``data[begin[i]:stop[i]]`` (Arrow's 16-byte view layout)."""
    n = len(begin)
    length = (stop - begin).astype(np.int32)
    views = np.zeros((n, 16), dtype=np.uint8)
    fields = views.view(np.int32)  # per row: length, prefix (or inline bytes), buffer index, offset
    fields[:, 0] = length
    long = length > 12
    rows = np.flatnonzero(long)
    views[rows, 4:8] = data[begin[rows, None] + np.arange(4)]
    fields[rows, 3] = begin[rows]
    rows = np.flatnonzero(~long & (length > 0))  # up to 12 bytes are stored in the view itself
    if len(rows):
        at = np.arange(12)
        inline = data[np.minimum(begin[rows, None] + at, len(data) - 1)]
        views[rows, 4:16] = np.where(at < length[rows, None], inline, 0)
    return pa.Array.from_buffers(pa.string_view(), n, [None, pa.py_buffer(views), buffer])
