"""Incremental report builds: what a build read, as content hashes, so that the next build
re-executes only the notebooks whose inputs changed, and skips everything when nothing did.

A notebook's key hashes its own bytes and everything every notebook may read: each file of the
data folder, each file of the installed library (code and templates), the Python version and
the versions of the packages that shape an executed notebook. The site's key adds every
notebook's key, the build's options and the files only the front page reads (the project's
README and METHOD). Keys are stored in ``<report>/.cache/build.json`` beside the executed
notebooks (``<report>/.cache/<stem>.ipynb``), which the next build reuses, as jupyter-cache
does, when a notebook's key is the same. The module imports only the standard library, so the
command line can tell that a report is up to date before it loads anything heavy.

``.stances-report`` lists every file a build wrote (``write_manifest``): a later build replaces a
report folder only when it holds nothing else (``check_replaceable``).
"""

from __future__ import annotations

import hashlib
import json
import platform
from dataclasses import asdict, dataclass
from importlib import metadata
from pathlib import Path

from stances.corpus.paths import file_bytes

CACHE_DIR = ".cache"
MANIFEST = ".stances-report"  # every file a build wrote, one path a line
KEYS_FILE = "build.json"
LIBRARY = Path(__file__).resolve().parents[1]  # lib/stances
PACKAGES = ("ipykernel", "matplotlib", "mistune", "nbclient", "nbconvert", "nbformat", "networkx", "numpy",
            "pandas", "pyarrow")
FORMAT = 1  # bump when what a key covers changes


NOTEBOOK_GLOB = "[0-9][0-9]_*.ipynb"


@dataclass(frozen=True)
class Provenance:
    """What the build knows of itself: the code's version and the data's date (``""``: unknown)."""

    version: str = ""
    data_date: str = ""
    project_url: str = ""


def _tree(folder: Path, digest) -> None:
    """Feed every file under ``folder`` (its relative path, then its bytes) to ``digest``, in a
    fixed order; caches of Python and Jupyter are left out."""
    if not folder.is_dir():
        digest.update(b"\0absent\0")
        return
    for path in sorted(folder.rglob("*")):
        if path.is_dir() or "__pycache__" in path.parts or ".ipynb_checkpoints" in path.parts:
            continue
        digest.update(path.relative_to(folder).as_posix().encode() + b"\0")
        digest.update(path.read_bytes() if path.is_file() else b"\0unreadable\0")


def _versions() -> str:
    found = []
    for name in PACKAGES:
        try:
            found.append(f"{name}={metadata.version(name)}")
        except metadata.PackageNotFoundError:
            found.append(f"{name}=none")
    return f"python={platform.python_version()};" + ";".join(found)


def site_keys(notebooks_dir: Path, data_dir: Path | None, execute: bool, provenance: Provenance | None,
              readme: Path | None) -> dict:
    """``{"notebooks": {stem: key}, "site": key}`` for a ``build_report`` with these arguments (its
    defaults filled in as it does): the notebooks' keys, then the site's over them, the options
    and the files only the front page reads."""
    notebooks_dir = Path(notebooks_dir)
    root = notebooks_dir.resolve().parent
    data_dir = root / "data" if data_dir is None else Path(data_dir)
    readme = root / "README.md" if readme is None else Path(readme)
    shared = hashlib.sha256(f"format={FORMAT};{_versions()}".encode())
    _tree(data_dir, shared)
    _tree(LIBRARY, shared)
    notebooks = {}
    for source in sorted(notebooks_dir.glob(NOTEBOOK_GLOB)):
        own = shared.copy()
        content, why = file_bytes(source)  # a FIFO is refused, never waited on
        if content is None:
            raise OSError(f"{source} {why}")
        own.update(content)
        notebooks[source.stem] = own.hexdigest()
    options = {"execute": execute, "provenance": asdict(provenance or Provenance())}
    site = hashlib.sha256(json.dumps({"notebooks": notebooks, "options": options}, sort_keys=True).encode())
    for extra in (readme, root / "METHOD.md"):
        site.update(extra.as_posix().encode() + b"\0")
        site.update(extra.read_bytes() if extra.is_file() else b"\0absent\0")
    return {"notebooks": notebooks, "site": site.hexdigest()}


