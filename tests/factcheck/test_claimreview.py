"""Every fact-check is published as a schema.org ClaimReview that carries what Google's
fact-check structured data asks for.

Source of the requirements: Google Search Central, "Fact check (ClaimReview) structured data",
https://developers.google.com/search/docs/appearance/structured-data/factcheck (its table of
properties, as summarised by Full Fact at
https://fullfact.github.io/markup-investigation/docs/notes/01-basic-usage/):
REQUIRED on ClaimReview: ``claimReviewed`` (Text), ``reviewRating`` (Rating), ``url`` (URL, on
the same domain as the page hosting the markup); REQUIRED on Rating: ``alternateName`` (Text).
RECOMMENDED: ClaimReview ``author`` (Organization), ``datePublished``, ``itemReviewed`` (Claim);
Claim ``appearance``, ``author``; Rating ``bestRating``, ``ratingValue``, ``worstRating`` (and
"there must be a number to text rating system for all your fact checks that carry numeric
ratings"). Google's page also says support in Search is being phased out while the Fact Check
Explorer still reads the markup; the fields stay the ones listed there.
"""

from __future__ import annotations

import json
from datetime import date

import pytest

from conftest import DOC_ID
from stances import factcheck as criticism

PAGE = "06_source_criticism.html"


@pytest.fixture(scope="module")
def reviews(corpus):
    return criticism.claim_reviews(corpus, DOC_ID, author_name="The study's authors",
                                   page_url=PAGE)


def test_one_review_per_check_and_json_serialisable(corpus, reviews):
    assert len(reviews) == len(corpus.factchecks)
    assert json.loads(json.dumps(reviews)) == reviews


def test_google_required_fields(reviews):
    for review in reviews:
        assert review["@context"] == "https://schema.org" and review["@type"] == "ClaimReview"
        assert isinstance(review["claimReviewed"], str) and review["claimReviewed"]
        assert review["url"].startswith(PAGE + "#")          # same page, hence same domain
        rating = review["reviewRating"]
        assert rating["@type"] == "Rating"
        assert isinstance(rating["alternateName"], str) and rating["alternateName"]


def test_google_recommended_fields(corpus, reviews):
    title = corpus.documents.set_index("doc_id").loc[DOC_ID, "title"]
    for review in reviews:
        assert review["author"] == {"@type": "Organization", "name": "The study's authors"}
        date.fromisoformat(review["datePublished"])
        claim = review["itemReviewed"]
        assert claim["@type"] == "Claim"
        assert claim["appearance"] == {"@type": "CreativeWork", "headline": title}
        assert claim.get("author", {"@type": "Person"})["@type"] in {"Person", "Organization"}


def test_claim_reviewed_is_the_articles_exact_words(corpus, reviews):
    text = corpus.text(DOC_ID)
    for check, review in zip(corpus.factchecks.itertuples(index=False), reviews, strict=True):
        assert review["claimReviewed"] == text[check.start:check.end]


def test_numbers_map_to_words_one_to_one(reviews):
    seen = {}
    for review in reviews:
        rating = review["reviewRating"]
        if "ratingValue" in rating:
            assert rating["worstRating"] <= rating["ratingValue"] <= rating["bestRating"]
            assert seen.setdefault(rating["ratingValue"], rating["alternateName"]) \
                == rating["alternateName"]
        else:                                   # no number: the word alone (e.g. Unverifiable)
            assert set(rating) == {"@type", "alternateName"}
    assert len(set(seen.values())) == len(seen)


def test_attributed_claims_name_their_author_and_the_authors_own_do_not(corpus, reviews):
    actors = corpus.actors.set_index("actor_id")
    for check, review in zip(corpus.factchecks.itertuples(index=False), reviews, strict=True):
        author = review["itemReviewed"].get("author")
        if actors.loc[check.claimant, "kind"] == "author":
            assert author is None
        else:
            assert author["name"] == actors.loc[check.claimant, "name"]


def test_unknown_url_and_date_are_left_out_not_invented(corpus):
    reviews = criticism.claim_reviews(corpus, DOC_ID, author_name="x")
    assert all("url" not in review for review in reviews)
    assert all(set(review["itemReviewed"]["appearance"]) == {"@type", "headline"}
               for review in reviews)
