"""The report: notebooks executed reproducibly and rendered as HTML pages, the annotated
article, the downloads.

Public names: ``build_report``, ``show_article`` (the annotated article in a notebook).
"""

from stances.report.pages import show_article
from stances.report.site import build_report

__all__ = ["build_report", "show_article"]
