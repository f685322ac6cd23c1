"""The measures, networks and views, each expected value worked out from the documented rule,
through the public ``stances.measures`` (the one test file of these rules).

Most tests are fast on purpose (no loader, no notebook): this file is the test selection of the
``measures`` and ``views`` mutation sessions (``tests/mutation/``). Their corpora are built in
memory as a ``Corpus`` of a few rows; only ``datapackage.json`` is written, because
``corpus.study`` reads it. The networks, coverage-on-the-article and robustness tests at the end
write into a copy of the real data and load it, since the variants need the second coding;
their names start with ``test_loaded_``, and the mutation sessions leave them out (``-k``).

Rules under test (the docstrings of ``stances.measures``: position, pairs, thesis, views):

* support = +1, oppose = -1, neutral = 0; a person counts for the actor it ``represents``;
* a position is the sign of the sum of an actor's statements on a claim (mixed = 0);
* a shared claim is one both actors hold a non-zero position on; alignment =
  (agree - disagree) / shared; the interval is a 2.5-97.5 percentile bootstrap over the
  shared claims, seeded per pair and topic;
* a verdict needs ``min_claims`` shared claims (3) and an interval clear of 0 on the
  expected side ("supported") or on the other side ("contradicted");
* a thesis part's claim is stated by the speakers who support it; an empty topic means all topics;
* a statement covers a sentence when their spans overlap by at least one character.
"""

from __future__ import annotations

import csv
import io
import warnings
from pathlib import Path
from types import MappingProxyType

import networkx as nx
import numpy as np
import pandas as pd
import pytest

import stances
from conftest import DOC_ID, copy_data
from stances import Corpus, plots
from stances import measures as analysis
from stances.measures import pairs as measures

DOC = "tiny"
TEXT = "One two. Three four. Five six."
# Sentences of TEXT by the sentence rule: [0, 8) "One two.", [9, 20) "Three four.", [21, 30).
ACTORS = [  # actor_id, kind, represents
    ("north", "state", None), ("south", "state", None), ("east", "state", None),
    ("nora", "person", "north"), ("sam", "person", "south"), ("author", "author", None),
]
TOPICS = ["sea", "air"]  # study order, deliberately not alphabetical; "air" sorts before "all"
CLAIMS = [  # claim_id, topic; file order deliberately not alphabetical
    ("s2", "sea"), ("s1", "sea"), ("s3", "sea"), ("a2", "air"), ("a1", "air"), ("a3", "air"),
]


@pytest.fixture(scope="module")
def package(tmp_path_factory) -> Path:
    data = tmp_path_factory.mktemp("tiny")
    (data / "datapackage.json").write_text("{}", encoding="utf-8")
    return data


def statements_of(rows, doc=DOC) -> pd.DataFrame:
    """Statements from ``(speaker, claim_id, stance)`` or ``(speaker, claim_id, stance, start, end)``."""
    records = []
    for i, row in enumerate(rows, 1):
        speaker, claim, stance, start, end = (*row, 0, 3) if len(row) == 3 else row
        records.append({"statement_id": f"t{i:02d}", "doc_id": doc, "start": start, "end": end,
                        "speaker": speaker, "claim_id": claim, "stance": stance,
                        "attribution": "reported_speech"})
    frame = pd.DataFrame(records, columns=["statement_id", "doc_id", "start", "end", "speaker",
                                           "claim_id", "stance", "attribution"])
    return frame.astype({"start": "Int64", "end": "Int64", "speaker": "string", "claim_id": "string",
                         "doc_id": "string", "stance": pd.CategoricalDtype(["support", "oppose", "neutral"])})


def corpus_of(package: Path, rows, thesis=None) -> Corpus:
    actors = pd.DataFrame(ACTORS, columns=["actor_id", "kind", "represents"]).astype("string")
    actors = actors.assign(label=pd.NA, color=pd.NA).astype("string")  # corpus.study reads both
    claims = pd.DataFrame(CLAIMS, columns=["claim_id", "topic"]).astype(
        {"claim_id": "string", "topic": pd.CategoricalDtype(TOPICS)})
    claims = claims.assign(proposition="a proposition")  # corpus.study reads it
    tables = {"actors": actors, "claims": claims, "statements": statements_of(rows)}
    if thesis is not None:
        tables["thesis"] = pd.DataFrame(
            thesis, columns=["part_id", "part", "a", "b", "topic", "expected", "claim_id"]).astype("string")
    return Corpus(tables=MappingProxyType(tables), texts=MappingProxyType({DOC: TEXT}), data_dir=package)


# --- states, values, positions ------------------------------------------------------------------

def test_persons_roll_up_and_stances_become_numbers(package):
    corpus = corpus_of(package, [("nora", "s1", "support"), ("north", "a1", "oppose"),
                                 ("sam", "s1", "neutral"), ("author", "a2", "support"),
                                 ("ghost", "s2", "oppose")])  # a speaker the actors table lacks
    coded = analysis.with_states(corpus)
    assert coded["state"].tolist() == ["north", "north", "south", "author", "ghost"]
    assert coded["value"].tolist() == [1, -1, 0, 1, -1]
    assert coded["topic"].tolist() == ["sea", "air", "sea", "air", "sea"]
    assert coded["speaker"].tolist() == ["nora", "north", "sam", "author", "ghost"]  # kept
    assert analysis.STANCE_VALUE == {"support": 1, "oppose": -1, "neutral": 0}
    other = statements_of([("sam", "a3", "oppose")])
    assert analysis.with_states(corpus, other)["state"].tolist() == ["south"]  # the table passed


