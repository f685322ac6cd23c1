"""A mechanical test for *accurate* (CODEBOOK §11, rule 15; issue 27).

An `accurate` verdict says the evidence shows the claim as the text states it. Two parts of
that can be checked without judgement, against the check's own excerpts only:

- every amount in the rated words (a number with the word after it: its scale and unit, e.g.
  "50 billion euros", "three-hour") appears with the same unit in an excerpt, and no excerpt
  gives the same unit a figure more than rule 5's 10 % away (then the excerpts do not settle
  the figure: "around 50 billion euros" against 50, 56 and 31 billion euros fails);
- a quoted passage in the rated words (between quote marks, or up to or from an unpaired one)
  appears in an excerpt, ignoring case, the kind of quote marks and spacing.

Designations such as S-400, F-35 and COVID-19 are names, not amounts.
"""
from __future__ import annotations

import csv
import re
from pathlib import Path

DATA = Path(__file__).resolve().parents[2] / "data"

NUMBER_WORDS = {word: value for value, word in enumerate([
    "zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven",
    "twelve"])}
SCALES = {"thousand": 1e3, "million": 1e6, "billion": 1e9, "milliard": 1e9, "milliards": 1e9}
CURRENCY_SIGNS = {"€": "euro", "aus$": "australian dollar", "a$": "australian dollar",
                  "au$": "australian dollar", "s$": "singapore dollar", "$": "dollar", "£": "pound"}
UNIT_WORDS = {"euros": "euro", "euro": "euro", "d'euros": "euro", "d’euros": "euro",
              "dollars": "dollar", "dollar": "dollar", "pounds": "pound"}
FUNCTION_WORDS = {"", "a", "an", "and", "at", "by", "for", "from", "in", "into", "is", "it", "of", "on",
                  "or", "the", "to", "was", "were", "when", "with"}
MARGIN = 0.10  # rule 5: within about 10 % of the source's figure

_SIGN = r"(?P<sign>aus\$|au\$|a\$|s\$|\$|€|£)?"
_NUMBER = r"(?P<number>\d+(?:[.,]\d+)*|(?:" + "|".join(NUMBER_WORDS) + r")\b)"
AMOUNT = re.compile(
    r"(?<![\w$€£-])" + _SIGN + _NUMBER + r"(?![\w.,]*\d)"
    r"(?:[\s-]+(?P<scale>thousand|million|billion|milliards?)\b)?"
    r"(?:[\s-]+(?P<unit>australian\s+dollars?|d['’]euros|[a-z]+))?",
    re.IGNORECASE)
QUOTE_MARKS = str.maketrans({"“": '"', "”": '"', "„": '"', "‘": "'", "’": "'", "«": '"', "»": '"'})


def amounts(text: str) -> list[tuple[float, str, str]]:
    """(value, unit, as written) for each amount in text; a currency sign is its unit."""
    found = []
    for match in AMOUNT.finditer(text):
        number = match["number"].lower()
        value = float(NUMBER_WORDS[number] if number in NUMBER_WORDS else number.replace(",", ""))
        if match["scale"]:
            value *= SCALES[match["scale"].lower()]
        unit_word = (match["unit"] or "").lower()
        if match["sign"]:
            unit = CURRENCY_SIGNS[match["sign"].lower()]
        elif unit_word.startswith("australian"):
            unit = "australian dollar"
        elif unit_word in UNIT_WORDS:
            unit = UNIT_WORDS[unit_word]
        else:
            unit = unit_word.removesuffix("s") if unit_word not in FUNCTION_WORDS else ""
        # a bare number (a year, a clock time) has unit "": it must appear, with no unit to carry
        found.append((value, unit, match.group(0).strip() if unit else match["number"]))
    return found


def quoted_passages(text: str) -> list[str]:
    """The passages of text inside quote marks; an unpaired mark quotes up to or from it."""
    plain = text.translate(QUOTE_MARKS)
    passages = re.findall(r'"([^"]+)"', plain)
    rest = re.sub(r'"[^"]*"', " ", plain)
    for mark in ('"', "'"):
        marks = [m.start() for m in re.finditer(rf"(?<!\w){mark}|{mark}(?!\w)", rest)]
        if len(marks) == 1:
            at = marks[0]
            closing = at > 0 and not rest[at - 1].isspace()
            passages.append(rest[:at] if closing else rest[at + 1:])
    return [p for p in (normalise(p) for p in passages) if p]


def normalise(text: str) -> str:
    text = text.translate(QUOTE_MARKS).lower()
    return re.sub(r"\s+", " ", text).strip(" .,;:!?'\"")


def _amount_label(value: float, unit: str) -> str:
    for word, scale in (("billion", 1e9), ("million", 1e6)):
        if value >= scale:
            return f"{value / scale:g} {word} {unit}s"
    return f"{value:g} {unit}"


