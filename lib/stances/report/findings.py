"""Every number in a notebook's "What we found" is bound to the value a cell computes.

A notebook closes with a markdown cell that opens with a "What we found" heading (the one rule,
``stances.report.markdown.findings_index``, which the report uses too); the code cell right
before it is the facts cell (``stances.facts(name=value, ...)``, the last code cell), whose
stored output lists ``NAME = value``. In the findings a number is written as a link to its fact,
``[29](#fact-coded_sentences)`` (into the same notebook) or
``[29](notebooks/00_corpus.ipynb#fact-coded_sentences)`` (from a README), and the link text
must be the value exactly as the facts cell displays it (``stances.notebook.number``: a float
with 3 decimals, a negative with the true minus sign, ``[−1.000](#fact-low)``).

Any other digit, and any spelled-out number ("twelve", "twice", "half"), is an unbound number.
The only exceptions are phrases that *name* a thing rather than measure it ("notebook 04",
"Resolution 2254"), each allowed only while what it names exists: the notebooks checked name
themselves; a study passes its own phrases with a check of each.

The report marks as a draft the findings :func:`unwritten` lists problems for.

``python -m stances check-findings NOTEBOOK...`` runs :func:`check_notebooks` and prints one
``path: problem`` line per problem (exit 1), or a one-line summary (exit 0).
"""

from __future__ import annotations

import re
import sys
from collections.abc import Callable, Mapping
from pathlib import Path

from stances.errors import clip
from stances.notebook import MINUS, parse
from stances.report import markdown

# No part may run over a bracket or parenthesis: each attempt then stops at the next one, and a
# findings cell of 100,000 '[' is checked in linear time (it took 48 s when the text could).
FACT_LINK = re.compile(r"\[([^\[\]]*)\]\(([^()\[\]\s#]*)#fact-([^()\[\]\s]*)\)")
NUMBER_WORDS = re.compile(
    r"\b(?:zero|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|"
    r"fifteen|sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|hundred|thousand|million|"
    r"once|twice|thrice|half|halves|single|double|triple|dozens?)\b", re.IGNORECASE)
Naming = Mapping[str, Callable[[], bool]]


class FindingsError(ValueError):
    """A notebook lacks the shape the check needs (no findings cell, no facts cell before it)."""


def _findings_at(notebook) -> int:
    """The index of the notebook's "What we found" cell; FindingsError if it has none."""
    at = markdown.findings_index(notebook)
    if at is None:
        raise FindingsError("no markdown cell opening with a 'What we found' heading")
    return at


def stored_facts(notebook) -> dict[str, str]:
    """The notebook's named values as its facts cell displays them (``NAME = value`` lines)."""
    at = _findings_at(notebook)
    cell = notebook.cells[at - 1] if at else None
    if cell is None or cell.cell_type != "code" or "stances.facts(" not in cell.source:
        raise FindingsError("the cell right before 'What we found' must be the facts cell "
                            "(stances.facts(...))")
    if cell is not [c for c in notebook.cells if c.cell_type == "code"][-1]:
        raise FindingsError("the facts cell must be the last code cell")
    shown = [o for o in cell.outputs if o.get("output_type") == "execute_result"]
    if len(shown) != 1:
        raise FindingsError("the facts cell must display its facts (execute the notebook)")
    facts = parse(shown[0]["data"].get("text/plain", ""))
    html = shown[0]["data"].get("text/html", "")
    unlinked = [name for name in facts if f'<tr id="fact-{name}">' not in html]
    if unlinked:
        raise FindingsError(f"facts without a link target in the HTML output: {', '.join(unlinked)}")
    return facts


def notebook_naming(folder: Path) -> dict[str, Callable[[], bool]]:
    """'notebook NN' for every numbered notebook of ``folder``, each holding while it exists."""
    return {f"notebook {path.name[:2]}": (lambda path=path: path.exists())
            for path in sorted(folder.glob("[0-9][0-9]_*.ipynb"))}


def check_prose(prose: str, facts: Mapping[str, Mapping[str, str]], here: str | None,
                naming: Naming | None = None) -> list[str]:
    """Every problem with the numbers of ``prose``: unbound numbers, unknown facts, wrong values.

    ``facts`` maps a notebook's stem to its stored facts. ``here`` is the notebook the prose
    belongs to (a bare ``#fact-`` link points into it), or None for a README, whose links name
    ``notebooks/NN_name.ipynb``. ``naming`` maps each phrase allowed to hold a number to a check
    that what it names exists.
    """
    problems = []

    def bound(match: re.Match) -> str:
        text, target, name = match.groups()
        stem = here if target == "" and here else None
        if target:
            hit = re.fullmatch(r"(?:notebooks/)?(\d\d_\w+)\.ipynb", target)
            stem = hit.group(1) if hit and (here is not None or target.startswith("notebooks/")) else None
        if stem not in facts:
            problems.append(f"[{text}] links to {target or '#'}fact-{name}: no such notebook")
        elif name not in facts[stem]:
            problems.append(f"[{text}] links to fact {name!r}, which {stem} does not compute")
        elif facts[stem][name] != text:
            hint = (" (write the true minus sign, U+2212)"
                    if text.replace("-", MINUS) == facts[stem][name] else "")
            problems.append(f"[{text}] is bound to {stem}:{name}, which is {facts[stem][name]}{hint}")
        return " "

    rest = FACT_LINK.sub(bound, prose)
    for phrase, holds in (naming or {}).items():
        pattern = re.compile(rf"(?<![\w.-]){re.escape(phrase)}(?![\w])")
        if pattern.search(rest):
            if not holds():
                problems.append(f"{phrase!r} names something that does not exist")
            rest = pattern.sub(" ", rest)
    problems += [f"unbound number {m.group()!r}" for m in re.finditer(r"[\d]+", rest)]
    problems += [f"spelled-out number {m.group()!r} (write digits and bind them)"
                 for m in NUMBER_WORDS.finditer(rest)]
    return problems


