"""load -> Corpus.write -> the same bytes, and loading the written copy gives the same frames.

``write`` writes the whole package: every table, and every other file of the data directory
(codebook, reliability notes, outside-knowledge table, sources), byte for byte when nothing
changed. Checked on the real data and on a copy full of awkward values.
"""

from __future__ import annotations

import json
import os

import pandas as pd
import pandas.testing as pdt
import pytest

import stances
from conftest import DATA, copy_data, records, replace_bytes, rewrite_table

RESOURCES = json.loads((DATA / "datapackage.json").read_text())["resources"]
EVERY_FILE = sorted(os.path.relpath(os.path.join(folder, name), DATA)
                    for folder, _, names in os.walk(DATA) for name in names)

# Values a spreadsheet or a careless script produces; each must survive load -> write -> load.
AWKWARD = ["a, b", 'say "no"', '"', ",", "line\nbreak", "lone\rCR", "crlf\r\nin value",
           "  spaces around  ", "\u00fcn\u00efc\u00f6d\u00e9 \u2014 \U0001d42d", "tab\there", "'single'",
           "trailing CR\r", "\nleading LF", '""']


@pytest.fixture(scope="module")
def written(tmp_path_factory):
    corpus = stances.load(DATA)
    out = tmp_path_factory.mktemp("roundtrip") / "data"
    corpus.write(out)
    return corpus, out


@pytest.mark.parametrize("path", EVERY_FILE)
def test_write_reproduces_every_file_byte_for_byte(written, path):
    _, out = written
    assert (out / path).read_bytes() == (DATA / path).read_bytes()


def test_write_writes_nothing_else(written):
    _, out = written
    assert sorted(os.path.relpath(os.path.join(folder, name), out)
                  for folder, _, names in os.walk(out) for name in names) == EVERY_FILE
    assert {"CODEBOOK.md", "reliability/README.md", "reliability/factcheck/REPORT.md"} <= set(EVERY_FILE)


def test_loading_the_written_copy_gives_equal_frames(written):
    corpus, out = written
    again = stances.load(out)
    for resource in RESOURCES:
        name = resource["name"]
        pdt.assert_frame_equal(again.tables[name], corpus.tables[name])
    assert dict(again.texts) == dict(corpus.texts)


def _awkward_copy(tmp_path):
    """A copy whose statements' notes hold every AWKWARD value, written by ``write`` itself."""
    data = copy_data(tmp_path / "in")
    corpus = stances.load(data)
    statements = corpus.statements.copy()
    notes = pd.array([AWKWARD[i % len(AWKWARD)] for i in range(len(statements))], dtype="string")
    statements["note"] = notes
    tables = {**corpus.tables, "statements": statements}
    out = tmp_path / "out"
    stances.Corpus(tables=tables, texts=corpus.texts, data_dir=corpus.data_dir).write(out)
    return statements, out


def test_awkward_values_survive_load_write_load(tmp_path):
    statements, out = _awkward_copy(tmp_path)
    again = stances.load(out)
    pdt.assert_frame_equal(again.statements, statements)
    second = tmp_path / "second"
    again.write(second)
    for path in EVERY_FILE:
        assert (second / path).read_bytes() == (out / path).read_bytes(), path


def test_a_lone_cr_is_quoted_so_the_copy_validates(tmp_path):
    _, out = _awkward_copy(tmp_path)
    raw = (out / "statements.csv").read_bytes()
    assert b'"lone\rCR"' in raw and b'"trailing CR\r"' in raw
    assert stances.corpus.loader.validate(out) == []


def test_a_crlf_table_with_needless_quotes_is_kept_byte_for_byte(data_copy, tmp_path):
    path = data_copy / "claims.csv"
    header, rows = records(path)
    crlf = "\r\n".join(",".join(f'"{v}"' for v in row) for row in [header, *(r for _, r in rows)])
    replace_bytes(path, path.read_bytes(), (crlf + "\r\n").encode("utf-8"))
    stances.load(data_copy).write(tmp_path / "out")
    assert (tmp_path / "out" / "claims.csv").read_bytes() == path.read_bytes()


def test_a_changed_table_is_written_canonically(data_copy, tmp_path):
    corpus = stances.load(data_copy)
    claims = corpus.claims.copy()
    claims.loc[0, "note"] = "changed, with a comma"
    stances.Corpus(tables={**corpus.tables, "claims": claims}, texts=corpus.texts,
                   data_dir=data_copy).write(tmp_path / "out")
    again = stances.load(tmp_path / "out")
    pdt.assert_frame_equal(again.claims, claims)
    assert b'"changed, with a comma"' in (tmp_path / "out" / "claims.csv").read_bytes()


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
