"""The fact-check as a reader reads it: verdicts with their evidence, ratings per unit, the first
and the blind second check side by side, their agreement, the claim-detection units per
sentence (``tables``), and the verdicts as schema.org ClaimReview records (``claimreview``).

Public names: ``fact_checks``, ``unit_ratings``, ``rating_counts``, ``compare_ratings``,
``rating_crosstab``, ``rating_agreement``, ``adjudication_agreement``, ``rating_disagreements``,
``checkworthiness_by_sentence``, ``claim_reviews``, ``claim_review_json``, ``RATING_VALUES``,
``RATED_CATEGORIES``.
"""

from stances.factcheck.claimreview import claim_review_json, claim_reviews
from stances.factcheck.tables import (
    RATED_CATEGORIES,
    RATING_VALUES,
    adjudication_agreement,
    checkworthiness_by_sentence,
    compare_ratings,
    fact_checks,
    rating_agreement,
    rating_counts,
    rating_crosstab,
    rating_disagreements,
    unit_ratings,
)

__all__ = [
    "RATED_CATEGORIES", "RATING_VALUES", "adjudication_agreement", "checkworthiness_by_sentence",
    "claim_review_json", "claim_reviews", "compare_ratings", "fact_checks",
    "rating_agreement", "rating_counts", "rating_crosstab", "rating_disagreements", "unit_ratings",
]
