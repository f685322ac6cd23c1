"""`report --no-execute` on hostile or odd input: a clear error (exit 1, file and line, no
traceback, bounded output) or a safe page, never a crash. Each case copies the real data,
breaks one thing, and builds from two stored-output notebooks (no kernel needed)."""

from __future__ import annotations

import contextlib
import io
import json
import os
import zipfile
from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_markdown_cell, new_notebook

from conftest import DOC_ID, copy_data, set_cell
from stances.cli import main as cli_main


def _project(root: Path) -> tuple[Path, Path]:
    """``root/data`` (a copy of the real data) and ``root/notebooks`` with 00 and 04."""
    data = copy_data(root)
    notebooks = root / "notebooks"
    notebooks.mkdir()
    for stem in ("00_corpus", "04_alignment"):
        notebook = new_notebook(cells=[new_markdown_cell(f"# {stem}"),
                                       new_markdown_cell("## What we found\n\nSomething.")])
        nbformat.write(notebook, notebooks / f"{stem}.ipynb")
    return data, notebooks


def _report(capsys, notebooks: Path, out: Path) -> tuple[int, str]:
    code = cli_main(["report", "--no-execute", "--notebooks", str(notebooks), "--out", str(out)])
    err = capsys.readouterr().err
    assert "Traceback" not in err
    return code, err


def _edit_package(data: Path, change) -> None:
    path = data / "datapackage.json"
    package = json.loads(path.read_text(encoding="utf-8"))
    change(package)
    path.write_text(json.dumps(package, indent=2), encoding="utf-8")


BAD_PATHS = ["javascript:alert(1)", " JaVaScRiPt:alert(1)", "data:text/html,x", "vbscript:x"]


@pytest.fixture(scope="module")
def odd_site(tmp_path_factory) -> tuple[Path, Path, int, str]:
    """One build that every case below reads (each built a site of its own: 8 builds, ~12 s):
    a blank optional speaker; a licence for each path that is no web or relative address, and
    one with a relative path; an undeclared note and source text in data/."""
    root = tmp_path_factory.mktemp("odd")
    data, notebooks = _project(root)

    def optional_speaker(package):
        (statements,) = [r for r in package["resources"] if r["name"] == "statements"]
        (speaker,) = [f for f in statements["schema"]["fields"] if f["name"] == "speaker"]
        speaker["constraints"].pop("required")

    def odd_licences(package):
        package["licenses"] += [{"name": f"odd-{n}", "title": f"Odd terms {n}", "path": path}
                                for n, path in enumerate(BAD_PATHS)]
        package["licenses"].append({"name": "local", "title": "Local terms", "path": "LICENSE.md"})

    _edit_package(data, optional_speaker)
    _edit_package(data, odd_licences)
    set_cell(data / "statements.csv", "statement_id", "s001", "speaker", "")
    (data / "notes.txt").write_text("an undeclared note", encoding="utf-8")
    (data / "sources" / "extra.txt").write_text("an undeclared source", encoding="utf-8")
    err = io.StringIO()
    with contextlib.redirect_stderr(err):
        code = cli_main(["report", "--no-execute", "--notebooks", str(notebooks),
                         "--out", str(root / "site")])
    return data, root / "site", code, err.getvalue()


def test_the_odd_site_is_built(odd_site):
    code, err = odd_site[2:]
    assert code == 0 and "Traceback" not in err, err


def test_a_blank_optional_speaker_is_shown_as_not_given(odd_site):
    article = (odd_site[1] / f"article_{DOC_ID}.html").read_text(encoding="utf-8")
    assert "s001: (not given) " in article and "<NA>" not in article and ">nan<" not in article


@pytest.mark.parametrize(("edit", "message"), [
    (lambda package: package.update(licenses=[42]), "licenses[0]: must be an object, not an integer"),
    (lambda package: package.update(licenses="CC-BY-4.0"), "licenses: must be an array, not a string"),
    (lambda package: package.update(sources=[None]), "sources[0]: must be an object, not null"),
    (lambda package: package["licenses"][0].update(path=["x" * 500]),
     "licenses[0].path: must be a string, not an array"),
])
def test_a_licence_or_source_of_the_wrong_shape_stops_the_report_with_the_validate_line(
        tmp_path, capsys, edit, message):
    # The descriptor is checked against the Data Package profile before anything is built.
    data, notebooks = _project(tmp_path)
    _edit_package(data, edit)
    code, err = _report(capsys, notebooks, tmp_path / "site")
    assert (code, err) == (1, "error: the corpus does not validate; run `python -m stances validate`\n"
                              f"1 problem in the corpus:\n{data / 'datapackage.json'}:0: {message}\n")
    assert not (tmp_path / "site").exists()


