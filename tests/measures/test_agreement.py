"""Inter-coder agreement: the unitizing and matching rules and the tables built on them, on
small hand-built codings; Krippendorff's alpha by hand and against the `krippendorff` package;
unitizing on the real codings."""

from __future__ import annotations

import krippendorff
import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from stances.measures import agreement


def alpha_nominal(first, second) -> float:
    """Nominal alpha, as the library computes it (``alpha_with_interval``'s estimate)."""
    return agreement.alpha_with_interval(first, second, n_boot=1)["alpha"]

# --- small hand-built codings: the rules of the module docstring, one at a time ---------------


def coding(*rows, doc_id: str = "d") -> pd.DataFrame:
    """Statements typed as the loader types them, from (statement_id, start, end, speaker,
    claim_id[, stance[, target[, doc_id]]]) tuples; stance defaults to support, target to empty."""
    records = []
    for row in rows:
        sid, start, end, speaker, claim, *rest = row
        stance = rest[0] if rest else "support"
        target = rest[1] if len(rest) > 1 else None
        doc = rest[2] if len(rest) > 2 else doc_id
        records.append({"statement_id": sid, "doc_id": doc, "start": start, "end": end,
                        "speaker": speaker, "claim_id": claim, "stance": stance,
                        "attribution": "direct_quote", "target": target})
    table = pd.DataFrame(records, columns=["statement_id", "doc_id", "start", "end", "speaker",
                                           "claim_id", "stance", "attribution", "target"])
    return table.astype({"statement_id": "string", "doc_id": "string", "start": "Int64",
                         "end": "Int64", "speaker": "string", "claim_id": "string",
                         "stance": "category", "attribution": "category", "target": "string"})


def pairs(a: pd.DataFrame, b: pd.DataFrame, **options) -> list[tuple[str, str]]:
    """The (statement_id_a, statement_id_b) pairs that ``match`` chose."""
    table = agreement.match(a, b, **options)
    chosen = table[table["matched"]]
    return sorted(zip(chosen["statement_id_a"], chosen["statement_id_b"], strict=True))


def matched(a: pd.DataFrame, b: pd.DataFrame, **options) -> int:
    return int(agreement.unitizing(a, b, **options).iloc[0]["matched"])


@pytest.mark.parametrize(("span_b", "expected"), [
    ((5, 15), 1),    # shares 5 of 10 characters: exactly half is enough
    ((6, 16), 0),    # shares 4 of 10: less than half
    ((-5, 5), 1),    # the same on the left
    ((-6, 4), 0),
    ((0, 10), 1),
])
def test_equal_spans_overlap_from_exactly_half(span_b, expected):
    a = coding(("a1", 0, 10, "x", "c"))
    b = coding(("b1", *span_b, "x", "c"))
    assert matched(a, b) == expected
    assert matched(b, a) == expected
    assert pairs(a, b) == ([("a1", "b1")] if expected else [])  # match's own default


@pytest.mark.parametrize(("span_b", "expected"), [
    ((90, 110), 1),   # the shorter span (20) shares 10 characters with the long one: half of it
    ((91, 111), 0),   # 9 of 20
    ((40, 60), 1),    # inside the long span: all of it
    ((-10, 10), 1),
    ((-11, 9), 0),
])
def test_half_is_measured_on_the_shorter_span(span_b, expected):
    long = coding(("a1", 0, 100, "x", "c"))
    short = coding(("b1", *span_b, "x", "c"))
    assert matched(long, short) == expected
    assert matched(short, long) == expected


def test_min_overlap_sets_the_share_of_the_shorter_span():
    a = coding(("a1", 0, 10, "x", "c"))
    b = coding(("b1", 8, 28, "x", "c"))  # shares 2 of the 10 characters of the shorter span
    assert matched(a, b) == 0
    assert matched(a, b, min_overlap=0.2) == 1
    assert matched(a, b, min_overlap=0.21) == 0
    assert matched(a, coding(("b1", 0, 10, "x", "c")), min_overlap=1.0) == 1
    assert matched(a, coding(("b1", 1, 10, "x", "c")), min_overlap=1.0) == 1  # b is inside a
    assert matched(a, coding(("b1", 1, 11, "x", "c")), min_overlap=1.0) == 0


