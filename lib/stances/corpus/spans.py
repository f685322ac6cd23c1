"""The checks of anchored spans (tables with ``doc_id``, ``start``, ``end``, ``quote``):
``text[start:end] == quote``, said precisely when it is not, and a span stays inside one sentence
where the table says so. Each is ``check(table, rows, corpus) -> list[Problem]``."""

from __future__ import annotations

import unicodedata

import numpy as np
import pyarrow.compute as pc

from stances.corpus.checks import Parsed, integers
from stances.corpus.csvtable import Rows
from stances.corpus.descriptor import Table
from stances.errors import Problem, show

ANCHOR = ("doc_id", "start", "end", "quote")


def _wrong_anchors(rows: Rows, corpus: Parsed) -> list[tuple]:
    """(row, text, start, end, quote) of each row whose document was read, whose offsets are
    integers and where ``text[start:end]`` is not the quote: one pass over every row, then the
    few wrong ones are looked at."""
    none = -(1 << 62)  # an offset that is not an integer
    starts, ends = integers(rows, "start"), integers(rows, "end")
    start_list, end_list = (pc.fill_null(n, none).to_numpy().tolist() for n in (starts, ends))
    quotes = rows["quote"].to_numpy().tolist()
    documents = pc.dictionary_encode(rows["doc_id"].combine_chunks())  # each text looked up once
    codes = documents.indices.to_numpy()
    texts = [corpus.texts.get(doc) for doc in documents.dictionary.to_pylist()]
    row_texts = np.array([text or "" for text in texts], dtype=object)[codes].tolist()
    # text[start:end] == quote: the span is as long as the quote, and the text has it at start
    same_length = pc.equal(pc.subtract(ends, starts), pc.utf8_length(rows["quote"]))
    fits = pc.and_(pc.less(starts, ends), same_length)
    there = np.fromiter(map(str.startswith, row_texts, quotes, start_list), bool, len(quotes))
    wrong = np.flatnonzero(~(there & pc.fill_null(fits, False).to_numpy(zero_copy_only=False))).tolist()
    return [(i, texts[codes[i]], start_list[i], end_list[i], quotes[i]) for i in wrong
            if texts[codes[i]] is not None and none not in (start_list[i], end_list[i])]


def check_anchors(table: Table, rows: Rows, corpus: Parsed) -> list[Problem]:
    """start < end <= len(text) and text[start:end] == quote in every table with these columns,
    for rows whose document was read and whose offsets are integers."""
    if not set(ANCHOR) <= set(rows.header) or not corpus.texts:
        return []
    problems = []
    for i, text, start, end, quote in _wrong_anchors(rows, corpus):
        if start < 0:
            continue  # reported by the field check as below the minimum 0
        if start >= end:
            column, message = "start", f"start ({start}) must be less than end ({end})"
        elif end > len(text):
            column, message = "end", f"end ({end}) is past the end of the text ({len(text)} characters)"
        else:
            column, message = "quote", _quote_message(quote, text, start, end)
        problems.append(Problem(corpus.shown[table.name], int(rows.lines[i]), column, message, "anchor"))
    return problems


def _looks(value: str) -> str:
    """What a reader sees: NFC letters, no zero-width or other format characters."""
    return unicodedata.normalize("NFC", "".join(c for c in value if unicodedata.category(c) != "Cf"))


def _occurs(quote: str, text: str, start: int) -> str:
    """Where ``quote`` is in ``text``: the occurrence nearest to ``start``, or that it is not."""
    before, after = text.rfind(quote, 0, start + len(quote) - 1), text.find(quote, start)
    found = [at for at in (before, after) if at >= 0]
    if not quote or not found:
        return "the quote does not occur in the text"
    at = min(found, key=lambda a: (abs(a - start), a))
    again = text.find(quote, at + 1) >= 0 or text.rfind(quote, 0, at + len(quote) - 1) >= 0
    count = " (the nearest occurrence)" if again else ""
    return f"the quote occurs at text[{at}:{at + len(quote)}]{count}"


def _quote_message(quote: str, text: str, start: int, end: int) -> str:
    """What is at the offsets, where the quote really is, and any difference a reader cannot see."""
    span = text[start:end]
    message = f"quote differs from text[{start}:{end}], which is {show(span)}; {_occurs(quote, text, start)}"
    if _looks(quote) != _looks(span):
        return message
    pairs = enumerate(zip(quote, span, strict=False))
    at = next((i for i, (a, b) in pairs if a != b), min(len(quote), len(span)))
    seen = slice(max(0, at - 10), at + 10)
    return (f"{message}; they look alike but differ at character {at} in characters you cannot "
            f"see: the quote has {ascii(quote[seen])}, the text {ascii(span[seen])}")


def check_sentences(table: Table, rows: Rows, corpus: Parsed) -> list[Problem]:
    """In a table declared ``"spansCrossSentences": false``, no span runs over a sentence
    boundary (``stances.text.sentences``) unless a quotation is open there (CODEBOOK.md)."""
    if table.spans_cross_sentences or not set(ANCHOR) <= set(rows.header) or not corpus.texts:
        return []
    from stances.text.quotations import inside_quotation
    from stances.text.sentences import sentences

    # Only a quote holding ".", "!" or "?" before its last character, or a line break, can
    # cross a boundary: the rule itself runs on those rows alone.
    may_cross = pc.match_substring_regex(rows["quote"], r"[.!?].|\n")
    documents, quotes = (rows[c].filter(may_cross).to_pylist() for c in ("doc_id", "quote"))
    starts, ends = (integers(rows, c).filter(may_cross).to_pylist() for c in ("start", "end"))
    lines = rows.lines[may_cross.to_numpy(zero_copy_only=False)].tolist()
    bounds, problems = {}, []  # a document's sentence starts, found once
    for line, doc, start, end, quote in zip(lines, documents, starts, ends, quotes, strict=True):
        text = corpus.texts.get(doc)
        if text is None or start is None or end is None or not 0 <= start < end or text[start:end] != quote:
            continue  # reported by the anchor checks
        if doc not in bounds:
            bounds[doc] = sentences(text)["start"].to_numpy()
        inside = bounds[doc][(bounds[doc] > start) & (bounds[doc] < end)]
        crossed = [int(b) for b in inside if not inside_quotation(text, int(b))]
        if crossed:
            problems.append(Problem(corpus.shown[table.name], line, "end",
                                    f"text[{start}:{end}] runs into the next sentence at character "
                                    f"{crossed[0]} (a span stays inside one sentence unless a quotation "
                                    "crosses the boundary too)", "sentence"))
    return problems


SPAN_CHECKS = (check_anchors, check_sentences)
