"""Build the report site: every numbered notebook as a page, the annotated articles, an index.

``build_report("notebooks", "report")`` writes under ``report/``: ``NN_name.html`` per notebook
(template ``templates/html_report``: code folded, a nav bar, nothing from the network) and its
``notebooks/NN_name.ipynb`` as committed; ``article_<doc_id>.html`` per document;
``networks/*.graphml``; ``figures/`` (every figure as SVG and PNG, the headline figure); the data
package as ``<name>.zip`` and the fact-check as ``claimreview.json`` (``report.downloads``); the
search index (``report.search``); and ``index.html``, the page a busy reader can stop at
(``report.front``: the answer, the headline figure, its robustness, how it was made, every
notebook's "What we found", marked as a draft while a number in it is not bound to its fact).

The site is built in a temporary folder and swapped in when complete, so an interrupted build
never leaves a mix; ``.stances-report`` lists every file a build wrote, and a later build replaces
only a folder that holds nothing else. The committed notebooks are never modified: with
``execute=True`` temporary copies are run (``report.execute``, in parallel) and rendered.
"""

from __future__ import annotations

import shutil
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import quote

import jinja2
import nbformat
from markupsafe import Markup

from stances import files
from stances.corpus.loader import Corpus, load
from stances.corpus.study import require_description
from stances.errors import printable
from stances.measures.networks import write_networks
from stances.report import cache, downloads, front, pages, search, tables
from stances.report.execute import execute_notebooks
from stances.report.findings import unwritten
from stances.report.markdown import cell_anchor, findings_index, findings_to_html, notebook_title
from stances.report.sanitize import json_ld, safe_href, safe_html

if TYPE_CHECKING:
    from nbconvert import HTMLExporter

TEMPLATES = Path(__file__).parent / "templates"
NETWORKS_DIR = "networks"
NOTEBOOKS_DIR = "notebooks"  # each page's notebook, as committed, to open in JupyterLab


@dataclass(frozen=True)
class NotebookPage:
    """What the index needs to know about one rendered notebook."""

    stem: str
    title: str
    href: str
    findings_html: Markup | None
    findings_anchor: str | None
    figures: tuple  # of downloads.FigureFile
    draft: tuple  # what check-findings lists for its findings (empty: written)


def build_report(notebooks_dir: Path, out_dir: Path, execute: bool = True,
                 data_dir: Path | None = None, workers: int | None = None,
                 provenance: cache.Provenance | None = None, readme: Path | None = None) -> Path:
    """Render every ``notebooks_dir/NN_*.ipynb`` and the study in ``data_dir`` (default: the
    ``data`` folder next to ``notebooks_dir``) into ``out_dir``; return ``out_dir/index.html``.

    With ``execute=True`` each notebook is first re-executed into a temporary copy (the
    committed file is left alone; ``workers`` notebooks at a time, default one per CPU), so
    the report shows what the code produces today; with ``execute=False`` the stored
    outputs are rendered as they are. ``out_dir`` is replaced as a whole once every page is
    written; nothing is written anywhere else. ``provenance`` (the version and the data's date)
    and ``readme`` (whose "Limitations" the front page shows; default: ``README.md`` next to the
    notebooks folder) feed the front page's "How this was made".
    """
    notebooks_dir, out_dir = Path(notebooks_dir), Path(out_dir)
    data_dir = notebooks_dir.resolve().parent / "data" if data_dir is None else Path(data_dir)
    sources = sorted(notebooks_dir.glob(cache.NOTEBOOK_GLOB))
    if not sources:
        raise FileNotFoundError(f"no notebooks matching {cache.NOTEBOOK_GLOB} in {notebooks_dir}")
    for source in sources:  # a FIFO among them is refused, never waited on
        if files.regular_file(source):
            raise ValueError(f"{source}: {files.regular_file(source)}")
    cache.check_replaceable(out_dir, notebooks_dir, data_dir)
    wanted = cache.site_keys(notebooks_dir, data_dir, execute, provenance, readme)
    if cache.up_to_date(out_dir, wanted):
        print(f"{out_dir / 'index.html'} is up to date (no notebook, data or library file changed)",
              file=sys.stderr)
        return out_dir / "index.html"
    corpus = load(data_dir)
    about = corpus.study
    require_description(about)
    _check_thesis_notebook(corpus, sources)
    reused = cache.reusable(out_dir, wanted) if execute else {}
    notebooks, executed = _read_notebooks(sources, execute, workers, reused)

    out_dir.parent.mkdir(parents=True, exist_ok=True)
    staging = files.staging_folder(out_dir)
    try:
        environment = _environment()
        footer = Markup(environment.get_template("footer.html.j2").render(study=about))
        articles = _write_article_pages(corpus, staging, environment, footer)
        networks = write_networks(corpus, staging / NETWORKS_DIR)
        reviews = downloads.write_claim_reviews(corpus, staging, about.publisher or about.title)
        package = downloads.write_data_zip(corpus, staging, notebooks_dir.resolve().parent / "METHOD.md")
        pages = _write_notebook_pages(staging, sources, notebooks, footer, dict(about.labels),
                                      {about.factcheck_notebook: reviews} if reviews else {})
        search.write(staging, search.entries(corpus, notebooks, [s.stem for s in sources],
                                             [page.title for page in pages], about.factcheck_notebook))
        readme = notebooks_dir.resolve().parent / "README.md" if readme is None else Path(readme)
        front.write_index(staging, environment, corpus, pages, articles=articles, package=package,
                          networks=[f"{NETWORKS_DIR}/{path.name}" for path in networks],
                          claimreview=downloads.CLAIMREVIEW_FILE if reviews else None, footer=footer,
                          provenance=provenance or cache.Provenance(), readme=readme)
        cache.store(staging, wanted, executed)
        cache.write_manifest(staging)
        files.replace_folder(staging, out_dir)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    index = out_dir / "index.html"
    print(f"wrote {index}", file=sys.stderr)
    return index