@pytest.mark.parametrize("min_overlap", [0.0, 0.5, 1.0])
def test_touching_spans_share_nothing_and_never_overlap(min_overlap):
    a = coding(("a1", 0, 10, "x", "c"))
    for span in [(10, 20), (-10, 0), (20, 30)]:
        b = coding(("b1", *span, "x", "c"))
        assert matched(a, b, min_overlap=min_overlap) == 0
        assert agreement.overlaps(a, b, min_overlap).empty
    assert matched(a, coding(("b1", 9, 20, "x", "c")), min_overlap=0.0) == 1  # one character


def test_spans_in_different_documents_never_overlap():
    a = coding(("a1", 0, 10, "x", "c", "support", None, "d1"),
               ("a2", 0, 10, "x", "c", "support", None, "d2"))
    b = coding(("b0", 0, 10, "x", "c", "support", None, "d0"),
               ("b1", 0, 10, "x", "c", "support", None, "d2"),
               ("b2", 0, 10, "x", "c", "support", None, "d3"))
    assert pairs(a, b) == [("a2", "b1")]
    assert pairs(b, a) == [("b1", "a2")]


def test_overlaps_lists_every_pair_that_overlaps_enough():
    a = coding(("a1", 0, 10, "x", "c"), ("a2", 20, 30, "x", "c"))
    b = coding(("b1", 5, 25, "x", "c"), ("b2", 100, 110, "x", "c"), ("b3", 0, 10, "x", "c"),
               ("b4", 8, 28, "x", "c"))  # b4 shares 2 characters with a1: too few
    found = agreement.overlaps(a, b)
    assert sorted(zip(found["i"], found["j"], strict=True)) == [(0, 0), (0, 2), (1, 0), (1, 3)]
    identical = found[(found["i"] == 0) & (found["j"] == 2)]["overlap"]
    assert identical.tolist() == [1.0]  # identical spans overlap fully
    assert (found["overlap"] > 0).all() and (found["overlap"] <= 1).all()
    assert agreement.overlaps(a.iloc[:0], b).empty


def test_overlaps_of_several_documents_form_one_table():
    a = coding(("a1", 0, 10, "x", "c", "support", None, "d1"),
               ("a2", 0, 10, "x", "c", "support", None, "d2"))
    b = coding(("b1", 0, 10, "x", "c", "support", None, "d2"),
               ("b2", 0, 10, "x", "c", "support", None, "d1"))
    found = agreement.overlaps(a, b)
    assert list(found.index) == [0, 1]  # one row per pair, numbered once
    assert sorted(zip(found["i"], found["j"], strict=True)) == [(0, 1), (1, 0)]


def test_matching_prefers_same_speaker_and_claim_then_same_claim_then_same_speaker():
    a = coding(("a1", 0, 10, "turkey", "deal"))
    same_claim = ("claim", 0, 10, "russia", "deal")
    same_speaker = ("speaker", 0, 10, "turkey", "other")
    neither = ("neither", 0, 10, "russia", "other")
    both = ("both", 0, 10, "turkey", "deal")
    # the preferred row comes last each time, so "earlier rows" cannot explain the choice
    assert pairs(a, coding(neither, same_speaker, same_claim, both)) == [("a1", "both")]
    assert pairs(a, coding(neither, same_speaker, same_claim)) == [("a1", "claim")]
    assert pairs(a, coding(neither, same_speaker)) == [("a1", "speaker")]
    assert pairs(a, coding(neither)) == [("a1", "neither")]
    # and the same from the other side
    assert pairs(coding(neither, same_speaker, same_claim), a) == [("claim", "a1")]
    assert pairs(coding(neither, same_speaker), a) == [("speaker", "a1")]
    # codes that sort before or after the other coder's are still different codes
    later = ("later", 0, 10, "usa", "zone")
    assert pairs(a, coding(later, same_speaker)) == [("a1", "speaker")]
    assert pairs(a, coding(later, same_claim)) == [("a1", "claim")]


