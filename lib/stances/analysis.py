"""Stance matrices, state roll-up, pairwise alignment and discourse networks.

Positions are numbers: support = +1, oppose = -1, neutral = 0. An actor's
*position* on a claim is the sign of the sum of its statements on that claim
(so a repeated position counts once, and an actor that both supports and opposes
a claim is mixed, 0, and shares no agreement or disagreement on it).
"""

from __future__ import annotations

from itertools import combinations
from pathlib import Path

import networkx as nx
import numpy as np
import pandas as pd

from ._corpus import Corpus
from ._sentences import sentences

STANCE_VALUE = {"support": 1, "oppose": -1, "neutral": 0}
TOPICS = ("syria", "arms", "nato")


def with_states(corpus: Corpus, statements: pd.DataFrame | None = None) -> pd.DataFrame:
    """Statements with ``state`` (the speaker's ``represents``, else the speaker), ``topic``
    and numeric ``value`` columns added."""
    statements = corpus.statements if statements is None else statements
    represents = corpus.actors.set_index("actor_id")["represents"]
    speaker_state = represents.reindex(statements["speaker"]).to_numpy()
    topic = corpus.claims.set_index("claim_id")["topic"].astype("string")
    return statements.assign(
        state=pd.array(np.where(pd.isna(speaker_state), statements["speaker"], speaker_state),
                       dtype="string"),
        topic=topic.reindex(statements["claim_id"]).to_numpy(),
        value=statements["stance"].astype("string").map(STANCE_VALUE).astype("int64"),
    )


def positions(corpus: Corpus, level: str = "state", statements: pd.DataFrame | None = None
              ) -> pd.DataFrame:
    """One row per (actor, claim): ``position`` (+1/-1/0), ``statements`` (count), ``topic``."""
    who = _level_column(level)
    coded = with_states(corpus, statements)
    grouped = coded.groupby([who, "claim_id"], observed=True, sort=True)
    table = grouped.agg(total=("value", "sum"), statements=("value", "size"), topic=("topic", "first"))
    table["position"] = np.sign(table.pop("total")).astype("int64")
    return table.reset_index().rename(columns={who: "actor"})


def stance_matrix(corpus: Corpus, level: str = "state", topic: str | None = None,
                  statements: pd.DataFrame | None = None) -> pd.DataFrame:
    """Actor x claim matrix of positions (+1 support, -1 oppose, 0 mixed/neutral, NaN silent)."""
    table = positions(corpus, level, statements)
    if topic is not None:
        table = table[table["topic"] == topic]
    claims = corpus.claims["claim_id"]
    if topic is not None:
        claims = claims[corpus.claims["topic"] == topic]
    matrix = table.pivot(index="actor", columns="claim_id", values="position")
    return matrix.reindex(columns=[c for c in claims if c in matrix.columns]).astype("float64")


def _level_column(level: str) -> str:
    if level not in ("state", "actor"):
        raise ValueError(f"level must be 'state' or 'actor', not {level!r}")
    return "state" if level == "state" else "speaker"


def _score(agree: np.ndarray) -> np.ndarray:
    """(agree - disagree) / shared along the last axis; ``agree`` is boolean, one per claim."""
    shared = agree.shape[-1]
    return (2 * agree.sum(axis=-1) - shared) / shared


def _held_positions(corpus: Corpus, level: str, statements: pd.DataFrame | None,
                    actors: list[str] | None = None) -> pd.DataFrame:
    """Non-zero positions (support or oppose), optionally only those of ``actors``."""
    table = positions(corpus, level, statements)
    table = table[table["position"] != 0]
    return table if actors is None else table[table["actor"].isin(actors)]


def _shared_claims(table: pd.DataFrame):
    """For every pair of actors (sorted), the positions of both on the claims they share."""
    wide = table.pivot(index="claim_id", columns="actor", values="position")
    for a, b in combinations(sorted(wide.columns), 2):
        yield a, b, wide[[a, b]].dropna()


