"""The fact-check for a reader: each verdict a card (the sentence, its rating, the explanation,
its sources as links with their dates, the excerpts folded under them), grouped by rating, and
each disagreement of the two checks a card with both sides. Displayed in a notebook as HTML
(every value escaped) with a one-line text form for a console and for nbval.
"""

from __future__ import annotations

from html import escape

import pandas as pd

from stances.corpus.loader import Corpus

CARD_STYLE = """<style>
.fc-card { border: 1px solid #d5d9de; border-left: 5px solid #888; border-radius: 4px;
  padding: 0.4rem 0.8rem; margin: 0.5rem 0; max-width: 46rem; }
.fc-card blockquote { margin: 0 0 0.3rem; font-style: italic; }
.fc-card p { margin: 0.25rem 0; }
</style>"""  # a notebook's own look; the report styles the cards in its page template


class Cards:
    """HTML cards for a notebook: ``_repr_html_`` for JupyterLab and the report, ``repr`` one line."""

    def __init__(self, html: str, summary: str):
        self.html, self.summary = html, summary

    def _repr_html_(self) -> str:
        return CARD_STYLE + self.html

    def __repr__(self) -> str:
        return self.summary


def _field(value) -> str:
    return "" if value is None or pd.isna(value) else str(value)


def _source(row) -> str:
    name, url, date = _field(row.source_name), _field(row.url), _field(row.source_date)
    label = escape(name or url or "a source")
    if url.startswith(("https://", "http://")):
        label = f'<a href="{escape(url, quote=True)}">{label}</a>'
    return label + (f", {escape(date)}" if date else ", undated")


def _card(check_id: str, rows: pd.DataFrame) -> str:
    first = rows.iloc[0]
    rating = _field(first.rating)
    sourced = rows[rows["excerpt"].notna() | rows["url"].notna()] if "excerpt" in rows else rows.iloc[0:0]
    listed = list(dict.fromkeys(
        f"<li>{_source(r)}" + (f": “{escape(_field(r.excerpt))}”" if _field(r.excerpt) else "") + "</li>"
        for r in sourced.itertuples(index=False)))
    named = len(dict.fromkeys(_source(r) for r in sourced.itertuples(index=False)))
    return (f'<div class="fc-card {escape(rating, quote=True)}" id="fc-{escape(check_id, quote=True)}">'
            f'<p class="fc-rating">{escape(rating)} · {escape(check_id)} · '
            f"{escape(_field(first.check_class).replace('_', ' '))}</p>"
            f"<blockquote>{escape(_field(first.quote))}</blockquote>"
            f"<p>{escape(_field(first.explanation))}</p>"
            + (f'<details class="fc-sources"><summary>{named} source{"s" if named != 1 else ""}, linked, '
               f'with their dates and excerpts</summary><ul>{"".join(listed)}</ul></details>'
               if listed else "<p>No source found.</p>")
            + "</div>")


def verdict_cards(corpus: Corpus, doc_id: str, ratings: list[str], open_: bool = True) -> Cards:
    """The checks of ``doc_id`` rated one of ``ratings``, a card each, one group per rating (in
    the order given), each group folded under its count unless ``open_``."""
    from stances.factcheck import fact_checks

    checks = fact_checks(corpus, doc_id)
    groups, counts = [], []
    for rating in ratings:
        chosen = checks[checks["rating"].astype("string") == rating]
        ids = list(dict.fromkeys(chosen["check_id"].astype(str)))
        counts.append(f"{len(ids)} {rating}")  # checks, not units: a unit may have several
        cards = "".join(_card(i, chosen[chosen["check_id"].astype(str) == i]) for i in ids)
        checks_word = "check" if len(ids) == 1 else "checks"
        groups.append(f'<details class="fc-group"{" open" if open_ else ""}><summary>{len(ids)} '
                      f"{checks_word} rated {escape(rating)}</summary>{cards}</details>")
    return Cards("".join(groups), "checks: " + ", ".join(counts))


def _evidence(text: str) -> str:
    lines = [line for line in _field(text).split("\n") if line.strip()]
    if not lines:
        return ""
    return ("<details><summary>Evidence</summary><ul>"
            + "".join(f"<li>{escape(line)}</li>" for line in lines) + "</ul></details>")


def disagreement_cards(disagreements: pd.DataFrame, open_: bool = False) -> Cards:
    """Each unit the two checks rated differently (``factcheck.rating_disagreements``): the
    sentence, then each check's rating, explanation and evidence; folded under their count
    unless ``open_``."""
    cards = []
    for unit, row in disagreements.iterrows():
        sides = "".join(
            f'<div class="fc-side"><p class="fc-rating">{name}: {escape(_field(row[side]))}</p>'
            f"<p>{escape(_field(row[f'{side}_explanation']))}</p>{_evidence(row[f'{side}_evidence'])}</div>"
            for side, name in (("first", "first check"), ("second", "second check")))
        cards.append(f'<div class="fc-card" id="fc-{escape(str(unit), quote=True)}">'
                     f'<p class="fc-rating">{escape(str(unit))}</p>'
                     f"<blockquote>{escape(_field(row['quote']))}</blockquote>{sides}</div>")
    html = (f'<details class="fc-group"{" open" if open_ else ""}><summary>{len(cards)} disagreements, '
            f'side by side</summary>{"".join(cards)}</details>')
    return Cards(html, f"{len(cards)} disagreements: " + ", ".join(map(str, disagreements.index)))
