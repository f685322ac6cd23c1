"""A document's text: its source file checked (inside ``sources/``, the sha256 ``documents.csv``
gives, UTF-8) by ``source_text``, for the loader (``read_sources``) and for ``document_text``.

``document_text`` reads ``documents.csv`` and the text file alone, for the coding commands
(``locate``, ``sentences``, ``suggest``, ``code``): they must work while a study is being built,
before a descriptor exists and whatever state the other tables are in.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from stances.corpus.csvtable import Rows, read_csv
from stances.corpus.paths import confine, file_bytes
from stances.errors import Problem, show

DOCUMENTS = "documents.csv"
SOURCE_COLUMNS = ("doc_id", "path", "sha256")  # what a document's text is read through


class DocumentError(ValueError):
    """documents.csv or the text it names cannot be used; the message says where and why."""


def source_text(data_dir: Path, path: str, sha256: str | None) -> tuple[str | None, str, str]:
    """The text of the source file ``path`` (inside ``data/sources/``, UTF-8, with the ``sha256``
    documents.csv gives; None: not checked), or None, the column of documents.csv at fault and why."""
    resolved, why = confine(data_dir, path, "sources")
    content, why = file_bytes(resolved) if resolved else (None, why)
    if content is None:
        return None, "path", f"source file {show(path)} {why}" if resolved else why
    actual = hashlib.sha256(content).hexdigest()
    if sha256 is not None and actual != sha256:  # offsets coded against another text would be wrong
        return None, "sha256", f"source file {show(path)} has sha256 {actual}, not {sha256 or '(none)'}"
    try:
        return content.decode("utf-8"), "", ""
    except UnicodeDecodeError as err:
        return None, "path", f"source file {show(path)} is not UTF-8 ({err.reason} at byte {err.start})"


def read_sources(corpus) -> list[Problem]:
    """Check each document's source file (``corpus``: the ``checks.Parsed`` of the tables read)
    and keep in ``corpus.texts`` the texts that could be read."""
    rows, problems = corpus.raws.get("documents"), []
    if rows is None or not set(SOURCE_COLUMNS) <= set(rows.header):
        return problems
    shown = corpus.shown["documents"]
    columns = (rows[c].to_pylist() for c in SOURCE_COLUMNS)
    for line, doc_id, path, digest in zip(rows.lines.tolist(), *columns, strict=True):
        if not path:
            continue  # reported as a missing required value
        text, column, why = source_text(corpus.data_dir, path, digest or None)  # empty: the required check
        if text is None:
            problems.append(Problem(shown, line, column, why, "source"))
        else:
            corpus.texts[doc_id] = text
    return problems


def _documents(data_dir: Path) -> tuple[Rows | None, list]:
    """documents.csv read by the corpus's CSV reader (None when it cannot be) and its problems."""
    path = data_dir / DOCUMENTS
    content, why = file_bytes(path)
    return read_csv(content, str(path)) if content is not None else (None, [f"{path}: {why}"])


def document_ids(data_dir: str | Path) -> list[str]:
    """The ``doc_id`` of every row of ``documents.csv``, in file order (none for a file that cannot
    be read: the commands that need a text report that themselves)."""
    rows, _ = _documents(Path(data_dir))
    return rows["doc_id"].to_pylist() if rows is not None and "doc_id" in rows else []


def _row(data_dir: Path, doc_id: str) -> tuple[int, str, str]:
    """The file line, path and sha256 of ``doc_id``'s row."""
    rows, problems = _documents(data_dir)
    if rows is None:
        raise DocumentError(str(problems[0]))
    missing = [c for c in SOURCE_COLUMNS if c not in rows]
    if missing:
        raise DocumentError(f"{data_dir / DOCUMENTS}:1: {missing[0]}: missing column")
    known = rows["doc_id"].to_pylist()
    if doc_id in known:
        i = known.index(doc_id)
        return int(rows.lines[i]), rows["path"][i].as_py(), rows["sha256"][i].as_py()
    if problems:  # its row may be the one that cannot be read
        raise DocumentError(str(problems[0]))
    raise unknown_document(doc_id, known)


def unknown_document(doc_id: str, known: list[str]) -> KeyError:
    """The error for a ``doc_id`` no row names: the first 20 known ones, and how many more."""
    shown = ", ".join(known[:20]) + (f" and {len(known) - 20} more" if len(known) > 20 else "")
    return KeyError(f"no document {doc_id!r}; known: {shown or 'none'}")


def document_text(data_dir: str | Path, doc_id: str) -> str:
    """The text of ``doc_id``; ``KeyError`` for an unknown document, ``DocumentError`` for a row or
    file that cannot be used (path outside sources/, missing file, wrong sha256, not UTF-8)."""
    data_dir = Path(data_dir)
    line, path, sha256 = _row(data_dir, doc_id)
    text, column, why = source_text(data_dir, path, sha256)
    if text is None:
        raise DocumentError(f"{data_dir / DOCUMENTS}:{line}: {column}: {why}")
    return text
