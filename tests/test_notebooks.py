"""The notebooks as essays: a question first, "What we found" last, numbers traceable, no logic."""

from __future__ import annotations

import re
from pathlib import Path

import nbformat
import pytest

NOTEBOOKS = sorted((Path(__file__).parent.parent / "notebooks").glob("[0-9][0-9]_*.ipynb"))
EXPECTED = ["00_corpus", "01_syria", "02_arms", "03_nato", "04_alignment", "05_reliability",
            "06_source_criticism"]
# A number in prose: optional sign, digits, optional decimals; not part of a word or an id.
NUMBER = re.compile(r"(?<![\w.])[-−]?\d+(?:\.\d+)?(?![\w])")
# Numbers that name things rather than measure them.
NAMING = re.compile(r"(?:notebook|Resolution|COVID-|F-|S-|s-|rule|§)\s?$", re.IGNORECASE)


def _outputs_text(cells) -> str:
    parts = []
    for cell in cells:
        for output in cell.get("outputs", []):
            parts.append(output.get("text", ""))
            data = output.get("data", {})
            parts += [data.get("text/plain", ""), data.get("text/html", "")]
    return "\n".join(parts)


def _findings(notebook) -> int:
    return next(i for i, cell in enumerate(notebook.cells)
                if cell.cell_type == "markdown" and cell.source.startswith("## What we found"))


def _numbers_in_outputs(text: str) -> set[str]:
    found = set()
    for match in NUMBER.finditer(text):
        value = match.group().replace("−", "-")
        found.add(value)
        if "." in value:  # 0.9150 or 1.000 printed by pandas is 0.915 or 1.0 in prose
            found.add(str(float(value)))
    return found


def test_the_sequence_is_complete():
    assert [p.stem for p in NOTEBOOKS] == EXPECTED


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_opens_with_a_question_and_closes_with_findings(path):
    notebook = nbformat.read(path, as_version=4)
    first = notebook.cells[0]
    assert first.cell_type == "markdown" and first.source.startswith("# ")
    assert "**Question:" in first.source
    assert _findings(notebook) == len(notebook.cells) - 1, "'What we found' must be the last cell"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_every_number_in_the_findings_is_an_output_above(path):
    notebook = nbformat.read(path, as_version=4)
    index = _findings(notebook)
    available = _numbers_in_outputs(_outputs_text(notebook.cells[:index]))
    prose = notebook.cells[index].source
    missing = [m.group() for m in NUMBER.finditer(prose)
               if not NAMING.search(prose[: m.start()])
               and m.group().replace("−", "-") not in available]
    assert not missing, f"numbers in 'What we found' not shown by any cell above: {missing}"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_cells_hold_calls_not_logic(path):
    notebook = nbformat.read(path, as_version=4)
    for cell in notebook.cells:
        if cell.cell_type != "code":
            continue
        assert not re.search(r"^\s*(def|class|for|while|with)\b", cell.source, re.MULTILINE), cell.source
        assert len(cell.source.splitlines()) <= 6, cell.source
        imports = re.findall(r"^(?:import|from)\s+(\w+)", cell.source, re.MULTILINE)
        assert set(imports) <= {"stances"}, f"notebooks use the stances API only: {imports}"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_outputs_are_stored_without_errors_or_run_traces(path):
    notebook = nbformat.read(path, as_version=4)
    code = [c for c in notebook.cells if c.cell_type == "code"]
    assert all(c.execution_count is not None for c in code), "execute with `make notebooks`"
    raw = path.read_text(encoding="utf-8")
    assert '"output_type": "error"' not in raw
    assert "/work/" not in raw and "/home/" not in raw and "/tmp/" not in raw, "absolute path"
    assert not re.search(r"0x[0-9a-f]{8,}", raw), "memory address in an output"
    assert '"execution": {' not in raw, "cell timing recorded; execute with record_timing=False"
    assert "dc:date" not in raw, "SVG with a date; call stances.setup() first"


# Calls that write files: the site builder writes every output (pages, GraphML) under --out.
WRITES = re.compile(r"\b(?:open|export_graphml|write_networks|write_graphml|build_report|savefig|write|"
                    r"write_text|write_bytes|to_csv|to_parquet|to_excel|to_json|to_html)\s*\(")


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebooks_write_no_files(path):
    notebook = nbformat.read(path, as_version=4)
    code = "\n".join(cell.source for cell in notebook.cells if cell.cell_type == "code")
    assert not WRITES.findall(code), f"{path.name} writes a file: {WRITES.findall(code)}"
