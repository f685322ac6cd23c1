"""The codebook documents every code the data uses, and its tables match the CSVs."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "data"
CODEBOOK = (DATA / "CODEBOOK.md").read_text(encoding="utf-8")  # this study: actors, claims, fact-check
METHOD = (ROOT / "METHOD.md").read_text(encoding="utf-8")  # the method: units, fields, codes, rules
DOCUMENTED = set(re.findall(r"`([^`\s]+)`", CODEBOOK)) | set(re.findall(r"`([^`\s]+)`", METHOD))
IN_METHOD = set(re.findall(r"`([^`\s]+)`", METHOD))
IN_CODEBOOK = set(re.findall(r"`([^`\s]+)`", CODEBOOK))


def _enums(resources: list[str] | None = None) -> dict[str, set[str]]:
    package = json.loads((DATA / "datapackage.json").read_text(encoding="utf-8"))
    return {f"{r['name']}.{f['name']}": set(f.get("constraints", {}).get("enum", []))
            for r in package["resources"] for f in r["schema"]["fields"]
            if resources is None or r["name"] in resources}


def test_every_enum_value_is_documented():
    values = set().union(*_enums().values())
    assert values - DOCUMENTED == set()


def test_the_method_documents_its_codes_and_the_codebook_the_studys_vocabulary():
    enums = _enums(["actors", "statements", "relations"])
    method = set().union(*(v for k, v in enums.items() if not k.endswith(".topic")))
    assert method - IN_METHOD == set(), "the stance method's codes are explained in METHOD.md"
    assert enums["relations.topic"] - IN_CODEBOOK == set(), "the study's topics are its codebook's"
    for section in ("## 1. The unit of coding", "## 3. Codes", "## 4. Who is the speaker",
                    "## 5. Decision rules for hard cases", "## 8. Relations"):
        assert section in METHOD and section not in CODEBOOK, section
    for section in ("## 6.1. This study's actors", "## 7. Claims", "## 11. Fact-check"):
        assert section in CODEBOOK, section
    assert "`METHOD.md`" in CODEBOOK


def test_one_numbering_runs_across_the_method_and_the_codebook_without_a_clash():
    numbers = {name: re.findall(r"(?m)^## (\d+(?:\.\d+)?)\. ?", text)
               for name, text in (("METHOD.md", METHOD), ("CODEBOOK.md", CODEBOOK))}
    assert numbers == {"METHOD.md": ["1", "2", "3", "4", "5", "6", "8", "9", "10", "13", "14"],
                       "CODEBOOK.md": ["6.1", "7", "11", "12"]}


def test_every_rule_of_the_method_has_an_example_and_a_counter_example():
    section = METHOD.split("## 5. ")[1].split("\n## ")[0]
    rules = re.split(r"(?m)^(?=\d+\. (?:\*Added in v2\.\* )?\*\*)", section)[1:]
    assert len(rules) == 11
    for rule in rules:
        assert "Example" in rule and "Counter-example" in rule, rule[:60]


def test_every_actor_and_claim_used_is_documented(corpus):
    used = set(corpus.statements["speaker"]) | set(corpus.statements["target"].dropna())
    used |= set(corpus.reliability["speaker"]) | set(corpus.relations["source"])
    used |= set(corpus.relations["target"]) | set(corpus.statements["claim_id"])
    used |= set(corpus.reliability["claim_id"])
    assert used - DOCUMENTED == set()


def _table_rows() -> dict[str, list[str]]:
    rows = {}
    for line in CODEBOOK.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if line.startswith("| `") and len(cells) >= 3:
            rows[cells[0].strip("`")] = cells[1:]
    return rows


def test_codebook_tables_match_the_csv_files(corpus):
    rows = _table_rows()
    for claim in corpus.claims.itertuples(index=False):
        topic, proposition = rows[claim.claim_id][:2]
        assert topic == claim.topic and proposition.startswith(claim.proposition), claim.claim_id
    for actor in corpus.actors.itertuples(index=False):
        name, kind, represents = rows[actor.actor_id][:3]
        assert (name, kind) == (actor.name, actor.kind), actor.actor_id
        assert represents.strip("`") == ("" if pd.isna(actor.represents) else actor.represents)
