"""``load()``: check the package, read every table, check them, and return a frozen ``Corpus``.

Two phases, in the order a reader would do it by hand: first every table is parsed (pyarrow
uses all cores inside each file), then every check of ``_checks.TABLE_CHECKS`` runs on every
table. Problems are sorted into file order, so the result never depends on timing.
"""

from __future__ import annotations

import os
import re
import shutil
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType

import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from . import _checks as checks
from ._errors import CorpusError, Problem
from ._package import Table, confine, read_package
from ._reading import RawTable, file_bytes, read_csv


@dataclass(frozen=True)
class Corpus:
    """The annotated corpus: one DataFrame per resource of ``datapackage.json``.

    ``tables`` maps each resource name to its DataFrame (file row order, empty cells <NA>),
    and every table is also an attribute of the same name: ``corpus.statements``.
    """

    tables: Mapping[str, pd.DataFrame]
    texts: Mapping[str, str]
    data_dir: Path

    def __getattr__(self, name: str) -> pd.DataFrame:
        tables = self.__dict__.get("tables", {})
        if name in tables:
            return tables[name]
        raise AttributeError(f"the corpus has no table {name!r}; tables: {', '.join(tables)}")

    def __dir__(self):
        return [*super().__dir__(), *self.tables]

    def text(self, doc_id: str) -> str:
        """The verbatim source text of ``doc_id``."""
        try:
            return self.texts[doc_id]
        except KeyError:
            raise KeyError(f"no document {doc_id!r}; known: {', '.join(self.texts)}") from None

    def write(self, out_dir: str | Path) -> None:
        """Write the whole package to ``out_dir``: every file of the data directory, and the tables.

        A table whose frame still holds what its file holds is copied byte for byte; a changed
        one is written as RFC 4180 CSV (UTF-8, LF, quoting every value that needs it).
        """
        out = Path(out_dir)
        tables = read_package(self.data_dir)
        by_path = {os.path.normpath(t.path): t for t in tables.values()}
        for path in _package_files(self.data_dir):
            if path not in by_path:
                _copy(self.data_dir / path, _target(out, path))
        for path, table in by_path.items():
            frame, original = self.tables[table.name], self.data_dir / path
            content = csv_bytes(frame)
            if content != _bytes_or_none(original) and _unchanged(table, frame, original):
                content = original.read_bytes()  # same values, written differently (CRLF, quoting)
            target = _target(out, path)
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(content)


def _package_files(data_dir: Path) -> list[str]:
    """Every regular file under ``data_dir`` that stays inside it, as relative paths."""
    found = []
    for folder, _, names in os.walk(data_dir):
        for name in names:
            path = os.path.relpath(os.path.join(folder, name), data_dir)
            resolved, _ = confine(data_dir, path)
            if resolved is not None and resolved.is_file():
                found.append(os.path.normpath(path))
    return sorted(found)


def _target(out: Path, path: str) -> Path:
    resolved, why = confine(out, path)
    if resolved is None:
        raise CorpusError([Problem(str(out / path), 0, "-", f"cannot write: {why}", "write")])
    return resolved


def _copy(source: Path, target: Path) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(source, target)


def _bytes_or_none(path: Path) -> bytes | None:
    content, _ = file_bytes(path)
    return None if content is None else bytes(content)


def _unchanged(table: Table, frame: pd.DataFrame, original: Path) -> bool:
    """Whether ``original`` reads as exactly ``frame`` (so its own bytes can be kept)."""
    content, _ = file_bytes(original)
    raw, problems = read_csv(content, str(original)) if content is not None else (None, ["missing"])
    if problems or raw is None or raw.header != table.columns:
        return False
    return _frame(table, raw).equals(frame)


_NEEDS_QUOTES = re.compile(r'[",\r\n]')


def _cell(value: str) -> str:
    return '"' + value.replace('"', '""') + '"' if _NEEDS_QUOTES.search(value) else value


def csv_bytes(frame: pd.DataFrame) -> bytes:
    """RFC 4180 CSV: UTF-8, LF line ends, a value quoted when it holds a comma, a quote, CR or LF."""
    cells = frame.astype(object).where(frame.notna(), "")
    lines = [",".join(map(_cell, map(str, frame.columns)))]
    for row in cells.itertuples(index=False, name=None):
        line = ",".join(_cell(str(v)) for v in row)
        lines.append(line if line or len(row) != 1 else '""')  # a lone empty value is not a blank line
    return ("\n".join(lines) + "\n").encode("utf-8")


# --- typed DataFrames -----------------------------------------------------------------------------

def _with_nulls(column: pa.ChunkedArray) -> pa.ChunkedArray:
    """``column`` with its empty strings as nulls; the string data is shared, not copied."""
    chunks = []
    for chunk in column.chunks:
        empty = pc.equal(chunk, "")
        if chunk.offset or chunk.null_count or empty.offset:
            chunks.append(pc.if_else(empty, pa.scalar(None, chunk.type), chunk))
        else:  # same offsets and data; only a validity bitmap is added
            valid = pc.invert(empty).buffers()[1]
            chunks.append(pa.Array.from_buffers(chunk.type, len(chunk), [valid, *chunk.buffers()[1:]]))
    return pa.chunked_array(chunks, column.type)


