"""Render the numbered notebooks into a self-contained HTML report.

``build_report("notebooks", "report")`` writes

* ``report/NN_name.html`` — one page per notebook (template ``templates/html_report``: code
  folded under "Show code", a nav bar, nothing loaded from the network);
* ``report/article_<doc_id>.html`` — the article with its coded spans, when
  ``stances.render.article_page`` exists;
* ``report/index.html`` — the page a busy reader can stop at: every notebook's
  "What we found", notebook 04's verdict on the article's thesis first.

The committed notebooks are never modified: with ``execute=True`` each one is run
into a temporary copy and the copy is rendered.
"""

from __future__ import annotations

import html
import re
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

import jinja2
import mistune
import nbformat
from markupsafe import Markup
from nbconvert import HTMLExporter
from traitlets.config import Config

from ._execute import execute_notebook

TEMPLATES = Path(__file__).parent / "templates"
NOTEBOOK_GLOB = "[0-9][0-9]_*.ipynb"
VERDICT_PREFIX = "04_"
FINDINGS_HEADING = "what we found"

REPORT_TITLE = "Erdogan and Putin in Sochi, 2021: who stands where"
REPORT_INTRO = (
    "One news article about Recep Tayyip Erdogan and Vladimir Putin meeting in Sochi in 2021, "
    "turned into checkable data: every position an actor takes in the text is hand-annotated "
    "(who says it, about which claim, for or against) and anchored to the exact words. The "
    "notebooks follow three disputes (the Syria/Idlib conflict, the S-400 arms deal and the "
    "strain on NATO), then test the article's own thesis against the coded statements, check "
    "a second, independent coding and list what the text itself gets wrong. One article yields "
    "few statements, so read every number with its count and interval. Each section below is a "
    "notebook's own “What we found”; follow its title for the evidence, figures and code."
)


@dataclass(frozen=True)
class NotebookPage:
    """What the index needs to know about one rendered notebook."""

    stem: str
    title: str
    href: str
    findings_html: Markup | None
    findings_anchor: str | None


def build_report(notebooks_dir: Path, out_dir: Path, execute: bool = True) -> Path:
    """Render every ``notebooks_dir/NN_*.ipynb`` into ``out_dir``; return ``out_dir/index.html``.

    With ``execute=True`` each notebook is first re-executed into a temporary copy (the
    committed file is left alone), so the report shows what the code produces today;
    with ``execute=False`` the stored outputs are rendered as they are.
    """
    notebooks_dir, out_dir = Path(notebooks_dir), Path(out_dir)
    sources = sorted(notebooks_dir.glob(NOTEBOOK_GLOB))
    if not sources:
        raise FileNotFoundError(f"no notebooks matching {NOTEBOOK_GLOB} in {notebooks_dir}")
    out_dir.mkdir(parents=True, exist_ok=True)

    notebooks = _read_notebooks(sources, execute)
    stems = [source.stem for source in sources]
    titles = [notebook_title(nb, stem) for nb, stem in zip(notebooks, stems, strict=True)]
    links = [{"href": f"{s}.html", "title": t} for s, t in zip(stems, titles, strict=True)]
    exporter = _exporter()
    pages = []
    for i, (notebook, stem) in enumerate(zip(notebooks, stems, strict=True)):
        neighbours = {
            "index": "index.html",
            "prev": links[i - 1] if i > 0 else None,
            "next": links[i + 1] if i + 1 < len(links) else None,
        }
        body, _ = exporter.from_notebook_node(
            notebook, resources={"metadata": {"name": titles[i]}, "report": neighbours}
        )
        page = out_dir / f"{stem}.html"
        page.write_text(_link_notebooks_to_pages(body, stems), encoding="utf-8")
        print(f"rendered {page}", file=sys.stderr)
        pages.append(_summarise(notebook, stem, titles[i], stems))

    articles = _write_article_pages(notebooks_dir.resolve().parent / "data", out_dir)
    _remove_stale_pages(out_dir, {"index.html", *(page.href for page in pages),
                                  *(href for href, _ in articles)})

    index = out_dir / "index.html"
    index.write_text(_render_index(pages, articles), encoding="utf-8")
    print(f"wrote {index}", file=sys.stderr)
    return index


def _read_notebooks(sources: list[Path], execute: bool) -> list[nbformat.NotebookNode]:
    """The notebooks as stored, or as they come out of a fresh run of a temporary copy."""
    if not execute:
        return [nbformat.read(source, as_version=4) for source in sources]
    notebooks = []
    with tempfile.TemporaryDirectory(prefix="stances-report-") as scratch:
        for source in sources:
            executed = Path(scratch) / source.name
            execute_notebook(source, executed)
            notebooks.append(nbformat.read(executed, as_version=4))
    return notebooks


