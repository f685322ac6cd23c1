"""The second fact-check: one rating per unit (worst answer wins) and the side-by-side table."""

from __future__ import annotations

import pandas as pd
import pytest

import stances
from conftest import DATA
from stances import factcheck as criticism


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


def test_every_unit_both_checks_rated_is_compared_once(corpus):
    table = criticism.compare_ratings(corpus)
    second = set(corpus.factcheck_reliability["unit_id"])
    units = corpus.factchecks["unit_id"].drop_duplicates()
    assert list(table.index) == [unit for unit in units if unit in second]
    assert set(table.index) == second
    assert table["second"].notna().all()


def test_before_adjudication_the_checks_agree_on_28_of_40(corpus):
    before = criticism.rating_agreement(criticism.compare_ratings(corpus, first_column="first_rating"))
    assert before.loc["all units (nominal)", ["units", "agree", "alpha"]].tolist() == [40, 28, 0.507]


ADJUDICATION = DATA / "reliability" / "factcheck" / "adjudication"
AUDIT2 = DATA / "reliability" / "factcheck" / "audit2"


def _published_rulings() -> pd.DataFrame:
    """check_id -> (unit_id or None, the third reader's ruling, the first checker's rating, both
    checks rated it): the first adjudication's rulings, then the second audit's (issue 27) items
    A-D, which replace them where both ruled on a check."""
    first = pd.read_csv(ADJUDICATION / "output" / "adjudication.csv", dtype="string")
    second = pd.read_csv(AUDIT2 / "output" / "rulings.csv", dtype="string", keep_default_na=False)
    second = second[second["item"].str[0].isin(list("ABCD"))]
    rows = {r.check_id: (r.unit_id, r.adjudicated_rating, r.rating_A, True)
            for r in first.itertuples(index=False)}
    rows |= {r.check_id: (r.unit_id, r.ruling, r.rating_A, r.rating_B != "")
             for r in second.itertuples(index=False)}
    return pd.DataFrame.from_dict(rows, orient="index",
                                  columns=["unit_id", "ruling", "rating_A", "both_rated"])


def test_published_ratings_are_the_third_readers_and_the_route_says_so(corpus):
    rulings = _published_rulings()
    assert len(rulings) == 27  # 17 of the first adjudication, 19 of the second, 9 in both
    checks = corpus.factchecks.set_index("check_id")
    adjudicated = checks[checks["route"] == "adjudicated"]
    assert set(adjudicated.index) == set(rulings.index[rulings["both_rated"]])
    for check_id, ruling in rulings.iterrows():
        check = checks.loc[check_id]
        assert (check["unit_id"], check["rating"], check["first_rating"]) == \
            (ruling["unit_id"], ruling["ruling"], ruling["rating_A"]), check_id
    others = checks[checks["route"] != "adjudicated"]
    assert (others["rating"] == others["first_rating"]).all()


def test_the_second_audit_changed_four_published_ratings():
    # written by hand from audit2/output/rulings.csv against the ratings before it (commit 47f97b0)
    checks = stances.load(DATA).factchecks.set_index("check_id")
    assert checks.loc[["f17", "f28", "f12", "f03"], "rating"].tolist() == \
        ["unverifiable", "imprecise", "imprecise", "unverifiable"]


def test_agreed_means_both_checks_agreed_and_first_check_only_means_no_second_rating(corpus):
    checks = corpus.factchecks
    second = corpus.factcheck_reliability.set_index("unit_id")["rating"]
    first = criticism.unit_ratings(checks.assign(rating=checks["first_rating"]))
    for check in checks.itertuples(index=False):
        if check.route == "agreed":
            assert first[check.unit_id] == second[check.unit_id], check.check_id
        elif check.route == "first_check_only":
            assert check.unit_id not in second.index, check.check_id
        else:
            assert check.unit_id in second.index, check.check_id


def test_agreement_after_adjudication_compares_each_check_with_the_published_ratings(corpus):
    table = criticism.adjudication_agreement(corpus, n_boot=50)
    nominal = table.xs("all units (nominal)", level="level")
    assert list(nominal.index) == ["first vs second (before adjudication)", "first vs published",
                                   "second vs published"]
    assert (nominal["units"] == 40).all()
    published = criticism.compare_ratings(corpus)
    before = criticism.compare_ratings(corpus, first_column="first_rating")
    assert nominal.loc["second vs published", "agree"] == published["agree"].sum()
    assert nominal.loc["first vs published", "agree"] == (before["first"] == published["first"]).sum()
    assert nominal.loc["first vs second (before adjudication)", "agree"] == before["agree"].sum()


def test_the_adjudication_inputs_are_the_files_whose_sha256_the_readme_gives():
    import hashlib
    import re

    readme = (ADJUDICATION / "README.md").read_text(encoding="utf-8")
    listed = dict(re.findall(r"\| `([\w.]+)` \| [^|]+ \| `([0-9a-f]{64})` \|", readme))
    files = {path.name: path for folder in ("input", "output") for path in (ADJUDICATION / folder).iterdir()}
    assert set(listed) == set(files)
    for name, digest in listed.items():
        assert hashlib.sha256(files[name].read_bytes()).hexdigest() == digest, name


def test_agreement_is_rating_equality_and_evidence_is_each_sides_own(corpus):
    table = criticism.compare_ratings(corpus)
    assert (table["agree"] == (table["first"] == table["second"])).all()
    second = corpus.factcheck_reliability_evidence
    for unit, joined in table["second_evidence"].dropna().items():
        assert joined.count("\n") + 1 == (second["unit_id"] == unit).sum()
    quotes = corpus.factchecks.drop_duplicates("unit_id").set_index("unit_id")["quote"]
    assert (table["quote"] == quotes.reindex(table.index)).all()
