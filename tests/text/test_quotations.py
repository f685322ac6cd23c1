"""stances.text.quotations: the quotation-mark scan, on small made-up texts and on the article.

The rule (the function's docstring): a ``"`` opens a quotation when it follows a space, a line
start or a bracket, and closes one otherwise. An opening mark whose next mark opens again (or
that has none) is unbalanced; its closing mark is then the first single quote before the next
opening that ends a word and is not followed by a letter (so not an apostrophe), if any. A
quotation never runs past the end of its line (``limit`` in the code): a paragraph break ends it.
"""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import DOC_ID
from stances.text import quotations

COLUMNS = ["start", "end", "opens_with", "closes_with", "quotation", "balanced"]


def rows(text: str) -> list[tuple[int, int, str]]:
    """(start, end, closing mark) of every quotation found in ``text``."""
    table = quotations(text)
    return list(zip(table["start"], table["end"], table["closes_with"], strict=True))


def at(text: str, needle: str, nth: int = 0) -> int:
    """Offset of the ``nth`` occurrence of ``needle`` in ``text``."""
    pos = -1
    for _ in range(nth + 1):
        pos = text.index(needle, pos + 1)
    return pos


# --- which marks open a quotation -------------------------------------------------------------

def test_a_balanced_quotation_runs_from_its_opening_to_its_closing_mark():
    text = 'He said "yes" today.'
    table = quotations(text)
    assert list(table.columns) == COLUMNS
    assert table.to_dict("records") == [{"start": 8, "end": 13, "opens_with": '"', "closes_with": '"',
                                         "quotation": '"yes"', "balanced": True}]


def test_a_mark_at_the_very_start_of_the_text_opens():
    # the text ends with a letter, so nothing but "line start" can make the first mark open
    text = '"Yes," he said'
    assert rows(text) == [(0, 6, '"')]


@pytest.mark.parametrize("before", [" ", "\n", "(", "["])
def test_a_mark_after_a_space_a_line_start_or_a_bracket_opens(before):
    text = f"Then{before}\"go\" x"
    start = len("Then") + 1
    assert rows(text) == [(start, start + 4, '"')]


@pytest.mark.parametrize("before", ["a", ".", ",", ")", "]", "-", "'", "{"])
def test_a_mark_after_anything_else_does_not_open(before):
    # the mark after ``before`` closes nothing: there is no quotation at all
    assert rows(f'x{before}"go') == []
    assert rows(f'{before}"go') == []  # not even at offset 1


def test_two_quotations_in_a_row_are_both_found():
    text = 'A "b" and "c" end'
    assert rows(text) == [(2, 5, '"'), (10, 13, '"')]
    assert list(quotations(text)["quotation"]) == ['"b"', '"c"']


def test_a_mark_that_does_not_open_closes_the_quotation_before_it():
    # The second mark follows a letter, so it closes; the third follows a space, so it opens.
    text = 'a" b "c" d'
    assert rows(text) == [(5, 8, '"')]


# --- unbalanced quotations --------------------------------------------------------------------

def test_an_opening_followed_by_another_opening_is_unbalanced_up_to_it():
    text = 'A "one and "two" end'
    second = at(text, '"', 1)
    table = quotations(text)
    assert rows(text) == [(2, second, "(none)"), (second, second + 5, '"')]
    assert list(table["balanced"]) == [False, True]
    assert table["quotation"].iloc[0] == '"one and '


def test_an_opening_with_no_mark_after_it_runs_to_the_end_of_the_text():
    text = 'He said "maybe and left'
    table = quotations(text)
    assert rows(text) == [(8, len(text), "(none)")]
    assert table["quotation"].iloc[0] == '"maybe and left'
    assert not table["balanced"].iloc[0]


def test_an_unbalanced_quotation_closes_at_a_single_quote_that_ends_a_word():
    text = 'said "we decide\' and left'
    close = at(text, "'")
    table = quotations(text)
    assert rows(text) == [(5, close + 1, "'")]
    assert table["quotation"].iloc[0] == '"we decide\''
    assert table["opens_with"].iloc[0] == '"'
    assert not table["balanced"].iloc[0]


def test_an_apostrophe_inside_a_word_does_not_close():
    text = 'said "Turkey\'s choice\' and'
    assert rows(text) == [(5, at(text, "'", 1) + 1, "'")]


def test_a_single_quote_after_a_space_opens_nothing_and_does_not_close():
    text = "said \"a 'b' c"
    assert rows(text) == [(5, at(text, "'", 1) + 1, "'")]


def test_a_single_quote_at_the_end_of_the_text_closes():
    text = "said \"no more'"
    assert rows(text) == [(5, len(text), "'")]


