"""Load, validate and analyse hand-annotated stance corpora.

The common case is one call::

    import stances
    corpus = stances.load()          # raises CorpusError listing every problem
    corpus.statements.head()

The public API has one shape: the names this module exports (``__all__``) and the names
each public module exports, each listed in that module's docstring (the one API list):

* here: the data layer (``load``, ``Corpus``, ``CorpusError``, ``Problem``), the study's own
  description (``Study``, read once per corpus as ``corpus.study``), the notebook set-up
  (``setup``), the named values a notebook's findings state (``facts``), the report
  (``build_report``);
* ``analysis`` (measures, networks, views) and ``criticism`` (quotation marks, the fact-check
  as tables, ClaimReview): each gathers the functions of private modules of one job;
* ``agreement`` (two codings compared; every alpha and bootstrap interval), ``anchor`` (a
  quote's offsets), ``plots`` (figures) and ``render`` (HTML fragments): one job each.

Modules whose names start with ``_`` are internal; notebooks and tests call the public names.

``import stances`` loads only the data layer (pandas, pyarrow). Everything else is imported
on first use (``stances.plots`` loads matplotlib then, ``analysis.networks`` networkx,
``build_report`` nbconvert), so the command line and plain loading stay fast.
"""

from importlib import import_module

from ._corpus import Corpus, load
from ._errors import CorpusError, Problem

_LAZY_MODULES = ("agreement", "analysis", "anchor", "criticism", "plots", "render")
_LAZY_NAMES = {"facts": "._facts", "setup": "._notebook", "Study": "._study",
               "build_report": "._site"}

__all__ = ["Corpus", "CorpusError", "Problem", "Study", "build_report", "facts", "load", "setup",
           *_LAZY_MODULES]


def __getattr__(name: str):
    if name in _LAZY_MODULES:
        return import_module(f".{name}", __name__)
    if name in _LAZY_NAMES:
        return getattr(import_module(_LAZY_NAMES[name], __name__), name)
    raise AttributeError(f"module 'stances' has no attribute {name!r}")


def __dir__():
    return sorted({*globals(), *__all__})
