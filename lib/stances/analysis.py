"""The analyses, in one namespace: measures, discourse networks and readable views.

``stances.analysis`` gathers the public functions of three private modules, so a notebook
needs one import:

* measures (``_measures``): ``with_states``, ``positions``, ``stance_matrix``, ``alignment``,
  ``pair``, ``verdict``, ``thesis_test``, and their robustness under named variants:
  ``variants``, ``describe_variants``, ``robustness`` (verdicts), ``robustness_details``, ``robustness_grid``,
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
    describe_variants,
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
    "ALL_TOPICS", "STANCE_VALUE", "Variant", "alignment", "attribution_shares", "coverage",
    "describe_variants", "export_graphml", "headline_units", "networks", "pair", "positions",
    "relations_on", "robustness", "robustness_details", "robustness_grid", "robustness_summary",
    "stance_matrix", "statements_on", "summary", "thesis_test", "unattributed", "variants", "verdict",
    "with_states", "write_networks",
]
