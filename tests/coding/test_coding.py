"""`python -m stances code`: a coding sheet of quotes becomes statements and relations with exact
offsets and ids in text order; an ambiguous or missing quote is an error naming every candidate,
never a guess, and no row is ever dropped (nothing is written unless every row anchors)."""

from __future__ import annotations

import csv

from conftest import DATA, DOC_ID, dict_records, records
from stances import files
from stances.cli import main as cli_main

TEXT = (DATA / "sources" / f"{DOC_ID}.txt").read_text(encoding="utf-8")
HEADER = ["speaker", "claim", "stance", "attribution", "quote", "occurrence", "context", "target", "note"]
LATE = "Turkey is turning a deaf ear to the warnings coming from the White House"
EARLY = "Turkey has been working for some time to put an end to a migration crisis"
TWICE = "Erdogan and Putin"
MIGRATION = ["turkey", "syria_migration_crisis", "support", "implied_by_action"]
MEETING = ["erdogan", "syria_meeting_productive", "support", "author_assertion"]


def _sheet(path, rows, header=HEADER):
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(rows)
    return path


def _code(capsys, sheet, data, *extra):
    capsys.readouterr()
    code = cli_main(["code", str(sheet), "--data-dir", str(data), "--doc-id", DOC_ID, "--coder", "c1",
                     "--replace", *extra])
    out, err = capsys.readouterr()
    return code, out, err.splitlines()


def _starts(quote):
    return [i for i in range(len(TEXT)) if TEXT.startswith(quote, i)]


def test_a_sheet_becomes_rows_with_exact_offsets_in_text_order(data_copy, capsys):
    starts = _starts(TWICE)
    context = f"{TEXT[starts[1] - 10:starts[1]]}{TWICE}"
    sheet = _sheet(data_copy.parent / "sheet.csv", [
        ["usa", "arms_buy_second_s400", "oppose", "author_assertion", LATE, "", "", "turkey", "late first"],
        [*MIGRATION, EARLY, "", "", "", ""],
        [*MEETING, TWICE, "3", "", "", ""],
        ["putin", "syria_meeting_productive", "support", "author_assertion", TWICE, "", context, "", ""],
    ])
    code, out, err = _code(capsys, sheet, data_copy)
    assert (code, err) == (0, [])
    rows = dict_records(data_copy / "statements.csv")
    assert [r["statement_id"] for r in rows] == ["s001", "s002", "s003", "s004"]
    expected = [(EARLY, _starts(EARLY)[0], "turkey"), (TWICE, starts[1], "putin"),
                (TWICE, starts[2], "erdogan"), (LATE, _starts(LATE)[0], "usa")]
    assert [(r["quote"], int(r["start"]), r["speaker"]) for r in rows] == expected
    assert all(TEXT[int(r["start"]):int(r["end"])] == r["quote"] and r["coder"] == "c1" for r in rows)
    assert rows[3]["note"] == "late first" and rows[3]["target"] == "turkey"
    assert dict_records(data_copy / "relations.csv") == []
    assert out.startswith(f"{data_copy / 'statements.csv'}: 4 statement(s); ")