def test_a_position_is_the_sign_of_the_sum_of_the_statements(package):
    corpus = corpus_of(package, [
        ("nora", "s1", "support"), ("north", "s1", "support"),     # +2 -> +1, two statements
        ("south", "s1", "support"), ("sam", "s1", "oppose"),       # +1 - 1: mixed, 0
        ("east", "a1", "oppose"), ("east", "a1", "oppose"), ("east", "a1", "support"),  # -1
        ("east", "s2", "neutral"),                                  # 0
        ("south", "a2", "support"), ("south", "a2", "support"), ("south", "a2", "oppose"),  # +1
    ])
    table = analysis.positions(corpus).set_index(["actor", "claim_id"])
    assert table.loc[("north", "s1"), ["position", "statements", "topic"]].tolist() == [1, 2, "sea"]
    assert table.loc[("south", "s1"), ["position", "statements"]].tolist() == [0, 2]
    assert table.loc[("east", "a1"), ["position", "statements", "topic"]].tolist() == [-1, 3, "air"]
    assert table.loc[("east", "s2"), "position"] == 0
    assert table.loc[("south", "a2"), "position"] == 1
    assert len(table) == 5
    by_actor = analysis.positions(corpus, level="actor").set_index(["actor", "claim_id"])
    assert by_actor.loc[("nora", "s1"), ["position", "statements"]].tolist() == [1, 1]
    assert by_actor.loc[("sam", "s1"), "position"] == -1
    assert by_actor.loc[("south", "s1"), "position"] == 1
    assert len(by_actor) == 7
    with pytest.raises(ValueError, match="level must be 'state' or 'actor'"):
        analysis.positions(corpus, level="person")


def test_stance_matrix_keeps_the_claims_order_and_tells_silent_from_neutral(package):
    corpus = corpus_of(package, [("north", "s1", "support"), ("north", "a2", "oppose"),
                                 ("south", "s2", "support"), ("sam", "s2", "oppose"),
                                 ("east", "a1", "neutral"), ("nora", "a1", "oppose")])
    matrix = analysis.stance_matrix(corpus)
    assert matrix.columns.tolist() == ["s2", "s1", "a2", "a1"]  # claims.csv order; s3, a3 unspoken
    assert matrix.index.tolist() == ["east", "north", "south"]
    assert matrix.dtypes.eq("float64").all()
    assert matrix.loc["north", "s1"] == 1 and matrix.loc["north", "a2"] == -1
    assert matrix.loc["south", "s2"] == 0 and matrix.loc["east", "a1"] == 0
    assert np.isnan(matrix.loc["south", "s1"])
    air = analysis.stance_matrix(corpus, topic="air")
    assert air.columns.tolist() == ["a2", "a1"] and air.index.tolist() == ["east", "north"]
    actors = analysis.stance_matrix(corpus, level="actor", topic="sea")
    assert actors.index.tolist() == ["north", "sam", "south"] and actors.columns.tolist() == ["s2", "s1"]
    assert actors.loc["sam", "s2"] == -1 and actors.loc["south", "s2"] == 1
    other = statements_of([("east", "s3", "support")])
    assert analysis.stance_matrix(corpus, statements=other).columns.tolist() == ["s3"]


def test_held_positions_drop_mixed_and_neutral_and_filter_actors(package):
    corpus = corpus_of(package, [("north", "s1", "support"), ("south", "s1", "support"),
                                 ("south", "s1", "oppose"), ("east", "s1", "neutral"),
                                 ("east", "a1", "oppose")])
    held = measures.held_positions(corpus)
    assert list(zip(held["actor"], held["claim_id"], held["position"], strict=True)) == [("east", "a1", -1),
                                                                           ("north", "s1", 1)]
    only = measures.held_positions(corpus, actors=["north"])
    assert only["actor"].tolist() == ["north"]


def test_shared_claims_are_those_both_actors_hold_for_every_sorted_pair():
    table = pd.DataFrame({"actor": ["b", "a", "a", "c"], "claim_id": ["x", "x", "y", "y"],
                          "position": [1, -1, 1, 1]})
    found = {(a, b): both for a, b, both in measures.shared_claims(table)}
    assert list(found) == [("a", "b"), ("a", "c"), ("b", "c")]
    assert found[("a", "b")].index.tolist() == ["x"] and found[("a", "b")]["a"].tolist() == [-1]
    assert found[("a", "c")].index.tolist() == ["y"]
    assert found[("b", "c")].empty


def test_score_is_agree_minus_disagree_over_shared():
    assert measures._score(np.array([True, True, True, False])) == pytest.approx(0.5)
    assert measures._score(np.array([True])) == 1.0
    assert measures._score(np.array([False, False])) == -1.0
    assert measures._score(np.array([True, False, False])) == pytest.approx(-1 / 3)
    rows = np.array([[True, True], [True, False], [False, False]])
    assert measures._score(rows).tolist() == [1.0, 0.0, -1.0]


