"""Where a text names its actors: every name, label and alias of ``actors.csv`` compiled once into
one regular expression, so that finding them costs one pass over the text however many actors a
study has.

The names go into a trie, written out as one alternation in which names that share a beginning
share its branch (``Smith|Smith's office`` becomes ``Smith(?:'s office)?``), so at
each character the engine follows at most one branch instead of trying every name. A name matches
with its first letter in either case and the rest as written, between non-word characters (a
hyphen counts as a word character: "Ruritania" is not found in "Ruritania-backed"); where names overlap,
the longest wins, then the one that holds a possessive ("Smith's office" over "Jane Q.
Smith"), then the first.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from functools import lru_cache

import pandas as pd

from stances.corpus.actors import AUTHOR_KIND, authors


@dataclass(frozen=True)
class Mention:
    start: int
    end: int
    actor: str
    possessive: bool


def names(actors: pd.DataFrame) -> tuple[tuple[str, str], ...]:
    """(surface form, actor_id): names, labels, aliases and a person's surname; the first actor
    to claim a form keeps it. The author, never named in its own text, has none."""
    forms: dict[str, str] = {}
    voice = authors(actors)
    for row in actors.itertuples(index=False):
        if row.actor_id in voice:
            continue
        found = [row.name, getattr(row, "label", None)]
        found += str(row.aliases).split(";") if not pd.isna(row.aliases) else []
        if row.kind == "person":
            found.append(str(row.name).split()[-1])
        for form in found:
            if isinstance(form, str) and form.strip():
                forms.setdefault(form.strip(), row.actor_id)
    return tuple(forms.items())


def _trie(words: list[str]) -> str:
    """One regex matching exactly ``words``, longest first where one is a prefix of another."""
    root: dict = {}
    for word in words:
        node = root
        for char in word:
            node = node.setdefault(char, {})
        node[""] = True

    def pattern(node: dict) -> str:
        ends = "" in node
        branches = [re.escape(char) + pattern(child) for char, child in sorted(node.items()) if char]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        if ends:  # a word ends here and longer ones go on: try the longer first (greedy ?)
            return f"(?:{body})?"
        return body

    return pattern(root)


class Matcher:
    """All of a study's actor names in one compiled pattern; ``find(text)`` lists the mentions;
    ``kinds`` maps each actor to its kind (a "he" refers to a ``person``); ``author``: the id of
    the text's own voice (``author_id``)."""

    def __init__(self, forms: tuple[tuple[str, str], ...], kinds: dict[str, str], author: str):
        self.kinds, self.author = kinds, author
        self.actor = {}
        variants = []
        for form, actor in forms:
            for first in dict.fromkeys((form[0].upper(), form[0].lower())):
                variant = first + form[1:]
                if variant not in self.actor:
                    self.actor[variant] = actor
                    variants.append(variant)
        # a lookahead: the longest name at every position, overlapping ones included
        self.pattern = re.compile(rf"(?<![\w-])(?=({_trie(variants)})(?![\w-]))") if variants else None

    def find(self, text: str) -> list[Mention]:
        if self.pattern is None:
            return []
        spans = [(m.start(), m.end(1)) for m in self.pattern.finditer(text)]
        taken: list[tuple[int, int]] = []  # sorted, non-overlapping
        # longest first; of two as long, the one that holds a possessive ("Smith's office")
        for start, end in sorted(spans, key=lambda s: (s[0] - s[1], "'s" not in text[s[0]:s[1]], s[0])):
            k = bisect.bisect_left(taken, (start, end))
            if (k and taken[k - 1][1] > start) or (k < len(taken) and taken[k][0] < end):
                continue
            taken.insert(k, (start, end))
        return [Mention(start, end, self.actor[text[start:end]], text.startswith("'s", end))
                for start, end in taken]


@lru_cache(maxsize=8)
def _compiled(forms: tuple[tuple[str, str], ...], kinds: tuple[tuple[str, str], ...], author: str) -> Matcher:
    return Matcher(forms, dict(kinds), author)


def matcher(actors: pd.DataFrame) -> Matcher:
    """The matcher of ``actors``, compiled once per set of names (cached). Reading the names
    costs about 30 ms per 1,000 actors: a run over many documents builds it once and passes it
    to every call (``suggest(text, actors, matcher=...)``)."""
    kinds = tuple(zip(actors["actor_id"].tolist(), actors["kind"].tolist(), strict=True))
    return _compiled(names(actors), kinds, author_id(actors))


def author_id(actors: pd.DataFrame | None) -> str:
    """The id the suggester gives the text's own voice: the study's actor of kind ``author``
    (``stances.corpus.actors.authors``), or ``author``, as ``init`` names it, when it has none."""
    return min(authors(actors), default=AUTHOR_KIND) if actors is not None and len(actors) else AUTHOR_KIND

