"""The suggester out of sample: `suggest` on the six news texts of ``benchmarks/eval/`` (coded by
an independent coder, ``benchmarks/eval/README.md``), beside the same measures on this project's
own article (in sample: the rules were written while reading it).

Per hand-coded attribution unit (quotation and reported speech; the eval set codes no other):

* *recall*: a suggestion overlaps the unit by at least half of the longer of the two spans
  (characters shared / the longer span's length >= 0.5); the unit's match is the suggestion
  that overlaps it most;
* *speaker*: of the units found, the share whose match names the coder's speaker;
* *attribution*: of the units found, the share whose match has the coder's attribution
  (``direct_quote`` or ``reported_speech``).

The actors the suggester is given are a coder's list: for the eval set, one actor per speaker
name of ``gold.csv`` (id from the name; a person when the name is two to four words with no word
of an organisation's name, so that the surname alone also names them; no other aliases); for the
article, its ``actors.csv``. The last rows give the suggester no list: it proposes the actors
itself from each text (a study with none yet), and its speakers are compared by name. Joint
speakers (one span coded twice) count as two units, and the suggester names one speaker per
span, so at most one of them can be right.

The eval texts are split in two halves, fixed before any rule was revised after seeing the set:
``dev`` (the suggester's rules were revised after reading its misses there) and ``held out``
(never read for misses). Run: ``.venv/bin/python benchmarks/suggest_eval.py``.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

import stances
from stances.coding.actors import _ORGANISATION, _slug, propose_actors
from stances.coding.suggest import suggest

ROOT = Path(__file__).resolve().parents[1]
EVAL = ROOT / "benchmarks" / "eval"
DEV = ("voa_annan_difficult_year_2005", "wn_sacoolas_immunity_2019", "wn_trump_emergency_2019")
HELD_OUT = ("voa_iaea_iran_2009", "wn_cengiz_khashoggi_2019", "wn_face_coverings_2020")
CLASSES = ("direct_quote", "reported_speech")


def eval_actors(names) -> pd.DataFrame:
    """An actors table with one row per speaker name (see the module docstring)."""
    rows = []
    for name in sorted(set(names)):
        person = 2 <= len(name.split()) <= 4 and not _ORGANISATION.search(name)
        rows.append({"actor_id": _slug(name), "name": name, "kind": "person" if person else "organization",
                     "aliases": pd.NA, "label": name})
    return pd.DataFrame(rows).astype({"aliases": "string"})


def score(units: pd.DataFrame, suggested: pd.DataFrame) -> pd.DataFrame:
    """One row per unit of ``units`` (doc_id, start, end, speaker, attribution): found, and whether
    its match has the same speaker and attribution. ``suggested`` has the same columns."""
    rows = []
    for unit in units.itertuples(index=False):
        candidates = suggested[suggested["doc_id"] == unit.doc_id]
        shared = candidates["end"].clip(upper=unit.end) - candidates["start"].clip(lower=unit.start)
        shared = shared.clip(lower=0)
        longer = pd.concat([candidates["end"] - candidates["start"],
                            pd.Series(unit.end - unit.start, index=candidates.index)], axis=1).max(axis=1)
        overlap = shared / longer
        best = overlap.idxmax() if len(overlap) and overlap.max() > 0 else None
        found = best is not None and overlap[best] >= 0.5
        match = candidates.loc[best] if found else None
        rows.append({"attribution": unit.attribution, "found": found,
                     "speaker": found and match["speaker"] == unit.speaker,
                     "same_attribution": found and match["attribution"] == unit.attribution})
    return pd.DataFrame(rows)


def summary(scored: pd.DataFrame) -> dict[str, dict]:
    groups = {c: scored[scored["attribution"] == c] for c in CLASSES}
    groups["quotation + reported speech"] = scored
    result = {}
    for name, group in groups.items():
        hits = group[group["found"]]
        result[name] = {"units": len(group), "recall": len(hits) / len(group) if len(group) else float("nan"),
                        "speaker": hits["speaker"].mean() if len(hits) else float("nan"),
                        "attribution": hits["same_attribution"].mean() if len(hits) else float("nan")}
    return result


def eval_set(doc_ids, proposed: bool = False) -> pd.DataFrame:
    """The units of ``doc_ids`` scored; with ``proposed``, each text's actors are the ones the
    suggester proposes for it (``stances.coding.actors``), as in a study with no actors yet."""
    gold = pd.read_csv(EVAL / "gold.csv", dtype={"doc_id": str, "speaker": str})
    gold = gold[gold["doc_id"].isin(doc_ids)]
    suggested = []
    for doc_id in doc_ids:
        text = (EVAL / "texts" / f"{doc_id}.txt").read_text(encoding="utf-8")
        actors = propose_actors(text).drop(columns="evidence") if proposed else eval_actors(gold["speaker"])
        names = dict(zip(actors["actor_id"], actors["name"], strict=True))
        table = suggest(text, actors.astype({"aliases": "string"})).assign(doc_id=doc_id)
        table["speaker"] = table["speaker"].map(lambda s, names=names: names.get(s, s))
        suggested.append(table)
    return score(gold, pd.concat(suggested, ignore_index=True))


def in_sample() -> pd.DataFrame:
    corpus = stances.load(ROOT / "data")
    units = corpus.statements[corpus.statements["attribution"].isin(CLASSES)]
    suggested = pd.concat([suggest(corpus.text(d), corpus.actors).assign(doc_id=d)
                           for d in corpus.documents["doc_id"]], ignore_index=True)
    return score(units, suggested)


def measure() -> dict[str, dict[str, dict]]:
    return {"in sample (the article)": summary(in_sample()),
            "out of sample: dev": summary(eval_set(DEV)),
            "out of sample: held out": summary(eval_set(HELD_OUT)),
            "out of sample: all six": summary(eval_set(DEV + HELD_OUT)),
            "all six, actors proposed by suggest": summary(eval_set(DEV + HELD_OUT, proposed=True))}


def markdown(measured: dict[str, dict[str, dict]]) -> str:
    lines = ["| texts | hand-coded attribution | units | recall | speaker | attribution |",
             "|---|---|---|---|---|---|"]
    for texts, table in measured.items():
        for name, row in table.items():
            cells = [f"{row[k]:.3f}" if row[k] == row[k] else "–"  # NaN: no unit found
                     for k in ("recall", "speaker", "attribution")]
            lines.append(f"| {texts} | {name} | {row['units']} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


if __name__ == "__main__":
    print(markdown(measure()))