# --- alignment ----------------------------------------------------------------------------------

# north and south: sea s1, s2 agree, s3 disagree; air a1 agree, a2 disagree (south's a2 via sam).
# east: mixed on s1 (not shared), neutral on s2 (not shared), opposes s3 and a3.
ALIGNED = [
    ("north", "s1", "support"), ("nora", "s2", "oppose"), ("north", "s3", "support"),
    ("north", "a1", "oppose"), ("north", "a2", "support"),
    ("south", "s1", "support"), ("south", "s2", "oppose"), ("sam", "s3", "oppose"),
    ("south", "a1", "oppose"), ("sam", "a2", "oppose"),
    ("east", "s1", "support"), ("east", "s1", "oppose"), ("east", "s2", "neutral"),
    ("east", "s3", "oppose"), ("east", "a3", "support"),
]


def test_alignment_is_agree_minus_disagree_over_shared_claims_per_topic(package):
    table = analysis.alignment(corpus_of(package, ALIGNED), n_boot=50)
    assert table.columns.tolist() == ["a", "b", "topic", "shared_claims", "agree", "disagree",
                                      "alignment", "low", "high"]
    assert table["topic"].drop_duplicates().tolist() == ["sea", "air", "all"]  # study order, then all
    counts = {(r.a, r.b, r.topic): (r.shared_claims, r.agree, r.disagree)
              for r in table.itertuples(index=False)}
    assert counts[("north", "south", "sea")] == (3, 2, 1)
    assert counts[("north", "south", "air")] == (2, 1, 1)
    assert counts[("north", "south", "all")] == (5, 3, 2)
    assert counts[("east", "north", "sea")] == (1, 0, 1)  # s1 mixed and s2 neutral: not shared
    assert counts[("east", "south", "sea")] == (1, 1, 0)
    north_south = [analysis.pair(table, "north", "south", t)["alignment"] for t in ["sea", "air", "all"]]
    assert north_south == pytest.approx([1 / 3, 0.0, 0.2])
    assert analysis.pair(table, "east", "north", "sea")["alignment"] == -1.0
    # on air east holds a3 only, which nobody else holds: a pair with no shared claim, listed
    air = table[(table["a"] == "east") & (table["b"] == "north") & (table["topic"] == "air")].iloc[0]
    assert (air["shared_claims"], air["agree"], air["disagree"]) == (0, 0, 0)
    assert np.isnan(air["alignment"]) and np.isnan(air["low"]) and np.isnan(air["high"])
    assert table.dtypes[["shared_claims", "agree", "disagree"]].eq("int64").all()


def test_alignment_rolls_persons_up_or_keeps_them_at_actor_level(package):
    corpus = corpus_of(package, [("nora", "s1", "support"), ("sam", "s1", "oppose"),
                                 ("north", "s2", "support"), ("south", "s2", "support")])
    states = analysis.alignment(corpus, n_boot=20)
    assert set(zip(states["a"], states["b"], strict=True)) == {("north", "south")}
    row = analysis.pair(states, "north", "south", "sea")
    assert (row["shared_claims"], row["agree"], row["disagree"]) == (2, 1, 1)
    people = analysis.alignment(corpus, level="actor", n_boot=20)
    assert analysis.pair(people, "nora", "sam", "sea")["alignment"] == -1.0
    assert analysis.pair(people, "north", "nora", "sea")["shared_claims"] == 0
    only = analysis.alignment(corpus, level="actor", actors=["north", "south"], n_boot=20)
    assert set(zip(only["a"], only["b"], strict=True)) == {("north", "south")}
    other = statements_of([("north", "a1", "support"), ("south", "a1", "oppose")])
    passed = analysis.alignment(corpus, statements=other, n_boot=20)
    assert analysis.pair(passed, "north", "south", "air")["alignment"] == -1.0


def _recorded(monkeypatch):
    """Record what each alignment interval asks ``bootstrap_interval`` for, and answer (-1, 1)."""
    requests = []

    def recorder(statistic, units, n_boot=2000, seed=0, key=()):
        requests.append({"statistic": statistic, "units": units, "n_boot": n_boot, "seed": seed, "key": key})
        return (-1.0, 1.0)

    monkeypatch.setattr(measures, "bootstrap_interval", recorder)
    return requests


def test_each_resample_of_shared_claims_is_scored_as_agree_minus_disagree_over_shared(package, monkeypatch):
    corpus = corpus_of(package, ALIGNED)
    requests = _recorded(monkeypatch)
    row = analysis.pair(analysis.alignment(corpus, n_boot=9, seed=3), "north", "south")
    assert (row["low"], row["high"]) == (-1.0, 1.0)  # the interval is bootstrap_interval's, as is
    # north-south over all topics: the shared claims in claim_id order a1 a2 s1 s2 s3, agreeing on
    # a1 s1 s2 and not on a2 s3. Written out by hand for four resamples of those five claims:
    # all five: (3 - 2) / 5 = 0.2; a1 five times: 1; a2 a2 s3 s3 s3: -1; a1 s1 s2 a1 a2: 0.6.
    draws = np.array([[0, 1, 2, 3, 4], [0, 0, 0, 0, 0], [1, 1, 4, 4, 4], [0, 2, 3, 0, 1]])
    north_south = [r for r in requests if r["units"] == 5 and r["n_boot"] == 9 and r["seed"] == 3]
    scores = {tuple(r["statistic"](draws)) for r in north_south}
    assert (0.2, 1.0, -1.0, 0.6) in {tuple(round(v, 12) for v in s) for s in scores}