def stored(out_dir: Path) -> dict:
    """The keys of the build that wrote ``out_dir`` (empty if none, or unreadable)."""
    try:
        found = json.loads((Path(out_dir) / CACHE_DIR / KEYS_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return found if isinstance(found, dict) else {}


def _written(folder: Path) -> dict[str, str]:
    """sha256 of every file the build wrote under ``folder`` but the keys file, by relative path."""
    return {path.relative_to(folder).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
            for path in sorted(Path(folder).rglob("*"))
            if path.is_file() and not path.is_symlink() and path.name != KEYS_FILE}


def up_to_date(out_dir: Path, wanted: dict) -> bool:
    """True if ``out_dir`` holds a whole report built from exactly these inputs, every file of it
    as the build wrote it (a page edited or deleted by hand is rebuilt)."""
    found = stored(out_dir)
    if found.get("site") != wanted["site"] or not isinstance(found.get("files"), dict):
        return False
    try:
        return "index.html" in found["files"] and all(
            hashlib.sha256((Path(out_dir) / name).read_bytes()).hexdigest() == digest
            for name, digest in found["files"].items())
    except OSError:
        return False


def reusable(out_dir: Path, wanted: dict) -> dict[str, Path]:
    """``{stem: executed copy}`` for each notebook whose stored key matches ``wanted``."""
    previous = stored(out_dir).get("notebooks", {})
    found = {}
    for stem, key in wanted["notebooks"].items():
        copy = Path(out_dir) / CACHE_DIR / f"{stem}.ipynb"
        if isinstance(previous, dict) and previous.get(stem) == key and copy.is_file():
            found[stem] = copy
    return found


def store(staging: Path, wanted: dict, executed: dict[str, bytes]) -> None:
    """Store the keys, the executed notebooks (``{stem: file bytes}``) and the sha256 of every file
    written so far (the pages and downloads) in the new report."""
    folder = Path(staging) / CACHE_DIR
    folder.mkdir(exist_ok=True)
    for stem, content in executed.items():
        (folder / f"{stem}.ipynb").write_bytes(content)
    record = {**wanted, "files": _written(staging)}
    (folder / KEYS_FILE).write_text(json.dumps(record, indent=1, sort_keys=True) + "\n", encoding="utf-8")


def check_replaceable(out_dir: Path, notebooks_dir: Path, data_dir: Path) -> None:
    """Refuse an ``out_dir`` that the swap would wrongly delete or that would write into the
    inputs: one inside (or holding) the data or notebooks folder, a file, or a non-empty folder
    that is not a report (no ``index.html``)."""
    target = out_dir.resolve()
    for name, path in (("data", data_dir), ("notebooks", notebooks_dir)):
        inputs = path.resolve()
        if target == inputs or inputs in target.parents:
            raise ValueError(f"--out {out_dir} is inside the {name} folder {path}; the report is "
                             "written only outside the data and the notebooks")
        if target in inputs.parents:
            raise ValueError(f"--out {out_dir} holds {path}; the report folder is replaced as a whole")
    from stances.files import recover_folder

    recover_folder(out_dir)  # a build killed during its swap is finished or undone first
    if not out_dir.exists():
        return
    if not out_dir.is_dir() or out_dir.is_symlink():
        raise NotADirectoryError(f"--out {out_dir} is a file or a symlink, not a folder")
    unknown = _not_written_by_a_build(out_dir)
    if unknown:
        shown = ", ".join(unknown[:5]) + (f" and {len(unknown) - 5} more" if len(unknown) > 5 else "")
        raise ValueError(f"--out {out_dir} holds files no report build wrote ({shown}); the report folder "
                         "is replaced as a whole, so choose an empty or new folder (or move them out)")


def _not_written_by_a_build(out_dir: Path) -> list[str]:
    """The files (and links) in ``out_dir`` that its manifest does not list: all of them if none."""
    try:
        listed = set((out_dir / MANIFEST).read_text(encoding="utf-8").splitlines())
    except (OSError, UnicodeDecodeError):
        listed = set()
    found = sorted(str(path.relative_to(out_dir)) for path in out_dir.rglob("*")
                   if path.is_symlink() or not path.is_dir())
    return [path for path in found if path not in listed and path != MANIFEST]


def write_manifest(staging: Path) -> None:
    """List every file of the finished build in ``MANIFEST`` and make the folder readable by
    others (``mkdtemp`` creates it 0700)."""
    written = sorted(str(path.relative_to(staging)) for path in staging.rglob("*") if path.is_file())
    (staging / MANIFEST).write_text("".join(f"{path}\n" for path in written), encoding="utf-8")
    _readable_by_others(staging)


def _readable_by_others(folder: Path) -> None:
    """Folders 0755 and files 0644, as a web server or another user needs them (``mkdtemp``
    creates the staging folder 0700)."""
    folder.chmod(0o755)
    for path in folder.rglob("*"):
        if not path.is_symlink():
            path.chmod(0o755 if path.is_dir() else 0o644)
