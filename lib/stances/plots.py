"""Figures for the notebooks: one question per figure, one colour per state everywhere.

Labels and colours come from the study's data (``actors.label``, ``actors.color``), so every
figure takes the corpus first. Figures are ``matplotlib.figure.Figure`` (not pyplot), so a cell
shows each once. Each carries a text alternative with the values a reader would read off it
(``alt_text``), which the SVG holds as its root's ``<title>`` and ``aria-label`` and the report
uses as the figure's ``alt``. ``use_report_style()`` displays each figure as SVG and as PNG
(JupyterLab draws no SVG in a notebook it does not trust), both byte-for-byte reproducible: fixed
hash salt, no date or software stamp; the PNG at ``PNG_DPI`` with its size in CSS pixels.
"""

from __future__ import annotations

import io
import math
import re
import textwrap
from html import escape

import matplotlib as mpl
import numpy as np
import pandas as pd
from matplotlib.colors import ListedColormap
from matplotlib.figure import Figure

from stances.corpus.loader import Corpus
from stances.notebook import ipython, number

ATTRIBUTION_STYLE = {"direct_quote": ("#0072B2", ""), "reported_speech": ("#56B4E9", "//"),  # fill, hatch
                     "author_assertion": ("#555555", ".."), "implied_by_action": ("#E69F00", "xx")}

PNG_DPI = 150
SCREEN_DPI = 100  # a figure's inches at this many CSS pixels: the size the notebook shows it at


def use_report_style() -> None:
    """Inline figures as reproducible SVG (with their text alternative) and PNG: fixed hash
    salt, no date or software metadata, fixed fonts."""
    mpl.rcParams.update({"svg.hashsalt": "stances", "svg.fonttype": "path",
                         "font.family": "DejaVu Sans", "font.size": 10,
                         "axes.spines.top": False, "axes.spines.right": False})
    shell = ipython()
    if shell is None:  # outside IPython nothing is displayed inline
        return
    from matplotlib_inline.backend_inline import set_matplotlib_formats

    set_matplotlib_formats("svg", "png", bbox_inches="tight")
    shell.display_formatter.formatters["image/svg+xml"].for_type(Figure, figure_svg)
    shell.display_formatter.formatters["image/png"].for_type(Figure, _displayed_png)


def _displayed_png(fig: Figure) -> tuple[bytes, dict]:
    """The PNG and its display size (CSS pixels), so a notebook shows it as large as the SVG."""
    png = figure_png(fig)
    width, height = int.from_bytes(png[16:20], "big"), int.from_bytes(png[20:24], "big")
    scale = SCREEN_DPI / PNG_DPI
    return png, {"width": round(width * scale), "height": round(height * scale)}


def alt_text(fig: Figure) -> str:
    """The figure's text alternative, as a plot function of this module wrote it."""
    return getattr(fig, "stances_alt", None) or "A figure (no description given)"


def _describe(fig: Figure, text: str) -> Figure:
    fig.stances_alt = " ".join(text.split())
    return fig


def figure_svg(fig: Figure) -> str:
    """The figure as reproducible SVG text whose root carries ``role="img"``, an ``aria-label``
    and a ``<title>``, all holding ``alt_text(fig)``."""
    buffer = io.BytesIO()
    fig.savefig(buffer, format="svg", metadata={"Date": None}, bbox_inches="tight")
    label = escape(alt_text(fig), quote=True)
    return re.sub(r"<svg\b([^>]*[^/])>", lambda m: f'<svg{m.group(1)} role="img" aria-label="{label}">'
                  f"<title>{label}</title>", buffer.getvalue().decode("utf-8"), count=1)


def figure_png(fig: Figure) -> bytes:
    """The figure as PNG bytes (no date or software stamp)."""
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=PNG_DPI, metadata={"Software": None}, bbox_inches="tight")
    return buffer.getvalue()


def _number(value: float) -> str:
    return "none" if math.isnan(value) else number(value)  # as facts, prose and tables print it