def test_each_pair_and_topic_asks_for_its_own_seeded_stream(package, monkeypatch):
    corpus = corpus_of(package, ALIGNED)
    requests = _recorded(monkeypatch)
    table = analysis.alignment(corpus, n_boot=9, seed=3)
    assert len(requests) == len(table[table["shared_claims"] > 0]) > 3
    assert all(r["seed"] == 3 and r["n_boot"] == 9 for r in requests)
    keys = [r["key"] for r in requests]
    assert len(set(keys)) == len(keys)  # no two pairs and topics share a stream
    # the names are joined with a separator, so ("ab", "c") and ("a", "bc") differ too
    assert measures._pair_key("ab", "c", "sea") != measures._pair_key("a", "bc", "sea")


def test_one_pairs_interval_does_not_depend_on_the_other_pairs(package):
    corpus = corpus_of(package, ALIGNED)
    among_all = analysis.alignment(corpus, n_boot=40, seed=3)
    alone = analysis.alignment(corpus, actors=["north", "south"], n_boot=40, seed=3)
    for topic in ["sea", "air", "all"]:
        assert analysis.pair(alone, "north", "south", topic).equals(
            analysis.pair(among_all, "north", "south", topic))
    again = analysis.alignment(corpus, n_boot=40, seed=3)
    assert again.equals(among_all)
    assert not analysis.alignment(corpus, n_boot=40, seed=4).equals(among_all)


# --- pair and verdict ---------------------------------------------------------------------------

def test_pair_finds_a_row_in_either_order_or_an_empty_one():
    table = pd.DataFrame([
        {"a": "north", "b": "south", "topic": "sea", "shared_claims": 3, "agree": 2, "disagree": 1,
         "alignment": 1 / 3, "low": -1.0, "high": 1.0},
        {"a": "north", "b": "south", "topic": "all", "shared_claims": 5, "agree": 3, "disagree": 2,
         "alignment": 0.2, "low": -0.6, "high": 1.0},
        {"a": "east", "b": "south", "topic": "all", "shared_claims": 1, "agree": 1, "disagree": 0,
         "alignment": 1.0, "low": 1.0, "high": 1.0},
    ], columns=measures.ALIGNMENT_COLUMNS)
    table.attrs.update(actors=["north", "south", "east"], topics=["sea", "air", "all"])  # as alignment sets
    assert analysis.pair(table, "south", "north")["shared_claims"] == 5  # default topic: all
    assert analysis.pair(table, "north", "south", "sea")["agree"] == 2
    assert analysis.pair(table, "south", "east")["alignment"] == 1.0
    missing = analysis.pair(table, "south", "north", "air")
    assert (missing["a"], missing["b"], missing["topic"]) == ("north", "south", "air")
    assert (missing["shared_claims"], missing["agree"], missing["disagree"]) == (0, 0, 0)
    assert missing[["alignment", "low", "high"]].isna().all()
    assert analysis.pair(table, "east", "north")["shared_claims"] == 0
    with pytest.raises(ValueError, match="^unknown actor: 'west'; known: north, south, east$"):
        analysis.pair(table, "west", "north")
    with pytest.raises(ValueError, match="^unknown topic: 'land'; known: sea, air, all$"):
        analysis.pair(table, "south", "north", "land")
    table.attrs.clear()  # a table built by hand: the names it holds are the known ones
    with pytest.raises(ValueError, match="^unknown topic: 'air'; known: sea, all$"):
        analysis.pair(table, "south", "north", "air")


@pytest.mark.parametrize("low, high, sign, expected", [
    (0.2, 0.9, 1, "supported"), (0.2, 0.9, -1, "contradicted"),
    (-0.9, -0.2, -1, "supported"), (-0.9, -0.2, 1, "contradicted"),
    (0.0, 0.9, 1, "inconclusive"), (0.0, 0.9, -1, "inconclusive"),     # low touches 0
    (-0.9, 0.0, -1, "inconclusive"), (-0.9, 0.0, 1, "inconclusive"),   # high touches 0
    (0.0, 0.0, 1, "inconclusive"), (0.0, 0.0, -1, "inconclusive"),
    (-0.2, 0.9, 1, "inconclusive"), (-0.2, 0.9, -1, "inconclusive"),   # straddles 0
    (-1.0, -1.0, -1, "supported"), (1.0, 1.0, -1, "contradicted"),    # degenerate intervals
    (1.0, 1.0, 1, "supported"), (-1.0, -1.0, 1, "contradicted"),
])
def test_verdict_needs_the_interval_clear_of_zero(low, high, sign, expected):
    assert analysis.verdict({"shared_claims": 3, "low": low, "high": high}, sign) == expected


