"""Who an actor is, as ``actors.csv`` says: the article's own voice (``kind`` ``author``) and the
state a person speaks for (``represents``). Measures, views, exports and colours ask here."""

from __future__ import annotations

import pandas as pd

AUTHOR_KIND = "author"  # actors.kind of the article's own voice


def authors(actors: pd.DataFrame) -> set[str]:
    """The ids of the actors that are the article's own voice."""
    return set(actors.loc[actors["kind"] == AUTHOR_KIND, "actor_id"].astype(str))


def states(actors: pd.DataFrame) -> dict[str, str]:
    """Each actor's state: the actor it ``represents``, else itself (persons roll up to states)."""
    return {str(a): str(a) if pd.isna(r) else str(r)
            for a, r in zip(actors["actor_id"], actors["represents"], strict=True)}
