"""Load, validate and analyse hand-annotated stance corpora.

The common case is one call::

    import stances
    corpus = stances.load()          # raises CorpusError listing every problem
    corpus.statements.head()

``import stances`` loads only the data layer (pandas, pyarrow). The analysis, figure and
report modules are imported on first use (``stances.plots`` loads matplotlib then), so the
command line and plain loading stay fast.
"""

from importlib import import_module

from ._corpus import Corpus, load
from ._errors import CorpusError, Problem

_LAZY_MODULES = ("agreement", "analysis", "anchor", "criticism", "plots", "render")

__all__ = ["Corpus", "CorpusError", "Problem", "load", "setup", *_LAZY_MODULES]


def __getattr__(name: str):
    if name in _LAZY_MODULES:
        return import_module(f".{name}", __name__)
    if name == "setup":
        from ._notebook import setup

        return setup
    raise AttributeError(f"module 'stances' has no attribute {name!r}")
