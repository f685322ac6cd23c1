"""Who speaks: the speaker guesses of the suggester (``stances.coding.suggest``), from the actors a
text names around a verb of saying or a quotation.

* :class:`Mentions`: a document's mentions, found by position, and the person a "he" or "she"
  refers to (the last person named before it);
* :func:`tag_after`: the tag after a closing quote mark (`"…," Annan said`, `said Annan`, `he
  said`, `responded Mr. Bone`, `according to X`);
* :func:`according_to`: the actor an "according to" names;
* :func:`guess`: the guess for speech whose verb or quotation is at a given place (the order
  of the rules is the suggester's module docstring).
"""

from __future__ import annotations

import bisect
import re

from stances.coding.matcher import Mention

SPEECH = re.compile(
    r"\b(?:s(?:ays?|aid)|told|tell(?:s|ing)?|claim(?:s|ed|ing)?|assur(?:e|es|ed|ing)|assert(?:s|ed|ing)?|"
    r"den(?:y|ies|ied|ying)|warn(?:s|ed|ing)?|warnings?|accus(?:e|es|ed|ing|ations?)|"
    r"describ(?:e|es|ed|ing)|believ(?:e|es|ed|ing)|argu(?:e|es|ed|ing)|defend(?:s|ed|ing)?|"
    r"insist(?:s|ed|ing)?|stat(?:e|es|ed|ing)|announc(?:e|es|ed|ing)|declar(?:e|es|ed|ing)|"
    r"reject(?:s|ed|ing)?|prais(?:e|es|ed|ing)|call(?:s|ed)? (?:for|on)|urg(?:e|es|ed|ing)|"
    r"demand(?:s|ed|ing)?|promis(?:e|es|ed|ing)|threat(?:en|ens|ened)?|displeasure|critici[sz](?:e|es|ed|m)|advis(?:e|es|ed)|"
    r"condemn(?:s|ed)?|invit(?:e|es|ed|ing)|see(?:s)? (?:it |them )?as|according to|"
    r"agree(?:s|d)? (?:that|with)|want(?:s|ed)?|hold(?:s)? that|stress(?:es|ed)?|"
    r"complain(?:s|ed)?|admit(?:s|ted)?|acknowledg(?:e|es|ed)|return the accusation|"
    r"replied|answered|add(?:s|ed|ing)|explain(?:s|ed|ing)?|respond(?:s|ed|ing)?|continu(?:es|ed)|"
    r"wr(?:ote|ites)|not(?:es|ed)|ask(?:s|ed)|reveal(?:s|ed)|confirm(?:s|ed)?|pledg(?:e|es|ed)|vow(?:s|ed)?|"
    r"conclud(?:es|ed)|(?<!-)call(?:s|ed)?(?! (?:off|up|in)\b))\b",
    re.IGNORECASE,
)
ACCORDING = re.compile(r"\baccording to\b", re.IGNORECASE)
_PRONOUN = re.compile(r"\b(?:he|she)\b", re.IGNORECASE)


class Mentions:
    """The document's mentions, searchable by position (bisect), the kind of each actor, and the
    author (the speaker when no actor is)."""

    def __init__(self, found: list[Mention], kinds: dict[str, str], author: str):
        self.found, self.starts, self.author = found, [m.start for m in found], author
        self.people = [m for m in found if kinds.get(m.actor) == "person" and not m.possessive]
        self.people_starts = [m.start for m in self.people]

    def between(self, start: int, end: int) -> list[Mention]:
        return self.found[bisect.bisect_left(self.starts, start) : bisect.bisect_left(self.starts, end)]

    def last_person(self, before: int) -> Mention | None:
        """The last person named before ``before``: whom a "he" or "she" there refers to."""
        k = bisect.bisect_left(self.people_starts, before) - 1
        return self.people[k] if k >= 0 else None


def guess(text: str, known: Mentions, sentence: tuple[int, int], clause_start: int, cue: int,
             previous_subject: str | None) -> tuple[str, str]:
    """The speaker guess for speech whose verb or quote is at ``cue`` (see the module docstring)."""
    s_start, s_end = sentence
    here = known.between(s_start, s_end)
    owner = [m for m in here if m.possessive and clause_start <= m.start and cue - 4 <= m.end <= cue]
    if owner:  # "the minister's displeasure", "the government's claim"
        return owner[-1].actor, "the actor whose speech it is"
    named = [m for m in here if not m.possessive]
    before_cue = [m for m in named if clause_start <= m.start < cue]
    pronoun = [p for p in _PRONOUN.finditer(text, clause_start, cue)]
    if before_cue and not (pronoun and pronoun[-1].start() > before_cue[-1].start):
        return before_cue[-1].actor, "the actor named before the verb"
    if pronoun and (person := known.last_person(pronoun[-1].start())):
        return person.actor, f"{pronoun[-1].group()!r}: the last person named"
    earlier = [m for m in named if m.start < clause_start]
    if earlier:
        return earlier[-1].actor, "the last actor named before the clause"
    if previous_subject:
        return previous_subject, "the subject of the sentence before"
    return known.author, "no actor named"


def tag_after(text: str, known: Mentions, close: int, stop: int) -> tuple[int, str, str] | None:
    """The tag right after a closing quote mark (`"…," Annan said` / `said Annan` / `he said` /
    `responded Mr. Bone` / `according to X`): the piece up to the next comma, stop or quote
    mark, of at most ``_TAG_WORDS`` words, with a verb of saying and an actor or a "he"/"she" in
    it. Returns where the tag ends and the speaker it names (a pronoun: the last person named),
    or None when no tag follows."""
    lead = re.match(r"[\s,.:;]*", text[close:stop]).end()
    piece = _TAG_PIECE.match(text, close + lead, stop)
    if piece is None or not piece.group().strip() or len(piece.group().split()) > _TAG_WORDS:
        return None
    start, end = piece.start(), piece.end() - (len(piece.group()) - len(piece.group().rstrip()))
    if not SPEECH.search(text, start, end):
        return None
    for mention in known.between(start, end):
        if not mention.possessive:
            return end, mention.actor, "the actor named in the tag after the quotation"
    pronoun = _PRONOUN.search(text, start, end)
    if pronoun and (person := known.last_person(pronoun.start())):
        return end, person.actor, f"{pronoun.group()!r} in the tag: the last person named"
    return None


_STOPS = ",.;:!?\"\u201c\u201d\u201e\u00ab\u00bb\n"  # a tag ends at any of these, but "Mr." goes on
_TAG_PIECE = re.compile(rf"[^{_STOPS}]*(?:\.(?<=Mr\.|Ms\.|Dr\.)[^{_STOPS}]*)*")
_TAG_WORDS = 8


def according_to(text: str, known: Mentions, start: int, stop: int) -> Mention | None:
    """The actor named right after an "according to" between ``start`` and ``stop``."""
    for cue in ACCORDING.finditer(text, start, stop):
        for mention in known.between(cue.end(), cue.end() + 31):
            if not mention.possessive:
                return mention
    return None
