"""Build the report site: every numbered notebook as a page, the annotated articles, an index.

``build_report("notebooks", "report")`` writes, all under ``report/``:

* ``NN_name.html`` — one page per notebook (template ``templates/html_report``: code
  folded under "Show code", a nav bar, nothing loaded from the network);
* ``article_<doc_id>.html`` — each article with its coded spans and its statements;
* ``networks/*.graphml`` — the congruence and conflict networks (all topics, and per topic);
* ``figures/`` — every figure of the notebooks as a standalone SVG (and PNG when the notebooks
  are executed for the report), and the front page's headline figure;
* ``<package name>.zip`` — the data package as read;
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

import base64
import contextlib
import html
import json
import os
import re
import shutil
import sys
import tempfile
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import quote

from ._execute import execute_notebooks
from ._fast_imports import fast_nbformat

fast_nbformat()
import jinja2  # noqa: E402
import mistune  # noqa: E402
import nbformat  # noqa: E402
import pandas as pd  # noqa: E402
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
FIGURES_DIR = "figures"
CLAIMREVIEW_FILE = "claimreview.json"
ZIP_DATE = (1980, 1, 1, 0, 0, 0)  # fixed, so the zip does not change with the build time


@dataclass(frozen=True)
class NotebookPage:
    """What the index needs to know about one rendered notebook."""

    stem: str
    title: str
    href: str
    findings_html: Markup | None
    findings_anchor: str | None
    figures: tuple = field(default=())


@dataclass(frozen=True)
class FigureFile:
    """One figure written under ``figures/``: its files, its text alternative, its page."""

    svg: str
    png: str | None
    alt: str
    page: str | None = None


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
    with _png_figures(execute):
        notebooks = _read_notebooks(sources, execute, workers)
    settings = _settings(corpus)

    out_dir.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.", suffix=".building", dir=out_dir.parent))
    try:
        environment = _environment()
        footer = Markup(environment.get_template("footer.html.j2").render(study=about))
        articles = _write_article_pages(corpus, staging, environment, footer)
        networks = write_networks(corpus, staging / NETWORKS_DIR)
        reviews = _write_claim_reviews(corpus, staging, settings["publisher"] or about.title)
        headline = _write_headline_figure(corpus, staging)
        package = _write_data_zip(corpus, staging)
        exporter = _exporter()
        json_ld = {settings["factcheck_notebook"]: reviews} if reviews else {}
        pages = _write_notebook_pages(staging, sources, notebooks, exporter, footer, json_ld)
        verdict = next((page for page in pages if page.stem == about.thesis_notebook), None)
        index = environment.get_template("summary.html.j2").render(
            study=about,
            headline=headline,
            glance=at_a_glance(corpus),
            robustness=robustness_summary(_robustness(corpus)),
            verdict=verdict,
            others=[page for page in pages if page is not verdict],
            articles=articles,
            networks=[f"{NETWORKS_DIR}/{path.name}" for path in networks],
            figures=[figure for page in pages for figure in page.figures],
            package=package,
            claimreview=CLAIMREVIEW_FILE if reviews else None,
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
                          footer: Markup, json_ld: dict | None = None) -> list[NotebookPage]:
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
            "json_ld": Markup(_json_ld((json_ld or {}).get(stem))),
        }
        figures = _write_figures(notebook, stem, out_dir)
        body, _ = exporter.from_notebook_node(
            notebook, resources={"metadata": {"name": titles[i]}, "report": neighbours}
        )
        (out_dir / f"{stem}.html").write_text(_link_notebooks_to_pages(body, stems), encoding="utf-8")
        page = _summarise(notebook, stem, titles[i], stems)
        pages.append(NotebookPage(page.stem, page.title, page.href, page.findings_html,
                                  page.findings_anchor, tuple(figures)))
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


# --------------------------------------------------------------------------- figures, downloads


@contextlib.contextmanager
def _png_figures(on: bool):
    """While notebooks execute for the report, have their kernels display PNG beside SVG."""
    from .plots import PNG_ENV

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


def _write_figures(notebook, stem: str, out_dir: Path) -> list[FigureFile]:
    """Write every SVG figure of ``notebook`` (and its PNG, when displayed) as
    ``figures/<stem>-<n>.svg|png``; tag each output with its files and text alternative
    (``output.metadata.stances_figure``) for the page template."""
    from .plots import svg_alt

    folder = out_dir / FIGURES_DIR
    figures = []
    for cell in notebook.cells:
        for output in cell.get("outputs", []) if cell.cell_type == "code" else []:
            svg = output.get("data", {}).get("image/svg+xml")
            if not svg:
                continue
            folder.mkdir(exist_ok=True)
            name = f"{stem}-{len(figures) + 1}"
            (folder / f"{name}.svg").write_text(svg, encoding="utf-8")
            png = output["data"].get("image/png")
            if png:
                (folder / f"{name}.png").write_bytes(base64.b64decode(png))
            alt = svg_alt(svg) or f"A figure of {stem} (it carries no description)"
            figure = FigureFile(f"{FIGURES_DIR}/{name}.svg", f"{FIGURES_DIR}/{name}.png" if png else None,
                                alt, f"{stem}.html")
            output.setdefault("metadata", {})["stances_figure"] = {
                "svg": figure.svg, "png": figure.png, "alt": figure.alt}
            figures.append(figure)
    return figures


def _thesis_alignment(corpus: Corpus) -> pd.DataFrame:
    """Alignment rows (pair, topic) for each part of the thesis, in the order of its parts,
    indexed by the part's words."""
    from ._measures import ALL_TOPICS, alignment

    parts = study(corpus).parts
    if not len(parts):
        return pd.DataFrame()
    actors = sorted(set(parts["a"].astype(str)) | set(parts["b"].astype(str)))
    table = alignment(corpus, actors=actors)
    rows = []
    for part in parts.itertuples(index=False):
        topic = ALL_TOPICS if pd.isna(part.topic) else str(part.topic)
        pair = {str(part.a), str(part.b)}
        match = table[(table["topic"] == topic) & table["a"].isin(pair) & table["b"].isin(pair)
                      & (table["a"] != table["b"])]
        if len(match):
            rows.append(match.iloc[0].rename(str(part.part)))
    return pd.DataFrame(rows)


