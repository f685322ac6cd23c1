"""Nothing a user wrote is lost, proved by force (issue 24): ``code``, ``schema --write`` and the
report build's swap are killed at seeded random moments and run on a full disk; after each,
``validate`` passes and the files are the old state or the new one, byte for byte.

A kill is a forked child that ends with ``os._exit`` at the Nth step of ``stances.files`` (a
chunk written, a sync, a rename), as ``kill -9`` would end it there: no ``finally`` runs. Chunks
are 4 KiB here so that a kill also lands in the middle of a file. A full disk is the writer's
``os.write`` raising ENOSPC after a seeded number of bytes.

Every step is killed once, and the edges of a full disk (no byte, the last byte of each file)
are tried, in the fast tier; the further seeded random kills, SIGKILLs and disk sizes that the
issue asked for (24 kills, 8 SIGKILLs, 20 full disks per command) run in the ``slow`` tier.
The parent imports every module the commands use before it forks, so that no child imports
them again; and the checks that ``validate`` (and ``code``, before it writes) runs over the
files are computed once per distinct content (``checked_once``), except where a killed change
left its journal: there the loader's recovery and checks run for real.
"""

from __future__ import annotations

import csv
import errno
import os
import random
import shutil
import signal
import sys
import time
from collections import Counter
from pathlib import Path

import pytest

from conftest import DOC_ID, copy_data
from stances import files
from stances.cli import main as cli_main
from stances.corpus import loader
from stances.corpus.loader import validate

SEED = 24
CRASHED = 70  # files._step's exit status
SHEET_COLUMNS = ["speaker", "claim", "stance", "attribution", "quote", "occurrence", "context", "target",
                 "note", "relation", "topic", "doc_id", "coder"]
TABLES = ("statements.csv", "relations.csv")


def in_child(run, crash_at: int = 0, chunk: int = 4096) -> tuple[int, int]:
    """``run()`` in a forked child that ends at step ``crash_at`` (0: never); returns its exit
    status and the number of steps it took."""
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: never returns into pytest
        status = 3
        try:
            os.close(read)
            sys.stdout = sys.stderr = open(os.devnull, "w")  # noqa: SIM115
            files.CRASH_AT, files._steps, files.CHUNK = crash_at, 0, chunk
            status = 0 if run() in (0, None) else 1
            os.write(write, str(files._steps).encode())
        finally:
            os._exit(status)
    os.close(write)
    _, wait_status = os.waitpid(pid, 0)
    steps = os.read(read, 64)
    os.close(read)
    return os.waitstatus_to_exitcode(wait_status), int(steps or 0)


def crash_points(total: int, kills: int, rng: random.Random, every: bool) -> list[int]:
    """Every step once (``every``), or the seeded random steps that make ``kills`` in all."""
    extra = [rng.randint(1, total) for _ in range(max(0, kills - total))]
    return list(range(1, total + 1)) if every else extra


@pytest.fixture(autouse=True)
def checked_once(monkeypatch):
    """The loader's checks (``validate``, and ``code`` before it writes) computed once per content
    of the files they read and of the tables a command would write. A folder with a journal is
    always checked for real: the loader's recovery of the decided change is under test there
    (without a journal that recovery does nothing)."""
    real, seen = loader.check, {}

    def check(data_dir, replaced=None):
        if (Path(data_dir) / files.JOURNAL).exists():
            return real(data_dir, replaced)
        read = sorted((str(p), p.read_bytes()) for p in Path(data_dir).rglob("[!.]*") if p.is_file())
        key = (str(data_dir), tuple(sorted((replaced or {}).items())), tuple(read))
        if key not in seen:
            seen[key] = real(data_dir, replaced)
        return seen[key]

    monkeypatch.setattr(loader, "check", check)


def full_disk(monkeypatch, limit: int) -> None:
    """The writer's ``os.write`` fails with ENOSPC once ``limit`` bytes are written."""
    written = [0]

    def write(fd, data):
        if written[0] + len(data) > limit:
            take = limit - written[0]
            if take <= 0:
                raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
            data = data[:take]
        written[0] += len(data)
        return os.write(fd, data)

    monkeypatch.setattr(files, "_raw_write", write)


def leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if files.NEW in p.name or p.name == files.JOURNAL)


# --- code -------------------------------------------------------------------------------------------

