"""Incremental builds: a notebook is re-executed only when something it reads changed, nothing
is rebuilt when nothing changed, and the report is the same byte for byte either way."""

from __future__ import annotations

from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

from conftest import copy_data
from stances.report import cache, site

pytestmark = pytest.mark.notebooks  # starts kernels


def _notebook(title: str, code: str) -> nbformat.NotebookNode:
    notebook = new_notebook(
        metadata={"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}},
        cells=[new_markdown_cell(f"# {title}"), new_code_cell(code),
               new_markdown_cell("## What we found\n\nSomething.")])
    for i, cell in enumerate(notebook.cells):
        cell.id = f"c{i}"
    return notebook


def _project(root: Path) -> Path:
    copy_data(root)
    folder = root / "notebooks"
    folder.mkdir()
    nbformat.write(_notebook("Corpus", "print(6 * 7)"), folder / "00_corpus.ipynb")
    nbformat.write(_notebook("Alignment", "print('thesis')"), folder / "04_alignment.ipynb")
    return folder


def _files(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes()
            for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture
def runs(monkeypatch):
    """The notebooks each build executes, by stem, one list per build."""
    seen = []
    real = site.execute_notebooks

    def recording(pairs, **kwargs):
        seen[-1].extend(sorted(Path(src).stem for src, _ in pairs))
        return real(pairs, **kwargs)

    monkeypatch.setattr(site, "execute_notebooks", recording)

    def build(notebooks, out):
        seen.append([])
        site.build_report(notebooks, out, execute=True)
        return seen[-1]

    return build


def test_only_what_changed_is_executed_and_the_output_is_the_same(tmp_path, runs):
    notebooks = _project(tmp_path)
    out = tmp_path / "report"
    assert runs(notebooks, out) == ["00_corpus", "04_alignment"]
    first = _files(out)
    assert "42" in (out / "00_corpus.html").read_text(encoding="utf-8")
    assert sorted(name for name in first if name.startswith(".cache/")) == [
        ".cache/00_corpus.ipynb", ".cache/04_alignment.ipynb", ".cache/build.json"]

    assert runs(notebooks, out) == []  # nothing changed: nothing rebuilt
    assert _files(out) == first

    nbformat.write(_notebook("Corpus", "print(6 * 9)"), notebooks / "00_corpus.ipynb")
    assert runs(notebooks, out) == ["00_corpus"]
    assert "54" in (out / "00_corpus.html").read_text(encoding="utf-8")
    nbformat.write(_notebook("Corpus", "print(6 * 7)"), notebooks / "00_corpus.ipynb")
    assert runs(notebooks, out) == ["00_corpus"]  # 04 from the cache ...
    assert _files(out) == first  # ... and the site as the clean first build wrote it

    assert set(cache.reusable(out, cache.site_keys(notebooks, None, True, None, None))) == {
        "00_corpus", "04_alignment"}
    (tmp_path / "data" / "README.md").write_text("changed", encoding="utf-8")  # the data: everything
    assert cache.reusable(out, cache.site_keys(notebooks, None, True, None, None)) == {}  # as `runs` saw


def test_a_key_covers_the_notebook_the_data_and_the_options(tmp_path):
    notebooks = _project(tmp_path)
    before = cache.site_keys(notebooks, None, True, None, None)
    assert before == cache.site_keys(notebooks, None, True, None, None)
    assert before != cache.site_keys(notebooks, None, False, None, None)
    assert before != cache.site_keys(notebooks, None, True, cache.Provenance("abc123"), None)
    (tmp_path / "data" / "notes.txt").write_text("new", encoding="utf-8")
    after = cache.site_keys(notebooks, None, True, None, None)
    assert all(after["notebooks"][stem] != key for stem, key in before["notebooks"].items())