def test_verdict_needs_at_least_min_claims_shared_claims():
    clear = {"low": 0.5, "high": 1.0}
    assert analysis.verdict({**clear, "shared_claims": 3}, 1) == "supported"      # default 3: enough
    assert analysis.verdict({**clear, "shared_claims": 4}, 1) == "supported"      # more than enough
    assert analysis.verdict({**clear, "shared_claims": 2}, 1) == "too thin to say"
    assert analysis.verdict({**clear, "shared_claims": 2}, -1) == "too thin to say"
    assert analysis.verdict({**clear, "shared_claims": 5}, 1, min_claims=5) == "supported"
    assert analysis.verdict({**clear, "shared_claims": 4}, 1, min_claims=5) == "too thin to say"
    assert analysis.verdict({**clear, "shared_claims": 1}, 1, min_claims=1) == "supported"
    assert analysis.verdict({**clear, "shared_claims": 0}, 1, min_claims=1) == "too thin to say"


# --- the thesis test ----------------------------------------------------------------------------

THESIS = [  # part_id, part, a, b, topic, expected, claim_id
    ("split", "north and south split on air", "nora", "south", "air", "disagree", "a2"),
    ("peace", "north and south agree on air", "north", "sam", "air", "agree", "a1"),
    ("overall", "north and east agree overall", "north", "east", None, "agree", None),
    ("nobody", "west and south differ", "west", "south", "sea", "disagree", "s3"),
    ("thin", "north and south agree on sea", "north", "south", "sea", "agree", "s1"),
]
# north and south disagree on all three air claims (alignment -1, degenerate interval; north
# opposes a2 twice and nora supports it once: -1);
# north and east share sea claims s1, s2 (agree) and air claim a3 (agree): +1 over all topics.
THESIS_STATEMENTS = [
    ("north", "a1", "support"), ("north", "a2", "oppose"), ("north", "a2", "oppose"),
    ("north", "a3", "support"),
    ("south", "a1", "oppose"), ("sam", "a2", "support"), ("south", "a3", "oppose"),
    ("nora", "a2", "support"), ("sam", "a2", "support"),   # a2 stated by nora and sam (twice)
    ("author", "a2", "oppose"), ("east", "a2", "neutral"),  # neither supports a2
    ("north", "s1", "support"), ("north", "s2", "oppose"),
    ("east", "s1", "support"), ("east", "s2", "oppose"), ("east", "a3", "support"),
    ("south", "s1", "support"), ("south", "s2", "oppose"),  # north-south on sea: 2 claims, agree
]


def test_thesis_parts_get_their_pair_sign_and_verdict(package):
    corpus = corpus_of(package, THESIS_STATEMENTS, THESIS)
    table = analysis.thesis_test(corpus, n_boot=50)
    assert table.index.tolist() == [row[1] for row in THESIS]
    assert table.columns.tolist() == ["pair", "topic", "expected", "shared_claims", "agree", "disagree",
                                      "alignment", "low", "high", "verdict", "stated_by", "times_stated"]
    split, peace, overall, nobody, thin = (table.loc[row[1]] for row in THESIS)
    # persons are tested as the states they represent; the pair is named in the thesis' order
    assert split["pair"] == peace["pair"] == "north–south"
    assert (split["shared_claims"], split["agree"], split["disagree"]) == (3, 0, 3)
    assert (split["alignment"], split["low"], split["high"]) == (-1.0, -1.0, -1.0)
    assert split["verdict"] == "supported" and split["expected"] == "disagree"  # disagree: sign -1
    assert peace["verdict"] == "contradicted" and peace["expected"] == "agree"  # agree: sign +1
    # an empty topic tests the pair over every topic together
    assert overall["topic"] == "all" and overall["pair"] == "north–east"
    assert (overall["shared_claims"], overall["agree"], overall["alignment"]) == (3, 3, 1.0)
    assert overall["verdict"] == "supported"
    # an actor with no coded position: the pair shares nothing
    assert nobody["pair"] == "west–south" and nobody["shared_claims"] == 0
    assert nobody["verdict"] == "too thin to say"
    assert (thin["shared_claims"], thin["alignment"], thin["verdict"]) == (2, 1.0, "too thin to say")
    assert table["shared_claims"].tolist() == [3, 3, 3, 0, 2]
    looser = analysis.thesis_test(corpus, n_boot=50, min_claims=2)
    assert looser["verdict"].tolist() == ["supported", "contradicted", "supported", "too thin to say",
                                          "supported"]


def test_the_thesis_test_passes_on_seed_draws_threshold_and_statements(package):
    corpus = corpus_of(package, THESIS_STATEMENTS, THESIS)
    part = THESIS[2][1]  # north-east over all topics: 3 shared claims
    row = analysis.thesis_test(corpus, min_claims=4, n_boot=30, seed=2).loc[part]
    assert row["verdict"] == "too thin to say"
    interval = analysis.pair(analysis.alignment(corpus, n_boot=30, seed=2), "north", "east")
    assert (row["low"], row["high"]) == (interval["low"], interval["high"])
    default = analysis.thesis_test(corpus).loc[THESIS[0][1]]  # defaults: 2000 draws, seed 0, 3 claims
    assert default["verdict"] == "supported"
    other = statements_of([("north", "s3", "support"), ("sam", "s3", "support"), ("east", "s3", "oppose")])
    passed = analysis.thesis_test(corpus, statements=other, n_boot=20)
    assert passed.loc[THESIS[3][1], ["stated_by", "times_stated"]].tolist() == ["north, sam", 2]
    assert passed.loc[THESIS[0][1], "shared_claims"] == 0
    # the alignments are the states': the person-level pair nora-sam is never measured
    assert passed.loc[THESIS[1][1], "pair"] == "north–south"