def alignment(corpus: Corpus, level: str = "state", actors: list[str] | None = None,
              n_boot: int = 2000, seed: int = 0, statements: pd.DataFrame | None = None
              ) -> pd.DataFrame:
    """Pairwise alignment per topic: (agree - disagree) / (agree + disagree) over shared claims.

    A shared claim is one on which both actors hold a non-zero position. The 95% interval is
    a percentile bootstrap over the shared claims (seeded, so it is reproducible); with fewer
    than three shared claims it is shown but says little, and ``verdict`` helpers treat it so.
    """
    table = _held_positions(corpus, level, statements, actors)
    rng = np.random.default_rng(seed)
    rows = []
    for topic in [*TOPICS, "all"]:
        subset = table if topic == "all" else table[table["topic"] == topic]
        for a, b, both in _shared_claims(subset):
            agree = (both[a] == both[b]).to_numpy()
            score = low = high = float("nan")
            if len(agree):
                score = float(_score(agree))
                draws = rng.integers(0, len(agree), size=(n_boot, len(agree)))
                low, high = np.percentile(_score(agree[draws]), [2.5, 97.5])
            rows.append({"a": a, "b": b, "topic": topic, "shared_claims": len(agree),
                         "agree": int(agree.sum()), "disagree": int((~agree).sum()),
                         "alignment": score, "low": float(low), "high": float(high)})
    return pd.DataFrame(rows, columns=["a", "b", "topic", "shared_claims", "agree", "disagree",
                                       "alignment", "low", "high"])


def pair(alignments: pd.DataFrame, a: str, b: str, topic: str = "all") -> pd.Series:
    """The alignment row for the pair ``a``, ``b`` (in either order) on ``topic``."""
    first, second = sorted([a, b])
    hit = alignments[(alignments["a"] == first) & (alignments["b"] == second)
                     & (alignments["topic"] == topic)]
    if hit.empty:
        empty = {"a": first, "b": second, "topic": topic, "shared_claims": 0, "agree": 0,
                 "disagree": 0, "alignment": float("nan"), "low": float("nan"), "high": float("nan")}
        return pd.Series(empty)
    return hit.iloc[0]


def verdict(row: pd.Series, expected_sign: int, min_claims: int = 3) -> str:
    """'supported', 'contradicted', 'inconclusive' or 'too thin to say' for an expected sign."""
    if row["shared_claims"] < min_claims:
        return "too thin to say"
    if expected_sign * row["low"] > 0 and expected_sign * row["high"] > 0:
        return "supported"
    if expected_sign * row["low"] < 0 and expected_sign * row["high"] < 0:
        return "contradicted"
    return "inconclusive"


def networks(corpus: Corpus, level: str = "state", topic: str | None = None,
             actors: list[str] | None = None, statements: pd.DataFrame | None = None
             ) -> tuple[nx.Graph, nx.Graph]:
    """Congruence and conflict networks (Discourse Network Analysis, actor one-mode).

    Edge weight = number of claims on which two actors hold the same (congruence) or the
    opposite (conflict) non-zero position. Nodes and edges are added in sorted order so the
    graphs (and their GraphML) are identical on every run.
    """
    table = _held_positions(corpus, level, statements, actors)
    if topic is not None:
        table = table[table["topic"] == topic]
    kinds = corpus.actors.set_index("actor_id")["kind"].astype("string")
    counts = table.groupby("actor")["statements"].sum()
    congruence, conflict = nx.Graph(name="congruence"), nx.Graph(name="conflict")
    for graph in (congruence, conflict):
        for actor in sorted(table["actor"].unique()):
            graph.add_node(actor, kind=str(kinds.get(actor, "")), statements=int(counts[actor]))
    for a, b, both in _shared_claims(table):
        same = both[both[a] == both[b]].index
        other = both[both[a] != both[b]].index
        if len(same):
            congruence.add_edge(a, b, weight=len(same), claims=";".join(sorted(same)))
        if len(other):
            conflict.add_edge(a, b, weight=len(other), claims=";".join(sorted(other)))
    return congruence, conflict


