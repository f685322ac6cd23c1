"""HTML fragments: the article with every coded span highlighted, and its statements and
relations as tables; all text is HTML-escaped. Page shells are templates
(``templates/html_report``), filled in by the site builder.

The article and the tables link each other: a highlighted span is a link to the first row
that codes it (``#row-<id>``), and every row links back to where its span starts in the
text (``#at-<id>``). A span's tooltip lists each statement and relation on it, one per line,
as plain text. Paragraphs are cut before spans are marked, so a span that runs across a
paragraph break is marked in each paragraph it touches and the markup stays well nested.
"""

from __future__ import annotations

import re
from html import escape

import numpy as np
import pandas as pd

from stances.corpus.actors import states
from stances.corpus.loader import Corpus

STYLE = """
<style>
.stance-article { font-family: Georgia, serif; line-height: 1.6; max-width: 46em; }
.stance-article p { margin: 0 0 0.9em 0; }
.stance-article mark {
  background: #fde9c8; color: inherit; border-bottom: 2px solid #b36b00; padding: 0 1px;
}
.stance-article mark.n2 { background: #f9d38f; }
.stance-article mark.n3 { background: #f3b44d; }
.stance-article mark.relation { background: transparent; border-bottom: 2px dotted #555; }
.stance-article mark a { color: inherit; text-decoration: none; }
.stance-article mark a:hover, .stance-article mark a:focus { text-decoration: underline; }
.stance-article .at:target + mark, .stance-article mark:target { outline: 3px solid #1a4f8b; }
.stance-legend { font-size: 0.9em; color: #444; }
</style>
"""

def row_anchor(item_id: str) -> str:
    """The ``id`` of a statement's or relation's row in the tables."""
    return f"row-{item_id}"


def article_page(doc_id: str) -> str:
    """The report's page for ``doc_id``: its text, then the tables of its statements and relations."""
    return "article_" + re.sub(r"[^A-Za-z0-9_.-]", "_", doc_id) + ".html"


def span_anchor(item_id: str) -> str:
    """The ``id`` of the place in the article where a statement's or relation's span starts."""
    return f"at-{item_id}"


def _words(value) -> str:
    return "" if pd.isna(value) else str(value).replace("_", " ")


def statement_label(corpus: Corpus, row) -> str:
    """One line of plain text for a statement: ``id: Speaker stance: proposition (attribution)``."""
    about = corpus.study
    claim = about.proposition(row.claim_id)
    target = f", on {about.label(row.target)}" if not pd.isna(row.target) else ""
    return (f"{row.statement_id}: {about.label(row.speaker)} {row.stance}s: {claim} "
            f"({_words(row.attribution)}{target})")


def relation_label(corpus: Corpus, row) -> str:
    """One line of plain text for a relation: ``id: Source relation Target``."""
    about = corpus.study
    return (f"{row.relation_id}: {about.label(row.source)} {_words(row.relation)} "
            f"{about.label(row.target)}")


def _one_line(text: str) -> str:
    return " ".join(str(text).split())


def _relations(corpus: Corpus, doc_id: str) -> pd.DataFrame:
    return corpus.relations[corpus.relations["doc_id"] == doc_id]


