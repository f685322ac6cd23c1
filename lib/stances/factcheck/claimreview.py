"""The fact-check published as schema.org ``ClaimReview`` records (JSON-LD), each anchored
to the article's exact words."""

from __future__ import annotations

import json

import pandas as pd

from stances.corpus.actors import AUTHOR_KIND
from stances.corpus.loader import Corpus
from stances.factcheck.tables import CHECKS, RATING_VALUES


def _rating(label: str, scale: dict[str, int]) -> dict:
    rating = {"@type": "Rating", "alternateName": label.capitalize()}
    if label in scale:
        rating.update(ratingValue=scale[label], bestRating=max(scale.values()),
                      worstRating=min(scale.values()))
    return rating


def _appearance(document) -> dict:
    work = {"@type": "CreativeWork", "headline": document.title}
    if pd.notna(document.outlet):
        work["publisher"] = {"@type": "Organization", "name": document.outlet}
    if pd.notna(document.published):
        work["datePublished"] = pd.Timestamp(document.published).date().isoformat()
    return work


def claim_reviews(corpus: Corpus, doc_id: str, author_name: str, page_url: str | None = None,
                  scale: dict[str, int] = RATING_VALUES) -> list[dict]:
    """One schema.org ``ClaimReview`` (a JSON-LD dict) per fact-check of ``doc_id``.

    ``claimReviewed`` is the article's exact words; ``itemReviewed`` is a ``Claim`` whose
    ``appearance`` is the article (headline, and outlet and date only when documents.csv
    states them) and whose ``author`` is the claimant when the article credits the claim to
    someone other than its own author. ``author`` is the fact-checking organisation;
    ``datePublished`` is the check's ``checked_on``; ``url`` is
    ``page_url#check_id`` when a page URL is given. ``scale`` maps ratings to numbers
    (default :data:`RATING_VALUES`).
    """
    document = next(corpus.documents[corpus.documents["doc_id"] == doc_id].itertuples())
    actors = corpus.actors.set_index("actor_id")
    checks = corpus.tables[CHECKS]
    reviews = []
    for check in checks[checks["doc_id"] == doc_id].itertuples(index=False):
        claim = {"@type": "Claim", "appearance": _appearance(document)}
        actor = actors.loc[check.claimant]
        if actor["kind"] != AUTHOR_KIND:
            kind = "Person" if actor["kind"] == "person" else "Organization"
            claim["author"] = {"@type": kind, "name": actor["name"]}
        review = {
            "@context": "https://schema.org",
            "@type": "ClaimReview",
            "claimReviewed": check.quote,
            "reviewRating": _rating(check.rating, scale),
            "itemReviewed": claim,
            "author": {"@type": "Organization", "name": author_name},
            "datePublished": pd.Timestamp(check.checked_on).date().isoformat(),
            "reviewBody": check.explanation,
        }
        if page_url is not None:
            review["url"] = f"{page_url}#{check.check_id}"
        reviews.append(review)
    return reviews


def claim_review_json(reviews: list[dict]) -> str:
    """ClaimReview records as the JSON a page publishes (indented, keys in record order,
    non-ASCII kept)."""
    return json.dumps(reviews, indent=2, ensure_ascii=False)
