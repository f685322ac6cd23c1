"""Source criticism, in one namespace: quotation marks, the fact-check as tables, ClaimReview.

``stances.criticism`` gathers the public functions of three private modules, so a notebook
needs one import:

* quotation marks (``_quotations``, a text tool beside ``anchor``): ``quotations``;
* the fact-check as tables (``_factcheck``): ``fact_checks`` (verdicts with their evidence),
  ``rated_checks`` (the checks given some ratings), ``unit_ratings``, ``rating_counts``,
  ``compare_ratings`` (first and blind second check side by side), ``rating_crosstab``,
  ``rating_agreement`` (Krippendorff's alpha, from ``agreement``), ``adjudication_agreement``
  (before and after the third reader), ``rating_disagreements``,
  ``checkworthiness_by_sentence`` (claim-detection units per sentence), ``as_cards``, and
  ``RATING_VALUES``, ``RATED_CATEGORIES``;
* schema.org ClaimReview (``_claimreview``): ``claim_reviews``, ``claim_review_json``.
"""

from ._claimreview import claim_review_json, claim_reviews
from ._factcheck import (
    RATED_CATEGORIES,
    RATING_VALUES,
    adjudication_agreement,
    as_cards,
    checkworthiness_by_sentence,
    compare_ratings,
    fact_checks,
    rated_checks,
    rating_agreement,
    rating_counts,
    rating_crosstab,
    rating_disagreements,
    unit_ratings,
)
from ._quotations import quotations

__all__ = [
    "RATED_CATEGORIES", "RATING_VALUES", "adjudication_agreement", "as_cards", "checkworthiness_by_sentence",
    "claim_review_json", "claim_reviews", "compare_ratings", "fact_checks", "quotations", "rated_checks",
    "rating_agreement", "rating_counts", "rating_crosstab", "rating_disagreements", "unit_ratings",
]
