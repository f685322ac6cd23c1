"""``load()``: read every table, validate it, and return a frozen ``Corpus``."""

from __future__ import annotations

import csv
import os
import shutil
from collections.abc import Mapping
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType

import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from . import _checks as checks
from ._errors import CorpusError, Problem
from ._package import PACKAGE_FILE, Table, read_package
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
        """Write the corpus (tables, package, sources) to ``out_dir`` in canonical CSV form."""
        out = Path(out_dir)
        out.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(self.data_dir / PACKAGE_FILE, out / PACKAGE_FILE)
        for name, table in read_package(self.data_dir).items():
            write_table(self.tables[name], out / table.path)
        for path in self.documents["path"]:
            (out / path).parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(self.data_dir / path, out / path)


def write_table(frame: pd.DataFrame, path: Path) -> None:
    """RFC 4180 CSV, UTF-8, LF line ends, minimal quoting, <NA> as an empty cell."""
    path.parent.mkdir(parents=True, exist_ok=True)
    cells = frame.astype(object).where(frame.notna(), "")
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(frame.columns)
        writer.writerows(cells.itertuples(index=False, name=None))


def _with_nulls(column: pa.Array | pa.ChunkedArray) -> pa.Array | pa.ChunkedArray:
    """``column`` with its empty strings as nulls; the string data is shared, not copied."""
    if isinstance(column, pa.ChunkedArray):
        return pa.chunked_array([_with_nulls(chunk) for chunk in column.chunks], column.type)
    empty = pc.equal(column, "")
    valid = pc.invert(empty)
    if column.offset or column.null_count or valid.offset:
        return pc.if_else(empty, pa.scalar(None, column.type), column)
    # Same offsets and data; only a validity bitmap is added.
    return pa.Array.from_buffers(column.type, len(column), [valid.buffers()[1], *column.buffers()[1:]])


def _series(schema: Table, name: str, column: pa.Array | pa.ChunkedArray) -> pd.Series:
    field = schema.field(name)
    if field.type == "integer":
        numbers = pc.cast(_with_nulls(column), pa.int64())
        values = pc.fill_null(numbers, 0).to_numpy(zero_copy_only=False)
        mask = pc.is_null(numbers).to_numpy(zero_copy_only=False)
        return pd.Series(pd.arrays.IntegerArray(values, mask), name=name, copy=False)
    if field.enum is not None:
        codes = pc.fill_null(pc.index_in(column, value_set=pa.array(field.enum, column.type)), -1)
        dtype = pd.CategoricalDtype(list(field.enum))
        return pd.Series(pd.Categorical.from_codes(codes.to_numpy(zero_copy_only=False), dtype=dtype),
                         name=name, copy=False)
    return pd.Series(pd.arrays.ArrowStringArray(_with_nulls(column)), name=name, copy=False)


def _frame(schema: Table, raw: RawTable) -> pd.DataFrame:
    return pd.DataFrame({name: _series(schema, name, raw.columns[name]) for name in schema.columns},
                        copy=False)


def _documents(raw: RawTable, shown: str, data_dir: Path):
    """Source checks, then the text index the quote checks of every table share."""
    texts, problems = checks.check_documents(raw, shown, data_dir)
    return texts, problems, checks.TextIndex(texts) if texts else None


def _anchors(documents: Future, raw: RawTable, shown: str) -> list[Problem]:
    texts, _, index = documents.result()  # submitted before this job: no deadlock
    return checks.check_anchors(raw, shown, texts, index)


def validate(data_dir: str | Path = "data") -> tuple[dict[str, Table], dict[str, RawTable], dict[str, str],
                                                     list[Problem]]:
    """Read and check every table; return schemas, raw tables, texts and all problems found."""
    tables, raws, texts, problems, _ = _check(Path(data_dir), frames=False)
    return tables, raws, texts, problems


def _check(data_dir: Path, frames: bool):
    """``validate``, plus (with ``frames``) a job per table building its typed DataFrame.

    The checks run on a small thread pool (pyarrow and numpy release the GIL), each as soon
    as the tables it needs are read, so they overlap with the parsing of later files. Their
    problems are gathered in the order a one-by-one run produces them (per table: reading,
    columns, fields; then foreign keys; sources; quotes), so the result does not depend on
    which thread finishes first. The DataFrames are built speculatively and only used when
    no problem is found.
    """
    tables = read_package(data_dir)
    raws, problems = {}, []
    with ThreadPoolExecutor(max_workers=os.cpu_count() or 1) as pool:
        found_in_order = []  # problems found now, or jobs that will return some
        keys, anchors, frame_jobs = {}, {}, {}  # jobs per table, started early where possible
        documents = None
        for name, schema in tables.items():
            path = data_dir / schema.path
            if not path.is_file():
                missing = f"file is missing (datapackage.json declares resource {name!r})"
                found_in_order.append([Problem(str(path), 0, "-", missing)])
                continue
            raw, found = read_csv(file_bytes(path), str(path))
            found_in_order.append(found)
            if raw is None:
                continue
            found_in_order.append(checks.check_columns(schema, raw, str(path)))
            found_in_order.append(pool.submit(checks.check_fields, schema, raw, str(path)))
            raws[name] = raw
            if frames:
                frame_jobs[name] = pool.submit(_frame, schema, raw)
            if name == "documents":
                documents = pool.submit(_documents, raw, str(path), data_dir)
            if all(key.resource in raws or key.resource in tables and list(tables).index(key.resource)
                   < list(tables).index(name) for key in schema.foreign_keys):
                # Every table it refers to is read (or has failed for good): check it now.
                keys[name] = pool.submit(checks.check_foreign_keys, schema, raw, str(path), tables,
                                         dict(raws))
            if documents is not None and set(checks.ANCHOR) <= raw.columns.keys():
                anchors[name] = pool.submit(_anchors, documents, raw, str(path))
        for name, raw in raws.items():
            shown = str(data_dir / tables[name].path)
            if name not in keys:
                keys[name] = pool.submit(checks.check_foreign_keys, tables[name], raw, shown, tables, raws)
            found_in_order.append(keys[name])
        texts, found, index = documents.result() if documents is not None else ({}, [], None)
        found_in_order.append(found)
        for name, raw in raws.items():
            if name not in anchors:
                anchors[name] = pool.submit(checks.check_anchors, raw, str(data_dir / tables[name].path),
                                            texts, index)
            found_in_order.append(anchors[name])
        for found in found_in_order:
            problems += found.result() if isinstance(found, Future) else found
        del index
        frames_by_name = {name: job.result() for name, job in frame_jobs.items()} if not problems else {}
    order = {str(data_dir / t.path): i for i, t in enumerate(tables.values())}

    def position(p: Problem):
        columns = tables_by_path.get(p.path, [])
        return (order.get(p.path, -1), p.line, columns.index(p.column) if p.column in columns else -1,
                p.message)

    tables_by_path = {str(data_dir / t.path): t.columns for t in tables.values()}
    problems.sort(key=position)
    return tables, raws, texts, problems, frames_by_name


def load(data_dir: str | Path = "data") -> Corpus:
    """Read, validate and type every table under ``data_dir``.

    Raises ``CorpusError`` listing every problem (``path:line: column: message``)
    if anything is wrong; no row is dropped, coerced or reordered.
    """
    tables, raws, texts, problems, frames = _check(Path(data_dir), frames=True)
    if problems:
        raise CorpusError(problems)
    frames = MappingProxyType({name: frames[name] for name in tables})
    return Corpus(tables=frames, texts=MappingProxyType(texts), data_dir=Path(data_dir))