def stance_heatmap(corpus: Corpus, matrix: pd.DataFrame, title: str) -> Figure:
    """Claims (rows, by their proposition) x actors (columns): + support (dark), − oppose
    (light), blank no position."""
    about = corpus.study
    claims = matrix.T
    labels = [textwrap.fill(about.proposition(c), 52) for c in claims.index]
    fig = Figure(figsize=(0.9 * claims.shape[1] + 4.6, 0.46 * claims.shape[0] + 1.6))
    ax = fig.subplots()
    cmap = ListedColormap(["#E69F00", "#F2F2F2", "#0072B2"])
    values = claims.to_numpy(dtype=float)
    ax.imshow(np.ma.masked_invalid(values), cmap=cmap, vmin=-1.5, vmax=1.5, aspect="auto")
    for (r, c), v in np.ndenumerate(values):
        if not math.isnan(v):
            ax.text(c, r, {1: "+", -1: "−", 0: "0"}[int(v)], ha="center", va="center",
                    color="white" if v == 1 else "black", fontsize=11, fontweight="bold")
    ax.set_yticks(range(claims.shape[0]), labels, fontsize=9, linespacing=1.05)
    ax.set_xticks(range(claims.shape[1]), [about.label(a) for a in claims.columns], rotation=30, ha="right")
    ax.xaxis.tick_top()
    ax.set_xlabel("+ support   − oppose   blank: no position")
    ax.set_title(title, loc="left", pad=40)
    ax.spines[:].set_visible(False)
    held = int(np.isfinite(values).sum())
    return _describe(fig, f"{title}. Grid of {claims.shape[0]} claims (rows) by {claims.shape[1]} actors "
                          f"(columns: {', '.join(about.label(a) for a in claims.columns)}); each of the "
                          f"{held} filled cells marks support (+), opposition (−) or neutral (0), a blank "
                          "cell no position.")


