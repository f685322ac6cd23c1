"""The checks: each one a function ``check(table, raw, corpus) -> list[Problem]`` listed in
``TABLE_CHECKS``. Each works on whole columns (pyarrow compute, numpy) and loops only over the
rows that fail, so a clean million-row table is checked in C, not Python."""

from __future__ import annotations

import functools
import hashlib
import unicodedata
from dataclasses import dataclass, field
from itertools import pairwise
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from stances.corpus.csvtable import STRING, RawTable, file_bytes
from stances.corpus.descriptor import Table, confine
from stances.errors import Problem, show

# Whole numbers that fit in int64, written one way only: no "+", no leading zeros, no "-0",
# so that a loaded corpus writes back byte for byte.
CANONICAL_INTEGER = r"^(0|-?[1-9][0-9]{0,17})$"
MAX_DIGITS = 18
ANCHOR = ("doc_id", "start", "end", "quote")
CHUNK = 65_536  # rows per block in the quote check; bounds its extra memory
BLOCK = 1 << 20  # bytes of text scanned at a time when mapping characters to bytes


@dataclass
class Parsed:
    """Everything read in the first phase, shared by the checks of the second."""
    data_dir: Path
    tables: dict[str, Table]
    raws: dict[str, RawTable] = field(default_factory=dict)
    shown: dict[str, str] = field(default_factory=dict)  # resource name -> its path in problems
    incomplete: set[str] = field(default_factory=set)  # tables with unreadable rows: no key targets
    texts: dict[str, str] = field(default_factory=dict)
    index: TextIndex | None = None


def _rows(mask) -> np.ndarray:
    if not pc.any(mask).as_py():
        return np.zeros(0, dtype=np.int64)  # nothing to report: no array of a million flags
    return np.flatnonzero(pc.fill_null(mask, False).to_numpy(zero_copy_only=False))


def _report(problems, raw, shown, name, check, mask, message) -> None:
    column = raw.columns[name]
    for i in _rows(mask):
        problems.append(Problem(shown, int(raw.lines[i]), name, message(column[int(i)].as_py()), check))


def integers(raw: RawTable, name: str) -> tuple[pa.ChunkedArray, pa.ChunkedArray]:
    """(which values are canonical integers, the int64 numbers with nulls elsewhere)."""
    return raw.once("integers", name, _integers)


def _integers(column: pa.ChunkedArray):
    digits, length = pc.ascii_is_decimal(column), pc.binary_length(column)  # decimal: non-empty, 0-9
    if pc.all(digits).as_py() is not False and (pc.max(length).as_py() or 0) <= MAX_DIGITS:
        # The usual case, 5x faster than the regex: plain digits, and no leading zero.
        good = pc.and_not(digits, pc.and_(pc.starts_with(column, "0"), pc.greater(length, 1)))
    else:
        good = pc.match_substring_regex(column, CANONICAL_INTEGER)
    whole = pc.all(good).as_py() is not False
    return good, pc.cast(column if whole else pc.if_else(good, column, None), pa.int64())


def _not_an_integer(value: str) -> str:
    digits = value.lstrip("+-")
    if not digits.isascii() or not digits.isdigit():
        return f"{show(value)} is not an integer"
    if len(digits.lstrip("0")) > MAX_DIGITS:
        return f"{show(value)} is too large (at most {MAX_DIGITS} digits)"
    return f"{show(value)} is not written canonically (no '+', no leading zeros, no '-0')"


