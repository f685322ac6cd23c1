"""Measures, in one namespace: positions and stance matrices (``position``), pairwise alignment
and verdicts (``pairs``), the thesis test and its robustness under named variants (``thesis``),
coder agreement (``agreement``), discourse networks (``networks``) and readable views (``views``).

Public names (the rules of position, alignment and verdict: METHOD.md §14):

* position, pairs, thesis: ``with_states``, ``positions``, ``stance_matrix``, ``alignment``, ``pair``,
  ``verdict``, ``thesis_test``, ``variants``, ``describe_variants``, ``robustness``,
  ``robustness_details``, ``robustness_grid``, ``robustness_summary``, ``headline_units``,
  ``Variant``, ``STANCE_VALUE``, ``ALL_TOPICS``;
* networks: ``networks``, ``export_graphml``, ``write_networks``;
* views: ``coverage``, ``attribution_shares``, ``statements_on``, ``relations_on``, ``summary``;
* ``agreement``, the module: two codings of the same documents compared.
"""

from stances.measures import agreement
from stances.measures.networks import export_graphml, networks, write_networks
from stances.measures.pairs import alignment, pair, verdict
from stances.measures.position import ALL_TOPICS, STANCE_VALUE, positions, stance_matrix, with_states
from stances.measures.thesis import (
    Variant,
    describe_variants,
    headline_units,
    robustness,
    robustness_details,
    robustness_grid,
    robustness_summary,
    thesis_test,
    variants,
)
from stances.measures.views import (
    attribution_shares,
    coverage,
    relations_on,
    statements_on,
    summary,
)

__all__ = [
    "ALL_TOPICS", "STANCE_VALUE", "Variant", "agreement", "alignment", "attribution_shares",
    "coverage", "describe_variants", "export_graphml", "headline_units", "networks", "pair", "positions",
    "relations_on", "robustness", "robustness_details", "robustness_grid", "robustness_summary",
    "stance_matrix", "statements_on", "summary", "thesis_test", "variants", "verdict",
    "with_states", "write_networks",
]
