"""The fact-check tables: every sentence accounted for, every rated unit checked, every verdict
backed as the codebook says, and the loader rejecting a broken fact-check row."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

import stances
from conftest import DATA, DOC_ID, set_cell
from stances.text.sentences import sentences

RATED = {"checkable_fact", "attributed_quotation", "forecast"}


@pytest.fixture(scope="module")
def corpus():
    return stances.load(DATA)


def test_every_sentence_is_accounted_for(corpus):
    units = corpus.checkworthiness
    split = sentences(corpus.text(DOC_ID))
    assert set(units["sentence"]) == set(range(1, len(split) + 1))
    for unit in units.itertuples(index=False):
        sentence = split.iloc[unit.sentence - 1]
        assert sentence.start <= unit.start < sentence.end, unit.unit_id
    whole = units[~units["category"].isin(RATED)]
    assert (whole["quote"].str.len() > 0).all()


def test_every_rated_unit_has_a_check_inside_it(corpus):
    units = corpus.checkworthiness.set_index("unit_id")
    rated = set(units.index[units["category"].isin(RATED)])
    checks = corpus.factchecks
    assert set(checks["unit_id"]) == rated
    for check in checks.itertuples(index=False):
        unit = units.loc[check.unit_id]
        assert unit["start"] <= check.start and check.end <= unit["end"], check.check_id


def test_verdicts_other_than_unverifiable_have_evidence(corpus):
    with_evidence = set(corpus.factcheck_evidence["check_id"])
    settled = corpus.factchecks[corpus.factchecks["rating"] != "unverifiable"]
    assert set(settled["check_id"]) <= with_evidence


def test_excerpts_are_short(corpus):
    # "a sentence or two at most": at most one sentence boundary inside an excerpt (a stop
    # right after a capital letter, as in "U.N." or "U.S.", is not counted)
    for row in corpus.factcheck_evidence.itertuples(index=False):
        ends = re.findall(r"(?<![A-Z])[.!?][\"”’)]*\s+[\"“A-Z]", row.excerpt)
        assert len(ends) <= 1 and len(row.excerpt) <= 400, row.evidence_id


def test_the_old_outside_knowledge_file_is_gone():
    assert not (DATA / "outside_knowledge.csv").exists()


def test_no_outside_place_or_date_in_the_coded_claims(corpus):
    text = corpus.text(DOC_ID)
    for word in ("Sochi", "September", "2021"):
        assert word not in text
        assert not corpus.claims["proposition"].str.contains(word).any(), word


def test_claims_name_only_what_the_text_or_the_actor_list_names(corpus):
    # a proposition may not carry outside knowledge: every capitalised word after the first
    # is in the article or is an actor's name, label or alias (corrections go to factchecks)
    text = corpus.text(DOC_ID)
    actors = corpus.actors
    names = " ".join(actors[column].fillna("").str.cat(sep=" ")
                     for column in ("name", "label", "aliases"))
    for claim in corpus.claims.itertuples(index=False):
        for word in re.findall(r"\b[A-Z][\w-]*", claim.proposition)[1:]:
            assert word in text or word in names, (claim.claim_id, word)


def test_the_audited_leaks_stay_out_of_the_coded_data(corpus):
    # issue 20: the article leaves the ceasefire agreement unnamed and says "defence systems";
    # it does not say at whom France's displeasure is aimed
    propositions = corpus.claims["proposition"]
    assert not propositions.str.contains("Idlib ceasefire").any()
    assert not propositions.str.contains("air-defence").any()
    displeasure = corpus.text(DOC_ID).index("France's displeasure")
    for table in (corpus.statements, corpus.relations):
        at = table[(table["start"] <= displeasure) & (displeasure < table["end"])]
        assert len(at) > 0 or table is corpus.relations
        assert not (at["target"] == "australia").any()


@pytest.mark.parametrize(("table", "key", "column", "value", "message"), [
    ("factchecks.csv", "f01", "rating", "confirmed", "rating: 'confirmed' is not one of"),
    ("factchecks.csv", "f02", "quote", "held a four-hour meeting", "quote"),
    ("factchecks.csv", "f03", "unit_id", "c99", "unit_id: 'c99' is not a unit_id"),
    ("factcheck_evidence.csv", "e001", "check_id", "f99", "check_id: 'f99' is not a check_id"),
    ("checkworthiness.csv", "c01", "category", "claim", "category: 'claim' is not one of"),
])
def test_validate_fails_on_a_broken_fact_check_row(data_copy: Path, table, key, column, value,
                                                   message):
    key_column = {"factchecks.csv": "check_id", "factcheck_evidence.csv": "evidence_id",
                  "checkworthiness.csv": "unit_id"}[table]
    line = set_cell(data_copy / table, key_column, key, column, value)
    with pytest.raises(stances.CorpusError) as caught:
        stances.load(data_copy)
    assert f"{table}:{line}: " in str(caught.value) and message in str(caught.value)
