"""``python -m stances init DIR``: a complete, valid starting study for one document.

Writes, under ``DIR``:

* ``data/datapackage.json``, generated from the method's schema for the study's vocabulary
  (topics, relation types, optional tables; see ``stances.corpus.schema``);
* ``data/sources/<doc_id>.txt``, the document copied byte for byte, and ``data/documents.csv``
  with its sha256 (title: ``--title`` or the text's first line; outlet and date left empty,
  with a note saying so, since nothing is invented);
* every table with its header (``actors.csv`` holds the ``author``, who is an actor of every
  study), ``study.csv`` and ``thesis.csv`` stubs, and the headers of the optional tables;
* ``data/CODEBOOK.md``, this study's addendum to the method (``METHOD.md`` at the repository's
  root): topics, actors, claims, hard calls;
* ``coding.csv``, an empty coding sheet for ``python -m stances code``;
* ``notebooks/00_corpus.ipynb`` and ``notebooks/01_verdict.ipynb``, generic notebooks that take
  every name, title and number from the data, ending in a "What we found" to edit.

Nothing is overwritten: a ``DIR`` that already holds ``data/`` or ``notebooks/``, or that lies inside a
study's data package or notebooks folder, is refused. Everything is written into a temporary folder
inside ``DIR`` and checked there first, then moved into place: a failure leaves ``DIR`` as it was.
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import sys
import tempfile
from pathlib import Path

from stances import files
from stances.coding.sheet import SHEET_COLUMNS
from stances.corpus.schema import Vocabulary, columns, descriptor, dumps
from stances.errors import shorten

NOTEBOOK_TEMPLATES = Path(__file__).with_name("templates")
_DOC_ID = re.compile(r"^[a-z][a-z0-9_]{0,63}$")  # a file name: sources/<doc_id>.txt
PARTS = ("data", "notebooks", "coding.csv")
AUTHOR = ["author", "Author of the document", "author", "", "", "", "Author", "#555555"]
ADDENDUM = """# Codebook addendum: {title}

The rules of coding are the method's: `METHOD.md` at the root of the `stances` repository
(the unit of coding, the fields and codes, who is the speaker, the decision rules, §1-5 and
§8-10). This file holds what belongs to this study alone, under the same numbering: its topics,
actors and claims (§6.1, §7) and the calls its text made hard. Every actor and claim the data
uses is listed here.

## 6. Actors

