"""The data package: its descriptor read strictly, every table read and checked, a frozen
``Corpus``; the study's own description (``Study``).

Public names: ``load``, ``validate``, ``Corpus``, ``Study``.
"""

from stances.corpus.loader import Corpus, load, validate
from stances.corpus.study import Study

__all__ = ["Corpus", "Study", "load", "validate"]
