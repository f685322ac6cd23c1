"""One document's text, read through ``documents.csv`` and the text file alone.

For the coding commands (``locate``, ``sentences``, ``suggest``, ``code``): they must work while a
study is being built, before a descriptor exists and whatever state the other tables are in.
The document's row still has to point inside ``sources/`` and its text still has to match its
sha256 (offsets coded against another version of the text would be wrong).
"""

from __future__ import annotations

import csv
from pathlib import Path

from stances.corpus.files import source_text

DOCUMENTS = "documents.csv"


class DocumentError(ValueError):
    """documents.csv or the text it names cannot be used; the message says where and why."""


def document_ids(data_dir: str | Path) -> list[str]:
    """The ``doc_id`` of every row of ``documents.csv``, in file order (none for a file that cannot
    be read: the commands that need a text report that themselves)."""
    try:
        with (Path(data_dir) / DOCUMENTS).open(encoding="utf-8", newline="") as handle:
            return [row.get("doc_id") or "" for row in csv.DictReader(handle)]
    except (OSError, UnicodeDecodeError, csv.Error):
        return []


def _row(data_dir: Path, doc_id: str) -> tuple[int, dict[str, str]]:
    path = data_dir / DOCUMENTS
    try:
        with path.open(encoding="utf-8", newline="") as handle:
            reader = csv.DictReader(handle)
            missing = [c for c in ("doc_id", "path", "sha256") if c not in (reader.fieldnames or [])]
            if missing:
                raise DocumentError(f"{path}:1: {missing[0]}: missing column")
            known, line = [], reader.line_num
            for row in reader:
                if row["doc_id"] == doc_id:
                    return line + 1, row
                known.append(row["doc_id"])
                line = reader.line_num
    except (OSError, UnicodeDecodeError, csv.Error) as err:
        raise DocumentError(f"{path}: cannot be read ({getattr(err, 'strerror', None) or err})") from None
    shown = ", ".join(known[:20]) + (f" and {len(known) - 20} more" if len(known) > 20 else "")
    raise KeyError(f"no document {doc_id!r}; known: {shown or 'none'}")


def document_text(data_dir: str | Path, doc_id: str) -> str:
    """The text of ``doc_id``; ``KeyError`` for an unknown document, ``DocumentError`` for a row or
    file that cannot be used (path outside sources/, missing file, wrong sha256, not UTF-8)."""
    data_dir = Path(data_dir)
    line, row = _row(data_dir, doc_id)
    text, column, why = source_text(data_dir, row["path"] or "", row["sha256"] or "")
    if text is None:
        raise DocumentError(f"{data_dir / DOCUMENTS}:{line}: {column}: {why}")
    return text
