"""The suggester's out-of-sample table (benchmarks/suggest_eval.py on benchmarks/eval/) is the one
benchmarks/README.md and README.md publish, and the eval set it reads is intact."""

from __future__ import annotations

import subprocess
import sys

from conftest import REPO

sys.path.insert(0, str(REPO / "benchmarks"))
import suggest_eval  # noqa: E402


def test_the_published_out_of_sample_table_is_the_one_measured():
    table = suggest_eval.markdown(suggest_eval.measure())
    bench = (REPO / "benchmarks" / "README.md").read_text(encoding="utf-8")
    assert table in bench[bench.index("After the revision"):]
    assert table in (REPO / "README.md").read_text(encoding="utf-8")


def test_the_halves_are_the_six_texts_and_the_gold_checks():
    texts = sorted(p.stem for p in (REPO / "benchmarks" / "eval" / "texts").glob("*.txt"))
    assert sorted(suggest_eval.DEV + suggest_eval.HELD_OUT) == texts and len(texts) == 6
    run = subprocess.run([sys.executable, str(REPO / "benchmarks" / "eval" / "check_gold.py")],
                         capture_output=True, text=True, timeout=60)
    assert (run.returncode, run.stdout) == (0, "84 units in 6 documents: ok\n")
