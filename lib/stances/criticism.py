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


# --------------------------------------------------------------------------- the second check

_SECOND, _SECOND_EVIDENCE = "factcheck_reliability", "factcheck_reliability_evidence"


def unit_ratings(checks: pd.DataFrame, scale: dict[str, int] | None = None) -> pd.Series:
    """One rating per rated unit (``unit_id``), from a table of checks with ``rating``.

    A unit checked more than once (a quotation's wording and its date, say) takes the worst
    rating on ``scale`` among its checks, as the rating rules say ("the worst answer sets the
    rating"); a rating off the scale (``unverifiable``) counts only when every check of the
    unit has it. Units keep the order of their first check.
    """
    scale = RATING_VALUES if scale is None else scale
    rank = checks["rating"].astype("string").map(scale).astype("float64")
    ranked = checks.assign(_rank=rank.fillna(float("inf")))
    worst = ranked.sort_values("_rank", kind="stable").drop_duplicates("unit_id").set_index("unit_id")
    return worst["rating"].astype("string").reindex(checks["unit_id"].drop_duplicates())


def compare_ratings(corpus: Corpus, scale: dict[str, int] | None = None) -> pd.DataFrame:
    """The first and the blind second fact-check side by side, one row per rated unit:
    ``quote``, ``first``, ``second``, ``agree``, and each side's explanation and evidence
    excerpts (joined, one per line). Reads ``factchecks``/``factcheck_evidence`` (first) and
    ``factcheck_reliability``/``factcheck_reliability_evidence`` (second)."""
    first_checks = corpus.tables[_CHECKS]
    first = unit_ratings(first_checks, scale)
    second = corpus.tables[_SECOND].set_index("unit_id")
    evidence_1 = first_checks[["check_id", "unit_id"]].merge(corpus.tables[_EVIDENCE], on="check_id")
    explanations_1 = first_checks.groupby("unit_id", sort=False)["explanation"].agg(" / ".join)
    table = pd.DataFrame({
        "quote": first_checks.drop_duplicates("unit_id").set_index("unit_id")["quote"],
        "first": first,
        "second": second["rating"].astype("string").reindex(first.index),
    })
    table["agree"] = table["first"] == table["second"]
    return table.assign(
        first_explanation=explanations_1.reindex(table.index),
        first_evidence=_excerpts(evidence_1).reindex(table.index),
        second_explanation=second["explanation"].reindex(table.index),
        second_evidence=_excerpts(corpus.tables[_SECOND_EVIDENCE]).reindex(table.index),
    )


def _excerpts(evidence: pd.DataFrame) -> pd.Series:
    """Per unit: each source's name and excerpt, one per line."""
    lines = evidence["source_name"].astype("string") + ": " + evidence["excerpt"].astype("string")
    return lines.groupby(evidence["unit_id"], sort=False).agg("\n".join)
