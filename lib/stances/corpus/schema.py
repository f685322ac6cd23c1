"""The method's tables, shipped with the library; a study declares only its vocabulary.

``corpus/tables.json`` is the one source of the schema, and it flows one way (from the method to
a study, never back): it holds the Table Schema of every table a stance study can have, in the
order a descriptor lists them, grouped into the core tables every study has and optional
groups (``study``: the report's description and the thesis; ``reliability``: a second coding;
``factcheck``: check-worthiness, checks and evidence; ``factcheck_reliability``: a second
check). Two enums are the study's own and stand there as placeholders: ``{topics}`` (claims,
relations and thesis parts share them) and ``{relation_types}``.

A study's ``datapackage.json`` is :func:`descriptor` of its :class:`Vocabulary` and its own
name, title, description, licences and sources. :func:`drift` regenerates it from the
vocabulary it declares and lists every place where the file differs, so a copy edited by hand
(a topic added to claims but not to relations, a constraint loosened) is caught;
``python -m stances schema DATA_DIR`` runs it, ``--write`` rewrites the file.
"""

from __future__ import annotations

import copy
import functools
import json
import re
from dataclasses import dataclass
from pathlib import Path

from stances.errors import clip

METHOD_FILE = Path(__file__).with_name("tables.json")
PACKAGE_FILE = "datapackage.json"  # a study's descriptor, in its data folder
NAME = re.compile(r"^[a-z][a-z0-9_]*$")  # a topic, relation type or fact: lower-case letters, digits, _
ABOUT = ("name", "title", "description", "licenses", "sources")  # the study's own metadata


@functools.cache
def _method() -> dict:
    return json.loads(METHOD_FILE.read_text(encoding="utf-8"))


def core_tables() -> tuple[str, ...]:
    """The tables every study has (``documents``, ``actors``, ``claims``, ...)."""
    return tuple(_method()["tables"]["core"])


def optional_tables() -> tuple[str, ...]:
    """The names of the optional groups of tables (``study``, ``reliability``, ...)."""
    return tuple(group for group in _method()["tables"] if group != "core")


def columns(resource: str) -> list[str]:
    """The columns of one of the method's tables, in order."""
    found = next(r for r in _method()["resources"] if r["name"] == resource)
    return [field["name"] for field in found["schema"]["fields"]]


def default_relation_types() -> tuple[str, ...]:
    return tuple(_method()["relation_types"])


@dataclass(frozen=True)
class Vocabulary:
    """What a study declares: its topics, its relation types and the optional tables it keeps."""

    topics: tuple[str, ...]
    relation_types: tuple[str, ...] = ()  # empty: the method's default set
    tables: tuple[str, ...] = ("study",)

    def __post_init__(self):
        object.__setattr__(self, "relation_types", self.relation_types or default_relation_types())
        for what in ("topics", "relation_types"):
            values = getattr(self, what)
            if not values:
                raise ValueError(f"{what}: at least one is needed")
            bad = [v for v in values if not NAME.match(v)]
            if bad:
                raise ValueError(f"{what}: {', '.join(map(repr, bad))} (lower-case letters, digits and '_', "
                                 "starting with a letter)")
            if len(set(values)) < len(values):
                raise ValueError(f"{what}: {', '.join(sorted({v for v in values if values.count(v) > 1}))} "
                                 "given twice")
        unknown = sorted(set(self.tables) - set(optional_tables()))
        if unknown:
            raise ValueError(f"tables: unknown optional table(s) {', '.join(unknown)}; "
                             f"the method has {', '.join(optional_tables())}")


def descriptor(vocabulary: Vocabulary, about: dict) -> dict:
    """The data package descriptor of a study: the method's resources for the core tables and the
    optional ones ``vocabulary.tables`` names, with the study's topics and relation types, after
    ``about`` (name, title, description, licenses, sources)."""
    method = _method()
    keep = {name for group in ("core", *vocabulary.tables) for name in method["tables"][group]}
    placeholders = {"{topics}": vocabulary.topics, "{relation_types}": vocabulary.relation_types}
    resources = [copy.deepcopy(resource) for resource in method["resources"] if resource["name"] in keep]
    for field in (field for resource in resources for field in resource["schema"]["fields"]):
        enum = field.get("constraints", {}).get("enum")
        if isinstance(enum, str):
            field["constraints"]["enum"] = list(placeholders[enum])
    return {**{key: about[key] for key in ABOUT if key in about}, "resources": resources}


def _dicts(value) -> list[dict]:
    """The objects of a list (a descriptor of the wrong shape has none where it should)."""
    return [item for item in value if isinstance(item, dict)] if isinstance(value, list) else []


def _get(value, key: str):
    return value.get(key) if isinstance(value, dict) else None


def _enum(package: dict, resource: str, field: str) -> list:
    for item in _dicts(package.get("resources")):
        if item.get("name") == resource:
            for column in _dicts(_get(item.get("schema"), "fields")):
                if column.get("name") == field:
                    enum = _get(column.get("constraints"), "enum")
                    if isinstance(enum, list) and all(isinstance(v, str) for v in enum):
                        return enum
    raise ValueError(f"{PACKAGE_FILE}: {resource}.{field} declares no enum of strings")


