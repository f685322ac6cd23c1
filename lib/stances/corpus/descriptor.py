"""The table schemas, read from ``datapackage.json`` and checked before any data is read, in
the three layers METHOD.md §13 states, each problem as ``datapackage.json:0: <JSON path>:
message``, never a traceback: 1. strict JSON and 2. the standard's profiles (``jsonfile``);
3. what the loader needs beyond the standard (``_Rules``). One property is the loader's own:
``"spansCrossSentences": false`` on a resource with anchored spans says that no span may run
over a sentence boundary, except inside a quotation that does (the codebook's rule).

Where a rule of the loader names a problem, the profile's message at the same JSON path is left
out (the loader's is the more specific: ``'/etc/x' is absolute``, not a regular expression).
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc

from stances.corpus.jsonfile import json_kind, loads, profile_problems, strict_problems
from stances.corpus.paths import confine, file_bytes, real_folder
from stances.corpus.schema import PACKAGE_FILE, core_tables
from stances.errors import CorpusError, Problem, show

TYPES = ("string", "integer", "date")  # the Table Schema types the loader checks and converts
# Every constraint the loader enforces on the rows, and the field types it enforces it on.
CONSTRAINTS = {"required": TYPES, "unique": TYPES, "enum": ("string",), "pattern": TYPES,
               "minLength": ("string",), "maxLength": ("string",),
               "minimum": ("integer",), "maximum": ("integer",)}
MAX_DIGITS = 18  # integers in the tables and bounds in the constraints: at most 18 digits
MAX_PACKAGE_BYTES = 16 << 20


@dataclass(frozen=True)
class Field:
    name: str
    type: str
    required: bool  # also every field of the primary key
    unique: bool
    enum: tuple[str, ...] | None
    pattern: str | None  # anchored: the whole value must match, as Table Schema says
    minimum: int | None = None
    maximum: int | None = None
    min_length: int | None = None  # in characters
    max_length: int | None = None


@dataclass(frozen=True)
class ForeignKey:
    field: str
    resource: str  # the referenced table's name
    reference: str  # the referenced field
    where: str  # its JSON path in datapackage.json


@dataclass(frozen=True)
class Table:
    name: str
    path: str  # relative to the data directory, checked to stay inside it
    fields: tuple[Field, ...]
    primary_key: tuple[str, ...]
    foreign_keys: tuple[ForeignKey, ...]
    spans_cross_sentences: bool = True  # false: an anchored span stays inside one sentence

    @property
    def columns(self) -> list[str]:
        return [f.name for f in self.fields]


# --- 3. the loader's own rules --------------------------------------------------------------------

def _key_names(value) -> tuple[str, ...]:  # Table Schema allows one field name or a list
    names = [value] if isinstance(value, str) else value
    return tuple(names) if isinstance(names, list) and all(isinstance(n, str) for n in names) else ()


def _integer(value) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


class _Rules:
    """The loader's rules on a parsed descriptor. Values of the wrong JSON type are the
    profile's to report: here they read as absent, so that no rule stumbles on them."""

    def __init__(self):
        self.problems: list[tuple[str, str]] = []
        self.unknown_fields: set[str] = set()  # tables whose fields cannot be read: no key is checked

    def problem(self, where: str, message: str) -> None:
        self.problems.append((where, message))

    def repeated(self, names: list[str], where: str, what: str) -> None:
        for name, count in Counter(names).items():
            if count > 1 and name:
                self.problem(where, f"{what} {show(name)} is declared more than once")

    def known(self, names: tuple[str, ...], columns: list[str], table: str, where: str) -> None:
        for name in (n for n in names if n not in columns and table not in self.unknown_fields):
            self.problem(where, f"names {show(name)}, which is not a field of {show(table)}")

    def field(self, where: str, spec: dict, key: tuple[str, ...]) -> Field:
        name, kind = spec.get("name"), spec.get("type", "string")
        if isinstance(kind, str) and kind not in TYPES:
            self.problem(f"{where}.type", f"{show(kind)} is not supported; use one of: {', '.join(TYPES)}")
        supported = kind in TYPES
        kind = kind if supported else "string"
        c = spec.get("constraints") if isinstance(spec.get("constraints"), dict) else {}
        at = f"{where}.constraints"
        for constraint in c:
            if constraint not in CONSTRAINTS:
                self.problem(f"{at}.{show(constraint, 40)[1:-1]}", "is not supported; the loader "
                             f"enforces only: {', '.join(CONSTRAINTS)}")
            elif supported and kind not in CONSTRAINTS[constraint]:
                self.problem(f"{at}.{constraint}",
                             f"is only supported on {' and '.join(CONSTRAINTS[constraint])} fields")
        enum = c.get("enum") if isinstance(c.get("enum"), list) and c.get("enum") else None
        if enum is not None and not all(isinstance(v, str) for v in enum):
            self.problem(f"{at}.enum", "must list strings (the values as written in the CSV)")
        pattern = c.get("pattern") if isinstance(c.get("pattern"), str) else None
        if pattern is not None:
            pattern = f"^(?:{pattern})$"  # anchored: Table Schema means the whole value
            try:  # compiled by the engine that runs it (RE2), not by Python's re
                pc.match_substring_regex(pa.array([""]), pattern)
            except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
                self.problem(f"{at}.pattern", f"{show(pattern[4:-2])} is not a regular expression "
                                              "(RE2 syntax: no backreferences or lookaround)")
        bounds = {b: _integer(c.get(b)) for b in ("minimum", "maximum", "minLength", "maxLength")}
        for bound, value in bounds.items():
            if bound in c and value is None and supported and kind in CONSTRAINTS[bound]:
                self.problem(f"{at}.{bound}", f"must be an integer, not {json_kind(c[bound])}")
            elif value is not None and abs(value) >= 10**MAX_DIGITS:
                self.problem(f"{at}.{bound}", f"{show(str(value), 24)} is too large "
                                              f"(at most {MAX_DIGITS} digits)")
                bounds[bound] = None
        return Field(name if isinstance(name, str) else "", kind,
                     c.get("required") is True or name in key, c.get("unique") is True,
                     tuple(enum) if enum else None, pattern, bounds["minimum"], bounds["maximum"],
                     bounds["minLength"], bounds["maxLength"])

    def table(self, where: str, resource: dict, data_dir: Path) -> Table:
        name, path = resource.get("name"), resource.get("path")
        name = name if isinstance(name, str) else ""
        if isinstance(path, list):
            self.problem(f"{where}.path", "must be a string, not an array (one file per resource)")
        elif isinstance(path, str) and confine(data_dir, path)[0] is None:
            self.problem(f"{where}.path", confine(data_dir, path)[1])
        crossing = resource.get("spansCrossSentences", True)
        if not isinstance(crossing, bool):
            self.problem(f"{where}.spansCrossSentences", f"must be true or false, not {json_kind(crossing)}")
        encoding = resource.get("encoding", "utf-8")
        if isinstance(encoding, str) and encoding.lower().replace("_", "-") not in ("utf-8", "utf8"):
            self.problem(f"{where}.encoding", f"{show(encoding)} is not supported; save the table as UTF-8")
        schema = resource.get("schema") if isinstance(resource.get("schema"), dict) else {}
        where += ".schema"
        if schema.get("missingValues", [""]) != [""]:
            self.problem(f"{where}.missingValues", 'only [""] is supported (an empty cell is missing)')
        key = _key_names(schema.get("primaryKey"))
        specs = schema.get("fields") if isinstance(schema.get("fields"), list) else []
        if not isinstance(schema.get("fields"), list):
            self.unknown_fields.add(name)
        fields = [self.field(f"{where}.fields[{i}]", spec, key)
                  for i, spec in enumerate(specs) if isinstance(spec, dict)]
        columns = [f.name for f in fields]
        self.repeated(columns, f"{where}.fields", "field")
        self.known(key, columns, name, f"{where}.primaryKey")
        keys = []
        fks = schema.get("foreignKeys") if isinstance(schema.get("foreignKeys"), list) else []
        for j, fk in enumerate(fks):
            at = f"{where}.foreignKeys[{j}]"
            fk = fk if isinstance(fk, dict) else {}
            ref = fk.get("reference") if isinstance(fk.get("reference"), dict) else {}
            own, other = _key_names(fk.get("fields")), _key_names(ref.get("fields"))
            target = ref.get("resource")
            if own and other and len(own) != len(other):
                self.problem(at, "fields and reference.fields differ in length")
            elif own and other and isinstance(target, str):
                keys += [ForeignKey(a, target or name, b, at) for a, b in zip(own, other, strict=True)]
        return Table(name, path if isinstance(path, str) else "", tuple(fields), key, tuple(keys),
                     crossing is not False)

    def package(self, package, data_dir: Path) -> dict[str, Table]:
        resources = package.get("resources") if isinstance(package, dict) else None
        tables = [self.table(f"resources[{i}]", r, data_dir)
                  for i, r in enumerate(resources if isinstance(resources, list) else [])
                  if isinstance(r, dict)]
        self.repeated([t.name for t in tables], "resources", "resource")
        by_name = {t.name: t for t in tables}
        for name in core_tables():  # the method's core tables (corpus/tables.json)
            if resources and name not in by_name:
                self.problem("resources", f"resource {name!r} is missing (the library needs it)")
        for table in tables:
            for key in table.foreign_keys:
                other = by_name.get(key.resource)
                self.known((key.field,), table.columns, table.name, key.where)
                if other is None:
                    self.problem(key.where, f"refers to resource {show(key.resource)}, which is not declared")
                elif key.reference not in other.columns and key.resource not in self.unknown_fields:
                    self.problem(key.where, f"refers to {show(key.reference)}, which is not a field of "
                                            f"{show(key.resource)}")
        return by_name


