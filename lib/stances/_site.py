"""Build the report site: every numbered notebook as a page, the annotated articles, an index.

``build_report("notebooks", "report")`` writes, all under ``report/``:

* ``NN_name.html`` — one page per notebook (template ``templates/html_report``: code
  folded under "Show code", a nav bar, nothing loaded from the network);
* ``article_<doc_id>.html`` — each article with its coded spans and its statements;
* ``networks/*.graphml`` — the congruence and conflict networks (all topics, and per topic);
* ``index.html`` — the page a busy reader can stop at: every notebook's "What we found",
  the verdict on the study's thesis first (``study.csv``: ``thesis_notebook``).

Title, introduction, the licence and the provenance in the footer come from the study's data
package. The site is built in a temporary folder next to ``report/`` and swapped in when
complete, so an interrupted build never leaves a mix of old and new pages. The committed
notebooks are never modified: with ``execute=True`` they are run (in parallel) into
temporary copies and the copies are rendered.
"""

from __future__ import annotations

import html
import os
import re
import shutil
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import quote

from ._execute import execute_notebooks
from ._fast_imports import fast_nbformat

fast_nbformat()
import jinja2  # noqa: E402
import mistune  # noqa: E402
import nbformat  # noqa: E402
from markupsafe import Markup  # noqa: E402

from . import render  # noqa: E402
from ._corpus import Corpus, load  # noqa: E402
from ._networks import write_networks  # noqa: E402
from ._study import require_description, study  # noqa: E402

if TYPE_CHECKING:
    from nbconvert import HTMLExporter

TEMPLATES = Path(__file__).parent / "templates"
NOTEBOOK_GLOB = "[0-9][0-9]_*.ipynb"
FINDINGS_HEADING = "what we found"
NETWORKS_DIR = "networks"


@dataclass(frozen=True)
class NotebookPage:
    """What the index needs to know about one rendered notebook."""

    stem: str
    title: str
    href: str
    findings_html: Markup | None
    findings_anchor: str | None


def build_report(notebooks_dir: Path, out_dir: Path, execute: bool = True,
                 data_dir: Path | None = None, workers: int | None = None) -> Path:
    """Render every ``notebooks_dir/NN_*.ipynb`` and the study in ``data_dir`` (default: the
    ``data`` folder next to ``notebooks_dir``) into ``out_dir``; return ``out_dir/index.html``.

    With ``execute=True`` each notebook is first re-executed into a temporary copy (the
    committed file is left alone; ``workers`` notebooks at a time, default one per CPU), so
    the report shows what the code produces today; with ``execute=False`` the stored
    outputs are rendered as they are. ``out_dir`` is replaced as a whole once every page is
    written; nothing is written anywhere else.
    """
    notebooks_dir, out_dir = Path(notebooks_dir), Path(out_dir)
    data_dir = notebooks_dir.resolve().parent / "data" if data_dir is None else Path(data_dir)
    sources = sorted(notebooks_dir.glob(NOTEBOOK_GLOB))
    if not sources:
        raise FileNotFoundError(f"no notebooks matching {NOTEBOOK_GLOB} in {notebooks_dir}")
    _check_replaceable(out_dir, notebooks_dir, data_dir)
    corpus = load(data_dir)
    about = study(corpus)
    require_description(about)
    notebooks = _read_notebooks(sources, execute, workers)

    out_dir.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.", suffix=".building", dir=out_dir.parent))
    try:
        environment = _environment()
        footer = Markup(environment.get_template("footer.html.j2").render(study=about))
        articles = _write_article_pages(corpus, staging, environment, footer)
        networks = write_networks(corpus, staging / NETWORKS_DIR)
        exporter = _exporter()
        pages = _write_notebook_pages(staging, sources, notebooks, exporter, footer)
        verdict = next((page for page in pages if page.stem == about.thesis_notebook), None)
        index = environment.get_template("summary.html.j2").render(
            study=about,
            verdict=verdict,
            others=[page for page in pages if page is not verdict],
            articles=articles,
            networks=[f"{NETWORKS_DIR}/{path.name}" for path in networks],
            pages=pages,
            footer=footer,
        )
        (staging / "index.html").write_text(index, encoding="utf-8")
        _swap_in(staging, out_dir)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    index = out_dir / "index.html"
    print(f"wrote {index}", file=sys.stderr)
    return index


