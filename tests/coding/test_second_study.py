"""A second study, built from scratch, runs through the library unchanged.

The article below is SYNTHETIC: written for this test, about invented places, and labelled so
in its own text and in ``documents.csv``. The study has its own actors, topics, claims,
statements, thesis, title, labels and colours; it shares with the real study only the method
(which tables and columns a stance study has), and it is built the way a new user builds one:
``python -m stances init`` writes the descriptor and the tables from the library's schema and
the study's topics, the coder fills in actors, claims, the study and its thesis, and writes a
coding sheet of quotes that ``python -m stances code`` anchors into statements and relations.
"""

from __future__ import annotations

import csv
import json
import re
import shutil
from pathlib import Path

import nbformat
import networkx as nx
import pandas as pd
import pytest
from matplotlib.colors import to_hex
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output

import stances
from stances import measures as analysis
from stances import plots
from stances.cli import main as cli_main
from stances.corpus import schema as method
from stances.corpus.actors import authors
from stances.files import write_csv as write_table
from stances.report import pages as render

DOC = "harbour_bridge_vote"
ARTICLE = """SYNTHETIC ARTICLE, written for a software test: the places, people and events are invented.

Valdora and Kestrel argue over the harbour bridge

Mayor Ilse Brandt said Valdora will build the bridge before winter.
Kestrel says the bridge will ruin its ferry trade.
Kestrel also holds that the river port must stay open to tall ships.
Valdora insists the river port can close to tall ships for two years.
Both towns agree that the river needs dredging.
The regional council wants the bridge built, and the council says tolls must stay low.
Kestrel rejects low tolls, as Brandt praises them.
"""
TOPICS = ["bridge", "river"]
ACTORS = [  # actor_id, name, kind, country, represents, aliases, label, color
    ["author", "Author of the synthetic article", "author", "", "", "", "Author", "#444444"],
    ["valdora", "Town of Valdora", "state", "", "", "", "Valdora", "#1B9E77"],
    ["kestrel", "Town of Kestrel", "state", "", "", "", "Kestrel", "#D95F02"],
    ["brandt", "Ilse Brandt", "person", "", "valdora", "Mayor Ilse Brandt", "Mayor Brandt", ""],
    ["council", "Regional council", "organization", "", "", "", "Council", "#7570B3"],
]
CLAIMS = [  # claim_id, topic, proposition
    ["bridge_build", "bridge", "The harbour bridge should be built."],
    ["bridge_low_tolls", "bridge", "Tolls on the bridge must stay low."],
    ["bridge_ruins_ferries", "bridge", "The bridge will ruin the ferry trade."],
    ["river_port_open", "river", "The river port must stay open to tall ships."],
    ["river_dredge", "river", "The river needs dredging."],
]
STATEMENTS = [  # speaker, claim, stance, attribution, quote: the coding sheet (anchored by `code`)
    ("brandt", "bridge_build", "support", "reported_speech", "Valdora will build the bridge before winter"),
    ("kestrel", "bridge_ruins_ferries", "support", "reported_speech", "the bridge will ruin its ferry trade"),
    ("kestrel", "bridge_build", "oppose", "reported_speech", "the bridge will ruin its ferry trade"),
    ("kestrel", "river_port_open", "support", "reported_speech",
     "the river port must stay open to tall ships"),
    ("valdora", "river_port_open", "oppose", "reported_speech",
     "the river port can close to tall ships for two years"),
    ("valdora", "river_dredge", "support", "author_assertion", "Both towns agree that the river needs"),
    ("kestrel", "river_dredge", "support", "author_assertion", "Both towns agree that the river needs"),
    ("council", "bridge_build", "support", "reported_speech", "The regional council wants the bridge built"),
    ("council", "bridge_low_tolls", "support", "reported_speech", "tolls must stay low"),
    ("kestrel", "bridge_low_tolls", "oppose", "reported_speech", "Kestrel rejects low tolls"),
    ("brandt", "bridge_low_tolls", "support", "reported_speech", "Brandt praises them"),
    ("author", "river_dredge", "support", "author_assertion", "the river needs dredging"),
]
THESIS = [  # part_id, part, a, b, topic, expected, claim_id, note
    ["bridge_split", "the towns split over the bridge", "brandt", "kestrel", "bridge", "disagree", "", ""],
    ["river_peace", "the towns agree on the river", "valdora", "kestrel", "river", "agree", "river_dredge",
     ""],
]
STUDY = ["harbour_test", "A synthetic harbour dispute (test study)",
         "A SYNTHETIC article written for a software test, coded like a real one.",
         "The two towns split over the bridge but agree on the river.", "01_verdict"]
