"""Build the report site: every numbered notebook as a page, the annotated articles, an index.

``build_report("notebooks", "report")`` writes, all under ``report/``:

* ``NN_name.html`` — one page per notebook (template ``templates/html_report``: code
  folded under "Show code", a nav bar, nothing loaded from the network);
* ``article_<doc_id>.html`` — each article with its coded spans and its statements;
* ``networks/*.graphml`` — the congruence and conflict networks (all topics, and per topic);
* ``figures/`` — every figure of the notebooks as a standalone SVG (and PNG when the notebooks
  are executed for the report), and the front page's headline figure;
* ``<package name>.zip`` — the data package: the files ``datapackage.json`` declares (itself,
  every resource, every document's source text), each read as the loader reads it;
* ``claimreview.json`` — the fact-check as schema.org ClaimReview records, also embedded as
  JSON-LD in the page of the notebook that presents it (``study.csv``: ``factcheck_notebook``);
* ``index.html`` — the page a busy reader can stop at: a headline figure, the article at a
  glance, the verdict on the study's thesis (``study.csv``: ``thesis_notebook``) and how it
  fares under every robustness variant, every notebook's "What we found", the downloads.

Title, introduction, the licence and the provenance in the footer come from the study's data
package. The site is built in a temporary folder next to ``report/`` and swapped in when
complete, so an interrupted build never leaves a mix of old and new pages. The committed
notebooks are never modified: with ``execute=True`` they are run (in parallel) into
temporary copies and the copies are rendered.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import quote

import jinja2
import nbformat
from markupsafe import Markup

from stances.corpus.loader import Corpus, load
from stances.corpus.study import require_description
from stances.errors import printable
from stances.measures.networks import write_networks
from stances.measures.thesis import robustness
from stances.measures.views import at_a_glance, robustness_in_words
from stances.report import downloads, pages
from stances.report.execute import execute_notebooks
from stances.report.markdown import find_findings_cell, findings_to_html, notebook_title
from stances.report.sanitize import json_ld, link_addresses, safe_href, safe_html

if TYPE_CHECKING:
    from nbconvert import HTMLExporter

TEMPLATES = Path(__file__).parent / "templates"
NOTEBOOK_GLOB = "[0-9][0-9]_*.ipynb"
NETWORKS_DIR = "networks"


@dataclass(frozen=True)
class NotebookPage:
    """What the index needs to know about one rendered notebook."""

    stem: str
    title: str
    href: str
    findings_html: Markup | None
    findings_anchor: str | None
    figures: tuple = field(default=())  # of downloads.FigureFile


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
    about = corpus.study
    require_description(about)
    _check_notebook_named(corpus, "thesis_notebook", sources, required=bool(len(about.parts)))
    with _png_figures(execute):
        notebooks = _read_notebooks(sources, execute, workers)

    out_dir.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.", suffix=".building", dir=out_dir.parent))
    try:
        environment = _environment()
        footer = Markup(environment.get_template("footer.html.j2").render(study=about))
        articles = _write_article_pages(corpus, staging, environment, footer)
        networks = write_networks(corpus, staging / NETWORKS_DIR)
        reviews = downloads.write_claim_reviews(corpus, staging, about.publisher or about.title)
        headline = downloads.write_headline_figure(corpus, staging)
        package = downloads.write_data_zip(corpus, staging)
        exporter = _exporter()
        json_ld = {about.factcheck_notebook: reviews} if reviews else {}
        pages = _write_notebook_pages(staging, sources, notebooks, exporter, footer, json_ld)
        verdict = next((page for page in pages if page.stem == about.thesis_notebook), None)
        index = environment.get_template("summary.html.j2").render(
            study=about,
            headline=headline,
            glance=at_a_glance(corpus),
            robustness=robustness_in_words(robustness(corpus) if len(about.parts) else None),
            verdict=verdict,
            others=[page for page in pages if page is not verdict],
            articles=articles,
            networks=[f"{NETWORKS_DIR}/{path.name}" for path in networks],
            figures=[figure for page in pages for figure in page.figures],
            package=package,
            claimreview=downloads.CLAIMREVIEW_FILE if reviews else None,
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
                          footer: Markup, json_ld_records: dict | None = None) -> list[NotebookPage]:
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
            "json_ld": Markup(json_ld((json_ld_records or {}).get(stem))),
        }
        figures = downloads.write_figures(notebook, stem, out_dir)
        body, _ = exporter.from_notebook_node(
            notebook, resources={"metadata": {"name": titles[i]}, "report": neighbours}
        )
        (out_dir / f"{stem}.html").write_text(body, encoding="utf-8")
        page = _summarise(notebook, stem, titles[i])
        pages.append(NotebookPage(page.stem, page.title, page.href, page.findings_html,
                                  page.findings_anchor, tuple(figures)))
    return pages


def _check_replaceable(out_dir: Path, notebooks_dir: Path, data_dir: Path) -> None:
    """Refuse an ``out_dir`` that the swap would wrongly delete or that would write into the
    inputs: one inside (or holding) the data or notebooks folder, a file, or a non-empty folder
    that is not a report (no ``index.html``)."""
    target = out_dir.resolve()
    for name, path in (("data", data_dir), ("notebooks", notebooks_dir)):
        inputs = path.resolve()
        if target == inputs or inputs in target.parents:
            raise ValueError(f"--out {out_dir} is inside the {name} folder {path}; the report is "
                             "written only outside the data and the notebooks")
        if target in inputs.parents:
            raise ValueError(f"--out {out_dir} holds {path}; the report folder is replaced as a whole")
    if not out_dir.exists():
        return
    if not out_dir.is_dir():
        raise NotADirectoryError(f"--out {out_dir} is a file, not a folder")
    if any(out_dir.iterdir()) and not (out_dir / "index.html").is_file():
        raise ValueError(f"--out {out_dir} is not empty and holds no index.html, so it is not a report "
                         "folder; the report folder is replaced as a whole, so choose another")


def _check_notebook_named(corpus: Corpus, column: str, sources: list[Path], required: bool) -> None:
    """Raise ValueError (``study.csv:2: column: …``) if study.csv's ``column`` names no notebook
    being rendered, or is empty where the report needs it (the verdict on a thesis)."""
    named = getattr(corpus.study, column)
    stems = [source.stem for source in sources]
    if named in stems or (named is None and not required):
        return
    where = f"{corpus.data_dir / 'study.csv'}:2: {column}:"
    what = "is empty" if named is None else f"names {printable(named)[:60]!r}, which is no notebook here"
    raise ValueError(f"{where} {what}; the report's notebooks: {', '.join(stems)}")


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


def _summarise(notebook, stem: str, title: str) -> NotebookPage:
    findings = find_findings_cell(notebook)
    if findings is None:
        print(f"warning: {stem}.ipynb has no 'What we found' cell", file=sys.stderr)
        return NotebookPage(stem, title, f"{stem}.html", None, None)
    findings_html = findings_to_html(findings.source, page=f"{stem}.html")
    return NotebookPage(stem, title, f"{stem}.html", Markup(findings_html), _cell_anchor(findings))


# --------------------------------------------------------------------------- figures, downloads


@contextlib.contextmanager
def _png_figures(on: bool):
    """While notebooks execute for the report, have their kernels display PNG beside SVG."""
    from stances.plots import PNG_ENV

    previous = os.environ.get(PNG_ENV)
    if on:
        os.environ[PNG_ENV] = "1"
    try:
        yield
    finally:
        if previous is None:
            os.environ.pop(PNG_ENV, None)
        else:
            os.environ[PNG_ENV] = previous


# --------------------------------------------------------------------------- notebook content


def _cell_anchor(cell) -> str | None:
    # nbconvert gives each cell id="cell-id=<id>" (nbformat >= 4.5 notebooks have ids)
    cell_id = cell.get("id") if cell is not None else None
    return f"cell-id={cell_id}" if cell_id else None


# --------------------------------------------------------------------------- pages


def _exporter() -> HTMLExporter:
    # imported on first use, so that `import stances.report.site` (and the CLI's help) stays quick
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
    exporter.register_filter("safe_html", safe_html)
    exporter.register_filter("link_addresses", link_addresses)
    return exporter


def _environment() -> jinja2.Environment:
    environment = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES / "html_report"),
        autoescape=True,
        keep_trailing_newline=True,
        undefined=jinja2.StrictUndefined,
    )
    environment.filters["safe_href"] = safe_href
    return environment


def _write_article_pages(corpus: Corpus, out_dir: Path, environment: jinja2.Environment,
                         footer: Markup) -> list[tuple[str, str]]:
    """Write ``article_<doc_id>.html`` per document; return ``[(href, title)]``."""
    template = environment.get_template("article.html.j2")
    articles = []
    for doc in corpus.documents.itertuples(index=False):
        doc_id, title = str(doc.doc_id), str(doc.title)
        name = pages.article_page(doc_id)
        coded = corpus.statements[corpus.statements["doc_id"] == doc_id]
        page = template.render(
            title=title,
            article=Markup(pages.article_html(corpus, doc_id)),
            statements=Markup(pages.statements_table(corpus, doc_id)),
            relations=Markup(pages.relations_table(corpus, doc_id)),
            filters=pages.filters(corpus, doc_id),
            filter_css=Markup(pages.filter_css(pages.filters(corpus, doc_id))),
            count=len(coded),
            relation_count=int((corpus.relations["doc_id"] == doc_id).sum()),
            footer=footer,
        )
        (out_dir / name).write_text(page, encoding="utf-8")
        articles.append((quote(name), title))
    return articles
