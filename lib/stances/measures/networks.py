"""Discourse networks (congruence and conflict) and their GraphML export.

networkx is imported when a network is first built, so ``import stances`` stays light.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from stances.corpus.loader import Corpus
from stances.measures.pairs import shared_claims
from stances.measures.position import held_positions, require_topic

if TYPE_CHECKING:
    import networkx as nx


def networks(corpus: Corpus, level: str = "state", topic: str | None = None,
             actors: list[str] | None = None, statements: pd.DataFrame | None = None
             ) -> tuple[nx.Graph, nx.Graph]:
    """Congruence and conflict networks (Discourse Network Analysis, actor one-mode).

    Edge weight = number of claims on which two actors hold the same (congruence) or the
    opposite (conflict) non-zero position. Nodes carry the actor's ``kind``, ``label``,
    ``color`` and number of statements. Nodes and edges are added in sorted order so the
    graphs (and their GraphML) are identical on every run.
    """
    import networkx as nx

    require_topic(corpus, topic)
    table = held_positions(corpus, level, statements, actors)
    if topic is not None:
        table = table[table["topic"] == topic]
    about = corpus.study
    kinds = corpus.actors.set_index("actor_id")["kind"].astype("string")
    counts = table.groupby("actor")["statements"].sum()
    congruence, conflict = nx.Graph(name="congruence"), nx.Graph(name="conflict")
    for graph in (congruence, conflict):
        for actor in sorted(table["actor"].unique()):
            graph.add_node(actor, kind=str(kinds.get(actor, "")), label=about.label(actor),
                           color=about.color(actor), statements=int(counts[actor]))
    for a, b, both in shared_claims(table):
        same = both[both[a] == both[b]].index
        other = both[both[a] != both[b]].index
        if len(same):
            congruence.add_edge(a, b, weight=len(same), claims=";".join(sorted(same)))
        if len(other):
            conflict.add_edge(a, b, weight=len(other), claims=";".join(sorted(other)))
    return congruence, conflict


def export_graphml(graph: nx.Graph, path: str | Path) -> Path:
    """Write ``graph`` as GraphML (for Gephi or visone); returns the path."""
    import networkx as nx

    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    nx.write_graphml(graph, path)
    return path


def write_networks(corpus: Corpus, out_dir: str | Path, level: str = "state") -> list[Path]:
    """Congruence and conflict networks over all topics and per topic, as GraphML files in
    ``out_dir``: ``congruence.graphml``, ``conflict.graphml``, ``congruence_<topic>.graphml`` …"""
    out_dir = Path(out_dir)
    written = []
    for topic in [None, *corpus.study.topics]:
        suffix = "" if topic is None else f"_{topic}"
        for graph in networks(corpus, level=level, topic=topic):
            written.append(export_graphml(graph, out_dir / f"{graph.name}{suffix}.graphml"))
    return written
