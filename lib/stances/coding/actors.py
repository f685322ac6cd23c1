"""Proposed actors: the named people and organisations a text shows speaking, as ``actors.csv``
rows a coder accepts (``python -m stances add-actors``) before coding.

Rules, no model: a run of capitalised words (a title such as "Mr." or "Secretary-General" in
front of it dropped) is a speaker when a verb of saying follows it ("Kofi Annan says", "Annan
said:") or precedes it right after a quotation or a comma ("…," said Annan; "…," responded Mr.
Bone), or when "according to" introduces it. A one-word form that is the surname of a longer
name ("Annan", "Mr. Annan" beside "Kofi Annan") is that person, listed as an alias. A title
before a name, or a name of two to four words with no word of an organisation's name in it,
makes a ``person``; every other speaker is an ``organization`` the coder may change to a
``state`` or ``government``. Each row's ``evidence`` is the words that showed it.
"""

from __future__ import annotations

import re
import unicodedata

import pandas as pd

from stances.coding.matcher import author_id, names
from stances.corpus.schema import columns

_WORD = r"[A-Z][\w'’-]*[\w]"
_SPACE = r"[^\S\n]+"  # a name never runs over a line break
_NAME = rf"{_WORD}(?:{_SPACE}(?:bin|al|de|van|von|der|la|le)\b)?(?:{_SPACE}{_WORD}){{0,3}}"
_PERSONAL = (r"Mr\.|Mrs\.|Ms\.|Dr\.|Sen\.|Rep\.|Gov\.|Gen\.|President|Prime Minister|Minister|"
             r"Chancellor|Senator|Secretary-General|Secretary|Director General|Director|Spokesman|"
             r"Spokeswoman|Spokesperson|Ambassador|King|Queen|Prince|Crown Prince|Governor|Mayor|Judge|"
             r"Chairman|Chairwoman|Chief|Speaker|Commissioner|Representative|Leader|Whip")
_TITLES = rf"(?:(?:{_PERSONAL})[^\S\n]+)+"
_TITLE_WORD = re.compile(rf"(?:^|[^\S\n])(?:{_PERSONAL})(?=[^\S\n]|$)")
_VERBS = (r"says|said|say|told|tells|added|adds|stated|states|announced|announces|urged|urges|warned|"
          r"warns|asked|asks|argued|argues|insisted|insists|explained|explains|responded|responds|"
          r"replied|replies|declared|declares|claimed|claims|denied|denies|noted|notes|wrote|writes|"
          r"continued|continues|confirmed|confirms|acknowledged|admitted|criticized|criticised|"
          r"demanded|demands|called|calls|accused|accuses|believes|believed|revealed|reported")
_BEFORE = re.compile(rf"(?P<title>{_TITLES})?(?P<name>{_NAME})(?:,?\s+(?:also|has|had|then|later))?"
                     rf",?\s+(?:{_VERBS})\b")
_AFTER = re.compile(rf"[,\"”’]\s*(?:{_VERBS})\s+(?P<title>{_TITLES})?(?P<name>{_NAME})")
_ACCORDING = re.compile(rf"\baccording to\s+(?:the\s+)?(?P<title>{_TITLES})?(?P<name>{_NAME})")
_NOT_NAMES = {"he", "she", "they", "it", "we", "i", "you", "the", "but", "and", "this", "that", "these",
              "those", "his", "her", "their", "its", "a", "an", "when", "while", "as", "in", "on", "at",
              "yesterday", "today", "last", "monday", "tuesday", "wednesday", "thursday", "friday",
              "saturday", "sunday", "there", "some", "officials", "one", "also", "however", "so"}
_ORGANISATION = re.compile(
    r"\b(?:Ministry|Agency|Department|Office|Council|Committee|Union|Party|Police|Embassy|Nations|"
    r"Organi[sz]ation|Association|Commission|Court|Service|Bank|Fund|Times|News|Post|Press|Reuters|"
    r"Institute|University|Company|Group|Army|Force|Forces|House|Senate|Congress|Parliament|Government|"
    r"State|States|Kingdom|Republic|Federation|Assembly|Board|Authority)\b")
_COLOURS = ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#17becf"]


def _clean(name: str) -> str:
    words = name.split()
    while words and words[0].lower() in _NOT_NAMES:
        words.pop(0)
    return " ".join(words)


def _slug(name: str) -> str:
    plain = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower()
    slug = re.sub(r"[^a-z0-9]+", "_", plain).strip("_")
    return slug if slug and slug[0].isalpha() else f"actor_{slug}"


def _untitled(name: str) -> tuple[str, bool]:
    """The name after the last title in it ("Iranian President Mahmoud Ahmedinejad" -> "Mahmoud
    Ahmedinejad"), and whether there was one."""
    last = next(reversed(list(_TITLE_WORD.finditer(name))), None)
    return (name[last.end():].strip(), True) if last else (name, False)


