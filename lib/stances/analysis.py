"""The analyses, in one namespace: measures, discourse networks and readable views.

``stances.analysis`` gathers the public functions of three private modules, so a notebook
needs one import:

* measures (``_measures``): ``with_states``, ``positions``, ``stance_matrix``, ``alignment``,
  ``pair``, ``verdict``, ``thesis_alignment`` (each part's pair on its topic), ``thesis_test``,
  and their robustness under named variants: ``variants``, ``describe_variants``,
  ``robustness`` (verdicts), ``robustness_details``, ``robustness_grid``,
  ``robustness_summary`` (every headline result), ``headline_units``, ``Variant`` (one named
  variant); the constants ``STANCE_VALUE`` (support +1, oppose -1, neutral 0) and
  ``ALL_TOPICS`` (the topic label of every topic together);
* networks (``_networks``): ``networks``, ``export_graphml``, ``write_networks``;
* views (``_views``): ``coverage``, ``attribution_shares``, ``unattributed``,
  ``statements_on``, ``relations_on``, ``summary``, ``at_a_glance`` (per document, for the
  report's front page), ``robustness_in_words`` (each part's verdicts under the variants, said),
  ``tally`` (several named counts as one labelled table).
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
    thesis_alignment,
    thesis_test,
    variants,
    verdict,
    with_states,
)
from ._networks import export_graphml, networks, write_networks
from ._views import (
    at_a_glance,
    attribution_shares,
    coverage,
    relations_on,
    robustness_in_words,
    statements_on,
    summary,
    tally,
    unattributed,
)

__all__ = [
    "ALL_TOPICS", "STANCE_VALUE", "Variant", "alignment", "at_a_glance", "attribution_shares", "coverage",
    "describe_variants", "export_graphml", "headline_units", "networks", "pair", "positions",
    "relations_on", "robustness", "robustness_details", "robustness_grid", "robustness_in_words",
    "robustness_summary", "stance_matrix", "statements_on", "summary", "tally", "thesis_alignment",
    "thesis_test", "unattributed", "variants", "verdict", "with_states", "write_networks",
]
