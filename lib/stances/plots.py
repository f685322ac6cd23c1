"""Figures for the notebooks: one question per figure, one colour per state everywhere.

Labels and colours come from the study's data (``actors.label``, ``actors.color``), so every
figure takes the corpus first. networkx is imported only when a network is drawn.

Figures are built on ``matplotlib.figure.Figure`` (not pyplot), so a notebook cell
shows each exactly once, and ``use_report_style()`` makes the SVG output
byte-for-byte reproducible (fixed hash salt, no date).
"""

from __future__ import annotations

import math

import matplotlib as mpl
import numpy as np
import pandas as pd
from matplotlib.colors import ListedColormap
from matplotlib.figure import Figure

from ._corpus import Corpus
from ._study import study

HATCHES = {"direct_quote": "", "reported_speech": "//", "author_assertion": "..",
           "implied_by_action": "xx"}
ATTRIBUTION_COLORS = {"direct_quote": "#0072B2", "reported_speech": "#56B4E9",
                      "author_assertion": "#555555", "implied_by_action": "#E69F00"}

def use_report_style() -> None:
    """Inline figures as reproducible SVG: fixed hash salt, no date metadata, fixed fonts."""
    mpl.rcParams.update({"svg.hashsalt": "stances", "svg.fonttype": "path",
                         "font.family": "DejaVu Sans", "font.size": 10,
                         "axes.spines.top": False, "axes.spines.right": False})
    try:
        from matplotlib_inline.backend_inline import set_matplotlib_formats
    except ImportError:  # outside IPython nothing is displayed inline
        return
    set_matplotlib_formats("svg", metadata={"Date": None}, bbox_inches="tight")


def stance_heatmap(corpus: Corpus, matrix: pd.DataFrame, title: str) -> Figure:
    """Claims (rows) x actors (columns): + support (dark), − oppose (light), blank no position."""
    about = study(corpus)
    claims = matrix.T
    fig = Figure(figsize=(0.9 * claims.shape[1] + 4.2, 0.32 * claims.shape[0] + 1.6))
    ax = fig.subplots()
    cmap = ListedColormap(["#E69F00", "#F2F2F2", "#0072B2"])
    values = claims.to_numpy(dtype=float)
    ax.imshow(np.ma.masked_invalid(values), cmap=cmap, vmin=-1.5, vmax=1.5, aspect="auto")
    for (r, c), v in np.ndenumerate(values):
        if not math.isnan(v):
            ax.text(c, r, {1: "+", -1: "−", 0: "0"}[int(v)], ha="center", va="center",
                    color="white" if v == 1 else "black", fontsize=11, fontweight="bold")
    ax.set_yticks(range(claims.shape[0]), [c.replace("_", " ") for c in claims.index])
    ax.set_xticks(range(claims.shape[1]), [about.label(a) for a in claims.columns], rotation=30, ha="right")
    ax.xaxis.tick_top()
    ax.set_ylabel("claim")
    ax.set_xlabel("+ support   − oppose   blank: no position")
    ax.set_title(title, loc="left", pad=40)
    ax.spines[:].set_visible(False)
    return fig


def alignment_bars(corpus: Corpus, rows: pd.DataFrame, title: str) -> Figure:
    """Alignment per pair and topic with its bootstrap interval and the number of shared claims."""
    about = study(corpus)
    pairs = rows[["a", "b", "topic"]].itertuples(index=False)
    labels = [f"{about.label(a)} – {about.label(b)}\n{t}" for a, b, t in pairs]
    fig = Figure(figsize=(7, 0.55 * len(rows) + 1.4))
    ax = fig.subplots()
    y = np.arange(len(rows))[::-1]
    value = rows["alignment"].to_numpy(dtype=float)
    low = rows["low"].to_numpy(dtype=float)
    high = rows["high"].to_numpy(dtype=float)
    ax.axvline(0, color="#999999", linewidth=1)
    ax.errorbar(value, y, xerr=[value - low, high - value], fmt="o", color="#333333", capsize=4)
    for yi, n in zip(y, rows["shared_claims"], strict=True):
        text = f"n = {n} claim{'s' if n != 1 else ''}" if n else "no shared claims"
        ax.text(1.08, yi, text, va="center", fontsize=9)
    ax.set_yticks(y, labels)
    ax.set_xlim(-1.1, 1.45)
    ax.set_xticks([-1, -0.5, 0, 0.5, 1], ["−1\nalways\ndisagree", "−0.5", "0", "0.5", "1\nalways\nagree"])
    ax.set_xlabel("alignment = (agree − disagree) / shared claims, 95% bootstrap interval")
    ax.set_title(title, loc="left")
    return fig


def attribution_bars(corpus: Corpus, counts: pd.DataFrame, title: str) -> Figure:
    """Stacked horizontal bars: how each group's statements are attributed."""
    about = study(corpus)
    kinds = [c for c in HATCHES if c in counts.columns]
    fig = Figure(figsize=(7, 0.5 * len(counts) + 1.6))
    ax = fig.subplots()
    left = np.zeros(len(counts))
    y = np.arange(len(counts))[::-1]
    for kind in kinds:
        widths = counts[kind].to_numpy(dtype=float)
        ax.barh(y, widths, left=left, color=ATTRIBUTION_COLORS[kind], hatch=HATCHES[kind],
                edgecolor="white", label=kind.replace("_", " "))
        left += widths
    ax.set_yticks(y, [about.label(str(i)) for i in counts.index])
    ax.set_xlabel("statements")
    ax.legend(loc="lower right", frameon=False, fontsize=8)
    ax.set_title(title, loc="left")
    return fig


