"""How many of the hand-coded statements `python -m stances suggest` proposes, on this article.

A hand-coded unit is *found* when a suggested unit overlaps it by at least half of the shorter
span's characters (the unitizing rule of ``stances.measures.agreement``, min_overlap=0.5); each is
matched to the suggestion that overlaps it most (characters shared over the longer span). Per
attribution class of the hand coding: units, found, span recall, the stricter recall where the
suggestion also covers half of the longer of the two spans, the mean overlap of the found
(shared over the longer span: how close the suggested boundaries are), the share of found
units whose suggestion has the same attribution, and the speaker accuracy (the suggestion's
speaker guess equals the coder's speaker). Run: ``.venv/bin/python benchmarks/suggest_recall.py``.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pandas as pd

import stances
from stances.coding.suggest import suggest
from stances.measures.agreement import overlaps

DATA = Path(__file__).resolve().parents[1] / "data"
CLASSES = ["direct_quote", "reported_speech", "author_assertion", "implied_by_action"]


def measure(data_dir: Path = DATA) -> pd.DataFrame:
    corpus = stances.load(data_dir)
    found = []
    for doc_id in corpus.documents["doc_id"]:
        suggested = suggest(corpus.text(doc_id), corpus.actors).assign(doc_id=doc_id)
        coded = corpus.statements[corpus.statements["doc_id"] == doc_id].reset_index(drop=True)
        pairs = overlaps(coded, suggested, 0.5).sort_values(
            ["i", "overlap", "j"], ascending=[True, False, True]
        )
        best = pairs.drop_duplicates("i").set_index("i")
        for i, unit in coded.iterrows():
            hit = best.loc[i] if i in best.index else None
            guess = suggested.loc[int(hit["j"])] if hit is not None else None
            found.append(
                {
                    "attribution": unit["attribution"],
                    "found": hit is not None,
                    "overlap": float(hit["overlap"]) if hit is not None else None,
                    "same_attribution": guess is not None and guess["attribution"] == unit["attribution"],
                    "same_speaker": guess is not None and guess["speaker"] == unit["speaker"],
                }
            )
        suggested_count = len(suggested)
    table = pd.DataFrame(found)
    rows = {}
    speech = table[table["attribution"].isin(CLASSES[:2])]
    groups = [
        *((c, table[table["attribution"] == c]) for c in CLASSES),
        ("quotation + reported speech", speech),
        ("all", table),
    ]
    for name, group in groups:
        if group.empty:
            continue
        hits = group[group["found"]]
        rows[name] = {
            "units": len(group),
            "found": len(hits),
            "recall": round(len(hits) / len(group), 3),
            "recall (half of the longer span)": round((hits["overlap"] >= 0.5).sum() / len(group), 3),
            "mean overlap": round(hits["overlap"].mean(), 3),
            "same attribution": round(hits["same_attribution"].mean(), 3),
            "speaker accuracy": round(hits["same_speaker"].mean(), 3),
        }
    result = pd.DataFrame(rows).T
    result.attrs["suggested"] = suggested_count
    return result


def markdown(table: pd.DataFrame) -> str:
    head = "| hand-coded attribution | " + " | ".join(table.columns) + " |"
    lines = [head, "|---" * (len(table.columns) + 1) + "|"]
    for name, row in table.iterrows():
        cells = [str(int(v)) if k in ("units", "found") else f"{v:.3f}" for k, v in row.items()]
        lines.append(f"| {name} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


if __name__ == "__main__":
    result = measure(Path(sys.argv[1]) if len(sys.argv) > 1 else DATA)
    print(markdown(result))
    print(f"\n{result.attrs['suggested']} suggested units")
