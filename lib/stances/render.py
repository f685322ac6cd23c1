"""HTML fragments: the article with every coded span highlighted, and its statements as a
table; all text is HTML-escaped. Page shells are templates (``templates/html_report``),
filled in by the site builder."""

from __future__ import annotations

from html import escape

import numpy as np
import pandas as pd

from ._corpus import Corpus

STYLE = """
<style>
.stance-article { font-family: Georgia, serif; line-height: 1.6; max-width: 46em; }
.stance-article p { margin: 0 0 0.9em 0; }
.stance-article mark { background: #fde9c8; border-bottom: 2px solid #E69F00; padding: 0 1px; }
.stance-article mark.n2 { background: #f9d38f; }
.stance-article mark.n3 { background: #f3b44d; }
.stance-article mark sup { font-size: 0.65em; color: #555; }
.stance-legend { font-size: 0.85em; color: #444; }
</style>
"""


STATEMENT_COLUMNS = ["statement_id", "quote", "speaker", "stance", "claim_id", "attribution", "target"]


def _label(row) -> str:
    return f"{row.statement_id}: {row.speaker} {row.stance} {row.claim_id} ({row.attribution})"


def article_html(corpus: Corpus, doc_id: str, statements: pd.DataFrame | None = None) -> str:
    """An HTML fragment: the text of ``doc_id`` with coded spans in <mark>, each carrying a
    tooltip (title) listing every statement on it: id, speaker, stance, claim, attribution."""
    statements = corpus.statements if statements is None else statements
    coded = statements[statements["doc_id"] == doc_id]
    text = corpus.text(doc_id)
    starts = coded["start"].to_numpy(dtype="int64")
    ends = coded["end"].to_numpy(dtype="int64")
    labels = [_label(r) for r in coded.itertuples(index=False)]
    cuts = sorted({0, len(text), *starts.tolist(), *ends.tolist()})
    pieces = []
    for lo, hi in zip(cuts[:-1], cuts[1:], strict=True):
        segment = escape(text[lo:hi])
        covering = np.flatnonzero((starts <= lo) & (ends >= hi))
        if len(covering):
            tip = escape("\n".join(labels[i] for i in covering), quote=True)
            level = min(len(covering), 3)
            ids = ",".join(str(coded["statement_id"].iloc[i]) for i in covering)
            segment = (f'<mark class="n{level}" title="{tip}" data-statements="{escape(ids, quote=True)}">'
                       f"{segment}</mark>")
        pieces.append(segment)
    body = "".join(pieces)
    paragraphs = [p for p in body.split("\n") if p.strip()]
    html = "".join(f"<p>{p}</p>" for p in paragraphs)
    legend = ('<p class="stance-legend">Highlighted: a span that carries a coded position; darker '
              "where several statements share it. Hover a span for speaker, stance, claim and "
              "attribution.</p>")
    return f'{STYLE}<div class="stance-article">{legend}{html}</div>'


def statements_table(corpus: Corpus, doc_id: str, statements: pd.DataFrame | None = None) -> str:
    """An HTML fragment: the coded statements of ``doc_id`` as a table, one row (``id`` =
    statement id) per statement, every cell escaped."""
    statements = corpus.statements if statements is None else statements
    coded = statements[statements["doc_id"] == doc_id]
    header = "".join(f"<th>{escape(c)}</th>" for c in STATEMENT_COLUMNS)
    rows = "".join(
        f'<tr id="{escape(str(r.statement_id), quote=True)}">'
        + "".join(f"<td>{escape('' if pd.isna(v) else str(v))}</td>" for v in r)
        + "</tr>"
        for r in coded[STATEMENT_COLUMNS].itertuples(index=False)
    )
    return f'<table class="statements"><thead><tr>{header}</tr></thead><tbody>{rows}</tbody></table>'


def show_article(corpus: Corpus, doc_id: str, statements: pd.DataFrame | None = None):
    """The highlighted article as a notebook display object."""
    from IPython.display import HTML

    return HTML(article_html(corpus, doc_id, statements))
