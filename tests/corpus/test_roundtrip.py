"""The one CSV writer (``stances.files.csv_bytes``) and the loader agree: every value a user can
write survives write -> load, and a table too big for one block reads back whole."""

from __future__ import annotations

import pandas as pd

import stances
from conftest import records, rewrite_table
from stances import files

# Values a spreadsheet or a careless script produces; each must survive write -> load.
AWKWARD = ["a, b", 'say "no"', '"', ",", "line\nbreak", "lone\rCR", "crlf\r\nin value",
           "  spaces around  ", "\u00fcn\u00efc\u00f6d\u00e9 \u2014 \U0001d42d", "tab\there", "'single'",
           "trailing CR\r", "\nleading LF", '""']


def _awkward_notes(data_copy):
    """The statements' notes set to every AWKWARD value in turn, written by the one CSV writer."""
    path = data_copy / "statements.csv"
    header, rows = records(path)
    at = header.index("note")
    notes = [AWKWARD[i % len(AWKWARD)] for i in range(len(rows))]
    files.write_csv(path, header, [[*r[:at], note, *r[at + 1:]]
                                   for (_, r), note in zip(rows, notes, strict=True)])
    return path, notes


def test_awkward_values_survive_write_and_load(data_copy):
    _, notes = _awkward_notes(data_copy)
    assert list(stances.load(data_copy).statements["note"]) == notes


def test_a_lone_cr_is_quoted_so_the_table_validates(data_copy):
    path, _ = _awkward_notes(data_copy)
    raw = path.read_bytes()
    assert b'"lone\rCR"' in raw and b'"trailing CR\r"' in raw and b',""""""\n' in raw
    assert stances.corpus.loader.validate(data_copy) == []


def test_the_writer_writes_rfc_4180_with_lf_and_minimal_quotes():
    assert files.csv_bytes(["a", "b"], [["x,y", None], ["", 'q"'], [""]]) == \
        b'a,b\n"x,y",\n,"q"""\n""\n'


def test_a_table_parsed_in_several_blocks_keeps_every_value(data_copy):
    """Over 1 MiB a table is parsed block by block: every block's empty cells read as <NA>,
    every other value as written."""
    path = data_copy / "statements.csv"
    header, rows = records(path)
    at = header.index("note")
    notes = [f"long note {i} " * 4000 if i % 2 else "" for i in range(len(rows))]
    rewrite_table(path, header, [[*r[:at], note, *r[at + 1:]]
                                 for (_, r), note in zip(rows, notes, strict=True)])
    assert path.stat().st_size > 1 << 20
    loaded = stances.load(data_copy).statements["note"]
    assert [None if pd.isna(v) else v for v in loaded] == [note or None for note in notes]
