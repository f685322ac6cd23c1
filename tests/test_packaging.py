"""Packaging: the declared dependencies cover the library's imports; licence, citation, provenance."""

from __future__ import annotations

import ast
import json
import re
import sys
import tomllib
from importlib.metadata import packages_distributions
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parents[1]
LIB = REPO / "lib" / "stances"


def _canonical(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def _third_party_imports() -> set[str]:
    found = set()
    for path in LIB.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                found |= {alias.name.split(".")[0] for alias in node.names}
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                found.add(node.module.split(".")[0])
    return {name for name in found if name not in sys.stdlib_module_names and name != "stances"}


def test_every_import_of_the_library_is_a_declared_dependency():
    project = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    specs = [*project["dependencies"], *project["optional-dependencies"]["pdf"]]  # pdf: `make pdf`'s own
    declared = {_canonical(re.split(r"[~=<>!; \[]", spec, maxsplit=1)[0]) for spec in specs}
    distributions = packages_distributions()
    missing = {name for name in _third_party_imports()
               if not {_canonical(d) for d in distributions.get(name, [name])} & declared}
    assert missing == set(), f"imported by lib/stances but not in pyproject dependencies: {missing}"
    assert all(re.search(r"~=|>=", spec) for spec in project["dependencies"]), "give ranges, not pins"


def test_licence_citation_and_provenance_are_stated():
    assert "MIT License" in (REPO / "LICENSE").read_text(encoding="utf-8")
    citation = yaml.safe_load((REPO / "CITATION.cff").read_text(encoding="utf-8"))
    assert citation["cff-version"] == "1.2.0" and citation["title"] and citation["authors"]
    package = json.loads((REPO / "data" / "datapackage.json").read_text(encoding="utf-8"))
    assert [licence["name"] for licence in package["licenses"]] == ["CC-BY-4.0"]
    for source in package["sources"]:
        assert (REPO / "data" / source["path"]).is_file()
        assert "not covered" in source["description"]
    readme = (REPO / "data" / "README.md").read_text(encoding="utf-8")
    for phrase in ("CC BY 4.0", "Provenance", "verbatim", "unknown"):
        assert phrase in readme
