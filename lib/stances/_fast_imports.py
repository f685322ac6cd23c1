"""Skip an import that costs about a second and serves no check made here.

``nbformat`` validates notebooks with ``jsonschema``, whose format checkers import
``rfc3987_syntax`` when it is installed (a dependency of the Jupyter server), and that module
builds a parser at import time. The notebook schema checks no IRI format, so marking the
module absent before ``nbformat`` is first imported changes no result. The report and
``execute`` commands call ``fast_nbformat()``; ``pyproject.toml`` loads this module as an
early pytest plugin (``-p stances._fast_imports``) so that nbval's import of ``nbformat``
benefits too.
"""

from __future__ import annotations

import sys


def fast_nbformat() -> None:
    """Mark ``rfc3987_syntax`` absent, unless ``jsonschema`` is already imported."""
    if "jsonschema" not in sys.modules:
        sys.modules.setdefault("rfc3987_syntax", None)


fast_nbformat()