def test_an_ambiguous_or_missing_quote_names_every_candidate_and_nothing_is_written(data_copy, capsys):
    before = (data_copy / "statements.csv").read_bytes()
    starts = _starts(TWICE)
    sheet = _sheet(data_copy.parent / "sheet.csv", [
        [*MEETING, TWICE, "", "", "", ""],
        [*MIGRATION, EARLY, "", "", "", ""],
        [*MIGRATION, "words not in the text", "", "", "", ""],
        ["turkey", "syria_migration_crisis", "support", "", EARLY, "", "", "", ""],
        [*MEETING, TWICE, "9", "", "", ""],
        [*MEETING, TWICE, "x", "", "", ""],
        [*MIGRATION, EARLY.replace(" ", "  "), "", "", "", ""],
    ])
    code, out, err = _code(capsys, sheet, data_copy)
    where = ", ".join(f"{i}: {s}-{s + len(TWICE)}" for i, s in enumerate(starts, 1))
    spans = ", ".join(f"{s}-{s + len(TWICE)}" for s in starts)
    early = _starts(EARLY)[0]
    assert (code, out) == (1, "")
    assert err == [
        f"{sheet}:2: quote: quote is ambiguous: it occurs {len(starts)} times (at {spans}); quote more "
        f"context or give the occurrence to pick one [occurrences {where}]: {TWICE!r}",
        f"{sheet}:4: quote: quote not found: 'words not in the text'",
        f"{sheet}:5: attribution: empty",
        f"{sheet}:6: quote: occurrence 9 of {TWICE!r} asked for, but it occurs {len(starts)} time(s) "
        f"(at {spans}) [occurrences {where}]",
        f"{sheet}:7: occurrence: must be a whole number from 1 (digits 0-9), not 'x'",
        f"{sheet}:8: quote: found only after normalising spacing or quote marks, at "
        f"{early}-{early + len(EARLY)}: {EARLY!r}; copy the text's own characters into the sheet: "
        f"{EARLY.replace(' ', '  ')!r}",
        "6 row problem(s); nothing written"]
    assert (data_copy / "statements.csv").read_bytes() == before


def test_code_never_overwrites_coded_tables_unless_told(data_copy, capsys):
    header, rows = records(data_copy / "statements.csv")  # a note over two lines is still one row
    rows[0][1][header.index("note")] = "first line\nsecond line"
    files.write_csv(data_copy / "statements.csv", header, [record for _, record in rows])
    before = (data_copy / "statements.csv").read_bytes()
    sheet = _sheet(data_copy.parent / "sheet.csv", [[*MIGRATION, EARLY, "", "", "", ""]])
    capsys.readouterr()
    assert cli_main(["code", str(sheet), "--data-dir", str(data_copy), "--doc-id", DOC_ID]) == 1
    held = [f"{data_copy / name} holds {len(dict_records(data_copy / name))} row(s)"
            for name in ("statements.csv", "relations.csv")]
    assert capsys.readouterr().err == (f"error: {', '.join(held)}; `code` writes both tables from the sheet "
                                       "as a whole: add --replace to do so\n")
    assert (data_copy / "statements.csv").read_bytes() == before


def test_relations_and_bad_sheets(data_copy, capsys):
    header = [*HEADER, "relation", "topic"]
    sheet = _sheet(data_copy.parent / "sheet.csv", [
        ["usa", "", "", "", LATE, "", "", "turkey", "", "warns", "arms"],
        ["usa", "arms_s400_deal", "", "", LATE, "", "", "turkey", "", "warns", "arms"],
    ], header)
    code, _, err = _code(capsys, sheet, data_copy)
    assert code == 1 and err[0] == f"{sheet}:3: claim: a relation row takes no claim, stance or attribution"
    _sheet(sheet, [["usa", "", "", "", LATE, "", "", "turkey", "", "warns", "arms"]], header)
    assert _code(capsys, sheet, data_copy)[0] == 0
    start = _starts(LATE)[0]
    assert dict_records(data_copy / "relations.csv") == [
        {"relation_id": "rel001", "doc_id": DOC_ID, "start": str(start), "end": str(start + len(LATE)),
         "quote": LATE, "source": "usa", "relation": "warns", "target": "turkey", "topic": "arms"}]
    _sheet(sheet, [], ["speaker", "claim", "wording"])
    code, _, err = _code(capsys, sheet, data_copy)
    assert (code, err[:2]) == (1, [f"{sheet}:1: quote: missing column",
                                   f"{sheet}:1: wording: unknown column (a sheet has speaker, claim, stance, "
                                   "attribution, quote, occurrence, context, target, note, relation, topic, "
                                   "doc_id, coder)"])
    sheet.write_text("speaker,quote\nusa\n", encoding="utf-8")
    code, _, err = _code(capsys, sheet, data_copy)
    assert (code, err[0]) == (1, f"{sheet}:2: -: 1 fields, the header has 2")
