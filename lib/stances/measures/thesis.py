"""The thesis test: each part of the study's thesis against the states' coded positions, and its
robustness under named variants (each coding, codebook rules, thresholds, roll-up)."""

from __future__ import annotations

from dataclasses import dataclass
from itertools import product

import numpy as np
import pandas as pd

from stances.corpus.actors import authors, states
from stances.corpus.loader import Corpus
from stances.measures.pairs import _pair_row, alignment, verdict
from stances.measures.position import ALL_TOPICS, with_states
from stances.text.sentences import headline_end


def _pair_of(corpus: Corpus, part, level: str) -> tuple[str, str]:
    if level == "actor":
        return str(part.a), str(part.b)
    state = states(corpus.actors)
    return state.get(part.a, part.a), state.get(part.b, part.b)


def thesis_test(corpus: Corpus, n_boot: int = 2000, seed: int = 0, min_claims: int = 3,
                statements: pd.DataFrame | None = None, level: str = "state",
                alignments: pd.DataFrame | None = None) -> pd.DataFrame:
    """Each part of the study's thesis (``thesis.csv``) against the states' coded positions, by
    the verdict rule of METHOD.md §14; indexed by the part's words, in the order of ``thesis.csv``.

    For each part: its pair (as states, or as written with ``level="actor"``: persons kept apart
    from the states they speak for) and its topic (``"all"`` when the part names none), the sign
    it predicts, the pair's alignment there with its interval (zero counts and NaN values with no
    shared claim), the verdict, and who in the text states the part itself (its claim).
    ``statements`` replaces the first coding (the second coding, a filtered set);
    ``alignments``: ``alignment``'s table for the same arguments, when the caller has it already.
    """
    if alignments is None:
        alignments = alignment(corpus, level=level, n_boot=n_boot, seed=seed, statements=statements)
    coded = with_states(corpus, statements)
    rows = []
    for part in corpus.study.parts.itertuples(index=False):
        sign = -1 if part.expected == "disagree" else 1
        a, b = _pair_of(corpus, part, level)
        # the parts' pairs come from thesis.csv, whose actors the loader checks
        row = _pair_row(alignments, a, b, ALL_TOPICS if pd.isna(part.topic) else str(part.topic))
        claim = None if pd.isna(part.claim_id) else part.claim_id
        asserted = coded[(coded["claim_id"] == claim) & (coded["value"] > 0)]["speaker"]
        rows.append({"thesis": part.part, "pair": f"{a}–{b}", "topic": row["topic"],
                     "expected": str(part.expected),
                     "shared_claims": int(row["shared_claims"]), "agree": int(row["agree"]),
                     "disagree": int(row["disagree"]), "alignment": row["alignment"],
                     "low": row["low"], "high": row["high"],
                     "verdict": verdict(row, sign, min_claims),
                     "stated_by": ", ".join(sorted(set(asserted))) or "nobody",
                     "times_stated": len(asserted)})
    columns = ["thesis", "pair", "topic", "expected", "shared_claims", "agree", "disagree", "alignment",
               "low", "high", "verdict", "stated_by", "times_stated"]
    return pd.DataFrame(rows, columns=columns).set_index("thesis")


@dataclass(frozen=True, eq=False)  # holds DataFrames: compared by identity
class Variant:
    """One defensible way to read the coded data: which statements, at which level, which bar."""

    name: str
    statements: pd.DataFrame | None = None  # None: the first coding (``statements``)
    level: str = "state"
    min_claims: int = 3
    describes: str = ""
    author_out: bool = False


def headline_units(corpus: Corpus, statements: pd.DataFrame) -> pd.Series:
    """True for statements inside a document's headline and subheading (its opening sentences
    without a final stop, ``stances.text.sentences.headline_end``): the units a stricter reading
    of aims and purposes leaves out."""
    ends = {doc_id: headline_end(corpus.text(doc_id)) for doc_id in statements["doc_id"].unique()}
    limit = statements["doc_id"].map(ends).astype("int64")
    return pd.Series(statements["start"].astype("int64").to_numpy() < limit.to_numpy(),
                     index=statements.index)


def variants(corpus: Corpus, min_claims: int = 3) -> list[Variant]:
    """The named variants under which the headline results are recomputed, baseline first.

    Each coding (the second one when the package has a ``reliability`` table); headline and
    subheading units left out (a stricter codebook rule on aims and purposes); targets cleared
    (no headline measure reads ``target``, so a rule on targets cannot move one, and this
    variant shows it); the thin-data threshold one claim lower and one higher; persons kept
    apart from the states they speak for; the author's own assertions left out.
    """
    first = corpus.statements
    found = [Variant("first coding", None, min_claims=min_claims,
                     describes="the first coding, as published")]
    codings = [("first coding", first)]
    if "reliability" in corpus.tables:
        second = corpus.reliability
        codings.append(("second coding", second))
        found.append(Variant("second coding", second, min_claims=min_claims,
                             describes="the blind second coding"))
    for label, coded in codings:
        found.append(Variant(f"{label}, headline units out", coded[~headline_units(corpus, coded)],
                             min_claims=min_claims,
                             describes=f"{label} without units in the headline or subheading"))
    found += [
        Variant("targets cleared", first.assign(target=pd.NA).astype({"target": "string"}),
                min_claims=min_claims, describes="first coding with every target left empty"),
        Variant(f"threshold {min_claims - 1} claims", None, min_claims=min_claims - 1,
                describes=f"a verdict needs {min_claims - 1} shared claims"),
        Variant(f"threshold {min_claims + 1} claims", None, min_claims=min_claims + 1,
                describes=f"a verdict needs {min_claims + 1} shared claims"),
        Variant("persons kept apart", None, level="actor", min_claims=min_claims,
                describes="persons are not rolled up to the states they speak for"),
        Variant("author assertions out", first[~first["speaker"].isin(authors(corpus.actors))],
                min_claims=min_claims, describes="the author's own assertions left out", author_out=True),
    ]
    return found