def test_stated_by_counts_the_support_statements_of_each_parts_claim(package):
    table = analysis.thesis_test(corpus_of(package, THESIS_STATEMENTS, THESIS), n_boot=20)
    split, peace, overall, nobody, thin = (table.loc[row[1]] for row in THESIS)
    # a2: supported by sam, nora, sam (repeated speaker listed once, counted each time);
    # north and the author oppose it (north's own position is -1) and east is neutral: not stated
    assert (split["stated_by"], split["times_stated"]) == ("nora, sam", 3)
    assert (peace["stated_by"], peace["times_stated"]) == ("north", 1)   # a1: only north supports it
    assert (overall["stated_by"], overall["times_stated"]) == ("nobody", 0)  # no claim given
    assert (nobody["stated_by"], nobody["times_stated"]) == ("nobody", 0)  # s3: nobody speaks on it
    assert (thin["stated_by"], thin["times_stated"]) == ("east, north, south", 3)
    assert table["times_stated"].dtype == "int64"


def test_by_default_intervals_draw_2000_resamples_from_seed_0(package, monkeypatch):
    # The notebooks' stored numbers are computed with the defaults, so the defaults are part of
    # what a result means: record what each pair's interval is asked for.
    requests, real = [], measures.bootstrap_interval

    def recorder(statistic, units, n_boot=2000, seed=0, key=()):
        requests.append((seed, n_boot, units, key))
        return real(statistic, units, n_boot, seed, key)

    monkeypatch.setattr(measures, "bootstrap_interval", recorder)
    corpus = corpus_of(package, THESIS_STATEMENTS, THESIS)
    analysis.alignment(corpus)
    analysis.thesis_test(corpus)
    assert requests and all(seed == 0 and n_boot == 2000 and units > 0 and len(key) == 1
                            for seed, n_boot, units, key in requests)
    requests.clear()
    analysis.thesis_test(corpus, n_boot=7, seed=5)
    assert requests and all(seed == 5 and n_boot == 7 for seed, n_boot, _, _ in requests)


# --- coverage -----------------------------------------------------------------------------------

def test_coverage_counts_statements_overlapping_each_sentence(package):
    rows = [
        ("north", "s1", "support", 4, 9),    # ends where sentence 2 starts: covers sentence 1 only
        ("north", "s1", "support", 8, 12),   # starts where sentence 1 ends: covers sentence 2 only
        ("south", "s1", "support", 19, 21),  # one character of sentence 2, then the gap before 3
        ("south", "s2", "oppose", 0, 30),    # everything
    ]
    # statements of other documents, named to sort before and after DOC, do not count
    elsewhere = [statements_of([("east", "s1", "support", 0, 30)], doc=doc) for doc in ["a_doc", "z_doc"]]
    corpus = Corpus(tables=MappingProxyType({"statements": pd.concat([*elsewhere, statements_of(rows)])}),
                    texts=MappingProxyType({DOC: TEXT, "a_doc": TEXT, "z_doc": TEXT}), data_dir=package)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # a clean computation: no division by zero on the way
        table = analysis.coverage(corpus, DOC)
    assert list(zip(table["start"], table["end"], strict=True)) == [(0, 8), (9, 20), (21, 30)]
    assert table["statements"].tolist() == [2, 3, 1]
    assert table["coded"].tolist() == [True, True, True]
    touching = statements_of([("north", "s1", "support", 8, 9), ("north", "s1", "support", 20, 21),
                              ("north", "s1", "support", 30, 30)])
    nothing = analysis.coverage(corpus, DOC, statements=touching)  # only the gaps between sentences
    assert nothing["statements"].tolist() == [0, 0, 0] and not nothing["coded"].any()
    edges = statements_of([("north", "s1", "support", 7, 8), ("north", "s1", "support", 9, 10)])
    assert analysis.coverage(corpus, DOC, statements=edges)["statements"].tolist() == [1, 1, 0]
    assert analysis.coverage(corpus, "a_doc")["statements"].tolist() == [1, 1, 1]


# --- unknown names are errors, not empty results ------------------------------------------------

@pytest.mark.parametrize(("call", "message"), [
    (lambda c: analysis.alignment(c, actors=["north", "westt"], n_boot=5),
     "unknown actor: 'westt'; known: north, south, east, nora, sam, author"),
    (lambda c: analysis.networks(c, actors=["nobody"]), "unknown actor: 'nobody'; known: north, south"),
    (lambda c: analysis.networks(c, topic="land"), "unknown topic: 'land'; known: sea, air$"),
    (lambda c: analysis.stance_matrix(c, topic="all"), "unknown topic: 'all'; known: sea, air$"),
    (lambda c: analysis.statements_on(c, topic="Sea"), "unknown topic: 'Sea'; known: sea, air$"),
    (lambda c: analysis.statements_on(c, claim_ids=["s1", "s9", "s9"]),
     "unknown claim: 's9'; known: s2, s1,"),
    (lambda c: analysis.relations_on(c, topic="land"), "unknown topic: 'land'; known: sea, air$"),
    (lambda c: analysis.pair(analysis.alignment(c, n_boot=5), "north", "nora ", "sea"),
     "unknown actor: 'nora '; known: north, south"),
    (lambda c: analysis.pair(analysis.alignment(c, n_boot=5), "north", "south", "land"),
     "unknown topic: 'land'; known: sea, air, all$"),
])
def test_an_unknown_name_raises_with_the_known_ones_listed(package, call, message):
    corpus = corpus_of(package, ALIGNED)
    with pytest.raises(ValueError, match=f"^{message}"):
        call(corpus)


