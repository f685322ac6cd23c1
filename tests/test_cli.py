"""The command line: `locate` (offsets of a quote, from the document alone) and `validate`'s
output (capped by default, `--all`, `--format json`). Commands run in this process
(``stances.cli.main``, what ``python -m stances`` calls); the entry point itself, in a process of
its own, is run by the validate tests of ``tests/corpus`` and by the README recipe's test."""

from __future__ import annotations

import json

import pytest

import stances
from conftest import DATA, DOC_ID, copy_data, find_record, records, rewrite_table
from stances.cli import main as cli_main

TEXT = (DATA / "sources" / f"{DOC_ID}.txt").read_text(encoding="utf-8")
UNIQUE = "Turkey is turning a deaf ear to the warnings coming from the White House"
AMBIGUOUS = "Erdogan and Putin"


def test_locate_prints_start_and_end_of_a_quote(capsys):
    assert TEXT.count(UNIQUE) == 1
    start = TEXT.index(UNIQUE)
    code, out, err = _main(capsys, "locate", DOC_ID, UNIQUE, "--data-dir", str(DATA))
    assert code == 0, err
    assert out == [f"start={start} end={start + len(UNIQUE)}", UNIQUE]


def test_locate_an_ambiguous_quote_names_every_occurrence(capsys):
    starts = [i for i in range(len(TEXT)) if TEXT.startswith(AMBIGUOUS, i)]
    assert len(starts) >= 2
    code, out, err = _main(capsys, "locate", DOC_ID, AMBIGUOUS, "--data-dir", str(DATA))
    assert code == 1
    assert out == []
    assert "ambiguous" in "\n".join(err)
    for start in starts:
        assert f"{start}-{start + len(AMBIGUOUS)}" in "\n".join(err)


# --- validate: capped output, --all, --format json; locate while the tables are broken ----------

def _every_stance_wrong(data):
    """Every statement gets an unknown stance: one problem per row, all in one column."""
    path = data / "statements.csv"
    header, rows = records(path)
    at = header.index("stance")
    rewrite_table(path, header, [[*r[:at], "maybe", *r[at + 1:]] for _, r in rows])
    return path, [line for line, _ in rows]


@pytest.fixture(scope="module")
def every_stance_wrong(tmp_path_factory):
    """A copy of the data whose every statement has an unknown stance (the tests only read it)."""
    data = copy_data(tmp_path_factory.mktemp("stances"))
    return (data, *_every_stance_wrong(data))


def _main(capsys, *args):
    capsys.readouterr()
    code = cli_main(list(args))
    out, err = capsys.readouterr()
    return code, out.splitlines(), err.splitlines()


def test_validate_shows_the_first_problems_of_a_column_and_counts_the_rest(every_stance_wrong, capsys):
    data_copy, path, lines = every_stance_wrong
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


def test_corpus_error_message_is_capped_but_keeps_every_problem(every_stance_wrong):
    data_copy, path, lines = every_stance_wrong
    with pytest.raises(stances.CorpusError) as caught:
        stances.load(data_copy)
    assert len(caught.value.problems) == len(lines)
    message = str(caught.value).splitlines()
    assert message[0] == f"{len(lines)} problems in the corpus:"
    assert len(message) == 1 + 5 + 1
    assert message[-1] == f"{path}: {len(lines) - 5} more problems of the check 'enum' not shown"


def test_validate_format_json_lists_every_problem(every_stance_wrong, capsys):
    data_copy, path, lines = every_stance_wrong
    code, out, err = _main(capsys, "validate", "--format", "json", str(data_copy))
    assert (code, err) == (1, [])
    report = json.loads("\n".join(out))
    assert report["valid"] is False
    assert [(p["path"], p["line"], p["column"], p["check"]) for p in report["problems"]] == [
        (str(path), line, "stance", "enum") for line in lines]
    code, out, _ = _main(capsys, "validate", "--format", "json", str(DATA))
    assert (code, json.loads("\n".join(out))) == (0, {"valid": True, "problems": []})


def test_validate_returns_the_problems(every_stance_wrong):
    assert stances.corpus.loader.validate(DATA) == []
    data_copy, path, lines = every_stance_wrong
    problems = stances.corpus.loader.validate(data_copy)
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
        f"error: --out {out} holds files no report build wrote (notes.txt); the report folder is replaced "
        "as a whole, so choose an empty or new folder (or move them out)\n")
    assert (out / "notes.txt").read_text(encoding="utf-8") == "keep me"