def article_html(corpus: Corpus, doc_id: str, rows_page: str = "") -> str:
    """An HTML fragment: the text of ``doc_id``, paragraph by paragraph, with every coded span
    in a ``<mark>``. Each mark holds a link to the first table row that codes it and a tooltip
    (``title``, plain text) listing every statement and relation on it, one per line; each
    statement's and relation's span starts at an empty ``<span id="at-<id>">``. The rows are on
    this page, or on ``rows_page`` (a notebook links to the article's page in the report)."""
    coded = corpus.statements[corpus.statements["doc_id"] == doc_id]
    relations = _relations(corpus, doc_id)
    text = corpus.text(doc_id)
    items = ([str(i) for i in coded["statement_id"]] + [str(i) for i in relations["relation_id"]])
    starts, ends = (np.concatenate([coded[c].to_numpy(dtype="int64"), relations[c].to_numpy(dtype="int64")])
                    for c in ("start", "end"))
    labels = ([_one_line(statement_label(corpus, r)) for r in coded.itertuples(index=False)]
              + [_one_line(relation_label(corpus, r)) for r in relations.itertuples(index=False)])
    n_statements = len(coded)
    facets = _facets(corpus, coded)
    first_of = {}  # item index -> the cut where its span starts (after paragraph clipping)
    breaks = [i for i, ch in enumerate(text) if ch == "\n"]
    cuts = sorted({0, len(text), *starts.tolist(), *ends.tolist(), *breaks, *(b + 1 for b in breaks)})
    paragraphs, pieces = [], []
    for lo, hi in zip(cuts[:-1], cuts[1:], strict=True):
        if text[lo:hi] == "\n":
            paragraphs.append("".join(pieces))
            pieces = []
            continue
        segment = escape(text[lo:hi])
        covering = np.flatnonzero((starts <= lo) & (ends >= hi))
        anchors = ""
        for i in covering:
            if i not in first_of:
                first_of[i] = lo
                anchors += f'<span class="at" id="{escape(span_anchor(items[i]), quote=True)}"></span>'
        if len(covering):
            tip = escape("\n".join(labels[i] for i in covering), quote=True)
            on_statements = [i for i in covering if i < n_statements]
            level = min(len(on_statements), 3)
            css = f"n{level}" if on_statements else "relation"
            first = (on_statements or list(covering))[0]
            ids = ",".join(items[i] for i in on_statements)
            rels = ",".join(items[i] for i in covering if i >= n_statements)
            href = escape(f"{rows_page}#{row_anchor(items[first])}", quote=True)
            inner = f'<a href="{href}" title="{tip}">{segment}</a>'
            kept = "".join(f' data-{facet}="{escape(_joined(values, on_statements), quote=True)}"'
                           for facet, values in facets.items())
            segment = (f'{anchors}<mark class="{css}" data-statements="{escape(ids, quote=True)}"'
                       f' data-relations="{escape(rels, quote=True)}"{kept}>{inner}</mark>')
        pieces.append(segment)
    paragraphs.append("".join(pieces))
    # a span of pure whitespace between breaks is not a paragraph; anchors keep theirs
    html = "".join(f"<p>{p}</p>" for p in paragraphs if _has_text(p))
    legend = ('<p class="stance-legend">Highlighted: a span that carries a coded position, darker '
              "where several statements share it; dotted: a relation between actors only. Point at a "
              "span for who takes which position, or tap it"
              + (" (or click it) for its rows on the article's page, which say the same.</p>"
                 if rows_page else
                 " (or click it) for its rows in the tables below, which say the same; a row's id "
                 "takes you back to its words.</p>"))
    return f'{STYLE}<div class="stance-article">{legend}{html}</div>'




def _facets(corpus: Corpus, coded: pd.DataFrame) -> dict[str, list[str]]:
    """Per statement of ``coded``: its speaker id, the state it speaks for (persons rolled up,
    as the analysis does), its claim's topic and its stance, as strings (the values the article
    page's filters select on)."""
    from stances.measures.position import with_states

    rolled = with_states(corpus, coded)
    return {"speaker": coded["speaker"].astype("string").fillna("").tolist(),
            "state": rolled["state"].fillna("").astype(str).tolist(),
            "topic": rolled["topic"].fillna("").astype(str).tolist(),
            "stance": coded["stance"].astype(str).tolist()}


def _relation_facets(corpus: Corpus, row) -> str:
    """A relation's row attributes for the filters: both actors, both their states, its topic."""
    state = states(corpus.actors)
    values = {"speaker": f"{row.source} {row.target}",
              "state": f"{state.get(str(row.source), row.source)} {state.get(str(row.target), row.target)}",
              "topic": "" if pd.isna(row.topic) else str(row.topic)}
    return "".join(f' data-{name}="{escape(value, quote=True)}"' for name, value in values.items())


def _joined(values: list[str], indices) -> str:
    return " ".join(dict.fromkeys(values[i] for i in indices))


def _has_text(fragment: str) -> bool:
    return bool(re.sub(r"<[^>]*>", "", fragment).strip()) or 'id="at-' in fragment


def _cell(value) -> str:
    return escape("" if pd.isna(value) else str(value))


def _cells(**fields: str) -> str:
    """Table cells, each named (``data-label``, shown before it on a phone); a dash for an
    empty one."""
    return "".join(f'<td data-label="{name}">{html or "–"}</td>' for name, html in fields.items())


def _back_link(item_id: str) -> str:
    return (f'<a href="#{escape(span_anchor(item_id), quote=True)}" title="Show in the text">'
            f"{_cell(item_id)}&nbsp;&uarr;</a>")


def _table(kind: str, headers: tuple[str, ...], rows: list[str]) -> str:
    header = "".join(f'<th scope="col">{h}</th>' for h in headers)
    return f'<table class="{kind}"><thead><tr>{header}</tr></thead><tbody>{"".join(rows)}</tbody></table>'


