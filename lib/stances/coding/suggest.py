"""Suggested statements: a coding sheet pre-filled with candidate units a coder accepts or rejects.

Rules, no model (nothing is downloaded, the same text always gives the same sheet):

1. A sentence is cut into clauses at a comma or semicolon that opens a new clause ("…, although
   he…", "…, arguing that…", "…, which…", "…; …", or a comma before an actor's name) and at a
   dash between spaces, never inside a quotation; an opening "according to X," stays with the
   clause it introduces, and a piece of three words or fewer ("For this reason,") is no
   candidate of its own.
2. Every quotation (straight, typographic, low or angle quote marks, as
   :func:`stances.text.quotations` finds them) gives a ``direct_quote`` candidate: from the start
   of its clause to the closing mark, and on to the end of the tag after it (`"…," Annan said`,
   `"…," said Annan, adding …`). A quotation over several sentences is one candidate: the
   sentences inside it give none of their own.
3. A speech or a deed named by a noun with its actor after it ("the warnings coming from the
   palace", "the pressure exerted by Ruritania") gives its own candidate, from the noun
   to the actor's name: ``reported_speech`` or ``implied_by_action``, that actor speaking.
   Every other clause with a verb or noun of saying, assuring, denying, warning, accusing,
   believing ... (``SPEECH``) gives a ``reported_speech`` candidate: the clause.
4. Every remaining clause is a candidate ``author_assertion``; when it opens with an actor as its
   subject (one of its first words names an actor), that actor is the speaker guess and the
   attribution ``implied_by_action`` (an actor's deed stated by the author).

The speaker guess comes from the actors' names, labels and aliases (``actors.csv``, all compiled
into one matcher, :mod:`stances.coding.matcher`). For a quotation: the actor (or the person a
"he"/"she" refers to: the last person named before it) in the tag after a closing mark; else,
for a quotation with no tag that goes on from the one before (`"…," he said. "There is…"`, or
a paragraph that opens with a quote mark), that quotation's speaker; else as for reported
speech: the actor named in "according to X" in the clause or right after it, else the actor
whose speech a possessive names ("the minister's displeasure"), else the last actor named (not as a
possessive) in the clause before the verb or quote, or the last person named when a "he" or
"she" comes after that name, else the last actor named before the clause in the sentence, else
the subject of the sentence before; ``author`` when none is found. Each row's note says which
rule made it. A coder deletes the rows that carry no position and fills in claim and stance (and
a second row where a unit carries two positions); ``python -m stances code`` refuses a row left
without them.
"""

from __future__ import annotations

import bisect
import re

import pandas as pd

from stances.coding.matcher import Matcher, Mention, matcher
from stances.coding.speakers import ACCORDING, SPEECH, Mentions, according_to, guess, tag_after
from stances.text.sentences import STOPS, sentences

# Words that open a new clause after a comma (a comma before other words stays inside the clause).
_CLAUSE_OPENERS = (
    "although|though|while|whereas|since|so|but|and|which|who|arguing|asserting|saying|according|as|"
    "without|even|despite|regardless|in|if|when|unless|because|the|they|he|she|it"
)
_CLAUSE_BREAK = re.compile(rf"(?:,\s+(?=(?:{_CLAUSE_OPENERS})\b)|;\s+|\s+-\s+)", re.IGNORECASE)
_SUBJECT_WORDS = 3  # an actor named within the clause's first words is taken as its subject
_SHORTEST = 3  # words: a shorter piece before a cut is no clause of its own
_LEADING = {"and", "but", "so", "while", "however", "then", "moreover", "the", "in", "fact", "yet"}
_PREPOSITIONS = {"between", "of", "with", "from", "to", "for", "at", "on", "by", "against", "about", "into"}
_RELATIVE = re.compile(r"(?:which|who|whom|that|as)\b", re.IGNORECASE)  # a clause with no subject of its own
# A speech or an action named by a noun, with its actor: "the warnings coming from the palace".
_NOMINAL = re.compile(
    r"\b(?:the |its |their )?(?:(?P<speech>warnings?|accusations?|threats?|criticism|demands?|"
    r"calls?)|(?P<action>pressure|sanctions))\b(?:[^,.;\"]{0,30}?)\b(?:from|by)\s+",
    re.IGNORECASE,
)


