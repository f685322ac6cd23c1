"""Issue 24, class by class: nothing a user wrote is overwritten unless asked, a command that
changes a study writes only a state that validates, every failure is one line (never a
traceback), and every command is bounded. Each test corrupts real data or tries a careless
command and asserts the exact message and that nothing changed."""

from __future__ import annotations

import json
import os
import time

import pytest

from conftest import DATA, DOC_ID
from stances import files
from stances.cli import main as cli_main
from stances.corpus.loader import validate
from stances.report.findings import check_prose

SOURCE = DATA / "sources" / f"{DOC_ID}.txt"
HEADER = "speaker,claim,stance,attribution,quote,occurrence,context,target,note\n"
QUOTE = "Turkey has been working for some time to put an end to a migration crisis"
ROW = f"turkey,syria_migration_crisis,support,implied_by_action,{QUOTE},,,,\n"


def run(capsys, *args: str) -> tuple[int, list[str], list[str]]:
    capsys.readouterr()
    code = cli_main(list(args))
    out, err = capsys.readouterr()
    assert "Traceback" not in err
    return code, out.splitlines(), err.splitlines()


def snapshot(folder) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


# --- suggest --out --------------------------------------------------------------------------------

def test_suggest_never_writes_over_coded_data_or_a_filled_in_sheet(data_copy, tmp_path, capsys):
    before = snapshot(data_copy)
    target = data_copy / "statements.csv"
    assert run(capsys, "suggest", DOC_ID, "--data-dir", str(data_copy), "--out", str(target)) == (
        1, [], [f"error: --out {target}: is inside the data package {data_copy}; write it outside the "
                "study's data and notebooks"])
    assert run(capsys, "suggest", DOC_ID, "--data-dir", str(data_copy), "--out", str(target),
               "--replace")[0] == 1
    assert snapshot(data_copy) == before
    sheet = tmp_path / "coding.csv"
    sheet.write_text(HEADER + ROW, encoding="utf-8")  # a sheet someone filled in
    assert run(capsys, "suggest", DOC_ID, "--data-dir", str(data_copy), "--out", str(sheet)) == (
        1, [], [f"error: --out {sheet}: already holds rows (someone's work, perhaps); add --replace to "
                "overwrite it"])
    assert sheet.read_text(encoding="utf-8") == HEADER + ROW
    code, out, _ = run(capsys, "suggest", DOC_ID, "--data-dir", str(data_copy), "--out", str(sheet),
                       "--replace")
    written = sheet.read_text(encoding="utf-8")
    assert code == 0 and written.startswith(HEADER) and ROW not in written


def test_suggest_writes_onto_the_empty_sheet_init_leaves(data_copy, tmp_path, capsys):
    sheet = tmp_path / "coding.csv"
    sheet.write_text(HEADER, encoding="utf-8")
    assert run(capsys, "suggest", DOC_ID, "--data-dir", str(data_copy), "--out", str(sheet))[0] == 0
    assert len(sheet.read_text(encoding="utf-8").splitlines()) > 1


def test_suggest_into_a_missing_folder_or_onto_a_folder_is_a_message(data_copy, tmp_path, capsys):
    missing = tmp_path / "no" / "sheet.csv"
    assert run(capsys, "suggest", DOC_ID, "--data-dir", str(data_copy), "--out", str(missing)) == (
        1, [], [f"error: --out {missing}: the folder {tmp_path / 'no'} does not exist"])
    assert run(capsys, "suggest", DOC_ID, "--data-dir", str(data_copy), "--out", str(tmp_path)) == (
        1, [], [f"error: --out {tmp_path}: is a folder; name a file"])


# --- code: asked before replacing, confined, validated before it writes ------------------------------

def _code(capsys, sheet, data, *extra):
    return run(capsys, "code", str(sheet), "--data-dir", str(data), "--doc-id", DOC_ID, "--coder", "c1",
               "--replace", *extra)


