"""Column-wise checks of raw tables against the schema in datapackage.json.

Every check works on whole columns (pyarrow compute / numpy) and only loops over
the rows that fail, so a clean million-row table is checked in C, not Python.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from .errors import Problem
from .reading import RawTable
from .schema import Table

INTEGER = r"^[+-]?[0-9]+$"
DATE = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$"
ANCHOR = ("doc_id", "start", "end", "quote")
CHUNK = 65_536  # rows per block in the quote check; bounds its extra memory


def show(value: str, limit: int = 60) -> str:
    """A value as it appears in a message: quoted, shortened when long."""
    return repr(value if len(value) <= limit else value[: limit - 1] + "…")


def _rows(mask: pa.Array) -> np.ndarray:
    return np.flatnonzero(mask.to_numpy(zero_copy_only=False))


def _empty(column: pa.Array) -> pa.Array:
    return pc.equal(pc.binary_length(column), 0)


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
            bad = pc.and_(present, pc.invert(pc.match_substring_regex(column, INTEGER)))
            report(bad, lambda v: f"{show(v)} is not an integer")
            if field.minimum is not None:
                good = pc.and_(present, pc.invert(bad))
                numbers = pc.cast(pc.if_else(good, column, "0"), pa.int64())
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
            problems += _duplicates(column, raw, shown, field.name)
    return problems


def _duplicates(column: pa.Array, raw: RawTable, shown: str, name: str) -> list[Problem]:
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
    for i, (doc_id, path, digest) in enumerate(
        zip(cols["doc_id"].to_pylist(), cols["path"].to_pylist(), cols["sha256"].to_pylist(), strict=True)
    ):
        line = int(raw.lines[i])
        if not path:
            continue  # reported as a missing required value
        candidate = Path(path)
        if candidate.is_absolute():
            problems.append(Problem(shown, line, "path",
                                    f"{show(path)} is absolute; give a path inside data/sources/"))
            continue
        resolved = (data_dir / candidate).resolve()
        if not resolved.is_relative_to(sources):
            problems.append(Problem(shown, line, "path", f"{show(path)} escapes data/sources/"))
            continue
        if not resolved.is_file():
            problems.append(Problem(shown, line, "path", f"source file {show(path)} does not exist"))
            continue
        content = resolved.read_bytes()
        actual = hashlib.sha256(content).hexdigest()
        if digest and actual != digest:
            problems.append(Problem(shown, line, "sha256",
                                    f"source file {show(path)} has sha256 {actual}, not {digest}"))
            continue
        try:
            texts[doc_id] = content.decode("utf-8")
        except UnicodeDecodeError as err:
            problems.append(Problem(shown, line, "path", f"source file {show(path)} is not UTF-8: {err}"))
    return texts, problems


def check_anchors(raw: RawTable, shown: str, texts: Mapping[str, str]) -> list[Problem]:
    """start < end <= len(text) and text[start:end] == quote, for rows whose doc and offsets parse."""
    if not set(ANCHOR) <= raw.columns.keys() or not texts:
        return []
    cols = raw.columns
    doc_ids = list(texts)
    doc_index = pc.index_in(cols["doc_id"], value_set=pa.array(doc_ids, pa.string()))
    ok = pc.is_valid(doc_index)
    for name in ("start", "end"):
        ok = pc.and_(ok, pc.match_substring_regex(cols[name], INTEGER))
    rows = _rows(ok)
    if len(rows) == 0:
        return []
    take = pa.array(rows)
    doc = pc.take(doc_index, take).to_numpy(zero_copy_only=False).astype(np.int64)
    start = pc.cast(pc.take(cols["start"], take), pa.int64()).to_numpy()
    end = pc.cast(pc.take(cols["end"], take), pa.int64()).to_numpy()
    quotes = pc.take(cols["quote"], take)
    lengths = np.array([len(texts[d]) for d in doc_ids], dtype=np.int64)[doc]

    problems = []
    reversed_ = (start < 0) | (start >= end)
    past_end = ~reversed_ & (end > lengths)
    for j in np.flatnonzero(reversed_):
        problems.append(Problem(shown, int(raw.lines[rows[j]]), "start",
                                f"start ({start[j]}) must be less than end ({end[j]})"))
    for j in np.flatnonzero(past_end):
        problems.append(Problem(shown, int(raw.lines[rows[j]]), "end",
                                f"end ({end[j]}) is past the end of the text ({lengths[j]} characters)"))
    inside = ~reversed_ & ~past_end
    mismatch = _quote_mismatches(texts, doc_ids, doc, start, end, quotes, inside)
    for j in np.flatnonzero(mismatch):
        text = texts[doc_ids[doc[j]]]
        problems.append(Problem(shown, int(raw.lines[rows[j]]), "quote",
                                f"quote differs from text[{start[j]}:{end[j]}], which is "
                                f"{show(text[start[j]:end[j]])}"))
    return problems


def _codepoints(text: str) -> np.ndarray:
    # UTF-32 gives one array element per Python str index, whatever the script.
    return np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32)


def _quote_mismatches(texts, doc_ids, doc, start, end, quotes, inside) -> np.ndarray:
    """Boolean per row: the quote is not the slice of its text (rows outside ``inside`` are False)."""
    corpus = [_codepoints(texts[d]) for d in doc_ids]
    base = np.concatenate([[0], np.cumsum([len(c) for c in corpus])[:-1]]).astype(np.int64)
    corpus = np.concatenate(corpus)
    mismatch = np.zeros(len(doc), dtype=bool)
    quote_len = pc.utf8_length(quotes).to_numpy(zero_copy_only=False).astype(np.int64)
    wrong_length = inside & (quote_len != end - start)
    mismatch |= wrong_length
    same_length = inside & ~wrong_length
    for lo in range(0, len(doc), CHUNK):
        block = np.flatnonzero(same_length[lo : lo + CHUNK]) + lo
        if len(block) == 0:
            continue
        size = quote_len[block]
        joined = _codepoints("".join(quotes.take(pa.array(block)).to_pylist()))
        first = base[doc[block]] + start[block]
        row_of_char = np.repeat(np.arange(len(block)), size)
        offset_in_row = np.arange(len(joined)) - np.repeat(np.cumsum(size) - size, size)
        differs = corpus[first[row_of_char] + offset_in_row] != joined
        bad_rows = np.unique(row_of_char[differs])
        mismatch[block[bad_rows]] = True
    return mismatch