def _write_headline_figure(corpus: Corpus, out_dir: Path) -> FigureFile | None:
    """The front page's figure: alignment, with its interval, for each part of the thesis."""
    from . import plots

    rows = _thesis_alignment(corpus)
    if not len(rows):
        return None
    plots.use_report_style()
    import textwrap

    fig = plots.alignment_bars(corpus, rows.reset_index(drop=True),
                               "The thesis, part by part: how far the actors' own positions "
                               "in the text agree",
                               row_labels=[textwrap.fill(str(part), 30) for part in rows.index])
    folder = out_dir / FIGURES_DIR
    folder.mkdir(exist_ok=True)
    (folder / "headline.svg").write_text(plots.figure_svg(fig), encoding="utf-8")
    (folder / "headline.png").write_bytes(plots.figure_png(fig))
    return FigureFile(f"{FIGURES_DIR}/headline.svg", f"{FIGURES_DIR}/headline.png", plots.alt_text(fig))


def _write_data_zip(corpus: Corpus, out_dir: Path) -> str:
    """The data package folder as ``<package name>.zip`` (fixed dates, sorted entries)."""
    from ._package import PACKAGE_FILE

    data_dir = Path(corpus.data_dir)
    package = json.loads((data_dir / PACKAGE_FILE).read_text(encoding="utf-8"))
    name = re.sub(r"[^A-Za-z0-9_.-]", "_", str(package.get("name") or "data")) + ".zip"
    with zipfile.ZipFile(out_dir / name, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for path in sorted(p for p in data_dir.rglob("*") if p.is_file() and not p.name.startswith(".")):
            info = zipfile.ZipInfo(f"data/{path.relative_to(data_dir).as_posix()}", ZIP_DATE)
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, path.read_bytes())
    return name


def _settings(corpus: Corpus) -> dict[str, str | None]:
    """Optional columns of study.csv: ``publisher``, ``factcheck_notebook``."""
    table = corpus.tables.get("study")
    row = table.iloc[0] if table is not None and len(table) == 1 else pd.Series(dtype="object")
    return {key: (None if pd.isna(row.get(key)) else str(row.get(key)))
            for key in ("publisher", "factcheck_notebook")}


def _write_claim_reviews(corpus: Corpus, out_dir: Path, publisher: str) -> list[dict]:
    """Every fact-check as a schema.org ClaimReview, into ``claimreview.json``; [] if none."""
    from .criticism import claim_reviews

    if "factchecks" not in corpus.tables:
        return []
    reviews = [review for doc_id in corpus.documents["doc_id"].astype(str)
               for review in claim_reviews(corpus, doc_id, author_name=publisher)]
    if reviews:
        (out_dir / CLAIMREVIEW_FILE).write_text(json.dumps(reviews, indent=2, ensure_ascii=False) + "\n",
                                                encoding="utf-8")
    return reviews


