"""Stance matrix, roll-up, alignment (with its bootstrap) and networks on small corpora whose
answers follow from the definitions: each test writes its own statements into a copy of the
real corpus, all anchored to one real span, and loads them through the real loader."""

from __future__ import annotations

import csv
from pathlib import Path

import networkx as nx
import numpy as np
import pytest

import stances
from conftest import DOC_ID, copy_data
from stances import analysis

COLUMNS = ["statement_id", "doc_id", "start", "end", "quote", "speaker", "claim_id", "stance",
           "attribution", "target", "coder", "note"]
QUOTE = "Ankara maintains its support for the rebel militias"


def corpus_with(tmp_path: Path, positions: list[tuple[str, str, str]]) -> stances.Corpus:
    """A corpus whose statements are ``(speaker, claim_id, stance)``, in that order."""
    data = copy_data(tmp_path)
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


def test_persons_roll_up_to_the_state_they_represent(tmp_path):
    corpus = corpus_with(tmp_path, [("erdogan", ARMS[0], "support"), ("lavrov", ARMS[0], "oppose"),
                                    ("author", ARMS[0], "support")])
    states = analysis.with_states(corpus)["state"].tolist()
    assert states == ["turkey", "russia", "author"]


def test_stance_matrix_takes_the_sign_of_each_actors_statements(tmp_path):
    corpus = corpus_with(tmp_path, [
        ("turkey", ARMS[0], "support"), ("erdogan", ARMS[0], "support"),  # same state twice: +1
        ("usa", ARMS[0], "oppose"),
        ("usa", ARMS[1], "support"), ("kirby", ARMS[1], "oppose"),        # mixed: 0
        ("russia", ARMS[2], "neutral"),                                    # neutral: 0
    ])
    matrix = analysis.stance_matrix(corpus, topic="arms")
    assert matrix.loc["turkey", ARMS[0]] == 1
    assert matrix.loc["usa", ARMS[0]] == -1
    assert matrix.loc["usa", ARMS[1]] == 0
    assert matrix.loc["russia", ARMS[2]] == 0
    assert np.isnan(matrix.loc["turkey", ARMS[1]])  # silent is not the same as neutral
    actor_level = analysis.stance_matrix(corpus, level="actor", topic="arms")
    assert actor_level.loc["kirby", ARMS[1]] == -1 and actor_level.loc["usa", ARMS[1]] == 1


def test_alignment_is_agree_minus_disagree_over_shared_claims(tmp_path):
    # Turkey and the US: agree on claims 0, 1, 2, disagree on 3 -> (3 - 1) / 4 = 0.5.
    # Russia shares only claim 3 with Turkey (agree), and holds a mixed position on claim 0,
    # which is therefore not shared.
    rows = [("turkey", c, "support") for c in ARMS]
    rows += [("usa", c, "support") for c in ARMS[:3]] + [("usa", ARMS[3], "oppose")]
    rows += [("russia", ARMS[3], "support"), ("russia", ARMS[0], "support"),
             ("russia", ARMS[0], "oppose")]
    alignments = analysis.alignment(stances_corpus := corpus_with(tmp_path, rows), n_boot=500)
    turkey_usa = analysis.pair(alignments, "usa", "turkey", "arms")
    assert (turkey_usa["shared_claims"], turkey_usa["agree"], turkey_usa["disagree"]) == (4, 3, 1)
    assert turkey_usa["alignment"] == pytest.approx(0.5)
    russia_turkey = analysis.pair(alignments, "russia", "turkey", "arms")
    assert (russia_turkey["shared_claims"], russia_turkey["alignment"]) == (1, 1.0)
    assert analysis.pair(alignments, "russia", "turkey", "syria")["shared_claims"] == 0
    assert analysis.pair(alignments, "france", "turkey")["shared_claims"] == 0
    assert stances_corpus.statements["statement_id"].size == 11