def test_report_without_notebooks_says_so(tmp_path, capsys):
    code = cli_main(["report", "--no-execute", "--notebooks", str(tmp_path), "--out",
                     str(tmp_path / "site")])
    assert code == 1
    assert capsys.readouterr().err == (
        f"error: no notebooks matching [0-9][0-9]_*.ipynb in {tmp_path}\n")


# --- locate: several quotes, --occurrence, capped output, from documents.csv and the text alone ----

def test_locate_picks_the_nth_occurrence_and_takes_several_quotes(capsys):
    starts = [i for i in range(len(TEXT)) if TEXT.startswith(AMBIGUOUS, i)]
    code, out, err = _main(capsys, "locate", DOC_ID, AMBIGUOUS, "--occurrence", "2", "--data-dir", str(DATA))
    assert (code, out, err) == (0, [f"start={starts[1]} end={starts[1] + len(AMBIGUOUS)}", AMBIGUOUS], [])
    code, out, err = _main(capsys, "locate", DOC_ID, UNIQUE, AMBIGUOUS, "--data-dir", str(DATA))
    start = TEXT.index(UNIQUE)
    assert code == 1 and out == [f"start={start} end={start + len(UNIQUE)}", UNIQUE]
    assert len(err) == 1 and err[0].startswith(f"error: quote is ambiguous: it occurs {len(starts)} times")
    code, out, err = _main(capsys, "locate", DOC_ID, "S-400", "--occurrence", "2", "--data-dir", str(DATA))
    where = TEXT.index("S-400")
    assert (code, out, err) == (1, [], [f"error: occurrence 2 of 'S-400' asked for, but it occurs 1 time(s) "
                                        f"(at {where}-{where + 5})"])


def test_locate_of_a_quote_found_everywhere_prints_a_count_not_every_place(data_copy, capsys):
    source = data_copy / "sources" / f"{DOC_ID}.txt"
    source.write_text("ab " * 200_000, encoding="utf-8")
    header, rows = records(data_copy / "documents.csv")
    import hashlib
    rows[0][1][header.index("sha256")] = hashlib.sha256(source.read_bytes()).hexdigest()
    rewrite_table(data_copy / "documents.csv", header, [r for _, r in rows])
    code, out, err = _main(capsys, "locate", DOC_ID, "ab", "--data-dir", str(data_copy))
    assert (code, out) == (1, [])
    assert err == ["error: quote is ambiguous: it occurs 200000 times (at 0-2, 3-5, 6-8, 9-11, 12-14, 15-17, "
                   "18-20, 21-23, 24-26, 27-29 and 199990 more); quote more context or give the occurrence "
                   "to pick one"]


def test_locate_with_no_quote_after_double_dash_says_so(capsys):
    code, out, err = _main(capsys, "locate", "--data-dir", str(DATA), DOC_ID, "--", "--")
    assert (code, out) == (1, [])
    assert err == ["error: no quote given (the shell's `--` ends the options and is not a quote; to find a "
                   "passage with '--' in it, quote its words around it)"]


def test_locate_needs_only_documents_csv_and_the_text(data_copy, capsys):
    for path in data_copy.iterdir():
        if path.name not in ("documents.csv", "sources"):
            (path.unlink() if path.is_file() else None)
    code, out, err = _main(capsys, "locate", DOC_ID, UNIQUE, "--data-dir", str(data_copy))
    start = TEXT.index(UNIQUE)
    assert (code, out, err) == (0, [f"start={start} end={start + len(UNIQUE)}", UNIQUE], [])


def test_locate_refuses_a_text_that_is_not_the_one_documents_csv_names(data_copy, capsys):
    source = data_copy / "sources" / f"{DOC_ID}.txt"
    source.write_text(TEXT.replace("Turkey", "Turkiye"), encoding="utf-8")
    code, out, err = _main(capsys, "locate", DOC_ID, UNIQUE, "--data-dir", str(data_copy))
    assert (code, out) == (1, [])
    line, row = find_record(data_copy / "documents.csv", "doc_id", DOC_ID)
    import hashlib
    digest = hashlib.sha256(source.read_bytes()).hexdigest()
    assert err == [f"error: cannot read the text of {DOC_ID!r}: {data_copy / 'documents.csv'}:{line}: "
                   f"sha256: source file 'sources/{DOC_ID}.txt' has sha256 {digest}, not {row['sha256']}"]


