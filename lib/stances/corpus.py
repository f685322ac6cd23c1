"""``load()``: read every table, validate it, and return a frozen ``Corpus``."""

from __future__ import annotations

import csv
import shutil
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType

import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from . import checks
from .errors import CorpusError, Problem
from .reading import RawTable, read_csv
from .schema import PACKAGE_FILE, Table, read_package

# Corpus attribute for each resource name in datapackage.json.
ATTRIBUTES = {
    "documents": "documents",
    "actors": "actors",
    "claims": "claims",
    "statements": "statements",
    "relations": "relations",
    "reliability_statements": "reliability",
}


@dataclass(frozen=True)
class Corpus:
    """The annotated corpus. Tables keep the files' row order; empty cells are <NA>."""

    documents: pd.DataFrame
    actors: pd.DataFrame
    claims: pd.DataFrame
    statements: pd.DataFrame
    relations: pd.DataFrame
    reliability: pd.DataFrame
    texts: Mapping[str, str]
    data_dir: Path

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
            write_table(getattr(self, ATTRIBUTES[name]), out / table.path)
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


def _series(schema: Table, name: str, column: pa.Array) -> pd.Series:
    field = schema.field(name)
    column = pc.if_else(pc.equal(pc.binary_length(column), 0), pa.scalar(None, pa.string()), column)
    if field.type == "integer":
        return pd.Series(pc.cast(column, pa.int64()).to_pandas(types_mapper=pd.ArrowDtype), name=name
                         ).astype("Int64")
    if field.enum is not None:
        categories = pd.CategoricalDtype(list(field.enum))
        return pd.Series(column.to_pandas(), name=name, dtype="string").astype(categories)
    return pd.Series(column.to_pandas(), name=name, dtype="string")


def _frame(schema: Table, raw: RawTable) -> pd.DataFrame:
    return pd.DataFrame({name: _series(schema, name, raw.columns[name]) for name in schema.columns})


def validate(data_dir: str | Path = "data") -> tuple[dict[str, Table], dict[str, RawTable], dict[str, str],
                                                     list[Problem]]:
    """Read and check every table; return schemas, raw tables, texts and all problems found."""
    data_dir = Path(data_dir)
    tables = read_package(data_dir)
    raws, problems = {}, []
    for name, schema in tables.items():
        path = data_dir / schema.path
        if not path.is_file():
            problems.append(Problem(str(path), 0, "-",
                                    f"file is missing (datapackage.json declares resource {name!r})"))
            continue
        raw, found = read_csv(path.read_bytes(), str(path))
        problems += found
        if raw is None:
            continue
        problems += checks.check_columns(schema, raw, str(path))
        problems += checks.check_fields(schema, raw, str(path))
        raws[name] = raw
    for name, raw in raws.items():
        problems += checks.check_foreign_keys(tables[name], raw, str(data_dir / tables[name].path),
                                              tables, raws)
    texts = {}
    if "documents" in raws:
        texts, found = checks.check_documents(raws["documents"], str(data_dir / tables["documents"].path),
                                              data_dir)
        problems += found
    for name, raw in raws.items():
        problems += checks.check_anchors(raw, str(data_dir / tables[name].path), texts)
    order = {str(data_dir / t.path): i for i, t in enumerate(tables.values())}

    def position(p: Problem):
        columns = tables_by_path.get(p.path, [])
        return (order.get(p.path, -1), p.line, columns.index(p.column) if p.column in columns else -1,
                p.message)

    tables_by_path = {str(data_dir / t.path): t.columns for t in tables.values()}
    problems.sort(key=position)
    return tables, raws, texts, problems


def load(data_dir: str | Path = "data") -> Corpus:
    """Read, validate and type every table under ``data_dir``.

    Raises ``CorpusError`` listing every problem (``path:line: column: message``)
    if anything is wrong; no row is dropped, coerced or reordered.
    """
    tables, raws, texts, problems = validate(data_dir)
    if problems:
        raise CorpusError(problems)
    frames = {ATTRIBUTES[name]: _frame(tables[name], raws[name]) for name in tables}
    return Corpus(**frames, texts=MappingProxyType(texts), data_dir=Path(data_dir))