def test_equal_codes_beat_a_larger_overlap():
    a = coding(("a1", 0, 10, "turkey", "deal"))
    b = coding(("full", 0, 10, "russia", "other"), ("half", 5, 15, "turkey", "deal"))
    assert pairs(a, b) == [("a1", "half")]


def test_among_equal_codes_the_larger_overlap_wins():
    # b1 shares 20 characters with a1 (all of a1, two thirds of b1); b2 shares 12 characters
    # (all of b2, 0.6 of a1): b1 overlaps more however it is measured.
    a = coding(("a1", 0, 20, "x", "c"))
    b = coding(("b2", 8, 20, "x", "c"), ("b1", 0, 30, "x", "c"))
    assert pairs(a, b) == [("a1", "b1")]
    assert pairs(b, a) == [("b1", "a1")]
    b = coding(("b2", 0, 12, "x", "c"), ("b1", 0, 20, "x", "c"))
    assert pairs(a, b) == [("a1", "b1")]


def test_the_larger_overlap_wins_anywhere_in_the_text():
    # b1 lies inside a1 and shares 50 characters with it; b2 shares 40 and sticks out: b1
    # overlaps more by every measure (characters, share of either span, share of the union).
    a = coding(("a1", 100, 200, "x", "c"))
    b = coding(("b2", 60, 140, "x", "c"), ("b1", 150, 200, "x", "c"))
    assert pairs(a, b) == [("a1", "b1")]
    assert pairs(b, a) == [("b1", "a1")]


@pytest.mark.parametrize(("better", "worse"), [
    ((40, 150), (60, 140)), ((40, 150), (160, 240)), ((40, 160), (40, 150)), ((40, 200), (40, 190)),
    ((50, 160), (40, 150)), ((120, 250), (40, 170)), ((130, 250), (40, 160)), ((50, 210), (40, 190)),
])
def test_the_span_sharing_more_of_a_long_statement_wins(better, worse):
    # Against a1 = 100-200, ``better`` shares more characters than ``worse`` and a larger share
    # of the longer span (and no smaller a share of the shorter one). It comes second, so only
    # the overlap can pick it.
    a = coding(("a1", 100, 200, "x", "c"))
    b = coding(("worse", *worse, "x", "c"), ("better", *better, "x", "c"))
    assert pairs(a, b) == [("a1", "better")]
    assert pairs(b, a) == [("better", "a1")]


def test_ties_go_to_the_earlier_rows():
    a = coding(("a1", 0, 10, "x", "c"))
    b = coding(("b1", 0, 10, "x", "c"), ("b2", 0, 10, "x", "c"))
    assert pairs(a, b) == [("a1", "b1")]
    assert pairs(b, a) == [("b1", "a1")]


def test_matching_is_one_to_one_and_greedy():
    a = coding(("a1", 0, 10, "x", "c"), ("a2", 0, 10, "x", "c"), ("a3", 50, 60, "x", "c"))
    b = coding(("b1", 0, 10, "x", "c"), ("b2", 2, 12, "x", "c"))
    assert pairs(a, b) == [("a1", "b1"), ("a2", "b2")]
    counts = agreement.unitizing(a, b).iloc[0][["matched", "statements_a", "statements_b"]]
    assert counts.tolist() == [2, 3, 2]


def test_code_blind_matching_ignores_the_codes():
    a = coding(("a1", 0, 10, "turkey", "deal"))
    b = coding(("other", 0, 10, "russia", "other"), ("same", 1, 11, "turkey", "deal"))
    assert pairs(a, b) == [("a1", "same")]
    assert pairs(a, b, prefer_same_codes=False) == [("a1", "other")]  # the larger overlap
    b = coding(("other", 0, 10, "russia", "other"), ("same", 0, 10, "turkey", "deal"))
    assert pairs(a, b, prefer_same_codes=False) == [("a1", "other")]  # the earlier row