def _refuse(path: Path, problems: list[tuple[str, str]], line: int = 0):
    raise CorpusError([Problem(str(path), line, where.lstrip(".") or "-", message, "package")
                       for where, message in problems])


def read_descriptor(data_dir: str | Path) -> dict:
    """``datapackage.json`` parsed as strict JSON (no repeated keys, NaN, Infinity or numbers too
    large), not yet checked against the profiles; CorpusError naming the JSON path of each refusal.
    Every reader of the descriptor goes through here, so no command accepts what ``load`` refuses."""
    path = Path(data_dir) / PACKAGE_FILE
    content, why = file_bytes(path)  # a FIFO or a folder in its place is reported, not waited on
    if content is None:
        _refuse(path, [("", "file is missing (the corpus is described by it)" if why == "does not exist"
                        else f"file {why}")])
    if len(content) > MAX_PACKAGE_BYTES:
        _refuse(path, [("", f"is larger than {MAX_PACKAGE_BYTES >> 20} MiB; a descriptor is small")])
    try:
        package = loads(content.decode("utf-8"))
        problems = list(strict_problems(package))
    except UnicodeDecodeError as err:
        _refuse(path, [("", f"is not UTF-8 (byte 0x{content[err.start]:02x} at byte {err.start + 1})")])
    except json.JSONDecodeError as err:
        _refuse(path, [("", f"invalid JSON: {err.msg} (column {err.colno})")], err.lineno)
    except RecursionError:
        _refuse(path, [("", "invalid JSON: nested too deeply")])
    if problems:
        _refuse(path, problems)
    return package


def read_package(data_dir: str | Path) -> tuple[dict, dict[str, Table]]:
    """The parsed descriptor and the package's tables by name, in package order; CorpusError if
    the package is bad."""
    real_folder.cache_clear()
    path, package = Path(data_dir) / PACKAGE_FILE, read_descriptor(data_dir)
    try:
        rules = _Rules()
        tables = rules.package(package, Path(data_dir))
        ours = {where for where, _ in rules.problems}
        problems = [p for p in profile_problems(package)
                    if not any(o == p[0] or o.startswith((p[0] + ".", p[0] + "[")) for o in ours)]
        problems += rules.problems
    except RecursionError:
        _refuse(path, [("", "invalid JSON: nested too deeply")])
    if problems:
        _refuse(path, problems)
    return package, tables
