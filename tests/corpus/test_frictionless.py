"""The reference validator: Frictionless (the package pinned in requirements.txt) must accept
the whole data package, not only our own loader. Our loader checks more (offsets, quotes,
checksums, cross-table rules); this test guards against a descriptor that only our loader
reads the way we mean it."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from conftest import DATA


def _report(data_dir: Path):
    # imported here, not at collection: 0.3 s that only the process running these tests pays
    frictionless = pytest.importorskip("frictionless")
    return frictionless.Package(str(data_dir / "datapackage.json")).validate()


def _errors(report) -> list[str]:
    return [f"{task.name}: {error.message}" for task in report.tasks for error in task.errors] + [
        error.message for error in report.errors]


def test_the_reference_validator_accepts_the_whole_package():
    report = _report(DATA)
    assert report.valid, "\n".join(_errors(report))
    declared = [r["name"] for r in json.loads((DATA / "datapackage.json").read_text())["resources"]]
    assert [task.name for task in report.tasks] == declared, "every resource must be validated"
    descriptor = json.loads((DATA / "datapackage.json").read_text())
    for task, resource in zip(report.tasks, descriptor["resources"], strict=True):
        with open(DATA / resource["path"], newline="", encoding="utf-8") as handle:
            rows = sum(1 for _ in csv.reader(handle)) - 1
        assert task.stats["rows"] == rows, f"{task.name}: not every row was read"


def test_the_reference_validator_rejects_a_value_outside_an_enum(data_copy: Path):
    path = data_copy / "factchecks.csv"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace(",accurate,", ",true-ish,", 1), encoding="utf-8")
    report = _report(data_copy)
    assert not report.valid
    assert any("true-ish" in message for message in _errors(report))


def test_the_reference_validator_rejects_a_broken_foreign_key(data_copy: Path):
    path = data_copy / "factcheck_evidence.csv"
    with open(path, newline="", encoding="utf-8") as handle:
        rows = list(csv.reader(handle))
    rows[1][rows[0].index("check_id")] = "f999"
    with open(path, "w", newline="", encoding="utf-8") as handle:
        csv.writer(handle, lineterminator="\n").writerows(rows)
    report = _report(data_copy)
    assert not report.valid
    assert any("f999" in message for message in _errors(report))