def test_greedy_preference_for_equal_codes_can_change_how_many_units_match():
    # b2 overlaps both a1 and a2 and has a1's codes; b1 overlaps a1 only. Preferring equal codes
    # pairs a1 with b2 first and leaves a2 and b1 without a partner; code-blind matching pairs
    # a1 with b1 (the full overlap) and a2 with b2.
    a = coding(("a1", 0, 10, "x", "c"), ("a2", 12, 22, "y", "d"))
    b = coding(("b1", 0, 10, "y", "d"), ("b2", 5, 17, "x", "c"))
    assert pairs(a, b) == [("a1", "b2")]
    assert matched(a, b) == 1
    assert pairs(a, b, prefer_same_codes=False) == [("a1", "b1"), ("a2", "b2")]
    assert matched(a, b, prefer_same_codes=False) == 2


def test_the_matched_table_has_both_sides_unmatched_rows_and_position_order():
    a = coding(("a1", 30, 40, "x", "c"), ("a2", 0, 10, "x", "c"), ("a3", 60, 70, "y", "c"))
    b = coding(("b1", 0, 10, "x", "c"), ("b2", 45, 50, "x", "c"), ("b3", 31, 41, "x", "c"))
    b.index = [7, 8, 9]  # a caller's own index is not carried into the table
    table = agreement.match(a, b)
    assert sorted(table.columns) == sorted([f"{c}_a" for c in a.columns] + [f"{c}_b" for c in b.columns]
                                           + ["matched"])
    assert list(table.index) == list(range(4))
    assert list(table["statement_id_a"].fillna("-")) == ["a2", "a1", "-", "a3"]
    assert list(table["statement_id_b"].fillna("-")) == ["b1", "b3", "b2", "-"]
    assert list(table["matched"]) == [True, True, False, False]


def test_unitizing_counts_matches_against_each_coding():
    a = coding(("a1", 0, 10, "x", "c"), ("a2", 20, 30, "x", "c"), ("a3", 40, 50, "x", "c"),
               ("a4", 60, 70, "x", "c"))
    b = coding(("b1", 0, 10, "x", "c"), ("b2", 20, 30, "y", "d"), ("b3", 80, 90, "x", "c"))
    units = agreement.unitizing(a, b)
    assert list(units.index) == ["b vs a"]
    row = units.iloc[0]
    assert (row["statements_a"], row["statements_b"], row["matched"]) == (4, 3, 2)
    assert row["precision"] == pytest.approx(2 / 3)
    assert row["recall"] == pytest.approx(2 / 4)
    assert row["f1"] == pytest.approx(2 * 2 / (4 + 3))


@pytest.mark.parametrize(("n_a", "n_b"), [(1, 2), (2, 1), (1, 5), (5, 1), (3, 3), (2, 4), (4, 2),
                                           (0, 1), (1, 0), (0, 3), (6, 3)])
def test_unitizing_scores_follow_from_the_counts(n_a, n_b):
    # statement k of either coding sits on span k, so min(n_a, n_b) pairs match
    a = coding(*[(f"a{k}", 20 * k, 20 * k + 10, "x", "c") for k in range(n_a)])
    b = coding(*[(f"b{k}", 20 * k, 20 * k + 10, "x", "c") for k in range(n_b)])
    row = agreement.unitizing(a, b).iloc[0]
    both = min(n_a, n_b)
    assert row["matched"] == both
    assert row["f1"] == pytest.approx(2 * both / (n_a + n_b))
    assert row["precision"] == (pytest.approx(both / n_b) if n_b else pytest.approx(np.nan, nan_ok=True))
    assert row["recall"] == (pytest.approx(both / n_a) if n_a else pytest.approx(np.nan, nan_ok=True))


def test_unitizing_against_an_empty_coding():
    a = coding(("a1", 0, 10, "x", "c"))
    empty = a.iloc[:0]
    one_sided = agreement.unitizing(a, empty).iloc[0]
    assert one_sided["matched"] == 0 and one_sided["recall"] == 0.0 and one_sided["f1"] == 0.0
    assert np.isnan(one_sided["precision"])
    assert np.isnan(agreement.unitizing(empty, a).iloc[0]["recall"])
    both = agreement.unitizing(empty, empty).iloc[0]
    assert np.isnan(both["precision"]) and np.isnan(both["recall"]) and np.isnan(both["f1"])


# --- alpha, its interval, and the tables built on matched pairs -------------------------------

