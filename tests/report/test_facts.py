"""stances.notebook: the named values a notebook's findings state, shown as a linkable table."""

from __future__ import annotations

import math

import numpy as np
import pytest

import stances
from stances.notebook import display, parse
from stances.report.markdown import findings_to_html


def test_facts_show_as_name_value_lines_and_linkable_rows():
    facts = stances.facts(coded_sentences=np.int64(29), f1=0.91525, sign=-1.0, verdict="too thin")
    assert repr(facts) == "coded_sentences = 29\nf1 = 0.915\nsign = \u22121.000\nverdict = too thin"
    html = facts._repr_html_()
    for name in ("coded_sentences", "f1", "sign", "verdict"):
        assert f'<tr id="fact-{name}">' in html
    assert "<td>\u22121.000</td>" in html
    assert parse(repr(facts)) == {"coded_sentences": "29", "f1": "0.915", "sign": "\u22121.000",
                                  "verdict": "too thin"}
    assert facts["coded_sentences"] == 29 and type(facts["coded_sentences"]) is int  # not numpy's repr
    assert repr(stances.facts(x=np.float64(0.5))) == "x = 0.500" and display(0.5) == "0.500"


@pytest.mark.parametrize(("value", "printed"), [
    (0.0, "0.000"), (-0.0, "0.000"), (-0.0004, "0.000"), (1.0, "1.000"), (0.65, "0.650"),
    (0.6494, "0.649"), (-1.0, "\u22121.000"), (-0.3335, "\u22120.334"), (-2, "\u22122"), (4773, "4773"),
    (np.int64(-1), "\u22121"), (np.float64(0.9), "0.900")])
def test_one_print_per_number_three_decimals_and_the_true_minus(value, printed):
    # written out by hand: no ASCII hyphen, no negative zero, counts stay whole
    assert display(value) == printed


def test_a_notebook_table_prints_floats_as_the_facts_do():
    import pandas as pd

    from conftest import DATA

    table = pd.DataFrame({"alignment": pd.array([-1.0, 0.5], dtype="double[pyarrow]")})
    # the options setup() sets, restored afterwards for the other tests of this process
    with pd.option_context("display.float_format", None, "display.precision", 6,
                           "display.max_colwidth", 50, "display.max_rows", 60):
        stances.setup(DATA)
        html, text = table._repr_html_(), repr(table)
    assert "<td>\u22121.000</td>" in html and "<td>0.500</td>" in html
    assert "-1" not in text and "\u22121.000" in text


@pytest.mark.parametrize("bad", [True, None, math.nan, math.inf, "x" * 81, "two\nlines", [1]])
def test_facts_refuse_what_prose_cannot_state(bad):
    with pytest.raises((TypeError, ValueError)):
        stances.facts(value=bad)


@pytest.mark.parametrize("name", ["Coded", "with-dash", "9lives", "_private"])
def test_fact_names_are_link_safe(name):
    with pytest.raises(ValueError):
        stances.facts(**{name: 1})


def test_html_escapes_string_values():
    assert "&lt;b&gt;" in stances.facts(label="<b>")._repr_html_()


def test_the_index_page_points_fact_links_at_the_notebook_page():
    """A bare number as link text says, in its title, which computed value it is (issue 25)."""
    findings = "## What we found\n\n[29](#fact-n) [x](#elsewhere) [1](02_arms.ipynb#fact-m)"
    assert findings_to_html(findings, page="00_corpus.html") == (
        '<p><a href="00_corpus.html#fact-n" title="computed value n: see where it is computed">29</a>'
        ' <a href="#elsewhere">x</a> <a href="02_arms.html#fact-m" title="computed value m: '
        'see where it is computed">1</a></p>')


def test_a_notebook_page_titles_its_fact_links_as_the_index_does():
    """Every markdown cell of a page goes through safe_html, which gives the same title."""
    from stances.report.sanitize import safe_html

    assert safe_html('<a href="#fact-n">29</a>') == (
        '<a href="#fact-n" title="computed value n: see where it is computed">29</a>')
    assert safe_html('<a href="#fact-n" title="own">29</a>') == '<a href="#fact-n" title="own">29</a>'


def test_the_report_and_check_findings_find_the_same_findings_cell():
    """One rule (issue 23): the first markdown cell that opens with a heading holding the words,
    at any level or as a setext heading; a heading later in a cell does not count."""
    from nbformat.v4 import new_markdown_cell, new_notebook

    from stances.report import findings, markdown

    for source in ("## What we found\n\nx", "What we found\n---\n\nx", "# What we found so far\n\nx"):
        notebook = new_notebook(cells=[new_markdown_cell("# Title"), new_markdown_cell(source)])
        assert markdown.findings_index(notebook) == 1, source
    later = new_notebook(cells=[new_markdown_cell("Intro\n\n## What we found\n\nlater")])
    assert markdown.findings_index(later) is None
    with pytest.raises(findings.FindingsError, match="no markdown cell opening with a 'What we found'"):
        findings.stored_facts(later)


def test_show_code_shows_the_rule_the_library_applies_not_a_copy():
    import stances

    shown = stances.show_code(stances.measures.verdict)
    assert repr(shown).startswith("def verdict(row") and 'return "too thin to say"' in repr(shown)
    assert shown._repr_markdown_() == f"```python\n{repr(shown)}```"
