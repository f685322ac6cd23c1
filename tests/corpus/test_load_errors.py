"""Bad input: every corruption of a copy of the real corpus is reported as ``path:line: column: msg``.

Each case below copies ``data/``, breaks one thing (or one thing per file) and returns the
problems a careful reader expects, with line numbers found by reading the copied CSV, never
typed in. Every case is checked twice: ``stances.load(copy)`` must raise ``CorpusError``
with exactly those problems, and ``validate copy`` must exit 1 and print exactly those
lines. The command line runs in-process (``stances.cli.main``) for every case and as a
real ``python -m stances`` subprocess for the few cases in ``SUBPROCESS`` that need a real
interpreter's exit code and streams, started together by a module fixture.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import unicodedata
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pandas as pd
import pytest

import stances
from conftest import (
    DATA,
    DOC_ID,
    copy_data,
    csv_line,
    dict_records,
    find_record,
    insert_line,
    nth_record,
    records,
    replace_bytes,
    replace_line,
    rewrite_table,
    run_cli,
    set_cell,
)
from stances.cli import main as cli_main
from stances.text.sentences import sentences

Expected = str | re.Pattern
Case = Callable[[Path], list[Expected]]
CASES: dict[str, Case] = {}
XFAIL: dict[str, str] = {}


def case(name: str, xfail: str | None = None) -> Callable[[Case], Case]:
    def register(corrupt: Case) -> Case:
        CASES[name] = corrupt
        if xfail:
            XFAIL[name] = xfail
        return corrupt
    return register


def package(data: Path) -> dict[str, dict]:
    """The resources of the copy's datapackage.json by name."""
    return {r["name"]: r for r in json.loads((data / "datapackage.json").read_text())["resources"]}


def field_spec(data: Path, resource: str, name: str) -> dict:
    return next(f for f in package(data)[resource]["schema"]["fields"] if f["name"] == name)


def source_text(data: Path) -> str:
    _, document = nth_record(data / "documents.csv", 0)
    return (data / document["path"]).read_bytes().decode("utf-8")


def plain_record(path: Path, start: int = 0) -> tuple[int, dict[str, str]]:
    """The first record from ``start`` on whose quote is written without CSV quoting."""
    header, rows = records(path)
    lines = path.read_text(encoding="utf-8").splitlines()
    for line, record in rows[start:]:
        fields = dict(zip(header, record, strict=True))
        if f",{fields['quote']}," in lines[line - 1]:
            return line, fields
    raise AssertionError(f"no record with an unquoted quote in {path}")


# --- files and columns ----------------------------------------------------------------------------

@case("missing_file")
def _(data: Path) -> list[Expected]:
    name = next(n for n, r in package(data).items() if r["path"] == "relations.csv")
    (data / "relations.csv").unlink()
    return [f"{data / 'relations.csv'}:0: -: file is missing "
            f"(datapackage.json declares resource {name!r})"]


@case("missing_column")
def _(data: Path) -> list[Expected]:
    path = data / "statements.csv"
    header, rows = records(path)
    drop = header.index("coder")
    rewrite_table(path, header[:drop] + header[drop + 1:],
                  [record[:drop] + record[drop + 1:] for _, record in rows])
    return [f"{path}:1: coder: missing column (datapackage.json declares it)"]


@case("unknown_column")
def _(data: Path) -> list[Expected]:
    path = data / "relations.csv"
    header, rows = records(path)
    rewrite_table(path, [*header, "comment"], [[*record, ""] for _, record in rows])
    return [f"{path}:1: comment: unknown column (not declared in datapackage.json)"]


@case("empty_file")
def _(data: Path) -> list[Expected]:
    path = data / "relations.csv"
    path.write_bytes(b"")  # no header at all: a truncated file, not a table of zero rows
    return [f"{path}:1: -: file is empty (expected a header row)"]


# --- rows and bytes -------------------------------------------------------------------------------

@case("ragged_rows")
def _(data: Path) -> list[Expected]:
    path = data / "statements.csv"
    header, _ = records(path)
    long_line, long_row = nth_record(path, 1)
    short_line, short_row = nth_record(path, 4)
    replace_line(path, long_line, csv_line([*long_row.values(), "one too many"]))
    replace_line(path, short_line, csv_line(list(short_row.values())[:-1]))
    n = len(header)
    return [f"{path}:{long_line}: -: row has {n + 1} fields, the header has {n}",
            f"{path}:{short_line}: -: row has {n - 1} fields, the header has {n}"]


@case("blank_line")
def _(data: Path) -> list[Expected]:
    path = data / "statements.csv"
    line, _ = nth_record(path, 10)
    insert_line(path, line, "\n")  # the blank line takes the record's place, the record moves down
    return [f"{path}:{line}: -: blank row (delete it)"]


def _insert_bad_byte(data: Path) -> tuple[Path, int, int]:
    """Put b'\\xff' inside a statement's quote; return the file, line and 1-based character."""
    path = data / "statements.csv"
    line, fields = plain_record(path, start=2)
    lines = path.read_bytes().split(b"\n")
    text = lines[line - 1].decode("utf-8")
    at = text.index(f",{fields['quote']},") + 1 + 6  # after the quote's 6th character
    lines[line - 1] = text[:at].encode("utf-8") + b"\xff" + text[at:].encode("utf-8")
    path.write_bytes(b"\n".join(lines))
    return path, line, at + 1


@case("non_utf8_byte")
def _(data: Path) -> list[Expected]:
    path, line, character = _insert_bad_byte(data)
    return [re.compile(re.escape(f"{path}:{line}: ") + r"[^:]+" + re.escape(
        f": byte 0xff at character {character} is not UTF-8 (save the file as UTF-8)"))]


@case("non_utf8_byte_names_column")
def _(data: Path) -> list[Expected]:
    path, line, character = _insert_bad_byte(data)
    return [f"{path}:{line}: quote: byte 0xff at character {character} is not UTF-8 "
            "(save the file as UTF-8)"]


@case("non_utf8_byte_after_non_ascii")
def _(data: Path) -> list[Expected]:
    path = data / "statements.csv"
    _, fields = nth_record(path, 3)
    line = set_cell(path, "statement_id", fields["statement_id"], "note",
                    "coded \u2014 see BADBYTE the codebook")
    text = path.read_text(encoding="utf-8").splitlines()[line - 1]
    character = text.index("BADBYTE") + 1
    replace_bytes(path, b"BADBYTE", b"\xff")
    return [re.compile(re.escape(f"{path}:{line}: ") + r"[^:]+" + re.escape(
        f": byte 0xff at character {character} is not UTF-8 (save the file as UTF-8)"))]


# --- values ---------------------------------------------------------------------------------------

@case("unknown_enum_value")
def _(data: Path) -> list[Expected]:
    path = data / "statements.csv"
    _, fields = nth_record(path, 3)
    line = set_cell(path, "statement_id", fields["statement_id"], "stance", "maybe")
    allowed = ", ".join(field_spec(data, "statements", "stance")["constraints"]["enum"])
    return [f"{path}:{line}: stance: 'maybe' is not one of: {allowed}"]


@case("duplicate_primary_key")
def _(data: Path) -> list[Expected]:
    path = data / "statements.csv"
    first_line, first = nth_record(path, 4)
    _, second = nth_record(path, 5)
    line = set_cell(path, "statement_id", second["statement_id"], "statement_id",
                    first["statement_id"])
    return [f"{path}:{line}: statement_id: duplicate key {first['statement_id']!r} "
            f"(first on line {first_line})"]


@case("duplicate_composite_primary_key")
def _(data: Path) -> list[Expected]:
    # A key of two columns (unit_id, excerpt): the repeated pair is named, joined by ", ".
    path = data / "reliability" / "factcheck" / "evidence.csv"
    first_line, first = nth_record(path, 0)
    header, rows = records(path)
    line = rows[-1][0] + 1
    insert_line(path, line, csv_line([first[name] for name in header]))
    pair = f"{first['unit_id']}, {first['excerpt']}"
    return [re.compile(re.escape(f"{path}:{line}: unit_id: duplicate key {pair[:20]}".replace(
        "key ", "key '")) + r".*' \(first on line " + str(first_line) + r"\)")]


