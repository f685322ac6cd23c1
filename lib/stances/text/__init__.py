"""Plain-text tools, below the data layer: where sentences end, where quotations open and
close, and the exact offsets of a quote.

Public names: ``sentences``, ``quotations``, ``locate``, ``find_all``, ``Match``, ``AnchorError``.
"""

from stances.text.anchor import AnchorError, Match, find_all, locate
from stances.text.quotations import quotations
from stances.text.sentences import sentences

__all__ = ["AnchorError", "Match", "find_all", "locate", "quotations", "sentences"]