def test_alpha_on_a_hand_counted_example():
    # units (x,x) (x,y) (y,y) (y,y): 2 of 8 pairable values disagree, 3 x and 5 y values, so
    # expected disagreement (64 - 9 - 25) / 7 and alpha = 1 - 2 / (30 / 7) = 8 / 15.
    assert alpha_nominal(list("xxyy"), list("xyyy")) == pytest.approx(8 / 15)
    # (x,y) (y,x): all 4 values disagree, expected (16 - 4 - 4) / 3, alpha = 1 - 4 / (8 / 3)
    assert alpha_nominal(list("xy"), list("yx")) == pytest.approx(-0.5)
    assert alpha_nominal(list("xyz"), list("xyz")) == pytest.approx(1.0)
    assert np.isnan(alpha_nominal(list("xx"), list("xx")))  # no variation at all
    # a single unit (x,y): 2 disagreeing values, expected (4 - 1 - 1) / 1 = 2, alpha = 1 - 2 / 2
    assert alpha_nominal(["x"], ["y"]) == pytest.approx(0.0)
    one = agreement.alpha_with_interval(["x"], ["y"], n_boot=20)
    assert one["units"] == 1 and one["alpha"] == pytest.approx(0.0)
    assert np.isnan(alpha_nominal(["x"], ["x"]))
    assert np.isnan(alpha_nominal([], []))


@pytest.mark.parametrize("missing", [None, np.nan, pd.NA])
def test_alpha_skips_units_either_coder_left_empty(missing):
    full = alpha_nominal(list("xxyy"), list("xyyy"))
    assert alpha_nominal(list("xxyy") + [missing, "x"],
                                   list("xyyy") + ["y", missing]) == pytest.approx(full)
    result = agreement.alpha_with_interval(list("xxyy") + [missing], list("xyyy") + ["x"], n_boot=20)
    assert result["units"] == 4 and result["alpha"] == pytest.approx(full)
    assert np.isnan(alpha_nominal([missing, missing], ["x", "y"]))


def _captured_statistic(monkeypatch, first, second, **options):
    """The statistic ``alpha_with_interval`` hands to ``bootstrap_interval``, and its result."""
    seen = {}

    def capture(statistic, units, n_boot=2000, seed=0, key=()):
        seen.update(statistic=statistic, units=units, n_boot=n_boot, seed=seed, key=key)
        return (-0.25, 0.75)  # a marker: the result must be passed through as it is

    monkeypatch.setattr(agreement, "bootstrap_interval", capture)
    return seen, agreement.alpha_with_interval(first, second, **options)


def _krippendorff(first, second, level="nominal", domain=None):
    import krippendorff

    return krippendorff.alpha(reliability_data=np.array([first, second], dtype=float),
                              level_of_measurement=level, value_domain=domain)


def test_each_resample_is_scored_by_krippendorffs_alpha_of_the_units_drawn(monkeypatch):
    # The reference is the krippendorff package, applied to the units each row of draws picks.
    first, second = list("aaabbbccaa"), list("aabbbccccb")
    seen, result = _captured_statistic(monkeypatch, first, second, n_boot=400, seed=3)
    assert (seen["units"], seen["n_boot"], seen["seed"], seen["key"]) == (10, 400, 3, ())
    assert (result["low"], result["high"], result["units"]) == (-0.25, 0.75, 10)
    codes = {"a": 1, "b": 2, "c": 3}
    draws = np.array([list(range(10)), [0, 0, 3, 3, 5, 5, 7, 7, 9, 9], [1, 2, 4, 6, 8, 8, 8, 0, 3, 5]])
    ours = seen["statistic"](draws)
    for row, value in zip(draws, ours, strict=True):
        theirs = _krippendorff([codes[first[k]] for k in row], [codes[second[k]] for k in row])
        assert value == pytest.approx(theirs)
    assert result["alpha"] == pytest.approx(_krippendorff([codes[v] for v in first],
                                                           [codes[v] for v in second]))
    # a resample without variation has no alpha: NaN, which bootstrap_interval leaves out
    assert np.isnan(seen["statistic"](np.array([[0] * 10]))).all()