def test_a_single_quote_right_after_the_opening_mark_closes():
    # it follows a non-space (the mark) and is not followed by a letter
    text = "say \"' now"
    assert rows(text) == [(4, 6, "'")]


def test_only_a_single_quote_after_the_opening_counts():
    # a word-ending single quote before the opening mark is not its closing mark
    for text in ["x' \"no more", "xy' \"no more", "xyz' \"no more", "ab' cd' \"no more", "\"no", " \"no"]:
        start = text.index('"')
        assert rows(text) == [(start, len(text), "(none)")], text


def test_the_single_quote_must_come_before_the_next_opening():
    text = 'A "one "two\' end'
    second = at(text, '"', 1)
    assert rows(text) == [(2, second, "(none)"), (second, at(text, "'") + 1, "'")]


def test_a_double_closing_mark_is_preferred_to_an_earlier_single_quote():
    text = 'said "it\' is" so'
    assert rows(text) == [(5, at(text, '"', 1) + 1, '"')]


# --- a quotation ends with its line -----------------------------------------------------------

def test_a_quotation_stops_at_the_end_of_its_line():
    text = 'A "one\nand" two'
    newline = text.index("\n")
    assert rows(text) == [(2, newline, "(none)")]
    assert quotations(text)["quotation"].iloc[0] == '"one'


def test_a_single_quote_on_the_next_line_does_not_close():
    text = "A \"one\nand' two"
    assert rows(text) == [(2, text.index("\n"), "(none)")]


def test_a_mark_after_the_line_break_opens_a_new_quotation():
    text = 'A "one\n"two" x'
    assert rows(text) == [(2, 6, "(none)"), (7, 12, '"')]


def test_a_newline_before_the_opening_does_not_limit_it():
    text = 'A\nB "one" two\nC'
    assert rows(text) == [(4, 9, '"')]


def test_no_marks_no_rows():
    table = quotations("No quotation here, it's plain.")
    assert table.empty
    assert list(table.columns) == COLUMNS


# --- the article's own quotations and a mixed made-up text ---------------------------------

def test_the_mismatched_quotation_is_found(corpus):
    text = corpus.text(DOC_ID)
    table = quotations(text)
    bad = table[~table["balanced"]]
    assert bad["quotation"].tolist() == [
        "\"no one can interfere with that. We are the only ones to make such decisions'"]
    # every quotation starts where a double quote mark stands in the text
    assert all(text[s] == '"' for s in table["start"])
    assert len(table) == sum(1 for i, ch in enumerate(text) if ch == '"' and text[i - 1] in " \n([")


def test_quotations_on_a_made_up_text():
    table = quotations('He said "yes" and "no\' then "maybe.')
    assert table["closes_with"].tolist() == ['"', "'", "(none)"]
    assert table["quotation"].tolist() == ['"yes"', '"no\'', '"maybe.']


# --- the rule, checked on many small texts ----------------------------------------------------

def by_the_rule(text: str) -> list[tuple[int, int, str]]:
    """The docstring's rule, spelled out character by character."""
    openers = [i for i, ch in enumerate(text) if ch == '"' and (i == 0 or text[i - 1] in " \n([")]
    found = []
    for n, start in enumerate(openers):
        scope = openers[n + 1] if n + 1 < len(openers) else len(text)
        if "\n" in text[start:scope]:
            scope = text.index("\n", start)
        doubles = [j for j in range(start + 1, scope) if text[j] == '"']
        singles = [j for j in range(start + 1, scope)
                   if text[j] == "'" and not text[j - 1].isspace()
                   and not (j + 1 < len(text) and (text[j + 1].isalnum() or text[j + 1] == "_"))]
        if doubles:
            found.append((start, doubles[0] + 1, '"'))
        elif singles:
            found.append((start, singles[0] + 1, "'"))
        else:
            found.append((start, scope, "(none)"))
    return found


@settings(derandomize=True, max_examples=300, deadline=None, database=None)
@given(st.text(alphabet="ab_. \n([\"'", max_size=30))
def test_the_scan_follows_the_rule_on_any_text(text):
    table = quotations(text)
    assert rows(text) == by_the_rule(text)
    assert list(table["quotation"]) == [text[s:e] for s, e, _ in by_the_rule(text)]
    assert list(table["balanced"]) == [mark == '"' for _, _, mark in by_the_rule(text)]
    assert (table["opens_with"] == '"').all()


def test_a_long_text_with_hundreds_of_quotations():
    # more opening marks than CPython caches small integers for (256): offsets and counts must
    # be compared by value
    text = " ".join(f'"q{k}"' for k in range(300)) + ' "last'
    table = quotations(text)
    assert len(table) == 301
    assert table["balanced"].sum() == 300
    assert list(table["quotation"].iloc[[0, 299, 300]]) == ['"q0"', '"q299"', '"last']
