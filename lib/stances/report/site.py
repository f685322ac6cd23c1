"""Build the report site: every numbered notebook as a page, the annotated articles, an index.

``build_report("notebooks", "report")`` writes, all under ``report/``:

* ``NN_name.html`` — one page per notebook (template ``templates/html_report``: code
  folded under "Show code", a nav bar, nothing loaded from the network);
* ``article_<doc_id>.html`` — each article with its coded spans and its statements;
* ``notebooks/NN_name.ipynb`` — each page's notebook as committed, linked from its page;
* ``networks/*.graphml`` — the congruence and conflict networks (all topics, and per topic);
* ``figures/`` — every figure of the notebooks as a standalone SVG and PNG, and the front
  page's headline figure;
* ``<package name>.zip`` — the data package: the files ``datapackage.json`` declares (itself,
  every resource, every document's source text), each read as the loader reads it;
* ``claimreview.json`` — the fact-check as schema.org ClaimReview records, also embedded as
  JSON-LD in the page of the notebook that presents it (``study.csv``: ``factcheck_notebook``);
* ``search-index.js``, ``search.js`` — the search box of every page (``report.search``);
* ``index.html`` — the page a busy reader can stop at: a headline figure, the article at a
  glance, the verdict on the study's thesis (``study.csv``: ``thesis_notebook``) and how it
  fares under every robustness variant, every notebook's "What we found" (marked as a draft,
  with what ``check-findings`` lists, while a number in it is not bound to its fact), the downloads.

Title, introduction, the licence and the provenance in the footer come from the study's data
package. The site is built in a temporary folder next to ``report/`` and swapped in when
complete (``stances.files.replace_folder``), so an interrupted build never leaves a mix of old and
new pages. ``report/.stances-report`` lists every file the build wrote: a later build replaces a
folder only when it holds nothing else, so a folder the user keeps other files in is refused. The committed
notebooks are never modified: with ``execute=True`` they are run (in parallel) into
temporary copies and the copies are rendered.
"""

from __future__ import annotations

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

from stances import files
from stances.corpus.loader import Corpus, load
from stances.corpus.study import require_description
from stances.errors import printable
from stances.measures.networks import write_networks
from stances.measures.thesis import robustness
from stances.measures.views import at_a_glance, robustness_in_words
from stances.report import cache, downloads, front, pages, search, tables
from stances.report.execute import execute_notebooks
from stances.report.findings import unwritten
from stances.report.markdown import find_findings_cell, findings_to_html, notebook_title
from stances.report.sanitize import json_ld, link_addresses, safe_href, safe_html

if TYPE_CHECKING:
    from nbconvert import HTMLExporter

TEMPLATES = Path(__file__).parent / "templates"
NOTEBOOK_GLOB = cache.NOTEBOOK_GLOB
NETWORKS_DIR = "networks"
MANIFEST = ".stances-report"  # every file a build wrote, one path a line
NOTEBOOKS_DIR = "notebooks"  # each page's notebook, as committed, to open in JupyterLab


@dataclass(frozen=True)
class NotebookPage:
    """What the index needs to know about one rendered notebook."""

    stem: str
    title: str
    href: str
    findings_html: Markup | None
    findings_anchor: str | None
    figures: tuple = field(default=())  # of downloads.FigureFile
    draft: tuple = field(default=())  # what check-findings lists for its findings (empty: written)


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
    sources = sorted(notebooks_dir.glob(NOTEBOOK_GLOB))
    if not sources:
        raise FileNotFoundError(f"no notebooks matching {NOTEBOOK_GLOB} in {notebooks_dir}")
    for source in sources:  # a FIFO among them is refused, never waited on
        if files.regular_file(source):
            raise ValueError(f"{source}: {files.regular_file(source)}")
    _check_replaceable(out_dir, notebooks_dir, data_dir)
    wanted = cache.site_keys(notebooks_dir, data_dir, execute, provenance, readme)
    if cache.up_to_date(out_dir, wanted):
        print(f"{out_dir / 'index.html'} is up to date (no notebook, data or library file changed)",
              file=sys.stderr)
        return out_dir / "index.html"
    corpus = load(data_dir)
    about = corpus.study
    require_description(about)
    _check_notebook_named(corpus, "thesis_notebook", sources, required=bool(len(about.parts)))
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
        tested = front.thesis_verdicts(corpus)
        robust = robustness(corpus) if len(about.parts) else None
        answer = front.headline(tested)
        headline, headline_narrow = front.write_headline_figure(
            corpus, tested, staging, "The thesis, part by part: alignment, verdict and n")
        package = downloads.write_data_zip(corpus, staging, notebooks_dir.resolve().parent / "METHOD.md")
        exporter = _exporter()
        json_ld = {about.factcheck_notebook: reviews} if reviews else {}
        pages = _write_notebook_pages(staging, sources, notebooks, exporter, footer, json_ld,
                                      dict(about.labels))
        search.write(staging, search.entries(corpus, notebooks, [s.stem for s in sources],
                                             [page.title for page in pages], about.factcheck_notebook))
        verdict = next((page for page in pages if page.stem == about.thesis_notebook), None)
        index = environment.get_template("summary.html.j2").render(
            study=about,
            answer=answer,
            min_claims=front.MIN_CLAIMS,
            tested=tested,
            headline=headline,
            headline_narrow=headline_narrow,
            provenance=provenance or cache.Provenance(),
            coders=front.coders(corpus),
            limitations=Markup(front.limitations_html(
                notebooks_dir.resolve().parent / "README.md" if readme is None else Path(readme)) or ""),
            glance=at_a_glance(corpus),
            robustness=robustness_in_words(robust),
            variant_count=0 if robust is None else robust.shape[1],
            verdict=verdict,
            others=[page for page in pages if page is not verdict],
            articles=articles,
            networks=[f"{NETWORKS_DIR}/{path.name}" for path in networks],
            figures=[figure for page in pages for figure in page.figures],
            package=package,
            claimreview=downloads.CLAIMREVIEW_FILE if reviews else None,
            pages=pages,
            pairs=_thesis_pairs(corpus),
            footer=footer,
        )
        (staging / "index.html").write_text(index, encoding="utf-8")
        cache.write(staging, wanted, executed)
        written = sorted(str(path.relative_to(staging)) for path in staging.rglob("*") if path.is_file())
        (staging / MANIFEST).write_text("".join(f"{path}\n" for path in written), encoding="utf-8")
        _readable_by_others(staging)
        files.replace_folder(staging, out_dir)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    index = out_dir / "index.html"
    print(f"wrote {index}", file=sys.stderr)
    return index