_BETWEEN = " \t\n.,;:"  # all that may stand between a quotation's unit and the one that continues it


def clauses(text: str, mentioned: list[Mention] | None = None, quoted: list[tuple[int, int]] | None = None,
            split: pd.DataFrame | None = None) -> list[tuple[int, int, int]]:
    """(sentence number, start, end) of every clause, in text order (rule 1). A comma before an
    actor's name also opens a clause ("While X supports Y, Ruritania maintains ..."); no cut falls
    inside a quotation; an "according to X," joins the clause it introduces."""
    quoted = _quotations(text) if quoted is None else quoted
    inside = _Inside(quoted)
    names = {m.start for m in mentioned or []}
    found = []
    for number, row in enumerate((sentences(text) if split is None else split).itertuples(index=False), 1):
        start = row.start
        cuts = [*_CLAUSE_BREAK.finditer(text, row.start, row.end),
                *(c for c in _COMMA.finditer(text, row.start, row.end) if c.end() in names)]
        for cut in sorted(cuts, key=lambda c: c.start()):
            if cut.start() < start or inside(cut.start()):
                continue
            if ACCORDING.match(text, start) and len(text[start : cut.start()].split()) <= 6:
                continue
            if len(text[start : cut.start()].split()) > _SHORTEST:  # "For this reason," is no clause
                found.append((number, start, cut.start()))
            start = cut.end()
        end = row.end - 1 if text[row.end - 1] in STOPS else row.end
        if end > start:
            found.append((number, start, end))
    return found


_COMMA = re.compile(r",\s+")


class _Inside:
    """Whether an offset lies strictly inside one of the (non-overlapping) quotations."""

    def __init__(self, quoted: list[tuple[int, int]]):
        self.quoted, self.starts = quoted, [q[0] for q in quoted]

    def __call__(self, at: int) -> tuple[int, int] | None:
        k = bisect.bisect_left(self.starts, at) - 1
        return self.quoted[k] if k >= 0 and self.quoted[k][0] < at < self.quoted[k][1] else None


def _is_subject(before: str) -> bool:
    """Whether an actor named after the clause's words ``before`` is its subject: few words before
    it (leading conjunctions and articles, an opening time phrase such as "On Monday," and the
    title right before the name, "Prime Minister", "U.N. Secretary-General", aside), and no
    preposition right before it."""
    before = _OPENING_TIME.sub("", before)
    raw = before.split()
    while raw and raw[-1][:1].isupper() and raw[-1].lower() not in _LEADING:  # a title before the name
        raw.pop()
    words = [w.strip(",").lower() for w in raw]
    while words and words[0] in _LEADING:
        words.pop(0)
    return len(words) < _SUBJECT_WORDS and not (words and words[-1] in _PREPOSITIONS)


_OPENING_TIME = re.compile(r"^\s*(?:On|Last|This|Earlier|Later)\s+\w+(?:\s+\w+)?,\s*|^\s*\w*day,\s*")


def _quotations(text: str) -> list[tuple[int, int]]:
    """The outermost quotations, (start, end) in text order (one inside another is dropped)."""
    from stances.text.quotations import quotations

    table = quotations(text)
    outer: list[tuple[int, int]] = []
    for start, end in zip(table["start"].tolist(), table["end"].tolist(), strict=True):
        if not outer or start >= outer[-1][1]:
            outer.append((start, end))
    return outer


def _subject(text: str, here: list[Mention], start: int, end: int) -> Mention | None:
    """The actor the clause opens with as its subject (rule 4), if any."""
    if _RELATIVE.match(text, start):
        return None
    return next((m for m in here if start <= m.start < end and not m.possessive
                 and _is_subject(text[start : m.start])), None)