def _read_notebook(path: Path):
    import nbformat

    from stances.files import regular_file

    why = regular_file(path)
    if why and why != "does not exist":  # a FIFO is refused before it is opened, never waited on
        raise FindingsError(why)
    try:
        notebook = nbformat.read(path, as_version=4)
        nbformat.validate(notebook)  # so that every cell and output below has the shape it should
        return notebook
    except OSError as err:
        raise FindingsError(f"cannot be read ({err.strerror or err})") from None
    # nbformat raises jsonschema's ValidationError, NotJSONError (a ValueError), KeyError and
    # TypeError for files that are not notebooks: each is this file's problem, not a crash
    except Exception as err:
        first = str(err).splitlines()[0] if str(err) else type(err).__name__
        raise FindingsError(f"is not a notebook ({clip(first, 200)})") from None


def check_notebooks(paths: list[Path], naming: Naming | None = None) -> list[str]:
    """Every problem of the findings of ``paths``, as ``path: problem`` lines (empty: all bound).

    Links may point into any notebook of the set. ``naming`` adds phrases to the notebooks'
    own ('notebook NN' for each notebook in their folders)."""
    notebooks, facts, problems = {}, {}, []
    allowed: dict[str, Callable[[], bool]] = {}
    for path in paths:
        allowed.update(notebook_naming(path.parent))
        try:
            notebooks[path] = _read_notebook(path)
            facts[path.stem] = stored_facts(notebooks[path])
        except FindingsError as err:
            problems.append(f"{path}: {err}")
    allowed.update(naming or {})
    for path, notebook in notebooks.items():
        if path.stem in facts:
            prose = notebook.cells[_findings_at(notebook)].source
            problems += [f"{path}: What we found: {p}" for p in check_prose(prose, facts, path.stem, allowed)]
    return problems


def unwritten(notebooks: list, stems: list[str]) -> dict[str, tuple[str, ...]]:
    """Per notebook (read, and named by ``stems``), what ``check-findings`` lists for its "What we
    found": a number not bound to its fact, such as the ``[?]`` a new study's notebooks start
    with; empty when it is written. The report marks findings with any as a draft."""
    facts, problems = {}, {stem: [] for stem in stems}
    for notebook, stem in zip(notebooks, stems, strict=True):
        try:
            facts[stem] = stored_facts(notebook)
        except FindingsError as err:
            problems[stem].append(str(err))
    for notebook, stem in zip(notebooks, stems, strict=True):
        if stem in facts:
            prose = notebook.cells[_findings_at(notebook)].source
            naming = {f"notebook {s[:2]}": lambda: True for s in stems}
            problems[stem] += check_prose(prose, facts, stem, naming)
    return {stem: tuple(found) for stem, found in problems.items()}


def _in_study(data_dir: Path, phrase: str) -> Callable[[], bool]:
    """Holds while the phrase occurs in one of the study's files: a source text, a table, the
    codebook."""
    files = [*data_dir.glob("sources/*.txt"), *data_dir.glob("**/*.csv"), *data_dir.glob("*.md")]
    return lambda: any(phrase in p.read_text(encoding="utf-8", errors="replace") for p in sorted(files))


def _shows(path: Path, evidence: str) -> Callable[[], bool]:
    def holds() -> bool:
        try:
            return evidence in path.read_text(encoding="utf-8", errors="replace")
        except OSError:
            return False
    return holds


def study_naming(corpus) -> tuple[dict[str, Callable[[], bool]], list[str]]:
    """The phrases the study declares in ``findings_names.csv`` (each allowed while its
    ``evidence`` stands in its ``file``, a path inside the study's folder), and a problem for each
    row whose file is outside that folder."""
    table = corpus.tables.get("findings_names")
    if table is None:
        return {}, []
    from stances.coding.sheet import read_sheet  # the file line each row starts on

    root, source = corpus.data_dir.resolve().parent, corpus.data_dir / "findings_names.csv"
    lines = [line for line, _ in read_sheet(source)[1]]  # the loader has read it: no SheetError
    naming, problems = {}, []
    for line, row in zip(lines, table.itertuples(index=False), strict=True):
        path = (root / row.file).resolve()
        where = f"{source}:{line}: file"
        if not path.is_relative_to(root):
            problems.append(f"{where}: {row.file!r} is outside the study's folder {root}")
        else:  # a file that is missing shows nothing: a finding that uses the phrase is reported
            naming[row.phrase] = _shows(path, row.evidence)
    return naming, problems


def check_findings_command(args) -> int:
    from stances.corpus.loader import load
    from stances.errors import CorpusError

    paths = [Path(p) for p in args.notebooks]
    data_dir = Path(args.data_dir) if args.data_dir else paths[0].resolve().parent.parent / "data"
    naming, problems = {}, []
    if (data_dir / "datapackage.json").is_file():  # the study's own phrases, declared with its data
        try:
            naming, problems = study_naming(load(data_dir))
        except CorpusError as err:
            print(f"error: {data_dir} does not validate (`python -m stances validate {data_dir}`)\n{err}",
                  file=sys.stderr)
            return 1
    naming.update({phrase: _in_study(data_dir, phrase) for phrase in args.name})
    problems += check_notebooks(paths, naming)
    for problem in problems[:50]:
        print(problem)
    if problems:
        more = " (the first 50 shown)" if len(problems) > 50 else ""
        print(f"{len(problems)} problem(s) in the findings{more}", file=sys.stderr)
        return 1
    print(f"{len(paths)} notebook(s): every number in 'What we found' is bound to its facts cell")
    return 0
