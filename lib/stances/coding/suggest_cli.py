"""``python -m stances suggest``: the candidate units of one document, or of every document of a
study (``--all``, with a progress bar), written as coding sheets; while the study names no actor
yet, the actors the text names are proposed in a sheet of their own.

Cost grows with the documents, not with the actors: the actors' names are compiled into one
matcher once per run (``stances.coding.matcher``), and each sheet's ``occurrence`` column is
found in one pass over its document rather than one search per candidate.
"""

from __future__ import annotations

import re
import sys
from collections import defaultdict
from pathlib import Path

import pandas as pd

from stances import files
from stances.coding.matcher import _trie, matcher
from stances.coding.sheet import SHEET_COLUMNS, read_sheet
from stances.coding.suggest import suggest
from stances.corpus.actors import authors


def occurrences(text: str, quotes: list[str], starts: list[int]) -> list[str]:
    """For each quote (at ``starts``), which occurrence of it in the text it is, 1-based, or ""
    when it occurs once: every exact occurrence counts, overlapping ones too, as
    ``stances.text.anchor.find_all`` counts them. Candidates are the places where the quote's
    first ``k`` characters occur (all found in one pass of one pattern; ``k``: the shortest
    quote's length, at most 16), each checked in full."""
    if not quotes:
        return []
    k = min(16, *(len(q) for q in quotes))
    pattern = re.compile(f"(?=({_trie(sorted({q[:k] for q in quotes}))}))", re.DOTALL)
    places: dict[str, list[int]] = defaultdict(list)
    for found in pattern.finditer(text):
        places[found.group(1)].append(found.start())
    result = []
    for quote, start in zip(quotes, starts, strict=True):
        hits = [p for p in places[quote[:k]] if text.startswith(quote, p)]
        result.append("" if len(hits) == 1 else str(hits.index(start) + 1))
    return result


def sheet_rows(text: str, table: pd.DataFrame) -> list[list[str]]:
    """The candidates as coding-sheet rows (``occurrence`` filled where the quote recurs)."""
    which = occurrences(text, table["quote"].tolist(), table["start"].tolist())
    return [[row.speaker, "", "", row.attribution, row.quote, occurrence, "", "", row.note]
            for row, occurrence in zip(table.itertuples(index=False), which, strict=True)]


def _actors(data_dir: str) -> pd.DataFrame | None:
    """The study's actors as text columns, actors.csv read as ``add-actors`` reads it."""
    path = Path(data_dir) / "actors.csv"
    try:
        header, records = read_sheet(path)
        missing = {"actor_id", "name", "kind", "aliases"} - set(header)
        if missing:
            raise ValueError(f"missing column(s) {', '.join(sorted(missing))}")
        if len(set(header)) < len(header):
            raise ValueError("a column is named twice")
        rows = [[cell or None for cell in record] + [None] * (len(header) - len(record))
                for _, record in records if record]
        return pd.DataFrame(rows, columns=header, dtype="string")  # ValueError: a row longer than the header
    except ValueError as err:  # SheetError is one too
        print(f"error: {path}: {err}", file=sys.stderr)
        return None


def _write(path: Path, header: list[str], rows: list[list[str]]) -> bool:
    try:
        files.write_csv(path, header, rows)
    except files.WriteError as err:
        print(f"error: {err}", file=sys.stderr)
        return False
    return True


def suggest_command(args) -> int:
    from stances.coding.actors import propose_actors
    from stances.coding.locate import print_csv, text_or_error

    if args.all or len(args.doc_id) > 1:
        return _suggest_documents(args)
    if len(args.doc_id) != 1:
        print("error: name a document (DOC_ID) or give --all", file=sys.stderr)
        return 1
    out = Path(args.out) if args.out else None
    refused = files.output_refused(out, args.replace) if out else ""
    if refused:
        print(f"error: --out {out}: {refused}", file=sys.stderr)
        return 1
    text = text_or_error(args.data_dir, args.doc_id[0])
    actors = _actors(args.data_dir) if text is not None else None
    if actors is None:
        return 1
    proposed_path = out.with_name("actors-proposed.csv") if out else None
    proposed = None
    if actors["actor_id"].isin(authors(actors)).all():  # no actors yet: propose the speakers the text names
        proposed = propose_actors(text, actors)
        actors = pd.concat([actors, proposed.drop(columns="evidence").astype("string")], ignore_index=True)
        refused = files.output_refused(proposed_path, args.replace) if proposed_path else ""
        if refused:
            print(f"error: {proposed_path}: {refused}", file=sys.stderr)
            return 1
    rows = sheet_rows(text, suggest(text, actors))
    if out is None:
        print_csv([SHEET_COLUMNS[:9], *rows])
        if proposed is not None:
            print(f"note: actors.csv names no actor yet; the speakers above are {len(proposed)} proposed "
                  "actors: give --out to write them to a sheet", file=sys.stderr)
        return 0
    if not _write(out, SHEET_COLUMNS[:9], rows):
        return 1
    if proposed is not None:
        if not _write(proposed_path, list(proposed.columns), proposed.fillna("").values.tolist()):
            return 1
        print(f"{proposed_path}: {len(proposed)} proposed actor(s), actors.csv names none yet; correct or "
              f"delete rows, then `python -m stances add-actors {proposed_path} --data-dir {args.data_dir}`")
    print(f"{out}: {len(rows)} candidate unit(s); delete the rows that carry no position, fill in "
          "claim and stance, then `python -m stances code`")
    return 0


def _suggest_documents(args) -> int:
    """One sheet per document, ``--out FOLDER/<doc_id>.csv``, the actors compiled once."""
    from tqdm import tqdm

    from stances.coding.locate import text_or_error
    from stances.corpus.documents import document_ids

    if args.all and args.doc_id:
        print("error: give DOC_IDs or --all, not both", file=sys.stderr)
        return 1
    if not args.out:
        print("error: several documents need --out FOLDER (one sheet per document in it)", file=sys.stderr)
        return 1
    doc_ids = document_ids(args.data_dir) if args.all else args.doc_id
    folder = Path(args.out)
    if folder.exists() and not folder.is_dir():
        print(f"error: --out {folder} is a file; several documents need a folder", file=sys.stderr)
        return 1
    study = files.inside_study(folder / "sheet.csv")
    if study:
        print(f"error: --out {folder} is inside {study}; write the sheets outside the study's data and "
              "notebooks", file=sys.stderr)
        return 1
    held = [folder / f"{d}.csv" for d in doc_ids if files.holds_rows(folder / f"{d}.csv")]
    if held and not args.replace:
        print(f"error: {held[0]} and {len(held) - 1} more hold rows; add --replace to write over them",
              file=sys.stderr)
        return 1
    actors = _actors(args.data_dir)
    if actors is None:
        return 1
    names, failed, units = matcher(actors), 0, 0
    folder.mkdir(parents=True, exist_ok=True)
    for doc_id in tqdm(doc_ids, desc="suggest", unit="doc", file=sys.stderr, disable=None):
        text = text_or_error(args.data_dir, doc_id)
        if text is None:
            failed += 1
            continue
        rows = sheet_rows(text, suggest(text, actors, names))
        if not _write(folder / f"{doc_id}.csv", SHEET_COLUMNS[:9], rows):
            return 1
        units += len(rows)
    print(f"{folder}: {len(doc_ids) - failed} sheet(s), {units} candidate unit(s)"
          + (f"; {failed} document(s) could not be read (above)" if failed else ""))
    return 1 if failed else 0
