"""One document's text, read through ``documents.csv`` and the text file alone.

For the coding commands (``locate``, ``sentences``, ``suggest``, ``code``): they must work while a
study is being built, before a descriptor exists and whatever state the other tables are in.
The document's row still has to point inside ``sources/`` and its text still has to match its
sha256 (offsets coded against another version of the text would be wrong).
"""

from __future__ import annotations

from pathlib import Path

from stances.corpus.csvtable import Rows, read_csv
from stances.corpus.files import file_bytes, source_text

DOCUMENTS = "documents.csv"


class DocumentError(ValueError):
    """documents.csv or the text it names cannot be used; the message says where and why."""


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
    missing = [c for c in ("doc_id", "path", "sha256") if c not in rows]
    if missing:
        raise DocumentError(f"{data_dir / DOCUMENTS}:1: {missing[0]}: missing column")
    known = rows["doc_id"].to_pylist()
    if doc_id in known:
        i = known.index(doc_id)
        return int(rows.lines[i]), rows["path"][i].as_py(), rows["sha256"][i].as_py()
    if problems:  # its row may be the one that cannot be read
        raise DocumentError(str(problems[0]))
    shown = ", ".join(known[:20]) + (f" and {len(known) - 20} more" if len(known) > 20 else "")
    raise KeyError(f"no document {doc_id!r}; known: {shown or 'none'}")


def document_text(data_dir: str | Path, doc_id: str) -> str:
    """The text of ``doc_id``; ``KeyError`` for an unknown document, ``DocumentError`` for a row or
    file that cannot be used (path outside sources/, missing file, wrong sha256, not UTF-8)."""
    data_dir = Path(data_dir)
    line, path, sha256 = _row(data_dir, doc_id)
    text, column, why = source_text(data_dir, path, sha256)
    if text is None:
        raise DocumentError(f"{data_dir / DOCUMENTS}:{line}: {column}: {why}")
    return text