def test_the_ordinal_statistic_is_krippendorffs_ordinal_alpha_of_the_units_drawn(monkeypatch):
    order = ["wrong", "misleading", "imprecise", "accurate"]
    first = ["accurate", "imprecise", "wrong", "misleading", "accurate", "imprecise"]
    second = ["accurate", "accurate", "wrong", "wrong", "imprecise", "imprecise"]
    seen, _ = _captured_statistic(monkeypatch, first, second, n_boot=40, seed=1, values=order)
    rank = {code: i + 1 for i, code in enumerate(order)}
    draws = np.array([[0, 1, 2, 3, 4, 5], [0, 0, 2, 3, 3, 5], [1, 1, 2, 2, 4, 4]])
    for row, value in zip(draws, seen["statistic"](draws), strict=True):
        theirs = _krippendorff([rank[first[k]] for k in row], [rank[second[k]] for k in row],
                               level="ordinal", domain=[1, 2, 3, 4])
        assert value == pytest.approx(theirs)


def test_the_interval_defaults_to_2000_resamples_with_seed_0():
    # 40 units with four codes: enough distinct resampled alphas for every setting to show
    first = list("abcdabcdaabbccddabcdabcdaabbccddabcdabcd")
    second = list("abcdabcdbbccddaaabcdabdcaabbccddbacdabcd")
    default = agreement.alpha_with_interval(first, second)
    assert default == agreement.alpha_with_interval(first, second, n_boot=2000, seed=0)
    for other in [{"n_boot": 1999}, {"n_boot": 2001}, {"seed": 1}]:
        assert default != agreement.alpha_with_interval(first, second, **{"n_boot": 2000, **other})
    table = pd.DataFrame({"matched": True, "stance_a": first, "stance_b": second})
    codes = agreement.code_agreement(table, fields=["stance"]).iloc[0]
    assert (codes["low"], codes["high"]) == (default["low"], default["high"])


def test_an_interval_without_any_pairable_or_varying_unit_is_undefined():
    none = agreement.alpha_with_interval([None, "a"], ["b", None])
    assert none["units"] == 0 and all(np.isnan(none[k]) for k in ("alpha", "low", "high"))
    flat = agreement.alpha_with_interval(["a", "a"], ["a", "a"], n_boot=50)
    assert flat["units"] == 2 and all(np.isnan(flat[k]) for k in ("alpha", "low", "high"))


@pytest.fixture
def two_codings():
    a = coding(("a1", 0, 10, "turkey", "deal", "support"),
               ("a2", 20, 30, "russia", "deal", "oppose", "usa"),
               ("a3", 40, 50, "usa", "sanctions", "oppose"),
               ("a4", 90, 99, "usa", "sanctions", "oppose"))
    b = coding(("b1", 0, 10, "turkey", "deal", "support"),
               ("b2", 20, 30, "russia", "deal", "support"),
               ("b3", 40, 50, "usa", "sanctions", "oppose"),
               ("b4", 60, 70, "nato", "deal", "neutral"))
    return a, b


def test_code_agreement_uses_matched_pairs_only_and_counts_an_empty_target_as_none(two_codings):
    table = agreement.match(*two_codings)
    codes = agreement.code_agreement(table, n_boot=50).set_index("code")
    assert list(codes.index) == agreement.CODES
    assert (codes["units"] == 3).all()
    assert codes.loc["speaker", "percent_agreement"] == 1.0
    assert codes.loc["stance", "percent_agreement"] == pytest.approx(2 / 3)
    assert codes.loc["target", "percent_agreement"] == pytest.approx(2 / 3)
    # targets (none, none) (usa, none) (none, none): 2 of 6 values disagree, expected (36-25-1)/5
    assert codes.loc["target", "alpha"] == pytest.approx(0.0)
    assert codes.loc["stance", "alpha"] == pytest.approx(
        alpha_nominal(["support", "oppose", "oppose"], ["support", "support", "oppose"]))
    assert codes.loc["speaker", "alpha"] == pytest.approx(1.0)  # three speakers, always agreed
    only = agreement.code_agreement(table, fields=["stance"], n_boot=50)
    assert list(only["code"]) == ["stance"]
    assert list(only.columns) == ["code", "alpha", "low", "high", "units", "percent_agreement"]


