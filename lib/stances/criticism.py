"""Source criticism: quote-mark slips, and the fact-check (verdicts, evidence, ClaimReview)."""

from __future__ import annotations

import re

import pandas as pd

from ._corpus import Corpus

_CLOSING_SINGLE = re.compile(r"(?<=\S)'(?!\w)")


def quotations(text: str) -> pd.DataFrame:
    """Every quotation opened by a double quote mark, with the mark that closes it.

    A ``"`` opens a quotation when it follows a space, a line start or a bracket, and
    closes one otherwise. An opening mark whose next mark opens again (or that has none)
    is unbalanced; its closing mark is then the first single quote before the next opening
    that ends a word and is not followed by a letter (so not an apostrophe), if any.
    """
    marks = [m.start() for m in re.finditer('"', text)]
    opening = [i for i in marks if i == 0 or text[i - 1] in " \n([" ]
    rows = []
    for k, open_at in enumerate(opening):
        limit = opening[k + 1] if k + 1 < len(opening) else len(text)
        paragraph_end = text.find("\n", open_at)
        limit = min(limit, paragraph_end if paragraph_end >= 0 else len(text))
        close = next((i for i in marks if open_at < i < limit), None)
        if close is not None:
            rows.append((open_at, close + 1, '"', '"'))
            continue
        single = _CLOSING_SINGLE.search(text, open_at + 1, limit)
        if single is not None:
            rows.append((open_at, single.start() + 1, '"', "'"))
        else:
            rows.append((open_at, limit, '"', "(none)"))
    table = pd.DataFrame(rows, columns=["start", "end", "opens_with", "closes_with"])
    table["quotation"] = [text[s:e] for s, e in zip(table["start"], table["end"], strict=True)]
    table["balanced"] = table["opens_with"] == table["closes_with"]
    return table


RATING_VALUES = {"accurate": 4, "imprecise": 3, "misleading": 2, "wrong": 1}
"""The default numeric scale for ClaimReview ``ratingValue`` (best 4, worst 1). A rating not in
the scale (such as ``unverifiable``) is published with ``alternateName`` only, no number."""

_CHECKS, _EVIDENCE = "factchecks", "factcheck_evidence"


def fact_checks(corpus: Corpus, doc_id: str) -> pd.DataFrame:
    """The fact-check verdicts on ``doc_id`` joined with their evidence: one row per (check,
    evidence item), in check order; a check without evidence keeps one row with empty evidence
    columns. Reads the ``factchecks`` and ``factcheck_evidence`` tables of the corpus."""
    checks = corpus.tables[_CHECKS]
    checks = checks[checks["doc_id"] == doc_id]
    evidence = corpus.tables[_EVIDENCE]
    joined = checks.merge(evidence, on="check_id", how="left", validate="one_to_many")
    return joined.sort_values(["start", "check_id", "evidence_id"], kind="stable",
                              ignore_index=True)


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


def claim_reviews(corpus: Corpus, doc_id: str, author_name: str, author_url: str | None = None,
                  date_published: str | None = None, page_url: str | None = None,
                  scale: dict[str, int] | None = None) -> list[dict]:
    """One schema.org ``ClaimReview`` (a JSON-LD dict) per fact-check of ``doc_id``.

    ``claimReviewed`` is the article's exact words; ``itemReviewed`` is a ``Claim`` whose
    ``appearance`` is the article (headline, and outlet and date only when documents.csv
    states them) and whose ``author`` is the claimant when the article credits the claim to
    someone other than its own author. ``author`` is the fact-checking organisation;
    ``datePublished`` is ``date_published`` or else the check's ``checked_on``; ``url`` is
    ``page_url#check_id`` when a page URL is given. ``scale`` maps ratings to numbers
    (default :data:`RATING_VALUES`).
    """
    scale = RATING_VALUES if scale is None else scale
    document = next(corpus.documents[corpus.documents["doc_id"] == doc_id].itertuples())
    actors = corpus.actors.set_index("actor_id")
    checks = corpus.tables[_CHECKS]
    reviews = []
    for check in checks[checks["doc_id"] == doc_id].itertuples(index=False):
        claim = {"@type": "Claim", "appearance": _appearance(document)}
        actor = actors.loc[check.claimant]
        if actor["kind"] != "author":
            kind = "Person" if actor["kind"] == "person" else "Organization"
            claim["author"] = {"@type": kind, "name": actor["name"]}
        organisation = {"@type": "Organization", "name": author_name}
        if author_url is not None:
            organisation["url"] = author_url
        review = {
            "@context": "https://schema.org",
            "@type": "ClaimReview",
            "claimReviewed": check.quote,
            "reviewRating": _rating(check.rating, scale),
            "itemReviewed": claim,
            "author": organisation,
            "datePublished": date_published
            or pd.Timestamp(check.checked_on).date().isoformat(),
            "reviewBody": check.explanation,
        }
        if page_url is not None:
            review["url"] = f"{page_url}#{check.check_id}"
        reviews.append(review)
    return reviews