def _json_ld(records: list[dict] | None) -> str:
    """A ``<script type="application/ld+json">`` holding ``records`` (data, never run), with
    ``<``, ``>`` and ``&`` escaped as JSON so no text can close the element."""
    if not records:
        return ""
    data = json.dumps(records, ensure_ascii=False, indent=1)
    data = data.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return f'<script type="application/ld+json">\n{data}\n</script>'


# --------------------------------------------------------------------------- the front page


def at_a_glance(corpus: Corpus) -> list[dict]:
    """Per document, what a reader needs before the findings: title, source facts the text
    gives, who speaks (by name, with counts), the strands (topics) with their counts, and the
    document's note (facts from outside the text, marked as such)."""
    about = study(corpus)
    statements = corpus.statements
    topic_of = corpus.claims.set_index("claim_id")["topic"].astype("string")
    glance = []
    for doc in corpus.documents.itertuples(index=False):
        coded = statements[statements["doc_id"] == doc.doc_id]
        speakers = coded["speaker"].astype(str).value_counts(sort=False)
        speakers = speakers.sort_values(ascending=False, kind="stable")
        topics = topic_of.reindex(coded["claim_id"].astype(str)).to_numpy()
        strands = []
        for topic in about.topics:
            mine = coded[topics == topic]
            if len(mine):
                strands.append({"topic": topic, "statements": len(mine),
                                "claims": int(mine["claim_id"].nunique()),
                                "speakers": [about.label(s) for s in
                                             dict.fromkeys(mine["speaker"].astype(str))]})
        given = [f"{name}: {value}" for name, value in (("outlet", doc.outlet), ("published", doc.published))
                 if not pd.isna(value) and str(value)]
        glance.append({
            "title": str(doc.doc_id if pd.isna(doc.title) else doc.title),
            "characters": len(corpus.text(doc.doc_id)),
            "given": given,
            "statements": len(coded),
            "speakers": [(about.label(s), int(n)) for s, n in speakers.items()],
            "strands": strands,
            "outside": "" if pd.isna(doc.note) else str(doc.note),
        })
    return glance


def _robustness(corpus: Corpus) -> pd.DataFrame | None:
    from ._measures import robustness

    if not len(study(corpus).parts):
        return None
    return robustness(corpus)


def robustness_summary(table: pd.DataFrame | None) -> list[dict]:
    """Per thesis part (row of ``analysis.robustness``): the baseline verdict (first column)
    and, in plain words, whether every other variant (column) gives the same verdict or which
    ones change it, and to what."""
    if table is None or table.shape[1] == 0:
        return []
    baseline_name = str(table.columns[0])
    rows = []
    for part, verdicts in table.iterrows():
        baseline = str(verdicts.iloc[0])
        changed = [(str(v), str(x)) for v, x in verdicts.iloc[1:].items() if str(x) != baseline]
        others = table.shape[1] - 1
        if not others:
            words = f"{baseline_name} only; no other variant was run"
        elif not changed:
            words = f"holds under every variant ({others} of {others})"
        else:
            words = (f"changes under {len(changed)} of {others} variant{'s' if others != 1 else ''}: "
                     + "; ".join(f"{variant} gives “{verdict}”" for variant, verdict in changed))
        rows.append({"part": str(part), "baseline": baseline, "baseline_name": baseline_name,
                     "holds": not changed, "words": words})
    return rows


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


_URL_CELL = re.compile(r"(<td[^>]*>)\s*(https?://[^\s<>\"']+)\s*(</td>)")


def link_addresses(fragment: str) -> str:
    """Table cells that hold just a web address become links to it (opened only if the reader
    follows them; nothing is loaded)."""
    return _URL_CELL.sub(r'\1<a href="\2" rel="noreferrer">\2</a>\3', str(fragment))


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
    exporter.register_filter("link_addresses", link_addresses)
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
        name = render.article_page(doc_id)
        coded = corpus.statements[corpus.statements["doc_id"] == doc_id]
        page = template.render(
            title=title,
            article=Markup(render.article_html(corpus, doc_id)),
            statements=Markup(render.statements_table(corpus, doc_id)),
            relations=Markup(render.relations_table(corpus, doc_id)),
            filters=render.filters(corpus, doc_id),
            filter_css=Markup(render.filter_css(render.filters(corpus, doc_id))),
            count=len(coded),
            relation_count=int((corpus.relations["doc_id"] == doc_id).sum()) if "relations" in corpus.tables
            else 0,
            footer=footer,
        )
        (out_dir / name).write_text(page, encoding="utf-8")
        articles.append((quote(name), title))
    return articles