def _sheet(data: Path, sheet: Path) -> None:
    """A sheet that codes the study again: every statement with a note added, every relation
    but the last (occurrences counted here, by hand, over every start of the quote)."""
    text = (data / "sources" / f"{DOC_ID}.txt").read_text(encoding="utf-8")

    def occurrence(quote, start):
        starts = [i for i in range(len(text)) if text.startswith(quote, i)]
        return "" if len(starts) == 1 else str(starts.index(start) + 1)

    rows = [[r["speaker"], r["claim_id"], r["stance"], r["attribution"], r["quote"],
             occurrence(r["quote"], int(r["start"])), "", r["target"], f"{r['note']} (recoded)".strip(), "",
             "", r["doc_id"], r["coder"]]
            for r in csv.DictReader((data / "statements.csv").open(encoding="utf-8", newline=""))]
    relations = list(csv.DictReader((data / "relations.csv").open(encoding="utf-8", newline="")))
    rows += [[r["source"], "", "", "", r["quote"], occurrence(r["quote"], int(r["start"])), "", r["target"],
              "", r["relation"], r["topic"], r["doc_id"], ""] for r in relations[:-1]]
    files.write_csv(sheet, SHEET_COLUMNS, rows)


@pytest.fixture(scope="module")
def coding(tmp_path_factory):
    """(data folder, the code command, old tables, new tables)."""
    root = tmp_path_factory.mktemp("code")
    data = copy_data(root)
    _sheet(data, root / "sheet.csv")
    old = tuple((data / name).read_bytes() for name in TABLES)
    command = ["code", str(root / "sheet.csv"), "--data-dir", str(data), "--replace"]
    assert cli_main(command) == 0  # in this process: the children forked later start warm
    new = tuple((data / name).read_bytes() for name in TABLES)
    assert old[0] != new[0] and old[1] != new[1] and validate(data) == []
    return data, command, old, new


def _restore(data: Path, old: tuple[bytes, ...]) -> None:
    for name in leftovers(data):
        (data / name).unlink()
    for name, content in zip(TABLES, old, strict=True):
        (data / name).write_bytes(content)


def _state(data: Path, old, new, names=TABLES) -> str:
    """'old' or 'new' (the contents of the files ``names``) after ``validate`` (which finishes a
    decided commit) has passed."""
    assert validate(data) == []
    found = tuple((data / name).read_bytes() for name in names)
    assert found in (old, new), "a mix of the old and the new files, or a torn file"
    return "old" if found == old else "new"


@pytest.mark.parametrize("every", [True, pytest.param(False, marks=pytest.mark.slow)],
                         ids=["every step", "seeded random steps"])
def test_code_killed_at_any_step_leaves_the_old_tables_or_the_new(coding, every):
    data, command, old, new = coding
    _restore(data, old)
    status, total = in_child(lambda: cli_main(command))
    assert status == 0 and total > 10
    _restore(data, old)
    loader.check(data, dict(zip(TABLES, new, strict=True)))  # the check `code` runs, done once here
    outcomes = Counter()
    for step in crash_points(total, 24, random.Random(SEED), every):
        _restore(data, old)
        assert in_child(lambda: cli_main(command), crash_at=step)[0] == CRASHED
        outcomes[_state(data, old, new)] += 1
    print(f"code: {sum(outcomes.values())} kills over {total} steps: {dict(outcomes)}")
    if every:
        assert outcomes["old"] and outcomes["new"]  # kills before and after the decision both tried
    assert files.recover(data, clean=True) is False and leftovers(data) == []


@pytest.mark.parametrize("runs", [slice(0, 3), pytest.param(slice(3, 8), marks=pytest.mark.slow)],
                         ids=["3", "5 more"])
def test_code_killed_by_sigkill_at_random_moments(coding, runs):
    data, command, old, new = coding
    _restore(data, old)
    started = time.perf_counter()
    in_child(lambda: cli_main(command))
    took = time.perf_counter() - started
    _restore(data, old)
    loader.check(data, dict(zip(TABLES, new, strict=True)))  # the check `code` runs, done once here
    rng, outcomes = random.Random(SEED), Counter()
    delays = [rng.uniform(0.5, 1.0) * took for _ in range(8)][runs]
    for delay in delays:
        _restore(data, old)
        pid = os.fork()
        if pid == 0:
            sys.stdout = sys.stderr = open(os.devnull, "w")  # noqa: SIM115
            os._exit(cli_main(command))
        time.sleep(delay)
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
        outcomes[_state(data, old, new)] += 1
    print(f"code: {sum(outcomes.values())} SIGKILLs: {dict(outcomes)}")


