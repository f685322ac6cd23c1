"""Readable views for the notebooks and the report: coverage, attribution, statements and
relations in text order, a summary of the corpus.

Wherever a reader sees an actor, the views show its label (``actors.label``), not its id.
"""

from __future__ import annotations

import pandas as pd

from stances.corpus.loader import Corpus
from stances.measures.position import require_known, require_topic, with_states
from stances.text.sentences import sentences

ACTOR_COLUMNS = ("speaker", "state", "source", "target")


def _named(corpus: Corpus, table: pd.DataFrame) -> pd.DataFrame:
    """``table`` with the actor ids in its ``ACTOR_COLUMNS`` replaced by the actors' labels."""
    about = corpus.study
    named = {c: table[c].map(lambda a: a if pd.isna(a) else about.label(str(a))).astype("string")
             for c in ACTOR_COLUMNS if c in table.columns}
    return table.assign(**named)


def coverage(corpus: Corpus, doc_id: str, statements: pd.DataFrame | None = None) -> pd.DataFrame:
    """Sentences of ``doc_id`` with the number of statements overlapping each."""
    statements = corpus.statements if statements is None else statements
    coded = statements[statements["doc_id"] == doc_id]
    table = sentences(corpus.text(doc_id))
    starts = coded["start"].to_numpy(dtype="int64")
    ends = coded["end"].to_numpy(dtype="int64")
    hits = (starts[None, :] < table["end"].to_numpy()[:, None]) & \
           (ends[None, :] > table["start"].to_numpy()[:, None])
    return table.assign(statements=hits.sum(axis=1), coded=hits.any(axis=1))


def attribution_shares(corpus: Corpus, by: str = "topic") -> pd.DataFrame:
    """Counts of statements per ``by`` group and attribution, with the author's share."""
    coded = with_states(corpus)
    counts = pd.crosstab(coded[by], coded["attribution"].astype("string"))
    counts = counts.reindex(columns=list(corpus.statements["attribution"].cat.categories),
                            fill_value=0)
    counts["total"] = counts.sum(axis=1)
    counts["author_share"] = (counts["author_assertion"] / counts["total"]).round(3)
    if by in ACTOR_COLUMNS:
        about = corpus.study
        counts.index = pd.Index([about.label(str(a)) for a in counts.index], name=by)
    return counts


def statements_on(corpus: Corpus, topic: str | None = None, claim_ids: list[str] | None = None
                  ) -> pd.DataFrame:
    """Readable statements (id, speaker, state, stance, claim, attribution, quote), in text order;
    an unknown topic or claim raises ValueError listing the known ones."""
    require_topic(corpus, topic)
    if claim_ids is not None:
        require_known("claim", claim_ids, corpus.claims["claim_id"])
    coded = with_states(corpus)
    if topic is not None:
        coded = coded[coded["topic"] == topic]
    if claim_ids is not None:
        coded = coded[coded["claim_id"].isin(claim_ids)]
    return _named(corpus, coded[["statement_id", "speaker", "state", "stance", "claim_id", "attribution",
                                 "quote"]]).set_index("statement_id")


def relations_on(corpus: Corpus, topic: str | None = None) -> pd.DataFrame:
    """Actor-to-actor relations (source, relation, target, quote), in text order; an unknown
    topic raises ValueError listing the known ones."""
    require_topic(corpus, topic)
    relations = corpus.relations
    if topic is not None:
        relations = relations[relations["topic"] == topic]
    return _named(corpus, relations[["relation_id", "source", "relation", "target", "quote"]]
                  ).set_index("relation_id")


def summary(corpus: Corpus) -> pd.Series:
    """Headline counts of the corpus, including sentence coverage of the first coding."""
    covered = pd.concat([coverage(corpus, d) for d in corpus.documents["doc_id"]])
    counts = {
        "documents": len(corpus.documents),
        "characters": sum(len(t) for t in corpus.texts.values()),
        "sentences": len(covered),
        "sentences with a coded position": int(covered["coded"].sum()),
        "coverage (share of sentences)": round(float(covered["coded"].mean()), 3),
        "actors": len(corpus.actors),
        "claims": len(corpus.claims),
        "statements": len(corpus.statements),
        "speakers": corpus.statements["speaker"].nunique(),
        "relations": len(corpus.relations),
    }
    if "reliability" in corpus.tables:
        counts["statements in the second coding"] = len(corpus.reliability)
    return pd.Series(counts, dtype="object")
