"""The second fact-check: one rating per unit (worst answer wins) and the side-by-side table."""

from __future__ import annotations

import pandas as pd
import pytest

import stances
from conftest import DATA
from stances import criticism


def checks(*rows):
    return pd.DataFrame(rows, columns=["unit_id", "rating"]).astype("string")


def test_the_worst_rating_on_the_scale_sets_a_units_rating():
    table = checks(("u1", "accurate"), ("u1", "misleading"), ("u1", "imprecise"))
    assert criticism.unit_ratings(table).to_dict() == {"u1": "misleading"}


def test_an_off_scale_rating_counts_only_when_every_check_has_it():
    table = checks(("u1", "unverifiable"), ("u1", "accurate"), ("u2", "unverifiable"),
                   ("u2", "unverifiable"))
    assert criticism.unit_ratings(table).to_dict() == {"u1": "accurate", "u2": "unverifiable"}


def test_wrong_is_worse_than_misleading_and_units_keep_their_order():
    table = checks(("u2", "misleading"), ("u1", "imprecise"), ("u2", "wrong"))
    ratings = criticism.unit_ratings(table)
    assert list(ratings.index) == ["u2", "u1"]
    assert ratings.to_dict() == {"u2": "wrong", "u1": "imprecise"}


def test_a_custom_scale_decides_what_is_worst():
    table = checks(("u1", "true"), ("u1", "false"))
    assert criticism.unit_ratings(table, scale={"true": 2, "false": 1}).to_dict() == {"u1": "false"}


@pytest.fixture(scope="module")
def corpus():
    return stances.load(DATA)


def test_every_rated_unit_is_compared_once(corpus):
    table = criticism.compare_ratings(corpus)
    assert list(table.index) == list(corpus.factchecks["unit_id"].drop_duplicates())
    assert set(table.index) == set(corpus.factcheck_reliability["unit_id"])
    assert table["second"].notna().all()


def test_agreement_is_rating_equality_and_evidence_is_each_sides_own(corpus):
    table = criticism.compare_ratings(corpus)
    assert (table["agree"] == (table["first"] == table["second"])).all()
    second = corpus.factcheck_reliability_evidence
    for unit, joined in table["second_evidence"].dropna().items():
        assert joined.count("\n") + 1 == (second["unit_id"] == unit).sum()
    quotes = corpus.factchecks.drop_duplicates("unit_id").set_index("unit_id")["quote"]
    assert (table["quote"] == quotes.reindex(table.index)).all()
