"""Source criticism: quote-mark slips, unattributed assertions, outside corrections."""

from __future__ import annotations

import csv
import re
from pathlib import Path

import pandas as pd

from ._corpus import Corpus
from .anchor import AnchorError, locate

CORRECTIONS_FILE = "outside_knowledge.csv"
_CLOSING_SINGLE = re.compile(r"(?<=\S)'(?!\w)")


def quotations(text: str) -> pd.DataFrame:
    """Every quotation opened by a double quote mark, with the mark that closes it.

    A ``"`` opens a quotation when it follows a space, a line start or a bracket, and
    closes one otherwise. An opening mark whose next mark opens again (or that has none)
    is unbalanced; its closing mark is then the first single quote before the next opening
    that ends a word and is not followed by a letter (so not an apostrophe), if any.
    """
    marks = [m.start() for m in re.finditer('"', text)]
    opening = [i for i in marks if i == 0 or text[i - 1] in " \n([" ]
    rows = []
    for k, open_at in enumerate(opening):
        limit = opening[k + 1] if k + 1 < len(opening) else len(text)
        paragraph_end = text.find("\n", open_at)
        limit = min(limit, paragraph_end if paragraph_end >= 0 else len(text))
        close = next((i for i in marks if open_at < i < limit), None)
        if close is not None:
            rows.append((open_at, close + 1, '"', '"'))
            continue
        single = _CLOSING_SINGLE.search(text, open_at + 1, limit)
        if single is not None:
            rows.append((open_at, single.start() + 1, '"', "'"))
        else:
            rows.append((open_at, limit, '"', "(none)"))
    table = pd.DataFrame(rows, columns=["start", "end", "opens_with", "closes_with"])
    table["quotation"] = [text[s:e] for s, e in zip(table["start"], table["end"], strict=True)]
    table["balanced"] = table["opens_with"] == table["closes_with"]
    return table


def corrections(corpus: Corpus, doc_id: str) -> pd.DataFrame:
    """The outside-knowledge table (data/outside_knowledge.csv) for ``doc_id``, each row's
    ``text_says`` located in the article (``start``/``end``); raises if a quote is not there."""
    path = Path(corpus.data_dir) / CORRECTIONS_FILE
    with path.open(encoding="utf-8", newline="") as handle:
        table = pd.DataFrame(list(csv.DictReader(handle)), dtype="string")
    table = table[table["doc_id"] == doc_id].reset_index(drop=True)
    text = corpus.text(doc_id)
    spans = []
    for line, quote in enumerate(table["text_says"], start=2):
        try:
            match = locate(text, quote)
        except AnchorError as err:
            raise AnchorError(f"{path}:{line}: text_says: {err}") from None
        if not match.exact:
            raise AnchorError(f"{path}:{line}: text_says: not an exact quote of the article")
        spans.append((match.start, match.end))
    return table.assign(start=[s for s, _ in spans], end=[e for _, e in spans])