def _nominal(text: str, known: Mentions, start: int, end: int) -> list[tuple]:
    """Rule 3's units named by a noun with their actor after it, inside one clause."""
    rows = []
    for nominal in _NOMINAL.finditer(text, start, end):
        actor = next((m for m in known.between(nominal.end(), nominal.end() + 1)), None)
        if actor is not None:
            kind = "reported_speech" if nominal.group("speech") else "implied_by_action"
            word = nominal.group("speech") or nominal.group("action")
            rows.append((nominal.start(), actor.end, text[nominal.start() : actor.end], actor.actor, kind,
                         f"suggested: {word} by an actor; speaker: the actor named after it"))
    return rows


def suggest(text: str, actors: pd.DataFrame, names: Matcher | None = None) -> pd.DataFrame:
    """Candidate units of ``text``, one row each: start, end, quote, speaker, attribution, note.
    ``names``: the actors' matcher, when the caller built it once for many documents."""
    names = names or matcher(actors)
    found = names.find(text)
    known = Mentions(found, names.kinds, names.author)
    table = sentences(text)
    starts = table["start"].tolist()
    spans = {n: (s, e) for n, (s, e) in enumerate(zip(starts, table["end"], strict=True), 1)}
    quoted = _quotations(text)
    inside = _Inside(quoted)
    q_starts = [q[0] for q in quoted]
    rows, subjects, covered = [], {}, 0
    said: tuple[int, str] | None = None  # where the last quotation's unit ends, and its speaker
    for number, start, end in clauses(text, found, quoted, table):
        if start < covered or inside(start):
            continue  # inside a quotation that opened in an earlier sentence: part of its unit
        sentence = spans[number]
        here = known.between(*sentence)
        lo, hi = bisect.bisect_left(q_starts, start), bisect.bisect_left(q_starts, end)
        opened = quoted[lo:hi]
        head = _subject(text, here, start, end)
        if head and number not in subjects:
            subjects[number] = head.actor
        nominal = _nominal(text, known, start, end)
        rows += nominal
        speech = next((s for s in SPEECH.finditer(text, start, end)  # not a name ("Member States")
                       if not any(r[0] <= s.start() < r[1] for r in nominal)
                       and (s.start() == start or not text[s.start()].isupper())), None)
        speaker = why = None
        if opened:
            cue = min(opened[0][0], speech.start() if speech else opened[0][0])
            attribution, rule = "direct_quote", "quotation"
            end = max(end, opened[-1][1])
            for k, (_, close) in enumerate(opened):  # a tag after the last quotation, or between two
                stop = spans[max(1, bisect.bisect_right(starts, close - 1))][1]  # its sentence's end
                stop = min(stop, opened[k + 1][0]) if k + 1 < len(opened) else stop
                tag = tag_after(text, known, close, stop)
                if tag:
                    end = max(end, tag[0]) if k + 1 == len(opened) else end
                    speaker, why = speaker or tag[1], why or tag[2]
            if speaker is None and start == opened[0][0] and said and not text[said[0]:start].strip(_BETWEEN):
                speaker, why = said[1], "the speaker of the quotation it continues"
        elif speech:
            cue, attribution = speech.start(), "reported_speech"
            rule = f"reported speech ({speech.group()!r})"
        else:
            cue = None
        if cue is not None and speaker is None:
            according = according_to(text, known, start, min(end + 20, sentence[1]))  # in it, or after
            speaker, why = ((according.actor, "named in 'according to'") if according
                            else guess(text, known, sentence, start, cue, subjects.get(number - 1)))
        if cue is None:
            rule = "clause"
            speaker, attribution, why = ((head.actor, "implied_by_action", "the clause's subject") if head
                                         else (known.author, "author_assertion", "the author's own voice"))
        if opened:
            said = (end, speaker)
        covered = max(covered, end)
        rows.append((start, end, text[start:end], speaker, attribution, f"suggested: {rule}; speaker: {why}"))
    table = pd.DataFrame(rows, columns=["start", "end", "quote", "speaker", "attribution", "note"])
    table = table.drop_duplicates(["start", "end"]).sort_values(["start", "end"], kind="stable")
    return table.reset_index(drop=True)

