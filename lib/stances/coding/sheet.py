"""Coding without offsets: a coding sheet of quotes becomes statements.csv and relations.csv.

A coding sheet is a CSV file with a header row; each row is one position (or one relation) as
a coder writes it down, with the quote copied from the text and no offsets:

* ``speaker, claim, stance, attribution, quote`` (required), ``target, note`` (optional);
* ``occurrence`` (optional): which occurrence of the quote, 1-based in text order, when the
  quote occurs more than once; or ``context`` (optional): a longer passage that occurs once and
  holds the quote once;
* ``relation, topic`` (optional columns): a row with a ``relation`` is a relation (``speaker``
  acts, ``target`` is acted upon) and takes no claim, stance or attribution;
* ``doc_id`` and ``coder`` (optional columns) default to ``--doc-id`` and ``--coder``; with
  neither, ``doc_id`` is the study's document when ``documents.csv`` holds exactly one.

``python -m stances code SHEET`` anchors every row and writes the two tables with ids in text
order (``s001``..., ``rel001``...). A quote that is missing, or that occurs more than once with
neither occurrence nor context to pick one, is an error listing every candidate's offsets:
the command never guesses, never drops a row, and writes nothing unless every row anchors.

The order is what keeps a user's work: tables that already hold rows are replaced only with
``--replace``; every row must anchor; the study with its two new tables must pass every check
``validate`` runs (a speaker, claim or stance the study does not declare is reported at its
sheet line); then both tables are written as one unit (``stances.files.commit``), so a kill or a
full disk leaves the old pair or the new one. A cell that a spreadsheet would read as a formula
(``=``, ``+``, ``-``, ``@`` first) is written as it is, with a warning.
"""

from __future__ import annotations

import csv
import io
import re
import sys
from pathlib import Path

from stances import files
from stances.corpus.documents import DocumentError, document_ids, document_text
from stances.corpus.schema import columns
from stances.errors import Problem, capped, shorten
from stances.text.anchor import AnchorError, find_all, locate, spans

TABLES = {"statements.csv": columns("statements"), "relations.csv": columns("relations")}
SHEET_COLUMNS = ["speaker", "claim", "stance", "attribution", "quote", "occurrence", "context", "target",
                 "note", "relation", "topic", "doc_id", "coder"]
REQUIRED = ("speaker", "quote")
MAX_SHOWN = 200  # characters of a quote or passage printed back
FORMULA_START = ("=", "+", "-", "@")
MAX_WARNINGS = 20


def _problem(path: str, line: int, column: str, message: str) -> Problem:
    return Problem(path, line, column, message, "sheet")


def _anchor(text: str, row: dict[str, str]) -> tuple[int, int]:
    """The offsets of the row's quote; AnchorError naming the candidates when it cannot tell."""
    quote, occurrence, context = row["quote"], row.get("occurrence") or "", row.get("context") or ""
    if occurrence and context:
        raise AnchorError("give occurrence or context, not both")
    if occurrence:
        match = locate(text, quote, int(occurrence))
    elif context:
        passage = locate(text, context)
        inside = find_all(text[passage.start:passage.end], quote)
        if len(inside) != 1:
            raise AnchorError(f"the context at {passage.start}-{passage.end} holds the quote "
                              f"{len(inside)} times, not once")
        match = inside[0]
        return passage.start + match.start, passage.start + match.end
    else:
        match = locate(text, quote)
    if not match.exact:
        found = shorten(text[match.start:match.end], MAX_SHOWN)
        raise AnchorError(f"found only after normalising spacing or quote marks, at {match.start}-"
                          f"{match.end}: {found!r}; copy the text's own characters into the sheet")
    return match.start, match.end


def _candidates(err: AnchorError) -> str:
    if not err.matches:
        return str(err)
    return f"{err.args[0]} [occurrences {spans(err.matches, 20, numbered=True)}]"


def read_sheet(path: Path) -> tuple[list[str], list[tuple[int, list[str]]]]:
    """The sheet's header and its rows, each with the file line it starts on. ``SheetError`` (with
    the line) for a file that is not a regular UTF-8 CSV file; a leading byte-order mark (as
    spreadsheets save "CSV UTF-8") is dropped."""
    why = files.regular_file(path)
    if why:
        raise SheetError(0, why)
    try:
        content = path.read_bytes()
    except OSError as err:
        raise SheetError(0, f"cannot be read ({err.strerror or err})") from None
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        raise SheetError(content[:err.start].count(b"\n") + 1,
                         f"is not UTF-8 text ({err.reason} at byte {err.start})") from None
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = next(reader, None)
        if header is None:
            return [], []
        rows, previous_end = [], reader.line_num
        for record in reader:
            rows.append((previous_end + 1, record))
            previous_end = reader.line_num
    except csv.Error as err:
        raise SheetError(reader.line_num, f"cannot be read as CSV ({err})") from None
    return header, rows


