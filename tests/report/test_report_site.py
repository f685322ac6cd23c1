"""The site's reader-facing pieces, without a browser: the annotated article (its text kept
whole, every text escaped, spans across paragraphs, plain-text tooltips, links to the rows), the
robustness summary, text alternatives of figures, links in cells, names in views."""

from __future__ import annotations

import dataclasses
import json
import re
from html import unescape
from html.parser import HTMLParser
from pathlib import Path

import pandas as pd
import pytest

from conftest import DOC_ID
from stances import measures as analysis
from stances import plots
from stances.report import front
from stances.report import pages as render
from stances.report import sanitize as _html

VOID = {"br", "img", "meta", "link", "input", "hr", "wbr"}
REPO = Path(__file__).resolve().parents[2]


class _Nesting(HTMLParser):
    """Fail on an end tag that does not close the innermost open element."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack, self.errors, self.paragraph_marks = [], [], []

    def handle_starttag(self, tag, attrs):
        if tag not in VOID:
            self.stack.append(tag)
        if tag == "mark":
            self.paragraph_marks.append(sum(1 for t in self.stack if t == "p"))

    def handle_endtag(self, tag):
        if not self.stack or self.stack[-1] != tag:
            self.errors.append(f"</{tag}> closes {self.stack[-1:]}")
        else:
            self.stack.pop()


class _Text(HTMLParser):
    def __init__(self):
        super().__init__()
        self.text, self.tags = [], []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)

    def handle_data(self, data):
        self.text.append(data)


def _paragraphs_of(html: str) -> list[str]:
    return re.findall(r"<p>(.*?)</p>", html.split('<div class="stance-article">', 1)[1], re.DOTALL)


def test_a_span_across_a_paragraph_break_is_marked_in_each_paragraph_and_nests(corpus):
    text = corpus.text(DOC_ID)
    cut = text.index("\n", 200)
    start, end = cut - 10, text.index(" ", cut + 5)
    spanning = corpus.statements.head(1).assign(start=start, end=end, quote=text[start:end],
                                                statement_id="zz9")
    html = render.article_html(dataclasses.replace(corpus, tables={**corpus.tables, "statements": spanning}),
                               DOC_ID)
    checker = _Nesting()
    checker.feed(html)
    assert checker.errors == [] and checker.stack == []
    assert all(depth == 1 for depth in checker.paragraph_marks), "every mark sits inside one <p>"
    marked = [p for p in _paragraphs_of(html) if 'data-statements="zz9"' in p]
    assert len(marked) == 2, "the span is marked in both paragraphs it touches"
    assert html.count('id="at-zz9"') == 1


def test_tooltips_are_plain_text_one_line_per_statement(corpus):
    html = render.article_html(corpus, DOC_ID)
    marks = list(re.finditer(r'<mark[^>]*data-statements="([^"]*)" data-relations="([^"]*)"[^>]*><a [^>]*'
                            r'title="([^"]*)"', html))
    assert len(marks) == html.count("<mark") > 50
    for mark in marks:
        ids = [i for i in f"{mark.group(1)},{mark.group(2)}".split(",") if i]
        tip = unescape(mark.group(3))
        assert "<" not in tip and ">" not in tip
        assert [line.split(":", 1)[0] for line in tip.split("\n")] == ids


def test_tables_and_tooltips_name_actors_not_ids(corpus):
    about = corpus.study
    ids_with_labels = [a for a in corpus.actors["actor_id"] if about.label(a) != a]
    table = render.statements_table(corpus, DOC_ID)
    speakers = re.findall(r'<td data-label="speaker">([^<]*)</td>', table)
    assert speakers and not set(speakers) & set(ids_with_labels)
    views = [analysis.statements_on(corpus)["speaker"], analysis.statements_on(corpus)["state"],
             analysis.relations_on(corpus)["source"], analysis.relations_on(corpus)["target"],
             analysis.attribution_shares(corpus, by="speaker").index.to_series()]
    for column in views:
        assert not set(column.dropna().astype(str)) & set(ids_with_labels), column.name


def test_robustness_summary_says_what_holds_and_what_changes():
    from stances.report.front import _in_words

    table = pd.DataFrame({"baseline": ["supported", "too thin", "mixed"],
                          "variant a": ["supported", "refuted", "mixed"],
                          "variant b": ["supported", "too thin", "refuted"]},
                         index=pd.Index(["part 1", "part 2", "part 3"], name="thesis"))
    rows = _in_words(table)
    assert [r["part"] for r in rows] == ["part 1", "part 2", "part 3"]
    assert [r["baseline"] for r in rows] == ["supported", "too thin", "mixed"]
    assert [r["holds"] for r in rows] == [True, False, False]
    # the count is every variant, the baseline included, as notebook 04's prose counts them
    assert rows[0]["words"] == "holds under every variant (all 3, the baseline included)"
    assert rows[1]["words"] == "changes under 1 of the 2 other variants (3 in all): variant a gives “refuted”"
    assert "variant b gives “refuted”" in rows[2]["words"] and "variant a" not in rows[2]["words"]
    assert _in_words(table.iloc[:, :0]) == []
    alone = _in_words(table[["baseline"]])
    assert all("no other variant" in r["words"] for r in alone)


def test_robustness_summary_of_the_study(corpus):
    from stances.report.front import robustness_rows

    rows = robustness_rows(corpus)
    assert len(rows) == len(corpus.study.parts) == 3
    assert "(all 9, the baseline included)" in rows[1]["words"]  # notebook 04: 9 variants


def test_figures_carry_their_text_alternative_in_the_svg(corpus):
    from stances.report.downloads import svg_alt

    plots.use_report_style()
    matrix = analysis.stance_matrix(corpus).iloc[:2, :3]  # a small grid draws as the whole does
    fig = plots.stance_heatmap(corpus, matrix, 'A <b>"title"</b> & more')
    svg = plots.figure_svg(fig)
    alt = svg_alt(svg)
    assert alt == plots.alt_text(fig) and alt.startswith('A <b>"title"</b> & more. Grid of')
    assert '<b>' not in svg.split("<svg", 1)[1].split("</title>", 1)[0]  # escaped in the SVG
    assert re.search(r'<svg [^>]*role="img" aria-label="A &lt;b&gt;', svg)
    assert plots.figure_png(fig).startswith(b"\x89PNG")


@pytest.mark.parametrize("make", [
    lambda c: plots.alignment_bars(c, analysis.alignment(c, actors=["russia", "turkey"]), "T"),
    lambda c: plots.attribution_bars(c, analysis.attribution_shares(c).drop(
        columns=["total", "author_share"]), "T"),
    lambda c: plots.timeline(c, DOC_ID, "T"),
    lambda c: plots.network(c, analysis.networks(c, actors=["russia", "turkey", "usa"])[1], "T"),
])
def test_every_plot_describes_what_it_shows(corpus, make):
    alt = plots.alt_text(make(corpus))
    assert alt.startswith("T. ") and len(alt) > 60
    assert not re.search(r"\b(erdogan|kirby|usa)\b", alt), "names, not ids"


def test_addresses_in_cells_become_links_and_nothing_else_changes():
    html = "<table><tr><td>https://example.org/a?b=1&amp;c=2</td><td>see https://x.org here</td></tr></table>"
    linked = _html.safe_html(html, link_cells=True)
    assert '<td><a href="https://example.org/a?b=1&amp;c=2" rel="noreferrer">' in linked
    assert "<td>see https://x.org here</td>" in linked


def test_json_ld_cannot_close_its_script_element():
    block = _html.json_ld([{"reviewBody": "</script><script>alert(1)</script>"}])
    assert block.count("</script>") == 1 and "<script>alert" not in block
    inner = block.split(">", 1)[1].rsplit("</script>", 1)[0]
    assert json.loads(inner) == [{"reviewBody": "</script><script>alert(1)</script>"}]


def test_the_article_at_a_glance_marks_outside_knowledge(corpus):
    (doc,) = front.at_a_glance(corpus)
    about = corpus.study
    assert doc["statements"] == len(corpus.statements)
    assert [name for name, _ in doc["speakers"]][0] == about.label(
        corpus.statements["speaker"].value_counts().index[0])
    assert [s["topic"] for s in doc["strands"]] == list(about.topics)
    assert doc["outside"] == corpus.documents["note"].iloc[0]


@pytest.mark.parametrize(("fragment", "expected"), [
    ('<a href="javascript:alert(1)">j</a>', "<a>j</a>"),
    ('<a href=" JaVa&#x09;script:alert(1)">j</a>', "<a>j</a>"),
    ('<a href="data:text/html,x">d</a>', "<a>d</a>"),
    ('<a href="https://x.org/a">w</a><a href="#f">f</a>',
     '<a href="https://x.org/a">w</a><a href="#f">f</a>'),
    ('<a href="04_alignment.ipynb#x">n</a>', '<a href="04_alignment.html#x">n</a>'),
    ('<img src="https://x.org/y.png" alt="y"><img src="//x.org/z.png"><img src="figures/a.svg">',
     '<img alt="y"><img><img src="figures/a.svg">'),
    ('<b onclick="alert(1)" class="k">b</b>', '<b class="k">b</b>'),
    ("<script>alert(1)</script><iframe src=x></iframe>",
     "&lt;script&gt;alert(1)&lt;/script&gt;&lt;iframe src=x&gt;&lt;/iframe&gt;"),
    ('<div style="background: url(//cdn/z.png); color: red; behavior: x">s</div>',
     '<div style="color: red">s</div>'),
    ('<style>@import url("https://cdn/y.css"); .a {color: red; background: url(x.png)} </style>',
     "<style>.a {color: red}</style>"),
    ('<mark data-speaker="a" data-x="b">m</mark><span data-x="b">s</span>',
     '<mark data-speaker="a" data-x="b">m</mark><span>s</span>'),
])
def test_notebook_html_goes_through_an_allowlist(fragment, expected):
    assert _html.safe_html(fragment) == expected


def test_the_templates_link_only_to_web_or_relative_addresses():
    assert [_html.safe_href(u) for u in ("https://a.org/", "http://a.org", "LICENSE.md", "#x", "../x")] == [
        "https://a.org/", "http://a.org", "LICENSE.md", "#x", "../x"]
    assert [_html.safe_href(u) for u in ("javascript:x", " JavaScript:x", "data:,x", "mailto:a@b",
                                         "file:///etc/passwd")] == [None] * 5


def test_titles_and_findings_are_read_by_a_markdown_parser():
    from nbformat.v4 import new_markdown_cell, new_notebook

    from stances.report import markdown as _markdown

    def notebook(*sources):
        return new_notebook(cells=[new_markdown_cell(source) for source in sources])

    fenced = "```\n# not a title, code\n```\n\nThe **S-400** `deal`, <b>said</b>\n====="
    title = _markdown.notebook_title(notebook("## Not level one", fenced), "x")
    assert title == "The S-400 deal, <b>said</b>"
    assert _markdown.notebook_title(notebook("#NoSpace is no heading", "text"), "fallback") == "fallback"
    setext = notebook("Intro", "What we found\n-------------\n\nRussia and Turkey **disagree**.")
    assert _markdown.findings_index(setext) == 1
    html = _markdown.findings_to_html(setext.cells[1].source)
    assert html == "<p>Russia and Turkey <strong>disagree</strong>.</p>"
    later = notebook("Intro\n\n## What we found\n\nnot the first block", "    # What we found (code)")
    assert _markdown.findings_index(later) is None


def test_the_notebook_article_links_each_span_to_its_row_on_the_article_page(corpus):
    shown = render.show_article(corpus, DOC_ID).data
    links = re.findall(r'<mark[^>]*><a href="([^"#]*)#row-([^"]+)"', shown)
    assert len(links) == shown.count("<mark") > 50
    assert {page for page, _ in links} == {render.article_page(DOC_ID)} == {f"article_{DOC_ID}.html"}
    tables = render.statements_table(corpus, DOC_ID) + render.relations_table(corpus, DOC_ID)
    rows = set(re.findall(r'<tr[^>]* id="row-([^"]+)"', tables))
    assert {row for _, row in links} <= rows and len(rows) > 50


def test_the_article_text_survives_highlighting_unchanged(corpus):
    html = render.article_html(corpus, DOC_ID)
    body = html.split('<div class="stance-article">', 1)[1]
    parser = _Text()
    parser.feed(body)
    shown = "".join(parser.text)
    paragraphs = [p for p in corpus.text(DOC_ID).split("\n") if p.strip()]
    assert shown.endswith("".join(paragraphs))


def test_every_statement_is_in_a_tooltip(corpus):
    html = render.article_html(corpus, DOC_ID)
    tips = " ".join(unescape(t) for t in re.findall(r'title="([^"]*)"', html))
    for statement_id in corpus.statements["statement_id"]:
        assert f"{statement_id}: " in tips


def test_script_in_a_quote_is_shown_as_text(corpus):
    evil = "<script>alert('x')</script>"
    text = corpus.text(DOC_ID)
    statements = corpus.statements.head(1).assign(claim_id=evil, note=evil)
    statements = statements.assign(start=0, end=len(evil), quote=evil)
    fake = dataclasses.replace(corpus, texts={DOC_ID: evil + text},
                               tables={**corpus.tables, "statements": statements})
    for html in (render.article_html(fake, DOC_ID), render.statements_table(fake, DOC_ID)):
        assert "<script>" not in html
        assert "&lt;script&gt;" in html


def test_statements_table_lists_every_statement_of_the_document(corpus):
    table = render.statements_table(corpus, DOC_ID)
    assert table.count("<tr id=") == len(corpus.statements)
    assert render.statements_table(corpus, "no_such_document").count("<tr id=") == 0


def test_render_returns_fragments_not_pages(corpus):
    for html in (render.article_html(corpus, DOC_ID), render.statements_table(corpus, DOC_ID)):
        assert "<html" not in html.lower() and "<body" not in html.lower()
