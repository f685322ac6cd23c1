"""Check the out-of-sample evaluation set: gold.csv against texts/ and sources.csv.

Standard library only. Run from anywhere:  python benchmarks/eval/check_gold.py
Prints "N units in M documents: ok", or one "file:line: column: message" line per
problem and exits 1.
"""
import csv
import hashlib
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
GOLD_COLUMNS = ["doc_id", "unit_id", "start", "end", "quote", "speaker", "attribution", "note"]
SOURCE_COLUMNS = ["doc_id", "title", "outlet", "date", "url", "licence", "licence_url",
                  "retrieved", "sha256", "note"]
ATTRIBUTIONS = {"direct_quote", "reported_speech"}


def read_rows(path, columns, errors):
    """Rows of a CSV as (line number, dict); header problems go to errors."""
    name = path.relative_to(HERE.parent.parent) if HERE.parent.parent in path.parents else path
    try:
        with path.open(encoding="utf-8", newline="") as handle:
            reader = csv.reader(handle)
            header = next(reader, None)
            if header != columns:
                errors.append(f"{name}:1: header: expected {','.join(columns)}, got {header}")
                return name, []
            rows = []
            for row in reader:
                line = reader.line_num
                if len(row) != len(columns):
                    errors.append(f"{name}:{line}: row: {len(row)} fields, expected {len(columns)}")
                    continue
                rows.append((line, dict(zip(columns, row, strict=True))))
            return name, rows
    except (OSError, UnicodeDecodeError, csv.Error) as exc:
        errors.append(f"{name}:1: file: cannot read ({exc})")
        return name, []


def main():
    errors = []
    texts_dir = HERE / "texts"
    sources_name, sources = read_rows(HERE / "sources.csv", SOURCE_COLUMNS, errors)
    texts = {}
    for line, row in sources:
        doc = row["doc_id"]
        if doc in texts:
            errors.append(f"{sources_name}:{line}: doc_id: duplicate {doc!r}")
            continue
        path = texts_dir / f"{doc}.txt"
        try:
            data = path.read_bytes()
        except OSError:
            errors.append(f"{sources_name}:{line}: doc_id: no file texts/{doc}.txt")
            continue
        if hashlib.sha256(data).hexdigest() != row["sha256"]:
            errors.append(f"{sources_name}:{line}: sha256: does not match texts/{doc}.txt")
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            errors.append(f"{sources_name}:{line}: doc_id: texts/{doc}.txt is not UTF-8")
            continue
        if "\r" in text:
            errors.append(f"{sources_name}:{line}: doc_id: texts/{doc}.txt has CR line ends")
        for column in ("title", "outlet", "url", "licence", "licence_url", "retrieved"):
            if not row[column].strip() and not row["note"].strip():
                errors.append(f"{sources_name}:{line}: {column}: empty and no note says why")
        texts[doc] = text
    for path in sorted(texts_dir.glob("*.txt")):
        if path.stem not in texts:
            errors.append(f"{sources_name}:1: doc_id: texts/{path.name} has no row")

    gold_name, gold = read_rows(HERE / "gold.csv", GOLD_COLUMNS, errors)
    seen = set()
    docs = set()
    for line, row in gold:
        doc = row["doc_id"]
        key = (doc, row["unit_id"])
        if not row["unit_id"].strip():
            errors.append(f"{gold_name}:{line}: unit_id: empty")
        elif key in seen:
            errors.append(f"{gold_name}:{line}: unit_id: duplicate {row['unit_id']!r} in {doc}")
        seen.add(key)
        if row["attribution"] not in ATTRIBUTIONS:
            errors.append(f"{gold_name}:{line}: attribution: {row['attribution']!r} not one of "
                          f"{', '.join(sorted(ATTRIBUTIONS))}")
        if not row["speaker"].strip():
            errors.append(f"{gold_name}:{line}: speaker: empty")
        if doc not in texts:
            errors.append(f"{gold_name}:{line}: doc_id: {doc!r} not in sources.csv")
            continue
        docs.add(doc)
        try:
            start, end = int(row["start"]), int(row["end"])
        except ValueError:
            errors.append(f"{gold_name}:{line}: start: start and end must be integers")
            continue
        text = texts[doc]
        if not 0 <= start < end <= len(text):
            errors.append(f"{gold_name}:{line}: start: span {start}-{end} outside 0-{len(text)}")
        elif text[start:end] != row["quote"]:
            errors.append(f"{gold_name}:{line}: quote: is not text[{start}:{end}] "
                          f"({text[start:end][:40]!r}...)")
    for doc in texts:
        if doc not in docs:
            errors.append(f"{gold_name}:1: doc_id: no units for {doc!r}")
    if errors:
        print("\n".join(errors))
        return 1
    print(f"{len(gold)} units in {len(docs)} documents: ok")
    return 0


if __name__ == "__main__":
    sys.exit(main())