def _thesis_pairs(corpus: Corpus) -> list[str]:
    """The pairs of actors the thesis's parts name, by their labels, in the order of thesis.csv
    (for the reading guide, which follows the study's own actors)."""
    labels = dict(zip(corpus.actors["actor_id"], corpus.actors["label"].fillna(corpus.actors["name"]),
                      strict=True))
    parts = corpus.study.parts
    pairs = (f"{labels.get(a, a)} and {labels.get(b, b)}"
             for a, b in zip(parts["a"], parts["b"], strict=True))
    return list(dict.fromkeys(pairs))


def _write_notebook_pages(out_dir: Path, sources: list[Path], notebooks: list, exporter: HTMLExporter,
                          footer: Markup, json_ld_records: dict | None = None,
                          labels: dict[str, str] | None = None) -> list[NotebookPage]:
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
            "json_ld": Markup(json_ld((json_ld_records or {}).get(stem))),
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
        page = _summarise(notebook, stem, titles[i])
        pages.append(NotebookPage(page.stem, page.title, page.href, page.findings_html,
                                  page.findings_anchor, tuple(figures), drafts[stem]))
    return pages


def _mark_draft(notebook, problems: tuple[str, ...]) -> None:
    """Put a draft notice before the findings of the copy being rendered (never the notebook file)."""
    findings = find_findings_cell(notebook)
    if findings is None:
        return
    listed = [problem.replace("`", "'") for problem in problems]
    notice = nbformat.v4.new_markdown_cell(
        "> **Draft: these findings are not written yet.** `python -m stances check-findings` lists:\n"
        + "\n".join(f"> - `{problem}`" for problem in listed))
    notice["id"] = f"{findings.get('id', 'findings')}-draft"  # fixed: the page is the same on every build
    notebook.cells.insert(notebook.cells.index(findings), notice)


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
    files.recover_folder(out_dir)  # a build killed during its swap is finished or undone first
    if not out_dir.exists():
        return
    if not out_dir.is_dir() or out_dir.is_symlink():
        raise NotADirectoryError(f"--out {out_dir} is a file or a symlink, not a folder")
    unknown = _not_written_by_a_build(out_dir)
    if unknown:
        shown = ", ".join(unknown[:5]) + (f" and {len(unknown) - 5} more" if len(unknown) > 5 else "")
        raise ValueError(f"--out {out_dir} holds files no report build wrote ({shown}); the report folder "
                         "is replaced as a whole, so choose an empty or new folder (or move them out)")


def _not_written_by_a_build(out_dir: Path) -> list[str]:
    """The files (and links) in ``out_dir`` that its manifest does not list: all of them if none."""
    try:
        listed = set((out_dir / MANIFEST).read_text(encoding="utf-8").splitlines())
    except (OSError, UnicodeDecodeError):
        listed = set()
    found = sorted(str(path.relative_to(out_dir)) for path in out_dir.rglob("*")
                   if path.is_symlink() or not path.is_dir())
    return [path for path in found if path not in listed and path != MANIFEST]


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


def _readable_by_others(folder: Path) -> None:
    """Folders 0755 and files 0644, as a web server or another user needs them (``mkdtemp``
    creates the staging folder 0700)."""
    folder.chmod(0o755)
    for path in folder.rglob("*"):
        if not path.is_symlink():
            path.chmod(0o755 if path.is_dir() else 0o644)


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


def _summarise(notebook, stem: str, title: str) -> NotebookPage:
    findings = find_findings_cell(notebook)
    if findings is None:
        print(f"warning: {stem}.ipynb has no 'What we found' cell", file=sys.stderr)
        return NotebookPage(stem, title, f"{stem}.html", None, None)
    findings_html = findings_to_html(findings.source, page=f"{stem}.html")
    return NotebookPage(stem, title, f"{stem}.html", Markup(findings_html), _cell_anchor(findings))


# --------------------------------------------------------------------------- figures, downloads


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
    config.TemplateExporter.exclude_output_prompt = True  # "Out[3]:" means nothing to a reader
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
    shutil.copyfile(TEMPLATES / "html_report" / "article.js", out_dir / "article.js")  # its table tools
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