LICENCE = {"name": "CC0-1.0", "title": "CC0 1.0 (test data)", "path": "https://creativecommons.org/publicdomain/zero/1.0/"}
SOURCE = {"title": "A synthetic article written for the test", "path": f"sources/{DOC}.txt",
          "description": "Invented text; no rights holder."}


def build_study(root: Path) -> Path:
    """Build the second study under ``root`` as a user would: init, fill in, code; return root/data."""
    source = root / "harbour.txt"
    source.write_text(ARTICLE, encoding="ascii")
    assert cli_main(["init", str(root), "--doc-id", DOC, "--source", str(source),
                     "--topics", ",".join(TOPICS)]) == 0
    data = root / "data"
    assert cli_main(["validate", str(data)]) == 0, "init's study, not yet coded, is valid"
    package = json.loads((data / "datapackage.json").read_text(encoding="utf-8"))
    about = {"name": "harbour-test", "title": STUDY[1], "description": "Synthetic test study.",
             "licenses": [LICENCE], "sources": [SOURCE]}
    (data / "datapackage.json").write_text(
        method.dumps(method.descriptor(method.vocabulary_of(package), about)), encoding="utf-8")
    documents = list(csv.reader((data / "documents.csv").open(encoding="utf-8", newline="")))
    documents[1][-1] = "SYNTHETIC: written for a software test."
    write_table(data / "documents.csv", documents[0], documents[1:])
    write_table(data / "actors.csv", ["actor_id", "name", "kind", "country", "represents", "aliases", "label",
                                 "color"], ACTORS)
    write_table(data / "claims.csv", ["claim_id", "topic", "proposition", "note"], [[*c, ""] for c in CLAIMS])
    write_table(data / "study.csv", ["study_id", "title", "introduction", "thesis", "thesis_notebook",
                                     "publisher", "factcheck_notebook"], [[*STUDY, "", ""]])
    write_table(data / "thesis.csv", ["part_id", "part", "a", "b", "topic", "expected", "claim_id", "note"],
           THESIS)
    sheet = root / "coding.csv"
    write_table(sheet, ["speaker", "claim", "stance", "attribution", "quote", "relation", "target", "topic"],
           [[*row, "", "", ""] for row in STATEMENTS]
           + [["kestrel", "", "", "", "Kestrel rejects low tolls", "opposes", "council", "bridge"]])
    assert cli_main(["code", str(sheet), "--data-dir", str(data), "--doc-id", DOC, "--coder", "test"]) == 0
    return data


def _notebooks(root: Path) -> Path:
    """Two stored-output notebooks for the report, in place of init's (not executed: the report
    renders them; the end-to-end test below executes init's own)."""
    folder = root / "notebooks"
    folder.mkdir(exist_ok=True)
    for path in folder.glob("*.ipynb"):
        path.unlink()
    for stem, title, found in (("00_intro", "The harbour corpus", "Twelve positions were coded."),
                               ("01_verdict", "Verdict", "The towns split over the bridge.")):
        notebook = new_notebook(metadata={"kernelspec": {"name": "python3", "display_name": "Python 3",
                                                         "language": "python"}})
        notebook.cells = [new_markdown_cell(f"# {title}"),
                          new_code_cell("1 + 1", execution_count=1, outputs=[new_output(
                              "execute_result", data={"text/plain": "2"}, execution_count=1)]),
                          new_markdown_cell(f"## What we found\n\n{found}")]
        for i, cell in enumerate(notebook.cells):
            cell.id = f"{stem}-{i}"
        nbformat.write(notebook, folder / f"{stem}.ipynb")
    return folder


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    """The second study's folder, built once as a user would; a test that changes it takes a copy."""
    return build_study(tmp_path_factory.mktemp("second")).parent