def statements_table(corpus: Corpus, doc_id: str) -> str:
    """An HTML fragment: the coded statements of ``doc_id`` as a table, one row
    (``id="row-<statement id>"``) per statement, its id a link back to its span in the
    article; speakers and targets by name, claims by proposition; every cell escaped."""
    about = corpus.study
    coded = corpus.statements[corpus.statements["doc_id"] == doc_id]
    facets = _facets(corpus, coded)
    rows = []
    for n, r in enumerate(coded.itertuples(index=False)):
        claim = about.proposition(r.claim_id)
        target = "" if pd.isna(r.target) else about.label(r.target)
        kept = "".join(f' data-{facet}="{escape(values[n], quote=True)}"' for facet, values in facets.items())
        rows.append(
            f'<tr id="{escape(row_anchor(str(r.statement_id)), quote=True)}"{kept}>'
            + _cells(statement=_back_link(str(r.statement_id)), quote=_cell(r.quote),
                     speaker=_cell(about.label(r.speaker)), stance=_cell(r.stance),
                     claim=f'{_cell(claim)} <code class="id">{_cell(r.claim_id)}</code>',
                     attribution=_cell(_words(r.attribution)), target=_cell(target))
            + "</tr>")
    return _table("statements", ("statement", "quote", "speaker", "stance", "claim", "attribution", "target"),
                  rows)


def relations_table(corpus: Corpus, doc_id: str) -> str:
    """An HTML fragment: the relations of ``doc_id`` (source, relation, target by name), one
    row (``id="row-<relation id>"``) each, its id a link back to its span in the article."""
    about = corpus.study
    relations = _relations(corpus, doc_id)
    rows = [
        f'<tr class="relation" id="{escape(row_anchor(str(r.relation_id)), quote=True)}"'
        f"{_relation_facets(corpus, r)}>"
        + _cells(relation=_back_link(str(r.relation_id)), quote=_cell(r.quote),
                 source=_cell(about.label(r.source)), tie=_cell(_words(r.relation)),
                 target=_cell(about.label(r.target)), topic=_cell(r.topic))
        + "</tr>"
        for r in relations.itertuples(index=False)]
    return _table("relations", ("relation", "quote", "source", "tie", "target", "topic"), rows)


def filters(corpus: Corpus, doc_id: str) -> list[dict]:
    """The article page's filters: per facet (speaker, topic, stance), the values its
    statements take, as ``{"facet", "legend", "options": [(value, label, count)]}``. Values
    that are not plain ``[A-Za-z0-9_-]`` words are left out (they go into CSS selectors)."""
    about = corpus.study
    coded = corpus.statements[corpus.statements["doc_id"] == doc_id]
    legends = {"speaker": "Speaker", "state": "State (persons rolled up)", "topic": "Topic",
               "stance": "Stance"}
    actors = ("speaker", "state")
    groups = []
    for facet, values in _facets(corpus, coded).items():
        counts = pd.Series(values, dtype="string").value_counts(sort=False)
        order = (list(about.topics) if facet == "topic" else
                 list(counts.sort_values(ascending=False, kind="stable").index) if facet in actors
                 else sorted(counts.index))
        options = [(v, about.label(v) if facet in actors else v.replace("_", " "), int(counts[v]))
                   for v in order if v in counts.index and re.fullmatch(r"[A-Za-z0-9_-]+", v)]
        groups.append({"facet": facet, "legend": legends[facet], "options": options})
    return groups


def filter_css(groups: list[dict]) -> str:
    """CSS that applies the filters with no script: when a value's radio button is checked,
    the spans that carry no statement with that value fade and the other rows hide, in the
    relations' table too (a relation matches an actor or a state on either side)."""
    rules = []
    for group in groups:
        facet = group["facet"]
        for value, _, _ in group["options"]:
            on = f"main:has(#f-{facet}-{value}:checked)"
            rules.append(f'{on} .stance-article mark:not([data-{facet}~="{value}"]) '
                         "{ background: transparent; border-bottom-color: #ddd; }")
            rules.append(f'{on} table.statements tbody tr:not([data-{facet}="{value}"]) {{ display: none; }}')
            if facet != "stance":  # a relation takes no stance; the other filters apply to it too
                match = "=" if facet == "topic" else "~="
                rules.append(f'{on} table.relations tbody tr:not([data-{facet}{match}"{value}"]) '
                             "{ display: none; }")
    return "\n".join(rules)


def show_article(corpus: Corpus, doc_id: str):
    """The highlighted article as a notebook display object; its spans link to their rows on the
    article's page of the report (``article_page``), next to the notebook's page."""
    from IPython.display import HTML

    return HTML(article_html(corpus, doc_id, rows_page=article_page(doc_id)))
