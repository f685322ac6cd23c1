"""Pairwise alignment of actors: how often two agree on the claims they both hold a position
on, with a bootstrap interval, and the verdict an expected sign gets from it."""

from __future__ import annotations

import zlib
from itertools import combinations

import numpy as np
import pandas as pd

from stances.corpus.loader import Corpus
from stances.measures.agreement import bootstrap_interval
from stances.measures.position import ALL_TOPICS, held_positions, known_actors, require_known

ALIGNMENT_COLUMNS = ["a", "b", "topic", "shared_claims", "agree", "disagree", "alignment", "low", "high"]


def _score(agree: np.ndarray) -> np.ndarray:
    """(agree - disagree) / shared along the last axis; ``agree`` is boolean, one per claim."""
    shared = agree.shape[-1]
    return (2 * agree.sum(axis=-1) - shared) / shared


def shared_claims(table: pd.DataFrame):
    """For every pair of actors (sorted), the positions of both on the claims they share."""
    wide = table.pivot(index="claim_id", columns="actor", values="position")
    actors = sorted(wide.columns)
    values = wide[actors].to_numpy(dtype="float64")
    held = ~np.isnan(values)
    for i, j in combinations(range(len(actors)), 2):
        both = held[:, i] & held[:, j]
        yield actors[i], actors[j], pd.DataFrame({actors[i]: values[both, i], actors[j]: values[both, j]},
                                                 index=wide.index[both])


def _pair_key(a: str, b: str, topic: str) -> tuple[int]:
    # Each pair and topic draws from its own stream, derived from the seed and the pair's
    # names, so one pair's interval does not depend on which pairs were computed before it.
    return (zlib.crc32("\x1f".join((a, b, topic)).encode("utf-8")),)


def alignment(corpus: Corpus, level: str = "state", actors: list[str] | None = None,
              n_boot: int = 2000, seed: int = 0, statements: pd.DataFrame | None = None
              ) -> pd.DataFrame:
    """Pairwise alignment per topic, with its 95% bootstrap interval (the rule: METHOD.md §14).
    Topics are the study's (``claims.topic``), then ``"all"`` for every topic together."""
    table = held_positions(corpus, level, statements, actors)
    rows = []
    for topic in [*corpus.study.topics, ALL_TOPICS]:
        subset = table if topic == ALL_TOPICS else table[table["topic"] == topic]
        for a, b, both in shared_claims(subset):
            agree = (both[a] == both[b]).to_numpy()
            score = low = high = float("nan")
            if len(agree):
                score = float(_score(agree))
                low, high = bootstrap_interval(lambda draws, agree=agree: _score(agree[draws]), len(agree),
                                               n_boot, seed, key=_pair_key(a, b, topic))
            rows.append({"a": a, "b": b, "topic": topic, "shared_claims": len(agree),
                         "agree": int(agree.sum()), "disagree": int((~agree).sum()),
                         "alignment": score, "low": float(low), "high": float(high)})
    table = pd.DataFrame(rows, columns=ALIGNMENT_COLUMNS)
    table.attrs.update(actors=known_actors(corpus, statements), topics=[*corpus.study.topics, ALL_TOPICS])
    return table


def pair(alignments: pd.DataFrame, a: str, b: str, topic: str = ALL_TOPICS) -> pd.Series:
    """The alignment row for the pair ``a``, ``b`` (in either order) on ``topic``; zero counts
    and NaN values when the two share no claim there. A name that ``alignments`` does not
    know (its ``attrs``, set by ``alignment``) raises ValueError listing the known ones."""
    require_known("actor", [a, b], alignments.attrs.get("actors", [*alignments["a"], *alignments["b"]]))
    require_known("topic", [topic], alignments.attrs.get("topics", alignments["topic"]))
    return _pair_row(alignments, a, b, topic)


def _pair_row(alignments: pd.DataFrame, a: str, b: str, topic: str) -> pd.Series:
    first, second = sorted([a, b])
    hit = alignments[(alignments["a"] == first) & (alignments["b"] == second)
                     & (alignments["topic"] == topic)]
    if hit.empty:
        empty = {"a": first, "b": second, "topic": topic, "shared_claims": 0, "agree": 0,
                 "disagree": 0, "alignment": float("nan"), "low": float("nan"), "high": float("nan")}
        return pd.Series(empty)
    return hit.iloc[0]


def verdict(row: pd.Series, expected_sign: int, min_claims: int = 3) -> str:
    """The verdict on one pair for the sign a part expects: 'supported',
    'contradicted', 'inconclusive' or 'too thin to say'."""
    if row["shared_claims"] < min_claims:
        return "too thin to say"
    if expected_sign * row["low"] > 0 and expected_sign * row["high"] > 0:
        return "supported"
    if expected_sign * row["low"] < 0 and expected_sign * row["high"] < 0:
        return "contradicted"
    return "inconclusive"