def test_bootstrap_interval_brackets_the_estimate_and_is_seeded(tmp_path):
    rows = [("turkey", c, "support") for c in ARMS]
    rows += [("usa", c, "support") for c in ARMS[:3]] + [("usa", ARMS[3], "oppose")]
    corpus = corpus_with(tmp_path, rows)
    first = analysis.pair(analysis.alignment(corpus, seed=7), "turkey", "usa", "arms")
    again = analysis.pair(analysis.alignment(corpus, seed=7), "turkey", "usa", "arms")
    assert (first["low"], first["high"]) == (again["low"], again["high"])
    assert -1 <= first["low"] <= first["alignment"] <= first["high"] <= 1
    # With 4 claims and one disagreement, a resample can hold 0..4 disagreements: the
    # interval must reach below the estimate and up to +1 (a resample with no disagreement).
    assert first["low"] < 0.5 and first["high"] == 1.0


def test_identical_positions_give_a_degenerate_interval(tmp_path):
    rows = [("turkey", c, "support") for c in ARMS] + [("usa", c, "oppose") for c in ARMS]
    row = analysis.pair(analysis.alignment(corpus_with(tmp_path, rows)), "turkey", "usa", "arms")
    assert (row["alignment"], row["low"], row["high"]) == (-1.0, -1.0, -1.0)


def test_verdict_needs_enough_claims_and_an_interval_clear_of_zero():
    row = {"shared_claims": 5, "low": 0.2, "high": 0.9}
    assert analysis.verdict(row, 1) == "supported"
    assert analysis.verdict(row, -1) == "contradicted"
    assert analysis.verdict({**row, "low": -0.2}, 1) == "inconclusive"
    assert analysis.verdict({**row, "shared_claims": 2}, 1) == "too thin to say"


def test_networks_count_shared_and_opposed_claims(tmp_path):
    rows = [("turkey", c, "support") for c in ARMS]
    rows += [("usa", c, "support") for c in ARMS[:3]] + [("usa", ARMS[3], "oppose")]
    rows += [("lavrov", ARMS[3], "oppose")]
    congruence, conflict = analysis.networks(corpus_with(tmp_path, rows))
    assert congruence["turkey"]["usa"]["weight"] == 3
    assert conflict["turkey"]["usa"]["weight"] == 1
    assert congruence["russia"]["usa"]["weight"] == 1  # both oppose claim 3 (Lavrov -> Russia)
    assert conflict["russia"]["turkey"]["claims"] == ARMS[3]
    assert sorted(congruence.nodes) == ["russia", "turkey", "usa"]


def test_graphml_export_round_trips_and_is_stable(tmp_path):
    corpus = stances.load()
    congruence, _ = analysis.networks(corpus)
    first = analysis.export_graphml(congruence, tmp_path / "a.graphml")
    second = analysis.export_graphml(analysis.networks(corpus)[0], tmp_path / "b.graphml")
    assert first.read_bytes() == second.read_bytes()
    back = nx.read_graphml(first)
    assert sorted(back.edges) == sorted(congruence.edges)


def test_coverage_counts_statements_per_sentence():
    corpus = stances.load()
    table = analysis.coverage(corpus, DOC_ID)
    text = corpus.text(DOC_ID)
    assert all(text[s:e] == sentence for s, e, sentence in
               table[["start", "end", "sentence"]].itertuples(index=False))
    # Every statement lies in at least one sentence, so the counts cover all statements.
    assert table["statements"].sum() >= len(corpus.statements)
    assert table.loc[0, "sentence"] == text.splitlines()[0]  # the headline is a sentence


def test_thesis_test_reports_who_states_each_part():
    corpus = stances.load()
    verdicts = analysis.thesis_test(corpus, n_boot=200)
    assert verdicts.index.tolist() == corpus.thesis["part"].tolist()
    for part in corpus.thesis.itertuples(index=False):
        speakers = set(corpus.statements.loc[corpus.statements["claim_id"] == part.claim_id, "speaker"])
        assert verdicts.loc[part.part, "stated_by"] == ", ".join(sorted(speakers))


def _with_thesis(data: Path, rows: list[list[str]]) -> None:
    with (data / "thesis.csv").open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(["part_id", "part", "a", "b", "topic", "expected", "claim_id", "note"])
        writer.writerows(rows)


