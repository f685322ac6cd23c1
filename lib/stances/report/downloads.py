"""The report's files beside its pages: every figure as SVG (and PNG), the front page's
headline figure, the data package as a zip of its declared files, the fact-check as
schema.org ClaimReview JSON. Each writer returns what the pages link to."""

from __future__ import annotations

import base64
import os
import re
import textwrap
import zipfile
from dataclasses import dataclass
from pathlib import Path

from stances.corpus.descriptor import read_descriptor, read_package
from stances.corpus.files import confine, file_bytes
from stances.corpus.loader import Corpus
from stances.corpus.schema import PACKAGE_FILE
from stances.measures.thesis import thesis_alignment

FIGURES_DIR = "figures"
CLAIMREVIEW_FILE = "claimreview.json"
ZIP_DATE = (1980, 1, 1, 0, 0, 0)  # fixed, so the zip does not change with the build time


@dataclass(frozen=True)
class FigureFile:
    """One figure written under ``figures/``: its files, its text alternative, its page."""

    svg: str
    png: str | None
    alt: str
    page: str | None = None


def write_figures(notebook, stem: str, out_dir: Path) -> list[FigureFile]:
    """Write every SVG figure of ``notebook`` (and its PNG, when displayed) as
    ``figures/<stem>-<n>.svg|png``; tag each output with its files and text alternative
    (``output.metadata.stances_figure``) for the page template."""
    from stances.plots import svg_alt

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


def write_headline_figure(corpus: Corpus, out_dir: Path) -> FigureFile | None:
    """The front page's figure: alignment, with its interval, for each part of the thesis."""
    from stances import plots

    rows = thesis_alignment(corpus)
    if not len(rows):
        return None
    plots.use_report_style()
    fig = plots.alignment_bars(corpus, rows.reset_index(drop=True),
                               "The thesis, part by part: how far the actors' own positions "
                               "in the text agree",
                               row_labels=[textwrap.fill(str(part), 30) for part in rows.index])
    folder = out_dir / FIGURES_DIR
    folder.mkdir(exist_ok=True)
    (folder / "headline.svg").write_text(plots.figure_svg(fig), encoding="utf-8")
    (folder / "headline.png").write_bytes(plots.figure_png(fig))
    return FigureFile(f"{FIGURES_DIR}/headline.svg", f"{FIGURES_DIR}/headline.png", plots.alt_text(fig))


def declared_files(corpus: Corpus) -> list[str]:
    """The files the data package declares: ``datapackage.json``, each resource, each
    document's source text; paths relative to the data folder, sorted."""
    paths = {PACKAGE_FILE, *(table.path for table in read_package(corpus.data_dir).values()),
             *corpus.documents["path"].dropna().astype(str)}
    return sorted({os.path.normpath(path).replace(os.sep, "/") for path in paths})


def write_data_zip(corpus: Corpus, out_dir: Path) -> str:
    """The declared files of the data package as ``<package name>.zip`` (fixed dates, sorted
    entries), each read through the loader's path rule, so nothing outside the data folder (a
    symlink out of it, say) gets in. Raises ValueError if a declared file cannot be read."""
    package = read_descriptor(corpus.data_dir)
    name = re.sub(r"[^A-Za-z0-9_.-]", "_", str(package.get("name") or "data")) + ".zip"
    with zipfile.ZipFile(out_dir / name, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for path in declared_files(corpus):
            resolved, why = confine(corpus.data_dir, path)
            content, why = file_bytes(resolved) if resolved is not None else (None, why)
            if content is None:
                raise ValueError(f"{corpus.data_dir / path}:0: -: cannot go into the data zip: {why}")
            info = zipfile.ZipInfo(f"data/{path}", ZIP_DATE)
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, bytes(content))
    return name


def write_claim_reviews(corpus: Corpus, out_dir: Path, publisher: str) -> list[dict]:
    """Every fact-check as a schema.org ClaimReview, into ``claimreview.json``; [] if none."""
    from stances.factcheck.claimreview import claim_review_json, claim_reviews

    if "factchecks" not in corpus.tables:
        return []
    reviews = [review for doc_id in corpus.documents["doc_id"].astype(str)
               for review in claim_reviews(corpus, doc_id, author_name=publisher)]
    if reviews:
        (out_dir / CLAIMREVIEW_FILE).write_text(claim_review_json(reviews) + "\n", encoding="utf-8")
    return reviews