def _write_notebook_pages(out_dir: Path, sources: list[Path], notebooks: list, exporter: HTMLExporter,
                          footer: Markup) -> list[NotebookPage]:
    stems = [source.stem for source in sources]
    titles = [notebook_title(nb, stem) for nb, stem in zip(notebooks, stems, strict=True)]
    links = [{"href": f"{s}.html", "title": t} for s, t in zip(stems, titles, strict=True)]
    pages = []
    for i, (notebook, stem) in enumerate(zip(notebooks, stems, strict=True)):
        neighbours = {
            "index": "index.html",
            "prev": links[i - 1] if i > 0 else None,
            "next": links[i + 1] if i + 1 < len(links) else None,
            "footer": footer,
        }
        body, _ = exporter.from_notebook_node(
            notebook, resources={"metadata": {"name": titles[i]}, "report": neighbours}
        )
        (out_dir / f"{stem}.html").write_text(_link_notebooks_to_pages(body, stems), encoding="utf-8")
        pages.append(_summarise(notebook, stem, titles[i], stems))
    return pages


def _check_replaceable(out_dir: Path, *inputs: Path) -> None:
    """Refuse an ``out_dir`` that the swap would wrongly delete: one that holds the inputs, or
    a non-empty folder that is not a report (no ``index.html``)."""
    if not out_dir.exists():
        return
    if not out_dir.is_dir():
        raise NotADirectoryError(f"--out {out_dir} is a file, not a folder")
    target = out_dir.resolve()
    for path in inputs:
        if target == path.resolve() or target in path.resolve().parents:
            raise ValueError(f"--out {out_dir} holds {path}; the report folder is replaced as a whole")
    if any(out_dir.iterdir()) and not (out_dir / "index.html").is_file():
        raise ValueError(f"--out {out_dir} is not empty and holds no index.html, so it is not a report "
                         "folder; the report folder is replaced as a whole, so choose another")


def _swap_in(staging: Path, out_dir: Path) -> None:
    """Put the finished ``staging`` folder in place of ``out_dir``.

    Two renames on the same file system: the old site moves aside, the new one takes its
    name, then the old one is deleted. Readers see the old site or the new one, never a mix
    (for an instant between the renames, none).
    """
    retired = None
    if out_dir.exists():
        retired = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.", suffix=".old", dir=out_dir.parent))
        os.replace(out_dir, retired / out_dir.name)
    os.replace(staging, out_dir)
    if retired is not None:
        shutil.rmtree(retired, ignore_errors=True)


def _read_notebooks(sources: list[Path], execute: bool, workers: int | None) -> list:
    """The notebooks as stored, or as they come out of a fresh run of a temporary copy."""
    if not execute:
        return [nbformat.read(source, as_version=4) for source in sources]
    with tempfile.TemporaryDirectory(prefix="stances-report-") as scratch:
        executed = [Path(scratch) / source.name for source in sources]
        execute_notebooks(list(zip(sources, executed, strict=True)), workers=workers)
        return [nbformat.read(path, as_version=4) for path in executed]


def _summarise(notebook, stem: str, title: str, stems: list[str]) -> NotebookPage:
    findings = find_findings_cell(notebook)
    if findings is None:
        print(f"warning: {stem}.ipynb has no 'What we found' cell", file=sys.stderr)
        return NotebookPage(stem, title, f"{stem}.html", None, None)
    findings_html = _link_notebooks_to_pages(findings_to_html(findings.source), stems)
    findings_html = _link_facts_to_page(findings_html, stem)
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


def _link_facts_to_page(findings_html: str, stem: str) -> str:
    """Point a finding's ``#fact-NAME`` links (bound numbers) at the notebook page that shows them."""
    return re.sub(r"""(href=["'])#fact-""", rf"\g<1>{stem}.html#fact-", findings_html)


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
    # imported on first use, so that `import stances._site` (and the CLI's help) stays quick
    from nbconvert import HTMLExporter
    from traitlets.config import Config

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


def _write_article_pages(corpus: Corpus, out_dir: Path, environment: jinja2.Environment,
                         footer: Markup) -> list[tuple[str, str]]:
    """Write ``article_<doc_id>.html`` per document; return ``[(href, title)]``."""
    template = environment.get_template("article.html.j2")
    articles = []
    for doc in corpus.documents.itertuples(index=False):
        doc_id, title = str(doc.doc_id), str(doc.title)
        name = "article_" + re.sub(r"[^A-Za-z0-9_.-]", "_", doc_id) + ".html"
        coded = corpus.statements[corpus.statements["doc_id"] == doc_id]
        page = template.render(
            title=title,
            article=Markup(render.article_html(corpus, doc_id)),
            statements=Markup(render.statements_table(corpus, doc_id)),
            count=len(coded),
            footer=footer,
        )
        (out_dir / name).write_text(page, encoding="utf-8")
        articles.append((quote(name), title))
    return articles
