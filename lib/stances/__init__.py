"""Load, validate and analyse hand-annotated stance corpora.

The common case is one call::

    import stances
    corpus = stances.load()          # raises CorpusError listing every problem
    corpus.statements.head()

The package is in folders by job, lowest layer first; each folder's ``__init__`` lists its
public names, and notebooks and tests use those:

* ``errors``: a problem as ``path:line: column: message``, and ``CorpusError``;
* ``text``: sentences, quotation marks and a quote's offsets in a plain text;
* ``corpus``: the data package read and checked (``load``), the study's own description;
* ``measures``: positions, alignment, the thesis and its variants, agreement, networks, views;
* ``factcheck``: the fact-check as tables, ClaimReview records;
* ``coding``: a new study (``init``), a coding sheet (``suggest``, ``code``);
* ``report``: notebooks executed and rendered as the HTML report;
* ``plots`` (figures), ``notebook`` (``setup`` and ``facts``), ``cli`` (``python -m stances``).

``import stances`` loads only the data layer (pandas, pyarrow); every other folder is imported
on first use, so the command line and plain loading stay fast.
"""

from importlib import import_module

from stances.corpus.loader import Corpus, load
from stances.errors import CorpusError, Problem

_LAZY_MODULES = ("text", "corpus", "measures", "factcheck", "coding", "report", "plots", "notebook")
_LAZY_NAMES = {"facts": "stances.notebook", "setup": "stances.notebook", "show_code": "stances.notebook",
               "Study": "stances.corpus.study",
               "build_report": "stances.report.site"}

__all__ = ["Corpus", "CorpusError", "Problem", "Study", "build_report", "facts", "load", "setup", "show_code",
           *_LAZY_MODULES]


def __getattr__(name: str):
    if name in _LAZY_MODULES:
        return import_module(f"stances.{name}")
    if name in _LAZY_NAMES:
        return getattr(import_module(_LAZY_NAMES[name]), name)
    raise AttributeError(f"module 'stances' has no attribute {name!r}")


def __dir__():
    return sorted({*globals(), *__all__})