def timeline(corpus: Corpus, doc_id: str, title: str, statements: pd.DataFrame | None = None) -> Figure:
    """Where in the article each speaker's statements sit (character offset)."""
    about = study(corpus)
    statements = corpus.statements if statements is None else statements
    statements = statements[statements["doc_id"] == doc_id]
    speakers = list(dict.fromkeys(statements.sort_values("start")["speaker"].astype(str)))
    fig = Figure(figsize=(8, 0.4 * len(speakers) + 1.4))
    ax = fig.subplots()
    for row, speaker in enumerate(speakers):
        mine = statements[statements["speaker"] == speaker]
        ax.hlines([row] * len(mine), mine["start"], mine["end"], color=about.color(speaker), linewidth=8)
    ax.set_yticks(range(len(speakers)), [about.label(s) for s in speakers])
    ax.invert_yaxis()
    ax.set_xlim(0, len(corpus.text(doc_id)))
    ax.set_xlabel("position in the article (characters)")
    ax.set_title(title, loc="left")
    return fig


def network(corpus: Corpus, graph, title: str, edge_color: str = "#333333") -> Figure:
    """A discourse network on a circle (fixed layout); edge width = number of claims."""
    import networkx as nx

    about = study(corpus)
    fig = Figure(figsize=(5.5, 4.8))
    ax = fig.subplots()
    nodes = sorted(graph.nodes)
    layout = nx.circular_layout(nodes)
    widths = [1.5 * d["weight"] for _, _, d in graph.edges(data=True)]
    nx.draw_networkx_edges(graph, layout, ax=ax, width=widths, edge_color=edge_color)
    nx.draw_networkx_edge_labels(graph, layout, ax=ax, font_size=8,
                                 edge_labels={(u, v): d["weight"] for u, v, d in graph.edges(data=True)})
    nx.draw_networkx_nodes(graph, layout, nodelist=nodes, ax=ax, node_size=900,
                           node_color=[about.color(n) for n in nodes], edgecolors="black")
    for node, (x, y) in layout.items():
        ax.text(x, y - 0.22, about.label(node), ha="center", va="top", fontsize=9)
    ax.set_title(title, loc="left")
    ax.set_axis_off()
    ax.margins(0.2)
    return fig


# Verdicts of the thesis test, each with a fill that stays distinct in grayscale (dark, mid,
# light, white) and a hatch, and the verdict written in the cell.
VERDICT_STYLE = {"supported": ("#0072B2", "", "white"), "contradicted": ("#D55E00", "xx", "white"),
                 "inconclusive": ("#BBBBBB", "..", "black"), "too thin to say": ("#FFFFFF", "", "black")}


def verdict_grid(corpus: Corpus, verdicts: pd.DataFrame, title: str) -> Figure:
    """Parts of the thesis (rows) x robustness variants (columns), each cell its verdict.

    ``verdicts`` is ``analysis.robustness(corpus)``: the row labels are the study's own parts of
    the thesis (``thesis.csv``), the columns the variants, the baseline first.
    """
    rows, columns = list(verdicts.index), list(verdicts.columns)
    fig = Figure(figsize=(1.15 * len(columns) + 3.4, 0.62 * len(rows) + 2.2))
    ax = fig.subplots()
    for r, part in enumerate(rows):
        for c, variant in enumerate(columns):
            verdict = str(verdicts.loc[part, variant])
            fill, hatch, ink = VERDICT_STYLE.get(verdict, ("#FFFFFF", "", "black"))
            ax.add_patch(mpl.patches.Rectangle((c, r), 1, 1, facecolor=fill, hatch=hatch,
                                               edgecolor="#666666", linewidth=0.8))
            ax.text(c + 0.5, r + 0.5, verdict.replace(" to ", "\nto "), ha="center", va="center",
                    fontsize=7.5, color=ink, fontweight="bold" if c == 0 else "normal",
                    bbox={"facecolor": fill, "edgecolor": "none", "pad": 1} if hatch else None)
    ax.set_xlim(0, len(columns))
    ax.set_ylim(len(rows), 0)
    ax.set_xticks(np.arange(len(columns)) + 0.5, [c.replace(", ", ",\n") for c in columns],
                  rotation=35, ha="left", fontsize=8)
    ax.xaxis.tick_top()
    wrapped = ["\n".join(_wrap(str(p), 30)) for p in rows]
    ax.set_yticks(np.arange(len(rows)) + 0.5, wrapped, fontsize=8.5)
    ax.tick_params(length=0)
    ax.spines[:].set_visible(False)
    ax.set_xlabel("variant (first column: the baseline)")
    ax.set_title(title, loc="left", pad=78)
    return fig


def _wrap(text: str, width: int) -> list[str]:
    lines, line = [], ""
    for word in text.split():
        if line and len(line) + 1 + len(word) > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}".strip()
    return [*lines, line]