class SheetError(ValueError):
    """A sheet that cannot be read, at ``line`` (0: the file as a whole)."""

    def __init__(self, line: int, message: str):
        super().__init__(message)
        self.line = line


def coded_lines(sheet: Path, data_dir: Path, doc_id: str | None = None, coder: str | None = None):
    """Anchor every row of ``sheet``: (statements, relations, errors), the tables as ``(sheet line,
    row)`` in text order with their ids, the errors every row that could not be used."""
    shown = str(sheet)
    try:
        header, records = read_sheet(sheet)
    except SheetError as err:
        return [], [], [_problem(shown, err.line, "-", str(err))]
    errors = [_problem(shown, 1, c, "missing column") for c in REQUIRED if c not in header]
    errors += [_problem(shown, 1, c, f"unknown column (a sheet has {', '.join(SHEET_COLUMNS)})")
               for c in header if c not in SHEET_COLUMNS]
    if len(set(header)) < len(header):
        errors.append(_problem(shown, 1, "-", "a column is named twice"))
    if errors:
        return [], [], errors
    if not doc_id and len(ids := document_ids(data_dir)) == 1:
        doc_id = ids[0]  # the study's one document
    texts: dict[str, str] = {}
    statements, relations = [], []
    seen: dict[tuple[str, ...], int] = {}
    for line, record in records:
        if len(record) != len(header):
            errors.append(_problem(shown, line, "-", f"{len(record)} fields, the header has {len(header)}"))
            continue
        if tuple(record) in seen:
            errors.append(_problem(shown, line, "-", f"the same row as line {seen[tuple(record)]} (a row "
                                                     "given twice would be coded twice; delete one)"))
            continue
        seen[tuple(record)] = line
        row = dict(zip(header, record, strict=True))
        row_doc = row.get("doc_id") or doc_id
        row_coder = row.get("coder") or coder
        is_relation = bool(row.get("relation"))
        needed = ["speaker", "quote", "target", "topic"] if is_relation else \
            ["speaker", "quote", "claim", "stance", "attribution"]
        missing = [c for c in needed if not row.get(c)]
        if not row_doc:
            missing.append("doc_id")
        if not row_coder and not is_relation:
            missing.append("coder")
        stray = [c for c in ("claim", "stance", "attribution") if is_relation and row.get(c)]
        errors += [_problem(shown, line, c, "empty" + (" (or give --doc-id)" if c == "doc_id" else
                                                         " (or give --coder)" if c == "coder" else ""))
                   for c in missing]
        errors += [_problem(shown, line, c, "a relation row takes no claim, stance or attribution")
                   for c in stray]
        if missing or stray:
            continue
        if row_doc not in texts:
            try:
                texts[row_doc] = document_text(data_dir, row_doc)
            except KeyError as err:
                errors.append(_problem(shown, line, "doc_id", str(err.args[0])))
                continue
            except DocumentError as err:
                errors.append(_problem(shown, line, "doc_id", f"cannot read its text: {err}"))
                continue
        text = texts[row_doc]
        occurrence = row.get("occurrence") or ""
        if occurrence and not re.fullmatch(r"[0-9]{1,9}", occurrence):
            errors.append(_problem(shown, line, "occurrence", "must be a whole number from 1 (digits 0-9), "
                                                              f"not {shorten(occurrence, 20)!r}"))
            continue
        try:
            start, end = _anchor(text, row)
        except AnchorError as err:
            message, quoted = _candidates(err), repr(shorten(row["quote"], MAX_SHOWN))
            errors.append(_problem(shown, line, "context" if row.get("context") else "quote",
                                   message if quoted in message else f"{message}: {quoted}"))
            continue
        base = (row_doc, start, end, text[start:end])
        if is_relation:
            relations.append((line, [*base, row["speaker"], row["relation"], row["target"], row["topic"]]))
        else:
            statements.append((line, [*base, row["speaker"], row["claim"], row["stance"], row["attribution"],
                                      row.get("target") or "", row_coder, row.get("note") or ""]))
    return _numbered("s", statements), _numbered("rel", relations), errors


def _numbered(prefix: str, rows: list[tuple[int, list]]) -> list[tuple[int, list]]:
    """Rows in text order (document, start, end, then sheet line), each with its id first."""
    ordered = sorted(rows, key=lambda item: (item[1][0], item[1][1], item[1][2], item[0]))
    width = max(3, len(str(len(ordered))))
    return [(line, [f"{prefix}{i:0{width}d}", *row]) for i, (line, row) in enumerate(ordered, 1)]


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
    from stances.corpus.loader import check

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
    problems = _at_sheet_lines(check(data_dir, new)[1], data_dir, sheet, coded)
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
