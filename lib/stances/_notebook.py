"""One call at the top of every notebook: reproducible figures, readable tables, the corpus."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from ._corpus import Corpus, load
from .plots import use_report_style


def setup(data_dir: str | Path = "../data") -> Corpus:
    """Set the figure style and table display, then load (and validate) the corpus."""
    use_report_style()
    pd.set_option("display.max_colwidth", None)  # the report wraps long cells; none is cut
    pd.set_option("display.max_rows", 200)
    pd.set_option("display.precision", 3)
    return load(data_dir)
