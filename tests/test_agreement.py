"""Inter-coder agreement: Krippendorff's alpha against the `krippendorff` package, its
invariants, and unitizing on the real codings."""

from __future__ import annotations

import krippendorff
import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import stances
from stances import agreement

CODES = st.lists(st.tuples(st.integers(0, 3), st.integers(0, 3)), min_size=2, max_size=60)


def _has_variation(pairs) -> bool:
    return len({v for pair in pairs for v in pair}) > 1


@settings(derandomize=True, max_examples=200, deadline=None)
@given(CODES)
def test_alpha_matches_the_krippendorff_package(pairs):
    first, second = zip(*pairs, strict=True)
    ours = agreement.alpha_nominal(first, second)
    if not _has_variation(pairs):
        assert np.isnan(ours)  # alpha is undefined without variation
        return
    theirs = krippendorff.alpha(reliability_data=np.array([first, second], dtype=float),
                                level_of_measurement="nominal")
    assert ours == pytest.approx(theirs, abs=1e-9)


@settings(derandomize=True, max_examples=100, deadline=None)
@given(CODES, st.data())
def test_alpha_with_missing_values_matches_the_package(pairs, data):
    first, second = (np.array(side, dtype=float) for side in zip(*pairs, strict=True))
    holes = data.draw(st.lists(st.booleans(), min_size=len(first), max_size=len(first)))
    first[np.array(holes)] = np.nan
    pairable = ~np.isnan(first)
    if pairable.sum() < 1 or len(set(first[pairable]) | set(second[pairable])) < 2:
        return
    theirs = krippendorff.alpha(reliability_data=np.array([first, second]),
                                level_of_measurement="nominal")
    assert agreement.alpha_nominal(first, second) == pytest.approx(theirs, abs=1e-9)


@settings(derandomize=True, max_examples=100, deadline=None)
@given(CODES)
def test_alpha_is_one_on_identical_codings_and_symmetric(pairs):
    first, second = zip(*pairs, strict=True)
    if len(set(first)) > 1:
        assert agreement.alpha_nominal(first, first) == pytest.approx(1.0)
    forward, backward = agreement.alpha_nominal(first, second), agreement.alpha_nominal(second, first)
    assert forward == pytest.approx(backward) or (np.isnan(forward) and np.isnan(backward))


def test_alpha_works_on_strings_and_the_interval_brackets_it():
    first = ["support"] * 8 + ["oppose"] * 4
    second = ["support"] * 7 + ["oppose"] * 5
    result = agreement.alpha_with_interval(first, second, n_boot=500, seed=1)
    numeric = krippendorff.alpha(reliability_data=[[1] * 8 + [0] * 4, [1] * 7 + [0] * 5],
                                 level_of_measurement="nominal")
    assert result["alpha"] == pytest.approx(numeric)
    assert result["low"] <= result["alpha"] <= result["high"]
    assert result == agreement.alpha_with_interval(first, second, n_boot=500, seed=1)


@pytest.fixture(scope="module")
def corpus():
    return stances.load()


def test_a_coding_agrees_perfectly_with_itself(corpus):
    units = agreement.unitizing(corpus.statements, corpus.statements).iloc[0]
    assert (units["precision"], units["recall"], units["f1"]) == (1.0, 1.0, 1.0)
    codes = agreement.code_agreement(agreement.match(corpus.statements, corpus.statements), n_boot=50)
    assert (codes.set_index("code")["percent_agreement"] == 1.0).all()


def test_unitizing_swaps_precision_and_recall_and_keeps_f1(corpus):
    ab = agreement.unitizing(corpus.statements, corpus.reliability).iloc[0]
    ba = agreement.unitizing(corpus.reliability, corpus.statements).iloc[0]
    assert (ab["precision"], ab["recall"]) == pytest.approx((ba["recall"], ba["precision"]))
    assert ab["f1"] == pytest.approx(ba["f1"])
    assert ab["matched"] <= min(len(corpus.statements), len(corpus.reliability))


def test_dropping_statements_from_one_coding_lowers_recall_exactly(corpus):
    fewer = corpus.statements.iloc[::2]
    units = agreement.unitizing(corpus.statements, fewer).iloc[0]
    assert units["precision"] == 1.0
    assert units["recall"] == pytest.approx(len(fewer) / len(corpus.statements))


def test_spans_must_overlap_by_half_the_shorter_span(corpus):
    one = corpus.statements.iloc[[0]].copy()
    start, end = int(one["start"].iloc[0]), int(one["end"].iloc[0])
    length = end - start
    shifted = one.assign(start=start + length // 2 + 1, end=end + length // 2 + 1)
    assert agreement.unitizing(one, shifted).iloc[0]["matched"] == 0
    nudged = one.assign(start=start + length // 2 - 1, end=end + length // 2 - 1)
    assert agreement.unitizing(one, nudged).iloc[0]["matched"] == 1


def test_every_statement_appears_once_in_the_matched_table(corpus):
    table = agreement.match(corpus.statements, corpus.reliability)
    assert sorted(table["statement_id_a"].dropna()) == sorted(corpus.statements["statement_id"])
    assert sorted(table["statement_id_b"].dropna()) == sorted(corpus.reliability["statement_id"])


def test_disagreements_list_every_unmatched_and_every_differing_pair(corpus):
    table = agreement.match(corpus.statements, corpus.reliability)
    listed = agreement.disagreements(table)
    unmatched = int((~table["matched"]).sum())
    differing = sum(
        any(str(a) != str(b) for a, b in zip(row[[f"{f}_a" for f in agreement.CODES]],
                                             row[[f"{f}_b" for f in agreement.CODES]], strict=True))
        for _, row in table[table["matched"]].iterrows()
    )
    assert len(listed) == unmatched + differing


def test_confusion_table_counts_the_matched_pairs(corpus):
    table = agreement.match(corpus.statements, corpus.reliability)
    confusion = agreement.confusion(table, "stance")
    assert confusion.to_numpy().sum() == int(table["matched"].sum())
    assert isinstance(confusion, pd.DataFrame)