def _not_a_date(column) -> pa.ChunkedArray:
    """Values that are not a YYYY-MM-DD date that exists on the calendar (2021-02-30 does not)."""
    shaped = pc.match_substring_regex(column, r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")
    parsed = pc.strptime(pc.if_else(shaped, column, None), format="%Y-%m-%d", unit="s",
                         error_is_null=True)
    # Arrow rolls 2021-02-30 over to 2021-03-02: a real date prints back as itself.
    return pc.invert(pc.fill_null(pc.equal(pc.strftime(parsed, format="%Y-%m-%d"), column), False))


# --- the checks -----------------------------------------------------------------------------------

def check_columns(table: Table, raw: RawTable, corpus: Parsed) -> list[Problem]:
    shown, declared, found = corpus.shown[table.name], table.columns, raw.header
    problems = [Problem(shown, 1, name, "missing column (datapackage.json declares it)", "columns")
                for name in declared if name not in found]
    problems += [Problem(shown, 1, name, "unknown column (not declared in datapackage.json)", "columns")
                 for name in found if name not in declared]
    if not problems and found != declared:
        problems.append(Problem(shown, 1, "-", "columns are not in the declared order: "
                                + ", ".join(declared), "columns"))
    return problems


def check_fields(table: Table, raw: RawTable, corpus: Parsed) -> list[Problem]:
    """Every constraint the package declares (``_package.CONSTRAINTS``) but ``unique``, and the
    integer and date types. A required value of whitespace alone is missing too."""
    problems = []
    for spec in (f for f in table.fields if f.name in raw.columns):
        report = functools.partial(_report, problems, raw, corpus.shown[table.name], spec.name)
        column, empty = raw.columns[spec.name], raw.empty(spec.name)
        present = pc.invert(empty)
        if spec.required:
            report("required", empty, lambda v: "missing value (required)")
            report("required", pc.utf8_is_space(column),  # NBSP too: nothing a reader can see
                   lambda v: f"{show(v)} is only whitespace (a value is required)")
        if spec.type == "integer":
            good, numbers = integers(raw, spec.name)
            report("integer", pc.and_not(present, good), _not_an_integer)
            if spec.minimum is not None:
                report("minimum", pc.less(numbers, spec.minimum),
                       lambda v, m=spec.minimum: f"{v} is below the minimum {m}")
            if spec.maximum is not None:
                report("maximum", pc.greater(numbers, spec.maximum),
                       lambda v, m=spec.maximum: f"{v} is above the maximum {m}")
        elif spec.min_length is not None or spec.max_length is not None:
            length = pc.utf8_length(column)  # in characters, as Table Schema counts
            if spec.min_length is not None:
                report("minLength", pc.and_(present, pc.less(length, spec.min_length)),
                       lambda v, m=spec.min_length: f"{show(v)} is shorter than {m} characters "
                                                    f"(minLength; it has {len(v)})")
            if spec.max_length is not None:
                report("maxLength", pc.greater(length, spec.max_length),
                       lambda v, m=spec.max_length: f"{show(v)} is longer than {m} characters "
                                                    f"(maxLength; it has {len(v)})")
        if spec.type == "date":
            report("date", pc.and_(present, _not_a_date(column)),
                   lambda v: f"{show(v)} is not a date on the calendar (YYYY-MM-DD)")
        if spec.enum is not None:
            allowed = ", ".join(spec.enum)
            report("enum", pc.and_(present, pc.is_null(raw.codes(spec.name, spec.enum))),
                   lambda v, a=allowed: f"{show(v)} is not one of: {a}")
        if spec.pattern is not None:
            report("pattern", pc.and_not(present, pc.match_substring_regex(column, spec.pattern)),
                   lambda v, p=spec.pattern[4:-2]: f"{show(v)} does not match the pattern {p}")
    return problems


# Whitespace a reader cannot tell apart: at either end, other than one plain space (tab, line
# break, no-break or other Unicode spaces), or two spaces in a row.
UNSEEN_SPACE = r"^[\s\p{Z}]|[\s\p{Z}]$|[\t\n\v\f\r\x85]|[^\P{Z} ]|  "


def _text_bytes(column: pa.ChunkedArray):
    """The bytes of each chunk's string data (a superset of the values of a sliced chunk)."""
    return (np.frombuffer(chunk.buffers()[2] or b"", dtype=np.uint8) for chunk in column.chunks)


def check_unique(table: Table, raw: RawTable, corpus: Parsed) -> list[Problem]:
    """Unique fields and the primary key (one column or several together), compared as written.

    So that two keys that look the same are never two keys, a key value may hold no whitespace
    that does not show (``UNSEEN_SPACE``) and must be in Unicode NFC: ``'a b'`` and
    ``'a\u00a0b'`` or ``'a '`` cannot both be ids (the second is refused).
    """
    keys = [(spec.name,) for spec in table.fields if spec.unique]
    if table.primary_key and table.primary_key not in keys:
        keys.append(table.primary_key)
    problems = []
    for name in dict.fromkeys(n for key in keys for n in key if n in raw.columns):
        column, report = raw.columns[name], functools.partial(
            _report, problems, raw, corpus.shown[table.name], name, "key")
        if not any(np.any((b <= 0x20) | (b >= 0x80)) for b in _text_bytes(column)):
            continue  # printable ASCII without a space (the usual id): nothing to look at
        report(pc.and_not(pc.match_substring_regex(column, UNSEEN_SPACE), pc.utf8_is_space(column)),
               lambda v: f"{show(v)} holds whitespace that does not show (a key has no space at "
                         "either end, no tab, line break, no-break or double space)")
        if not pc.all(pc.string_is_ascii(column)).as_py():
            report(pc.not_equal(pc.utf8_normalize(column, "NFC"), column),
                   lambda v: f"{show(v)} is not in Unicode NFC (keys are compared as written)")
    for key in (k for k in keys if set(k) <= raw.columns.keys()):
        column = raw.columns[key[0]] if len(key) == 1 else pc.binary_join_element_wise(
            *(raw.columns[k] for k in key), pa.scalar("\x1f", STRING))
        n = len(column)  # keys written in order are seen to be distinct in one pass, not hashed
        if n < 2 or pc.all(pc.less(column.slice(0, n - 1), column.slice(1))).as_py() or (
                pc.count_distinct(column).as_py() == n):
            continue
        values, first_line = column.to_pandas(), {}
        for i in np.flatnonzero((values.duplicated(keep=False) & (values != "")).to_numpy()):
            value, line = values.iat[i], int(raw.lines[i])
            if first_line.setdefault(value, line) != line:
                shown_value = show(value) if len(key) == 1 else show(value.replace("\x1f", ", "))
                problems.append(Problem(corpus.shown[table.name], line, key[0], f"duplicate key "
                                        f"{shown_value} (first on line {first_line[value]})", "unique"))
    return problems


def check_foreign_keys(table: Table, raw: RawTable, corpus: Parsed) -> list[Problem]:
    problems = []
    for key in table.foreign_keys:
        other = corpus.raws.get(key.resource)
        if (key.field not in raw.columns or other is None or key.reference not in other.columns
                or key.resource in corpus.incomplete):
            continue  # the missing table, column or rows are reported on their own
        known = pc.is_in(raw.columns[key.field], value_set=pc.unique(other.columns[key.reference]))
        target = f"{key.reference} in {corpus.tables[key.resource].path}"
        _report(problems, raw, corpus.shown[table.name], key.field, "foreign key",
                pc.and_not(pc.invert(raw.empty(key.field)), known),
                lambda v, t=target: f"{show(v)} is not a {t}")
    return problems


def read_sources(corpus: Parsed) -> list[Problem]:
    """Check each document's source path and checksum; keep the texts that could be read."""
    raw, problems, utf8 = corpus.raws.get("documents"), [], {}
    if raw is None or not {"doc_id", "path", "sha256"} <= raw.columns.keys():
        return problems
    shown = corpus.shown["documents"]
    columns = (raw.columns[c].to_pylist() for c in ("doc_id", "path", "sha256"))
    for line, doc_id, path, digest in zip(raw.lines.tolist(), *columns, strict=True):
        if not path:
            continue  # reported as a missing required value
        resolved, why = confine(corpus.data_dir, path, "sources")
        content, why = file_bytes(resolved) if resolved else (None, why)
        if content is None:
            message = f"source file {show(path)} {why}" if resolved else why
            problems.append(Problem(shown, line, "path", message, "source"))
            continue
        actual = hashlib.sha256(content).hexdigest()
        if digest and actual != digest:
            problems.append(Problem(shown, line, "sha256",
                                    f"source file {show(path)} has sha256 {actual}, not {digest}", "source"))
            continue
        try:
            corpus.texts[doc_id], utf8[doc_id] = bytes(content).decode("utf-8"), bytes(content)
        except UnicodeDecodeError as err:
            problems.append(Problem(shown, line, "path", f"source file {show(path)} is not UTF-8: {err}",
                                    "source"))
    corpus.index = TextIndex(corpus.texts, utf8) if corpus.texts else None
    return problems


class TextIndex:
    """The source texts as one UTF-8 buffer, and where each ``str`` index lands in it: only the
    multi-byte characters are recorded (character index, extra bytes), so ASCII costs nothing."""

    def __init__(self, texts: dict[str, str], utf8: dict[str, bytes]):
        self.doc_ids = list(texts)
        self.lengths = np.array([len(texts[d]) for d in self.doc_ids], dtype=np.int64)
        self.char_base = np.concatenate([[0], np.cumsum(self.lengths)[:-1]]).astype(np.int64)
        encoded = [utf8[d] for d in self.doc_ids]  # the files' bytes: not encoded again
        self.byte_base = np.concatenate([[0], np.cumsum([len(e) for e in encoded])]).astype(np.int64)
        data = b"".join(encoded)
        self.bytes = np.frombuffer(data, dtype=np.uint8)
        whole = pa.py_buffer(data)  # one Arrow buffer per document, sharing the bytes
        self.buffers = [whole.slice(int(a), int(b - a)) for a, b in pairwise(self.byte_base)]
        self.wide_chars = np.zeros(0, dtype=np.int64)  # character index of each multi-byte char
        self.extra_before = np.zeros(1, dtype=np.int64)  # extra bytes of the first k of them
        if not data.isascii():
            lead = np.concatenate([np.flatnonzero(self.bytes[lo : lo + BLOCK] >= 0xC0) + lo
                                   for lo in range(0, len(self.bytes), BLOCK)])
            extra = 1 + (self.bytes[lead] >= 0xE0).astype(np.int64) + (self.bytes[lead] >= 0xF0)
            self.extra_before = np.concatenate([[0], np.cumsum(extra)])
            self.wide_chars = lead - self.extra_before[:-1]

    def byte_offsets(self, doc: np.ndarray, offset: np.ndarray) -> np.ndarray:
        """Where character ``offset`` of document number ``doc`` starts in the buffer."""
        index = self.char_base[doc] + offset
        return index + self.extra_before[np.searchsorted(self.wide_chars, index)]

    def slices(self, doc: np.ndarray, start: np.ndarray, end: np.ndarray) -> pa.Array:
        """``text[start:end]`` of each row as an Arrow string *view*: 16 bytes per row pointing
        into the texts (length, first bytes, buffer = document, offset), no text copied."""
        begin, stop = self.byte_offsets(doc, start), self.byte_offsets(doc, end)
        length = (stop - begin).astype(np.int32)
        views = np.zeros((len(doc), 16), dtype=np.uint8)
        fields = views.view(np.int32)  # per row: length, prefix (or inline bytes), buffer, offset
        fields[:, 0] = length
        rows = np.flatnonzero(length > 12)
        views[rows, 4:8] = self.bytes[begin[rows, None] + np.arange(4)]
        fields[rows, 2], fields[rows, 3] = doc[rows], begin[rows] - self.byte_base[doc[rows]]
        rows = np.flatnonzero((length <= 12) & (length > 0))  # up to 12 bytes sit in the view
        at = np.arange(12)
        inline = self.bytes[np.minimum(begin[rows, None] + at, len(self.bytes) - 1)]
        views[rows, 4:16] = np.where(at < length[rows, None], inline, 0)
        return pa.Array.from_buffers(pa.string_view(), len(doc), [None, pa.py_buffer(views),
                                                                   *self.buffers])


def check_anchors(table: Table, raw: RawTable, corpus: Parsed) -> list[Problem]:
    """start < end <= len(text) and text[start:end] == quote in every table with these columns,
    for rows whose doc and offsets parse; in blocks of CHUNK rows, compared as UTF-8 bytes in C."""
    index, cols = corpus.index, raw.columns
    if not set(ANCHOR) <= cols.keys() or index is None:
        return []
    doc_index, quotes = pc.index_in(cols["doc_id"], value_set=pa.array(index.doc_ids, STRING)), cols["quote"]
    (good_start, starts), (good_end, ends) = integers(raw, "start"), integers(raw, "end")
    rows = _rows(pc.and_(pc.and_(pc.is_valid(doc_index), good_start), good_end))
    if len(rows) != len(raw):  # the usual case takes the whole columns, no copies
        chosen = pa.array(rows)
        doc_index, starts, ends, quotes = (pc.take(c, chosen) for c in (doc_index, starts, ends, quotes))
    problems = []
    for lo in range(0, len(rows), CHUNK):
        doc, start, end = (c.slice(lo, CHUNK).to_numpy(zero_copy_only=False).astype(np.int64)
                           for c in (doc_index, starts, ends))
        negative = start < 0  # reported by the field check as below the minimum 0
        reversed_ = ~negative & (start >= end)
        past_end = ~negative & ~reversed_ & (end > index.lengths[doc])
        inside = ~negative & ~reversed_ & ~past_end
        slices = index.slices(doc, np.where(inside, start, 0), np.where(inside, end, 0))
        same = pc.equal(slices, quotes.slice(lo, CHUNK).cast(pa.string_view()))
        for j in np.flatnonzero(reversed_ | past_end | inside & ~same.to_numpy(zero_copy_only=False)):
            s, e, d = int(start[j]), int(end[j]), int(doc[j])
            if reversed_[j]:
                column, message = "start", f"start ({s}) must be less than end ({e})"
            elif past_end[j]:
                column, message = "end", (f"end ({e}) is past the end of the text "
                                           f"({index.lengths[d]} characters)")
            else:
                column, message = "quote", _quote_message(quotes[lo + j].as_py(),
                                                          corpus.texts[index.doc_ids[d]], s, e)
            problems.append(Problem(corpus.shown[table.name], int(raw.lines[rows[lo + j]]), column,
                                    message, "anchor"))
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


def _may_cross(column: pa.ChunkedArray) -> np.ndarray:
    """The rows whose quote holds ``.``, ``!`` or ``?`` before its last character, or a line
    break: only these can hold a sentence boundary of ``_sentences``. A sieve over the bytes
    (numpy, 3x faster than a regex); the rule itself then runs on the few rows left."""
    rows, base = [np.zeros(0, dtype=np.int64)], 0
    for chunk in column.chunks:
        ends = np.frombuffer(chunk.buffers()[1], dtype=np.int64)[chunk.offset : chunk.offset + len(chunk) + 1]
        data = np.frombuffer(chunk.buffers()[2] or b"", dtype=np.uint8)[: ends[-1]]
        hits = np.flatnonzero((data == 46) | (data == 33) | (data == 63) | (data == 10))
        hits = hits[hits >= ends[0]]
        row = np.searchsorted(ends, hits, side="right") - 1
        rows.append(np.unique(row[(hits < ends[row + 1] - 1) | (data[hits] == 10)]) + base)
        base += len(chunk)
    return np.concatenate(rows)


def _in_quotation(text: str, at: int) -> bool:
    """Whether a quotation is open at ``at``: an odd number of straight quote marks, or more
    opening than closing curly ones, since the start of its line."""
    line = text[text.rfind("\n", 0, at) + 1 : at]
    return line.count('"') % 2 == 1 or line.count("\u201c") > line.count("\u201d")


def check_sentences(table: Table, raw: RawTable, corpus: Parsed) -> list[Problem]:
    """In a table declared ``"spansCrossSentences": false``, no span runs over a sentence
    boundary (``stances.text.sentences``) unless a quotation is open there (CODEBOOK.md)."""
    if table.spans_cross_sentences or not set(ANCHOR) <= raw.columns.keys() or not corpus.texts:
        return []
    from stances.text.sentences import sentences

    starts, problems = {}, []
    columns = [raw.columns[c] for c in ANCHOR]
    for i in _may_cross(raw.columns["quote"]):
        doc, start, end, quote = (c[int(i)].as_py() for c in columns)
        text = corpus.texts.get(doc)
        if text is None or not (start.isdigit() and end.isdigit()) or text[int(start):int(end)] != quote:
            continue  # reported by the anchor checks
        if doc not in starts:
            starts[doc] = sentences(text)["start"].to_numpy()
        s, e = int(start), int(end)
        inside = starts[doc][(starts[doc] > s) & (starts[doc] < e)]
        crossed = [int(b) for b in inside if not _in_quotation(text, int(b))]
        if crossed:
            problems.append(Problem(corpus.shown[table.name], int(raw.lines[i]), "end",
                                    f"text[{s}:{e}] runs into the next sentence at character {crossed[0]} "
                                    "(a span stays inside one sentence unless a quotation crosses the "
                                    "boundary too)", "sentence"))
    return problems


def check_notebooks(corpus: Parsed, notebooks: Path) -> list[Problem]:
    """Every value of a column named ``*_notebook`` (``study.csv``: ``thesis_notebook``,
    ``factcheck_notebook``) names a notebook ``<value>.ipynb`` in the folder ``notebooks``."""
    problems = []
    for name, raw in corpus.raws.items():
        for column in (c for c in raw.header if c.endswith("_notebook")):
            for line, value in zip(raw.lines.tolist(), raw.columns[column].to_pylist(), strict=True):
                if not value:
                    continue
                if "/" in value or "\\" in value or value.startswith("."):
                    message = f"{show(value)} is not a notebook's name (a file name, no folder)"
                elif not (notebooks / f"{value}.ipynb").is_file():
                    message = (f"names the notebook {show(value)}, but {notebooks} holds no "
                               f"{show(value + '.ipynb')}")
                else:
                    continue
                problems.append(Problem(corpus.shown[name], line, column, message, "notebook"))
    return problems


TABLE_CHECKS = (check_columns, check_fields, check_unique, check_foreign_keys, check_anchors,
                check_sentences)