def test_code_does_not_follow_a_symlink_out_of_the_data(data_copy, tmp_path, capsys):
    outside = tmp_path / "elsewhere.csv"
    outside.write_bytes((data_copy / "statements.csv").read_bytes())
    (data_copy / "statements.csv").unlink()
    (data_copy / "statements.csv").symlink_to(outside)
    sheet = tmp_path / "sheet.csv"
    sheet.write_text(HEADER + ROW, encoding="utf-8")
    before = outside.read_bytes()
    code, _, err = _code(capsys, sheet, data_copy)
    assert code == 1 and outside.read_bytes() == before
    assert err[0] == f"{data_copy / 'datapackage.json'}:0: resources[3].path: 'statements.csv' escapes data/"


def test_code_writes_only_a_study_that_validates(data_copy, tmp_path, capsys):
    before = snapshot(data_copy)
    sheet = tmp_path / "sheet.csv"
    sheet.write_text(HEADER + ROW.replace("turkey,syria_migration_crisis,support",
                                          "nobody,no_such_claim,maybe"), encoding="utf-8")
    code, out, err = _code(capsys, sheet, data_copy)
    assert (code, out) == (1, [])
    assert err == [
        f"{sheet}:2: speaker: 'nobody' is not a actor_id in actors.csv (would be statements.csv row s001)",
        f"{sheet}:2: claim_id: 'no_such_claim' is not a claim_id in claims.csv (would be statements.csv "
        "row s001)",
        f"{sheet}:2: stance: 'maybe' is not one of: support, oppose, neutral (would be statements.csv row "
        "s001)",
        f"3 problem(s) in the study with the sheet's rows; nothing written (`python -m stances validate "
        f"{data_copy}` checks the study as it is)"]
    assert snapshot(data_copy) == before


def test_code_warns_of_a_cell_a_spreadsheet_reads_as_a_formula(data_copy, tmp_path, capsys):
    sheet = tmp_path / "sheet.csv"
    sheet.write_text(HEADER + ROW.replace(",,,,\n", ",,,,=HYPERLINK(1)\n"), encoding="utf-8")
    code, out, err = _code(capsys, sheet, data_copy)
    assert code == 0 and err == [f"warning: {sheet}:2: note: starts with '='; a spreadsheet opening the "
                                 "table may read it as a formula"]
    assert validate(data_copy) == []


def test_sheet_problems_are_lines_at_their_place(data_copy, tmp_path, capsys):
    sheet = tmp_path / "sheet.csv"
    digits = "9" * 5000
    sheet.write_bytes((HEADER + ROW + ROW.replace(",,,,", ",\u00b2,,,") + ROW.replace(",,,,", f",{digits},,,")
                       + ROW).encode("utf-8") + b"turkey,\xff\n")
    before = snapshot(data_copy)
    assert _code(capsys, sheet, data_copy) == (1, [], [f"{sheet}:6: -: is not UTF-8 text (invalid start byte "
                                                       f"at byte {len(sheet.read_bytes()) - 2})",
                                                       "1 row problem(s); nothing written"])
    sheet.write_bytes(sheet.read_bytes()[:-len(b"turkey,\xff\n")])
    assert _code(capsys, sheet, data_copy) == (1, [], [
        f"{sheet}:3: occurrence: must be a whole number from 1 (digits 0-9), not '\u00b2'",
        f"{sheet}:4: occurrence: must be a whole number from 1 (digits 0-9), not '99999999999999999999... "
        "(5000 characters)'",
        f"{sheet}:5: -: the same row as line 2 (a row given twice would be coded twice; delete one)",
        "3 row problem(s); nothing written"])
    assert snapshot(data_copy) == before


def test_a_sheet_with_a_byte_order_mark_is_read(data_copy, tmp_path, capsys):
    sheet = tmp_path / "sheet.csv"
    sheet.write_bytes(b"\xef\xbb\xbf" + (HEADER + ROW).encode("utf-8"))  # "CSV UTF-8" from a spreadsheet
    assert _code(capsys, sheet, data_copy)[0] == 0


