"""The table schemas, read from ``datapackage.json`` (never copied into Python)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from ._errors import CorpusError, Problem

PACKAGE_FILE = "datapackage.json"


@dataclass(frozen=True)
class Field:
    name: str
    type: str = "string"
    required: bool = False
    unique: bool = False
    enum: tuple[str, ...] | None = None
    pattern: str | None = None
    minimum: int | None = None


@dataclass(frozen=True)
class ForeignKey:
    field: str
    resource: str  # the referenced table's name
    reference: str  # the referenced field


@dataclass(frozen=True)
class Table:
    name: str
    path: str  # relative to the data directory
    fields: tuple[Field, ...]
    primary_key: tuple[str, ...]
    foreign_keys: tuple[ForeignKey, ...]

    @property
    def columns(self) -> list[str]:
        return [f.name for f in self.fields]

    def field(self, name: str) -> Field:
        return next(f for f in self.fields if f.name == name)


def _as_list(value) -> list[str]:
    return [value] if isinstance(value, str) else list(value)


def _field(spec: dict) -> Field:
    constraints = spec.get("constraints", {})
    enum = constraints.get("enum")
    return Field(
        name=spec["name"],
        type=spec.get("type", "string"),
        required=bool(constraints.get("required", False)),
        unique=bool(constraints.get("unique", False)),
        enum=tuple(enum) if enum is not None else None,
        pattern=constraints.get("pattern"),
        minimum=constraints.get("minimum"),
    )


def _table(resource: dict) -> Table:
    schema = resource["schema"]
    keys = []
    for fk in schema.get("foreignKeys", []):
        ref = fk["reference"]
        for own, other in zip(_as_list(fk["fields"]), _as_list(ref["fields"]), strict=True):
            keys.append(ForeignKey(own, ref["resource"] or resource["name"], other))
    return Table(
        name=resource["name"],
        path=resource["path"],
        fields=tuple(_field(f) for f in schema["fields"]),
        primary_key=tuple(_as_list(schema.get("primaryKey", []))),
        foreign_keys=tuple(keys),
    )


def read_package(data_dir: str | Path) -> dict[str, Table]:
    """Return the package's tables by name, in the order the package lists them."""
    path = Path(data_dir) / PACKAGE_FILE
    shown = str(path)
    if not path.is_file():
        raise CorpusError([Problem(shown, 0, "-", "file is missing (the corpus is described by it)")])
    try:
        package = json.loads(path.read_text(encoding="utf-8"))
        return {r["name"]: _table(r) for r in package["resources"]}
    except json.JSONDecodeError as err:
        raise CorpusError([Problem(shown, err.lineno, "-", f"invalid JSON: {err.msg}")]) from None
    except (KeyError, TypeError, ValueError) as err:
        raise CorpusError([Problem(shown, 0, "-", f"not a valid data package: {err!r}")]) from None