@pytest.fixture(scope="module")
def second(built) -> stances.Corpus:
    return stances.load(built / "data")


def _copy(built: Path, tmp_path: Path) -> Path:
    """A copy of the built study (data/ and notebooks/) of this test's own; returns its data/."""
    return Path(shutil.copytree(built, tmp_path / "study")) / "data"


def test_the_study_description_comes_from_its_own_data(second):
    study = second.study
    assert study.title == STUDY[1] and study.thesis == STUDY[3]
    assert study.topics == tuple(TOPICS)
    assert study.label("brandt") == "Mayor Brandt"
    assert study.proposition("bridge_build") == "The harbour bridge should be built."
    assert study.proposition("no_such_claim") == "no_such_claim"
    assert study.color("brandt") == study.color("valdora") == "#1B9E77"  # a person takes its state's colour
    assert [dict(licence) for licence in study.licenses] == [LICENCE]


def test_the_study_is_read_once_per_corpus(built, tmp_path):
    corpus = stances.load(_copy(built, tmp_path))
    package = corpus.data_dir / "datapackage.json"
    first = corpus.study
    package.unlink()  # a second read would fail now
    assert corpus.study is first and corpus.study.title == STUDY[1]
    assert not hasattr(stances, "study")  # one way to the study: corpus.study


def test_the_analyses_run_on_the_second_study(second):
    alignments = analysis.alignment(second, n_boot=300)
    assert set(alignments["topic"]) <= {*TOPICS, analysis.ALL_TOPICS}
    bridge = analysis.pair(alignments, "valdora", "kestrel", "bridge")
    # Valdora (Brandt rolled up) and Kestrel hold opposite positions on both bridge claims they share
    assert (bridge["shared_claims"], bridge["disagree"], bridge["alignment"]) == (2, 2, -1.0)
    river = analysis.pair(alignments, "kestrel", "valdora", "river")
    assert (river["agree"], river["disagree"]) == (1, 1)

    verdicts = analysis.thesis_test(second, n_boot=300, min_claims=2)
    assert verdicts.index.tolist() == [part[1] for part in THESIS]
    assert verdicts.loc["the towns split over the bridge", "pair"] == "valdora–kestrel"  # persons rolled up
    assert verdicts.loc["the towns split over the bridge", "verdict"] == "supported"
    assert verdicts.loc["the towns agree on the river", "verdict"] == "inconclusive"
    assert verdicts.loc["the towns agree on the river", "stated_by"] == "author, kestrel, valdora"
    assert "second coding" not in analysis.robustness(second, n_boot=100).columns  # no reliability table

    summary = analysis.summary(second)
    assert summary["statements"] == len(STATEMENTS) and "statements in the second coding" not in summary
    alone = second.statements["speaker"].isin(authors(second.actors))  # on the author's word alone
    assert second.statements.loc[alone, "claim_id"].tolist() == ["river_dredge"]
    assert analysis.coverage(second, DOC)["coded"].any()