def _write_notebook_pages(out_dir: Path, sources: list[Path], notebooks: list, footer: Markup,
                          labels: dict[str, str], json_ld_records: dict) -> list[NotebookPage]:
    exporter = _exporter()
    stems = [source.stem for source in sources]
    titles = [notebook_title(nb, stem) for nb, stem in zip(notebooks, stems, strict=True)]
    links = [{"href": f"{s}.html", "title": t} for s, t in zip(stems, titles, strict=True)]
    drafts = unwritten(notebooks, stems)
    pages = []
    for i, (notebook, stem) in enumerate(zip(notebooks, stems, strict=True)):
        if drafts[stem]:
            _mark_draft(notebook, drafts[stem])
        neighbours = {
            "index": "index.html",
            "prev": links[i - 1] if i > 0 else None,
            "next": links[i + 1] if i + 1 < len(links) else None,
            "footer": footer,
            "json_ld": Markup(json_ld(json_ld_records.get(stem))),
            "ipynb": f"{NOTEBOOKS_DIR}/{stem}.ipynb",
        }
        (out_dir / NOTEBOOKS_DIR).mkdir(exist_ok=True)
        shutil.copyfile(sources[i], out_dir / NOTEBOOKS_DIR / f"{stem}.ipynb")
        figures = downloads.write_figures(notebook, stem, out_dir)
        tables.readable(notebook, labels)
        body, _ = exporter.from_notebook_node(
            notebook, resources={"metadata": {"name": titles[i]}, "report": neighbours}
        )
        (out_dir / f"{stem}.html").write_text(body, encoding="utf-8")
        pages.append(_summarise(notebook, stem, titles[i], tuple(figures), drafts[stem]))
    return pages


def _mark_draft(notebook, problems: tuple[str, ...]) -> None:
    """Put a draft notice before the findings of the copy being rendered (never the notebook file)."""
    at = findings_index(notebook)
    if at is None:
        return
    findings, listed = notebook.cells[at], [problem.replace("`", "'") for problem in problems]
    notice = nbformat.v4.new_markdown_cell(
        "> **Draft: these findings are not written yet.** `python -m stances check-findings` lists:\n"
        + "\n".join(f"> - `{problem}`" for problem in listed))
    notice["id"] = f"{findings.get('id', 'findings')}-draft"  # fixed: the page is the same on every build
    notebook.cells.insert(at, notice)


