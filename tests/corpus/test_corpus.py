"""What ``load`` returns holds the descriptor it read: nothing reads ``datapackage.json`` again
(DESIGN: the corpus carries the parsed descriptor), so a file changed after ``load`` cannot give
the study or the report's zip other licences or other files than the tables were checked with."""

from __future__ import annotations

import stances
from stances.report.downloads import declared_files


def test_nothing_reads_the_descriptor_again_after_load(data_copy):
    corpus = stances.load(data_copy)
    (data_copy / "datapackage.json").write_text("{ not a descriptor", encoding="utf-8")
    assert [dict(licence) for licence in corpus.study.licenses] == [
        {"name": "CC-BY-4.0", "title": "Creative Commons Attribution 4.0 International",
         "path": "https://creativecommons.org/licenses/by/4.0/"}]
    assert corpus.descriptor["name"] == "sochi-2021-stances"
    assert declared_files(corpus) == [  # data/: the descriptor, its 14 resources, the one source text
        "actors.csv", "checkworthiness.csv", "claims.csv", "datapackage.json", "documents.csv",
        "factcheck_evidence.csv", "factchecks.csv", "findings_names.csv", "relations.csv",
        "reliability/factcheck/evidence.csv", "reliability/factcheck/ratings.csv",
        "reliability/statements.csv", "sources/erdogan_putin_sochi_2021.txt", "statements.csv",
        "study.csv", "thesis.csv"]
