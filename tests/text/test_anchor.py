"""stances.text.anchor: exact offsets, every occurrence when ambiguous, tolerant quote marks/spacing."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import stances
from conftest import DATA, DOC_ID
from stances.text.anchor import AnchorError, find_all, locate

TEXT = (DATA / "sources" / f"{DOC_ID}.txt").read_text(encoding="utf-8")

# Fixed, reproducible runs: the same examples every time, no example database on disk.
PROPERTY = settings(derandomize=True, max_examples=200, deadline=None, database=None)

STRAIGHT = ['"', "'"]
CURLY = ["\u201c", "\u201d", "\u2018", "\u2019", "\u201e", "\u201a", "\u00ab", "\u00bb"]
SPACES = [" ", "  ", "\n", "\n\n\n", "\t", "\u00a0", " \n "]


def occurrences(text: str, quote: str) -> list[tuple[int, int]]:
    """Every (start, end) where ``quote`` sits in ``text``, overlapping ones included."""
    return [(i, i + len(quote)) for i in range(len(text) - len(quote) + 1)
            if text.startswith(quote, i)]


def spans(matches) -> list[tuple[int, int]]:
    return [(m.start, m.end) for m in matches]


def assert_ambiguous(text: str, quote: str, expected: list[tuple[int, int]]) -> AnchorError:
    """``find_all`` returns every occurrence and ``locate`` refuses, naming each of them."""
    assert spans(find_all(text, quote)) == expected
    with pytest.raises(AnchorError) as caught:
        locate(text, quote)
    assert spans(caught.value.matches) == expected
    for start, end in expected:
        assert f"{start}-{end}" in str(caught.value)
    return caught.value


# --- the real article -----------------------------------------------------------------------------

def test_locate_a_unique_quote_of_the_article():
    quote = "Sergey Lavrov, has defended his country's offensives"
    assert TEXT.count(quote) == 1
    match = locate(TEXT, quote)
    assert (match.start, match.end, match.exact) == (TEXT.index(quote),
                                                     TEXT.index(quote) + len(quote), True)
    assert TEXT[match.start:match.end] == quote


def test_an_ambiguous_quote_lists_every_occurrence():
    quote = "Erdogan and Putin"
    expected = occurrences(TEXT, quote)
    assert len(expected) >= 2
    error = assert_ambiguous(TEXT, quote, expected)
    assert f"{len(expected)} times" in str(error)


def test_overlapping_occurrences_all_count():
    assert spans(find_all("aaaa", "aa")) == [(0, 2), (1, 3), (2, 4)]


def test_a_missing_quote_is_an_error():
    with pytest.raises(AnchorError) as caught:
        locate(TEXT, "Erdogan and Putin agreed on everything")
    assert caught.value.matches == ()
    assert find_all(TEXT, "Erdogan and Putin agreed on everything") == ()


@pytest.mark.parametrize("quote", ["", " ", "\n\t ", "\u00a0"])
def test_an_empty_quote_is_rejected(quote):
    with pytest.raises(AnchorError):
        find_all(TEXT, quote)
    with pytest.raises(AnchorError):
        locate(TEXT, quote)


def test_curly_quote_marks_find_the_straight_ones_of_the_text():
    own = '"positive"'
    assert TEXT.count(own) == 1
    match = locate(TEXT, "\u201cpositive\u201d")
    assert not match.exact
    assert (match.start, match.end) == (TEXT.index(own), TEXT.index(own) + len(own))


def test_a_single_space_finds_the_paragraph_break_of_the_text():
    first, last = 'described as "positive".', "In the midst"
    start, end = TEXT.index(first), TEXT.index(last) + len(last)
    assert "\n\n" in TEXT[start:end]  # the text itself breaks the paragraph there
    match = locate(TEXT, f"{first} {last}")
    assert (match.start, match.end, match.exact) == (start, end, False)


def test_the_articles_mismatched_quote_marks_are_found():
    # The article opens this quotation with " and closes it with ' (a slip kept verbatim).
    quote = '"no one can interfere with that. We are the only ones to make such decisions"'
    own = quote[:-1] + "'"
    assert TEXT.count(own) == 1 and quote not in TEXT
    match = locate(TEXT, quote)
    assert TEXT[match.start:match.end] == own


# --- properties -----------------------------------------------------------------------------------

@PROPERTY
@given(text=st.text(alphabet="ab \n\"'\u201c.", max_size=40), data=st.data())
def test_exact_matches_are_every_occurrence_of_the_slice(text, data):
    start = data.draw(st.integers(0, len(text)))
    end = data.draw(st.integers(start, len(text)))
    quote = text[start:end]
    if not quote.strip():
        with pytest.raises(AnchorError):
            find_all(text, quote)
        return
    expected = occurrences(text, quote)
    matches = find_all(text, quote)
    assert spans(matches) == expected
    assert all(m.exact and text[m.start:m.end] == quote for m in matches)
    if len(expected) == 1:
        assert (locate(text, quote).start, locate(text, quote).end) == expected[0]
    else:
        with pytest.raises(AnchorError) as caught:
            locate(text, quote)
        assert spans(caught.value.matches) == expected


# A quotation is words of a, b and quote marks (Q); the text around it has words of x, y, z only,
# so the quotation can only be found where it was put.
words = st.lists(st.text(alphabet="abQ", min_size=1, max_size=4), min_size=1, max_size=5)
filler = st.lists(st.text(alphabet="xyz", min_size=1, max_size=3), max_size=4)


def render(draw, tokens: list[str], marks: list[str], spaces: list[str]) -> str:
    """Words joined by drawn whitespace, each Q replaced by a drawn quote mark."""
    out = []
    for i, token in enumerate(tokens):
        if i:
            out.append(draw(st.sampled_from(spaces)))
        out.append("".join(draw(st.sampled_from(marks)) if ch == "Q" else ch for ch in token))
    return "".join(out)


@st.composite
def quotation_in_text(draw, copies: int = 1):
    """(text, its own rendering of the quotation, the quotation as an annotator typed it)."""
    tokens = draw(words)
    own = render(draw, tokens, STRAIGHT + CURLY, SPACES)
    typed = render(draw, tokens, STRAIGHT + CURLY, [" ", "  ", "\n"])
    parts = [" ".join(draw(filler)), own]
    for _ in range(copies - 1):  # filler between copies, so they cannot run together
        parts += [" ".join(draw(filler.filter(bool))), own]
    parts.append(" ".join(draw(filler)))
    text = draw(st.sampled_from(SPACES)).join(p for p in parts if p)
    return text, own, typed


@PROPERTY
@given(quotation_in_text())
def test_tolerant_match_returns_the_texts_own_version(case):
    text, own, typed = case
    match = locate(text, typed)
    assert (match.start, match.end) == (text.index(own), text.index(own) + len(own))
    assert text[match.start:match.end] == own
    assert match.exact == (typed in text)


@PROPERTY
@given(quotation_in_text(copies=2))
def test_a_quotation_in_two_places_is_ambiguous(case):
    text, own, typed = case
    first = text.index(own)
    second = text.index(own, first + len(own))
    expected = [(first, first + len(own)), (second, second + len(own))]
    assert_ambiguous(text, typed, expected)


def test_anchor_is_reachable_from_the_package():
    assert stances.text.anchor.locate is locate


# --- small made-up texts: the rules one at a time ----------------------------------------------

def test_an_exact_occurrence_wins_over_tolerant_ones():
    text = 'He said \u201cyes\u201d and then "yes" again'
    matches = find_all(text, '"yes"')
    assert spans(matches) == [(text.index('"yes"'), text.index('"yes"') + 5)]
    assert matches[0].exact
    assert locate(text, '"yes"').exact


def test_a_tolerant_match_is_not_exact_and_spans_the_texts_own_characters():
    text = "He said \u201cyes,\u00a0sir\u201d today"
    match = locate(text, '"yes, sir"')
    assert (match.start, match.end, match.exact) == (8, 18, False)
    assert text[match.start:match.end] == "\u201cyes,\u00a0sir\u201d"


def test_spaces_around_a_quote_are_not_part_of_a_tolerant_match():
    text = "He said \u201cyes\u201d today"
    match = locate(text, '  "yes"\n')
    assert text[match.start:match.end] == "\u201cyes\u201d"


def test_any_run_of_whitespace_matches_any_other_run():
    text = "one  two\n\nthree\tfour"
    match = locate(text, "one two three four")
    assert (match.start, match.end, match.exact) == (0, len(text), False)
    assert locate(text, "two   \n three").start == text.index("two")
    assert find_all(text, "onetwo") == ()  # but whitespace cannot vanish


def test_a_quote_mark_matches_any_quote_mark_but_nothing_else():
    text = "a 'b' \u201cc\u201d \u2018d\u2019 xey"
    assert locate(text, '"b"').start == 2
    assert locate(text, "'c'").start == 6
    assert locate(text, '"d"').start == 10
    assert find_all(text, 'x"y') == ()  # a quote mark is not a wildcard for letters


def test_the_first_character_of_the_text_counts():
    assert spans(find_all("ab ab", "ab")) == [(0, 2), (3, 5)]
    assert spans(find_all("\u201cab\u201d ab", '"ab"')) == [(0, 4)]


def test_a_match_is_a_frozen_value():
    match = locate("abc", "b")
    assert match == find_all("abc", "b")[0]
    assert hash(match) == hash(find_all("abc", "b")[0])
    with pytest.raises(AttributeError):
        match.start = 0  # type: ignore[misc]


def test_an_anchor_error_is_a_lookup_error_with_the_matches():
    with pytest.raises(LookupError) as caught:
        locate("abc", "x")
    assert isinstance(caught.value, AnchorError)
    assert caught.value.matches == ()
    assert "quote not found: 'x'" in str(caught.value)
    error = assert_ambiguous("x y x", "x", [(0, 1), (4, 5)])
    assert "2 times" in str(error)
