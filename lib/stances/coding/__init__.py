"""Coding a study: ``init`` writes a new one, ``suggest`` pre-fills a coding sheet, ``code``
anchors a sheet's quotes into statements and relations (the commands of ``python -m stances``).

Public names: ``suggest``.
"""

from stances.coding.suggest import suggest

__all__ = ["suggest"]