| actor_id | name | kind | represents | how the text names it |
|---|---|---|---|---|
| `author` | Author of the document | author | | (the document's own voice) |

## 7. Claims

Topics (declared in `datapackage.json`, the enum of `claims.topic`):

{topics}

| claim_id | topic | proposition | note |
|---|---|---|---|

## Hard calls

For each unit that was hard to code: the words, the call made, the rule of `METHOD.md` it
follows, and the alternative that was rejected.
"""


def _first_line(text: str) -> str:
    return next((line.strip() for line in text.splitlines() if line.strip()), "")


def init_study(folder: Path, doc_id: str, source: Path, vocabulary: Vocabulary, title: str | None = None,
               language: str = "en") -> tuple[Path, list[str]]:
    """Write the starting study under ``folder``, checked before it is moved into place; returns
    its data directory and the tables still empty. ``ValueError`` for a folder that already holds
    a study, a bad id, or a source that is not UTF-8 text."""
    if not _DOC_ID.match(doc_id):
        raise ValueError(f"--doc-id {shorten(doc_id, 80)!r}: up to 64 lower-case letters, digits and '_', "
                         "starting with a letter")
    if not re.fullmatch(r"[a-z]{2}", language):
        raise ValueError(f"--language {language!r}: an ISO 639-1 code such as en")
    taken = [name for name in PARTS if os.path.lexists(folder / name)]
    if taken:
        raise ValueError(f"{folder} already holds {', '.join(taken)}; init writes a new study only")
    study = files.inside_study(folder / "data")
    if study:
        raise ValueError(f"{folder} is inside {study}; a new study goes in a folder of its own")
    why = files.regular_file(source)
    if why:
        raise ValueError(f"--source {source} {why}")
    raw = source.read_bytes()
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as err:
        raise ValueError(f"{source} is not UTF-8 text ({err.reason} at byte {err.start})") from None
    title = title or _first_line(text.removeprefix("\ufeff"))  # a byte-order mark is no part of a title
    if not title:
        raise ValueError(f"{source} is empty; give the document's text")
    folder.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".stances-init-", dir=folder))
    try:
        _write_study(staging, doc_id, raw, title, vocabulary, language)
        from stances.corpus.loader import check

        parsed, problems = check(staging / "data")
        if problems:  # init wrote something the checks refuse: a bug, said loudly
            raise ValueError("init wrote an invalid study: " + "; ".join(map(str, problems[:5])))
        for name in PARTS:
            os.replace(staging / name, folder / name)
    except BaseException:
        for name in PARTS:  # a move cut short: take back what went in
            if not (staging / name).exists() and os.path.lexists(folder / name):
                _remove(folder / name)
        raise
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return folder / "data", [Path(parsed.shown[name]).name for name, raw in parsed.raws.items()
                             if not len(raw)]


def _remove(path: Path) -> None:
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path, ignore_errors=True)
    else:
        path.unlink(missing_ok=True)


def _write_study(folder: Path, doc_id: str, raw: bytes, title: str, vocabulary: Vocabulary,
                 language: str) -> None:
    data = folder / "data"
    (data / "sources").mkdir(parents=True)
    path = f"sources/{doc_id}.txt"
    files.write_bytes(data / path, raw)
    about = {"name": doc_id.replace("_", "-"), "title": f"Positions in: {title}",
             "description": "Hand-annotated actors, claims, statements and relations of one document. "
                            "See CODEBOOK.md and the method's METHOD.md.",
             "sources": [{"title": title, "path": path,
                          "description": "Kept verbatim only so that every annotation can be checked against "
                                         "the exact words; its copyright stays with its rights holder."}]}
    package = descriptor(vocabulary, about)
    files.write_text(data / "datapackage.json", dumps(package))
    rows = {
        "documents": [[doc_id, title, "", "", language, path, hashlib.sha256(raw).hexdigest(),
                       "Outlet, date and address not recorded yet: fill them in from the source, or leave "
                       "them empty and say here why they are unknown."]],
        "actors": [AUTHOR],
        "study": [[doc_id, f"Positions in: {title}",
                   "Edit data/study.csv: say in a paragraph what this study codes, from which document, "
                   "and how far one document's counts can be trusted.",
                   "Edit data/study.csv: state the thesis under test in one sentence.",
                   "01_verdict", "", ""]],
    }
    for resource in package["resources"]:
        target = data / resource["path"]
        target.parent.mkdir(parents=True, exist_ok=True)
        files.write_csv(target, columns(resource["name"]), rows.get(resource["name"], []))
    topics = "\n".join(f"- `{topic}`: (what the topic covers)" for topic in vocabulary.topics)
    files.write_text(data / "CODEBOOK.md", ADDENDUM.format(title=title, topics=topics))
    files.write_csv(folder / "coding.csv", SHEET_COLUMNS[:9], [])
    notebooks = folder / "notebooks"
    notebooks.mkdir()
    for template in sorted(NOTEBOOK_TEMPLATES.glob("*.ipynb")):
        files.write_bytes(notebooks / template.name, template.read_bytes())


def init_command(args) -> int:
    from stances.corpus.schema import split_names

    folder = Path(args.folder)
    try:
        vocabulary = Vocabulary(topics=split_names(args.topics),
                                relation_types=split_names(args.relation_types),
                                tables=tuple(dict.fromkeys(("study", *split_names(args.tables)))))
        data, empty = init_study(folder, args.doc_id, Path(args.source), vocabulary, args.title,
                                 args.language)
    except (OSError, ValueError) as err:
        print(f"error: {err}", file=sys.stderr)
        return 1
    print(f"{folder}: a new study for {args.doc_id!r} (topics: {', '.join(vocabulary.topics)})\n"
          f"still empty (a header, no rows yet): {', '.join(empty)}\n"
          f"next: add actors to {data / 'actors.csv'} and claims to {data / 'claims.csv'}; "
          f"`python -m stances suggest {args.doc_id} --data-dir {data} --out {folder / 'coding.csv'}`; "
          f"accept or reject its rows; `python -m stances code {folder / 'coding.csv'} --data-dir {data}`; "
          f"`python -m stances validate {data}`; "
          f"`python -m stances report --notebooks {folder / 'notebooks'} --out {folder / 'report'}`")
    return 0
