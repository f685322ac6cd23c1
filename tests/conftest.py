"""Shared fixtures and helpers: copies of the real corpus, edited one cell or line at a time.

Bad-input tests never build synthetic tables: they copy ``data/`` and break one
thing in the copy, so the checks are exercised on the shapes the project really has.
"""

from __future__ import annotations

import csv
import gc
import io
import os
import shutil
import stat
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
DATA = REPO / "data"
DOC_ID = "erdogan_putin_sochi_2021"


# The records of the fact-check's audits: 25 of data/'s 47 files, which no loader or command reads.
AUDIT_RECORDS = shutil.ignore_patterns("audit2", "adjudication")


def copy_data(parent: Path) -> Path:
    """Copy the real ``data/`` (but the audits' records) to ``parent/data`` and return that path."""
    return Path(shutil.copytree(DATA, parent / "data", ignore=AUDIT_RECORDS))


@pytest.hookimpl(wrapper=True)
def pytest_collection(session: pytest.Session):
    """Collecting imports pandas, matplotlib, nbformat and the rest, whose objects live to the end:
    the collector, which would walk them again and again, waits until collection ends, then they
    are frozen out of every later collection (~0.4 s less in each process, more during the tests)."""
    gc.disable()
    try:
        return (yield)
    finally:
        gc.freeze()
        gc.enable()


def pytest_unconfigure() -> None:
    """The run is over and reported: at exit, Python's collector would still walk every object
    it leaves (pandas, matplotlib, the corpora loaded), ~0.6 s per process, which each xdist worker
    spends before the run can end. Frozen objects are not walked (the process frees all at exit)."""
    gc.freeze()


LONG_TIERS = ("browser", "notebooks", "slow")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """nbval's cells of ``notebooks/*.ipynb`` run in a kernel: the ``notebooks`` tier.

    Then the files are put in the order xdist hands them out (``--no-loadscope-reorder``): a file
    with a test of a long tier (a browser, a kernel, the slow kills) first, the others by their
    number of tests, most first (xdist's own order), each file's tests in their order. Handing
    the longest files out last left one worker alone for 10 s at the end of ``make test``."""
    for item in items:
        if item.path.suffix == ".ipynb":
            item.add_marker(pytest.mark.notebooks)
    long = {item.path for item in items if any(item.get_closest_marker(tier) for tier in LONG_TIERS)}
    order = {path: (path not in long, -count) for path, count in Counter(item.path for item in items).items()}
    items.sort(key=lambda item: order[item.path])  # stable: a file's tests keep their order


@pytest.fixture(scope="session")
def corpus():
    """The real corpus, loaded once for every test that only reads it (a module may define its own)."""
    import stances  # here, not at the top: the xdist controller, which runs no test, need not import pandas

    return stances.load(DATA)


@pytest.fixture
def data_copy(tmp_path: Path) -> Path:
    """A private copy of the real corpus that a test may break."""
    return copy_data(tmp_path)


# --- reading a CSV as the reader of the file would (with Python's csv module) -----------------

def records(path: Path) -> tuple[list[str], list[tuple[int, list[str]]]]:
    """The header and every record of ``path`` with the file line the record starts on."""
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.reader(handle)
        header = next(reader)
        rows, previous_end = [], reader.line_num
        for record in reader:
            rows.append((previous_end + 1, record))
            previous_end = reader.line_num
    return header, rows


def dict_records(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def find_record(path: Path, column: str, value: str) -> tuple[int, dict[str, str]]:
    """The file line and the fields of the only record whose ``column`` equals ``value``."""
    header, rows = records(path)
    found = [(line, dict(zip(header, record, strict=True)))
             for line, record in rows if record[header.index(column)] == value]
    assert len(found) == 1, f"expected one record with {column}={value!r} in {path}, got {found}"
    return found[0]


def nth_record(path: Path, index: int) -> tuple[int, dict[str, str]]:
    """The file line and fields of the ``index``-th record (0-based)."""
    header, rows = records(path)
    line, record = rows[index]
    return line, dict(zip(header, record, strict=True))


# --- editing a copy -----------------------------------------------------------------------------

def csv_line(fields: list[str]) -> str:
    """One record as the corpus writes it: minimal quoting, LF line end."""
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerow(fields)
    return out.getvalue()


def _writable(path: Path) -> None:
    # The source texts are committed read-only; copytree keeps the mode.
    path.chmod(path.stat().st_mode | stat.S_IWUSR)


def set_cell(path: Path, key_column: str, key: str, column: str, value: str) -> int:
    """Set one cell of the record whose ``key_column`` is ``key``; return that record's line.

    Only that record's line changes: the rest of the file is kept byte for byte.
    """
    line, fields = find_record(path, key_column, key)
    original = path.read_bytes().decode("utf-8").splitlines(keepends=True)[line - 1]
    assert original == csv_line(list(fields.values())), "record is not one canonical line"
    fields[column] = value
    return replace_line(path, line, csv_line(list(fields.values())))


def replace_line(path: Path, line: int, new: str) -> int:
    """Replace physical line ``line`` (1-based, with its newline) by ``new``; return ``line``."""
    _writable(path)
    lines = path.read_bytes().decode("utf-8").splitlines(keepends=True)
    lines[line - 1] = new
    path.write_bytes("".join(lines).encode("utf-8"))
    return line


def insert_line(path: Path, line: int, new: str) -> None:
    """Insert ``new`` so that it becomes physical line ``line``."""
    _writable(path)
    lines = path.read_bytes().decode("utf-8").splitlines(keepends=True)
    lines.insert(line - 1, new)
    path.write_bytes("".join(lines).encode("utf-8"))


def replace_bytes(path: Path, old: bytes, new: bytes) -> None:
    """Replace the single occurrence of ``old`` in the file by ``new``."""
    _writable(path)
    raw = path.read_bytes()
    assert raw.count(old) == 1, f"{old!r} occurs {raw.count(old)} times in {path}"
    path.write_bytes(raw.replace(old, new))


def rewrite_table(path: Path, header: list[str], rows: list[list[str]]) -> None:
    """Write a whole table as RFC 4180 CSV with LF line ends (the corpus's own form)."""
    _writable(path)
    path.write_bytes((csv_line(header) + "".join(map(csv_line, rows))).encode("utf-8"))


# --- the command line ---------------------------------------------------------------------------

def cli_command(*args: str) -> list[str]:
    return [sys.executable, "-m", "stances", *args]


def cli_env() -> dict[str, str]:
    return {**os.environ, "PYTHONIOENCODING": "utf-8"}


def run_cli(*args: str, cwd: Path = REPO) -> subprocess.CompletedProcess:
    return subprocess.run(cli_command(*args), cwd=cwd, env=cli_env(), capture_output=True,
                          text=True, encoding="utf-8", timeout=120)


def stderr_outputs(folder: Path) -> list[str]:
    """Every error and every stderr stream stored in the notebooks of ``folder``, by file."""
    import nbformat  # here: most tests read no notebook

    found = []
    for path in sorted(folder.glob("*.ipynb")):
        for cell in nbformat.read(path, as_version=4).cells:
            found += [f"{path.name}: {o.get('text', o.get('ename'))}" for o in cell.get("outputs", [])
                      if o.output_type == "error" or (o.output_type == "stream" and o.name == "stderr")]
    return found
