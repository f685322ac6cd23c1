"""The annotated article escapes every text it shows; quotation and sentence detection."""

from __future__ import annotations

import dataclasses
import re
from html import unescape
from html.parser import HTMLParser

import pandas as pd
import pytest

import stances
from conftest import DOC_ID
from stances import criticism, render
from stances._sentences import sentences


@pytest.fixture(scope="module")
def corpus():
    return stances.load()


class _Text(HTMLParser):
    def __init__(self):
        super().__init__()
        self.text, self.tags = [], []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)

    def handle_data(self, data):
        self.text.append(data)


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
    fake = dataclasses.replace(corpus, texts={DOC_ID: evil + text})
    statements = statements.assign(start=0, end=len(evil), quote=evil)
    for html in (render.article_html(fake, DOC_ID, statements),
                 render.statements_table(fake, DOC_ID, statements)):
        assert "<script>" not in html
        assert "&lt;script&gt;" in html


def test_statements_table_lists_every_statement_of_the_document(corpus):
    table = render.statements_table(corpus, DOC_ID)
    assert table.count("<tr id=") == len(corpus.statements)
    assert render.statements_table(corpus, "no_such_document").count("<tr id=") == 0


def test_render_returns_fragments_not_pages(corpus):
    for html in (render.article_html(corpus, DOC_ID), render.statements_table(corpus, DOC_ID)):
        assert "<html" not in html.lower() and "<body" not in html.lower()


def test_the_mismatched_quotation_is_found(corpus):
    text = corpus.text(DOC_ID)
    table = criticism.quotations(text)
    bad = table[~table["balanced"]]
    assert bad["quotation"].tolist() == [
        "\"no one can interfere with that. We are the only ones to make such decisions'"]
    # every quotation starts where a double quote mark stands in the text
    assert all(text[s] == '"' for s in table["start"])
    assert len(table) == sum(1 for i, ch in enumerate(text) if ch == '"' and text[i - 1] in " \n([")


def test_quotations_on_a_made_up_text():
    table = criticism.quotations('He said "yes" and "no\' then "maybe.')
    assert table["closes_with"].tolist() == ['"', "'", "(none)"]
    assert table["quotation"].tolist() == ['"yes"', '"no\'', '"maybe.']


def test_fact_checks_are_anchored_and_joined_with_their_evidence(corpus):
    table = criticism.fact_checks(corpus, DOC_ID)
    text = corpus.text(DOC_ID)
    assert all(text[s:e] == q for s, e, q in zip(table["start"], table["end"], table["quote"],
                                                  strict=True))
    assert set(table["check_id"]) == set(corpus.factchecks["check_id"])
    sourced = table.dropna(subset=["evidence_id"])
    assert sourced["url"].str.len().min() > 0 and sourced["excerpt"].str.len().min() > 0


def test_sentences_are_exact_slices_and_split_at_stops_and_lines():
    text = 'Headline\n\nFirst one. Second "quoted." Third? Last'
    table = sentences(text)
    assert table["sentence"].tolist() == ["Headline", "First one.", 'Second "quoted."', "Third?", "Last"]
    assert all(text[s:e] == x for s, e, x in table.itertuples(index=False))
    assert isinstance(table, pd.DataFrame)
