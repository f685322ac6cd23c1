"""Writing files safely: every file any command writes goes through here.

* :func:`write_bytes` (:func:`write_text`; :func:`write_csv` with :func:`csv_bytes`, the one CSV
  writer): a temporary file in the target's folder, synced, renamed over the target, the folder
  synced. A kill or a full disk at any moment leaves the old file or the new one, never a part.
* :func:`commit`: several files of one folder (``code``'s statements.csv and relations.csv) change
  as a unit: temporaries first, then a small journal naming the renames (written atomically: the
  decision), the renames, and the journal deleted. :func:`recover` (run by the loader and the next
  commit) finishes a decided change; without a journal, stray temporaries go: the old state stands.
* :func:`replace_folder`: a finished folder (the report site) takes another's place, with the same
  guarantee (:func:`recover_folder`). :func:`output_refused`: where a command must not write.
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
import shutil
import stat
from collections.abc import Iterable, Mapping
from pathlib import Path

JOURNAL = ".stances-commit.json"
NEW, OLD = ".stances-new", ".stances-old"  # suffixes of the temporaries
READY = ".stances-complete"  # in a staged folder: it is whole and may take the target's place
CHUNK = 1 << 16
_SPECIAL = re.compile(r'[",\r\n]')  # a CSV cell holding one of these is quoted
CRASH_AT = int(os.environ.get("STANCES_CRASH_AT") or 0)
_steps = 0


class WriteError(OSError):
    """A file could not be written (or was refused); its message names the file and why."""


def _step() -> None:
    """One step of a write (a chunk written, a sync, a rename). Crash tests set ``CRASH_AT`` (or
    ``STANCES_CRASH_AT``) to N: the process ends at the Nth step (``os._exit``), as ``kill -9`` would."""
    global _steps
    _steps += 1
    if CRASH_AT and _steps == CRASH_AT:
        os._exit(70)


def _raw_write(fd: int, data: memoryview) -> int:
    return os.write(fd, data)  # one name to patch: the full-disk tests fail it after N bytes


def _sync(path: str | os.PathLike, folder: bool = True) -> None:
    """Flush ``path`` to disk; syncing a folder (after a rename in it) is a step of the write."""
    fd = os.open(path, os.O_RDONLY | (os.O_DIRECTORY if folder else 0))
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
    if folder:
        _step()


def _temporary(path: Path, data: bytes) -> Path:
    """``data`` in ``.<name>.stances-new`` beside ``path``, synced; the mode of ``path`` if it exists."""
    temporary = path.with_name(f".{path.name}{NEW}")
    mode = stat.S_IMODE(os.stat(path).st_mode) if path.exists() else 0o666  # os.open applies the umask
    fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, mode)
    try:
        view, written = memoryview(data), 0
        while written < len(view):
            written += _raw_write(fd, view[written:written + CHUNK])
            _step()
        os.fsync(fd)
        _step()
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
    finally:
        os.close(fd)
    return temporary


def _target(path: Path, within: Path | None) -> Path:
    """Where ``path`` really is: a symlink is written through only while it stays ``within``."""
    if path.is_symlink():
        real = Path(os.path.realpath(path))
        if within is None or not real.is_relative_to(os.path.realpath(within)):
            raise WriteError(f"{path}: is a symlink to {real}, outside {within or 'its folder'}; "
                             "nothing is written through it (replace the link by the file)")
        path = real
    if path.is_dir():
        raise WriteError(f"{path}: is a folder, not a file")
    if not path.parent.is_dir():
        raise WriteError(f"{path}: the folder {path.parent} does not exist")
    return path


def _failed(path: Path, err: OSError) -> WriteError:
    return WriteError(f"{path}: cannot be written ({err.strerror or err}); it is unchanged")


def write_bytes(path: str | os.PathLike, data: bytes, within: str | os.PathLike | None = None) -> None:
    """Replace ``path`` by ``data`` atomically (old or new, never a part). ``within``: the folder a
    symlinked ``path`` must stay in. ``WriteError`` when it cannot be written; nothing changes."""
    path = _target(Path(path), Path(within) if within else None)
    try:
        temporary = _temporary(path, data)
        try:
            os.replace(temporary, path)
        except BaseException:
            temporary.unlink(missing_ok=True)
            raise
        _step()
        _sync(path.parent)
    except OSError as err:
        raise _failed(path, err) from None


def write_text(path: str | os.PathLike, text: str, within: str | os.PathLike | None = None) -> None:
    write_bytes(path, text.encode("utf-8"), within)


def _csv_cell(value) -> str:
    value = "" if value is None else str(value)
    # quoted when it holds a comma, a quote or either line end: Python's csv module leaves a lone
    # CR bare, which a reader then takes for the end of a row
    return '"' + value.replace('"', '""') + '"' if _SPECIAL.search(value) else value


def csv_bytes(header: Iterable, rows: Iterable[Iterable]) -> bytes:
    """A table as RFC 4180 CSV: UTF-8, LF line ends, quotes only where needed, None as empty
    (a row of one empty value is written ``""``, not as a blank line)."""
    lines = [",".join(map(_csv_cell, row)) or '""' for row in (header, *rows)]
    return ("\n".join(lines) + "\n").encode("utf-8")


def write_csv(path: str | os.PathLike, header: Iterable, rows: Iterable[Iterable],
              within: str | os.PathLike | None = None) -> None:
    write_bytes(path, csv_bytes(header, rows), within)


def commit(folder: str | os.PathLike, changes: Mapping[str, bytes]) -> None:
    """Replace the files ``changes`` names (file names in ``folder``) as one unit: after a kill at
    any moment, :func:`recover` leaves all of them old or all of them new."""
    folder = Path(folder)
    recover(folder, clean=True)
    targets = {name: _target(folder / name, folder) for name in changes}
    temporaries = {}
    try:
        for name, data in changes.items():
            try:
                temporaries[name] = _temporary(targets[name], data)
            except OSError as err:
                raise _failed(targets[name], err) from None
        journal = [[os.path.relpath(temporaries[n], folder), os.path.relpath(targets[n], folder)]
                   for n in changes]
        write_bytes(folder / JOURNAL, json.dumps(journal).encode("utf-8"))  # the decision
    except BaseException:
        for temporary in temporaries.values():
            temporary.unlink(missing_ok=True)
        raise
    recover(folder)


def recover(folder: str | os.PathLike, clean: bool = False) -> bool:
    """Finish the commit a journal in ``folder`` records (True if there was one); with ``clean``
    (only before a commit: a reader must not delete what a running commit writes), also delete
    the temporaries of one that never reached its journal."""
    folder = Path(folder)
    journal = folder / JOURNAL
    try:
        pairs = json.loads(journal.read_bytes())
    except FileNotFoundError:
        for stray in folder.glob(f".*{NEW}") if clean else ():
            if stray.is_file():
                stray.unlink(missing_ok=True)
        return False
    for temporary, target in pairs:
        try:
            os.replace(folder / temporary, folder / target)
        except FileNotFoundError:  # renamed before the kill, or by another recovery just now
            continue
        _step()
    _sync(folder)
    journal.unlink(missing_ok=True)
    _step()
    _sync(folder)
    return True


def replace_folder(staging: str | os.PathLike, target: str | os.PathLike) -> None:
    """Put the finished folder ``staging`` (named ``.<target>.stances-new`` beside ``target``) in
    place of ``target``: the old one moves aside, the new one takes its name, the old one goes."""
    staging, target = Path(staging), Path(target)
    old = target.with_name(f".{target.name}{OLD}")
    for inner, _, names in os.walk(staging):  # every file on disk before the mark says complete
        for name in names:
            _sync(os.path.join(inner, name), folder=False)
        _sync(inner)
    (staging / READY).touch()  # the mark that the new folder is complete
    _sync(staging)
    if target.exists():
        os.replace(target, old)
        _step()
    os.replace(staging, target)
    _step()
    _sync(target.parent)
    (target / READY).unlink()
    recover_folder(target)


def staging_folder(target: str | os.PathLike) -> Path:
    """An empty folder beside ``target`` to build its replacement in (after any recovery)."""
    target = Path(target)
    recover_folder(target)
    staging = target.with_name(f".{target.name}{NEW}")
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir()
    return staging


def recover_folder(target: str | os.PathLike) -> None:
    """After a kill during :func:`replace_folder`: a complete new folder takes the place, or else
    the old one comes back; then the leftovers go."""
    target = Path(target)
    staging, old = target.with_name(f".{target.name}{NEW}"), target.with_name(f".{target.name}{OLD}")
    if not target.exists():
        if (staging / READY).exists():
            os.replace(staging, target)
        elif old.exists():
            os.replace(old, target)
        _step()
        _sync(target.parent)
    (target / READY).unlink(missing_ok=True)
    for leftover in (staging, old):
        if leftover.exists():
            shutil.rmtree(leftover)
            _step()


def regular_file(path: str | os.PathLike) -> str:
    """Why ``path`` is not a regular file to read ("" when it is): a FIFO, a device or a folder is
    refused before it is opened, so that nothing waits for a writer that never comes."""
    try:
        mode = os.stat(path).st_mode
    except FileNotFoundError:
        return "does not exist"
    except OSError as err:
        return f"cannot be read ({err.strerror or err})"
    if stat.S_ISDIR(mode):
        return "is a folder, not a file"
    return "" if stat.S_ISREG(mode) else "is not a regular file (a FIFO, a device or a socket)"


def inside_study(path: str | os.PathLike) -> str:
    """The study folder ``path`` would land in ("" for none): a data package (a folder holding
    ``datapackage.json``) or a folder of numbered notebooks, at any depth above it."""
    for folder in Path(os.path.realpath(path)).parents:
        if (folder / "datapackage.json").exists():
            return f"the data package {folder}"
        if any(folder.glob("[0-9][0-9]_*.ipynb")):
            return f"the notebooks folder {folder}"
    return ""


def rows_in(path: str | os.PathLike) -> int:
    """The rows a user may have filled in a table or sheet: its CSV records after the header that
    are not blank (a cell with line breaks counts once); 0 for a missing, empty or irregular file."""
    try:
        content = b"" if regular_file(path) else Path(path).read_bytes()
    except OSError:
        return 0
    records = csv.reader(io.StringIO(content.decode("utf-8", errors="replace"), newline=""))
    return max(0, sum(1 for record in records if any(cell.strip() for cell in record)) - 1)


def holds_rows(path: str | os.PathLike) -> bool:
    """Whether ``path`` must not be written over without ``--replace``: it holds rows
    (:func:`rows_in`), or it is a folder, a FIFO, a symlink to nothing or unreadable."""
    if regular_file(path) or not os.access(path, os.R_OK):
        return os.path.lexists(path)
    return rows_in(path) > 0


def output_refused(path: str | os.PathLike, replace: bool) -> str:
    """Why a command must not write a new file to ``path`` the user named ("" when it may): a
    missing folder, a folder, a symlink, a place inside a study, or a file holding rows without
    ``replace``."""
    path = Path(path)
    if not path.parent.is_dir():
        return f"the folder {path.parent} does not exist"
    if path.is_dir():
        return "is a folder; name a file"
    if path.is_symlink():
        return "is a symlink; name the file itself"
    if study := inside_study(path):
        return f"is inside {study}; write it outside the study's data and notebooks"
    if holds_rows(path) and not replace:
        return "already holds rows (someone's work, perhaps); add --replace to overwrite it"
    return ""