def test_percent_agreement_counts_equal_codes_only():
    a = coding(("a1", 0, 10, "x", "c", "support"), ("a2", 20, 30, "x", "c", "oppose"),
               ("a3", 40, 50, "x", "c", "neutral"))
    b = coding(("b1", 0, 10, "x", "c", "oppose"), ("b2", 20, 30, "x", "c", "support"),
               ("b3", 40, 50, "x", "c", "neutral"))
    codes = agreement.code_agreement(agreement.match(a, b), fields=["stance"], n_boot=20)
    assert codes["percent_agreement"].iloc[0] == pytest.approx(1 / 3)


def test_confusion_cross_tables_the_matched_pairs(two_codings):
    confusion = agreement.confusion(agreement.match(*two_codings), "stance")
    assert confusion.index.name == "stance (a)" and confusion.columns.name == "stance (b)"
    assert confusion.loc["support", "support"] == 1
    assert confusion.loc["oppose", "support"] == 1
    assert confusion.loc["oppose", "oppose"] == 1
    assert confusion.to_numpy().sum() == 3  # the unmatched a4 and b4 are not in it
    assert "neutral" not in confusion.columns


def test_disagreements_name_what_differs(two_codings):
    listed = agreement.disagreements(agreement.match(*two_codings))
    assert list(listed.columns[:1]) == ["differs_in"]
    found = dict(zip(listed["statement_id_a"].fillna(listed["statement_id_b"]), listed["differs_in"],
                     strict=True))
    assert found == {"a2": "stance, target", "b4": "only coder b", "a4": "only coder a"}
    stance_only = agreement.disagreements(agreement.match(*two_codings), fields=["stance"])
    assert list(stance_only["differs_in"]) == ["stance", "only coder b", "only coder a"]


def test_identical_codings_have_no_disagreements(two_codings):
    a, _ = two_codings
    assert agreement.disagreements(agreement.match(a, a)).empty


def test_only_an_empty_target_counts_as_a_code_other_empty_codes_are_skipped(two_codings):
    a, b = two_codings
    # two extra codes, one sorting before "target" and one after it, empty in the second pair
    a = a.assign(note=pd.array(["n", None, "m", "m"], dtype="string"),
                 tone=pd.array(["hot", None, "cold", "cold"], dtype="string"))
    b = b.assign(note=pd.array(["n", "m", "m", "m"], dtype="string"),
                 tone=pd.array(["hot", "cold", "cold", "hot"], dtype="string"))
    codes = agreement.code_agreement(agreement.match(a, b), fields=["note", "tone", "target"],
                                     n_boot=20).set_index("code")
    assert codes.loc["note", "units"] == 2 and codes.loc["tone", "units"] == 2
    assert codes.loc["note", "alpha"] == pytest.approx(1.0)
    assert codes.loc["target", "units"] == 3
    # the field is recognised by its name, however the string was made
    built = agreement.code_agreement(agreement.match(a, b), fields=["".join(["tar", "get"])],
                                     n_boot=20)
    assert built["units"].iloc[0] == 3


# --- alpha against the krippendorff package, and unitizing on the real codings ---------------
# (after the hand-built tests: these are slower, and a mutation run stops at the first failure)

CODES = st.lists(st.tuples(st.integers(0, 3), st.integers(0, 3)), min_size=2, max_size=60)


def _has_variation(pairs) -> bool:
    return len({v for pair in pairs for v in pair}) > 1


@settings(derandomize=True, max_examples=60, deadline=None)
@given(CODES)
def test_alpha_matches_the_krippendorff_package(pairs):
    first, second = zip(*pairs, strict=True)
    ours = alpha_nominal(first, second)
    if not _has_variation(pairs):
        assert np.isnan(ours)  # alpha is undefined without variation
        return
    theirs = krippendorff.alpha(reliability_data=np.array([first, second], dtype=float),
                                level_of_measurement="nominal")
    assert ours == pytest.approx(theirs, abs=1e-9)


@settings(derandomize=True, max_examples=50, deadline=None)
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
    assert alpha_nominal(first, second) == pytest.approx(theirs, abs=1e-9)


