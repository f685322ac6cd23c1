"""The tables notebook 06 tells the fact-check with: coverage, counts, verdicts, agreement; the
fact checks joined with their evidence; the sentences they are counted in."""

from __future__ import annotations

import dataclasses

import numpy as np
import pandas as pd
import pytest

from conftest import DOC_ID
from stances import factcheck as criticism
from stances.measures import agreement
from stances.text.sentences import sentences


def test_coverage_has_one_row_per_sentence_and_counts_every_unit(corpus):
    table = criticism.checkworthiness_by_sentence(corpus, DOC_ID)
    assert len(table) == len(sentences(corpus.text(DOC_ID)))
    assert list(table.index[:2]) == [1, 2]
    units = corpus.checkworthiness
    assert table["units"].sum() == len(units)
    categories = [c for c in table.columns if c not in {"text", "units", "rated", "covered"}]
    assert set(categories) == set(units["category"].astype("string"))
    assert (table[categories].sum(axis=1) == table["units"]).all()
    assert categories[0] == "checkable_fact"
    rated = units[units["category"].isin(criticism.RATED_CATEGORIES)]
    assert table["rated"].sum() == len(rated)


def test_a_sentence_without_units_shows_zeros_and_is_not_covered(corpus):
    units = corpus.tables["checkworthiness"]
    tables = dict(corpus.tables, checkworthiness=units[units["sentence"] != 2])
    table = criticism.checkworthiness_by_sentence(dataclasses.replace(corpus, tables=tables), DOC_ID)
    assert not table.loc[2, "covered"] and table.loc[2, "units"] == 0
    assert table.drop(index=2)["covered"].all()


def test_rating_counts_list_the_whole_scale_best_first_then_off_scale():
    ratings = pd.Series(["imprecise", "unverifiable", "accurate", "imprecise"], dtype="string")
    counts = criticism.rating_counts(ratings)
    assert list(counts.index) == ["accurate", "imprecise", "misleading", "wrong", "unverifiable"]
    assert counts.to_dict() == {"accurate": 1, "imprecise": 2, "misleading": 0, "wrong": 0,
                                "unverifiable": 1}


def comparison(pairs):
    table = pd.DataFrame(pairs, columns=["first", "second"]).astype("string")
    return table.assign(agree=table["first"] == table["second"], quote="q",
                        first_explanation="", first_evidence="", second_explanation="",
                        second_evidence="")


def test_crosstab_puts_agreement_on_the_diagonal_in_scale_order():
    table = criticism.rating_crosstab(comparison(
        [("accurate", "accurate"), ("accurate", "imprecise"), ("unverifiable", "accurate")]))
    assert list(table.index) == ["accurate", "imprecise", "misleading", "wrong", "unverifiable"]
    assert list(table.columns) == list(table.index)
    assert table.loc["accurate", "accurate"] == 1 and table.loc["accurate", "imprecise"] == 1
    assert table.loc["unverifiable", "accurate"] == 1 and table.to_numpy().sum() == 3


def test_agreement_is_perfect_when_the_checks_match_and_ordinal_skips_off_scale_units():
    pairs = [("accurate", "accurate"), ("imprecise", "imprecise"), ("wrong", "wrong"),
             ("unverifiable", "unverifiable")] * 3
    table = criticism.rating_agreement(comparison(pairs), n_boot=50)
    assert table.loc["all units (nominal)", "alpha"] == 1.0
    assert table.loc["both on the scale (ordinal)", "units"] == 9
    assert table.loc["both on the scale (ordinal)", "alpha"] == 1.0


def test_ordinal_alpha_counts_a_near_miss_less_than_a_far_one():
    base = [("accurate", "accurate"), ("imprecise", "imprecise"), ("misleading", "misleading"),
            ("wrong", "wrong")] * 3
    near = criticism.rating_agreement(comparison(base + [("accurate", "imprecise")]), n_boot=50)
    far = criticism.rating_agreement(comparison(base + [("accurate", "wrong")]), n_boot=50)
    row = "both on the scale (ordinal)"
    assert near.loc[row, "alpha"] > far.loc[row, "alpha"]
    nominal = "all units (nominal)"
    assert near.loc[nominal, "alpha"] == far.loc[nominal, "alpha"]


def test_disagreements_are_exactly_the_units_rated_differently(corpus):
    table = criticism.compare_ratings(corpus)
    listed = criticism.rating_disagreements(table)
    assert set(listed.index) == set(table.index[table["first"] != table["second"]])
    assert {"first_evidence", "second_evidence"} <= set(listed.columns)


def test_claim_review_json_reads_back_as_the_records(corpus):
    import json

    reviews = criticism.claim_reviews(corpus, DOC_ID, author_name="x")
    assert json.loads(criticism.claim_review_json(reviews)) == reviews


def test_disagreements_say_how_many_steps_apart_the_ratings_are():
    table = criticism.rating_disagreements(comparison(
        [("accurate", "accurate"), ("accurate", "misleading"), ("unverifiable", "wrong")]))
    assert list(table.index) == [1, 2]
    assert table.loc[1, "steps"] == 2 and pd.isna(table.loc[2, "steps"])


@pytest.mark.parametrize("seed", range(5))
def test_ordinal_alpha_matches_the_krippendorff_package(seed):
    import krippendorff
    import numpy as np

    rng = np.random.default_rng(seed)
    first = rng.integers(1, 5, 30)
    second = np.where(rng.random(30) < 0.6, first, rng.integers(1, 5, 30))
    theirs = krippendorff.alpha(reliability_data=np.array([first, second], dtype=float),
                                level_of_measurement="ordinal", value_domain=[1, 2, 3, 4])
    ours = agreement.alpha_with_interval(first.tolist(), second.tolist(), n_boot=1,
                                         values=[1, 2, 3, 4])["alpha"]
    assert ours == pytest.approx(theirs)


def test_ordinal_alpha_is_undefined_without_variation():
    result = agreement.alpha_with_interval(["a", "a"], ["a", "a"], n_boot=1, values=["a", "b"])
    assert np.isnan(result["alpha"])


def test_fact_checks_are_anchored_and_joined_with_their_evidence(corpus):
    table = criticism.fact_checks(corpus, DOC_ID)
    text = corpus.text(DOC_ID)
    assert all(text[s:e] == q for s, e, q in zip(table["start"], table["end"], table["quote"],
                                                  strict=True))
    assert set(table["check_id"]) == set(corpus.factchecks["check_id"])
    sourced = table.dropna(subset=["evidence_id"])
    assert sourced["url"].str.len().min() > 0 and sourced["excerpt"].str.len().min() > 0


def test_sentences_are_exact_slices_and_split_at_stops_and_lines():
    text = 'Headline\n\nFirst one. Second "quoted." Third? Last'
    table = sentences(text)
    assert table["sentence"].tolist() == ["Headline", "First one.", 'Second "quoted."', "Third?", "Last"]
    assert all(text[s:e] == x for s, e, x in table.itertuples(index=False))
    assert isinstance(table, pd.DataFrame)