def alignment_bars(corpus: Corpus, rows: pd.DataFrame, title: str,
                   row_labels: list[str] | None = None, verdicts: list[str] | None = None,
                   narrow: bool = False) -> Figure:
    """Alignment per pair and topic with its bootstrap interval and number of shared claims;
    ``row_labels`` go above each pair's names, ``verdicts`` beside the count (a row "too thin to
    say" is drawn hollow and grey: its dot is no finding); ``narrow`` lays it out for a phone."""
    about = corpus.study
    pairs = rows[["a", "b", "topic"]].itertuples(index=False)
    heads = row_labels if row_labels is not None else [None] * len(rows)
    labels = [f"{about.label(a)} – {about.label(b)}\n{_name(about, t)}" if head is None
              else f"{head}\n{about.label(a)} – {about.label(b)}"
              for head, (a, b, t) in zip(heads, pairs, strict=True)]
    step = 0.85 if row_labels is not None else 0.55
    fig = Figure(figsize=(4.2, 1.5 * len(rows) + 1.2) if narrow else (7, step * len(rows) + 1.4))
    ax = fig.subplots()
    y = np.arange(len(rows))[::-1]
    value, low, high = (rows[c].to_numpy(dtype=float) for c in ("alignment", "low", "high"))
    thin = [v == "too thin to say" for v in verdicts] if verdicts else [False] * len(rows)
    ax.axvline(0, color="#999999", linewidth=1)
    for yi, v, lo, hi, hollow in zip(y, value, low, high, thin, strict=True):
        colour = "#8a8a8a" if hollow else "#333333"
        ax.errorbar([v], [yi], xerr=[[v - lo], [hi - v]], fmt="o", color=colour, capsize=4,
                    markerfacecolor="white" if hollow else colour, markersize=7)
    for i, (yi, n) in enumerate(zip(y, rows["shared_claims"], strict=True)):
        text = f"n = {n} claim{'s' if n != 1 else ''}" if n else "no shared claims"
        if verdicts:
            text = f"{verdicts[i]}\n{text}"
        if narrow:
            head, _, names = labels[i].partition("\n")
            ax.text(-1.1, yi + 0.2, textwrap.fill(head, 34), va="bottom", fontsize=10,
                    fontweight="bold", linespacing=1.1)
            ax.text(-1.1, yi + 0.12, names.replace("\n", ", "), va="top", fontsize=9.5, color="#444444")
            ax.text(1.12, yi, text, va="center", fontsize=9.5)
        else:
            ax.text(1.08, yi, text, va="center", fontsize=9,
                    fontweight="bold" if verdicts else "normal")
    if narrow:
        ax.set_yticks([])
        ax.spines["left"].set_visible(False)
        ax.set_ylim(y.min() - 0.35, y.max() + 0.75)
        ax.set_xlim(-1.1, 2.05)
        ax.set_xticks([-1, 0, 1], ["−1\ndisagree", "0", "+1\nagree"])
        ax.set_xlabel("alignment, 95% interval")
    else:
        ax.set_yticks(y, labels)
        ax.set_xlim(-1.1, 1.45 if not verdicts else 1.75)
        ax.set_xticks([-1, -0.5, 0, 0.5, 1],
                      ["−1\nalways\ndisagree", "−0.5", "0", "0.5", "+1\nalways\nagree"])
        ax.set_xlabel("alignment = (agree − disagree) / shared claims, 95% bootstrap interval")
    ax.set_title(title, loc="left")
    joiner = " on " if row_labels is None else ", "
    readings = [
        f"{label.replace(chr(10), joiner)}: {_number(v)} (interval {_number(lo)} to {_number(hi)}, "
        f"{n} shared claim{'s' if n != 1 else ''}{f'; {verdicts[i]}' if verdicts else ''})"
        for i, (label, v, lo, hi, n) in enumerate(zip(labels, value, low, high, rows["shared_claims"],
                                                      strict=True))]
    return _describe(fig, f"{title}. Alignment from −1 (always disagree) to +1 (always agree) per "
                          f"pair of actors and topic: {'; '.join(readings)}.")


def attribution_bars(corpus: Corpus, counts: pd.DataFrame, title: str) -> Figure:
    """Stacked horizontal bars: how each group's statements are attributed."""
    about = corpus.study
    kinds = [c for c in ATTRIBUTION_STYLE if c in counts.columns]
    fig = Figure(figsize=(7, 0.5 * len(counts) + 1.6))
    ax = fig.subplots()
    left = np.zeros(len(counts))
    y = np.arange(len(counts))[::-1]
    for kind in kinds:
        widths = counts[kind].to_numpy(dtype=float)
        ax.barh(y, widths, left=left, color=ATTRIBUTION_STYLE[kind][0], hatch=ATTRIBUTION_STYLE[kind][1],
                edgecolor="white", label=kind.replace("_", " "))
        left += widths
    ax.set_yticks(y, [_name(about, str(i)) for i in counts.index])
    ax.set_xlabel("statements")
    ax.xaxis.set_major_locator(mpl.ticker.MaxNLocator(integer=True))  # counts: whole ticks only
    # below the plot, never on a bar
    fig.legend(*ax.get_legend_handles_labels(), loc="upper left", bbox_to_anchor=(0.02, 0.02),
               ncol=len(kinds), frameon=False, fontsize=9, handlelength=1.6, columnspacing=1.2)
    ax.set_title(title, loc="left")
    readings = ["{}: {}".format(about.label(str(group)), ", ".join(
        f"{int(counts.loc[group, kind])} {kind.replace('_', ' ')}" for kind in kinds))
        for group in counts.index]
    return _describe(fig, f"{title}. Stacked bars of statements per group by attribution: "
                          f"{'; '.join(readings)}.")


def _name(about, code: str) -> str:
    """An actor's label, else a code in words with a capital (``health`` → ``Health``)."""
    return about.label(code) if about.label(code) != code else code.replace("_", " ").capitalize()


