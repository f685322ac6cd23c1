"""``python -m stances locate`` and ``sentences``: where a document's words are, by offset, for a
coder who writes rows by hand; the document's text (or why it cannot be read) and CSV on standard
output serve ``suggest`` too.
"""

from __future__ import annotations

import csv
import os
import sys

from stances.coding.sheet import MAX_SHOWN
from stances.corpus.documents import DocumentError, document_text
from stances.errors import shorten
from stances.text.anchor import AnchorError, locate
from stances.text.sentences import sentences


def text_or_error(data_dir: str, doc_id: str) -> str | None:
    """The text of ``doc_id``, or None once the reason it cannot be read is printed."""
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
    text = text_or_error(args.data_dir, args.doc_id)
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
    text = text_or_error(args.data_dir, args.doc_id)
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