def export_graphml(graph: nx.Graph, path: str | Path) -> Path:
    """Write ``graph`` as GraphML (for Gephi or visone); returns the path."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    nx.write_graphml(graph, path)
    return path


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


def attribution_shares(corpus: Corpus, by: str = "topic",
                       statements: pd.DataFrame | None = None) -> pd.DataFrame:
    """Counts of statements per ``by`` group and attribution, with the author's share."""
    coded = with_states(corpus, statements)
    counts = pd.crosstab(coded[by], coded["attribution"].astype("string"))
    counts = counts.reindex(columns=list(corpus.statements["attribution"].cat.categories),
                            fill_value=0)
    counts["total"] = counts.sum(axis=1)
    counts["author_share"] = (counts["author_assertion"] / counts["total"]).round(3)
    return counts


def unattributed(corpus: Corpus, statements: pd.DataFrame | None = None) -> pd.DataFrame:
    """Statements that rest on the author's word alone (speaker ``author``)."""
    statements = corpus.statements if statements is None else statements
    chosen = statements[statements["speaker"] == "author"]
    return chosen.merge(corpus.claims[["claim_id", "topic"]], on="claim_id", how="left")[
        ["statement_id", "topic", "claim_id", "quote", "note"]]


def statements_on(corpus: Corpus, topic: str | None = None, claim_ids: list[str] | None = None,
                  statements: pd.DataFrame | None = None) -> pd.DataFrame:
    """Readable statements (id, speaker, state, stance, claim, attribution, quote), in text order."""
    coded = with_states(corpus, statements)
    if topic is not None:
        coded = coded[coded["topic"] == topic]
    if claim_ids is not None:
        coded = coded[coded["claim_id"].isin(claim_ids)]
    return coded[["statement_id", "speaker", "state", "stance", "claim_id", "attribution", "quote"]
                 ].set_index("statement_id")


def relations_on(corpus: Corpus, topic: str | None = None) -> pd.DataFrame:
    """Actor-to-actor relations (source, relation, target, quote), in text order."""
    relations = corpus.relations
    if topic is not None:
        relations = relations[relations["topic"] == topic]
    return relations[["relation_id", "source", "relation", "target", "quote"]].set_index("relation_id")


def summary(corpus: Corpus) -> pd.Series:
    """Headline counts of the corpus, including sentence coverage of the first coding."""
    covered = pd.concat([coverage(corpus, d) for d in corpus.documents["doc_id"]])
    return pd.Series({
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
        "statements in the second coding": len(corpus.reliability),
    }, dtype="object")


# The article's thesis, part by part: which pair of states, on which topic, should show which
# sign of alignment, and which claim states that part in the article's own words.
THESIS = (
    ("at odds on Syria", "russia", "turkey", "syria", -1, "syria_at_odds"),
    ("on the same page on arms", "russia", "turkey", "arms", 1, "arms_same_page"),
    ("Turkey drifting from NATO (Turkey vs the US, all topics)", "turkey", "usa", "all", -1,
     "nato_turkey_drifting"),
)


def thesis_test(corpus: Corpus, n_boot: int = 2000, seed: int = 0, min_claims: int = 3
                ) -> pd.DataFrame:
    """Each part of the thesis against the coded positions of the states themselves."""
    alignments = alignment(corpus, level="state", n_boot=n_boot, seed=seed)
    coded = with_states(corpus)
    rows = []
    for part, a, b, topic, sign, claim in THESIS:
        row = pair(alignments, a, b, topic)
        asserted = coded[(coded["claim_id"] == claim) & (coded["value"] > 0)]["speaker"]
        rows.append({"thesis": part, "pair": f"{a}–{b}", "topic": topic,
                     "expected": "disagree" if sign < 0 else "agree",
                     "shared_claims": int(row["shared_claims"]), "agree": int(row["agree"]),
                     "disagree": int(row["disagree"]), "alignment": row["alignment"],
                     "low": row["low"], "high": row["high"],
                     "verdict": verdict(row, sign, min_claims),
                     "stated_by": ", ".join(sorted(set(asserted))) or "nobody",
                     "times_stated": len(asserted)})
    return pd.DataFrame(rows).set_index("thesis")
