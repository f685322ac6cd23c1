"""`python -m stances suggest`: candidate units for a coding sheet, measured against the hand
coding (the table in benchmarks/README.md is recomputed here), and the sheet it writes goes
through `code` only once a coder has filled in claim and stance."""

from __future__ import annotations

import csv
import re
import sys
from pathlib import Path

import pytest

import stances
from conftest import DATA, DOC_ID, REPO
from stances.cli import main as cli_main
from stances.coding.suggest import suggest

sys.path.insert(0, str(REPO / "benchmarks"))
import suggest_recall  # noqa: E402

TEXT = (DATA / "sources" / f"{DOC_ID}.txt").read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def measured():
    return suggest_recall.measure(DATA)


def test_the_table_in_the_benchmarks_readme_is_the_one_measured(measured):
    readme = (REPO / "benchmarks" / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index("## Suggested statements") :]
    assert suggest_recall.markdown(measured) in section
    assert f"{measured.attrs['suggested']} suggested units" in section
    # the README's method section shows the same table
    assert suggest_recall.markdown(measured) in (REPO / "README.md").read_text(encoding="utf-8")


def test_the_suggester_meets_its_goals_on_this_article(measured):
    assert measured.loc["direct_quote", "recall"] >= 0.9 and measured.loc["reported_speech", "recall"] >= 0.9
    assert measured.loc["quotation + reported speech", "speaker accuracy"] >= 0.8


def test_every_candidate_is_the_texts_own_words_in_text_order():
    corpus = stances.load(DATA)
    table = suggest(TEXT, corpus.actors)
    assert all(TEXT[s:e] == q for s, e, q in zip(table["start"], table["end"], table["quote"], strict=True))
    assert table["start"].is_monotonic_increasing
    assert set(table["speaker"]) <= set(corpus.actors["actor_id"])
    assert suggest(TEXT, corpus.actors).equals(table), "deterministic"
    kirby = table[table["quote"].str.contains("Patriot")].iloc[0]
    assert (kirby["speaker"], kirby["attribution"]) == ("kirby", "direct_quote")  # "according to ... Kirby"


def test_a_suggested_sheet_is_coded_only_once_a_coder_fills_it(data_copy, capsys):
    sheet = data_copy.parent / "suggested.csv"
    assert cli_main(["suggest", DOC_ID, "--data-dir", str(data_copy), "--out", str(sheet)]) == 0
    with sheet.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    header, rows = rows[0], rows[1:]
    capsys.readouterr()
    code = ["code", str(sheet), "--data-dir", str(data_copy), "--doc-id", DOC_ID, "--coder", "c", "--replace"]
    assert cli_main([*code, "--all"]) == 1
    err = capsys.readouterr().err
    assert err.count(": claim: empty") == err.count(": stance: empty") == len(rows)
    assert err.endswith(f"\n{2 * len(rows)} row problem(s); nothing written\n")
    # the coder keeps two rows and fills them in: they anchor at the suggested offsets
    kept = [r for r in rows if "Patriot" in r[4] or r[4].startswith("Sergey Lavrov")]
    for row in kept:
        row[1:3] = ["arms_buy_second_s400", "oppose"]
    with sheet.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle, lineterminator="\n").writerows([header, *kept])
    assert cli_main(code) == 0
    coded = list(csv.DictReader((data_copy / "statements.csv").open(encoding="utf-8", newline="")))
    assert [(r["speaker"], r["quote"]) for r in coded] == [(r[0], r[4]) for r in kept]
    assert all(TEXT[int(r["start"]) : int(r["end"])] == r["quote"] for r in coded)


def test_the_second_studys_numbers_in_the_readme(tmp_path):
    sys.path.insert(0, str(Path(__file__).parent))
    from test_second_study import build_study

    table = suggest_recall.measure(build_study(tmp_path))
    readme = (REPO / "benchmarks" / "README.md").read_text(encoding="utf-8")
    stated = re.search(
        r"finds all (\d+) units, (\d+) of (\d+) reported\s+speech with the right speaker, and gets "
        r"(\d+) of (\d+) author assertions' speakers right",
        readme,
    )
    speech, author = table.loc["reported_speech"], table.loc["author_assertion"]
    assert stated.groups() == tuple(
        str(int(v))
        for v in (
            table.loc["all", "found"],
            round(speech["speaker accuracy"] * speech["found"]),
            speech["units"],
            round(author["speaker accuracy"] * author["found"]),
            author["units"],
        )
    )
