"""A study just initialised (``stances init``: no actor, claim, statement or thesis part yet)
validates, executes and builds its report, with nothing but progress on the terminal."""

from __future__ import annotations

import subprocess

import pytest

from conftest import REPO, stderr_outputs

pytestmark = pytest.mark.notebooks  # its notebooks execute in a kernel


def test_a_study_just_initialised_builds_its_report(tmp_path):
    """What validate accepts builds: no actor, claim, statement or thesis part yet."""
    study = tmp_path / "empty"
    script = (f"set -euo pipefail\n. .venv/bin/activate\n"
              f"stances init {study} --doc-id annan --source examples/annan.txt --topics reform\n"
              f"stances validate {study}/data\nstances execute {study}/notebooks/*.ipynb\n"
              f"stances report --notebooks {study}/notebooks --out {study}/report --no-execute\n")
    run = subprocess.run(["bash", "-c", script], cwd=REPO, capture_output=True, text=True, timeout=600)
    assert run.returncode == 0, run.stderr
    # the terminal shows progress only: no kernel warning (such as "running over TCP without encryption")
    assert [line for line in run.stderr.splitlines() if not line.startswith(("executing ", "wrote "))] == []
    assert stderr_outputs(study / "notebooks") == []  # no warning, no traceback in a stored output
    index = (study / "report" / "index.html").read_text(encoding="utf-8")
    assert "[?] is bound to 01_verdict:parts, which is 0" in index and "The thesis has no parts yet" in index
