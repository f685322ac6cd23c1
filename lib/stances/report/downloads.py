"""The report's files beside its pages: every figure as SVG (and PNG), the data package as a
zip of its declared files, the fact-check as schema.org ClaimReview JSON. Each writer returns
what the pages link to."""

from __future__ import annotations

import base64
import os
import re
import zipfile
from dataclasses import dataclass
from html import unescape
from pathlib import Path

from stances.corpus.loader import Corpus
from stances.corpus.paths import confined_bytes
from stances.corpus.schema import PACKAGE_FILE

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


def svg_alt(svg: str) -> str | None:
    """The text alternative a notebook's SVG carries (``plots.figure_svg``: its root's ``<title>``)."""
    match = re.search(r"<svg\b[^>]*>\s*<title>(.*?)</title>", svg, re.DOTALL)
    return unescape(match.group(1)) if match else None


def declared_files(corpus: Corpus) -> list[str]:
    """The files the data package declares: ``datapackage.json``, each resource, each
    document's source text; paths relative to the data folder, sorted."""
    paths = {PACKAGE_FILE, *(resource["path"] for resource in corpus.descriptor.get("resources", [])),
             *corpus.documents["path"].dropna().astype(str)}
    return sorted({os.path.normpath(path).replace(os.sep, "/") for path in paths})


PACKAGE_DOCUMENTS = ("README.md", "CODEBOOK.md")  # in the data folder, beside datapackage.json


def write_data_zip(corpus: Corpus, out_dir: Path, method: Path | None = None) -> str:
    """The declared files of the data package as ``<package name>.zip`` (fixed dates, sorted
    entries), each read through the loader's path rule, so nothing outside the data folder (a
    symlink out of it, say) gets in; then the documents that explain them: the package's
    ``README.md`` and ``CODEBOOK.md`` (as the Data Package spec suggests, beside the descriptor)
    and the project's ``METHOD.md`` (``method``, at the zip's top, where the codebook's links
    expect it). The zip's comment lists those documents, which ``datapackage.json`` does not
    declare. Raises ValueError if a declared file cannot be read."""
    name = re.sub(r"[^A-Za-z0-9_.-]", "_", str(corpus.descriptor.get("name") or "data")) + ".zip"
    entries = [(f"data/{path}", _confined_bytes(corpus.data_dir, path, required=True))
               for path in declared_files(corpus)]
    documents = [(f"data/{path}", content) for path in PACKAGE_DOCUMENTS
                 if (content := _confined_bytes(corpus.data_dir, path, required=False)) is not None]
    if method is not None and method.is_file() and not method.is_symlink():
        documents.append(("METHOD.md", method.read_bytes()))
    with zipfile.ZipFile(out_dir / name, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for entry, content in entries + documents:
            info = zipfile.ZipInfo(entry, ZIP_DATE)
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, content)
        archive.comment = ("Documentation, not resources of datapackage.json: "
                           + (", ".join(entry for entry, _ in documents) or "none")).encode("utf-8")
    return name


def _confined_bytes(data_dir: Path, path: str, required: bool) -> bytes | None:
    content, why = confined_bytes(data_dir, path)
    if content is None:
        if not required:
            return None
        raise ValueError(f"{data_dir / path}:0: -: cannot go into the data zip: {why}")
    return bytes(content)


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