def accurate_problems(check: dict, excerpts: list[str], line: int) -> list[str]:
    """Problems with an accurate verdict on one check, as `data/factchecks.csv:LINE: rating: ...`."""
    if check["rating"] != "accurate":
        return []
    where = f"data/factchecks.csv:{line}: rating:"
    problems = []
    given = [amount for excerpt in excerpts for amount in amounts(excerpt)]
    for value, unit, written in amounts(check["quote"]):
        if not unit:
            if not any(v == value for v, _, _ in given):
                problems.append(f"{where} accurate, but no excerpt of {check['check_id']} gives "
                                f"the number '{written}'")
            continue
        same_unit = [(v, w) for v, u, w in given if u == unit]
        if not any(v == value for v, _ in same_unit):
            problems.append(f"{where} accurate, but no excerpt of {check['check_id']} gives "
                            f"'{written}' with its unit")
            continue
        apart = sorted({_amount_label(v, unit) for v, _ in same_unit
                        if abs(v - value) > MARGIN * value})
        if apart:
            problems.append(f"{where} accurate, but the excerpts of {check['check_id']} also give "
                            f"{', '.join(apart)} against '{written}' (rule 5: more than 10 % apart)")
    joined = " | ".join(normalise(excerpt) for excerpt in excerpts)
    for passage in quoted_passages(check["quote"]):
        if passage not in joined:
            problems.append(f"{where} accurate, but no excerpt of {check['check_id']} holds the "
                            f"quoted words '{passage}'")
    return problems


def read_rows(path: Path) -> list[tuple[int, dict]]:
    """Rows with their file line numbers (header = line 1)."""
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        rows = []
        for row in reader:
            rows.append((reader.line_num, row))
        return rows


def problems_in(data: Path = DATA) -> list[str]:
    evidence: dict[str, list[str]] = {}
    for _, row in read_rows(data / "factcheck_evidence.csv"):
        evidence.setdefault(row["check_id"], []).append(row["excerpt"])
    return [problem for line, check in read_rows(data / "factchecks.csv")
            for problem in accurate_problems(check, evidence.get(check["check_id"], []), line)]


# ---- the tests ----

def test_every_accurate_verdict_passes_the_numbers_and_quotation_test():
    assert problems_in() == []


OLD_F31 = {"check_id": "f31", "quote": "worth around 50 billion euros", "rating": "accurate"}
OLD_F31_EXCERPTS = [  # the excerpts f31 had before issue 27 (e045-e046, e087-e088), verbatim
    "The move infuriated France, which lost a contract to supply conventional submarines to "
    "Australia that was worth Aus$50 billion (31 billion euros, $36.5 billion) when signed in 2016.",
    "L'Australie a annoncé la rupture de son contrat avec la France qui prévoyait l'achat de douze "
    "sous-marins pour un montant de 56 milliards d'euros.",
    "After losing a €50 billion Australian contract for French submarines, Macron withdrew French "
    "ambassadors from Canberra and Washington in protest.",
    "Australian Prime Minister Scott Morrison said he had told French President Emmanuel Macron in "
    "June that Canberra could walk away from its €50 billion submarine contract.",
]


def test_the_old_f31_fails_it():
    # line 38 was f31's line in data/factchecks.csv before issue 27
    assert accurate_problems(OLD_F31, OLD_F31_EXCERPTS, 38) == [
        "data/factchecks.csv:38: rating: accurate, but the excerpts of f31 also give "
        "31 billion euros, 56 billion euros against '50 billion euros' (rule 5: more than 10 % apart)"]


def test_the_new_f31_is_not_accurate():
    checks = {row["check_id"]: row for _, row in read_rows(DATA / "factchecks.csv")}
    assert checks["f31"]["rating"] == "imprecise"


def test_an_amount_missing_from_the_excerpts_fails():
    check = {"check_id": "fX", "quote": "held a four-hour meeting", "rating": "accurate"}
    assert accurate_problems(check, ["The meeting lasted about three hours."], 5) == [
        "data/factchecks.csv:5: rating: accurate, but no excerpt of fX gives 'four-hour' with its unit"]


def test_a_number_in_another_unit_does_not_count():
    check = {"check_id": "fX", "quote": "worth around 50 billion euros", "rating": "accurate"}
    assert accurate_problems(check, ["a deal worth A$50 billion (S$52.3 billion)."], 7) == [
        "data/factchecks.csv:7: rating: accurate, but no excerpt of fX gives '50 billion euros' "
        "with its unit"]


def test_a_quotation_needs_an_excerpt_holding_its_words():
    check = {"check_id": "fX", "rating": "accurate",
             "quote": 'described the meeting as "useful and substantial"'}
    assert accurate_problems(check, ["Putin called the visit “useful and informative.”"], 9) == [
        "data/factchecks.csv:9: rating: accurate, but no excerpt of fX holds the quoted words "
        "'useful and substantial'"]
    assert accurate_problems(check, ["He called it “Useful and  substantial.”"], 9) == []


def test_designations_and_bare_numbers_are_not_amounts():
    assert [(v, u) for v, u, _ in amounts("the S-400, the F-35 and COVID-19 in 2021 at 13:30")] == [
        (2021.0, ""), (13.0, ""), (30.0, "")]
    assert [a[:2] for a in amounts("a three-hour meeting, €50 billion and 56 milliards d'euros")] == [
        (3.0, "hour"), (50e9, "euro"), (56e9, "euro")]