def timeline(corpus: Corpus, doc_id: str, title: str) -> Figure:
    """Where in the article each speaker's statements sit (character offset)."""
    about = corpus.study
    statements = corpus.statements[corpus.statements["doc_id"] == doc_id]
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
    readings = [f"{about.label(s)} {int((statements['speaker'] == s).sum())} statements, from character "
                f"{int(statements.loc[statements['speaker'] == s, 'start'].min())}" for s in speakers]
    return _describe(fig, f"{title}. Where each speaker's statements sit in the article, by character "
                          f"offset (0 to {len(corpus.text(doc_id))}): {'; '.join(readings)}.")


def network(corpus: Corpus, graph, title: str, edge_color: str = "#333333") -> Figure:
    """A discourse network on a circle (fixed layout); edge width = number of claims."""
    import networkx as nx

    about = corpus.study
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
    edges = [f"{about.label(u)}–{about.label(v)} {d['weight']}" for u, v, d in graph.edges(data=True)]
    return _describe(fig, f"{title}. Network of {len(nodes)} actors "
                          f"({', '.join(about.label(n) for n in nodes)}); a line joins two actors, "
                          f"its number the claims they share: {', '.join(edges) or 'no lines'}.")


# each verdict's fill stays distinct in grayscale (dark, mid, light, white); hatch; ink
VERDICT_STYLE = {"supported": ("#0072B2", "", "white"), "contradicted": ("#D55E00", "xx", "white"),
                 "inconclusive": ("#BBBBBB", "..", "black"), "too thin to say": ("#FFFFFF", "", "black")}


def verdict_grid(corpus: Corpus, verdicts: pd.DataFrame, title: str) -> Figure:
    """Parts of the thesis (rows) x robustness variants (columns, the baseline first), each cell
    its verdict: ``verdicts`` is ``measures.robustness(corpus)``."""
    rows, columns = list(verdicts.index), list(verdicts.columns)
    # sized so that its smallest text (10 pt) is at least 9 px where a page shows it (about 900 px wide)
    fig = Figure(figsize=(0.95 * len(columns) + 3.0, 0.72 * len(rows) + 2.4))
    ax = fig.subplots()
    for r, part in enumerate(rows):
        for c, variant in enumerate(columns):
            verdict = str(verdicts.loc[part, variant])
            fill, hatch, ink = VERDICT_STYLE.get(verdict, ("#FFFFFF", "", "black"))
            ax.add_patch(mpl.patches.Rectangle((c, r), 1, 1, facecolor=fill, hatch=hatch,
                                               edgecolor="#666666", linewidth=0.8))
            ax.text(c + 0.5, r + 0.5, verdict.replace(" to ", "\nto "), ha="center", va="center",
                    fontsize=10, color=ink, fontweight="bold" if c == 0 else "normal",
                    bbox={"facecolor": fill, "edgecolor": "none", "pad": 1} if hatch else None)
    ax.set_xlim(0, len(columns))
    ax.set_ylim(len(rows), 0)
    ax.set_xticks(np.arange(len(columns)) + 0.5, [c.replace(", ", ",\n") for c in columns],
                  rotation=35, ha="left", fontsize=10)
    ax.xaxis.tick_top()
    wrapped = [textwrap.fill(str(p), 30) for p in rows]
    ax.set_yticks(np.arange(len(rows)) + 0.5, wrapped, fontsize=10)
    ax.tick_params(length=0)
    ax.spines[:].set_visible(False)
    ax.set_xlabel("variant (first column: the baseline)")
    ax.set_title(title, loc="left", pad=96)
    cells = "; ".join(f"{part}: " + ", ".join(f"{v} {verdicts.loc[part, v]}" for v in columns)
                      for part in rows)
    return _describe(fig, f"{title}. Grid of verdicts, {len(rows)} parts of the thesis by {len(columns)} "
                          f"variants (the first is the baseline): {cells}.")

