"""Load, validate and analyse the hand-annotated stance corpus.

The common case is one call::

    import stances
    corpus = stances.load()          # raises CorpusError listing every problem
    corpus.statements.head()
"""

from . import agreement, analysis, anchor, criticism, plots, render
from .corpus import Corpus, load
from .errors import CorpusError, Problem
from .notebook import setup

__all__ = ["Corpus", "CorpusError", "Problem", "agreement", "analysis", "anchor", "criticism", "load",
           "plots", "render", "setup"]