def test_the_figures_use_the_second_studys_labels_and_colours(second):
    plots.use_report_style()
    heatmap = plots.stance_heatmap(second, analysis.stance_matrix(second), "Positions")
    shown = [t.get_text() for t in heatmap.axes[0].get_xticklabels()]
    assert set(shown) == {"Author", "Council", "Kestrel", "Valdora"}

    congruence, conflict = analysis.networks(second)
    figure = plots.network(second, conflict, "Conflict")
    nodes = next(c for c in figure.axes[0].collections if len(c.get_offsets()) == conflict.number_of_nodes())
    colours = [to_hex(c).upper() for c in nodes.get_facecolors()]
    assert colours == [second.study.color(n).upper() for n in sorted(conflict.nodes)]
    assert conflict.nodes["valdora"]["label"] == "Valdora"

    timeline = plots.timeline(second, DOC, "Who speaks where")
    assert [t.get_text() for t in timeline.axes[0].get_yticklabels()][0] == "Mayor Brandt"
    bars = plots.alignment_bars(second, analysis.alignment(second, n_boot=50), "Alignment")
    assert any("Kestrel – Valdora" in t.get_text() for t in bars.axes[0].get_yticklabels())
    plots.attribution_bars(second, analysis.attribution_shares(second).drop(
        columns=["total", "author_share"]), "Attribution")


def test_the_report_is_built_from_the_second_study_alone(second, tmp_path):
    root = second.data_dir.parent
    out = tmp_path / "site"
    out.mkdir()
    (out / "stale.html").write_text("from an earlier build", encoding="utf-8")
    with pytest.raises(ValueError, match=r"holds files no report build wrote \(stale.html\)"):
        stances.build_report(_notebooks(root), out, execute=False)
    with pytest.raises(ValueError, match="replaced as a whole"):
        stances.build_report(root / "notebooks", root, execute=False)  # would hold data/
    (out / "index.html").write_text("an earlier report", encoding="utf-8")
    (out / ".stances-report").write_text("index.html\nstale.html\n", encoding="utf-8")  # its manifest
    index = stances.build_report(root / "notebooks", out, execute=False)

    text = index.read_text(encoding="utf-8")
    assert f"<title>{STUDY[1]}</title>" in text and STUDY[2] in text
    assert text.index("Verdict on the article") < text.index("The towns split over the bridge.") \
        < text.index("Twelve positions were coded.")
    footer = text[text.index("<footer"):]
    assert LICENCE["title"] in footer and SOURCE["title"] in footer and SOURCE["description"] in footer
    assert not (out / "stale.html").exists(), "the site is replaced as a whole"
    assert sorted(p.name for p in out.iterdir()) == [".cache", ".stances-report", "00_intro.html",
                                                   "01_verdict.html", "article.js", f"article_{DOC}.html",
                                                   "figures", "harbour-test.zip", "index.html", "networks",
                                                   "notebooks", "search-index.js", "search.js"]
    graphs = {p.name: nx.read_graphml(p) for p in (out / "networks").iterdir()}
    assert set(graphs) == {f"{kind}{suffix}.graphml" for kind in ("congruence", "conflict")
                           for suffix in ("", "_bridge", "_river")}
    assert graphs["conflict_bridge.graphml"].has_edge("kestrel", "valdora")
    article = (out / f"article_{DOC}.html").read_text(encoding="utf-8")
    assert article.count("<tr id=") == len(STATEMENTS) and "<mark" in article
    assert LICENCE["title"] in article
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".site.")], "no staging folder is left"
    for page in out.glob("*.html"):
        assert not re.search("sochi|erdogan|syria", page.read_text(encoding="utf-8"), re.IGNORECASE)


def test_render_marks_the_second_studys_spans(second):
    html = render.article_html(second, DOC)
    marked = re.findall(r'data-statements="([^"]+)"', html)
    assert {s for ids in marked for s in ids.split(",")} == set(second.statements["statement_id"])
    assert isinstance(analysis.statements_on(second, topic="river"), pd.DataFrame)