def disk_sizes(sizes: list[int], rng: random.Random, edges: bool) -> list[int]:
    """The edges of a full disk (no byte written; each file but for its last byte, or whole), or
    as many seeded sizes as make 20 runs with them."""
    ends = [sum(sizes[:k + 1]) for k in range(len(sizes))]
    edge = sorted({0, *(end - 1 for end in ends), *ends[:-1]})
    return edge if edges else [rng.randint(0, ends[-1]) for _ in range(20 - len(edge))]


EDGES = pytest.mark.parametrize("edges", [True, pytest.param(False, marks=pytest.mark.slow)],
                                ids=["edges", "seeded sizes"])


@EDGES
def test_code_on_a_full_disk_changes_nothing_and_says_so(coding, monkeypatch, capsys, edges):
    data, command, old, new = coding
    for limit in disk_sizes(list(map(len, new)), random.Random(SEED), edges):
        _restore(data, old)
        with monkeypatch.context() as patch:
            full_disk(patch, limit)
            capsys.readouterr()
            assert cli_main(command) == 1
        err = capsys.readouterr().err.splitlines()
        name = "statements.csv" if limit < len(new[0]) else "relations.csv"
        assert err == [f"error: {data / name}: cannot be written (No space left on device); it is "
                       "unchanged; nothing written"]
        assert _state(data, old, new) == "old" and leftovers(data) == []


# --- schema --write ---------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def schema(tmp_path_factory):
    data = copy_data(tmp_path_factory.mktemp("schema"))
    path = data / "datapackage.json"
    old = path.read_bytes()
    topics = next(r for r in __import__("json").loads(old)["resources"] if r["name"] == "claims")
    topics = next(f for f in topics["schema"]["fields"] if f["name"] == "topic")["constraints"]["enum"]
    command = ["schema", str(data), "--write", "--topics", ",".join([*topics, "energy"])]
    assert cli_main(command) == 0  # in this process: the children forked later start warm
    new = path.read_bytes()
    assert new != old and b'"energy"' in new and validate(data) == []
    return data, command, old, new


@pytest.mark.parametrize("every", [True, pytest.param(False, marks=pytest.mark.slow)],
                         ids=["every step", "seeded random steps"])
def test_schema_write_killed_at_any_step_leaves_the_old_descriptor_or_the_new(schema, every):
    data, command, old, new = schema
    path = data / "datapackage.json"
    path.write_bytes(old)
    status, total = in_child(lambda: cli_main(command))
    assert status == 0 and total >= len(new) // 4096
    outcomes = Counter()
    for step in crash_points(total, 24, random.Random(SEED), every):
        path.write_bytes(old)
        assert in_child(lambda: cli_main(command), crash_at=step)[0] == CRASHED
        outcomes[_state(data, (old,), (new,), ["datapackage.json"])] += 1
    print(f"schema --write: {sum(outcomes.values())} kills over {total} steps: {dict(outcomes)}")
    if every:
        assert outcomes["old"] and outcomes["new"]


@EDGES
def test_schema_write_on_a_full_disk_changes_nothing(schema, monkeypatch, capsys, edges):
    data, command, old, new = schema
    path = data / "datapackage.json"
    for limit in disk_sizes([len(new)], random.Random(SEED), edges):
        path.write_bytes(old)
        with monkeypatch.context() as patch:
            full_disk(patch, limit)
            capsys.readouterr()
            assert cli_main(command) == 1
        assert capsys.readouterr().err.splitlines() == [
            f"error: {path}: cannot be written (No space left on device); it is unchanged"]
        assert _state(data, (old,), (new,), ["datapackage.json"]) == "old" and leftovers(data) == []


# --- the report build's swap ------------------------------------------------------------------------

def _site(folder: Path, version: str) -> dict[str, bytes]:
    """A site as a build leaves it (pages, figures/, networks/, the manifest); returns its files."""
    names = ["index.html", "00_corpus.html", "figures/00_corpus-1.svg", "networks/all.graphml",
             *(["figures/extra.png"] if version == "new" else ["article_x.html"])]
    content = {name: f"{version} {name}\n".encode() * (1 + len(name) * 40) for name in names}
    content[".stances-report"] = "".join(f"{n}\n" for n in sorted(names)).encode()
    for name, data in content.items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_bytes(data)
    return content


