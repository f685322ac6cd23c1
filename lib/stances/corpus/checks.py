"""The checks of columns, values and keys: each one a function
``check(table, rows, corpus) -> list[Problem]`` listed in ``TABLE_CHECKS`` (the anchored spans'
are in ``spans``, the source files in ``documents``), over the table's columns of strings
(``rows[name]``). Each finds the failing rows with whole-column ``pyarrow.compute`` functions
(``pc.equal``, ``pc.is_in``, ``pc.match_substring_regex``: one call per column, fast for ten
rows and for a million), then writes one message per failing row."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from stances.corpus.csvtable import Rows
from stances.corpus.descriptor import MAX_DIGITS, Table
from stances.errors import Problem, show

# Whole numbers that fit in int64, written one way only: no "+", no leading zeros, no "-0",
# so that a loaded corpus writes back byte for byte.
CANONICAL_INTEGER = rf"^(?:0|-?[1-9][0-9]{{0,{MAX_DIGITS - 1}}})$"
# Whitespace a reader cannot tell apart: at either end, other than one plain space (tab, line
# break, no-break or other Unicode spaces), or two spaces in a row (RE2 syntax).
UNSEEN_SPACE = r"^[\s\p{Z}]|[\s\p{Z}]$|[\t\n\v\f\r\x85]|[^\P{Z} ]|  "


@dataclass
class Parsed:
    """Everything read in the first phase, shared by the checks of the second."""
    data_dir: Path
    tables: dict[str, Table]
    raws: dict[str, Rows] = field(default_factory=dict)
    shown: dict[str, str] = field(default_factory=dict)  # resource name -> its path in problems
    incomplete: set[str] = field(default_factory=set)  # tables with unreadable rows: no key targets
    texts: dict[str, str] = field(default_factory=dict)
    descriptor: dict = field(default_factory=dict)  # datapackage.json as parsed


def _flag(problems: list, rows: Rows, shown: str, name: str, check: str, failing, message) -> None:
    """One problem per row where ``failing`` is true (null counts as false), ``message(the
    value)`` in column ``name``."""
    if not pc.any(failing).as_py():
        return
    values = rows[name]
    for i in np.flatnonzero(pc.fill_null(failing, False).to_numpy(zero_copy_only=False)):
        problems.append(Problem(shown, int(rows.lines[i]), name, message(values[i].as_py()), check))


def integers(rows: Rows, name: str) -> pa.ChunkedArray:
    """The column's canonical integers as int64 (null where a value is empty or not one)."""
    if name not in rows.numbers:
        column = rows[name]
        good = pc.match_substring_regex(column, CANONICAL_INTEGER)
        rows.numbers[name] = pc.cast(pc.if_else(good, column, None), pa.int64())
    return rows.numbers[name]


def _not_an_integer(value: str) -> str:
    digits = value.lstrip("+-")
    if not digits.isascii() or not digits.isdigit():
        return f"{show(value)} is not an integer"
    if len(digits.lstrip("0")) > MAX_DIGITS:
        return f"{show(value)} is too large (at most {MAX_DIGITS} digits)"
    return f"{show(value)} is not written canonically (no '+', no leading zeros, no '-0')"


def _is_date(value: str) -> bool:
    """A YYYY-MM-DD date that exists on the calendar (2021-02-30 does not)."""
    try:
        return date.fromisoformat(value).isoformat() == value
    except ValueError:
        return False


# --- the checks -----------------------------------------------------------------------------------

def check_columns(table: Table, rows: Rows, corpus: Parsed) -> list[Problem]:
    shown, declared, found = corpus.shown[table.name], table.columns, rows.header
    problems = [Problem(shown, 1, name, "missing column (datapackage.json declares it)", "columns")
                for name in declared if name not in found]
    problems += [Problem(shown, 1, name, "unknown column (not declared in datapackage.json)", "columns")
                 for name in found if name not in declared]
    if not problems and found != declared:
        problems.append(Problem(shown, 1, "-", "columns are not in the declared order: "
                                + ", ".join(declared), "columns"))
    return problems


def check_fields(table: Table, rows: Rows, corpus: Parsed) -> list[Problem]:
    """Every constraint the package declares (``descriptor.CONSTRAINTS``) but ``unique``, and the
    integer and date types. A required value of whitespace alone is missing too."""
    problems = []
    for spec in (f for f in table.fields if f.name in rows):
        def report(check, failing, message, name=spec.name):
            _flag(problems, rows, corpus.shown[table.name], name, check, failing, message)

        column = rows[spec.name]
        present = pc.not_equal(column, "")
        if spec.required:
            report("required", pc.invert(present), lambda v: "missing value (required)")
            report("required", pc.utf8_is_space(column),  # NBSP too: nothing a reader can see
                   lambda v: f"{show(v)} is only whitespace (a value is required)")
        if spec.type == "integer":
            numbers = integers(rows, spec.name)
            report("integer", pc.and_(present, pc.is_null(numbers)), _not_an_integer)
            if spec.minimum is not None:
                report("minimum", pc.less(numbers, spec.minimum),
                       lambda v, m=spec.minimum: f"{v} is below the minimum {m}")
            if spec.maximum is not None:
                report("maximum", pc.greater(numbers, spec.maximum),
                       lambda v, m=spec.maximum: f"{v} is above the maximum {m}")
        elif spec.min_length is not None or spec.max_length is not None:
            length = pc.utf8_length(column)  # in characters, as Table Schema counts
            if spec.min_length is not None:
                report("minLength", pc.and_(present, pc.less(length, spec.min_length)),
                       lambda v, m=spec.min_length: f"{show(v)} is shorter than {m} characters "
                                                    f"(minLength; it has {len(v)})")
            if spec.max_length is not None:
                report("maxLength", pc.greater(length, spec.max_length),
                       lambda v, m=spec.max_length: f"{show(v)} is longer than {m} characters "
                                                    f"(maxLength; it has {len(v)})")
        if spec.type == "date":
            report("date", pa.array([bool(v) and not _is_date(v) for v in column.to_pylist()], pa.bool_()),
                   lambda v: f"{show(v)} is not a date on the calendar (YYYY-MM-DD)")
        if spec.enum is not None:
            allowed = ", ".join(spec.enum)
            report("enum", pc.and_(present, pc.invert(pc.is_in(column, pa.array(spec.enum)))),
                   lambda v, a=allowed: f"{show(v)} is not one of: {a}")
        if spec.pattern is not None:
            report("pattern", pc.and_(present, pc.invert(pc.match_substring_regex(column, spec.pattern))),
                   lambda v, p=spec.pattern[4:-2]: f"{show(v)} does not match the pattern {p}")
    return problems