def test_the_thesis_under_test_is_read_from_the_data(tmp_path):
    positions = [("erdogan", c, "support") for c in ARMS] + [("kirby", c, "oppose") for c in ARMS]
    corpus = corpus_with(tmp_path, positions)
    _with_thesis(corpus.data_dir, [["clash", "they clash", "erdogan", "kirby", "arms", "disagree", "", ""],
                                   ["peace", "they agree", "turkey", "usa", "arms", "agree", "", ""]])
    verdicts = analysis.thesis_test(stances.load(corpus.data_dir), n_boot=200)
    # persons are tested at the level of the states they represent
    assert verdicts["pair"].tolist() == ["turkey–usa", "turkey–usa"]
    assert verdicts.loc["they clash", "verdict"] == "supported"
    assert verdicts.loc["they agree", "verdict"] == "contradicted"
    assert verdicts["stated_by"].tolist() == ["nobody", "nobody"]


def test_robustness_lowers_the_threshold_by_one_claim(tmp_path):
    positions = [("turkey", c, "support") for c in ARMS[:2]] + [("usa", c, "oppose") for c in ARMS[:2]]
    corpus = corpus_with(tmp_path, positions)
    _with_thesis(corpus.data_dir, [["clash", "they clash", "turkey", "usa", "arms", "disagree", "", ""]])
    table = analysis.robustness(stances.load(corpus.data_dir), n_boot=200)
    assert table.loc["they clash", "first coding"] == "too thin to say"
    assert table.loc["they clash", "threshold 2 claims"] == "supported"
    assert "second coding" in table.columns


def test_one_pairs_interval_does_not_depend_on_the_other_pairs(tmp_path):
    rows = [("turkey", c, "support") for c in ARMS]
    rows += [("usa", c, "support") for c in ARMS[:2]] + [("usa", c, "oppose") for c in ARMS[2:]]
    rows += [("russia", c, "oppose") for c in ARMS[:3]]
    corpus = corpus_with(tmp_path, rows)
    alone = analysis.pair(analysis.alignment(corpus, actors=["turkey", "usa"]), "turkey", "usa", "arms")
    among_all = analysis.pair(analysis.alignment(corpus), "turkey", "usa", "arms")
    assert alone.equals(among_all)
    assert alone["low"] < alone["alignment"] < alone["high"]  # a real interval, not a fixed point


# --------------------------------------------------------------------------- robustness variants


def test_robustness_keeps_its_shape_and_names_every_variant(tmp_path):
    positions = [("turkey", c, "support") for c in ARMS[:2]] + [("usa", c, "oppose") for c in ARMS[:2]]
    corpus = corpus_with(tmp_path, positions)
    _with_thesis(corpus.data_dir, [["clash", "they clash", "turkey", "usa", "arms", "disagree", "", ""]])
    corpus = stances.load(corpus.data_dir)
    table = analysis.robustness(corpus, n_boot=200)
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


def test_persons_kept_apart_test_the_pair_as_written(tmp_path):
    # Erdogan (Turkey) and Kirby (US) clash on three claims; the states themselves say nothing.
    positions = [("erdogan", c, "support") for c in ARMS[:3]] + [("kirby", c, "oppose") for c in ARMS[:3]]
    corpus = corpus_with(tmp_path, positions)
    _with_thesis(corpus.data_dir, [["clash", "they clash", "turkey", "usa", "arms", "disagree", "", ""]])
    table = analysis.robustness(stances.load(corpus.data_dir), n_boot=200)
    assert table.loc["they clash", "first coding"] == "supported"        # rolled up: 3 shared claims
    assert table.loc["they clash", "persons kept apart"] == "too thin to say"  # Turkey, US: none


def test_headline_units_are_those_in_the_opening_lines_without_a_stop():
    corpus = stances.load()
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


def test_no_headline_result_reads_the_target_and_author_shares_leave_with_the_author():
    corpus = stances.load()
    details = analysis.robustness_details(corpus, n_boot=200)
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


def test_the_summary_says_which_findings_hold_under_every_variant():
    import pandas as pd

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


def test_the_verdict_grid_is_reproducible_svg():
    import io

    from stances import plots

    corpus = stances.setup("data")
    table = analysis.robustness(corpus, n_boot=100)
    outputs = []
    for _ in range(2):
        buffer = io.BytesIO()
        plots.verdict_grid(corpus, table, "title").savefig(buffer, format="svg", metadata={"Date": None})
        outputs.append(buffer.getvalue())
    assert outputs[0] == outputs[1] and b"dc:date" not in outputs[0]
