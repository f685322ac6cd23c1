"""The table schemas, read from ``datapackage.json`` and checked before any data is read: every
property the loader uses, for its type and meaning (patterns compile, keys name fields that
exist, paths stay inside the data directory), each problem as ``datapackage.json:0: <JSON
path>: message``, never as a traceback."""

from __future__ import annotations

import errno
import functools
import json
import os
from dataclasses import dataclass
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc

from ._errors import CorpusError, Problem
from ._reading import file_bytes

PACKAGE_FILE = "datapackage.json"
REQUIRED_RESOURCES = ("documents", "actors", "claims", "statements", "relations")
TYPES = ("string", "integer", "date")  # the Table Schema types the loader checks and converts
MAX_PACKAGE_BYTES = 16 << 20


@dataclass(frozen=True)
class Field:
    name: str
    type: str
    required: bool
    unique: bool
    enum: tuple[str, ...] | None
    pattern: str | None  # anchored: the whole value must match, as Table Schema says
    minimum: int | None


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

    @property
    def columns(self) -> list[str]:
        return [f.name for f in self.fields]


def confine(data_dir: Path, path: object, inside: str = "") -> tuple[str | None, str]:
    """The one rule for every path the package names, read or written: relative, no ``..``, and
    inside ``data_dir/inside`` with symlinks resolved. The resolved path, or None and why not."""
    where = f"data/{inside}/" if inside else "data/"
    if not isinstance(path, str) or not path:
        return None, f"must be a non-empty path inside {where}"
    if os.path.isabs(path) or path.startswith(("/", "\\")):
        return None, f"{path!r} is absolute; give a path inside {where}"
    if ".." in path.replace("\\", "/").split("/") or "\x00" in path:
        return None, f"{path!r} escapes {where}"
    head, name = os.path.split(os.path.join(data_dir, path))
    real = os.path.join(_real_folder(head), name)  # each folder is resolved once per load
    try:
        if os.path.islink(real):
            real = os.path.realpath(real, strict=True)
    except OSError as err:
        if err.errno != errno.ENOENT:  # a symlink loop, a name too long; a dangling link is missing
            return None, f"{path!r} cannot be resolved ({err.strerror})"
    if not real.startswith(_real_folder(os.path.join(data_dir, inside)).rstrip(os.sep) + os.sep):
        return None, f"{path!r} escapes {where}"
    return real, ""


_real_folder = functools.lru_cache(maxsize=4096)(os.path.realpath)  # cleared on every load


_KINDS = {str: "a string", bool: "true or false", int: "an integer", float: "a number",
          list: "an array", dict: "an object", type(None): "null"}


