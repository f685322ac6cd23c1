"""stances.text.sentences: sentence boundaries (sentencex) with exact offsets into the text."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from stances.text.sentences import sentences


def split(text: str) -> list[tuple[int, int, str]]:
    return list(sentences(text).itertuples(index=False, name=None))


@pytest.mark.parametrize(("text", "expected"), [
    ("U.N. Secretary-General Kofi Annan said.", [(0, 39, "U.N. Secretary-General Kofi Annan said.")]),
    ("Mr. Smith arrived. He left.", [(0, 18, "Mr. Smith arrived."), (19, 27, "He left.")]),
    ("Growth was 3.5 percent. Prices rose 2.1 percent.",
     [(0, 23, "Growth was 3.5 percent."), (24, 48, "Prices rose 2.1 percent.")]),
    ("J. R. R. Tolkien wrote it. He died in 1973.",
     [(0, 26, "J. R. R. Tolkien wrote it."), (27, 43, "He died in 1973.")]),
    ("Dr. Jones met Gen. Smith at 5 p.m. on Friday. They spoke.",
     [(0, 45, "Dr. Jones met Gen. Smith at 5 p.m. on Friday."), (46, 57, "They spoke.")]),
    ("The U.S. economy grew. The E.U. did not.",
     [(0, 22, "The U.S. economy grew."), (23, 40, "The E.U. did not.")]),
], ids=["title-after-U.N.", "Mr.", "decimals", "initials", "titles-and-p.m.", "U.S.-E.U."])
def test_abbreviations_titles_initials_and_decimals_do_not_end_a_sentence(text, expected):
    assert split(text) == expected


@pytest.mark.parametrize(("text", "expected"), [
    ('He said: "We are ready. We will go." Then he left.',
     [(0, 36, 'He said: "We are ready. We will go."'), (37, 50, "Then he left.")]),
    ("\u201cWe are ready. We will go,\u201d Annan said. He left.",
     [(0, 39, "\u201cWe are ready. We will go,\u201d Annan said."), (40, 48, "He left.")]),
    ('"We are ready," Annan said. "We will go."',
     [(0, 27, '"We are ready," Annan said.'), (28, 41, '"We will go."')]),
], ids=["straight", "typographic", "quote-after-said"])
def test_a_stop_inside_a_quotation_does_not_end_the_sentence(text, expected):
    assert split(text) == expected


def test_offsets_are_exact_with_repeated_whitespace_repeated_sentences_and_crlf():
    text = "  Hello.   Hello.\r\n\r\nHello.  "
    assert split(text) == [(2, 8, "Hello."), (11, 17, "Hello."), (21, 27, "Hello.")]


def test_a_line_break_ends_a_sentence_and_a_headline_is_one():
    text = "Meeting between leaders\n\nThe leaders met. They talked.\nA subheading\n"
    assert split(text) == [(0, 23, "Meeting between leaders"), (25, 41, "The leaders met."),
                           (42, 54, "They talked."), (55, 67, "A subheading")]
    assert split("") == [] and split(" \n\n\t") == []
    assert list(sentences("").columns) == ["start", "end", "sentence"]


_TOKENS = ["Mr.", "U.N.", "said", '"Go.', 'it."', "'no.'", "\u201cYes.\u201d", "3.5", "J.", "Annan", "the",
           "end.", "Why?", "Wow!", "(see p. 5.)", "e.g.", "...", ". . .", "\u2014", "a.m.", "1.", "\u2022"]


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(_TOKENS), st.sampled_from([" ", "  ", "\t", "\n", "\xa0", "\n\n"])),
                max_size=30))
def test_sentences_tile_the_text_in_order(pieces):
    """Every non-blank character is in exactly one sentence; sentences are in order, never
    start or end with whitespace, hold no line break, and are the text at their offsets."""
    text = "".join(token + gap for token, gap in pieces)
    rows = split(text)
    covered = [False] * len(text)
    last = 0
    for start, end, sentence in rows:
        assert last <= start < end and text[start:end] == sentence
        assert sentence == sentence.strip() and "\n" not in sentence
        covered[start:end] = [True] * (end - start)
        last = end
    assert all(covered[i] or text[i].isspace() for i in range(len(text)))


def test_each_call_gets_its_own_frame():
    """Results are cached per text, but a caller may change its frame (``_factcheck`` sets the index)."""
    first = sentences("One. Two.")
    first.index = first.index + 1
    assert list(sentences("One. Two.").index) == [0, 1]
