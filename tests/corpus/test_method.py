"""The method's schema ships with the library; this study's datapackage.json is what the library
generates for the study's vocabulary (topics, relation types, optional tables), so drift fails."""

from __future__ import annotations

import json

import pytest

from conftest import DATA
from stances.cli import main as cli_main
from stances.corpus import schema as method

PACKAGE = DATA / "datapackage.json"


def _package() -> dict:
    return json.loads(PACKAGE.read_text(encoding="utf-8"))


def test_the_projects_descriptor_is_the_one_the_library_generates():
    package = _package()
    vocabulary = method.vocabulary_of(package)
    assert vocabulary.topics == ("syria", "arms", "nato")
    assert vocabulary.relation_types == method.default_relation_types()
    assert vocabulary.tables == method.optional_tables()
    assert method.drift(package) == []
    # byte for byte: `python -m stances schema data --write` leaves the file as it is
    assert method.dumps(method.descriptor(vocabulary, package)) == PACKAGE.read_text(encoding="utf-8")


@pytest.mark.parametrize(("edit", "expected"), [
    (lambda p: p["resources"][4]["schema"]["fields"][8]["constraints"].update(enum=["syria", "arms"]),
     'resources[4].schema.fields[8].constraints.enum: the method says ["syria", "arms", "nato"], '
     'the file has ["syria", "arms"]'),
    (lambda p: p["resources"][3]["schema"]["fields"][2]["constraints"].pop("minimum"),
     "resources[3].schema.fields[2].constraints.minimum: missing (the method declares 0)"),
    (lambda p: p["resources"][1]["schema"]["fields"][0].update(format="email"),
     "resources[1].schema.fields[0].format: not in the method's schema"),
    (lambda p: p["resources"][0]["schema"]["fields"].append({"name": "url", "type": "string"}),
     "resources[0].schema.fields: the method has the fields doc_id, title, outlet, published, language, "
     "path, sha256, note; the file has doc_id, title, outlet, published, language, path, sha256, note, url"),
    (lambda p: p["resources"].pop(7),  # the thesis without the study description it belongs with
     "resources: the method lists documents, actors, claims, statements, relations, reliability, study, "
     "thesis, findings_names, checkworthiness, factchecks, factcheck_evidence, factcheck_reliability, "
     "factcheck_reliability_evidence; the file lists documents, actors, claims, statements, relations, "
     "reliability, study, findings_names, checkworthiness, factchecks, factcheck_evidence, "
     "factcheck_reliability, factcheck_reliability_evidence"),
])
def test_a_descriptor_edited_by_hand_drifts(edit, expected):
    package = _package()
    edit(package)
    assert method.drift(package) == [expected]


def test_a_study_may_leave_out_a_whole_optional_group():
    package = _package()
    package["resources"] = [r for r in package["resources"] if r["name"] != "reliability"]
    assert method.drift(package) == []
    assert "reliability" not in method.vocabulary_of(package).tables


def test_schema_command_checks_and_rewrites(data_copy, capsys):
    path = data_copy / "datapackage.json"
    assert cli_main(["schema", str(data_copy)]) == 0
    assert capsys.readouterr().out == f"{path}: follows the method's schema (topics: syria, arms, nato)\n"
    package = json.loads(path.read_text(encoding="utf-8"))
    package["resources"][2]["schema"]["fields"][1]["constraints"]["enum"].append("energy")
    path.write_text(json.dumps(package), encoding="utf-8")
    assert cli_main(["schema", str(data_copy)]) == 1
    out, err = capsys.readouterr()
    assert out.splitlines()[0].startswith(f"{path}: resources[4].schema.fields[8].constraints.enum: "
                                          'the method says ["syria", "arms", "nato", "energy"]')
    assert err.endswith("difference(s) from the method's schema; `--write` regenerates the file\n")
    assert cli_main(["schema", str(data_copy), "--write"]) == 0
    assert method.drift(json.loads(path.read_text(encoding="utf-8"))) == []
    assert cli_main(["schema", str(data_copy), "--topics", "a,b"]) == 1
    assert "add --write" in capsys.readouterr().err


def test_schema_command_reads_the_descriptor_as_strictly_as_load(data_copy, capsys):
    # A repeated key would be silently dropped by a plain JSON reader and lost on --write.
    path = data_copy / "datapackage.json"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace('"name": ', '"name": "first", "name": ', 1), encoding="utf-8")
    for args in (["schema", str(data_copy)], ["schema", str(data_copy), "--write"]):
        assert cli_main(args) == 1
        assert capsys.readouterr().err == (f"{path}:0: -: key 'name' appears more than once "
                                           "(JSON keys are unique)\n")
    assert "first" in path.read_text(encoding="utf-8")  # --write left the file as it was


@pytest.mark.parametrize(("vocabulary", "message"), [
    ({"topics": ()}, "topics: at least one is needed"),
    ({"topics": ("Syria",)}, "topics: 'Syria' (lower-case"),
    ({"topics": ("a", "a")}, "topics: a given twice"),
    ({"topics": ("a",), "tables": ("factcheks",)}, "tables: unknown optional table(s) factcheks"),
])
def test_a_bad_vocabulary_is_refused(vocabulary, message):
    with pytest.raises(ValueError, match=message.replace("(", r"\(").replace(")", r"\)")):
        method.Vocabulary(**vocabulary)
