"""The front page (``index.html``): the verdict on the study's thesis in words, the headline
figure that shows it part by part, whether it holds under every robustness variant, and how the
report was made (who coded, the limitations, the version and the data's date).

The verdicts are the thesis test's (``measures.thesis.thesis_test``, the function the thesis
notebook calls), so the headline and the notebook cannot say different things. Who coded is
read from the data (the ``coder`` and ``checker`` columns); who those coders are and what the
study cannot show are the project's own words, its README's "Limitations" section, rendered as
written. The version and the data's date are passed in by the build (``git describe``, the last
commit that touched the data); outside a git checkout they are empty and the page says so.
"""

from __future__ import annotations

import inspect
import textwrap
from pathlib import Path

import mistune
import pandas as pd

from stances.corpus.loader import Corpus
from stances.measures.thesis import robustness, thesis_test
from stances.report.downloads import FIGURES_DIR, FigureFile
from stances.report.sanitize import safe_html

MIN_CLAIMS = inspect.signature(thesis_test).parameters["min_claims"].default  # the verdict's bar
_COUNT_WORDS = ("no", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten")


def thesis_verdicts(corpus: Corpus) -> pd.DataFrame:
    """The thesis test (one row per part, indexed by the part's words), or an empty table."""
    if not len(corpus.study.parts):
        return pd.DataFrame()
    return thesis_test(corpus)


def at_a_glance(corpus: Corpus) -> list[dict]:
    """Per document, what a reader needs before the findings: title, source facts the text
    gives, who speaks (by name, with counts), the strands (topics) with their counts, and the
    document's note (facts from outside the text, marked as such)."""
    about = corpus.study
    statements = corpus.statements
    topic_of = corpus.claims.set_index("claim_id")["topic"].astype("string")
    glance = []
    for doc in corpus.documents.itertuples(index=False):
        coded = statements[statements["doc_id"] == doc.doc_id]
        speakers = coded["speaker"].astype("string").value_counts(sort=False, dropna=False)
        speakers = speakers.sort_values(ascending=False, kind="stable")
        topics = topic_of.reindex(coded["claim_id"].astype(str)).to_numpy()
        strands = []
        for topic in about.topics:
            mine = coded[topics == topic]
            if len(mine):
                strands.append({"topic": topic, "statements": len(mine),
                                "claims": int(mine["claim_id"].nunique()),
                                "speakers": [about.label(s) for s in dict.fromkeys(mine["speaker"])]})
        given = [f"{name}: {value}" for name, value in (("outlet", doc.outlet), ("published", doc.published))
                 if not pd.isna(value) and str(value)]
        glance.append({
            "title": str(doc.doc_id if pd.isna(doc.title) else doc.title),
            "characters": len(corpus.text(doc.doc_id)),
            "given": given,
            "statements": len(coded),
            "speakers": [(about.label(s), int(n)) for s, n in speakers.items()],
            "strands": strands,
            "outside": "" if pd.isna(doc.note) else str(doc.note),
        })
    return glance


def _count(n: int) -> str:
    return _COUNT_WORDS[n] if 0 <= n < len(_COUNT_WORDS) else str(n)


def headline(tested: pd.DataFrame) -> str | None:
    """The verdict in one line: ``Too thin to say, on all three parts of the article's thesis``
    when the parts agree, else each part with its verdict."""
    if not len(tested):
        return None
    verdicts = tested["verdict"].astype(str)
    if verdicts.nunique() == 1:
        scope = "its one part" if len(verdicts) == 1 else f"all {_count(len(verdicts))} parts"
        return f"{verdicts.iloc[0].capitalize()}, on {scope} of the article's thesis"
    return "The article's thesis, part by part: " + "; ".join(
        f"{part}: {verdict}" for part, verdict in verdicts.items())


def robustness_rows(corpus: Corpus) -> list[dict]:
    """Per part of the thesis, its baseline verdict and, in words, whether the other robustness
    variants give the same one (``measures.robustness``); [] for a study with no thesis."""
    return _in_words(robustness(corpus)) if len(corpus.study.parts) else []


def _in_words(table: pd.DataFrame) -> list[dict]:
    """Per row of a robustness table (first column the baseline): the baseline verdict and
    whether every other variant gives the same, or which change it and to what; the count of
    variants is the table's, the baseline included, as notebook 04's prose counts them."""
    if table.shape[1] == 0:
        return []
    baseline_name, every, others = str(table.columns[0]), table.shape[1], table.shape[1] - 1
    rows = []
    for part, verdicts in table.iterrows():
        baseline = str(verdicts.iloc[0])
        changed = [(str(v), str(x)) for v, x in verdicts.iloc[1:].items() if str(x) != baseline]
        if not others:
            words = f"{baseline_name} only; no other variant was run"
        elif not changed:
            words = f"holds under every variant (all {every}, the baseline included)"
        else:
            words = (f"changes under {len(changed)} of the {others} other variant{'s' if others != 1 else ''}"
                     f" ({every} in all): "
                     + "; ".join(f"{variant} gives “{verdict}”" for variant, verdict in changed))
        rows.append({"part": str(part), "baseline": baseline, "baseline_name": baseline_name,
                     "holds": not changed, "words": words})
    return rows


def write_headline_figure(corpus: Corpus, tested: pd.DataFrame, out_dir: Path, title: str):
    """The front page's figure, wide (desktop) and narrow (phone): each part of the thesis, its
    alignment with its interval, its verdict and its number of shared claims. Returns the
    wide figure's ``downloads.FigureFile`` and the narrow SVG's path, or ``(None, None)``."""
    from stances import plots

    if not len(tested):
        return None, None
    plots.use_report_style()
    rows = tested.reset_index(drop=True).assign(a=tested["pair"].str.split("–").str[0].to_numpy(),
                                                b=tested["pair"].str.split("–").str[1].to_numpy())
    verdicts = tested["verdict"].astype(str).tolist()
    folder = out_dir / FIGURES_DIR
    folder.mkdir(exist_ok=True)
    wide = plots.alignment_bars(corpus, rows, title, verdicts=verdicts,
                                row_labels=[textwrap.fill(str(p), 30) for p in tested.index])
    narrow = plots.alignment_bars(corpus, rows, textwrap.fill(title, 34), verdicts=verdicts, narrow=True,
                                  row_labels=[str(p) for p in tested.index])
    (folder / "headline.svg").write_text(plots.figure_svg(wide), encoding="utf-8")
    (folder / "headline.png").write_bytes(plots.figure_png(wide))
    (folder / "headline-narrow.svg").write_text(plots.figure_svg(narrow), encoding="utf-8")
    figure = FigureFile(f"{FIGURES_DIR}/headline.svg", f"{FIGURES_DIR}/headline.png", plots.alt_text(wide))
    return figure, f"{FIGURES_DIR}/headline-narrow.svg"


def coders(corpus: Corpus) -> list[str]:
    """Who coded what, from the data: each coder id with the rows it wrote, per table."""
    roles = (("statements", "coder", "coded the statements"),
             ("reliability", "coder", "coded the article again, blind to the first coding"),
             ("factchecks", "checker", "fact-checked the article"),
             ("factcheck_reliability", "checker", "checked it again, blind to the first check"))
    lines = []
    for table, column, role in roles:
        frame = corpus.tables.get(table)
        if frame is None or column not in frame.columns or not len(frame):
            continue
        counts = frame[column].astype("string").fillna("unnamed").value_counts(sort=False)
        who = ", ".join(f"{name} ({int(n)} rows)" for name, n in counts.items())
        lines.append(f"{who} {role}")
    factchecks = corpus.tables.get("factchecks")
    if factchecks is not None and "route" in factchecks.columns:
        adjudicated = int((factchecks["route"].astype("string") == "adjudicated").sum())
        if adjudicated:
            lines.append(f"an adjudicator (a third reader) ruled on {adjudicated} ratings "
                         "(route: adjudicated)")
    return lines


def limitations_html(readme: Path | None) -> str | None:
    """The "Limitations" section of the project's README as safe HTML, or None without one."""
    if readme is None or not readme.is_file():
        return None
    lines, inside = [], False
    for line in readme.read_text(encoding="utf-8", errors="replace").splitlines():
        if line.startswith("## "):
            inside = line[3:].strip().lower() == "limitations"
            continue
        if inside:
            lines.append(line)
    body = "\n".join(lines).strip()
    if not body:
        return None
    return safe_html(mistune.create_markdown(escape=True)(body).strip())


def thesis_pairs(corpus: Corpus) -> list[str]:
    """The pairs of actors the thesis's parts name, by their labels, in the order of thesis.csv
    (for the reading guide, which follows the study's own actors)."""
    about = corpus.study
    return list(dict.fromkeys(f"{about.label(a)} and {about.label(b)}"
                              for a, b in zip(about.parts["a"], about.parts["b"], strict=True)))


def write_index(out_dir: Path, environment, corpus: Corpus, pages: list, *, articles, package, networks,
                claimreview, footer, provenance, readme: Path | None) -> None:
    """Write ``index.html``: the answer and the headline figure first, then the article at a
    glance, the verdict and its robustness, every notebook's findings (``pages``, the thesis
    notebook's first), how this was made and the downloads."""
    from markupsafe import Markup

    about = corpus.study
    tested = thesis_verdicts(corpus)
    headline_figure, headline_narrow = write_headline_figure(
        corpus, tested, out_dir, "The thesis, part by part: alignment, verdict and n")
    verdict = next((page for page in pages if page.stem == about.thesis_notebook), None)
    index = environment.get_template("summary.html.j2").render(
        study=about, answer=headline(tested), min_claims=MIN_CLAIMS, tested=tested,
        headline=headline_figure, headline_narrow=headline_narrow, provenance=provenance,
        coders=coders(corpus), limitations=Markup(limitations_html(readme) or ""),
        glance=at_a_glance(corpus), robustness=robustness_rows(corpus), verdict=verdict,
        others=[page for page in pages if page is not verdict], articles=articles, networks=networks,
        figures=[figure for page in pages for figure in page.figures], package=package,
        claimreview=claimreview, pages=pages, pairs=thesis_pairs(corpus), footer=footer)
    (out_dir / "index.html").write_text(index, encoding="utf-8")