def test_locate_reports_a_documents_csv_it_cannot_read_as_validate_does(data_copy, capsys):
    path = data_copy / "documents.csv"
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())  # Excel's "UTF-8"
    code, out, err = _main(capsys, "locate", DOC_ID, UNIQUE, "--data-dir", str(data_copy))
    assert (code, out) == (1, [])
    assert err == [f"error: cannot read the text of {DOC_ID!r}: {path}:1: -: file starts with a byte-order "
                   "mark; save it as UTF-8 without BOM"]


def test_sentences_lists_each_sentence_with_its_offsets(capsys):
    import csv
    import io

    from stances.text.sentences import sentences
    code, out, err = _main(capsys, "sentences", DOC_ID, "--data-dir", str(DATA))
    assert (code, err) == (0, [])
    rows = list(csv.reader(io.StringIO("\n".join(out) + "\n")))
    expected = sentences(TEXT)
    assert rows[0] == ["sentence", "start", "end", "text"] and len(rows) == len(expected) + 1
    for number, (start, end, text) in enumerate(expected.itertuples(index=False), 1):
        assert rows[number] == [str(number), str(start), str(end), text] and TEXT[start:end] == text


# --- init and check-findings on bad input: one line each, exit 1, no traceback ----------------------

def test_init_refuses_what_it_cannot_start_from(tmp_path, capsys):
    source = DATA / "sources" / f"{DOC_ID}.txt"
    assert _main(capsys, "init", str(tmp_path / "a"), "--doc-id", "Bad-Id", "--source", str(source),
                 "--topics", "x") == (1, [], ["error: --doc-id 'Bad-Id': up to 64 lower-case letters, digits "
                                             "and '_', starting with a letter"])
    assert _main(capsys, "init", str(tmp_path / "a"), "--doc-id", "a", "--source", str(source),
                 "--topics", "x,X") == (1, [], ["error: topics: 'X' (lower-case letters, digits and '_', "
                                               "starting with a letter)"])
    binary = tmp_path / "latin1.txt"
    binary.write_bytes("Caf\xe9".encode("latin-1"))
    assert _main(capsys, "init", str(tmp_path / "a"), "--doc-id", "a", "--source", str(binary),
                 "--topics", "x") == (1, [], [f"error: {binary} is not UTF-8 text (unexpected end of data "
                                             "at byte 3)"])
    assert not (tmp_path / "a").exists(), "nothing is written for a refused study"
    code, out, err = _main(capsys, "init", str(tmp_path / "a"), "--doc-id", "a", "--source", str(source),
                           "--topics", "x")
    assert code == 0 and err == []
    assert out[1] == ("still empty (a header, no rows yet): claims.csv, statements.csv, "
                      "relations.csv, thesis.csv, findings_names.csv")
    assert (tmp_path / "a" / "data" / "sources" / "a.txt").read_bytes() == source.read_bytes()
    assert _main(capsys, "init", str(tmp_path / "a"), "--doc-id", "a", "--source", str(source),
                 "--topics", "x") == (1, [], [f"error: {tmp_path / 'a'} already holds data, notebooks, "
                                             "coding.csv; init writes a new study only"])


def test_check_findings_names_each_file_that_is_not_a_notebook(tmp_path, capsys):
    empty, binary = tmp_path / "00_empty.ipynb", tmp_path / "01_binary.ipynb"
    empty.write_text("{}", encoding="utf-8")
    binary.write_bytes(b"\xff\xfe\x00")
    missing = tmp_path / "02_missing.ipynb"
    code, out, err = _main(capsys, "check-findings", str(empty), str(binary), str(missing))
    assert code == 1 and err == ["3 problem(s) in the findings"]
    assert out[0].startswith(f"{empty}: is not a notebook (")
    assert out[1].startswith(f"{binary}: is not a notebook (")
    assert out[2] == f"{missing}: cannot be read (No such file or directory)"


def test_locate_of_a_huge_quote_prints_a_bounded_line(capsys):
    quote = "no such words " * 80_000
    code, out, err = _main(capsys, "locate", DOC_ID, quote, "--data-dir", str(DATA))
    assert (code, out) == (1, [])
    assert err == [f"error: quote not found: {quote[:120]!r}... ({len(quote)} characters)"]
