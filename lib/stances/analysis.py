"""The analyses, in one namespace: measures, discourse networks and readable views.

``stances.analysis`` gathers the public functions of three private modules, so a notebook
needs one import:

* measures (``_measures``): ``with_states``, ``positions``, ``stance_matrix``, ``alignment``,
  ``pair``, ``verdict``, ``thesis_test``, and their robustness under named variants:
  ``variants``, ``robustness`` (verdicts), ``robustness_details``, ``robustness_grid``,
  ``robustness_summary`` (every headline result);
* networks (``_networks``): ``networks``, ``export_graphml``, ``write_networks``;
* views (``_views``): ``coverage``, ``attribution_shares``, ``unattributed``,
  ``statements_on``, ``relations_on``, ``summary``.
"""

from ._measures import (
    ALL_TOPICS,
    STANCE_VALUE,
    Variant,
    alignment,
    headline_units,
    pair,
    positions,
    robustness,
    robustness_details,
    robustness_grid,
    robustness_summary,
    stance_matrix,
    thesis_test,
    variants,
    verdict,
    with_states,
)
from ._networks import export_graphml, networks, write_networks
from ._views import attribution_shares, coverage, relations_on, statements_on, summary, unattributed

__all__ = [
    "ALL_TOPICS", "STANCE_VALUE", "Variant", "alignment", "headline_units", "robustness_details",
    "robustness_grid", "robustness_summary", "variants", "attribution_shares", "coverage", "export_graphml",
    "networks", "pair", "positions", "relations_on", "robustness", "stance_matrix", "statements_on",
    "summary", "thesis_test", "unattributed", "verdict", "with_states", "write_networks",
]
