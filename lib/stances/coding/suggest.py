"""Suggested statements: a coding sheet pre-filled with candidate units a coder accepts or rejects.

Rules, no model (nothing is downloaded, the same text always gives the same sheet):

1. A sentence is cut into clauses at a comma or semicolon that opens a new clause ("…, although
   he…", "…, arguing that…", "…, which…", "…; …", or a comma before an actor's name) and at a
   dash between spaces, never inside a quotation; an opening "according to X," stays with the
   clause it introduces, and a piece of three words or fewer ("For this reason,") is no
   candidate of its own.
2. Every quotation (a double quote mark opening after a space or line start, closed by the next
   mark, as :func:`stances.criticism.quotations` finds them) gives a ``direct_quote`` candidate:
   from the start of its clause to the closing mark.
3. A speech or a deed named by a noun with its actor after it ("the warnings coming from the
   White House", "the pressure exerted by Washington") gives its own candidate, from the noun
   to the actor's name: ``reported_speech`` or ``implied_by_action``, that actor speaking.
   Every other clause with a verb or noun of saying, assuring, denying, warning, accusing,
   believing ... (``SPEECH``) gives a ``reported_speech`` candidate: the clause.
4. Every remaining clause is a candidate ``author_assertion``; when it opens with an actor as its
   subject (one of its first words names an actor), that actor is the speaker guess and the
   attribution ``implied_by_action`` (an actor's deed stated by the author).

The speaker guess comes from the actors' names, labels and aliases (``actors.csv``): for a
quotation or reported speech, the actor named in "according to X" in the clause or right after
its quotation, else the actor whose speech a possessive names ("France's displeasure"), else the
last actor named (not as a possessive, "Russia's …") in the clause before the verb or quote, else the
last actor named before the clause in the sentence, else the subject of the sentence before;
``author`` when none is found. Each row's note says which rule made it. A coder deletes the rows
that carry no position and fills in claim and stance (and a second row where a unit carries two
positions); ``python -m stances code`` refuses a row left without them.
"""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass

import pandas as pd

from stances.text.sentences import sentences

