"""The report: notebooks executed reproducibly and rendered as HTML pages, the annotated
article, the downloads.

Public names: ``build_report``, ``show_article`` (the annotated article in a notebook),
imported on first use, so that ``stances.report.cache`` (the command line's up-to-date check)
loads nothing heavy.
"""

from importlib import import_module as _import_module

_NAMES = {"build_report": "stances.report.site", "show_article": "stances.report.pages"}

__all__ = ["build_report", "show_article"]


def __getattr__(name: str):
    if name in _NAMES:
        value = getattr(_import_module(_NAMES[name]), name)
        globals()[name] = value  # imported once; afterwards a plain module attribute
        return value
    raise AttributeError(f"module 'stances.report' has no attribute {name!r}")
