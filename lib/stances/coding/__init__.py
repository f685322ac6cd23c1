"""Coding a study: ``init`` writes a new one, ``suggest`` pre-fills a coding sheet, ``code``
anchors a sheet's quotes into statements and relations.

Public names: ``code``, ``suggest``.
"""

from stances.coding.sheet import code
from stances.coding.suggest import suggest

__all__ = ["code", "suggest"]
