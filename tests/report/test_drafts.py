"""A "What we found" not yet written is a draft: the report lists what check-findings finds in it."""

from __future__ import annotations

import nbformat

from stances.report.findings import unwritten


def _notebook(findings: str, facts: bool = True):
    cell = nbformat.v4.new_code_cell("stances.facts(parts=0)")
    if facts:
        cell.outputs = [nbformat.v4.new_output("execute_result", execution_count=1, data={
            "text/plain": "parts = 0", "text/html": '<tr id="fact-parts"><td>parts</td><td>0</td></tr>'})]
    return nbformat.v4.new_notebook(cells=[cell, nbformat.v4.new_markdown_cell(findings)])


def test_a_placeholder_is_listed_and_written_findings_are_not():
    notebooks = [_notebook("## What we found\n\nOf the **[?](#fact-parts)** parts none holds."),
                 _notebook("## What we found\n\nOf the [0](#fact-parts) parts none holds."),
                 _notebook("## What we found\n\nTwo parts.", facts=False)]
    assert unwritten(notebooks, ["01_a", "02_b", "03_c"]) == {
        "01_a": ("[?] is bound to 01_a:parts, which is 0",),
        "02_b": (),
        "03_c": ("the facts cell must display its facts (execute the notebook)",),
    }
