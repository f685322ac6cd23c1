"""A search box over the whole report that works from disk, with no server: the build writes
the index as a script (``search-index.js``, one entry per passage: its page, its anchor, its
title and its words) beside a small script (``search.js``) that matches every word typed
against it and lists the passages that hold them all, as links. Entries: every markdown cell
of every notebook page, every coded statement and relation (their rows on the article's
page) and every fact-check (its card on the page that shows them). Without JavaScript the box
does nothing and every page still reads as before.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from stances.corpus.loader import Corpus
from stances.report import pages as article_pages
from stances.report.markdown import cell_anchor, heading_texts

INDEX_FILE, SCRIPT_FILE = "search-index.js", "search.js"
SCRIPT = Path(__file__).parent / "templates" / "html_report" / SCRIPT_FILE  # copied as it is


def _unmarked(markdown: str) -> str:
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", markdown)  # a link: its words
    return " ".join(re.sub(r"[`*_#>|]", " ", text).split())


def entries(corpus: Corpus, notebooks: list, stems: list[str], titles: list[str],
            factcheck_page: str | None) -> list[dict]:
    """The passages a reader can search for, each ``{"page", "anchor", "title", "text"}``."""
    found = []
    for notebook, stem, title in zip(notebooks, stems, titles, strict=True):
        for cell in notebook.cells:
            if cell.cell_type != "markdown" or not cell.source.strip():
                continue
            heading = next(iter(heading_texts(cell.source)), None)
            found.append({"page": f"{stem}.html", "anchor": cell_anchor(cell) or "",
                          "title": f"{title}" + (f" · {heading}" if heading and heading != title else ""),
                          "text": _unmarked(cell.source)})
    about = corpus.study
    for doc_id in corpus.documents["doc_id"].astype(str):
        page = article_pages.article_page(doc_id)
        coded = corpus.statements[corpus.statements["doc_id"] == doc_id]
        for row in coded.itertuples(index=False):
            found.append({"page": page, "anchor": article_pages.row_anchor(str(row.statement_id)),
                          "title": f"{row.statement_id}: {about.label(row.speaker)} ({row.stance})",
                          "text": article_pages.statement_label(corpus, row) + " — " + str(row.quote)})
    checks = corpus.tables.get("factchecks")
    if checks is not None and factcheck_page:
        for row in checks.itertuples(index=False):
            found.append({"page": f"{factcheck_page}.html", "anchor": f"fc-{row.check_id}",
                          "title": f"Fact-check {row.check_id}: {row.rating}",
                          "text": f"{row.quote} — {row.explanation}"})
    return found


def write(out_dir: Path, found: list[dict]) -> None:
    """``search-index.js`` and ``search.js`` in ``out_dir``."""
    data = json.dumps(found, ensure_ascii=True, sort_keys=True).replace("</", "<\\/")
    (Path(out_dir) / INDEX_FILE).write_text(f"window.STANCES_SEARCH = {data};\n", encoding="utf-8")
    (Path(out_dir) / SCRIPT_FILE).write_bytes(SCRIPT.read_bytes())
