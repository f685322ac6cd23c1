"""The codebook documents every code the data uses, and its tables match the CSVs."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pandas as pd

DATA = Path(__file__).resolve().parents[1] / "data"
CODEBOOK = (DATA / "CODEBOOK.md").read_text(encoding="utf-8")
DOCUMENTED = set(re.findall(r"`([^`\s]+)`", CODEBOOK))


def test_every_enum_value_is_documented():
    package = json.loads((DATA / "datapackage.json").read_text(encoding="utf-8"))
    values = {v for r in package["resources"] for f in r["schema"]["fields"]
              for v in f.get("constraints", {}).get("enum", [])}
    assert values - DOCUMENTED == set()


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