@settings(derandomize=True, max_examples=50, deadline=None)
@given(CODES)
def test_alpha_is_one_on_identical_codings_and_symmetric(pairs):
    first, second = zip(*pairs, strict=True)
    if len(set(first)) > 1:
        assert alpha_nominal(first, first) == pytest.approx(1.0)
    forward, backward = alpha_nominal(first, second), alpha_nominal(second, first)
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


# --- one bootstrap for every interval; ordinal alpha --------------------------------------------

def test_the_interval_is_the_2_5th_and_97_5th_percentile_of_the_defined_values():
    # A statistic that ignores the draws fixes what the percentiles see. Written out by hand:
    # 0, 1, ..., 100 -> (2.5, 97.5); 0, 2, ..., 100 with NaN between (51 values): the 2.5th
    # percentile sits at rank 1.25, 2 + 0.25 * 2 = 2.5; the 97.5th at rank 48.75, 96 + 0.75 * 2.
    assert agreement.bootstrap_interval(lambda d: np.arange(101.0), 4, n_boot=101) == (2.5, 97.5)
    every_other = np.where(np.arange(101) % 2 == 0, np.arange(101.0), np.nan)
    assert agreement.bootstrap_interval(lambda d: every_other, 4, n_boot=101) == (2.5, 97.5)
    assert all(np.isnan(agreement.bootstrap_interval(lambda d: np.full(len(d), np.nan), 5, n_boot=10)))
    assert all(np.isnan(agreement.bootstrap_interval(lambda d: np.zeros(len(d)), 0)))


def test_two_values_resampled_give_the_whole_range():
    # Means of two draws from {0, 1} are 0, 0.5 or 1, each end with probability 1/4: among 2000
    # resamples both ends are far more often than 2.5% of the time, so the interval is (0, 1).
    values = np.array([0.0, 1.0])
    assert agreement.bootstrap_interval(lambda d: values[d].mean(axis=1), 2) == (0.0, 1.0)
    assert agreement.bootstrap_interval(lambda d: np.full(len(d), 0.3), 7) == pytest.approx((0.3, 0.3))


def test_the_draws_are_n_boot_resamples_with_replacement_from_a_seeded_keyed_stream():
    seen = []

    def probe(draws):
        seen.append(draws.copy())
        return np.zeros(len(draws))

    agreement.bootstrap_interval(probe, 5, n_boot=2000, seed=4, key=(9,))
    draws = seen[-1]
    assert draws.shape == (2000, 5) and draws.dtype.kind == "i"
    assert draws.min() == 0 and draws.max() == 4  # every unit can be drawn, none beyond
    assert any(len(set(row)) < 5 for row in draws)  # with replacement
    np.random.seed(123)  # the global generator plays no part
    agreement.bootstrap_interval(probe, 5, n_boot=2000, seed=4, key=(9,))
    assert (seen[-1] == draws).all()
    for other in [{"seed": 5, "key": (9,)}, {"seed": 4, "key": (8,)}, {"seed": 4, "key": ()}]:
        agreement.bootstrap_interval(probe, 5, n_boot=2000, **other)
        assert not (seen[-1] == draws).all(), other


def test_ordinal_alpha_with_its_interval_and_codes_off_the_order_named():
    order = ["wrong", "misleading", "imprecise", "accurate"]
    first, second = ["accurate", "imprecise", "wrong", None], ["accurate", "accurate", "wrong", "wrong"]
    result = agreement.alpha_with_interval(first, second, n_boot=40, seed=1, values=order)
    assert result["units"] == 3  # the unit one coder left empty is not pairable
    theirs = krippendorff.alpha(reliability_data=[[3, 2, 0, np.nan], [3, 3, 0, 0]],  # positions in order
                                level_of_measurement="ordinal")
    assert result["alpha"] == pytest.approx(theirs, abs=1e-9)
    assert result["low"] <= result["alpha"] <= result["high"]
    with pytest.raises(ValueError, match="codes not among the ordered values: maybe; values: wrong, "
                                         "misleading, imprecise, accurate"):
        agreement.alpha_with_interval(["maybe"], ["wrong"], values=order)