def check_unique(table: Table, rows: Rows, corpus: Parsed) -> list[Problem]:
    """Unique fields and the primary key (one column or several together), compared as written;
    a key holds no whitespace that does not show (``UNSEEN_SPACE``) and is in NFC (METHOD.md §13)."""
    keys = [(spec.name,) for spec in table.fields if spec.unique]
    if table.primary_key and table.primary_key not in keys:
        keys.append(table.primary_key)
    problems, shown = [], corpus.shown[table.name]
    for name in dict.fromkeys(n for key in keys for n in key if n in rows):
        column = rows[name]
        if not pc.all(pc.utf8_is_alnum(column)).as_py():  # letters and digits alone hide no space
            hidden = pc.and_not(pc.match_substring_regex(column, UNSEEN_SPACE), pc.utf8_is_space(column))
            _flag(problems, rows, shown, name, "key", hidden,
                  lambda v: f"{show(v)} holds whitespace that does not show (a key has no space at "
                            "either end, no tab, line break, no-break or double space)")
        if pc.all(pc.string_is_ascii(column)).as_py() is False:  # ASCII is NFC: the usual case
            not_nfc = [not unicodedata.is_normalized("NFC", v) for v in column.to_pylist()]
            _flag(problems, rows, shown, name, "key", pa.array(not_nfc, pa.bool_()),
                  lambda v: f"{show(v)} is not in Unicode NFC (keys are compared as written)")
    for key in (k for k in keys if set(k) <= set(rows.header)):
        ids = rows[key[0]]
        if len(key) == 1 and (pc.all(pc.greater(ids[1:], ids[:-1])).as_py() is not False
                              or len(pc.unique(ids)) == len(ids)):
            continue  # distinct: written in increasing order (the usual case) or all different
        first_line = {}  # an empty cell is no key (reported as missing if the key is required)
        values = zip(*(rows[n].to_pylist() for n in key), strict=True)
        for line, value in zip(rows.lines.tolist(), values, strict=True):
            if value != ("",) and first_line.setdefault(value, line) != line:
                problems.append(Problem(shown, line, key[0], f"duplicate key {show(', '.join(value))} "
                                        f"(first on line {first_line[value]})", "unique"))
    return problems


def check_foreign_keys(table: Table, rows: Rows, corpus: Parsed) -> list[Problem]:
    problems = []
    for key in table.foreign_keys:
        other = corpus.raws.get(key.resource)
        if (key.field not in rows or other is None or key.reference not in other
                or key.resource in corpus.incomplete):
            continue  # the missing table, column or rows are reported on their own
        column = rows[key.field]
        target = f"{key.reference} in {corpus.tables[key.resource].path}"
        _flag(problems, rows, corpus.shown[table.name], key.field, "foreign key",
              pc.and_(pc.not_equal(column, ""), pc.invert(pc.is_in(column, other[key.reference]))),
              lambda v, t=target: f"{show(v)} is not a {t}")
    return problems


def check_notebook_names(corpus: Parsed, notebooks: Path) -> list[Problem]:
    """Every value of a column named ``*_notebook`` (``study.csv``: ``thesis_notebook``,
    ``factcheck_notebook``) names a notebook ``<value>.ipynb`` in the folder ``notebooks``."""
    problems = []
    for name, rows in corpus.raws.items():
        for column in (c for c in rows.header if c.endswith("_notebook")):
            for line, value in zip(rows.lines.tolist(), rows[column].to_pylist(), strict=True):
                if not value:
                    continue
                if "/" in value or "\\" in value or value.startswith("."):
                    message = f"{show(value)} is not a notebook's name (a file name, no folder)"
                elif not (notebooks / f"{value}.ipynb").is_file():
                    message = (f"names the notebook {show(value)}, but {notebooks} holds no "
                               f"{show(value + '.ipynb')}")
                else:
                    continue
                problems.append(Problem(corpus.shown[name], line, column, message, "notebook"))
    return problems


TABLE_CHECKS = (check_columns, check_fields, check_unique, check_foreign_keys)  # then spans.SPAN_CHECKS
