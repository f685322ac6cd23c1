"""load -> Corpus.write -> the same bytes, and loading the written copy gives the same frames."""

from __future__ import annotations

import json

import pandas.testing as pdt
import pytest

import stances
from conftest import DATA

RESOURCES = json.loads((DATA / "datapackage.json").read_text())["resources"]


@pytest.fixture(scope="module")
def written(tmp_path_factory):
    corpus = stances.load(DATA)
    out = tmp_path_factory.mktemp("roundtrip") / "data"
    corpus.write(out)
    return corpus, out


@pytest.mark.parametrize("path", [r["path"] for r in RESOURCES])
def test_write_reproduces_every_table_byte_for_byte(written, path):
    _, out = written
    assert (out / path).read_bytes() == (DATA / path).read_bytes()


def test_write_copies_package_and_sources(written):
    corpus, out = written
    assert (out / "datapackage.json").read_bytes() == (DATA / "datapackage.json").read_bytes()
    for path in corpus.documents["path"]:
        assert (out / path).read_bytes() == (DATA / path).read_bytes()


def test_loading_the_written_copy_gives_equal_frames(written):
    corpus, out = written
    again = stances.load(out)
    for resource in RESOURCES:
        name = resource["name"]
        pdt.assert_frame_equal(again.tables[name], corpus.tables[name])
    assert dict(again.texts) == dict(corpus.texts)
