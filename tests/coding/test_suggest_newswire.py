"""The suggester on newswire as agencies write it (issue 26): quote marks of every kind, a quotation
over several sentences and paragraphs, the speaker before or after it, "he said", titles before
names; the actors it proposes while a study has none; one matcher for every actor name; and
`suggest` over all of a study's documents. Expected values are written by hand."""

from __future__ import annotations

import csv

import pandas as pd
import pytest

from stances.cli import main as cli_main
from stances.coding.actors import propose_actors
from stances.coding.matcher import Matcher, matcher
from stances.coding.sheet import SHEET_COLUMNS
from stances.coding.suggest import suggest
from stances.coding.suggest_cli import occurrences
from stances.text.anchor import find_all
from stances.text.quotations import quotations

ACTORS = pd.DataFrame([
    {"actor_id": "annan", "name": "Kofi Annan", "kind": "person", "aliases": pd.NA, "label": "Annan"},
    {"actor_id": "bone", "name": "James Bone", "kind": "person", "aliases": pd.NA, "label": "Bone"},
    {"actor_id": "un", "name": "United Nations", "kind": "organization", "aliases": "U.N.", "label": "UN"},
]).astype({"aliases": "string"})
WIRE = ("U.N. Secretary-General Kofi Annan spoke on Wednesday. “We are ready. We will not wait,” Annan said. "
        "“There is a sense of threat.”\n\n"
        "James Bone said: “I hope so.”\n\n"
        "“It is late,” said Annan, adding that talks go on. He said the budget was tight.\n\n"
        "“We go on.\n\n“And we stay.”\n")


def _rows(text: str, actors: pd.DataFrame = ACTORS) -> list[tuple[str, str, str]]:
    table = suggest(text, actors)
    return [(q, s, a) for q, s, a in zip(table["quote"], table["speaker"], table["attribution"], strict=True)]


def test_quotation_marks_of_every_kind_open_and_close_a_quotation():
    text = 'A “one. two” b „drei“ c «quatre» d ‘five’ it’s e "six" f'
    table = quotations(text)
    assert table["quotation"].tolist() == ["“one. two”", "„drei“", "«quatre»", "‘five’", '"six"']
    assert table["balanced"].all()
    left_open = quotations("He said: “We go on.\n\n“And we stay.”")
    assert left_open["quotation"].tolist() == ["“We go on.", "“And we stay.”"]
    assert left_open["closes_with"].tolist() == ["(none)", "”"]


def test_speakers_before_and_after_a_quotation_pronouns_and_continuations():
    assert _rows(WIRE) == [
        ("U.N. Secretary-General Kofi Annan spoke on Wednesday", "un", "implied_by_action"),
        ("“We are ready. We will not wait,” Annan said", "annan", "direct_quote"),  # over two sentences
        ("“There is a sense of threat.”", "annan", "direct_quote"),  # goes on, no tag of its own
        ("James Bone said: “I hope so.”", "bone", "direct_quote"),
        ("“It is late,” said Annan, adding that talks go on", "annan", "direct_quote"),
        ("He said the budget was tight", "annan", "reported_speech"),  # "he": the last person named
        ("“We go on.", "author", "direct_quote"),  # no tag, and after reported speech: no guess
        ("“And we stay.”", "author", "direct_quote"),  # the paragraph that opens with a quote mark
                                                       # goes on with the same speaker
    ]


def test_a_tag_after_a_quotation_names_its_speaker_not_the_speaker_before():
    text = 'Kofi Annan spoke first. "We need the money," responded Mr. Bone.'
    assert _rows(text)[-1] == ('"We need the money," responded Mr. Bone', "bone", "direct_quote")
    over_paragraphs = "Kofi Annan said: “We go on.\n\n“And we stay.”\n\nJames Bone left."
    assert _rows(over_paragraphs)[:2] == [("Kofi Annan said: “We go on.", "annan", "direct_quote"),
                                          ("“And we stay.”", "annan", "direct_quote")]
    quoted_fragment = 'Kofi Annan called the talks "useful", although James Bone disagreed.'
    assert _rows(quoted_fragment)[0] == ('Kofi Annan called the talks "useful"', "annan", "direct_quote")


