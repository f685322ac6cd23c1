"""The README's "Start a new study" is a test: its code block runs as written (in bash, from the
repository's root) on the example text the project ships, with the one step a person does by
hand (claims, and claim and stance in the coding sheet) done here in Python between its commands.

The study's folder ``../annan`` is the only thing changed: it becomes a temporary folder, so the
test writes nothing next to the clone."""

from __future__ import annotations

import csv
import re
import subprocess

import nbformat
import pytest

from conftest import REPO, stderr_outputs

pytestmark = pytest.mark.notebooks  # the block executes the study's notebooks in a kernel
STUDY = "../annan"


def _recipe(study) -> str:
    """The block as one bash script, its "# by hand" line done by :func:`_code_by_hand`."""
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index("## Start a new study"):]
    block = re.search(r"```sh\n(.*?)```", section, re.S).group(1)
    before, hand, after = re.split(r"^(# by hand:.*)$", block, maxsplit=1, flags=re.M)
    assert "claim and stance" in hand
    by_hand = (f"python -c 'import sys, pathlib; sys.path[:0] = [\"tests\"]; import test_readme_recipe as t; "
               f"print(\"kept\", t._code_by_hand(pathlib.Path(\"{study}\")))'\n")
    return "set -euo pipefail\n" + (before + by_hand + after).replace(STUDY, str(study))


def _code_by_hand(study) -> int:
    """A claim, and the quotation and reported-speech rows of the sheet kept with a stance."""
    with (study / "data" / "claims.csv").open("a", encoding="utf-8", newline="") as handle:
        handle.write("reform_needed,reform,The United Nations needs the reforms now in doubt,\n")
    sheet = study / "coding.csv"
    with sheet.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    kept = [{**row, "claim": "reform_needed", "stance": "support"} for row in rows
            if row["attribution"] in ("direct_quote", "reported_speech") and row["speaker"] != "author"]
    with sheet.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(kept)
    return len(kept)


def test_the_readme_recipe_runs_as_written(tmp_path):
    study = tmp_path / "annan"
    run = subprocess.run(["bash", "-c", _recipe(study)], cwd=REPO, capture_output=True, text=True,
                         timeout=900)
    assert run.returncode == 0, run.stderr
    proposed = (study / "actors-proposed.csv").read_text(encoding="utf-8")
    assert "annan,Kofi Annan,person" in proposed and "bone,James Bone,person" in proposed
    kept = int(re.search(r"^kept (\d+)$", run.stdout, re.M).group(1))
    assert kept >= 5
    assert f"{study}/data: valid (" in run.stdout and f"{kept} statements" in run.stdout
    with (study / "data" / "statements.csv").open(encoding="utf-8", newline="") as handle:
        speakers = {row["speaker"] for row in csv.DictReader(handle)}
    assert {"annan", "bone"} <= speakers
    for path in sorted((study / "notebooks").glob("*.ipynb")):  # outputs stored in the study's notebooks
        notebook = nbformat.read(path, as_version=4)
        code = [cell for cell in notebook.cells if cell.cell_type == "code"]
        assert code and all(cell.execution_count for cell in code), path.name
    assert stderr_outputs(study / "notebooks") == []
    index = (study / "report" / "index.html").read_text(encoding="utf-8")
    assert "Draft: these findings are not written yet." in index  # the [?] of the notebooks as shipped
    assert "[?] is bound to 00_corpus:statements, which is" in index
    assert "The thesis has no parts yet" in index
