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
"""

from __future__ import annotations

import csv
import io
import os
import re
import sys
from pathlib import Path

from stances.corpus.documents import DocumentError, document_ids, document_text
from stances.corpus.schema import columns
from stances.errors import Problem, shorten
from stances.files import regular_file
from stances.text.anchor import AnchorError, find_all, locate, spans
from stances.text.sentences import sentences

STATEMENT_COLUMNS = columns("statements")
RELATION_COLUMNS = columns("relations")
SHEET_COLUMNS = ["speaker", "claim", "stance", "attribution", "quote", "occurrence", "context", "target",
                 "note", "relation", "topic", "doc_id", "coder"]
REQUIRED = ("speaker", "quote")
MAX_SHOWN = 200  # characters of a quote or passage printed back


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
    why = regular_file(path)
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


def _text_or_error(data_dir: str, doc_id: str) -> str | None:
    try:
        return document_text(data_dir, doc_id)
    except KeyError as err:
        print(f"error: {err.args[0]}", file=sys.stderr)
    except DocumentError as err:
        print(f"error: cannot read the text of {doc_id!r}: {err}", file=sys.stderr)
    return None


def locate_command(args) -> int:
    if not args.quotes:
        print("error: no quote given (the shell's `--` ends the options and is not a quote; "
              "to find a passage with '--' in it, quote its words around it)", file=sys.stderr)
        return 1
    text = _text_or_error(args.data_dir, args.doc_id)
    if text is None:
        return 1
    failed = 0
    for quote in args.quotes:
        try:
            match = locate(text, quote, args.occurrence)
        except AnchorError as err:
            print(f"error: {err}", file=sys.stderr)
            failed += 1
            continue
        note = "" if match.exact else "  (after normalising whitespace/quote marks; copy the text's own)"
        print(f"start={match.start} end={match.end}{note}")
        print(shorten(text[match.start:match.end], MAX_SHOWN))
    return 1 if failed else 0


def sentences_command(args) -> int:
    text = _text_or_error(args.data_dir, args.doc_id)
    if text is None:
        return 1
    print_csv([["sentence", "start", "end", "text"],
               *([number, row.start, row.end, row.sentence]
                 for number, row in enumerate(sentences(text).itertuples(index=False), 1))])
    return 0


def print_csv(rows) -> None:
    """CSV rows to standard output; a reader that stops early (``| head``) ends the output quietly."""
    try:
        csv.writer(sys.stdout, lineterminator="\n").writerows(rows)
        sys.stdout.flush()
    except BrokenPipeError:
        sys.stdout = open(os.devnull, "w")  # noqa: SIM115 - the reader left; later flushes go nowhere

