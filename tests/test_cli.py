"""The command line: `locate` (offsets of a quote, from the document alone) and `validate`'s
output (capped by default, `--all`, `--format json`)."""

from __future__ import annotations

import json
from concurrent.futures import ThreadPoolExecutor

import pytest

import stances
from conftest import DATA, DOC_ID, records, rewrite_table, run_cli
from stances.__main__ import main as cli_main

TEXT = (DATA / "sources" / f"{DOC_ID}.txt").read_text(encoding="utf-8")
UNIQUE = "Turkey is turning a deaf ear to the warnings coming from the White House"
AMBIGUOUS = "Erdogan and Putin"


@pytest.fixture(scope="module")
def runs():
    """Both commands, started together (each interpreter start-up takes most of a second)."""
    with ThreadPoolExecutor(max_workers=2) as pool:
        futures = {quote: pool.submit(run_cli, "locate", DOC_ID, quote)
                   for quote in (UNIQUE, AMBIGUOUS)}
        yield {quote: future.result() for quote, future in futures.items()}


def test_locate_prints_start_and_end_of_a_quote(runs):
    assert TEXT.count(UNIQUE) == 1
    start = TEXT.index(UNIQUE)
    result = runs[UNIQUE]
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == [f"start={start} end={start + len(UNIQUE)}", UNIQUE]


def test_locate_an_ambiguous_quote_names_every_occurrence(runs):
    starts = [i for i in range(len(TEXT)) if TEXT.startswith(AMBIGUOUS, i)]
    assert len(starts) >= 2
    result = runs[AMBIGUOUS]
    assert result.returncode == 1
    assert result.stdout == ""
    assert "ambiguous" in result.stderr
    for start in starts:
        assert f"{start}-{start + len(AMBIGUOUS)}" in result.stderr


# --- validate: capped output, --all, --format json; locate while the tables are broken ----------

def _every_stance_wrong(data):
    """Every statement gets an unknown stance: one problem per row, all in one column."""
    path = data / "statements.csv"
    header, rows = records(path)
    at = header.index("stance")
    rewrite_table(path, header, [[*r[:at], "maybe", *r[at + 1:]] for _, r in rows])
    return path, [line for line, _ in rows]


def _main(capsys, *args):
    capsys.readouterr()
    code = cli_main(list(args))
    out, err = capsys.readouterr()
    return code, out.splitlines(), err.splitlines()


def test_validate_shows_the_first_problems_of_a_column_and_counts_the_rest(data_copy, capsys):
    path, lines = _every_stance_wrong(data_copy)
    code, out, err = _main(capsys, "validate", str(data_copy))
    allowed = "support, oppose, neutral"
    assert code == 1
    assert out == [f"{path}:{line}: stance: 'maybe' is not one of: {allowed}" for line in lines[:5]]
    assert err == [f"{path}: {len(lines) - 5} more problems of the check 'enum' not shown",
                   f"{len(lines)} problem(s) found (the first of each file and column shown; "
                   "--all shows every one)"]
    code, out, _ = _main(capsys, "validate", "--all", str(data_copy))
    assert code == 1
    assert out == [f"{path}:{line}: stance: 'maybe' is not one of: {allowed}" for line in lines]


def test_corpus_error_message_is_capped_but_keeps_every_problem(data_copy):
    path, lines = _every_stance_wrong(data_copy)
    with pytest.raises(stances.CorpusError) as caught:
        stances.load(data_copy)
    assert len(caught.value.problems) == len(lines)
    message = str(caught.value).splitlines()
    assert message[0] == f"{len(lines)} problems in the corpus:"
    assert len(message) == 1 + 5 + 1
    assert message[-1] == f"{path}: {len(lines) - 5} more problems of the check 'enum' not shown"


def test_validate_format_json_lists_every_problem(data_copy, capsys):
    path, lines = _every_stance_wrong(data_copy)
    code, out, err = _main(capsys, "validate", "--format", "json", str(data_copy))
    assert (code, err) == (1, [])
    report = json.loads("\n".join(out))
    assert report["valid"] is False
    assert [(p["path"], p["line"], p["column"], p["check"]) for p in report["problems"]] == [
        (str(path), line, "stance", "enum") for line in lines]
    code, out, _ = _main(capsys, "validate", "--format", "json", str(DATA))
    assert (code, json.loads("\n".join(out))) == (0, {"valid": True, "problems": []})


def test_validate_returns_the_problems(data_copy):
    assert stances._corpus.validate(DATA) == []
    path, lines = _every_stance_wrong(data_copy)
    problems = stances._corpus.validate(data_copy)
    assert all(isinstance(p, stances.Problem) for p in problems)
    assert [(p.path, p.line, p.column) for p in problems] == [(str(path), n, "stance") for n in lines]


def test_locate_works_while_the_tables_are_broken(data_copy, capsys):
    _every_stance_wrong(data_copy)
    (data_copy / "relations.csv").unlink()
    code, out, err = _main(capsys, "locate", DOC_ID, UNIQUE, "--data-dir", str(data_copy))
    start = TEXT.index(UNIQUE)
    assert (code, out, err) == (0, [f"start={start} end={start + len(UNIQUE)}", UNIQUE], [])


def test_locate_names_an_unknown_document(capsys):
    code, out, err = _main(capsys, "locate", "no_such_doc", UNIQUE, "--data-dir", str(DATA))
    assert (code, out) == (1, [])
    assert err == [f"error: no document 'no_such_doc'; known: {DOC_ID}"]


def test_report_refuses_a_folder_that_is_not_a_report_with_a_message(tmp_path, capsys):
    # The report folder is replaced as a whole, so a folder of other files is never taken.
    out = tmp_path / "mine"
    out.mkdir()
    (out / "notes.txt").write_text("keep me", encoding="utf-8")
    code = cli_main(["report", "--no-execute", "--out", str(out)])
    assert code == 1
    assert capsys.readouterr().err == (
        f"error: --out {out} is not empty and holds no index.html, so it is not a report folder; "
        "the report folder is replaced as a whole, so choose another\n")
    assert (out / "notes.txt").read_text(encoding="utf-8") == "keep me"


def test_report_without_notebooks_says_so(tmp_path, capsys):
    code = cli_main(["report", "--no-execute", "--notebooks", str(tmp_path), "--out",
                     str(tmp_path / "site")])
    assert code == 1
    assert capsys.readouterr().err == (
        f"error: no notebooks matching [0-9][0-9]_*.ipynb in {tmp_path}\n")
