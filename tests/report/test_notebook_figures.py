"""Every stored figure is drawn in JupyterLab before anything runs: JupyterLab renders no SVG in
a notebook it does not trust, so each figure output carries a PNG beside its SVG, with its
display size, and the PNG carries no stamp that would change it from one run to the next."""

from __future__ import annotations

import base64
from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_notebook, new_output

REPO = Path(__file__).resolve().parents[2]
NOTEBOOKS = sorted((REPO / "notebooks").glob("[0-9][0-9]_*.ipynb"))


def figures_without_png(notebook) -> list[str]:
    """``cell N`` for every output holding an SVG figure and no PNG (with its display size)."""
    missing = []
    for n, cell in enumerate(notebook.cells):
        for output in cell.get("outputs", []) if cell.cell_type == "code" else []:
            data = output.get("data", {})
            if "image/svg+xml" not in data:
                continue
            size = output.get("metadata", {}).get("image/png", {})
            if "image/png" not in data or not (size.get("width") and size.get("height")):
                missing.append(f"cell {n}")
    return missing


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.name for p in NOTEBOOKS])
def test_every_stored_figure_has_a_png_beside_its_svg(path):
    notebook = nbformat.read(path, as_version=4)
    assert figures_without_png(notebook) == [], f"{path.name}: SVG-only figures (JupyterLab draws none)"
    for cell in notebook.cells:
        for output in cell.get("outputs", []) if cell.cell_type == "code" else []:
            png = output.get("data", {}).get("image/png")
            if png:
                raw = base64.b64decode(png)
                assert raw.startswith(b"\x89PNG\r\n\x1a\n")
                assert b"Software" not in raw and b"tIME" not in raw, f"{path.name}: a stamped PNG"


def test_the_check_finds_an_svg_only_figure():
    svg = '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"></svg>'
    png = base64.b64encode(b"\x89PNG\r\n\x1a\n").decode()
    both = {"image/svg+xml": svg, "image/png": png}
    sized = {"image/png": {"width": 10, "height": 10}}
    notebook = new_notebook(cells=[
        new_code_cell("fig", outputs=[new_output("display_data", data={"image/svg+xml": svg})]),
        new_code_cell("fig", outputs=[new_output("display_data", data=both, metadata=sized)]),
        new_code_cell("fig", outputs=[new_output("display_data", data=both)]),
    ])
    assert figures_without_png(notebook) == ["cell 0", "cell 2"]


def test_a_figure_displays_as_the_same_png_bytes_twice_at_its_screen_size():
    from matplotlib.figure import Figure

    from stances import plots

    plots.use_report_style()
    fig = Figure(figsize=(3, 2))
    fig.subplots().plot([0, 1], [1, 0])
    first, size = plots._displayed_png(fig)
    second, _ = plots._displayed_png(fig)
    assert first == second
    assert b"Software" not in first
    pixels = int.from_bytes(first[16:20], "big"), int.from_bytes(first[20:24], "big")
    # stored at 150 dpi, shown at 100 CSS px per inch: two thirds of its pixels
    assert (size["width"], size["height"]) == (round(pixels[0] * 2 / 3), round(pixels[1] * 2 / 3))
    assert 250 < size["width"] < 330, size  # about the 3 inches asked for (tight bounding box)