def _full_name(text: str, surname: str) -> str | None:
    """The first "Given Surname" the text writes for a one-word name, if any (not a title)."""
    for match in re.finditer(rf"\b({_WORD}){_SPACE}{re.escape(surname)}\b", text):
        given = match.group(1)
        if given.lower() not in _NOT_NAMES and not _TITLE_WORD.match(" " + given) and \
                not _ORGANISATION.search(given):
            return f"{given} {surname}"
    return None


def _found(text: str) -> list[tuple[str, bool, str]]:
    """(name, titled, evidence) of every speaker the rules find, in text order."""
    found = []
    for pattern in (_BEFORE, _AFTER, _ACCORDING):
        for match in pattern.finditer(text):
            name, titled = _untitled(_clean(match.group("name")))
            titled |= bool(match.group("title"))
            if name and name.split()[0].lower() not in _NOT_NAMES:
                if " " not in name and not name.isupper() and (full := _full_name(text, name)):
                    name, titled = full, True
                found.append((match.start(), name, titled, match.group().strip(' ,"”’')))
    return [(name, titled, evidence) for _, name, titled, evidence in sorted(found)]


def propose_actors(text: str, known: pd.DataFrame | None = None) -> pd.DataFrame:
    """The speakers ``text`` names, as ``actors.csv`` rows with an ``evidence`` column; a name
    ``known`` (an actors table) gives an actor already (``matcher.names``) is left out."""
    taken = {form for form, _ in names(known)} if known is not None else set()
    people: dict[str, dict] = {}
    for name, titled, evidence in _found(text):
        if name in taken:
            continue
        entry = people.setdefault(name, {"titled": False, "evidence": evidence, "forms": {name}})
        entry["titled"] |= titled
    for name in sorted(people, key=len, reverse=True):  # "Annan" joins "Kofi Annan"
        if name in people and " " not in name:
            longer = [other for other in people if other != name and other.split()[-1] == name
                      and not _ORGANISATION.search(other)]
            if len(longer) == 1:
                merged = people.pop(name)
                people[longer[0]]["forms"] |= merged["forms"]
                people[longer[0]]["titled"] |= merged["titled"]
    rows, ids, author = [], set(), author_id(known)
    for n, (name, entry) in enumerate(people.items()):
        person = not _ORGANISATION.search(name) and (entry["titled"] or 2 <= len(name.split()) <= 4)
        actor_id = _slug(name.split()[-1] if person else name)
        if actor_id in ids or actor_id == author:
            actor_id = _slug(name)
        ids.add(actor_id)
        aliases = ";".join(sorted(entry["forms"] - {name}))
        label = name.split()[-1] if person else name
        colour = "" if person else _COLOURS[n % len(_COLOURS)]
        rows.append([actor_id, name, "person" if person else "organization", "", "", aliases, label, colour,
                     entry["evidence"]])
    return pd.DataFrame(rows, columns=[*columns("actors"), "evidence"])


def add_actors_command(args) -> int:
    """Append the sheet's actors to ``actors.csv``; refuse an id it holds already, and write
    nothing unless the study still validates with them."""
    import sys
    from pathlib import Path

    from stances import files
    from stances.coding.sheet import SheetError, read_sheet
    from stances.corpus.loader import check

    data, sheet = Path(args.data_dir), Path(args.sheet)
    read = []
    for path in (sheet, data / "actors.csv"):
        try:
            read.append(read_sheet(path))
        except SheetError as err:  # read_sheet turns OSError and UnicodeDecodeError into this
            print(f"error: {path}: {err}", file=sys.stderr)
            return 1
    (header, records), (held_header, held) = read
    missing = [c for c in ("actor_id", "name", "kind", "label") if c not in header]
    if missing:
        print(f"{sheet}:1: {missing[0]}: missing column", file=sys.stderr)
        return 1
    ids = {dict(zip(held_header, r, strict=False)).get("actor_id") for _, r in held}
    rows, problems = [], []
    for line, record in records:
        row = dict(zip(header, record, strict=False))
        if row["actor_id"] in ids:
            problems.append(f"{sheet}:{line}: actor_id: {row['actor_id']!r} is in actors.csv already")
        ids.add(row["actor_id"])
        rows.append([row.get(c, "") for c in held_header])
    if problems:
        print("\n".join(problems), file=sys.stderr)
        return 1
    new = files.csv_bytes(held_header, [r for _, r in held] + rows)
    _, found = check(data, {"actors.csv": new})  # only a state that validates is written
    if found:
        print("\n".join(str(p) for p in found), file=sys.stderr)
        print(f"{len(found)} problem(s) with the new actors; actors.csv left as it was", file=sys.stderr)
        return 1
    try:
        files.write_bytes(data / "actors.csv", new, within=data)
    except files.WriteError as err:
        print(f"error: {err}; actors.csv left as it was", file=sys.stderr)
        return 1
    print(f"{data / 'actors.csv'}: {len(rows)} actor(s) added; the coding sheet's speakers are their ids")
    return 0