class _Descriptor:
    """Reads the parsed JSON, recording a problem for every property of the wrong kind or meaning."""

    def __init__(self, shown: str):
        self.shown, self.problems = shown, []

    def problem(self, where: str, message: str) -> None:
        self.problems.append(Problem(self.shown, 0, where.lstrip(".") or "-", message, "package"))

    def is_a(self, value, kind, where: str) -> bool:
        if isinstance(value, kind) and not (isinstance(value, bool) and kind is int):
            return True
        self.problem(where, f"must be {_KINDS[kind]}, not {_KINDS.get(type(value), type(value).__name__)}")
        return False

    def get(self, obj: dict, key: str, kind, where: str, required: bool = False, default=None):
        if key not in obj:
            if required:
                self.problem(f"{where}.{key}", "is missing")
            return default
        return obj[key] if self.is_a(obj[key], kind, f"{where}.{key}") else default

    def objects(self, items: list, where: str) -> list[tuple[str, dict]]:  # (JSON path, item)
        return [(f"{where}[{i}]", item) for i, item in enumerate(items)
                if self.is_a(item, dict, f"{where}[{i}]")]

    def names(self, value, where: str) -> tuple[str, ...]:  # Table Schema allows one or a list
        names = [value] if isinstance(value, str) else value
        if not isinstance(names, list) or not names or not all(isinstance(n, str) for n in names):
            self.problem(where, "must be a field name or a non-empty list of field names")
            return ()
        return tuple(names)

    def repeated(self, names: list, where: str, what: str) -> None:
        for name in sorted({n for n in names if n is not None and names.count(n) > 1}):
            self.problem(where, f"{what} {name!r} is declared more than once")

    def known(self, names: tuple[str, ...], columns: list[str], table: str, where: str) -> None:
        for name in (n for n in names if n not in columns):
            self.problem(where, f"names {name!r}, which is not a field of {table!r}")

    def field(self, where: str, spec: dict) -> Field:
        name = self.get(spec, "name", str, where, required=True)
        kind = self.get(spec, "type", str, where, default="string")
        if kind not in TYPES:
            self.problem(f"{where}.type", f"{kind!r} is not supported; use one of: {', '.join(TYPES)}")
        c, where = self.get(spec, "constraints", dict, where, default={}), f"{where}.constraints"
        enum = self.get(c, "enum", list, where)
        if enum is not None and not (enum and all(isinstance(v, str) for v in enum)
                                     and len(set(enum)) == len(enum)):
            self.problem(f"{where}.enum", "must be a non-empty list of distinct strings")
        pattern = self.get(c, "pattern", str, where)
        if pattern is not None:
            pattern = f"^(?:{pattern})$"  # anchored: Table Schema means the whole value
            try:  # compiled by the engine that runs it (RE2), not by Python's re
                pc.match_substring_regex(pa.array([""]), pattern)
            except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
                self.problem(f"{where}.pattern", f"{pattern[4:-2]!r} is not a regular expression "
                                                 "(RE2 syntax: no backreferences or lookaround)")
        minimum = self.get(c, "minimum", int, where)
        if minimum is not None and kind in TYPES and kind != "integer":
            self.problem(f"{where}.minimum", "is only supported on integer fields")
        return Field(name, kind, self.get(c, "required", bool, where, default=False),
                     self.get(c, "unique", bool, where, default=False),
                     tuple(enum) if enum else None, pattern, minimum)

    def table(self, where: str, resource: dict, data_dir: Path) -> Table:
        name = self.get(resource, "name", str, where, required=True)
        path = self.get(resource, "path", str, where, required=True)
        if path is not None and confine(data_dir, path)[0] is None:
            self.problem(f"{where}.path", confine(data_dir, path)[1])
        encoding = self.get(resource, "encoding", str, where, default="utf-8")
        if encoding.lower().replace("_", "-") not in ("utf-8", "utf8"):
            self.problem(f"{where}.encoding", f"{encoding!r} is not supported; save the table as UTF-8")
        schema = self.get(resource, "schema", dict, where, required=True, default={})
        where += ".schema"
        if self.get(schema, "missingValues", list, where, default=[""]) != [""]:
            self.problem(f"{where}.missingValues", 'only [""] is supported (an empty cell is missing)')
        specs = self.get(schema, "fields", list, where, required=True, default=[])
        if "fields" in schema and not specs:
            self.problem(f"{where}.fields", "must list at least one field")
        fields = [self.field(*item) for item in self.objects(specs, f"{where}.fields")]
        columns = [f.name for f in fields]
        self.repeated(columns, f"{where}.fields", "field")
        key = self.names(schema["primaryKey"], f"{where}.primaryKey") if "primaryKey" in schema else ()
        self.known(key, columns, name, f"{where}.primaryKey")
        keys = []
        for at, fk in self.objects(self.get(schema, "foreignKeys", list, where, default=[]),
                                   f"{where}.foreignKeys"):
            ref = self.get(fk, "reference", dict, at, required=True, default={})
            own = self.names(fk.get("fields"), f"{at}.fields")
            other = self.names(ref.get("fields"), f"{at}.reference.fields")
            target = self.get(ref, "resource", str, f"{at}.reference", required=True)
            if own and other and len(own) != len(other):
                self.problem(at, "fields and reference.fields differ in length")
            elif own and other and target is not None:
                keys += [ForeignKey(a, target or name, b, at) for a, b in zip(own, other, strict=True)]
        return Table(name, path, tuple(fields), key, tuple(keys))

    def package(self, package, data_dir: Path) -> dict[str, Table]:
        if not self.is_a(package, dict, ""):
            return {}
        resources = self.get(package, "resources", list, "", required=True, default=[])
        tables = [self.table(*item, data_dir) for item in self.objects(resources, "resources")]
        self.repeated([t.name for t in tables], "resources", "resource")
        by_name = {t.name: t for t in tables}
        for name in REQUIRED_RESOURCES:
            if name not in by_name:
                self.problem("resources", f"resource {name!r} is missing (the library needs it)")
        for table in tables:
            for key in table.foreign_keys:
                other = by_name.get(key.resource)
                self.known((key.field,), table.columns, table.name, key.where)
                if other is None:
                    self.problem(key.where, f"refers to resource {key.resource!r}, which is not declared")
                elif key.reference not in other.columns:
                    self.problem(key.where, f"refers to {key.reference!r}, which is not a field of "
                                            f"{key.resource!r}")
        return by_name


def read_package(data_dir: str | Path) -> dict[str, Table]:
    """Return the package's tables by name, in package order; CorpusError if the package is bad."""
    path = Path(data_dir) / PACKAGE_FILE
    _real_folder.cache_clear()

    def fail(message: str, line: int = 0):
        raise CorpusError([Problem(str(path), line, "-", message, "package")])

    content, why = file_bytes(path)  # a FIFO or a folder in its place is reported, not waited on
    if content is None:
        fail("file is missing (the corpus is described by it)" if why == "does not exist"
             else f"file {why}")
    if len(content) > MAX_PACKAGE_BYTES:
        fail(f"is larger than {MAX_PACKAGE_BYTES >> 20} MiB; a descriptor is small")
    raw = bytes(content)
    try:
        package = json.loads(raw.decode("utf-8"))
    except UnicodeDecodeError as err:
        fail(f"is not UTF-8 (byte 0x{raw[err.start]:02x} at byte {err.start + 1})")
    except json.JSONDecodeError as err:
        fail(f"invalid JSON: {err.msg} (column {err.colno})", err.lineno)
    except RecursionError:
        fail("invalid JSON: nested too deeply")
    descriptor = _Descriptor(str(path))
    tables = descriptor.package(package, Path(data_dir))
    if descriptor.problems:
        raise CorpusError(descriptor.problems)
    return tables