@pytest.mark.parametrize("n", range(len(BAD_PATHS)), ids=BAD_PATHS)
def test_a_licence_path_that_is_no_web_or_relative_address_is_no_link(odd_site, n):
    for page in odd_site[1].glob("*.html"):
        html = page.read_text(encoding="utf-8")
        assert f"The annotations are under Odd terms {n}." in html, page.name
        assert BAD_PATHS[n].strip() not in html, page.name


def test_a_web_or_relative_licence_path_is_a_link(odd_site):
    index = (odd_site[1] / "index.html").read_text(encoding="utf-8")
    assert '<a href="https://creativecommons.org/licenses/by/4.0/">' in index
    assert '<a href="LICENSE.md">Local terms</a>' in index


def test_the_data_zip_holds_only_the_declared_files(odd_site):
    data, site = odd_site[:2]
    package = json.loads((data / "datapackage.json").read_text(encoding="utf-8"))
    declared = {"datapackage.json", f"sources/{DOC_ID}.txt", *(r["path"] for r in package["resources"])}
    (archive,) = site.glob("*.zip")
    documents = ["data/README.md", "data/CODEBOOK.md"]  # the package's own, beside the descriptor
    with zipfile.ZipFile(archive) as opened:
        assert sorted(opened.namelist()) == sorted([*(f"data/{path}" for path in declared), *documents])
        assert all(b"undeclared" not in opened.read(name) for name in opened.namelist())
        assert opened.comment.decode() == ("Documentation, not resources of datapackage.json: "
                                           "data/README.md, data/CODEBOOK.md")


def test_a_symlink_out_of_the_data_stops_the_report(tmp_path, capsys):
    data, notebooks = _project(tmp_path)
    secret = tmp_path / "secret.txt"
    secret.write_text("outside the data folder", encoding="utf-8")
    os.symlink(secret, data / "notes.txt")  # undeclared, and pointing out of data/
    code, err = _report(capsys, notebooks, tmp_path / "site")
    assert (code, err) == (1, "error: the corpus does not validate; run `python -m stances validate`\n"
                              f"1 problem in the corpus:\n{data / 'notes.txt'}:0: -: symlink: 'notes.txt' "
                              "escapes data/ (everything in data/ is published with it; move the file in or "
                              "delete the link)\n")
    assert not (tmp_path / "site").exists()


@pytest.mark.parametrize("inside", ["data", "data/site", "notebooks", "notebooks/site"])
def test_the_report_is_never_written_into_the_data_or_the_notebooks(tmp_path, capsys, inside):
    data, notebooks = _project(tmp_path)
    before = sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*"))
    out = tmp_path / inside
    code, err = _report(capsys, notebooks, out)
    folder = "data" if inside.startswith("data") else "notebooks"
    assert (code, err) == (1, f"error: --out {out} is inside the {folder} folder {tmp_path / folder}; "
                              "the report is written only outside the data and the notebooks\n")
    assert sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*")) == before


@pytest.mark.parametrize(("value", "what"), [
    ("99_missing", "names '99_missing', which is no notebook here"),
    ("", "is empty"),
    ("99_" + "x" * 5000, "names '99_xxxxx"),
])
def test_a_thesis_notebook_that_names_no_notebook_is_an_error(tmp_path, capsys, value, what):
    data, notebooks = _project(tmp_path)
    line = set_cell(data / "study.csv", "study_id", "sochi_2021", "thesis_notebook", value)
    code, err = _report(capsys, notebooks, tmp_path / "site")
    assert code == 1
    assert err.startswith(f"error: {data / 'study.csv'}:{line}: thesis_notebook: {what}")
    assert err.endswith("; the report's notebooks: 00_corpus, 04_alignment\n") and len(err) < 400
    assert not (tmp_path / "site").exists()