def test_the_matcher_is_one_pattern_and_the_longest_name_wins():
    names = matcher(ACTORS)
    assert isinstance(names, Matcher) and names is matcher(ACTORS)  # compiled once, then reused
    text = "The United Nations and Annan, not annan's U.N.-backed plan; Kofi Annan."
    found = matcher(ACTORS).find(text)  # "U.N.-backed" is no mention: a name ends where a word ends
    at = text.index
    assert [(m.start, m.end, m.actor, m.possessive) for m in found] == [
        (at("United"), at(" and"), "un", False), (at("Annan,"), at(","), "annan", False),
        (at("annan's"), at("'s"), "annan", True), (at("Kofi"), len(text) - 1, "annan", False)]
    assert matcher(ACTORS).find("James Bonetti and Bone")[0].start == 18  # a name ends at a word's end


def test_occurrences_count_as_find_all_counts_overlapping_ones_too():
    text = "aaaa he said. aaa he said. once"
    # "aaa" at 0, 1 and 14; "aaa he said" at 1 and 14; "he said" at 5 and 18; "once" at 27 only
    quotes, starts = ["aaa", "aaa he said", "he said", "once"], [1, 14, 5, 27]
    assert occurrences(text, quotes, starts) == ["2", "2", "1", ""]
    assert [[m.start for m in find_all(text, q)] for q in quotes] == [[0, 1, 14], [1, 14], [5, 18], [27]]


def test_with_no_actors_the_speakers_the_text_names_are_proposed():
    text = ('Secretary-General Kofi Annan says the year was hard. "We go on," responded Mr. Bone, a '
            'reporter for The Times. Iran says it will not stop. Annan said he was sorry.\n'
            'Tom Bone is his brother.')
    proposed = propose_actors(text)
    assert proposed[["actor_id", "name", "kind", "label"]].values.tolist() == [
        ["annan", "Kofi Annan", "person", "Annan"],
        ["bone", "Tom Bone", "person", "Bone"],  # "Mr. Bone": the first full name the text writes
        ["iran", "Iran", "organization", "Iran"],
    ]
    assert proposed["evidence"].tolist()[0] == "Secretary-General Kofi Annan says"
    known = propose_actors(text, ACTORS)
    assert known["actor_id"].tolist() == ["bone", "iran"]  # "Kofi Annan" is an actor already


def _study(tmp_path, capsys, text: str, doc_id: str = "wire"):
    source = tmp_path / "wire.txt"
    source.write_text(text, encoding="utf-8")
    assert cli_main(["init", str(tmp_path / "s"), "--doc-id", doc_id, "--source", str(source),
                     "--topics", "budget"]) == 0
    capsys.readouterr()
    return tmp_path / "s"


def test_suggest_proposes_actors_and_add_actors_accepts_them(tmp_path, capsys):
    study = _study(tmp_path, capsys, WIRE)
    data, sheet = study / "data", study / "coding.csv"
    assert cli_main(["suggest", "wire", "--data-dir", str(data), "--out", str(sheet)]) == 0
    proposed = study / "actors-proposed.csv"
    out = capsys.readouterr().out
    assert f"{proposed}: 2 proposed actor(s)" in out
    with sheet.open(encoding="utf-8", newline="") as handle:
        speakers = [row["speaker"] for row in csv.DictReader(handle)]
    assert speakers.count("annan") >= 5 and "bone" in speakers  # not every speaker `author`
    assert cli_main(["suggest", "wire", "--data-dir", str(data), "--out", str(sheet)]) == 1
    assert capsys.readouterr().err == (f"error: --out {sheet}: already holds rows (someone's work, perhaps); "
                                       "add --replace to overwrite it\n")
    sheet.write_text(",".join(SHEET_COLUMNS[:9]) + "\n", encoding="utf-8")  # emptied: the proposals hold rows
    assert cli_main(["suggest", "wire", "--data-dir", str(data), "--out", str(sheet)]) == 1
    assert capsys.readouterr().err == (f"error: {proposed}: already holds rows (someone's work, perhaps); "
                                       "add --replace to overwrite it\n")
    assert cli_main(["add-actors", str(proposed), "--data-dir", str(data)]) == 0
    assert "2 actor(s) added" in capsys.readouterr().out
    assert cli_main(["add-actors", str(proposed), "--data-dir", str(data)]) == 1
    assert capsys.readouterr().err == (f"{proposed}:2: actor_id: 'annan' is in actors.csv already\n"
                                       f"{proposed}:3: actor_id: 'bone' is in actors.csv already\n")