def _summarise(notebook, stem: str, title: str, stems: list[str]) -> NotebookPage:
    findings = find_findings_cell(notebook)
    if findings is None:
        print(f"warning: {stem}.ipynb has no 'What we found' cell", file=sys.stderr)
        return NotebookPage(stem, title, f"{stem}.html", None, None)
    findings_html = _link_notebooks_to_pages(findings_to_html(findings.source), stems)
    return NotebookPage(stem, title, f"{stem}.html", Markup(findings_html), _cell_anchor(findings))


# --------------------------------------------------------------------------- notebook content


def notebook_title(notebook, fallback: str) -> str:
    """The plain text of the notebook's first markdown H1 (``# Title``), else ``fallback``."""
    for cell in notebook.cells:
        if cell.cell_type != "markdown":
            continue
        lines = cell.source.splitlines()
        for i, line in enumerate(lines):
            atx = re.match(r"^ {0,3}#(?!#)\s+(.*?)(?:\s+#+)?\s*$", line)
            if atx and atx.group(1):
                return _plain_text(atx.group(1))
            setext = i + 1 < len(lines) and re.match(r"^ {0,3}=+\s*$", lines[i + 1])
            if setext and line.strip():
                return _plain_text(line.strip())
    return fallback


def find_findings_cell(notebook):
    """The markdown cell whose first line is a heading containing "What we found", or None."""
    for cell in notebook.cells:
        if cell.cell_type != "markdown" or not cell.source.strip():
            continue
        first = cell.source.strip().splitlines()[0]
        if first.lstrip().startswith("#") and FINDINGS_HEADING in first.lower():
            return cell
    return None


_markdown = mistune.create_markdown(escape=True, plugins=["table", "strikethrough", "url"])


def findings_to_html(source: str) -> str:
    """Markdown of a "What we found" cell, minus its heading, as HTML; raw HTML is escaped."""
    body = "\n".join(source.strip().splitlines()[1:]).strip()
    return _markdown(body).strip()


def _plain_text(markdown_inline: str) -> str:
    """Inline markdown (``**S-400**``, `` `code` ``, links) as the plain text a reader sees."""
    rendered = _markdown(markdown_inline)
    return html.unescape(re.sub(r"<[^>]+>", "", rendered)).strip()


def _cell_anchor(cell) -> str | None:
    # nbconvert gives each cell id="cell-id=<id>" (nbformat >= 4.5 notebooks have ids)
    cell_id = cell.get("id") if cell is not None else None
    return f"cell-id={cell_id}" if cell_id else None


def _link_notebooks_to_pages(page_html: str, stems: list[str]) -> str:
    """Point links such as ``04_alignment.ipynb#x`` at the rendered ``04_alignment.html#x``."""
    known = set(stems)

    def replace(match: re.Match) -> str:
        stem = match.group(2)
        if stem not in known:
            return match.group(0)
        return f"{match.group(1)}{stem}.html"

    return re.sub(r"""(href=["'](?:\./)?)(\d\d_[^"'#?/]+)\.ipynb""", replace, page_html)


# --------------------------------------------------------------------------- HTML safety

_ACTIVE_TAGS = "script|iframe|frame|frameset|object|embed|applet|link|meta|base|form|noscript"
_ACTIVE_TAG = re.compile(rf"<(/?\s*(?:{_ACTIVE_TAGS})\b)", re.IGNORECASE)
_EVENT_HANDLER = re.compile(
    r"""(<[a-zA-Z][^<>]*?)\s+on[a-zA-Z]+\s*=\s*(?:"[^"]*"|'[^']*'|[^\s>]+)""", re.IGNORECASE
)
_REMOTE_SOURCE = re.compile(
    r"""(<(?!a\b)[a-zA-Z][^<>]*?\s)(src|srcset|href|poster|data)(\s*=\s*["']?\s*(?:https?:)?//)""",
    re.IGNORECASE,
)
_SCRIPT_URL = re.compile(r"""(\s(?:href|src)\s*=\s*["']?\s*)javascript:""", re.IGNORECASE)
_REMOTE_CSS = re.compile(r"""((?:url\(|@import)\s*["']?\s*)((?:https?:)?//)""", re.IGNORECASE)


