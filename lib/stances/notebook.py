"""What a notebook calls: ``setup()`` at the top (figure style, table display, the corpus) and
``facts(name=value, ...)`` in its last code cell, the named values its findings may state.

A notebook's last code cell calls ``stances.facts(name=value, ...)``; the cell shows a table
*fact | value*. In HTML each row carries ``id="fact-NAME"`` so that the prose can link a number
to the value it states (``[29](#fact-coded_sentences)``); in text each row is ``NAME = value``,
which is what a test reads back from the stored output. A value is an int, a float or a short
string, displayed by :func:`number`, the one way the report prints a number: a measure
(alignment, alpha, a share) with 3 decimals, a count as a whole number, a negative with the
true minus sign (U+2212). ``setup()`` makes the notebooks' tables print floats the same way, so
prose, facts and tables agree digit for digit.
"""

from __future__ import annotations

import html
import math
import numbers
from pathlib import Path

from stances.corpus.loader import Corpus, load
from stances.corpus.schema import NAME

_MAX_TEXT = 80
MINUS = "\u2212"  # the true minus sign, wherever a number is printed
DECIMALS = 3


def _value(name: str, value):
    if isinstance(value, bool) or value is None:
        raise TypeError(f"fact {name!r}: a number or a short string, not {value!r}")
    if isinstance(value, numbers.Integral):
        return int(value)
    if isinstance(value, numbers.Real):
        if not math.isfinite(float(value)):
            raise ValueError(f"fact {name!r} is not a finite number: {value!r}")
        return float(value)
    if isinstance(value, str) and value and len(value) <= _MAX_TEXT and "\n" not in value:
        return value
    raise TypeError(f"fact {name!r}: a number or a one-line string of at most {_MAX_TEXT} "
                    f"characters, not {value!r}")


def number(value) -> str:
    """A number as the report prints it: ``7``, ``0.649``, ``\u22121.000`` (3 decimals for a
    float, the true minus sign, no negative zero)."""
    text = str(int(value)) if isinstance(value, numbers.Integral) else f"{float(value):.{DECIMALS}f}"
    if text.strip("-0.") == "":
        text = text.lstrip("-")
    return text.replace("-", MINUS)


def display(value) -> str:
    """A fact's value as the prose must write it: :func:`number` of an int or float, the string."""
    return value if isinstance(value, str) else number(value)


class Facts:
    """An ordered set of named values, shown as a two-column table."""

    def __init__(self, values: dict):
        for name in values:
            if not NAME.match(name):
                raise ValueError(f"fact name {name!r}: lower-case letters, digits and '_'")
        self.values = {name: _value(name, value) for name, value in values.items()}

    def __getitem__(self, name: str):
        return self.values[name]

    def __repr__(self) -> str:
        return "\n".join(f"{name} = {display(value)}" for name, value in self.values.items())

    def _repr_html_(self) -> str:
        rows = "".join(f'<tr id="fact-{name}"><td><code>{name}</code></td>'
                       f"<td>{html.escape(display(value))}</td></tr>"
                       for name, value in self.values.items())
        return ('<table class="facts"><thead><tr><th>fact</th><th>value</th></tr></thead>'
                f"<tbody>{rows}</tbody></table>")


def facts(**values) -> Facts:
    """The named values a notebook's findings state: ``facts(coded_sentences=29, f1=0.915)``."""
    return Facts(values)


def parse(text: str) -> dict[str, str]:
    """Read back the ``NAME = value`` lines of a stored facts output (values as displayed)."""
    found = {}
    for line in text.splitlines():
        name, sep, value = line.partition(" = ")
        if sep and NAME.match(name):
            found[name] = value
    return found


def setup(data_dir: str | Path = "../data") -> Corpus:
    """Set the figure style and table display, then load (and validate) the corpus."""
    import pandas as pd

    from stances.plots import use_report_style  # matplotlib: only where figures are drawn

    use_report_style()
    pd.set_option("display.max_colwidth", None)  # the report wraps long cells; none is cut
    pd.set_option("display.max_rows", 200)
    pd.set_option("display.precision", DECIMALS)
    pd.set_option("display.float_format", number)  # as facts and prose print them
    corpus = load(data_dir)
    _readable_tables(dict(corpus.study.labels))
    return corpus


def ipython():
    """The running IPython shell (a Jupyter kernel), or None outside one: nothing to display into."""
    try:
        from IPython import get_ipython
    except ImportError:
        return None
    return get_ipython()


def _readable_tables(labels: dict[str, str]) -> None:
    """In a Jupyter kernel, a DataFrame shows as the report shows it (labels for ids, words for
    codes, a dash for a missing value, yes / no), so JupyterLab shows what the report shows."""
    shell = ipython()
    if shell is None:
        return
    import pandas as pd

    from stances.report.tables import table_html

    def shown(frame):
        html = frame._repr_html_()
        return None if html is None else table_html(html, None, labels)

    shell.display_formatter.formatters["text/html"].for_type(pd.DataFrame, shown)


class _Code:
    """A function's source, shown as a code block (Markdown) and as plain text."""

    def __init__(self, source: str):
        self.source = source

    def _repr_markdown_(self) -> str:
        return f"```python\n{self.source}```"

    def __repr__(self) -> str:
        return self.source


def show_code(function) -> _Code:
    """The source of ``function``, for a notebook to show the rule it applies (the verdict rule
    in notebook 04) without writing it a second time."""
    import inspect

    return _Code(inspect.getsource(function))
