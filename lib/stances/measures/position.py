"""An actor's position on a claim (the rule: METHOD.md §14), and the coded statements it rests
on. At ``level="state"`` a person's statements count for the state it represents
(``stances.corpus.actors.states``).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from stances.corpus.actors import states
from stances.corpus.loader import Corpus
from stances.errors import printable

STANCE_VALUE = {"support": 1, "oppose": -1, "neutral": 0}
ALL_TOPICS = "all"  # the topic label of an alignment over every topic together
SHOWN_NAMES = 40  # known names listed in an error, at most


def require_known(what: str, names, known) -> None:
    """Raise ValueError naming each of ``names`` not among ``known``, and listing the known
    ones (the first ``SHOWN_NAMES``), so a misspelt actor, topic or claim is never an empty
    result."""
    known = list(dict.fromkeys(map(str, known)))
    unknown = [str(name) for name in dict.fromkeys(names) if str(name) not in set(known)]
    if unknown:
        more = f" … ({len(known)} in all)" if len(known) > SHOWN_NAMES else ""
        listed = ", ".join(known[:SHOWN_NAMES]) + more
        raise ValueError(printable(f"unknown {what}: {', '.join(map(repr, unknown[:SHOWN_NAMES]))}; "
                                   f"known: {listed or 'none'}"))


def known_actors(corpus: Corpus, statements: pd.DataFrame | None = None) -> list[str]:
    """Every actor a measure can name: the actors table's, then any other speaker or state."""
    coded = with_states(corpus, statements)
    return list(dict.fromkeys([*corpus.actors["actor_id"].astype(str), *coded["speaker"].dropna().astype(str),
                               *coded["state"].dropna().astype(str)]))


def require_topic(corpus: Corpus, topic: str | None) -> None:
    """Raise ValueError unless ``topic`` is None or one of the study's."""
    if topic is not None:
        require_known("topic", [topic], corpus.study.topics)


def with_states(corpus: Corpus, statements: pd.DataFrame | None = None) -> pd.DataFrame:
    """Statements with ``state`` (the speaker's ``represents``, else the speaker), ``topic``
    and numeric ``value`` columns added."""
    statements = corpus.statements if statements is None else statements
    state = statements["speaker"].astype("string")
    topic = corpus.claims.set_index("claim_id")["topic"].astype("string")
    return statements.assign(
        state=state.map(states(corpus.actors)).fillna(state).astype("string"),
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
    require_topic(corpus, topic)
    table = positions(corpus, level, statements)
    claims = corpus.claims["claim_id"]
    if topic is not None:
        table = table[table["topic"] == topic]
        claims = claims[corpus.claims["topic"] == topic]
    matrix = table.pivot(index="actor", columns="claim_id", values="position")
    return matrix.reindex(columns=[c for c in claims if c in matrix.columns]).astype("float64")


def _level_column(level: str) -> str:
    if level not in ("state", "actor"):
        raise ValueError(f"level must be 'state' or 'actor', not {level!r}")
    return "state" if level == "state" else "speaker"


def held_positions(corpus: Corpus, level: str = "state", statements: pd.DataFrame | None = None,
                   actors: list[str] | None = None) -> pd.DataFrame:
    """Non-zero positions (support or oppose), optionally only those of ``actors`` (each must
    be a known actor: ValueError lists them)."""
    if actors is not None:
        require_known("actor", actors, known_actors(corpus, statements))
    table = positions(corpus, level, statements)
    table = table[table["position"] != 0]
    return table if actors is None else table[table["actor"].isin(actors)]