# What the method owns in a descriptor: the keys that shape a table. Any other key (keywords,
# contributors, version, a resource's or field's title and description...) is the study's own:
# `schema --write` keeps it and the drift check leaves it alone.
STRUCTURAL = {"name", "path", "data", "profile", "resources", "schema", "fields", "type", "format",
              "constraints", "primaryKey", "foreignKeys", "missingValues", "dialect", "encoding",
              "mediatype", "scheme", "fieldsMatch", "trueValues", "falseValues", "bareNumber",
              "groupChar", "decimalChar", "required", "unique", "enum", "minimum", "maximum",
              "minLength", "maxLength", "pattern", "reference", "resource"}


def keep_unowned(generated: dict, found: dict) -> dict:
    """``generated`` with every key of ``found`` the method does not own put back, at the package,
    each resource (matched by name), its schema and each field (matched by name)."""
    def merged(new: dict, old) -> dict:
        if not isinstance(old, dict):
            return new
        out = {key: new[key] if key in new else old[key] for key in old
               if key in new or key not in STRUCTURAL}
        out.update((key, value) for key, value in new.items() if key not in out)
        return out

    result = merged(generated, found)
    old_resources = {r.get("name"): r for r in _dicts(found.get("resources"))}
    resources = []
    for resource in generated["resources"]:
        old = old_resources.get(resource["name"], {})
        resource = merged(resource, old)
        schema = resource["schema"] = merged(resource["schema"], old.get("schema"))
        old_fields = {f.get("name"): f for f in _dicts(_get(old.get("schema"), "fields"))}
        schema["fields"] = [merged(field, old_fields.get(field["name"])) for field in schema["fields"]]
        resources.append(resource)
    result["resources"] = resources
    return result


def vocabulary_of(package: dict) -> Vocabulary:
    """The vocabulary a descriptor declares: the topics of ``claims.topic``, the relation types
    of ``relations.relation``, and each optional group any of whose tables it lists."""
    names = {r.get("name") for r in _dicts(package.get("resources"))}
    groups = _method()["tables"]
    return Vocabulary(topics=tuple(_enum(package, "claims", "topic")),
                      relation_types=tuple(_enum(package, "relations", "relation")),
                      tables=tuple(g for g in optional_tables() if names & set(groups[g])))


def _differences(expected, found, where: str) -> list[str]:
    if isinstance(expected, dict) and isinstance(found, dict):
        at = f"{where}." if where else ""
        problems = [f"{at}{key}: missing (the method declares {clip(json.dumps(expected[key]), 80)})"
                    for key in expected if key not in found]
        problems += [f"{at}{key}: not in the method's schema" for key in found
                     if key not in expected and key in STRUCTURAL]
        for key in expected:
            if key in found:
                problems += _differences(expected[key], found[key], f"{at}{key}")
        return problems
    if _field_list(expected) and _field_list(found) and \
            [f["name"] for f in expected] != [f["name"] for f in found]:
        names = [f["name"] for f in found]
        return [f"{where}: the method has the fields {', '.join(f['name'] for f in expected)}; "
                f"the file has {', '.join(map(str, names))}"]
    if isinstance(expected, list) and isinstance(found, list) and len(expected) == len(found) and \
            not all(isinstance(v, str) for v in expected):
        return [p for i, (e, f) in enumerate(zip(expected, found, strict=True))
                for p in _differences(e, f, f"{where}[{i}]")]
    if expected != found:
        return [f"{where}: the method says {clip(json.dumps(expected), 120)}, "
                f"the file has {clip(json.dumps(found), 120)}"]
    return []


def _field_list(value) -> bool:
    return isinstance(value, list) and bool(value) and all(isinstance(v, dict) and "name" in v for v in value)


def drift(package: dict) -> list[str]:
    """Every place where ``package`` differs from the descriptor the library generates for the
    vocabulary it declares (empty: no drift), as ``JSON path: what differs``."""
    try:
        expected = descriptor(vocabulary_of(package), package)
    except ValueError as err:
        return [str(err)]
    resources = package.get("resources")
    names = [r.get("name") if isinstance(r, dict) else None for r in resources] \
        if isinstance(resources, list) else [resources]
    if names != [r["name"] for r in expected["resources"]]:
        return [f"resources: the method lists {', '.join(r['name'] for r in expected['resources'])}; "
                f"the file lists {', '.join(map(str, names))}"]
    return _differences(expected, package, "")


def dumps(package: dict) -> str:
    """The descriptor as the project stores it (2-space indent, UTF-8, final newline)."""
    return json.dumps(package, indent=2, ensure_ascii=False) + "\n"


def split_names(value: str | None) -> tuple[str, ...]:
    """The names of a comma-separated option (``--topics trade,health``), blanks left out."""
    return tuple(v.strip() for v in value.split(",") if v.strip()) if value else ()
