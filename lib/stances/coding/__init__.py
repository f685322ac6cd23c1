"""Coding a study, the commands of ``python -m stances`` by module: ``init`` writes a new one;
``suggest`` pre-fills a coding sheet (its rules in ``suggest``, with ``matcher`` for the actors'
names and ``speakers`` for who speaks; the command in ``suggest_cli``); ``add-actors`` accepts
the actors it proposes (``actors``); ``locate`` and ``sentences`` give a document's offsets
(``locate``); ``code`` anchors a sheet's quotes into statements and relations (``sheet``).

Public names: ``suggest``.
"""

from stances.coding.suggest import suggest

__all__ = ["suggest"]
