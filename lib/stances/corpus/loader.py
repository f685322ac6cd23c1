"""``load()``: check the package, parse every table, run every check of ``checks.TABLE_CHECKS``
and ``spans.SPAN_CHECKS`` on every table, and return a frozen ``Corpus``; or raise
``CorpusError`` with every problem, in file order."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from types import MappingProxyType

import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from stances import files
from stances.corpus import checks, spans
from stances.corpus.csvtable import STRING, Rows, read_csv
from stances.corpus.descriptor import Field, Table, read_package
from stances.corpus.documents import read_sources, unknown_document
from stances.corpus.paths import confine, confined_bytes
from stances.errors import CorpusError, Problem


@dataclass(frozen=True)
class Corpus:
    """One DataFrame per resource of ``datapackage.json`` (file row order, empty cells <NA>),
    by name in ``tables`` and as an attribute of the same name: ``corpus.statements``."""

    tables: Mapping[str, pd.DataFrame]
    texts: Mapping[str, str]
    data_dir: Path
    descriptor: Mapping = field(default_factory=dict)  # datapackage.json as load read it, never re-read

    def __getattr__(self, name: str) -> pd.DataFrame:
        tables = self.__dict__.get("tables", {})
        if name in tables:
            return tables[name]
        raise AttributeError(f"the corpus has no table {name!r}; tables: {', '.join(tables)}")

    def __dir__(self):
        return [*super().__dir__(), *self.tables]

    @cached_property
    def study(self):
        """The study's description (``stances.Study``: title, thesis, labels, colours, publisher,
        fact-check notebook, licences), built on first use from the tables and the descriptor load read."""
        from stances.corpus.study import read_study

        return read_study(self)

    def text(self, doc_id: str) -> str:
        """The verbatim source text of ``doc_id``."""
        try:
            return self.texts[doc_id]
        except KeyError:
            raise unknown_document(doc_id, list(self.texts)) from None


def _walk(data_dir: Path):
    """(path relative to ``data_dir``, whether it is a symlink) for every file and symlink under
    it; symlinked folders are not entered. One ``scandir`` per folder: no call per file."""
    folders = [(str(data_dir), "")]
    while folders:
        folder, prefix = folders.pop()
        with os.scandir(folder) as entries:
            for entry in entries:
                if entry.is_symlink() or not entry.is_dir():
                    yield prefix + entry.name, entry.is_symlink()
                else:
                    folders.append((entry.path, f"{prefix}{entry.name}{os.sep}"))


def _links_out(corpus: checks.Parsed, named: set[str]) -> list[Problem]:
    """Every symlink under the data directory stays inside it (``confine``), declared or not:
    whatever is there is published with the data. Those the package names are reported there."""
    problems = []
    for path, link in _walk(corpus.data_dir):
        why = confine(corpus.data_dir, path)[1] if link and os.path.normpath(path) not in named else ""
        if why:
            problems.append(Problem(str(corpus.data_dir / path), 0, "-", f"symlink: {why} (everything "
                                    "in data/ is published with it; move the file in or delete the link)",
                                    "file"))
    return problems


def _typed(field: Field, rows: Rows) -> pa.ChunkedArray:
    """A column typed as the package declares it: integers, the enum's values (a categorical in
    pandas), or strings; an empty cell is null."""
    column = rows[field.name]
    if field.type == "integer":
        return checks.integers(rows, field.name)  # parsed once, shared with the checks
    if field.enum is not None:
        values = pa.array(field.enum)
        return pa.DictionaryArray.from_arrays(pc.index_in(column, values).combine_chunks(), values)
    empty = pc.equal(column, "")
    return pc.if_else(empty, None, column) if pc.any(empty).as_py() else column


PANDAS_TYPES = {pa.large_string(): STRING, pa.int64(): pd.Int64Dtype()}.get  # NA, not NaN


def _frame(table: Table, rows: Rows) -> pd.DataFrame:
    typed = pa.table([_typed(f, rows) for f in table.fields], names=table.columns)
    return typed.to_pandas(types_mapper=PANDAS_TYPES)


def _read_tables(corpus: checks.Parsed, replaced: Mapping[str, bytes]) -> list[Problem]:
    """Phase one: parse every table of ``corpus.tables`` into ``corpus.raws``, read the sources;
    a table ``replaced`` names (by its path) is read from there instead of its file."""
    problems = []
    for name, table in corpus.tables.items():
        shown = corpus.shown[name] = str(corpus.data_dir / table.path)
        if os.path.normpath(table.path) in replaced:
            content, why = replaced[os.path.normpath(table.path)], ""
        else:
            content, why = confined_bytes(corpus.data_dir, table.path)
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
    named = {os.path.normpath(t.path) for t in corpus.tables.values()}
    documents = corpus.raws.get("documents")
    if documents is not None and "path" in documents:
        named.update(os.path.normpath(p) for p in documents["path"].to_pylist() if p)
    return problems + read_sources(corpus) + _links_out(corpus, named)


def check(data_dir: Path, replaced: Mapping[str, bytes] | None = None
          ) -> tuple[checks.Parsed | None, list[Problem]]:
    """Parse every table, then run every check; return what was read and every problem (what
    ``validate``, ``load`` and every command that writes a study run). ``replaced``: new contents
    of some tables (path in the package: bytes), checked before a command writes them. A change a
    killed command left half-done is finished first."""
    try:
        files.recover(data_dir)
    except OSError as err:
        return None, [Problem(str(data_dir / files.JOURNAL), 0, "-", "an interrupted change could not be "
                              f"finished ({err.strerror or err}); run again where the folder is writable",
                              "file")]
    try:
        descriptor, tables = read_package(data_dir)
        corpus = checks.Parsed(data_dir, tables, descriptor=descriptor)
    except CorpusError as err:  # the package itself is wrong: no table can be read
        return None, err.problems
    problems = _read_tables(corpus, replaced or {})
    tables = corpus.tables
    for table_check in (*checks.TABLE_CHECKS, *spans.SPAN_CHECKS):  # phase two
        for name, raw in corpus.raws.items():
            problems += table_check(tables[name], raw, corpus)
    order = {corpus.shown[name]: (i, t.columns) for i, (name, t) in enumerate(tables.items())}

    def position(p: Problem):
        i, columns = order.get(p.path, (-1, []))
        return i, p.line, columns.index(p.column) if p.column in columns else -1, p.message

    return corpus, sorted(problems, key=position)


def validate(data_dir: str | Path = "data") -> list[Problem]:
    """Every problem of the corpus in ``data_dir``, in file order (empty when it is valid)."""
    return check(Path(data_dir))[1]


def load(data_dir: str | Path = "data") -> Corpus:
    """Read, validate and type every table under ``data_dir``; ``CorpusError`` lists every
    problem (``path:line: column: message``). No row is dropped, coerced or reordered."""
    corpus, problems = check(Path(data_dir))
    if problems:
        raise CorpusError(problems)
    frames = {name: _frame(corpus.tables[name], raw) for name, raw in corpus.raws.items()}
    return Corpus(tables=MappingProxyType(frames), texts=MappingProxyType(corpus.texts),
                  data_dir=Path(data_dir), descriptor=MappingProxyType(corpus.descriptor))