def test_a_fifo_is_refused_not_waited_on(data_copy, tmp_path, capsys):
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    assert _code(capsys, fifo, data_copy) == (1, [], [
        f"{fifo}:0: -: is not a regular file (a FIFO, a device or a socket)",
        "1 row problem(s); nothing written"])
    assert run(capsys, "init", str(tmp_path / "s"), "--doc-id", "a", "--source", str(fifo),
               "--topics", "x") == (
        1, [], [f"error: --source {fifo} is not a regular file (a FIFO, a device or a socket)"])
    assert not (tmp_path / "s").exists()
    notebooks = tmp_path / "notebooks"
    notebooks.mkdir()
    os.mkfifo(notebooks / "00_intro.ipynb")
    assert run(capsys, "check-findings", str(notebooks / "00_intro.ipynb")) == (
        1, [f"{notebooks / '00_intro.ipynb'}: is not a regular file (a FIFO, a device or a socket)"],
        ["1 problem(s) in the findings"])
    assert run(capsys, "report", "--no-execute", "--notebooks", str(notebooks), "--data-dir", str(data_copy),
               "--out", str(tmp_path / "site")) == (
        1, [], [f"error: {notebooks / '00_intro.ipynb'}: is not a regular file (a FIFO, a device or a "
                "socket)"])
    assert run(capsys, "execute", str(notebooks / "00_intro.ipynb"), str(notebooks / "01_missing.ipynb")) == (
        1, [], [f"error: {notebooks / '00_intro.ipynb'}: is not a regular file (a FIFO, a device or a "
                "socket)", f"error: {notebooks / '01_missing.ipynb'}: does not exist"])


# --- init ------------------------------------------------------------------------------------------

def test_init_with_a_300_character_id_fails_before_writing_anything(tmp_path, capsys):
    doc_id = "a" * 300
    assert run(capsys, "init", str(tmp_path / "s"), "--doc-id", doc_id, "--source", str(SOURCE),
               "--topics", "x") == (1, [], [f"error: --doc-id '{'a' * 80}... (300 characters)': up to 64 "
                                            "lower-case letters, digits and '_', starting with a letter"])
    assert not (tmp_path / "s").exists()
    assert run(capsys, "init", str(tmp_path / "s"), "--doc-id", "a" * 64, "--source", str(SOURCE),
               "--topics", "x")[0] == 0


def test_init_refuses_a_folder_inside_a_study(data_copy, capsys):
    before = snapshot(data_copy)
    inside = data_copy / "new"
    assert run(capsys, "init", str(inside), "--doc-id", "a", "--source", str(SOURCE), "--topics", "x") == (
        1, [], [f"error: {inside} is inside the data package {data_copy}; a new study goes in a folder of "
                "its own"])
    assert snapshot(data_copy) == before and not inside.exists()


def test_init_takes_no_byte_order_mark_into_the_title(tmp_path, capsys):
    source = tmp_path / "bom.txt"
    source.write_bytes(b"\xef\xbb\xbfHarbour bridge vote\n\nThe council voted.\n")
    assert run(capsys, "init", str(tmp_path / "s"), "--doc-id", "a", "--source", str(source),
               "--topics", "x")[0] == 0
    documents = (tmp_path / "s" / "data" / "documents.csv").read_text(encoding="utf-8")
    assert documents.splitlines()[1].startswith("a,Harbour bridge vote,")


# --- schema --write ---------------------------------------------------------------------------------

def test_schema_write_keeps_every_field_it_does_not_own(data_copy, capsys):
    path = data_copy / "datapackage.json"
    package = json.loads(path.read_text(encoding="utf-8"))
    package.update(keywords=["stance"], contributors=[{"title": "A. Coder"}], version="1.2.0")
    package["resources"][0]["description"] = "One row per document."
    package["resources"][0]["schema"]["fields"][0]["description"] = "The document's id."
    path.write_text(json.dumps(package, indent=2), encoding="utf-8")
    assert run(capsys, "schema", str(data_copy))[0] == 0  # what the method does not own is no drift
    assert run(capsys, "schema", str(data_copy), "--write")[0] == 0
    written = json.loads(path.read_text(encoding="utf-8"))
    assert (written["keywords"], written["contributors"], written["version"]) == (
        ["stance"], [{"title": "A. Coder"}], "1.2.0")
    assert written["resources"][0]["description"] == "One row per document."
    assert written["resources"][0]["schema"]["fields"][0]["description"] == "The document's id."
    assert run(capsys, "schema", str(data_copy))[0] == 0 and validate(data_copy) == []


