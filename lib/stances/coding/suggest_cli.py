"""``python -m stances suggest``: the candidate units of one document (or of every document of a
folder) written as a coding sheet, and the actors the text names proposed while the study has
none."""

from __future__ import annotations

import sys

import pandas as pd

from stances.coding.suggest import suggest


def sheet_rows(text: str, table: pd.DataFrame) -> list[list[str]]:
    """The candidates as coding-sheet rows (``occurrence`` filled where the quote recurs)."""
    from stances.text.anchor import find_all

    rows = []
    for row in table.itertuples(index=False):
        matches = find_all(text, row.quote)
        occurrence = (
            ""
            if len(matches) == 1
            else str(next(i for i, m in enumerate(matches, 1) if m.start == row.start))
        )
        rows.append([row.speaker, "", "", row.attribution, row.quote, occurrence, "", "", row.note])
    return rows


def suggest_command(args) -> int:
    from pathlib import Path

    from stances.coding.actors import propose_actors
    from stances.coding.sheet import SHEET_COLUMNS, _rows_in, _text_or_error, print_csv, write_table

    text = _text_or_error(args.data_dir, args.doc_id)
    if text is None:
        return 1
    try:
        actors = pd.read_csv(
            Path(args.data_dir) / "actors.csv", dtype="string", keep_default_na=False, na_values=[""]
        )
        missing = {"actor_id", "name", "kind", "aliases"} - set(actors.columns)
        if missing:
            raise ValueError(f"missing column(s) {', '.join(sorted(missing))}")
    except (OSError, ValueError, UnicodeDecodeError) as err:
        print(f"error: {Path(args.data_dir) / 'actors.csv'}: {err}", file=sys.stderr)
        return 1
    out = Path(args.out) if args.out else None
    proposed_path = out.with_name("actors-proposed.csv") if out else None
    proposed = None
    if (actors["actor_id"] != "author").sum() == 0:  # no actors yet: propose the speakers the text names
        proposed = propose_actors(text, actors)
        actors = pd.concat([actors, proposed.drop(columns="evidence").astype("string")], ignore_index=True)
    held = [p for p in (out, proposed_path if proposed is not None else None) if p and _rows_in(p)]
    if held and not args.replace:
        print(f"error: {', '.join(f'{p} holds {_rows_in(p)} row(s)' for p in held)}; add --replace to "
              "write over them", file=sys.stderr)
        return 1
    rows = sheet_rows(text, suggest(text, actors))
    if out is None:
        print_csv([SHEET_COLUMNS[:9], *rows])
        if proposed is not None:
            print(f"note: actors.csv names no actor yet; the speakers above are {len(proposed)} proposed "
                  "actors: give --out to write them to a sheet", file=sys.stderr)
        return 0
    write_table(out, SHEET_COLUMNS[:9], rows)
    if proposed is not None:
        write_table(proposed_path, list(proposed.columns), proposed.fillna("").values.tolist())
        print(f"{proposed_path}: {len(proposed)} proposed actor(s), actors.csv names none yet; correct or "
              f"delete rows, then `python -m stances add-actors {proposed_path} --data-dir {args.data_dir}`")
    print(
        f"{out}: {len(rows)} candidate unit(s); delete the rows that carry no position, fill in "
        "claim and stance, then `python -m stances code`"
    )
    return 0