def _check_thesis_notebook(corpus: Corpus, sources: list[Path]) -> None:
    """Raise ValueError (``study.csv:2: thesis_notebook: …``) if the notebook study.csv names for
    the verdict on the thesis is not one being rendered, or is empty while the study has a thesis."""
    named, stems = corpus.study.thesis_notebook, [source.stem for source in sources]
    if named in stems or (named is None and not len(corpus.study.parts)):
        return
    what = "is empty" if named is None else f"names {printable(named)[:60]!r}, which is no notebook here"
    raise ValueError(f"{corpus.data_dir / 'study.csv'}:2: thesis_notebook: {what}; "
                     f"the report's notebooks: {', '.join(stems)}")


def _read_notebooks(sources: list[Path], execute: bool, workers: int | None,
                    reused: dict[str, Path]) -> tuple[list, dict[str, bytes]]:
    """The notebooks as stored, or as they come out of a fresh run of a temporary copy (or of
    the last build's run, ``reused[stem]``, when none of its inputs changed); and the executed
    files' bytes by stem, for the next build."""
    if not execute:
        return [nbformat.read(source, as_version=4) for source in sources], {}
    with tempfile.TemporaryDirectory(prefix="stances-report-") as scratch:
        executed = [reused.get(source.stem, Path(scratch) / source.name) for source in sources]
        todo = [(source, path) for source, path in zip(sources, executed, strict=True)
                if source.stem not in reused]
        if todo:
            execute_notebooks(todo, workers=workers)
        print(f"executed {len(todo)} of {len(sources)} notebooks"
              + (f" (the others' inputs are unchanged: {', '.join(sorted(reused))})" if reused else ""),
              file=sys.stderr)
        contents = {source.stem: path.read_bytes() for source, path in zip(sources, executed, strict=True)}
    return [nbformat.reads(contents[s.stem].decode("utf-8"), as_version=4) for s in sources], contents


def _summarise(notebook, stem: str, title: str, figures: tuple, draft: tuple) -> NotebookPage:
    at = findings_index(notebook)
    if at is None:
        print(f"warning: {stem}.ipynb has no 'What we found' cell", file=sys.stderr)
        return NotebookPage(stem, title, f"{stem}.html", None, None, figures, draft)
    findings = notebook.cells[at]
    findings_html = Markup(findings_to_html(findings.source, page=f"{stem}.html"))
    return NotebookPage(stem, title, f"{stem}.html", findings_html, cell_anchor(findings), figures, draft)


def _exporter() -> HTMLExporter:
    # imported on first use, so that `import stances.report.site` (and the CLI's help) stays quick
    from nbconvert import HTMLExporter
    from traitlets.config import Config

    config = Config()
    config.TagRemovePreprocessor.enabled = True
    config.TagRemovePreprocessor.remove_cell_tags = {"remove_cell", "remove-cell"}
    config.TagRemovePreprocessor.remove_input_tags = {"remove_input", "remove-input"}
    config.TagRemovePreprocessor.remove_all_outputs_tags = {"remove_output", "remove-output"}
    config.TemplateExporter.exclude_output_prompt = True  # "Out[3]:" means nothing to a reader
    exporter = HTMLExporter(
        config=config, template_name="html_report", extra_template_basedirs=[str(TEMPLATES)]
    )
    exporter.register_filter("safe_html", safe_html)
    # a cell's web address becomes a link, opened only if the reader follows it (nothing loads)
    exporter.register_filter("link_addresses", lambda fragment: safe_html(fragment, link_cells=True))
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
    shutil.copyfile(TEMPLATES / "html_report" / "article.js", out_dir / "article.js")  # its table tools
    articles = []
    for doc in corpus.documents.itertuples(index=False):
        doc_id, title = str(doc.doc_id), str(doc.title)
        name = pages.article_page(doc_id)
        coded = corpus.statements[corpus.statements["doc_id"] == doc_id]
        filters = pages.filters(corpus, doc_id)
        page = template.render(
            title=title,
            article=Markup(pages.article_html(corpus, doc_id)),
            statements=Markup(pages.statements_table(corpus, doc_id)),
            relations=Markup(pages.relations_table(corpus, doc_id)),
            filters=filters,
            filter_css=Markup(pages.filter_css(filters)),
            count=len(coded),
            relation_count=int((corpus.relations["doc_id"] == doc_id).sum()),
            footer=footer,
        )
        (out_dir / name).write_text(page, encoding="utf-8")
        articles.append((quote(name), title))
    return articles