def test_schema_write_does_not_follow_a_symlink_out(data_copy, tmp_path, capsys):
    outside = tmp_path / "datapackage.json"
    outside.write_bytes((data_copy / "datapackage.json").read_bytes())
    (data_copy / "datapackage.json").unlink()
    (data_copy / "datapackage.json").symlink_to(outside)
    before = outside.read_bytes()
    code, _, err = run(capsys, "schema", str(data_copy), "--write")
    assert code == 1 and outside.read_bytes() == before
    assert err[-1] == (f"error: {data_copy / 'datapackage.json'}: is a symlink to {outside}, outside "
                       f"{data_copy}; nothing is written through it (replace the link by the file)")


@pytest.mark.parametrize("shape", ["constraints a list", "schema a string", "schema a number"])
def test_schema_on_a_descriptor_of_the_wrong_shape_is_a_message(data_copy, capsys, shape):
    path = data_copy / "datapackage.json"
    package = json.loads(path.read_text(encoding="utf-8"))
    claims = next(r for r in package["resources"] if r["name"] == "claims")
    if shape == "constraints a list":
        next(f for f in claims["schema"]["fields"] if f["name"] == "topic")["constraints"] = ["x"]
    else:
        claims["schema"] = "fields" if shape == "schema a string" else 7
    path.write_text(json.dumps(package), encoding="utf-8")
    for write in ([], ["--write"]):
        assert run(capsys, "schema", str(data_copy), *write) == (
            1, [], [f"error: {path}: datapackage.json: claims.topic declares no enum of strings"])
    assert json.loads(path.read_text(encoding="utf-8")) == package


# --- the report build --------------------------------------------------------------------------------

def test_the_report_refuses_a_folder_it_did_not_make(tmp_path, capsys):
    out = tmp_path / "site"
    (out / "data").mkdir(parents=True)
    for name in ("index.html", "README.md", "data/statements.csv"):
        (out / name).write_text(name, encoding="utf-8")
    before = snapshot(out)
    assert run(capsys, "report", "--no-execute", "--notebooks", str(DATA.parent / "notebooks"),
               "--out", str(out)) == (1, [], [
        f"error: --out {out} holds files no report build wrote (README.md, data/statements.csv, index.html); "
        "the report folder is replaced as a whole, so choose an empty or new folder (or move them out)"])
    assert snapshot(out) == before


def test_a_report_folder_with_a_file_added_by_hand_is_refused(tmp_path, capsys):
    out = tmp_path / "site"
    out.mkdir()
    (out / "index.html").write_text("x", encoding="utf-8")
    (out / ".stances-report").write_text("index.html\n", encoding="utf-8")
    (out / "notes.txt").write_text("mine", encoding="utf-8")
    code, _, err = run(capsys, "report", "--no-execute", "--notebooks", str(DATA.parent / "notebooks"),
                       "--out", str(out))
    assert code == 1
    assert err[0].startswith(f"error: --out {out} holds files no report build wrote (notes.txt)")
    assert (out / "notes.txt").read_text(encoding="utf-8") == "mine"


# --- bounded ----------------------------------------------------------------------------------------

@pytest.mark.parametrize("prose", ["[" * 100_000, "[](" * 50_000, "[](#fact-" * 20_000, "[x](y" * 30_000])
def test_check_findings_is_linear_on_brackets(prose):
    started = time.perf_counter()
    problems = check_prose(prose, {}, "00_x")
    assert time.perf_counter() - started < 0.5
    assert problems == [] or all(p.startswith(("unbound number", "[")) for p in problems)


def test_the_writer_refuses_a_symlink_out_and_a_folder(tmp_path):
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "link").symlink_to(tmp_path / "outside")
    with pytest.raises(files.WriteError, match="is a symlink to .*outside"):
        files.write_bytes(tmp_path / "in" / "link", b"x", within=tmp_path / "in")
    with pytest.raises(files.WriteError, match="is a folder, not a file"):
        files.write_bytes(tmp_path / "in", b"x")
    assert not (tmp_path / "outside").exists()
