"""The fact-check as tables to read: verdicts with their evidence, ratings per unit, the
first and the blind second check side by side, their agreement, and the claim-detection
units per sentence. Reads the ``factchecks``, ``factcheck_evidence``, ``checkworthiness``,
``factcheck_reliability`` and ``factcheck_reliability_evidence`` tables."""

from __future__ import annotations

import pandas as pd

from stances.corpus.loader import Corpus
from stances.measures.agreement import alpha_with_interval
from stances.text.sentences import sentences

RATING_VALUES = {"accurate": 4, "imprecise": 3, "misleading": 2, "wrong": 1}
"""The default numeric scale for ClaimReview ``ratingValue`` (best 4, worst 1). A rating not in
the scale (such as ``unverifiable``) is published with ``alternateName`` only, no number."""

CHECKS, _EVIDENCE = "factchecks", "factcheck_evidence"


def fact_checks(corpus: Corpus, doc_id: str) -> pd.DataFrame:
    """The fact-check verdicts on ``doc_id`` joined with their evidence: one row per (check,
    evidence item), in check order; a check without evidence keeps one row with empty evidence
    columns. Reads the ``factchecks`` and ``factcheck_evidence`` tables of the corpus."""
    checks = corpus.tables[CHECKS]
    checks = checks[checks["doc_id"] == doc_id]
    evidence = corpus.tables[_EVIDENCE]
    joined = checks.merge(evidence, on="check_id", how="left", validate="one_to_many")
    return joined.sort_values(["start", "check_id", "evidence_id"], kind="stable",
                              ignore_index=True)


# --------------------------------------------------------------------------- the second check

_SECOND, _SECOND_EVIDENCE = "factcheck_reliability", "factcheck_reliability_evidence"


def unit_ratings(checks: pd.DataFrame, scale: dict[str, int] = RATING_VALUES) -> pd.Series:
    """One rating per rated unit (``unit_id``), from a table of checks with ``rating``.

    A unit checked more than once (a quotation's wording and its date, say) takes the worst
    rating on ``scale`` among its checks, as the rating rules say ("the worst answer sets the
    rating"); a rating off the scale (``unverifiable``) counts only when every check of the
    unit has it. Units keep the order of their first check.
    """
    rank = checks["rating"].astype("string").map(scale).astype("float64")
    ranked = checks.assign(_rank=rank.fillna(float("inf")))
    worst = ranked.sort_values("_rank", kind="stable").drop_duplicates("unit_id").set_index("unit_id")
    return worst["rating"].astype("string").reindex(checks["unit_id"].drop_duplicates())


def compare_ratings(corpus: Corpus, scale: dict[str, int] = RATING_VALUES,
                    first_column: str = "rating") -> pd.DataFrame:
    """The first and the blind second fact-check side by side, one row per unit both rated:
    ``quote``, ``first``, ``second``, ``agree``, and each side's explanation and evidence
    excerpts (joined, one per line). Reads ``factchecks``/``factcheck_evidence`` (first) and
    ``factcheck_reliability``/``factcheck_reliability_evidence`` (second). ``first_column`` names
    the factchecks column that holds the first side's rating: the published ``rating`` or, to compare
    the checks as they were before adjudication, ``first_rating``."""
    second = corpus.tables[_SECOND].set_index("unit_id")
    first_checks = corpus.tables[CHECKS]
    first_checks = first_checks[first_checks["unit_id"].isin(second.index)]
    first = unit_ratings(first_checks.assign(rating=first_checks[first_column]), scale)
    evidence_1 = first_checks[["check_id", "unit_id"]].merge(corpus.tables[_EVIDENCE], on="check_id")
    explanations_1 = first_checks.groupby("unit_id", sort=False)["explanation"].agg(" / ".join)
    table = pd.DataFrame({
        "quote": first_checks.drop_duplicates("unit_id").set_index("unit_id")["quote"],
        "first": first,
        "second": second["rating"].astype("string").reindex(first.index),
    })
    table["agree"] = table["first"] == table["second"]
    return table.assign(
        first_explanation=explanations_1.reindex(table.index),
        first_evidence=_excerpts(evidence_1).reindex(table.index),
        second_explanation=second["explanation"].reindex(table.index),
        second_evidence=_excerpts(corpus.tables[_SECOND_EVIDENCE]).reindex(table.index),
    )


def _excerpts(evidence: pd.DataFrame) -> pd.Series:
    """Per unit: each source's name and excerpt, one per line (a row missing either is skipped)."""
    lines = evidence["source_name"].astype("string") + ": " + evidence["excerpt"].astype("string")
    return lines.groupby(evidence["unit_id"], sort=False).agg(lambda s: "\n".join(s.dropna()))


# --------------------------------------------------------------------------- the story in tables

_CHECKWORTHINESS = "checkworthiness"
RATED_CATEGORIES = ("checkable_fact", "attributed_quotation", "forecast")
"""Claim-detection categories whose units are rated (CODEBOOK §11); the others are not."""


def checkworthiness_by_sentence(corpus: Corpus, doc_id: str) -> pd.DataFrame:
    """One row per sentence of ``doc_id`` (numbered from 1, as ``sentences`` splits them): the
    sentence, how many claim-detection units it holds in each category, ``units`` in all,
    ``rated`` (units of the rated categories) and ``covered`` (at least one unit). A sentence
    with no unit shows zeros, not a missing row."""
    split = sentences(corpus.text(doc_id))
    split.index = pd.RangeIndex(1, len(split) + 1, name="sentence")
    units = corpus.tables[_CHECKWORTHINESS]
    units = units[units["doc_id"] == doc_id]
    counts = pd.crosstab(units["sentence"].astype("int64"), units["category"].astype("string"))
    counts = counts.reindex(split.index, fill_value=0).reindex(
        columns=sorted(counts.columns, key=_category_order), fill_value=0)
    table = pd.concat([split[["sentence"]].rename(columns={"sentence": "text"}), counts], axis=1)
    table["units"] = counts.sum(axis=1)
    table["rated"] = counts[[c for c in counts.columns if c in RATED_CATEGORIES]].sum(axis=1)
    table["covered"] = table["units"] > 0
    table.columns.name = None
    return table