@case("dangling_foreign_keys")
def _(data: Path) -> list[Expected]:
    """A speaker, a claim and a document that do not exist, one per statement."""
    path = data / "statements.csv"
    expected = []
    for index, (column, value, target) in enumerate((
            ("speaker", "nobody", "actor_id in actors.csv"),
            ("claim_id", "no_such_claim", "claim_id in claims.csv"),
            ("doc_id", "no_such_doc", "doc_id in documents.csv"))):
        _, fields = nth_record(path, 8 + index)
        line = set_cell(path, "statement_id", fields["statement_id"], column, value)
        expected.append(f"{path}:{line}: {column}: {value!r} is not a {target}")
    return expected


def _set_start(data: Path, index: int, value: Callable[[str], str]) -> tuple[Path, int, str]:
    """Set the ``index``-th statement's start to ``value(old start)``; return file, line, value."""
    path = data / "statements.csv"
    _, fields = nth_record(path, index)
    new = value(fields["start"])
    return path, set_cell(path, "statement_id", fields["statement_id"], "start", new), new


@case("non_integer_offset")
def _(data: Path) -> list[Expected]:
    path, line, _ = _set_start(data, 6, lambda start: "12a")
    return [f"{path}:{line}: start: '12a' is not an integer"]


@case("start_not_before_end")
def _(data: Path) -> list[Expected]:
    statements, relations = data / "statements.csv", data / "relations.csv"
    _, statement = nth_record(statements, 7)
    _, relation = nth_record(relations, 2)
    end = int(statement["end"])  # start == end: an empty span
    line = set_cell(statements, "statement_id", statement["statement_id"], "start", str(end))
    r_start = int(relation["end"]) + 3  # start > end
    r_line = set_cell(relations, "relation_id", relation["relation_id"], "start", str(r_start))
    return [f"{statements}:{line}: start: start ({end}) must be less than end ({end})",
            f"{relations}:{r_line}: start: start ({r_start}) must be less than end "
            f"({relation['end']})"]


@case("end_past_text")
def _(data: Path) -> list[Expected]:
    path = data / "statements.csv"
    _, fields = nth_record(path, -1)
    length = len(source_text(data))
    line = set_cell(path, "statement_id", fields["statement_id"], "end", str(length + 1))
    return [f"{path}:{line}: end: end ({length + 1}) is past the end of the text "
            f"({length} characters)"]


def occurs(text: str, quote: str, start: int) -> str:
    """The end of a quote message: where the quote is, found here by trying every offset."""
    hits = [at for at in range(len(text)) if text.startswith(quote, at)]
    if not hits or not quote:
        return "the quote does not occur in the text"
    at = min(hits, key=lambda a: (abs(a - start), a))
    return f"the quote occurs at text[{at}:{at + len(quote)}]" + (
        " (the nearest occurrence)" if len(hits) > 1 else "")


@case("quote_differs_from_slice")
def _(data: Path) -> list[Expected]:
    text = source_text(data)
    statements, relations = data / "statements.csv", data / "relations.csv"
    short = next(r for r in dict_records(statements) if len(r["quote"]) <= 40)
    middle = len(short["quote"]) // 2
    changed = "x" if short["quote"][middle] != "x" else "y"  # same length, one character off
    line = set_cell(statements, "statement_id", short["statement_id"], "quote",
                    short["quote"][:middle] + changed + short["quote"][middle + 1:])
    relation = next(r for r in dict_records(relations) if len(r["quote"]) <= 59)
    r_line = set_cell(relations, "relation_id", relation["relation_id"], "quote",
                      relation["quote"] + ".")  # one character too long
    expected = []
    for path, row_line, row in ((statements, line, short), (relations, r_line, relation)):
        start, end = int(row["start"]), int(row["end"])
        assert text[start:end] == row["quote"]  # the real data was right before we broke it
        quote = find_record(path, path.stem[:-1] + "_id", row[path.stem[:-1] + "_id"])[1]["quote"]
        expected.append(f"{path}:{row_line}: quote: quote differs from text[{start}:{end}], "
                        f"which is {text[start:end]!r}; {occurs(text, quote, start)}")
    assert expected[0].endswith("does not occur in the text")  # one character off: nowhere
    return expected


# Letters swapped for non-ASCII look-alikes of 2, 3 and 4 UTF-8 bytes: one character for one,
# so every offset stays right while character and byte positions part ways.
LOOK_ALIKES = {"Erdogan": "Erdo\u011fan", "NATO": "NA\u1e6cO", "Putin": "Pu\U0001d42din"}
TRANSLITERATED = ("statements.csv", "relations.csv", "reliability/statements.csv", "actors.csv",
                  "claims.csv", "checkworthiness.csv", "factchecks.csv")


def transliterate(data: Path) -> str:
    """Rewrite the copy's source text and every CSV with LOOK_ALIKES; return the new text."""
    _, document = nth_record(data / "documents.csv", 0)
    source = data / document["path"]
    text = source_text(data)
    for plain, fancy in LOOK_ALIKES.items():
        assert len(plain) == len(fancy) and plain in text
        text = text.replace(plain, fancy)
    replace_bytes(source, source.read_bytes(), text.encode("utf-8"))
    for name in TRANSLITERATED:
        path = data / name
        table = path.read_text(encoding="utf-8")
        for plain, fancy in LOOK_ALIKES.items():
            table = table.replace(plain, fancy)
        replace_bytes(path, path.read_bytes(), table.encode("utf-8"))
    set_cell(data / "documents.csv", "doc_id", document["doc_id"], "sha256",
             hashlib.sha256(text.encode("utf-8")).hexdigest())
    return text


