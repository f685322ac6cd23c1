"""`python -m stances locate`: offsets of a quote of the real article, or every occurrence."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import pytest

from conftest import DATA, DOC_ID, run_cli

TEXT = (DATA / "sources" / f"{DOC_ID}.txt").read_text(encoding="utf-8")
UNIQUE = "Turkey is turning a deaf ear to the warnings coming from the White House"
AMBIGUOUS = "Erdogan and Putin"


@pytest.fixture(scope="module")
def runs():
    """Both commands, started together (each interpreter start-up takes most of a second)."""
    with ThreadPoolExecutor(max_workers=2) as pool:
        futures = {quote: pool.submit(run_cli, "locate", DOC_ID, quote)
                   for quote in (UNIQUE, AMBIGUOUS)}
        yield {quote: future.result() for quote, future in futures.items()}


def test_locate_prints_start_and_end_of_a_quote(runs):
    assert TEXT.count(UNIQUE) == 1
    start = TEXT.index(UNIQUE)
    result = runs[UNIQUE]
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == [f"start={start} end={start + len(UNIQUE)}", UNIQUE]


def test_locate_an_ambiguous_quote_names_every_occurrence(runs):
    starts = [i for i in range(len(TEXT)) if TEXT.startswith(AMBIGUOUS, i)]
    assert len(starts) >= 2
    result = runs[AMBIGUOUS]
    assert result.returncode == 1
    assert result.stdout == ""
    assert "ambiguous" in result.stderr
    for start in starts:
        assert f"{start}-{start + len(AMBIGUOUS)}" in result.stderr