def test_add_actors_writes_nothing_the_checks_refuse(tmp_path, capsys):
    study = _study(tmp_path, capsys, WIRE)
    data, sheet = study / "data", tmp_path / "actors.csv"
    before = (data / "actors.csv").read_bytes()
    sheet.write_text("actor_id,name,kind,country,represents,aliases,label,color\n"
                     "annan,Kofi Annan,diplomat,,,,Annan,\n", encoding="utf-8")
    assert cli_main(["add-actors", str(sheet), "--data-dir", str(data)]) == 1
    err = capsys.readouterr().err.splitlines()
    assert err[0] == (f"{data / 'actors.csv'}:3: kind: 'diplomat' is not one of: person, government, "
                      "state, organization, alliance, armed_group, author")
    assert err[-1] == "1 problem(s) with the new actors; actors.csv left as it was"
    assert (data / "actors.csv").read_bytes() == before
    assert cli_main(["add-actors", str(tmp_path / "none.csv"), "--data-dir", str(data)]) == 1
    assert capsys.readouterr().err == f"error: {tmp_path / 'none.csv'}: does not exist\n"


def test_suggest_all_writes_one_sheet_per_document(tmp_path, capsys, monkeypatch):
    study = _study(tmp_path, capsys, WIRE)
    data = study / "data"
    ACTORS.assign(country="", represents="", color="")[
        ["actor_id", "name", "kind", "country", "represents", "aliases", "label", "color"]].to_csv(
        data / "actors.csv", mode="a", header=False, index=False)
    built = []
    monkeypatch.setattr("stances.coding.suggest_cli.matcher",
                        lambda actors: built.append(1) or matcher(actors))
    assert cli_main(["suggest", "--all", "--data-dir", str(data), "--out", str(tmp_path / "sheets")]) == 0
    assert capsys.readouterr().out == f"{tmp_path / 'sheets'}: 1 sheet(s), 8 candidate unit(s)\n"
    assert built == [1] and [p.name for p in (tmp_path / "sheets").iterdir()] == ["wire.csv"]
    assert cli_main(["suggest", "--all", "--data-dir", str(data)]) == 1
    assert capsys.readouterr().err == ("error: several documents need --out FOLDER (one sheet per document "
                                       "in it)\n")


def test_code_takes_the_studys_one_document(tmp_path, capsys):
    study = _study(tmp_path, capsys, WIRE)
    data, sheet = study / "data", study / "coding.csv"
    (data / "claims.csv").write_text("claim_id,topic,proposition,note\nready,budget,The UN is ready,\n",
                                     encoding="utf-8")
    sheet.write_text("speaker,claim,stance,attribution,quote\n"
                     "author,ready,support,author_assertion,U.N. Secretary-General Kofi Annan spoke\n",
                     encoding="utf-8")
    assert cli_main(["code", str(sheet), "--data-dir", str(data), "--coder", "me"]) == 0
    with (data / "statements.csv").open(encoding="utf-8", newline="") as handle:
        row = next(csv.DictReader(handle))
    assert (row["doc_id"], row["start"], row["end"]) == ("wire", "0", "39")


@pytest.mark.parametrize("expected", ["banana", "Agree"])
def test_thesis_expected_is_agree_or_disagree(tmp_path, capsys, expected):
    study = _study(tmp_path, capsys, WIRE)
    data = study / "data"
    with (data / "actors.csv").open("a", encoding="utf-8") as handle:
        handle.write("annan,Kofi Annan,person,,,,Annan,\n")
    with (data / "thesis.csv").open("a", encoding="utf-8") as handle:
        handle.write(f"p1,Annan and the author agree,annan,author,budget,{expected},,\n")
    assert cli_main(["validate", str(data)]) == 1
    assert capsys.readouterr().out == (f"{data / 'thesis.csv'}:2: expected: {expected!r} is not one of: "
                                       "agree, disagree\n")


def test_suggest_names_an_actors_table_it_cannot_use(tmp_path, capsys):
    study = _study(tmp_path, capsys, WIRE)
    actors = study / "data" / "actors.csv"
    actors.write_text("actor_id,name,kind\nauthor,Author,author\n", encoding="utf-8")
    assert cli_main(["suggest", "wire", "--data-dir", str(study / "data")]) == 1
    assert capsys.readouterr().err == f"error: {actors}: missing column(s) aliases\n"
    actors.unlink()
    assert cli_main(["suggest", "wire", "--data-dir", str(study / "data")]) == 1
    assert capsys.readouterr().err == f"error: {actors}: does not exist\n"