def test_a_package_without_a_study_description_is_told_what_to_add(built, tmp_path):
    data = _copy(built, tmp_path)
    package = json.loads((data / "datapackage.json").read_text(encoding="utf-8"))
    package["resources"] = [r for r in package["resources"] if r["name"] not in ("study", "thesis")]
    (data / "datapackage.json").write_text(json.dumps(package), encoding="utf-8")
    corpus = stances.load(data)
    # the measures and figures need no study description; the report does, and says so
    assert len(analysis.alignment(corpus, n_boot=10)) > 0
    assert analysis.thesis_test(corpus, n_boot=10).empty
    plots.network(corpus, analysis.networks(corpus)[1], "Conflict")
    with pytest.raises(ValueError, match="add study.csv"):
        stances.build_report(_notebooks(data.parent), tmp_path / "site", execute=False)
    assert not (tmp_path / "site").exists()


FACT_DRAFT = re.compile(r"^(\S+): What we found: \[\?\] is bound to (\w+):(\w+), which is (.+)$",
                        re.MULTILINE)


@pytest.mark.notebooks
def test_a_new_study_end_to_end(tmp_path, capsys):
    """init, code, validate, init's generic notebooks, their findings bound, and the report."""
    data = build_study(tmp_path)
    assert cli_main(["validate", str(data)]) == 0
    assert cli_main(["schema", str(data)]) == 0
    notebooks = [str(p) for p in sorted((tmp_path / "notebooks").glob("*.ipynb"))]
    assert [Path(p).name for p in notebooks] == ["00_corpus.ipynb", "01_verdict.ipynb"]
    assert cli_main(["execute", *notebooks]) == 0
    # The findings come as a draft whose numbers are [?] bound to facts: the check names each value.
    capsys.readouterr()
    assert cli_main(["check-findings", *notebooks]) == 1
    drafts = FACT_DRAFT.findall(capsys.readouterr().out)
    values = {(stem, name): value for _, stem, name, value in drafts}
    assert values[("00_corpus", "statements")] == str(len(STATEMENTS))
    assert values[("00_corpus", "speakers")] == "5" and values[("00_corpus", "claims")] == str(len(CLAIMS))
    assert values[("01_verdict", "parts")] == str(len(THESIS))
    # the bridge split rests on 2 shared claims, under the default bar of 3: too thin to say
    assert (values[("01_verdict", "supported")], values[("01_verdict", "max_shared")]) == ("0", "2")
    for path in notebooks:
        notebook = nbformat.read(path, as_version=4)
        stem, cell = Path(path).stem, notebook.cells[-1]
        cell.source = re.sub(r"\[\?\]\(#fact-(\w+)\)",
                             lambda m, stem=stem: f"[{values[stem, m.group(1)]}](#fact-{m.group(1)})",
                             cell.source).split("\n\n*Edit this")[0]
        nbformat.write(notebook, path)
    assert cli_main(["check-findings", *notebooks]) == 0
    site = tmp_path / "report"
    assert cli_main(["report", "--no-execute", "--notebooks", str(tmp_path / "notebooks"),
                     "--out", str(site)]) == 0
    index = (site / "index.html").read_text(encoding="utf-8")
    assert f"<title>{STUDY[1]}</title>" in index and STUDY[3] in index
    assert "statements by" in index and "Of the" in index  # both notebooks' findings, verdict first
    assert index.index("Of the") < index.index("statements by")
    for page in site.glob("*.html"):
        assert not re.search("sochi|erdogan|syria", page.read_text(encoding="utf-8"), re.IGNORECASE)
    # a number changed by hand afterwards is caught
    notebook = nbformat.read(notebooks[0], as_version=4)
    findings = notebook.cells[-1]
    findings.source = findings.source.replace(f"[{len(STATEMENTS)}]", f"[{len(STATEMENTS) + 1}]")
    nbformat.write(notebook, notebooks[0])
    capsys.readouterr()
    assert cli_main(["check-findings", *notebooks]) == 1
    assert f"[{len(STATEMENTS) + 1}] is bound to 00_corpus:statements, which is {len(STATEMENTS)}" in \
        capsys.readouterr().out
