"""``python -m stances code SHEET``: a coded sheet becomes the study's statements.csv and
relations.csv, checked with the rest of the study before anything is written.

The order is what keeps a user's work: tables that already hold rows are replaced only with
``--replace``; every row must anchor (``stances.coding.sheet``); the study with its two new
tables must pass every check ``validate`` runs (a speaker, claim or stance the study does not
declare is reported at its sheet line); then both tables are written as one unit
(``stances.files.commit``), so a kill or a full disk leaves the old pair or the new one.
A cell that a spreadsheet would read as a formula (``=``, ``+``, ``-``, ``@`` first) is written
as it is, with a warning.
"""

from __future__ import annotations

import sys
from pathlib import Path

from stances import files
from stances.coding.sheet import RELATION_COLUMNS, STATEMENT_COLUMNS, coded_lines
from stances.errors import Problem, capped

TABLES = {"statements.csv": STATEMENT_COLUMNS, "relations.csv": RELATION_COLUMNS}
FORMULA_START = ("=", "+", "-", "@")
MAX_WARNINGS = 20


def _print_problems(problems: list, every: bool) -> None:
    shown, notes = (problems, []) if every else capped(problems)
    for problem in [*shown, *notes]:
        print(problem, file=sys.stderr)


def _at_sheet_lines(problems: list[Problem], data_dir: Path, sheet: str, coded: dict) -> list[Problem]:
    """A problem in a new table is the sheet's: shown at the sheet line its row comes from."""
    found = []
    for problem in problems:
        name = next((n for n in TABLES if problem.path == str(data_dir / n)), None)
        rows = coded.get(name, [])
        if name and 2 <= problem.line < len(rows) + 2:
            line, row = rows[problem.line - 2]
            problem = Problem(sheet, line, problem.column, f"{problem.message} (would be {name} row "
                                                           f"{row[0]})", problem.check)
        found.append(problem)
    return found


def _formula_warnings(sheet: str, coded: dict) -> list[str]:
    warnings = []
    for name, rows in coded.items():
        for line, row in rows:
            for column, cell in zip(TABLES[name], row, strict=True):
                if isinstance(cell, str) and cell.startswith(FORMULA_START):
                    warnings.append(f"warning: {sheet}:{line}: {column}: starts with {cell[0]!r}; a "
                                    "spreadsheet opening the table may read it as a formula")
    return warnings


def code_command(args) -> int:
    from stances.corpus.loader import _check

    data_dir, sheet = Path(args.data_dir), str(args.sheet)
    try:
        files.recover(data_dir, clean=True)  # a change a killed `code` decided is finished first
    except OSError as err:
        print(f"error: {data_dir}: an interrupted change cannot be finished ({err.strerror or err})",
              file=sys.stderr)
        return 1
    if not args.replace:  # the sheet is the whole coding: never overwrite rows coded another way by accident
        held = [(name, n) for name in TABLES if (n := files.rows_in(data_dir / name))]
        if held:
            print(f"error: {', '.join(f'{data_dir / name} holds {n} row(s)' for name, n in held)}; `code` "
                  "writes both tables from the sheet as a whole: add --replace to do so", file=sys.stderr)
            return 1
    statements, relations, errors = coded_lines(Path(sheet), data_dir, args.doc_id, args.coder)
    if errors:
        _print_problems(errors, args.all)
        print(f"{len(errors)} row problem(s); nothing written", file=sys.stderr)
        return 1
    coded = {"statements.csv": statements, "relations.csv": relations}
    new = {name: files.csv_bytes(TABLES[name], [row for _, row in rows]) for name, rows in coded.items()}
    problems = _at_sheet_lines(_check(data_dir, new)[1], data_dir, sheet, coded)
    if problems:
        _print_problems(problems, args.all)
        print(f"{len(problems)} problem(s) in the study with the sheet's rows; nothing written "
              f"(`python -m stances validate {data_dir}` checks the study as it is)", file=sys.stderr)
        return 1
    warnings = _formula_warnings(sheet, coded)
    for warning in warnings[:MAX_WARNINGS]:
        print(warning, file=sys.stderr)
    if len(warnings) > MAX_WARNINGS:
        print(f"... and {len(warnings) - MAX_WARNINGS} more cell(s) that start like a formula",
              file=sys.stderr)
    try:
        files.commit(data_dir, new)
    except OSError as err:
        print(f"error: {err}; nothing written", file=sys.stderr)
        return 1
    print(f"{data_dir / 'statements.csv'}: {len(statements)} statement(s); "
          f"{data_dir / 'relations.csv'}: {len(relations)} relation(s); "
          f"check with `python -m stances validate {data_dir}`")
    return 0