SPEECH = re.compile(
    r"\b(?:s(?:ays?|aid)|told|tell(?:s|ing)?|claim(?:s|ed|ing)?|assur(?:e|es|ed|ing)|assert(?:s|ed|ing)?|"
    r"den(?:y|ies|ied|ying)|warn(?:s|ed|ing)?|warnings?|accus(?:e|es|ed|ing|ations?)|"
    r"describ(?:e|es|ed|ing)|believ(?:e|es|ed|ing)|argu(?:e|es|ed|ing)|defend(?:s|ed|ing)?|"
    r"insist(?:s|ed|ing)?|stat(?:e|es|ed|ing)|announc(?:e|es|ed|ing)|declar(?:e|es|ed|ing)|"
    r"reject(?:s|ed|ing)?|prais(?:e|es|ed|ing)|call(?:s|ed)? (?:for|on)|urg(?:e|es|ed|ing)|"
    r"demand(?:s|ed|ing)?|promis(?:e|es|ed|ing)|threat(?:en|ens|ened)?|displeasure|criticis(?:e|es|ed|m)|"
    r"condemn(?:s|ed)?|invit(?:e|es|ed|ing)|see(?:s)? (?:it |them )?as|according to|"
    r"agree(?:s|d)? (?:that|with)|want(?:s|ed)?|hold(?:s)? that|stress(?:es|ed)?|"
    r"complain(?:s|ed)?|admit(?:s|ted)?|acknowledg(?:e|es|ed)|return the accusation|"
    r"replied|answered)\b",
    re.IGNORECASE,
)
# Words that open a new clause after a comma (a comma before other words stays inside the clause).
_OPENERS = (
    "although|though|while|whereas|since|so|but|and|which|who|arguing|asserting|saying|according|as|"
    "without|even|despite|regardless|in|if|when|unless|because|the|they|he|she|it"
)
_CLAUSE_BREAK = re.compile(rf"(?:,\s+(?=(?:{_OPENERS})\b)|;\s+|\s+-\s+)", re.IGNORECASE)
_ACCORDING = re.compile(r"\baccording to\b", re.IGNORECASE)
_SUBJECT_WORDS = 3  # an actor named within the clause's first words is taken as its subject
_SHORTEST = 3  # words: a shorter piece before a cut is no clause of its own
_LEADING = {"and", "but", "so", "while", "however", "then", "moreover", "the", "in", "fact", "yet"}
_PREPOSITIONS = {"between", "of", "with", "from", "to", "for", "at", "on", "by", "against", "about", "into"}
_RELATIVE = re.compile(r"(?:which|who|whom|that|as)\b", re.IGNORECASE)  # a clause with no subject of its own
# A speech or an action named by a noun, with its actor: "the warnings coming from the White House".
_NOMINAL = re.compile(
    r"\b(?:the |its |their )?(?:(?P<speech>warnings?|accusations?|threats?|criticism|demands?|"
    r"calls?)|(?P<action>pressure|sanctions))\b(?:[^,.;\"]{0,30}?)\b(?:from|by)\s+",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Mention:
    start: int
    end: int
    actor: str
    possessive: bool


def _names(actors: pd.DataFrame) -> list[tuple[str, str]]:
    """(surface form, actor_id), longest first: names, labels, aliases, a person's surname."""
    forms = {}
    for row in actors.itertuples(index=False):
        if row.actor_id == "author":
            continue
        found = [row.name, getattr(row, "label", None)]
        found += str(row.aliases).split(";") if not pd.isna(row.aliases) else []
        if row.kind == "person":
            found.append(str(row.name).split()[-1])
        for form in found:
            if isinstance(form, str) and form.strip():
                forms.setdefault(form.strip(), row.actor_id)
    # longest first; of two as long, the one that holds a possessive ("Erdogan's government")
    return sorted(forms.items(), key=lambda item: (-len(item[0]), "'s" not in item[0]))


def mentions(text: str, actors: pd.DataFrame) -> list[Mention]:
    """Every place the text names an actor (longest form wins), in text order."""
    taken = [False] * len(text)
    found = []
    for form, actor in _names(actors):
        first, rest = form[0], re.escape(form[1:])
        pattern = re.compile(
            rf"(?<![\w-])[{re.escape(first.upper())}{re.escape(first.lower())}]{rest}(?![\w-])"
        )
        for match in pattern.finditer(text):
            if any(taken[match.start() : match.end()]):
                continue
            taken[match.start() : match.end()] = [True] * (match.end() - match.start())
            found.append(Mention(match.start(), match.end(), actor, text.startswith("'s", match.end())))
    return sorted(found, key=lambda m: m.start)


def clauses(text: str, mentioned: list[Mention] | None = None) -> list[tuple[int, int, int]]:
    """(sentence number, start, end) of every clause, in text order (rule 1). A comma before an
    actor's name also opens a clause ("While X supports Y, Ankara maintains ..."); no cut falls
    inside a quotation; an "according to X," joins the clause it introduces."""
    quoted = _quotations(text)
    names = {m.start for m in mentioned or []}
    found = []
    for number, row in enumerate(sentences(text).itertuples(index=False), 1):
        start = row.start
        cuts = [
            *_CLAUSE_BREAK.finditer(text, row.start, row.end),
            *(
                c
                for c in re.finditer(r",\s+", text[: row.end])
                if c.start() >= row.start and c.end() in names
            ),
        ]
        for cut in sorted(cuts, key=lambda c: c.start()):
            if cut.start() < start or any(q_start < cut.start() < q_end for q_start, q_end in quoted):
                continue
            if _ACCORDING.match(text, start) and len(text[start : cut.start()].split()) <= 6:
                continue
            if len(text[start : cut.start()].split()) > _SHORTEST:  # "For this reason," is no clause
                found.append((number, start, cut.start()))
            start = cut.end()
        end = row.end - 1 if text[row.end - 1] in ".!?" else row.end
        if end > start:
            found.append((number, start, end))
    return found


def _is_subject(before: str) -> bool:
    """Whether an actor named after the clause's words ``before`` is its subject: few words before
    it (leading conjunctions and articles aside), and no preposition right before it."""
    words = [w.strip(",").lower() for w in before.split()]
    while words and words[0] in _LEADING:
        words.pop(0)
    return len(words) < _SUBJECT_WORDS and not (words and words[-1] in _PREPOSITIONS)


def _quotations(text: str) -> list[tuple[int, int]]:
    from stances.text.quotations import quotations

    table = quotations(text)
    return list(zip(table["start"].tolist(), table["end"].tolist(), strict=True))


def _speaker(
    mentions_: list[Mention],
    sentence: tuple[int, int],
    clause_start: int,
    cue: int,
    previous_subject: str | None,
) -> tuple[str, str]:
    """The speaker guess for speech whose verb or quote is at ``cue`` (see the module docstring)."""
    s_start, s_end = sentence
    owner = [m for m in mentions_ if m.possessive and clause_start <= m.start and cue - 4 <= m.end <= cue]
    if owner:  # "France's displeasure", "Turkey's claim"
        return owner[-1].actor, "the actor whose speech it is"
    named = [m for m in mentions_ if s_start <= m.start < s_end and not m.possessive]
    before_cue = [m for m in named if clause_start <= m.start < cue]
    if before_cue:
        return before_cue[-1].actor, "the actor named before the verb"
    earlier = [m for m in named if m.start < clause_start]
    if earlier:
        return earlier[-1].actor, "the last actor named before the clause"
    if previous_subject:
        return previous_subject, "the subject of the sentence before"
    return "author", "no actor named"


def _according_to(text: str, mentions_: list[Mention], start: int, stop: int) -> Mention | None:
    """The actor named right after an "according to" between ``start`` and ``stop``."""
    for cue in _ACCORDING.finditer(text, start, stop):
        for mention in mentions_:
            if cue.end() <= mention.start <= cue.end() + 30 and not mention.possessive:
                return mention
    return None


def _subject(text: str, mentions_: list[Mention], start: int, end: int) -> Mention | None:
    """The actor the clause opens with as its subject (rule 4), if any."""
    if _RELATIVE.match(text, start):
        return None
    return next(
        (
            m
            for m in mentions_
            if start <= m.start < end and not m.possessive and _is_subject(text[start : m.start])
        ),
        None,
    )


def _nominal(text: str, mentions_: list[Mention], start: int, end: int) -> list[tuple]:
    """Rule 3's units named by a noun with their actor after it, inside one clause."""
    rows = []
    for nominal in _NOMINAL.finditer(text, start, end):
        actor = next((m for m in mentions_ if m.start == nominal.end()), None)
        if actor is not None:
            kind = "reported_speech" if nominal.group("speech") else "implied_by_action"
            rows.append(
                (
                    nominal.start(),
                    actor.end,
                    text[nominal.start() : actor.end],
                    actor.actor,
                    kind,
                    f"suggested: {nominal.group('speech') or nominal.group('action')} by an actor; "
                    "speaker: the actor named after it",
                )
            )
    return rows


def suggest(text: str, actors: pd.DataFrame) -> pd.DataFrame:
    """Candidate units of ``text``, one row each: start, end, quote, speaker, attribution, note."""
    found = mentions(text, actors)
    spans = {n: (row.start, row.end) for n, row in enumerate(sentences(text).itertuples(index=False), 1)}
    quoted = _quotations(text)
    rows, subjects = [], {}
    for number, start, end in clauses(text, found):
        sentence = spans[number]
        opened = [(q_start, q_end) for q_start, q_end in quoted if start <= q_start < end]
        reach = max([end, *(q_end for _, q_end in opened)])
        according = _according_to(
            text, found, start, min(reach + 20, sentence[1])
        )  # in it, or after its quote
        head = _subject(text, found, start, end)
        if head and number not in subjects:
            subjects[number] = head.actor
        nominal = _nominal(text, found, start, end)
        rows += nominal
        speech = next(
            (
                s
                for s in SPEECH.finditer(text, start, end)
                if not any(r[0] <= s.start() < r[1] for r in nominal)
            ),
            None,
        )
        if opened:
            cue = min(opened[0][0], speech.start() if speech else opened[0][0])
            attribution, rule = "direct_quote", "quotation"
            end = max(end, min(max(q_end for _, q_end in opened), sentence[1]))
        elif speech:
            cue, attribution, rule = (
                speech.start(),
                "reported_speech",
                f"reported speech ({speech.group()!r})",
            )
        else:
            cue = None
        if cue is not None:
            speaker, why = (
                (according.actor, "named in 'according to'")
                if according
                else _speaker(found, sentence, start, cue, subjects.get(number - 1))
            )
        elif head:
            speaker, attribution, why, rule = (
                head.actor,
                "implied_by_action",
                "the clause's subject",
                "clause",
            )
        else:
            speaker, attribution, why, rule = "author", "author_assertion", "the author's own voice", "clause"
        rows.append((start, end, text[start:end], speaker, attribution, f"suggested: {rule}; speaker: {why}"))
    table = pd.DataFrame(rows, columns=["start", "end", "quote", "speaker", "attribution", "note"])
    table = table.drop_duplicates(["start", "end"]).sort_values(["start", "end"], kind="stable")
    return table.reset_index(drop=True)


def sheet_rows(text: str, table: pd.DataFrame) -> list[list[str]]:
    """The candidates as coding-sheet rows (``occurrence`` filled where the quote recurs)."""
    from stances.text.anchor import find_all

    rows = []
    for row in table.itertuples(index=False):
        matches = find_all(text, row.quote)
        occurrence = (
            ""
            if len(matches) == 1
            else str(next(i for i, m in enumerate(matches, 1) if m.start == row.start))
        )
        rows.append([row.speaker, "", "", row.attribution, row.quote, occurrence, "", "", row.note])
    return rows


def suggest_command(args) -> int:
    from pathlib import Path

    from stances.coding.actors import propose_actors
    from stances.coding.sheet import SHEET_COLUMNS, _rows_in, _text_or_error, print_csv, write_table

    text = _text_or_error(args.data_dir, args.doc_id)
    if text is None:
        return 1
    try:
        actors = pd.read_csv(
            Path(args.data_dir) / "actors.csv", dtype="string", keep_default_na=False, na_values=[""]
        )
        missing = {"actor_id", "name", "kind", "aliases"} - set(actors.columns)
        if missing:
            raise ValueError(f"missing column(s) {', '.join(sorted(missing))}")
    except (OSError, ValueError, UnicodeDecodeError) as err:
        print(f"error: {Path(args.data_dir) / 'actors.csv'}: {err}", file=sys.stderr)
        return 1
    out = Path(args.out) if args.out else None
    proposed_path = out.with_name("actors-proposed.csv") if out else None
    proposed = None
    if (actors["actor_id"] != "author").sum() == 0:  # no actors yet: propose the speakers the text names
        proposed = propose_actors(text, actors)
        actors = pd.concat([actors, proposed.drop(columns="evidence").astype("string")], ignore_index=True)
    held = [p for p in (out, proposed_path if proposed is not None else None) if p and _rows_in(p)]
    if held and not args.replace:
        print(f"error: {', '.join(f'{p} holds {_rows_in(p)} row(s)' for p in held)}; add --replace to "
              "write over them", file=sys.stderr)
        return 1
    rows = sheet_rows(text, suggest(text, actors))
    if out is None:
        print_csv([SHEET_COLUMNS[:9], *rows])
        if proposed is not None:
            print(f"note: actors.csv names no actor yet; the speakers above are {len(proposed)} proposed "
                  "actors: give --out to write them to a sheet", file=sys.stderr)
        return 0
    write_table(out, SHEET_COLUMNS[:9], rows)
    if proposed is not None:
        write_table(proposed_path, list(proposed.columns), proposed.fillna("").values.tolist())
        print(f"{proposed_path}: {len(proposed)} proposed actor(s), actors.csv names none yet; correct or "
              f"delete rows, then `python -m stances add-actors {proposed_path} --data-dir {args.data_dir}`")
    print(
        f"{out}: {len(rows)} candidate unit(s); delete the rows that carry no position, fill in "
        "claim and stance, then `python -m stances code`"
    )
    return 0
