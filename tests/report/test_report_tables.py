"""Notebook outputs as a reader meets them in the report (``stances.report.tables``): captions,
words for ids, a dash for a missing value, yes/no, no dtype line; expected text written by hand."""

from __future__ import annotations

from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output

from stances.report.tables import readable, series_text, table_html

FRAME = ('<table border="1" class="dataframe"><thead><tr><th></th><th>differs_in</th><th>speaker_a</th>'
         "<th>target</th><th>agreed</th></tr></thead><tbody>"
         "<tr><th>0</th><td>only_coder_b</td><td>erdogan</td><td>&lt;NA&gt;</td><td>True</td></tr>"
         "<tr><th>1</th><td>target</td><td>NaN</td><td>None</td><td>False</td></tr></tbody></table>")


def test_a_frame_gets_a_caption_words_labels_dashes_and_yes_no():
    assert table_html(FRAME, "Table 2: Every disagreement", {"erdogan": "Erdogan"}) == (
        '<table border="1" class="dataframe"><caption>Table 2: Every disagreement</caption>'
        "<thead><tr><th></th><th>differs in</th><th>speaker a</th><th>target</th><th>agreed</th></tr></thead>"
        "<tbody><tr><th>0</th><td>only coder b</td><td>Erdogan</td><td>–</td><td>yes</td></tr>"
        "<tr><th>1</th><td>target</td><td>–</td><td>–</td><td>no</td></tr></tbody></table>")


def test_in_the_kernel_a_frame_gets_no_caption_and_the_report_changes_it_no_further():
    """The kernel shows a table already made readable (caption None); the report's pass over the
    stored table then only adds the caption."""
    shown = table_html(FRAME, None, {"erdogan": "Erdogan"})
    assert "<caption" not in shown and "<td>Erdogan</td>" in shown and "<td>yes</td>" in shown
    assert table_html(shown, "Table 2: Every disagreement", {"erdogan": "Erdogan"}) == \
        table_html(FRAME, "Table 2: Every disagreement", {"erdogan": "Erdogan"})


def test_a_missing_index_value_is_a_dash_and_a_negative_count_takes_the_true_minus():
    steps = ("<table><thead><tr><th>steps apart</th><th>units</th><th>change</th></tr></thead><tbody>"
             "<tr><th>1</th><td>10</td><td>-3</td></tr>"
             "<tr><th>&lt;NA&gt;</th><td>2</td><td>\u22121.000</td></tr></tbody></table>")
    assert table_html(steps, "T") == (
        "<table><caption>T</caption><thead><tr><th>steps apart</th><th>units</th><th>change</th></tr></thead>"
        "<tbody><tr><th>1</th><td>10</td><td>\u22123</td></tr>"
        "<tr><th>–</th><td>2</td><td>\u22121.000</td></tr></tbody></table>")


def test_a_pair_of_actor_ids_shows_their_labels_and_anything_else_stays():
    cells = "<table><tr><td>russia–turkey</td><td>syria–arms</td><td>turkey–usa</td></tr></table>"
    labels = {"russia": "Russia", "turkey": "Turkey", "usa": "United States"}
    assert table_html(cells, "T", labels) == (
        "<table><caption>T</caption><tr><td>Russia – Turkey</td><td>syria–arms</td>"
        "<td>Turkey – United States</td></tr></table>")


def test_a_caption_is_escaped_and_an_existing_one_kept():
    assert "<caption>Table 1: a &lt;b&gt;</caption>" in table_html("<table><tr><td>1</td></tr></table>",
                                                                 "Table 1: a <b>")
    kept = '<table><caption>Mine</caption><tr><td>1</td></tr></table>'
    assert table_html(kept, "Table 9") == kept


def test_a_printed_series_loses_its_dtype_line_and_shows_dashes_aligned():
    printed = "steps apart\n1       10\n<NA>     2\nName: units, dtype: Int64"
    assert series_text(printed) == "steps apart\n1       10\n–        2"
    assert series_text("topic\nsyria    12\narms      9\ndtype: int64") == "topic\nsyria    12\narms      9"
    assert series_text("a    NaN\nb    1.0\ndtype: float64") == "a      –\nb    1.0"
    prose = "the word dtype: stays in prose\nsecond line"
    assert series_text(prose) == prose


def test_readable_captions_each_table_with_the_heading_above_it():
    notebook = new_notebook(cells=[
        new_markdown_cell("# Title\n\n## Who speaks"),
        new_code_cell("df", outputs=[new_output("execute_result", execution_count=1,
                                                data={"text/html": FRAME, "text/plain": "x"})]),
        new_code_cell("s", outputs=[new_output("execute_result", data={"text/plain": "a    1\ndtype: int64"},
                                               execution_count=2)]),
        new_markdown_cell("## Where"),
        new_code_cell("df", metadata={"caption": "The places"},
                      outputs=[new_output("display_data", data={"text/html": FRAME})]),
    ])
    readable(notebook)
    first, series, second = (notebook.cells[i].outputs[0].data for i in (1, 2, 4))
    assert "<caption>Table 1: Who speaks</caption>" in first["text/html"]
    assert series["text/plain"] == "a    1"
    assert "<caption>The places</caption>" in second["text/html"]


def test_verdict_cards_escape_what_the_data_says_and_link_only_web_addresses():
    import pandas as pd

    from stances.report.cards import _card

    rows = pd.DataFrame([{"rating": "misleading", "check_class": "quotation_timing",
                          "quote": "<script>x</script>", "explanation": "a & b", "source_name": "Agency",
                          "url": "javascript:alert(1)", "source_date": None, "excerpt": "words"}])
    html = _card("f99", rows)
    assert "<script>" not in html and "&lt;script&gt;" in html and "a &amp; b" in html
    assert "href" not in html, "only a web address becomes a link"
    assert "<summary>1 source, linked, with their dates and excerpts</summary>" in html
    assert "<li>Agency, undated: “words”</li>" in html
