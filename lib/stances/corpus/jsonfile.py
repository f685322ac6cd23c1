"""``datapackage.json`` as strict JSON, checked against the standard's profiles: the first two
layers of the descriptor's checks (METHOD.md §13; ``descriptor`` adds the loader's own rules).
Python's ``json`` accepts a repeated key, ``NaN``, ``Infinity`` and numbers too large to hold:
here each is a (JSON path, message) pair, as is each problem the profiles find (``profiles/``).
``fastjsonschema`` says whether there is one (0.05 s to compile, 1 ms a check, where importing
``jsonschema`` takes 0.16 s and a check 10 ms); only then does ``jsonschema`` find and explain each.
"""

from __future__ import annotations

import functools
import json
import math
from collections import Counter
from pathlib import Path

from stances.errors import show

PROFILES = Path(__file__).with_name("profiles")  # see profiles/README.md for their source
PROFILE_NAMES = ("data-package.json", "tabular-data-resource.json")


# --- 1. strict JSON -------------------------------------------------------------------------------

class _Refused(str):
    """A value Python's json reads but JSON (or an int64) does not hold: why, reported by its path."""


class _Object(dict):
    repeated: tuple[str, ...] = ()  # keys written more than once (the dict keeps the last)


def _object(pairs: list) -> _Object:
    value = _Object(pairs)
    if len(value) < len(pairs):
        value.repeated = tuple(k for k, n in Counter(k for k, _ in pairs).items() if n > 1)
    return value


def _json_number(text: str, convert):
    value = convert(text) if len(text) <= 100 else math.inf  # int() refuses 4,301 digits
    return value if math.isfinite(value) else _Refused(f"the number {show(text, 20)} is too large")


def loads(text: str):
    return json.loads(text, object_pairs_hook=_object, parse_int=functools.partial(_json_number, convert=int),
                      parse_float=functools.partial(_json_number, convert=float),
                      parse_constant=lambda s: _Refused(f"{s} is not JSON (write a number or null)"))


def json_path(parts) -> str:
    path = "".join(f"[{p}]" if isinstance(p, int) else f".{show(p, 40)[1:-1]}" for p in parts)
    return path.lstrip(".")


def strict_problems(value, parts: tuple = ()):
    """(JSON path, message) for every refused value and repeated key in ``value``."""
    if isinstance(value, _Refused):
        yield json_path(parts), str(value)
    elif isinstance(value, dict):
        for key in getattr(value, "repeated", ()):
            yield json_path(parts), f"key {show(key)} appears more than once (JSON keys are unique)"
        for key, item in value.items():
            yield from strict_problems(item, (*parts, key))
    elif isinstance(value, list):
        for i, item in enumerate(value):
            yield from strict_problems(item, (*parts, i))


# --- 2. the standard profiles ---------------------------------------------------------------------

_KINDS = {"string": "a string", "boolean": "true or false", "integer": "an integer",
          "number": "a number", "array": "an array", "object": "an object", "null": "null"}
_KIND_OF = {str: "string", bool: "boolean", int: "integer", float: "number", list: "array",
            dict: "object", _Object: "object", type(None): "null"}


def json_kind(value) -> str:
    return _KINDS[_KIND_OF.get(type(value), "object")]


@functools.cache
def _profiles(fast: bool) -> tuple:
    """The package's and a resource's profile, compiled by fastjsonschema (``fast``: no defaults
    filled in, no messages, 0.03 s) or by jsonschema (every error, to explain)."""
    schemas = [json.loads((PROFILES / name).read_text(encoding="utf-8")) for name in PROFILE_NAMES]
    if fast:
        import fastjsonschema

        return tuple(fastjsonschema.compile(s, use_default=False, detailed_exceptions=False) for s in schemas)
    import jsonschema

    return tuple(jsonschema.Draft4Validator(s) for s in schemas)


def _parts(package):
    """(0, the package, ()) for the package's profile, then (1, resource, its path) for each resource's."""
    yield 0, package, ()
    resources = package.get("resources") if isinstance(package, dict) else None
    for i, resource in enumerate(resources if isinstance(resources, list) else []):
        yield 1, resource, ("resources", i)


def _follows_profiles(package) -> bool:
    profiles = _profiles(fast=True)
    try:
        for profile, value, _ in _parts(package):
            profiles[profile](value)
    except Exception:  # noqa: BLE001 - whatever it is, jsonschema below finds and explains it
        return False
    return True


def _listed(value) -> list:
    return [value] if isinstance(value, str) else list(value)


def _kinds(expected) -> str:
    return " or ".join(_KINDS[k] for k in _listed(expected))


def _closeness(branch: list) -> tuple[int, int]:  # fewer errors first, then the deeper ones
    return len(branch), -max(len(e.absolute_path) for e in branch)


def _explain(error, prefix: tuple) -> list[tuple[str, str, str]]:
    """One error of the profile as (JSON path, message, validator); short whatever the value.

    For ``anyOf``/``oneOf`` the branch the value comes closest to is explained (fewest errors,
    then the deepest: a field of type integer is explained by the integer branch)."""
    kind, expected, value = error.validator, error.validator_value, error.instance
    where = json_path((*prefix, *error.absolute_path))
    if kind in ("anyOf", "oneOf") and error.context:
        branches: dict[int, list] = {}
        for e in error.context:
            branches.setdefault(e.relative_schema_path[0], []).append(e)
        best = min(map(_closeness, branches.values()))
        tied = [b for b in branches.values() if _closeness(b) == best]
        if all(len(b) == 1 and b[0].validator == "type" and not b[0].path for b in tied):
            kinds = [k for b in tied for k in _listed(b[0].validator_value)]
            return [(where, f"must be {_kinds(kinds)}, not {json_kind(value)}", "type")]
        return [p for e in tied[0] for p in _explain(e, prefix)]
    if kind == "required":
        return [(f"{where}.{key}".lstrip("."), "is missing", kind) for key in expected
                if isinstance(value, dict) and key not in value]
    if kind == "type":
        message = f"must be {_kinds(expected)}, not {json_kind(value)}"
    elif kind == "enum":
        message = f"{show(str(value))} is not one of: {', '.join(map(str, expected))}"
    elif kind == "pattern":
        message = f"{show(value)} does not match the pattern {expected}"
    elif kind == "minItems":
        message = "must not be empty" if expected == 1 else f"must have at least {expected} items"
    elif kind == "uniqueItems":
        message = "lists an item more than once"
    elif kind == "oneOf":
        message = "matches more than one of the forms the standard allows"
    else:
        message = show(error.message, 200)[1:-1]
    return [(where, message, kind)]


def profile_problems(package) -> list[tuple[str, str]]:
    """Every problem the profiles find, once; at a path whose type is wrong, only that."""
    if _follows_profiles(package):
        return []
    profiles = _profiles(fast=False)
    # The package's profile checks each resource too, less strictly: the resource's profile speaks for it.
    errors = [(e, prefix) for profile, value, prefix in _parts(package)
              for e in profiles[profile].iter_errors(value)
              if profile or list(e.absolute_path)[:1] != ["resources"] or len(e.absolute_path) < 2]
    found = list(dict.fromkeys(p for e, prefix in errors for p in _explain(e, prefix)))
    mistyped = {where for where, _, kind in found if kind == "type"}
    return [(where, message) for where, message, kind in found if kind == "type" or where not in mistyped]