def describe_variants(corpus: Corpus, min_claims: int = 3) -> pd.DataFrame:
    """The variants as a table: what each changes, its statements and their coders, level, bar."""
    rows = []
    for variant in variants(corpus, min_claims):
        coded = corpus.statements if variant.statements is None else variant.statements
        rows.append({"variant": variant.name, "describes": variant.describes, "statements": len(coded),
                     "coders": ", ".join(sorted(set(coded["coder"].dropna()))),
                     "level": variant.level, "min_claims": variant.min_claims})
    return pd.DataFrame(rows).set_index("variant")


def robustness(corpus: Corpus, n_boot: int = 2000, seed: int = 0, min_claims: int = 3) -> pd.DataFrame:
    """The thesis verdicts under every named variant (``variants``), the baseline first.

    Index: the parts of the thesis; one column per variant; values: verdict strings.
    """
    columns = {}
    for variant in variants(corpus, min_claims):
        columns[variant.name] = thesis_test(corpus, n_boot=n_boot, seed=seed, min_claims=variant.min_claims,
                                            statements=variant.statements, level=variant.level)["verdict"]
    return pd.DataFrame(columns)


DETAIL_COLUMNS = ["finding", "variant", "value", "shared_claims"]


def robustness_details(corpus: Corpus, n_boot: int = 2000, seed: int = 0, min_claims: int = 3
                       ) -> pd.DataFrame:
    """The headline results under every variant, as a long table (``finding``, ``variant``,
    ``value``, ``shared_claims``), in the order of ``variants``.

    Findings: each part's verdict; the alignment of each pair the thesis names on each topic and
    on all together (NaN with no shared claim); the author's share of the statements on each
    topic (left out under a variant that removes the author, where it would be 0 by design).
    """
    parts = corpus.study.parts
    topics = [*corpus.study.topics, ALL_TOPICS]
    rows = []
    for variant in variants(corpus, min_claims):
        alignments = alignment(corpus, level=variant.level, n_boot=n_boot, seed=seed,
                               statements=variant.statements)
        tested = thesis_test(corpus, n_boot=n_boot, seed=seed, min_claims=variant.min_claims,
                             statements=variant.statements, level=variant.level, alignments=alignments)
        for part, row in tested.iterrows():
            rows.append((f"verdict: {part}", variant.name, row["verdict"], row["shared_claims"]))
        pairs = dict.fromkeys(tuple(sorted(_pair_of(corpus, p, variant.level)))
                              for p in parts.itertuples(index=False))
        for (a, b), topic in product(pairs, topics):
            row = _pair_row(alignments, a, b, topic)
            rows.append((f"alignment: {a}–{b}, {topic}", variant.name,
                         round(float(row["alignment"]), 3), int(row["shared_claims"])))
        if not variant.author_out:
            coded = with_states(corpus, variant.statements)
            share = coded["speaker"].isin(authors(corpus.actors)).groupby(coded["topic"]).mean()
            for topic in corpus.study.topics:
                rows.append((f"author share: {topic}", variant.name,
                             round(float(share.get(topic, float("nan"))), 3), pd.NA))
    details = pd.DataFrame(rows, columns=DETAIL_COLUMNS)
    # a pair that shares no claim on a topic under any variant is no finding
    empty = details.groupby("finding", sort=False)["value"].transform(
        lambda values: values.map(lambda v: isinstance(v, float) and np.isnan(v)).all())
    return details[~empty.astype(bool)].reset_index(drop=True)


def robustness_grid(details: pd.DataFrame) -> pd.DataFrame:
    """``robustness_details`` as a table finding x variant, both in their computed order."""
    grid = details.pivot(index="finding", columns="variant", values="value")
    return grid.reindex(index=details["finding"].unique(), columns=details["variant"].unique())


def _same(a, b) -> bool:
    if isinstance(a, float) and isinstance(b, float):
        return (np.isnan(a) and np.isnan(b)) or a == b
    return a == b


def robustness_summary(details: pd.DataFrame) -> pd.DataFrame:
    """Per finding: its baseline value, whether every variant gives the same, and which do not."""
    baseline = details["variant"].iloc[0]
    rows = []
    for finding, group in details.groupby("finding", sort=False):
        base = group.loc[group["variant"] == baseline, "value"].iloc[0]
        differ = [v for v, x in zip(group["variant"], group["value"], strict=True) if not _same(x, base)]
        numbers = [x for x in group["value"] if isinstance(x, float) and not np.isnan(x)]
        rows.append({"finding": finding, "baseline": base, "holds": not differ,
                     "variants": len(group), "differs_under": "; ".join(differ),
                     "lowest": min(numbers) if numbers else np.nan,
                     "highest": max(numbers) if numbers else np.nan})
    return pd.DataFrame(rows).set_index("finding")