def _category_order(category: str) -> tuple[int, str]:
    order = [*RATED_CATEGORIES, "opinion_or_framing", "not_checkable"]
    return (order.index(category) if category in order else len(order), category)


def _scale_order(ratings, scale: dict[str, int]) -> list[str]:
    """Every rating of ``scale``, best first, then the off-scale ones among ``ratings`` (``unverifiable``)."""
    return sorted(scale, key=scale.get, reverse=True) + sorted(set(ratings) - set(scale))


def rating_counts(ratings: pd.Series, scale: dict[str, int] = RATING_VALUES) -> pd.Series:
    """How many units got each rating, best first on ``scale``, then the off-scale ratings
    (``unverifiable``); every rating of the scale is listed, with 0 when none has it."""
    labels = _scale_order(ratings.dropna().astype("string"), scale)
    counts = ratings.astype("string").value_counts().reindex(labels, fill_value=0)
    return counts.rename_axis("rating").rename("units")


def rating_crosstab(comparison: pd.DataFrame, scale: dict[str, int] = RATING_VALUES) -> pd.DataFrame:
    """First check (rows) against second check (columns), units counted, ratings in scale
    order (best first) and off-scale ratings last; the diagonal is agreement."""
    labels = _scale_order([*comparison["first"].dropna(), *comparison["second"].dropna()], scale)
    table = pd.crosstab(comparison["first"].astype("string"), comparison["second"].astype("string"))
    table = table.reindex(index=labels, columns=labels, fill_value=0)
    table.index.name, table.columns.name = "first check", "second check"
    return table


def rating_agreement(comparison: pd.DataFrame, scale: dict[str, int] = RATING_VALUES,
                     n_boot: int = 2000, seed: int = 0) -> pd.DataFrame:
    """Krippendorff's alpha between the two checks, with a 95% bootstrap interval, two ways.

    ``all units (nominal)``: every rating as a category. Nominal fits because an off-scale
    rating (``unverifiable``) is not a point of the ordered scale, so it has no distance to the
    others. ``both on the scale (ordinal)``: only the units both checks rated on the scale,
    with the scale's order, so a near miss counts less than a far one. Intervals are seeded
    percentile bootstraps over units. Columns: ``units``, ``agree``, ``alpha``, ``low``, ``high``.
    """
    first, second = comparison["first"].astype("string"), comparison["second"].astype("string")
    nominal = alpha_with_interval(first, second, n_boot=n_boot, seed=seed)
    on_scale = first.isin(list(scale)) & second.isin(list(scale))
    order = sorted(scale, key=scale.get)
    ordinal = alpha_with_interval(first[on_scale], second[on_scale], n_boot=n_boot, seed=seed, values=order)
    rows = {
        "all units (nominal)": (len(first), int((first == second).sum()), nominal["alpha"],
                                nominal["low"], nominal["high"]),
        "both on the scale (ordinal)": (int(on_scale.sum()), int((first[on_scale] == second[on_scale]).sum()),
                                        ordinal["alpha"], ordinal["low"], ordinal["high"]),
    }
    table = pd.DataFrame.from_dict(rows, orient="index",
                                   columns=["units", "agree", "alpha", "low", "high"])
    return table.round({"alpha": 3, "low": 3, "high": 3})


def adjudication_agreement(corpus: Corpus, scale: dict[str, int] = RATING_VALUES,
                           n_boot: int = 2000, seed: int = 0) -> pd.DataFrame:
    """Agreement before and after adjudication, on the units both checks rated: the first check
    (``first_rating``, as its checker rated) against the second, then each of them against the
    published ratings (``rating``, adjudicated where the checks differed). One row each, with the
    columns of :func:`rating_agreement` for its nominal and ordinal alpha (``level`` says which)."""
    before = compare_ratings(corpus, scale, first_column="first_rating")
    published = compare_ratings(corpus, scale)["first"]
    pairs = {
        "first vs second (before adjudication)": before[["first", "second"]],
        "first vs published": pd.DataFrame({"first": before["first"], "second": published}),
        "second vs published": pd.DataFrame({"first": before["second"], "second": published}),
    }
    tables = [rating_agreement(pair, scale, n_boot=n_boot, seed=seed).rename_axis("level")
              .reset_index().assign(comparison=name) for name, pair in pairs.items()]
    return pd.concat(tables).set_index(["comparison", "level"])


def rating_disagreements(comparison: pd.DataFrame, scale: dict[str, int] = RATING_VALUES) -> pd.DataFrame:
    """The units the two checks rated differently, each side's rating, explanation and
    evidence next to each other (the output of :func:`compare_ratings`, filtered), with
    ``steps``: how far apart the two ratings are on ``scale`` (<NA> when one is off it)."""
    columns = ["quote", "first", "second", "steps", "first_explanation", "first_evidence",
               "second_explanation", "second_evidence"]
    steps = (comparison["first"].astype("string").map(scale).astype("Int64")
             - comparison["second"].astype("string").map(scale).astype("Int64")).abs()
    return comparison.assign(steps=steps).loc[~comparison["agree"].astype(bool), columns]