def _series(table: Table, raw: RawTable, name: str) -> pd.Series:
    field = table.field(name)
    if field.type == "integer":
        numbers = checks.integers(raw, name)[1]  # parsed once, shared with the checks
        values = pc.fill_null(numbers, 0).to_numpy(zero_copy_only=False)
        mask = pc.is_null(numbers).to_numpy(zero_copy_only=False)
        return pd.Series(pd.arrays.IntegerArray(values, mask), name=name, copy=False)
    if field.enum is not None:
        codes = pc.fill_null(raw.codes(name, field.enum), -1).to_numpy(zero_copy_only=False)
        categorical = pd.Categorical.from_codes(codes, dtype=pd.CategoricalDtype(list(field.enum)))
        return pd.Series(categorical, name=name, copy=False)
    strings = _with_nulls(raw.columns[name])
    return pd.Series(pd.arrays.ArrowStringArray(strings), name=name, copy=False)


def _frame(table: Table, raw: RawTable) -> pd.DataFrame:
    return pd.DataFrame({name: _series(table, raw, name) for name in table.columns}, copy=False)


def _read(data_dir: Path, path: str, inside: str = ""):
    """The bytes of a path the package names, confined to ``data_dir/inside``; or None and why."""
    resolved, why = confine(data_dir, path, inside)
    return file_bytes(resolved) if resolved is not None else (None, why)


# --- the two phases -------------------------------------------------------------------------------

def _check(data_dir: Path) -> tuple[checks.Parsed, list[Problem]]:
    """Parse every table, then run every check; return what was read and every problem."""
    tables = read_package(data_dir)  # raises CorpusError when the package itself is wrong
    corpus = checks.Parsed(data_dir, tables, {}, {}, set())
    problems = []
    for name, table in tables.items():
        shown = corpus.shown[name] = str(data_dir / table.path)
        content, why = _read(data_dir, table.path)
        if content is None:
            why = "is missing" if why == "does not exist" else why
            problems.append(Problem(shown, 0, "-", f"file {why} (datapackage.json declares resource "
                                                   f"{name!r})", "file"))
            continue
        raw, found = read_csv(content, shown)
        problems += found
        if raw is not None:
            corpus.raws[name] = raw
        if found:
            corpus.incomplete.add(name)
    problems += checks.read_sources(corpus)
    for check in checks.TABLE_CHECKS:
        for name, raw in corpus.raws.items():
            problems += check(tables[name], raw, corpus)
    order = {corpus.shown[name]: (i, t.columns) for i, (name, t) in enumerate(tables.items())}

    def position(p: Problem):
        i, columns = order.get(p.path, (-1, []))
        return i, p.line, columns.index(p.column) if p.column in columns else -1, p.message

    return corpus, sorted(problems, key=position)


def validate(data_dir: str | Path = "data") -> list[Problem]:
    """Every problem of the corpus in ``data_dir``, in file order (empty when it is valid)."""
    try:
        return _check(Path(data_dir))[1]
    except CorpusError as err:
        return err.problems


def load(data_dir: str | Path = "data") -> Corpus:
    """Read, validate and type every table under ``data_dir``.

    Raises ``CorpusError`` listing every problem (``path:line: column: message``)
    if anything is wrong; no row is dropped, coerced or reordered.
    """
    corpus, problems = _check(Path(data_dir))
    if problems:
        raise CorpusError(problems)
    frames = {name: _frame(corpus.tables[name], raw) for name, raw in corpus.raws.items()}
    return Corpus(tables=MappingProxyType(frames), texts=MappingProxyType(corpus.texts),
                  data_dir=Path(data_dir))


def source_text(data_dir: str | Path, doc_id: str) -> str:
    """The text of ``doc_id`` read from its documents row alone, whatever state the other
    tables are in (for ``locate`` while annotating). Raises CorpusError or KeyError."""
    data_dir = Path(data_dir)
    table = read_package(data_dir)["documents"]
    shown = str(data_dir / table.path)
    content, why = _read(data_dir, table.path)
    raw, problems = read_csv(content, shown) if content is not None else (None, [])
    if content is None:
        raise CorpusError([Problem(shown, 0, "-", f"file {why}", "file")])
    if raw is None or not {"doc_id", "path"} <= raw.columns.keys():
        raise CorpusError(problems or [Problem(shown, 1, "-", "no doc_id and path columns", "columns")])
    paths = dict(zip(raw.columns["doc_id"].to_pylist(), raw.columns["path"].to_pylist(), strict=True))
    if doc_id not in paths:
        raise KeyError(f"no document {doc_id!r}; known: {', '.join(paths)}")
    content, why = _read(data_dir, paths[doc_id], "sources")
    try:
        if content is None:
            raise ValueError(why)
        return bytes(content).decode("utf-8")
    except ValueError as err:  # also UnicodeDecodeError
        raise CorpusError([Problem(shown, 0, "path", f"source of {doc_id!r}: {err}", "source")]) from None
