"""Two rules of the library's shape (DESIGN, "Library"), checked on its source: no module-level
name is defined in two modules, and no code or comment names an actor of this study."""

from __future__ import annotations

import ast
import re
from collections import defaultdict
from pathlib import Path

from conftest import DATA, REPO, dict_records

LIB = REPO / "lib" / "stances"


def _modules() -> list[Path]:
    return sorted(LIB.rglob("*.py"))


def test_no_module_level_name_is_defined_in_two_modules():
    defined = defaultdict(list)
    for path in _modules():
        if path.name == "__init__.py":  # a folder's public names are imported there, not defined
            continue
        for node in ast.parse(path.read_text(encoding="utf-8")).body:
            targets = ([node.name] if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef)
                       else [t.id for t in getattr(node, "targets", [getattr(node, "target", None)])
                             if isinstance(t, ast.Name)])
            for name in targets:
                defined[name].append(str(path.relative_to(LIB)))
    twice = {name: where for name, where in defined.items() if len(where) > 1 and name != "__all__"}
    assert twice == {}


def test_the_library_names_no_actor_of_the_study():
    """Every name, label and alias in data/actors.csv, as a whole word, in any module."""
    names = {form.strip() for row in dict_records(DATA / "actors.csv") if row["kind"] != "author"
             for form in [row["name"], row["label"], *row["aliases"].split(";")] if len(form.strip()) > 2}
    pattern = re.compile(r"\b(?:" + "|".join(sorted(map(re.escape, names), key=len, reverse=True)) + r")\b",
                         re.IGNORECASE)
    found = [f"{path.relative_to(LIB)}:{number}: {match.group()}" for path in _modules()
             for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
             for match in pattern.finditer(line)]
    assert found == []