def test_a_long_list_of_known_names_is_cut():
    with pytest.raises(ValueError) as raised:
        measures.require_known("claim", ["x\x1b[2J"], [f"c{i}" for i in range(500)])
    message = str(raised.value)
    assert message.startswith("unknown claim: 'x\\x1b[2J'; known: c0, c1,") and "c40" not in message
    assert message.endswith("c39 … (500 in all)") and len(message) < 400


# --- networks, coverage and robustness, on copies of the real corpus ------------------------------
# Each test writes its statements (``corpus_with``) or its thesis (``_with_thesis``) into a copy of
# data/ and loads it through the real loader: variants need the second coding and the article.

COLUMNS = ["statement_id", "doc_id", "start", "end", "quote", "speaker", "claim_id", "stance",
           "attribution", "target", "coder", "note"]
QUOTE = "Ankara maintains its support for the rebel militias"


def corpus_with(tmp_path: Path, positions: list[tuple[str, str, str]], thesis=None) -> stances.Corpus:
    """A corpus whose statements are ``(speaker, claim_id, stance)``, in that order (and whose
    thesis is ``thesis``, rows of thesis.csv, when given)."""
    data = copy_data(tmp_path)
    if thesis is not None:
        _with_thesis(data, thesis)
    text = (data / "sources" / f"{DOC_ID}.txt").read_text(encoding="utf-8")
    start = text.index(QUOTE)
    with (data / "statements.csv").open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(COLUMNS)
        for i, (speaker, claim, stance) in enumerate(positions, 1):
            writer.writerow([f"t{i:03d}", DOC_ID, start, start + len(QUOTE), QUOTE, speaker, claim,
                             stance, "reported_speech", "", "test", ""])
    return stances.load(data)


ARMS = ["arms_buy_second_s400", "arms_turkey_decides_alone", "arms_no_choice_in_nato",
        "arms_s400_benefits_russia"]


def _with_thesis(data: Path, rows: list[list[str]]) -> None:
    with (data / "thesis.csv").open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(["part_id", "part", "a", "b", "topic", "expected", "claim_id", "note"])
        writer.writerows(rows)


def test_loaded_networks_count_shared_and_opposed_claims(tmp_path):
    rows = [("turkey", c, "support") for c in ARMS]
    rows += [("usa", c, "support") for c in ARMS[:3]] + [("usa", ARMS[3], "oppose")]
    rows += [("lavrov", ARMS[3], "oppose")]
    congruence, conflict = analysis.networks(corpus_with(tmp_path, rows))
    assert congruence["turkey"]["usa"]["weight"] == 3
    assert conflict["turkey"]["usa"]["weight"] == 1
    assert congruence["russia"]["usa"]["weight"] == 1  # both oppose claim 3 (Lavrov -> Russia)
    assert conflict["russia"]["turkey"]["claims"] == ARMS[3]
    assert sorted(congruence.nodes) == ["russia", "turkey", "usa"]


def test_loaded_graphml_export_round_trips_and_is_stable(tmp_path, corpus):
    congruence, _ = analysis.networks(corpus)
    first = analysis.export_graphml(congruence, tmp_path / "a.graphml")
    second = analysis.export_graphml(analysis.networks(corpus)[0], tmp_path / "b.graphml")
    assert first.read_bytes() == second.read_bytes()
    back = nx.read_graphml(first)
    assert sorted(back.edges) == sorted(congruence.edges)


def test_loaded_coverage_counts_statements_per_sentence(corpus):
    table = analysis.coverage(corpus, DOC_ID)
    text = corpus.text(DOC_ID)
    assert all(text[s:e] == sentence for s, e, sentence in
               table[["start", "end", "sentence"]].itertuples(index=False))
    # Every statement lies in at least one sentence, so the counts cover all statements.
    assert table["statements"].sum() >= len(corpus.statements)
    assert table.loc[0, "sentence"] == text.splitlines()[0]  # the headline is a sentence


CLASH = [["clash", "they clash", "turkey", "usa", "arms", "disagree", "", ""]]


@pytest.fixture(scope="module")
def two_claim_clash(tmp_path_factory):
    """Turkey and the US disagree on two arms claims, and the thesis says they clash there."""
    positions = [("turkey", c, "support") for c in ARMS[:2]] + [("usa", c, "oppose") for c in ARMS[:2]]
    corpus = corpus_with(tmp_path_factory.mktemp("clash"), positions, CLASH)
    return corpus, analysis.robustness(corpus, n_boot=200)


def test_loaded_robustness_lowers_the_threshold_by_one_claim(two_claim_clash):
    _, table = two_claim_clash
    assert table.loc["they clash", "first coding"] == "too thin to say"
    assert table.loc["they clash", "threshold 2 claims"] == "supported"
    assert "second coding" in table.columns


