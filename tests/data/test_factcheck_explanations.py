"""CODEBOOK §11 rule 14, enforced: an explanation stays inside its own evidence.

Every date, number and name in a check's ``explanation`` must appear in that check's own
evidence excerpts (``factcheck_evidence.csv`` rows with its ``check_id``) or in the article's
words it checks (its ``quote``). Other checks' excerpts, the ``shows`` notes, source names and
source dates do not count: they are not the source's words on this point.

Tokens (what counts as a date, number or name):

- **number**: (not counting a codebook rule's number: ``rule 8``, ``rules 12, 3 and 9``) a run
  of digits, with ``.``, ``,`` or ``:`` between digits (``2254``, ``13:30``,
  ``36.5``); it must occur in the evidence with no digit, ``.``, ``,`` or ``:`` glued to it, so
  ``5`` is not found inside ``2015`` or ``5.5``;
- **number word**: ``two`` to ``twelve``, the tens, ``hundred``, ``thousand``, ``million``,
  ``billion`` (``one`` is left out: it is mostly a pronoun);
- **name**: a word that starts with a capital letter (``Kirby``, ``February``, ``Friday``,
  ``S-400``, ``CAATSA``, ``UN-designated``), possessive ``'s`` dropped, except the function
  words in :data:`NOT_NAMES`; dates are covered by their month and weekday names and numbers.

Matching ignores case, accents (``Erdoğan`` = ``Erdogan``) and the stops of abbreviations
(``U.S.`` = ``US``), and allows a plural or possessive ending in the evidence (``S-400s``).
"""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

import pytest

import stances
from conftest import DATA, find_record, set_cell

NOT_NAMES = frozenset([
    "a", "after", "all", "also", "although", "an", "and", "as", "at", "because", "before",
    "both", "but", "by", "during", "each", "either", "every", "for", "from", "he", "her", "his",
    "however", "if", "in", "instead", "it", "its", "neither", "no", "none", "nor", "not",
    "nothing", "of", "on", "only", "or", "she", "since", "so", "some", "that", "the", "their",
    "then", "there", "these", "they", "this", "those", "though", "to", "was", "we", "what",
    "when", "where", "whether", "which", "while", "who", "with", "yet"
])
"""Capitalised only because they open a sentence or a quotation: never a name."""

NUMBER_WORDS = frozenset([
    "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve",
    "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety", "hundred",
    "thousand", "million", "billion"
])

_RULE = re.compile(r"\brules? \d+(?:(?:, | and | or )\d+)*")
_NUMBER = re.compile(r"\d+(?:[.,:]\d+)*")
_CAPITALISED = re.compile(r"(?<![\w-])[A-Z][\w-]*")
_WORD = re.compile(r"(?<![\w-])[a-z]+(?![\w-])")


def _plain(text: str) -> str:
    """No accents, no stops inside abbreviations (U.S. -> US)."""
    text = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))
    return re.sub(r"\b(?:[A-Za-z]\.){2,}", lambda m: m.group().replace(".", ""), text)


def _fold(text: str) -> str:
    return _plain(text).casefold()


def explanation_tokens(explanation: str) -> list[str]:
    """The dates, numbers and names of ``explanation``, in order, each once."""
    explanation = _RULE.sub("rule", explanation)
    text = _fold(explanation)
    found = [m.group() for m in _NUMBER.finditer(text)]
    for m in _CAPITALISED.finditer(_plain(explanation)):
        word = re.sub(r"['’]s$", "", m.group()).casefold()
        if word not in NOT_NAMES:
            found.append(word)
    found += [m.group() for m in _WORD.finditer(text) if m.group() in NUMBER_WORDS]
    return list(dict.fromkeys(found))


def _found(token: str, evidence: str) -> bool:
    if token[0].isdigit():
        pattern = rf"(?<![\d.,:]){re.escape(token)}(?![\d]|[.,:]\d)"
    else:
        pattern = rf"(?<![\w-]){re.escape(token)}(?:s|['’]s)?(?![\w-])"
    return re.search(pattern, evidence) is not None


def explanation_problems(data_dir: Path) -> list[str]:
    """One ``factchecks.csv:LINE: explanation: ...`` line per token of an explanation that its
    check's own excerpts and quote do not hold."""
    corpus = stances.load(data_dir)
    evidence = corpus.factcheck_evidence
    problems = []
    for check in corpus.factchecks.itertuples(index=False):
        own = evidence.loc[evidence["check_id"] == check.check_id, "excerpt"].astype(str)
        words = _fold("\n".join([check.quote, *own]))
        line, _ = find_record(data_dir / "factchecks.csv", "check_id", check.check_id)
        problems += [f"factchecks.csv:{line}: explanation: {token!r} is not in check "
                     f"{check.check_id}'s own excerpts or quote"
                     for token in explanation_tokens(check.explanation)
                     if not _found(token, words)]
    return problems


def test_every_date_number_and_name_of_an_explanation_is_in_its_own_evidence():
    problems = explanation_problems(DATA)
    assert not problems, "\n".join(problems)


OLD_F38 = ("Kirby is correctly credited, but the only dated source found puts the words at a "
           "Pentagon briefing on Friday 5 February 2021. The article gives no date and sets them, "
           "in the present tense, as the US answer in the dispute of September 2021. No source "
           "found shows him repeating them then.")
"""f38's explanation before issue 20: a date its excerpt does not show."""


def test_the_old_f38_explanation_is_caught(data_copy: Path):
    line = set_cell(data_copy / "factchecks.csv", "check_id", "f38", "explanation", OLD_F38)
    problems = explanation_problems(data_copy)
    assert problems == [
        f"factchecks.csv:{line}: explanation: {token!r} is not in check f38's own excerpts or quote"
        for token in ("5", "2021", "february", "september")]


def test_another_checks_excerpt_does_not_count(data_copy: Path):
    # f41's excerpts name Senator Menendez; f38's evidence does not
    path = data_copy / "factchecks.csv"
    _, f38 = find_record(path, "check_id", "f38")
    line = set_cell(path, "check_id", "f38", "explanation",
                    f38["explanation"] + " Menendez said the same.")
    assert explanation_problems(data_copy) == [
        f"factchecks.csv:{line}: explanation: 'menendez' is not in check f38's own excerpts or quote"]


@pytest.mark.parametrize(("explanation", "tokens"), [
    ("Kirby spoke on Friday 5 February 2021.", ["5", "2021", "kirby", "friday", "february"]),
    ("The U.S. and Erdoğan's S-400s, two of them.", ["400", "us", "erdogan", "s-400s", "two"]),
    ("But the 13:30 start and 36.5 billion; one of them.", ["13:30", "36.5", "billion"]),
    ("Misleading (rules 12, 3 and 9; rule 4), said in 2019.", ["2019", "misleading"]),
])
def test_what_counts_as_a_date_number_or_name(explanation, tokens):
    assert explanation_tokens(explanation) == tokens


@pytest.mark.parametrize(("token", "evidence", "found"), [
    ("5", "in 2015", False), ("5", "on 5.5", False), ("5", "on 5 February,", True),
    ("2021", "Sept 26, 2021.", True), ("s-400", "more s-400s", True),
    ("us", _fold("the U.S. Secretary"), True), ("erdogan", _fold("Erdoğan answered"), True),
    ("patriot", "a compatriot", False),
])
def test_how_a_token_is_found_in_the_evidence(token, evidence, found):
    assert _found(token, evidence) is found