def _tree(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


def test_report_swap_killed_at_any_step_leaves_the_old_site_or_the_new(tmp_path):
    out = tmp_path / "report"

    def build():
        staging = files.staging_folder(out)
        _site(staging, "new")
        files.replace_folder(staging, out)

    def reset():
        for leftover in tmp_path.iterdir():
            shutil.rmtree(leftover)
        out.mkdir()
        return _site(out, "old")

    old = reset()
    assert in_child(build)[0] == 0
    new = _tree(out)
    old = reset()
    status, total = in_child(build)
    assert status == 0 and total > 5
    outcomes = Counter()
    for step in [*crash_points(total, 24, random.Random(SEED), True),
                 *crash_points(total, 24, random.Random(SEED), False)]:
        reset()
        assert in_child(build, crash_at=step)[0] == CRASHED
        files.recover_folder(out)  # what the next build does first
        found = _tree(out)
        assert found in (old, new), "a site mixing old and new pages"
        assert sorted(p.name for p in tmp_path.iterdir()) == ["report"]
        outcomes["old" if found == old else "new"] += 1
    print(f"report swap: {sum(outcomes.values())} kills over {total} steps: {dict(outcomes)}")
    assert outcomes["old"] and outcomes["new"]


@pytest.mark.slow
def test_the_report_build_killed_at_random_moments(tmp_path):
    """The real build (stored outputs) killed with SIGKILL: the folder holds the old site or the
    new one, once the next build's recovery has run."""
    from stances.report.site import build_report

    repo = Path(__file__).resolve().parents[1]
    out = tmp_path / "report"

    def build():
        build_report(repo / "notebooks", out, execute=False, data_dir=repo / "data")

    started = time.perf_counter()
    assert in_child(build)[0] == 0
    took, new = time.perf_counter() - started, _tree(out)  # a build gives the same site each time
    old = {**new, "index.html": b"an older build\n"}  # the old site, told apart from the new
    rng, outcomes = random.Random(SEED), Counter()
    for _ in range(4):
        shutil.rmtree(out)
        out.mkdir()
        for name, content in old.items():
            (out / name).parent.mkdir(parents=True, exist_ok=True)
            (out / name).write_bytes(content)
        pid = os.fork()
        if pid == 0:
            sys.stdout = sys.stderr = open(os.devnull, "w")  # noqa: SIM115
            try:
                build()
            finally:
                os._exit(0)
        time.sleep(rng.uniform(0.6, 1.0) * took)
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
        files.recover_folder(out)
        found = _tree(out)
        assert found in (old, new)
        outcomes["old" if found == old else "new"] += 1
    print(f"report build: {sum(outcomes.values())} SIGKILLs: {dict(outcomes)}")


@pytest.mark.slow
def test_the_report_build_on_a_full_disk_leaves_the_old_site(tmp_path, monkeypatch, capsys):
    """Every page, figure and download goes to the staging folder: a disk that fills at a seeded
    write of the build leaves the old site whole and says so in one line."""
    import pathlib

    repo = Path(__file__).resolve().parents[1]
    out = tmp_path / "report"
    command = ["report", "--no-execute", "--notebooks", str(repo / "notebooks"), "--data-dir",
               str(repo / "data"), "--out", str(out)]
    calls, real = [0, 0], {name: getattr(pathlib.Path, name) for name in ("write_text", "write_bytes")}

    def counted(name):
        def write(self, *args, **kwargs):
            calls[0] += 1
            if calls[0] == calls[1]:
                raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
            return real[name](self, *args, **kwargs)
        return write

    for name in real:
        monkeypatch.setattr(pathlib.Path, name, counted(name))
    assert cli_main(command) == 0  # the first build, its writes counted (none fails)
    writes, rng = calls[0], random.Random(SEED)
    (out / "index.html").write_bytes(b"an older build\n")  # the old site, told apart from a new one
    old = _tree(out)
    for fail_at in sorted(rng.sample(range(1, writes + 1), 3)):
        (out / "index.html").write_bytes(b"an older build\n")
        assert _tree(out) == old
        calls[:] = [0, fail_at]
        capsys.readouterr()
        assert cli_main(command) == 1
        assert capsys.readouterr().err.splitlines()[-1] == \
            f"error: No space left on device; {out} is as it was"
        assert _tree(out) == old and sorted(p.name for p in tmp_path.iterdir()) == ["report"]
    print(f"report build: 3 full-disk runs (of {writes} writes): old site kept each time")