def test_loaded_robustness_keeps_its_shape_and_names_every_variant(two_claim_clash):
    corpus, table = two_claim_clash
    names = [v.name for v in analysis.variants(corpus)]
    assert table.index.tolist() == ["they clash"] and table.columns.tolist() == names
    assert names[0] == "first coding"
    assert {"second coding", "first coding, headline units out", "second coding, headline units out",
            "targets cleared", "threshold 2 claims", "threshold 4 claims", "persons kept apart",
            "author assertions out"} <= set(names)
    # each column is the thesis test under that variant's own statements, level and bar
    second = analysis.thesis_test(corpus, n_boot=200, statements=corpus.reliability)["verdict"]
    assert table["second coding"].equals(second.rename("second coding"))
    assert table.loc["they clash", "threshold 4 claims"] == "too thin to say"


def test_loaded_persons_kept_apart_test_the_pair_as_written(tmp_path):
    # Erdogan (Turkey) and Kirby (US) clash on three claims; the states themselves say nothing.
    positions = [("erdogan", c, "support") for c in ARMS[:3]] + [("kirby", c, "oppose") for c in ARMS[:3]]
    table = analysis.robustness(corpus_with(tmp_path, positions, CLASH), n_boot=200)
    assert table.loc["they clash", "first coding"] == "supported"        # rolled up: 3 shared claims
    assert table.loc["they clash", "persons kept apart"] == "too thin to say"  # Turkey, US: none


def test_loaded_headline_units_are_those_in_the_opening_lines_without_a_stop(corpus):
    text = corpus.text(DOC_ID)
    lines = [line for line in text.splitlines() if line.strip()]
    opening = []
    for line in lines:
        if line.rstrip().endswith((".", "!", "?", '."', ".'")):
            break
        opening.append(line)
    limit = text.index(opening[-1]) + len(opening[-1])
    second = corpus.reliability
    expected = (second["start"].astype("int64") < limit).tolist()
    assert analysis.headline_units(corpus, second).tolist() == expected
    assert any(expected) and not all(expected)
    assert not analysis.headline_units(corpus, corpus.statements).any()  # the first coding has none


def test_loaded_no_headline_result_reads_the_target_and_author_shares_leave_with_the_author(corpus):
    details = analysis.robustness_details(corpus, n_boot=50)  # same draws for every variant: any n shows it
    grid = analysis.robustness_grid(details)
    assert grid["targets cleared"].equals(grid["first coding"].rename("targets cleared"))
    shares = details[details["finding"].str.startswith("author share")]
    assert "author assertions out" not in set(shares["variant"])
    assert len(shares) == 3 * (len(grid.columns) - 1)
    # the author's share under the first coding, counted directly
    claims = corpus.claims.set_index("claim_id")["topic"]
    on_nato = corpus.statements[corpus.statements["claim_id"].map(claims) == "nato"]
    direct = round((on_nato["speaker"] == "author").mean(), 3)
    assert grid.loc["author share: nato", "first coding"] == direct


def test_loaded_the_summary_says_which_findings_hold_under_every_variant():
    details = pd.DataFrame([
        ("steady", "base", "too thin to say", 1), ("steady", "other", "too thin to say", 1),
        ("moves", "base", 0.5, 2), ("moves", "other", -0.5, 2), ("moves", "third", 0.5, 2),
        ("empty", "base", float("nan"), 0), ("empty", "other", float("nan"), 0),
    ], columns=["finding", "variant", "value", "shared_claims"])
    summary = analysis.robustness_summary(details)
    assert summary.loc["steady", "holds"] and summary.loc["empty", "holds"]
    assert not summary.loc["moves", "holds"] and summary.loc["moves", "differs_under"] == "other"
    assert (summary.loc["moves", "lowest"], summary.loc["moves", "highest"]) == (-0.5, 0.5)
    assert analysis.robustness_grid(details).columns.tolist() == ["base", "other", "third"]


def test_loaded_the_verdict_grid_is_reproducible_svg(corpus):
    plots.use_report_style()  # as stances.setup does before a notebook's figures
    table = analysis.robustness(corpus, n_boot=100)
    outputs = []
    for _ in range(2):
        buffer = io.BytesIO()
        plots.verdict_grid(corpus, table, "title").savefig(buffer, format="svg", metadata={"Date": None})
        outputs.append(buffer.getvalue())
    assert outputs[0] == outputs[1] and b"dc:date" not in outputs[0]


@pytest.mark.parametrize("module", ["text", "corpus", "measures", "factcheck", "coding", "report"])
def test_each_public_name_is_listed_in_its_modules_docstring(module):
    import re
    import types

    namespace = getattr(stances, module)
    listed = set(re.findall(r"``(\w+)``", namespace.__doc__))
    exported = set(namespace.__all__)
    assert exported <= listed, f"not in the docstring: {sorted(exported - listed)}"
    for name in exported:  # a name a package imports on first use (stances.report) is then bound
        getattr(namespace, name)
    public = {n for n, v in vars(namespace).items() if not n.startswith("_")
              and not isinstance(v, types.ModuleType) and n != "annotations"}
    assert public == {n for n in exported if not isinstance(getattr(namespace, n), types.ModuleType)}