def defuse_html(fragment: str) -> str:
    """Make notebook-supplied HTML inert without changing how ordinary HTML looks.

    Active tags (``<script>``, ``<iframe>``, ``<link>`` …) are escaped so they show as
    text, event-handler attributes and ``javascript:`` URLs are dropped, and remote
    ``src``/``href`` on anything but ``<a>`` is renamed to ``data-blocked-…`` (and a remote
    CSS ``url(…)``/``@import`` turned into an inert ``data:`` URL) so a page never loads from
    the network. Tables, styles, SVG and formatting pass through.
    """
    fragment = _ACTIVE_TAG.sub(r"&lt;\1", str(fragment))
    previous = None
    while previous != fragment:
        previous = fragment
        fragment = _EVENT_HANDLER.sub(r"\1", fragment)
    previous = None
    while previous != fragment:
        previous = fragment
        fragment = _REMOTE_SOURCE.sub(r"\1data-blocked-\2\3", fragment)
    fragment = _REMOTE_CSS.sub(r"\1data:,blocked:\2", fragment)
    return _SCRIPT_URL.sub(r"\1#blocked:", fragment)


# --------------------------------------------------------------------------- pages


def _exporter() -> HTMLExporter:
    config = Config()
    config.TagRemovePreprocessor.enabled = True
    config.TagRemovePreprocessor.remove_cell_tags = {"remove_cell", "remove-cell"}
    config.TagRemovePreprocessor.remove_input_tags = {"remove_input", "remove-input"}
    config.TagRemovePreprocessor.remove_all_outputs_tags = {"remove_output", "remove-output"}
    exporter = HTMLExporter(
        config=config, template_name="html_report", extra_template_basedirs=[str(TEMPLATES)]
    )
    exporter.register_filter("defuse_html", defuse_html)
    return exporter


def _environment() -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES / "html_report"),
        autoescape=True,
        keep_trailing_newline=True,
        undefined=jinja2.StrictUndefined,
    )


def _render_index(pages: list[NotebookPage], articles: list[tuple[str, str]]) -> str:
    verdict = next((page for page in pages if page.stem.startswith(VERDICT_PREFIX)), None)
    others = [page for page in pages if page is not verdict]
    return _environment().get_template("summary.html.j2").render(
        title=REPORT_TITLE,
        intro=REPORT_INTRO,
        verdict=verdict,
        others=others,
        articles=articles,
        pages=pages,
    )


def _write_article_pages(data_dir: Path, out_dir: Path) -> list[tuple[str, str]]:
    """Write ``article_<doc_id>.html`` per document; ``[(href, title)]``, empty if unavailable."""
    from . import render

    if not hasattr(render, "article_page"):
        print("note: stances.render.article_page not available; no article pages", file=sys.stderr)
        return []
    if not data_dir.is_dir():
        print(f"note: no data folder at {data_dir}; no article pages", file=sys.stderr)
        return []
    from ._corpus import load

    corpus = load(data_dir)
    documents = corpus.documents
    doc_ids = documents["doc_id"].astype(str).tolist()
    titles = (
        documents["title"].fillna("").astype(str).tolist()
        if "title" in documents
        else [""] * len(doc_ids)
    )
    environment = _environment()
    articles = []
    for doc_id, title in zip(doc_ids, titles, strict=True):
        name = "article_" + re.sub(r"[^A-Za-z0-9_.-]", "_", doc_id) + ".html"
        page = render.article_page(corpus, doc_id)
        page = _with_nav(page, title or doc_id, environment)
        (out_dir / name).write_text(page, encoding="utf-8")
        print(f"rendered {out_dir / name}", file=sys.stderr)
        articles.append((quote(name), title or doc_id))
    return articles


def _with_nav(page: str, title: str, environment: jinja2.Environment) -> str:
    """Give an article page the report's nav bar and an inline favicon (no /favicon.ico fetch).

    A fragment is wrapped in the report's page shell; a whole document gets a link back to
    the index only if it has none.
    """
    nav = environment.get_template("nav.html.j2").render()
    if not re.search(r"<html[\s>]", page, re.IGNORECASE):
        return environment.get_template("fragment.html.j2").render(
            title=title, nav=Markup(nav), body=Markup(page)
        )
    if "rel=\"icon\"" not in page:
        page = re.sub(r"(<head(?:\s[^>]*)?>)", r'\1<link rel="icon" href="data:,">', page, count=1,
                      flags=re.IGNORECASE)
    body = re.search(r"<body[^>]*>", page, re.IGNORECASE)
    if body is None or re.search(r"""href=["']index\.html["']""", page):
        return page
    return page[: body.end()] + "\n" + nav + page[body.end():]


def _remove_stale_pages(out_dir: Path, written: set[str]) -> None:
    """Drop pages of notebooks or documents that no longer exist (only report-made names)."""
    for pattern in ("[0-9][0-9]_*.html", "article_*.html"):
        for page in out_dir.glob(pattern):
            if page.name not in written:
                page.unlink()
                print(f"removed stale {page}", file=sys.stderr)