def _quote_changed_anywhere(non_ascii: bool) -> Case:
    """Re-anchor rows to spans of 1 to 40 characters, then change one character of some quotes.

    The spans are short enough to be shown whole in the message, and cover quotes stored
    inline (up to 12 bytes) and by reference in Arrow's string views. With ``non_ascii`` each
    span starts at a look-alike letter, so the changed character is often a multi-byte one.
    """
    def corrupt(data: Path) -> list[Expected]:
        text = transliterate(data) if non_ascii else source_text(data)
        # The spans run anywhere, over sentence ends too: only the quote check is tested here.
        edit_package(data, lambda d: _resource(d, "statements").pop("spansCrossSentences"))
        fancy = [c for word in LOOK_ALIKES.values() for c in word if not c.isascii()]
        path = data / "statements.csv"
        rows = iter(dict_records(path))
        expected = []
        for length in (1, 4, 12, 13, 40):
            for changed in dict.fromkeys((None, 0, length // 2, length - 1)):
                row = next(rows)
                start = int(row["start"])
                if non_ascii:  # put the span's changed (or first) character on a look-alike
                    target = fancy[len(expected) % len(fancy)]
                    letter = text.find(target, start)
                    start = (letter if letter >= 0 else text.index(target)) - (changed or 0)
                end = start + length
                quote = text[start:end]
                if changed is not None:
                    was = quote[changed]
                    now = ("g" if not was.isascii() else "\u011f") if non_ascii else (
                        "y" if was == "x" else "x")
                    quote = quote[:changed] + now + quote[changed + 1:]
                for column, value in (("start", str(start)), ("end", str(end)), ("quote", quote)):
                    line = set_cell(path, "statement_id", row["statement_id"], column, value)
                if changed is not None:
                    expected.append(f"{path}:{line}: quote: quote differs from "
                                    f"text[{start}:{end}], which is {text[start:end]!r}; "
                                    f"{occurs(text, quote, start)}")
        return expected
    return corrupt


case("quote_changed_anywhere")(_quote_changed_anywhere(non_ascii=False))
case("quote_changed_anywhere_non_ascii")(_quote_changed_anywhere(non_ascii=True))


def _after_multiline_note(ragged: bool) -> Case:
    """A note of three lines, then problems further down: their lines count the note's lines.

    With ``ragged`` a later row has a field too many: the lines of the rows pyarrow skips count
    the note's lines too.
    """
    def corrupt(data: Path) -> list[Expected]:
        path = data / "statements.csv"
        _, noted = nth_record(path, 2)
        set_cell(path, "statement_id", noted["statement_id"], "note",
                 "first line of the note\nsecond line, with a comma\nthird line")
        _, fields = nth_record(path, 6)
        line = set_cell(path, "statement_id", fields["statement_id"], "stance", "maybe")
        allowed = ", ".join(field_spec(data, "statements", "stance")["constraints"]["enum"])
        expected = [f"{path}:{line}: stance: 'maybe' is not one of: {allowed}"]
        if ragged:
            long_line, long_row = nth_record(path, 9)
            replace_line(path, long_line, csv_line([*long_row.values(), "one too many"]))
            n = len(long_row)
            expected.append(f"{path}:{long_line}: -: row has {n + 1} fields, the header has {n}")
        return expected
    return corrupt


case("line_numbers_after_multiline_note")(_after_multiline_note(ragged=False))
case("line_numbers_after_multiline_note_careful_path")(_after_multiline_note(ragged=True))


def to_crlf(data: Path) -> None:
    """RFC 4180's own line end, CR LF, in every table of the copy."""
    for resource in package(data).values():
        path = data / resource["path"]
        replace_bytes(path, path.read_bytes(), path.read_bytes().replace(b"\n", b"\r\n"))


@case("crlf_line_ends")
def _(data: Path) -> list[Expected]:
    to_crlf(data)
    path = data / "statements.csv"
    _, fields = nth_record(path, 6)
    line, _ = find_record(path, "statement_id", fields["statement_id"])
    raw = path.read_bytes().split(b"\r\n")
    assert raw[line - 1].count(b",support,") == 1
    raw[line - 1] = raw[line - 1].replace(b",support,", b",maybe,")
    path.write_bytes(b"\r\n".join(raw))
    allowed = ", ".join(field_spec(data, "statements", "stance")["constraints"]["enum"])
    return [f"{path}:{line}: stance: 'maybe' is not one of: {allowed}"]


# --- sources --------------------------------------------------------------------------------------

@case("source_sha256_mismatch")
def _(data: Path) -> list[Expected]:
    path = data / "documents.csv"
    line, document = nth_record(path, 0)
    source = data / document["path"]
    replace_bytes(source, source.read_bytes(), source.read_bytes() + b" ")
    actual = hashlib.sha256(source.read_bytes()).hexdigest()
    assert actual != document["sha256"]
    return [f"{path}:{line}: sha256: source file {document['path']!r} has sha256 {actual}, "
            f"not {document['sha256']}"]


def _source_path(value: str, why: str) -> Case:
    def corrupt(data: Path) -> list[Expected]:
        path = data / "documents.csv"
        _, document = nth_record(path, 0)
        line = set_cell(path, "doc_id", document["doc_id"], "path", value)
        pattern = field_spec(data, "documents", "path")["constraints"]["pattern"]
        return [f"{path}:{line}: path: {value!r} does not match the pattern {pattern}",
                f"{path}:{line}: path: {value!r} {why}"]
    return corrupt


case("source_path_escapes")(_source_path("../CODEBOOK.md", "escapes data/sources/"))
case("source_path_absolute")(
    _source_path("/etc/hostname", "is absolute; give a path inside data/sources/"))


# --- found by these tests (once crashes or false messages, now fixed) ---------------------------

def _start(value: Callable[[str], str]) -> Case:
    def corrupt(data: Path) -> list[Expected]:
        path, line, new = _set_start(data, 9, value)
        return [re.compile(re.escape(f"{path}:{line}: start: ") + f".*{re.escape(new)}.*")]
    return corrupt


case("integer_too_large")(_start(lambda start: "99999999999999999999"))


@case("negative_start")
def _(data: Path) -> list[Expected]:
    path, line, _ = _set_start(data, 11, lambda start: "-5")
    return [f"{path}:{line}: start: -5 is below the minimum 0"]


# --- hostile input (issue #13): the package itself ---------------------------------------------

def edit_package(data: Path, change: Callable[[dict], object]) -> Path:
    """Apply ``change`` to the copy's parsed datapackage.json and write it back."""
    path = data / "datapackage.json"
    descriptor = json.loads(path.read_text(encoding="utf-8"))
    change(descriptor)
    path.write_text(json.dumps(descriptor, indent=2), encoding="utf-8")
    return path


def where(data: Path, resource: str, field: str | None = None) -> str:
    """The JSON path of a resource (and one of its fields) in the copy's datapackage.json."""
    names = list(package(data))
    at = f"resources[{names.index(resource)}]"
    if field is None:
        return at
    fields = [f["name"] for f in package(data)[resource]["schema"]["fields"]]
    return f"{at}.schema.fields[{fields.index(field)}]"


def _resource(descriptor: dict, name: str) -> dict:
    return next(r for r in descriptor["resources"] if r["name"] == name)


def _constraints(descriptor: dict, resource: str, field: str) -> dict:
    return next(f for f in _resource(descriptor, resource)["schema"]["fields"]
                if f["name"] == field)["constraints"]


@case("package_pattern_is_not_a_regex")
def _(data: Path) -> list[Expected]:
    at = where(data, "documents", "doc_id")
    path = edit_package(data, lambda d: _constraints(d, "documents", "doc_id").update(pattern="([a-z"))
    return [f"{path}:0: {at}.constraints.pattern: '([a-z' is not a regular expression "
            "(RE2 syntax: no backreferences or lookaround)"]


@case("package_minimum_is_a_string")
def _(data: Path) -> list[Expected]:
    at = where(data, "statements", "start")
    path = edit_package(data, lambda d: _constraints(d, "statements", "start").update(minimum="0"))
    return [f"{path}:0: {at}.constraints.minimum: must be an integer, not a string"]


@case("package_path_is_a_list")
def _(data: Path) -> list[Expected]:
    at = where(data, "claims")
    path = edit_package(data, lambda d: _resource(d, "claims").update(path=["claims.csv"]))
    return [f"{path}:0: {at}.path: must be a string, not an array (one file per resource)"]


@case("package_nested_too_deeply")
def _(data: Path) -> list[Expected]:
    path = data / "datapackage.json"
    path.write_text('{"resources": ' + "[" * 100_000 + "]" * 100_000 + "}", encoding="utf-8")
    return [f"{path}:0: -: invalid JSON: nested too deeply"]


@case("package_over_16_mib")
def _(data: Path) -> list[Expected]:
    path = data / "datapackage.json"
    with path.open("ab") as handle:  # still valid JSON: whitespace after the object
        handle.write(b" " * (16 << 20))
    return [f"{path}:0: -: is larger than 16 MiB; a descriptor is small"]


@case("package_not_json")
def _(data: Path) -> list[Expected]:
    path = data / "datapackage.json"
    path.write_text('{"resources": [}\n', encoding="utf-8")
    return [f"{path}:1: -: invalid JSON: Expecting value (column 16)"]


@case("package_is_a_list")
def _(data: Path) -> list[Expected]:
    path = data / "datapackage.json"
    path.write_text("[]", encoding="utf-8")
    return [f"{path}:0: -: must be an object, not an array"]


@case("package_is_a_directory")
def _(data: Path) -> list[Expected]:
    path = data / "datapackage.json"
    path.unlink()
    path.mkdir()
    return [f"{path}:0: -: file is a directory, not a file"]


@case("package_is_a_fifo")
def _(data: Path) -> list[Expected]:
    path = data / "datapackage.json"
    path.unlink()
    os.mkfifo(path)  # opening it for reading would wait for a writer forever
    return [f"{path}:0: -: file is not a regular file"]


@case("package_required_resource_missing")
def _(data: Path) -> list[Expected]:
    """claims goes: the library needs it, and three tables' foreign keys name it (statements,
    reliability, thesis)."""
    path = edit_package(data, lambda d: d.update(
        resources=[r for r in d["resources"] if r["name"] != "claims"]))
    expected = [f"{path}:0: resources: resource 'claims' is missing (the library needs it)"]
    for i, resource in enumerate(json.loads(path.read_text())["resources"]):
        for j, key in enumerate(resource["schema"].get("foreignKeys", [])):
            if key["reference"]["resource"] == "claims":
                expected.append(f"{path}:0: resources[{i}].schema.foreignKeys[{j}]: refers to "
                                "resource 'claims', which is not declared")
    assert len(expected) == 4
    return expected


@case("package_without_resources")
def _(data: Path) -> list[Expected]:
    path = edit_package(data, lambda d: d.update(resources=[]))
    return [f"{path}:0: resources: must not be empty"]  # the Data Package profile's rule


def _foreign_key_reference(change: dict, why: str) -> Case:
    """Update the reference of relations' foreign key on ``source`` with ``change``."""
    def corrupt(data: Path) -> list[Expected]:
        keys = package(data)["relations"]["schema"]["foreignKeys"]
        index = next(i for i, k in enumerate(keys) if k["fields"] == "source")
        path = edit_package(data, lambda d: _resource(d, "relations")["schema"]["foreignKeys"][index][
            "reference"].update(change))
        return [f"{path}:0: {where(data, 'relations')}.schema.foreignKeys[{index}]: {why}"]
    return corrupt


case("package_foreign_key_to_unknown_resource")(_foreign_key_reference(
    {"resource": "actor"}, "refers to resource 'actor', which is not declared"))
case("package_foreign_key_to_unknown_field")(_foreign_key_reference(
    {"fields": "id"}, "refers to 'id', which is not a field of 'actors'"))


@case("package_primary_key_names_no_field")
def _(data: Path) -> list[Expected]:
    at = where(data, "claims")
    path = edit_package(data, lambda d: _resource(d, "claims")["schema"].update(primaryKey="id"))
    return [f"{path}:0: {at}.schema.primaryKey: names 'id', which is not a field of 'claims'"]


@case("package_unsupported_type")
def _(data: Path) -> list[Expected]:
    at = where(data, "statements", "start")
    path = edit_package(data, lambda d: next(
        f for f in _resource(d, "statements")["schema"]["fields"]
        if f["name"] == "start").update(type="number"))
    return [f"{path}:0: {at}.type: 'number' is not supported; use one of: string, integer, date"]


# --- hostile input: paths ---------------------------------------------------------------------------

def _resource_path(value: str, why: str) -> Case:
    def corrupt(data: Path) -> list[Expected]:
        at = where(data, "claims")
        path = edit_package(data, lambda d: _resource(d, "claims").update(path=value))
        return [f"{path}:0: {at}.path: {value!r} {why}"]
    return corrupt


case("table_path_absolute")(_resource_path("/etc/hostname", "is absolute; give a path inside data/"))
case("table_path_escapes")(_resource_path("../data/claims.csv", "escapes data/"))


@case("table_is_a_symlink_out_of_data")
def _(data: Path) -> list[Expected]:
    (data / "claims.csv").unlink()
    (data / "claims.csv").symlink_to(DATA / "claims.csv")  # the same bytes, but outside the copy
    return [f"{data / 'datapackage.json'}:0: {where(data, 'claims')}.path: 'claims.csv' escapes data/"]


@case("table_is_a_symlink_loop")
def _(data: Path) -> list[Expected]:
    (data / "claims.csv").unlink()
    (data / "claims.csv").symlink_to("claims2.csv")
    (data / "claims2.csv").symlink_to("claims.csv")
    return [f"{data / 'datapackage.json'}:0: {where(data, 'claims')}.path: 'claims.csv' cannot be "
            "resolved (Too many levels of symbolic links)"]


@case("table_is_a_directory")
def _(data: Path) -> list[Expected]:
    (data / "claims.csv").unlink()
    (data / "claims.csv").mkdir()
    return [f"{data / 'claims.csv'}:0: -: file is a directory, not a file "
            "(datapackage.json declares resource 'claims')"]


@case("table_is_a_fifo")
def _(data: Path) -> list[Expected]:
    (data / "claims.csv").unlink()
    os.mkfifo(data / "claims.csv")  # opening it for reading would wait for a writer forever
    return [f"{data / 'claims.csv'}:0: -: file is not a regular file "
            "(datapackage.json declares resource 'claims')"]


@case("source_is_a_directory")
def _(data: Path) -> list[Expected]:
    path = data / "documents.csv"
    line, document = nth_record(path, 0)
    source = data / document["path"]
    source.unlink()
    source.mkdir()
    return [f"{path}:{line}: path: source file {document['path']!r} is a directory, not a file"]


# --- hostile input: values that only look valid -------------------------------------------------------

@case("integers_not_canonical")
def _(data: Path) -> list[Expected]:
    expected = []
    for index, value in ((13, lambda s: "0" + s), (14, lambda s: "-0"), (15, lambda s: "+" + s)):
        path, line, new = _set_start(data, index, value)
        expected.append(f"{path}:{line}: start: {new!r} is not written canonically "
                        "(no '+', no leading zeros, no '-0')")
    return expected


@case("date_not_on_the_calendar")
def _(data: Path) -> list[Expected]:
    path = data / "documents.csv"
    _, document = nth_record(path, 0)
    line = set_cell(path, "doc_id", document["doc_id"], "published", "2021-02-30")
    return [f"{path}:{line}: published: '2021-02-30' is not a date on the calendar (YYYY-MM-DD)"]


def _invisibly_changed_quote(change: Callable[[str], str], differ_at: Callable[[str], int]) -> Case:
    def corrupt(data: Path) -> list[Expected]:
        text = transliterate(data)
        path = data / "statements.csv"
        row = next(r for r in dict_records(path) if "Erdo\u011fan" in r["quote"])
        start, end = int(row["start"]), int(row["end"])
        quote = change(row["quote"])
        line = set_cell(path, "statement_id", row["statement_id"], "quote", quote)
        at = differ_at(row["quote"])
        seen = slice(max(0, at - 10), at + 10)
        return [f"{path}:{line}: quote: quote differs from text[{start}:{end}], which is "
                f"{stances.corpus.checks.show(text[start:end])}; {occurs(text, quote, start)}; "
                "they look alike but differ at character "
                f"{at} in characters you cannot see: the quote has {ascii(quote[seen])}, "
                f"the text {ascii(text[start:end][seen])}"]
    return corrupt


case("quote_in_another_unicode_form")(_invisibly_changed_quote(
    lambda q: unicodedata.normalize("NFD", q), lambda q: q.index("\u011f")))
case("quote_with_a_zero_width_space")(_invisibly_changed_quote(
    lambda q: q.replace("Erdo\u011fan", "Erdo\u200b\u011fan", 1), lambda q: q.index("\u011f")))


# --- hostile input: rows and big values --------------------------------------------------------------

@case("huge_value_and_one_ragged_row")
def _(data: Path) -> list[Expected]:
    """A 2 MiB note (over Python csv's field limit and pyarrow's block) hides nothing."""
    path = data / "statements.csv"
    header, _ = records(path)
    _, big = nth_record(path, 2)
    line, row = nth_record(path, 30)
    replace_line(path, line, csv_line(list(row.values())[:-2]))
    set_cell(path, "statement_id", big["statement_id"], "note", "x" * (2 << 20))
    return [f"{path}:{line}: -: row has {len(header) - 2} fields, the header has {len(header)}"]


@case("ragged_last_row")
def _(data: Path) -> list[Expected]:
    path = data / "statements.csv"
    header, rows = records(path)
    line, row = nth_record(path, len(rows) - 1)
    replace_line(path, line, csv_line([*row.values(), "extra"]))
    return [f"{path}:{line}: -: row has {len(header) + 1} fields, the header has {len(header)}"]


@case("ragged_row_in_a_referenced_table")
def _(data: Path) -> list[Expected]:
    """The statements naming the unreadable actor are not reported as dangling: the actor is
    there, only its row could not be read."""
    path = data / "actors.csv"
    header, _ = records(path)
    line, row = find_record(path, "actor_id", "erdogan")
    replace_line(path, line, csv_line([*row.values(), "extra"]))
    return [f"{path}:{line}: -: row has {len(header) + 1} fields, the header has {len(header)}"]


@case("quote_never_closed")
def _(data: Path) -> list[Expected]:
    path = data / "claims.csv"
    line, row = nth_record(path, -1)  # in the last row, no later quote can close it
    replace_line(path, line, csv_line(list(row.values())).replace(",", ',"', 1))
    return [f"{path}:{line}: -: a quote is never closed (the rest of the file is inside it)"]


@case("non_utf8_byte_in_the_header")
def _(data: Path) -> list[Expected]:
    path = data / "claims.csv"
    header = path.read_bytes().split(b"\n")[0]
    replace_bytes(path, header + b"\n", header[:-2] + b"\xff" + header[-2:] + b"\n")
    return [f"{path}:1: -: byte 0xff at character {len(header) - 1} is not UTF-8 "
            "(save the file as UTF-8)"]


@case("non_utf8_byte_in_a_ragged_row")
def _(data: Path) -> list[Expected]:
    """pyarrow decodes a bad row's text before handing it to the handler: no crash, no noise."""
    path = data / "statements.csv"
    line, row = nth_record(path, 7)
    new = csv_line([*row.values(), "caf\u00e9"]).encode("utf-8").replace(b"\xc3\xa9", b"\xe9")
    replace_bytes(path, csv_line(list(row.values())).encode("utf-8"), new)
    character = len(new.decode("latin-1")) - 1
    return [f"{path}:{line}: -: byte 0xe9 at character {character} is not UTF-8 "
            "(save the file as UTF-8)"]


# --- hostile input: what reaches the terminal --------------------------------------------------------

@case("header_with_escape_sequences")
def _(data: Path) -> list[Expected]:
    path = data / "claims.csv"
    replace_bytes(path, b",note\n", b",n\x1b[2Jote\x00\n")
    return [f"{path}:1: n\\x1b[2Jote\\x00: unknown column (not declared in datapackage.json)",
            f"{path}:1: note: missing column (datapackage.json declares it)"]


# --- hostile input (issue #18): JSON the standard refuses, constraints the loader must enforce ---------

def _raw_in_package(raw: bytes, key: str = "minimum") -> Callable[[Path], tuple[Path, str]]:
    """Write ``raw`` bytes as the value of statements.start's constraint ``key``: JSON that
    ``json.dumps`` cannot produce (a repeated key, NaN, a 400-digit number)."""
    def edit(data: Path) -> tuple[Path, str]:
        path = edit_package(data, lambda d: _constraints(d, "statements", "start").update({key: "@@"}))
        replace_bytes(path, b'"@@"', raw)
        return path, f"{where(data, 'statements', 'start')}.constraints"
    return edit


def _package_case(name: str, edit: Callable[[Path], tuple[Path, str]], problem: str) -> None:
    @case(name)
    def _(data: Path) -> list[Expected]:
        path, at = edit(data)
        return [f"{path}:0: {at}{problem}"]


_package_case("package_repeated_key", _raw_in_package(b'1, "minimum": 2', key="maximum"),
              ": key 'minimum' appears more than once (JSON keys are unique)")
_package_case("package_nan", _raw_in_package(b"NaN"), ".minimum: NaN is not JSON (write a number or null)")
_package_case("package_infinity", _raw_in_package(b"-Infinity"),
              ".minimum: -Infinity is not JSON (write a number or null)")
_package_case("package_number_of_400_digits", _raw_in_package(b"1" + b"0" * 400),
              ".minimum: the number '1000000000000000000…' is too large")
_package_case("package_float_too_large", _raw_in_package(b"1e400"),
              ".minimum: the number '1e400' is too large")
_package_case("package_bound_beyond_int64", _raw_in_package(str(10**30).encode(), key="maximum"),
              ".maximum: '10000000000000000000000…' is too large (at most 18 digits)")
_package_case("package_unsupported_constraint", _raw_in_package(b"3", key="exclusiveMinimum"),
              ".exclusiveMinimum: is not supported; the loader enforces only: required, unique, enum, "
              "pattern, minLength, maxLength, minimum, maximum")
_package_case("package_constraint_on_the_wrong_type", _raw_in_package(b"3", key="maxLength"),
              ".maxLength: is only supported on string fields")


@case("package_license_is_not_an_object")
def _(data: Path) -> list[Expected]:
    path = edit_package(data, lambda d: d.update(licenses=[42]))
    return [f"{path}:0: licenses[0]: must be an object, not an integer"]  # the Data Package profile


@case("package_resource_without_profile")
def _(data: Path) -> list[Expected]:
    path = edit_package(data, lambda d: _resource(d, "claims").pop("profile"))
    return [f"{path}:0: {where(data, 'claims')}.profile: is missing"]  # Tabular Data Resource


@case("package_field_declared_twice")
def _(data: Path) -> list[Expected]:
    path = edit_package(data, lambda d: _resource(d, "claims")["schema"]["fields"].append(
        dict(_resource(d, "claims")["schema"]["fields"][0])))
    return [f"{path}:0: {where(data, 'claims')}.schema.fields: field 'claim_id' is declared more than once"]


@case("package_resource_declared_twice")
def _(data: Path) -> list[Expected]:
    path = edit_package(data, lambda d: d["resources"].append(dict(_resource(d, "claims"))))
    return [f"{path}:0: resources: resource 'claims' is declared more than once"]


@case("package_encoding_other_than_utf8")
def _(data: Path) -> list[Expected]:
    path = edit_package(data, lambda d: _resource(d, "claims").update(encoding="latin-1"))
    return [f"{path}:0: {where(data, 'claims')}.encoding: 'latin-1' is not supported; "
            "save the table as UTF-8"]


@case("package_missing_values_other_than_empty")
def _(data: Path) -> list[Expected]:
    path = edit_package(data, lambda d: _resource(d, "claims")["schema"].update(missingValues=["NA"]))
    return [f"{path}:0: {where(data, 'claims')}.schema.missingValues: only [\"\"] is supported "
            "(an empty cell is missing)"]


@case("package_spans_cross_sentences_not_a_boolean")
def _(data: Path) -> list[Expected]:
    path = edit_package(data, lambda d: _resource(d, "statements").update(spansCrossSentences="yes"))
    return [f"{path}:0: {where(data, 'statements')}.spansCrossSentences: must be true or false, not a string"]


@case("package_enum_with_a_number")
def _(data: Path) -> list[Expected]:
    at = f"{where(data, 'statements', 'stance')}.constraints.enum"
    values = _constraints(json.loads((data / "datapackage.json").read_text()), "statements", "stance")["enum"]
    path = edit_package(data, lambda d: _constraints(d, "statements", "stance")["enum"].append(1))
    return [f"{path}:0: {at}[{len(values)}]: must be a string, not an integer",  # the profile
            f"{path}:0: {at}: must list strings (the values as written in the CSV)"]  # the loader


@case("package_foreign_key_of_two_fields_against_one")
def _(data: Path) -> list[Expected]:
    at = f"{where(data, 'statements')}.schema.foreignKeys[0]"
    path = edit_package(data, lambda d: _resource(d, "statements")["schema"]["foreignKeys"][0].update(
        fields=["doc_id", "doc_id"], reference={"resource": "documents", "fields": ["doc_id"]}))
    return [f"{path}:0: {at}: fields and reference.fields differ in length"]


@case("package_primary_key_of_the_wrong_type")
def _(data: Path) -> list[Expected]:
    path = edit_package(data, lambda d: _resource(d, "claims")["schema"].update(primaryKey=42))
    return [f"{path}:0: {where(data, 'claims')}.schema.primaryKey: must be an array or a string, "
            "not an integer"]


def _bounded(resource: str, name: str, constraint: str, bound: int,
             fails: Callable[[str], bool], message: Callable[[str], str]) -> Case:
    """Declare ``constraint: bound`` on a field; every row of the real data it fails is reported."""
    def corrupt(data: Path) -> list[Expected]:
        edit_package(data, lambda d: next(f for f in _resource(d, resource)["schema"]["fields"]
                                          if f["name"] == name).setdefault("constraints", {}).update(
                                              {constraint: bound}))
        path = data / package(data)[resource]["path"]
        header, rows = records(path)
        expected = [f"{path}:{line}: {name}: {message(record[header.index(name)])}"
                    for line, record in rows if fails(record[header.index(name)])]
        assert 0 < len(expected) < len(rows)  # the bound cuts through the real data
        return expected
    return corrupt


case("maximum_enforced")(_bounded("statements", "end", "maximum", 1000, lambda v: int(v) > 1000,
                                  lambda v: f"{v} is above the maximum 1000"))
case("max_length_enforced")(_bounded(
    "claims", "proposition", "maxLength", 60, lambda v: len(v) > 60,
    lambda v: f"{stances.corpus.checks.show(v)} is longer than 60 characters (maxLength; it has {len(v)})"))
case("min_length_enforced")(_bounded(
    "actors", "name", "minLength", 6, lambda v: 0 < len(v) < 6,
    lambda v: f"{v!r} is shorter than 6 characters (minLength; it has {len(v)})"))


@case("empty_primary_key_without_required")
def _(data: Path) -> list[Expected]:
    """A primary key is required whether or not the field says so."""
    edit_package(data, lambda d: _constraints(d, "relations", "relation_id").pop("required"))
    path = data / "relations.csv"
    _, relation = nth_record(path, 3)
    line = set_cell(path, "relation_id", relation["relation_id"], "relation_id", "")
    return [f"{path}:{line}: relation_id: missing value (required)"]


@case("required_value_of_whitespace_alone")
def _(data: Path) -> list[Expected]:
    path = data / "claims.csv"
    expected = []
    for index, value in ((2, "   "), (4, "\u00a0"), (6, "\t \u3000")):
        _, claim = nth_record(path, index)
        line = set_cell(path, "claim_id", claim["claim_id"], "proposition", value)
        expected.append(f"{path}:{line}: proposition: {value!r} is only whitespace (a value is required)")
    return expected


@case("keys_that_differ_only_in_unseen_characters")
def _(data: Path) -> list[Expected]:
    """statement_id has no pattern: 's004 ', 's004' with a no-break space, a decomposed 'é' are
    refused, so no two ids can look the same; the plain duplicate is still a duplicate."""
    path = data / "statements.csv"
    first_line, first = nth_record(path, 3)
    expected = []
    for index, value in ((5, first["statement_id"] + " "), (6, "s\u00a0" + first["statement_id"][1:]),
                         (7, "s  " + first["statement_id"][1:]), (8, "e\u0301" + first["statement_id"])):
        _, row = nth_record(path, index)
        line = set_cell(path, "statement_id", row["statement_id"], "statement_id", value)
        reason = ("is not in Unicode NFC (keys are compared as written)" if "\u0301" in value else
                  "holds whitespace that does not show (a key has no space at either end, no tab, "
                  "line break, no-break or double space)")
        expected.append(f"{path}:{line}: statement_id: {value!r} {reason}")
    return expected


@case("header_row_of_200_kb")
def _(data: Path) -> list[Expected]:
    path = data / "claims.csv"
    replace_bytes(path, b",note\n", b",n" + b"o" * 200_000 + b"te\n")
    return [f"{path}:1: -: the header row is longer than 64 KiB (column names are short)"]


@case("column_name_of_1000_characters")
def _(data: Path) -> list[Expected]:
    path = data / "claims.csv"
    header, _ = records(path)
    replace_bytes(path, b",note\n", b",n" + b"o" * 997 + b"te\n")
    return [f"{path}:1: -: column {len(header)}'s name is 1,000 characters long (at most 256)"]


@case("undeclared_symlink_out_of_data")
def _(data: Path) -> list[Expected]:
    """Not named by the package, but under data/: it would be published (write, the data zip)."""
    (data / "reliability" / "notes.txt").symlink_to(DATA.parent / "README.md")
    return [f"{data / 'reliability' / 'notes.txt'}:0: -: symlink: 'reliability/notes.txt' escapes "
            "data/ (everything in data/ is published with it; move the file in or delete the link)"]


@case("span_runs_into_the_next_sentence")
def _(data: Path) -> list[Expected]:
    """Statements are declared ``"spansCrossSentences": false`` (CODEBOOK.md section 1): a
    span stretched over the end of its sentence is reported, quote and offsets still right."""
    text, path = source_text(data), data / "statements.csv"
    starts = sentences(text)["start"].tolist()
    for row in dict_records(path):
        start, end = int(row["start"]), int(row["end"])
        after = next((b for b in starts if b >= end), None)  # the next sentence's first character
        line_start = text.rfind("\n", 0, after or 0) + 1
        if after and text[line_start:after].count('"') % 2 == 0 and "\n" not in text[end:after]:
            break  # its sentence ends on the same line, outside any quotation
    new_end = after + 4
    set_cell(path, "statement_id", row["statement_id"], "quote", text[start:new_end])
    line = set_cell(path, "statement_id", row["statement_id"], "end", str(new_end))
    return [f"{path}:{line}: end: text[{start}:{new_end}] runs into the next sentence at character "
            f"{after} (a span stays inside one sentence unless a quotation crosses the boundary too)"]


# --- several files at once ------------------------------------------------------------------------

@case("problems_in_several_files")
def _(data: Path) -> list[Expected]:
    """One problem per file in package order (plus two in statements), each on its own line."""
    actors, claims = data / "actors.csv", data / "claims.csv"
    statements, relations = data / "statements.csv", data / "relations.csv"
    reliability = data / "reliability" / "statements.csv"
    _, actor = nth_record(actors, 2)
    _, claim = nth_record(claims, 5)
    _, first = nth_record(statements, 3)
    _, later = nth_record(statements, 20)
    _, relation = nth_record(relations, 1)
    blank, _ = nth_record(reliability, 30)
    a_line = set_cell(actors, "actor_id", actor["actor_id"], "kind", "robot")
    c_line = set_cell(claims, "claim_id", claim["claim_id"], "topic", "sport")
    s_line = set_cell(statements, "statement_id", first["statement_id"], "stance", "maybe")
    d_line = set_cell(statements, "statement_id", later["statement_id"], "statement_id",
                      first["statement_id"])
    r_line = set_cell(relations, "relation_id", relation["relation_id"], "end", "12a")
    insert_line(reliability, blank, "\n")
    enum = {name: ", ".join(field_spec(data, resource, name)["constraints"]["enum"])
            for resource, name in (("actors", "kind"), ("claims", "topic"), ("statements", "stance"))}
    return [f"{actors}:{a_line}: kind: 'robot' is not one of: {enum['kind']}",
            f"{claims}:{c_line}: topic: 'sport' is not one of: {enum['topic']}",
            f"{statements}:{s_line}: stance: 'maybe' is not one of: {enum['stance']}",
            f"{statements}:{d_line}: statement_id: duplicate key {first['statement_id']!r} "
            f"(first on line {s_line})",
            f"{relations}:{r_line}: end: '12a' is not an integer",
            f"{reliability}:{blank}: -: blank row (delete it)"]


# --- running the cases ----------------------------------------------------------------------------

# Cases also run as a real `python -m stances validate` process: a valid copy, problems in several
# files (stdout, stderr and the exit code as a shell sees them) and bytes that are not UTF-8 (printed
# through a real stdout). Each start-up costs ~0.5 s of CPU, so every other case calls the same
# entry point, main(), in-process.
SUBPROCESS = ("valid", "problems_in_several_files", "non_utf8_byte")


@pytest.fixture(scope="module")
def reports(tmp_path_factory):
    """For each case (and one untouched copy, 'valid'): the copy, what to expect, a CLI run."""
    prepared = {}
    for name, corrupt in {**CASES, "valid": lambda data: []}.items():
        data = copy_data(tmp_path_factory.mktemp(name))
        try:
            prepared[name] = (data, corrupt(data))
        except Exception as err:  # a broken case fails its own test, not every test
            prepared[name] = (data, err)
    with ThreadPoolExecutor(max_workers=len(SUBPROCESS)) as pool:
        runs = {name: pool.submit(run_cli, "validate", str(prepared[name][0]))
                for name in SUBPROCESS}
        yield {name: (data, expected, runs.get(name)) for name, (data, expected) in prepared.items()}


def validate_in_process(data: Path, capsys) -> tuple[int, list[str], str]:
    """`python -m stances validate data` without a new interpreter: exit code, stdout lines, stderr."""
    capsys.readouterr()
    code = cli_main(["validate", "--all", str(data)])
    out, err = capsys.readouterr()
    return code, out.splitlines(), err


def assert_problems(actual: list[str], expected: list[Expected]) -> None:
    """``actual`` holds exactly the ``expected`` lines (patterns must match a whole line)."""
    if all(isinstance(e, str) for e in expected):
        assert sorted(actual) == sorted(expected)
        return
    unmatched = list(actual)
    for want in expected:
        hit = next((a for a in unmatched
                    if (want.fullmatch(a) if isinstance(want, re.Pattern) else a == want)), None)
        assert hit is not None, f"no problem matches {want!r}; got {actual}"
        unmatched.remove(hit)
    assert not unmatched, f"unexpected problems: {unmatched}"


def _params():
    return [pytest.param(name, marks=pytest.mark.xfail(strict=True, reason=XFAIL[name]))
            if name in XFAIL else name for name in CASES]


@pytest.mark.parametrize("name", _params())
def test_load_and_validate_report_the_problem(name, reports, capsys):
    data, expected, run = reports[name]
    if isinstance(expected, Exception):
        raise expected
    with pytest.raises(stances.CorpusError) as caught:
        stances.load(data)
    assert_problems([str(p) for p in caught.value.problems], expected)

    code, out, _ = validate_in_process(data, capsys)
    assert code == 1
    assert_problems(out, expected)
    if run is not None:
        result = run.result()
        assert result.returncode == 1, result.stderr
        assert "Traceback" not in result.stderr
        assert_problems(result.stdout.splitlines(), expected)


@pytest.mark.parametrize("name", ["ragged_rows", "line_numbers_after_multiline_note_careful_path",
                                  "blank_line", "valid"])
def test_a_table_parsed_in_blocks_on_several_threads_keeps_every_line_number(name, reports, monkeypatch):
    """A table larger than one block is parsed on several threads, which do not number the rows
    they skip: the lines of every problem, and every loaded value, stay as in one block."""
    data, expected, _ = reports[name]
    whole = [str(p) for p in stances.corpus.validate(data)]
    monkeypatch.setattr("stances.corpus.csvtable.BLOCK", 1 << 12)  # the statements: 3 blocks
    assert (data / "statements.csv").stat().st_size > 2 << 12
    in_blocks = [str(p) for p in stances.corpus.validate(data)]
    assert in_blocks == whole
    assert_problems(in_blocks, expected)
    if not expected:
        loaded = stances.load(data).statements
        monkeypatch.undo()
        pd.testing.assert_frame_equal(loaded, stances.load(data).statements)


def test_the_quick_profile_check_lets_no_profile_error_through(reports):
    """fastjsonschema decides whether jsonschema is asked to explain the descriptor: on every
    case's datapackage.json it says 'follows the profiles' exactly when jsonschema finds no error."""
    import jsonschema

    from stances.corpus import jsonfile

    package_profile, resource_profile = (
        jsonschema.Draft4Validator(json.loads((jsonfile.PROFILES / name).read_text()))
        for name in ("data-package.json", "tabular-data-resource.json"))
    counted = {}  # most cases leave most resources as they are: each distinct one is checked once

    def errors(profile, value) -> int:
        key = (profile is package_profile, json.dumps(value, sort_keys=True))
        if key not in counted:
            counted[key] = sum(1 for _ in profile.iter_errors(value))
        return counted[key]

    verdicts = {}
    for name, (data, _, _) in reports.items():
        if not (data / "datapackage.json").is_file():
            continue  # missing, or a FIFO that would wait for a writer
        try:
            descriptor = jsonfile.loads((data / "datapackage.json").read_text(encoding="utf-8"))
            if list(jsonfile.strict_problems(descriptor)):
                continue  # refused before the profiles
            resources = descriptor.get("resources") if isinstance(descriptor, dict) else None
            found = errors(package_profile, descriptor) + sum(
                errors(resource_profile, r) for r in (resources if isinstance(resources, list) else []))
        except (OSError, ValueError, RecursionError):
            continue  # not JSON: no profile is asked
        verdicts[name] = jsonfile._follows_profiles(descriptor)
        assert verdicts[name] == (found == 0), name
    assert verdicts["valid"] and list(verdicts.values()).count(False) >= 5


def test_every_problem_is_reported_in_file_order_with_its_count(reports):
    data, expected, run = reports["problems_in_several_files"]
    assert len({line.split(":")[0] for line in expected}) == 5  # five files, one run
    with pytest.raises(stances.CorpusError) as caught:
        stances.load(data)
    assert [str(p) for p in caught.value.problems] == expected  # the order, not just the set
    assert str(caught.value).splitlines() == [f"{len(expected)} problems in the corpus:",
                                              *expected]
    result = run.result()
    assert result.returncode == 1
    assert result.stdout.splitlines() == expected
    assert f"{len(expected)} problem(s) found" in result.stderr


def test_a_valid_copy_passes_with_a_one_line_summary(reports, capsys):
    data, _, run = reports["valid"]
    stances.load(data)  # raises if anything is wrong
    result = run.result()
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stderr == ""
    [summary] = result.stdout.splitlines()
    assert summary.startswith(f"{data}: valid")
    for name, resource in package(data).items():
        assert f"{len(dict_records(data / resource['path']))} {name}" in summary
    assert validate_in_process(data, capsys) == (0, [summary], "")


def test_offsets_are_character_indices_in_a_non_ascii_text(data_copy, capsys):
    text = transliterate(data_copy)
    assert len(text.encode("utf-8")) > len(text)  # bytes and characters now differ
    corpus = stances.load(data_copy)
    assert corpus.text(DOC_ID) == text
    for frame in (corpus.statements, corpus.relations, corpus.reliability):
        for start, end, quote in frame[["start", "end", "quote"]].itertuples(index=False):
            assert text[start:end] == quote
    assert any(not q.isascii() for q in corpus.statements["quote"])
    code, out, _ = validate_in_process(data_copy, capsys)
    assert code == 0 and len(out) == 1 and out[0].startswith(f"{data_copy}: valid")


def test_a_header_only_table_loads_with_zero_rows(data_copy, capsys):
    """A study not yet coded: statements.csv (and relations.csv, whose rows cite statements)
    hold only their header, and load as typed tables of zero rows."""
    for name in ("statements.csv", "relations.csv"):
        path = data_copy / name
        path.write_text(path.read_text(encoding="utf-8").splitlines(keepends=True)[0], encoding="utf-8")
    corpus = stances.load(data_copy)
    assert len(corpus.statements) == 0 and len(corpus.relations) == 0
    assert list(corpus.statements.columns) == records(DATA / "statements.csv")[0]
    assert corpus.statements.dtypes.to_dict() == stances.load(DATA).statements.dtypes.to_dict()
    assert cli_main(["validate", str(data_copy)]) == 0
    assert " 0 statements, 0 relations," in capsys.readouterr().out


def test_crlf_tables_load_as_the_lf_originals(data_copy, corpus):
    to_crlf(data_copy)
    again = stances.load(data_copy)
    for name, frame in frames(again).items():
        pd.testing.assert_frame_equal(frame, frames(corpus)[name], obj=name)


def test_a_plus_signed_offset_is_read_or_reported_never_a_crash(data_copy, capsys):
    """Table Schema integers may carry a '+'; reading it as the number or reporting the cell
    are both defensible (reporting keeps write() byte-identical); crashing is not."""
    path = data_copy / "statements.csv"
    index = 9
    _, fields = nth_record(path, index)
    line = set_cell(path, "statement_id", fields["statement_id"], "start", "+" + fields["start"])
    try:
        corpus = stances.load(data_copy)
    except stances.CorpusError as err:
        assert err.problems
        assert all(str(p).startswith(f"{path}:{line}: start: ") for p in err.problems)
        code, out, _ = validate_in_process(data_copy, capsys)
        assert (code, out) == (1, [str(p) for p in err.problems])
    else:
        assert corpus.statements["start"].iloc[index] == int(fields["start"])
        assert validate_in_process(data_copy, capsys)[0] == 0


# --- what load() returns --------------------------------------------------------------------------

@pytest.fixture(scope="module")
def corpus():
    return stances.load(DATA)


def frames(corpus) -> dict[str, pd.DataFrame]:
    """Each resource's DataFrame, found by the resource's name."""
    return {name: corpus.tables[name] for name in package(DATA)}


def test_load_keeps_every_record_in_file_order(corpus):
    statements = dict_records(DATA / "statements.csv")
    assert corpus.statements["statement_id"].tolist() == [r["statement_id"] for r in statements]
    for name, frame in frames(corpus).items():
        resource = package(DATA)[name]
        rows = dict_records(DATA / resource["path"])
        key = resource["schema"]["primaryKey"]
        key = key if isinstance(key, str) else key[0]
        assert len(frame) == len(rows), name
        assert frame[key].tolist() == [r[key] for r in rows], name


def test_load_changes_no_value(corpus):
    """Every cell reads back as the file's own string (empty cells as <NA>)."""
    for name, frame in frames(corpus).items():
        rows = dict_records(DATA / package(DATA)[name]["path"])
        assert list(frame.columns) == list(rows[0]), name
        for column in frame.columns:
            as_read = ["" if pd.isna(v) else str(v) for v in frame[column]]
            assert as_read == [r[column] for r in rows], f"{name}.{column}"


def test_dtypes_follow_the_data_package(corpus):
    enums, integers = set(), set()
    for name, frame in frames(corpus).items():
        for field in package(DATA)[name]["schema"]["fields"]:
            column = frame[field["name"]]
            enum = field.get("constraints", {}).get("enum")
            if enum is not None:
                assert isinstance(column.dtype, pd.CategoricalDtype), (name, field["name"])
                assert list(column.cat.categories) == enum, (name, field["name"])
                enums.add(field["name"])
            elif field.get("type") == "integer":
                assert column.dtype == pd.Int64Dtype(), (name, field["name"])
                integers.add(field["name"])
    assert {"stance", "attribution", "topic", "kind", "relation"} <= enums
    assert {"start", "end"} <= integers
    first = dict_records(DATA / "statements.csv")[0]
    assert corpus.statements["start"].iloc[0] == int(first["start"])
    assert corpus.statements["end"].iloc[0] == int(first["end"])


def test_a_byte_order_mark_is_named_not_shown_as_an_unknown_column(data_copy, capsys):
    path = data_copy / "claims.csv"
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
    expected = f"{path}:1: -: file starts with a byte-order mark; save it as UTF-8 without BOM"
    with pytest.raises(stances.CorpusError) as caught:
        stances.load(data_copy)
    assert [str(p) for p in caught.value.problems] == [expected]
    assert validate_in_process(data_copy, capsys)[:2] == (1, [expected])


# --- the report refuses what the loader refuses ---------------------------------------------------

def test_report_refuses_a_package_the_profile_refuses(data_copy, tmp_path, capsys):
    """``licenses: [42]`` once crashed ``report --no-execute``; now the load before it stops it."""
    edit_package(data_copy, lambda d: d.update(licenses=[42]))
    code = cli_main(["report", "--no-execute", "--notebooks", str(DATA.parent / "notebooks"),
                     "--data-dir", str(data_copy), "--out", str(tmp_path / "site")])
    err = capsys.readouterr().err
    assert code == 1
    assert f"{data_copy / 'datapackage.json'}:0: licenses[0]: must be an object, not an integer" in err
    assert "Traceback" not in err and not (tmp_path / "site").exists()


# --- what validate checks beyond the data (issue #19) ---------------------------------------------

def test_validate_checks_that_the_notebooks_study_csv_names_exist(data_copy, capsys):
    """``thesis_notebook`` and ``factcheck_notebook`` must name notebooks in notebooks/ next to
    the data; a copy travelling without its notebooks folder is checked on its data alone."""
    _, study = nth_record(data_copy / "study.csv", 0)
    notebooks = data_copy.parent / "notebooks"
    notebooks.mkdir()
    (notebooks / f"{study['thesis_notebook']}.ipynb").write_text("{}")
    code, out, _ = validate_in_process(data_copy, capsys)
    name = study["factcheck_notebook"]
    assert (code, out) == (1, [f"{data_copy / 'study.csv'}:2: factcheck_notebook: names the notebook "
                               f"{name!r}, but {notebooks} holds no {name + '.ipynb'!r}"])
    (notebooks / f"{name}.ipynb").mkdir()  # a folder of that name is no notebook
    assert validate_in_process(data_copy, capsys)[:2] == (1, out)
    shutil.rmtree(notebooks)
    assert validate_in_process(data_copy, capsys)[0] == 0
    assert stances.corpus.loader.validate(data_copy) == []  # the loader never looks at notebooks


def test_a_span_may_cross_a_sentence_end_inside_a_quotation(corpus):
    """The exception of the codebook's rule is used by the real data, which loads: some statement
    runs over a sentence end while a quotation is open there."""
    text = corpus.text(DOC_ID)
    starts = sentences(text)["start"].tolist()
    crossing = [(s, e) for s, e in corpus.statements[["start", "end"]].itertuples(index=False)
                for b in starts if s < b < e and text[text.rfind("\n", 0, b) + 1:b].count('"') % 2]
    assert crossing


def test_a_flood_of_descriptor_problems_prints_a_bounded_report(data_copy, capsys):
    """A thousand bad fields are a thousand JSON paths: they are capped together, not per path."""
    path = edit_package(data_copy, lambda d: _resource(d, "claims")["schema"]["fields"].extend(
        {"name": f"extra_{i}", "type": "number"} for i in range(1000)))
    capsys.readouterr()
    assert cli_main(["validate", str(data_copy)]) == 1
    out, err = capsys.readouterr()
    lines = out.splitlines()
    assert len(lines) == 5 and all(line.startswith(f"{path}:0: {where(data_copy, 'claims')}.schema.fields[")
                                   for line in lines)
    assert "995 more problems of the check 'package' not shown" in err
