"""Command line: ``python -m stances validate|locate|report|execute`` and the commands that build a
study (``init|schema|sentences|suggest|add-actors|code|check-findings``)."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path


def _validate(args) -> int:
    from stances.corpus.checks import check_notebook_names
    from stances.corpus.loader import check
    from stances.errors import capped

    corpus, problems = check(Path(args.data_dir))
    notebooks = Path(args.notebooks) if args.notebooks else Path(args.data_dir).resolve().parent / "notebooks"
    if corpus is not None and (args.notebooks or notebooks.is_dir()):  # data may travel alone
        problems += check_notebook_names(corpus, notebooks)
    if args.format == "json":
        rows = [{"path": p.path, "line": p.line, "column": p.column, "message": p.message,
                 "check": p.check} for p in problems]
        print(json.dumps({"valid": not problems, "problems": rows}, ensure_ascii=True))
        return 1 if problems else 0
    shown, notes = (problems, []) if args.all else capped(problems)
    for problem in shown:
        print(problem)
    if problems:
        for note in notes:
            print(note, file=sys.stderr)
        more = " (the first of each file and column shown; --all shows every one)" if notes else ""
        print(f"{len(problems)} problem(s) found{more}", file=sys.stderr)
        return 1
    counts = ", ".join(f"{len(corpus.raws[name])} {name}" for name in corpus.tables)
    print(f"{args.data_dir}: valid ({counts}; {len(corpus.texts)} source text(s))")
    return 0


def _report(args) -> int:
    from stances.report import cache

    provenance = cache.Provenance(args.commit.strip(), args.data_date.strip(), args.project_url.strip())
    data_dir = Path(args.data_dir) if args.data_dir else None
    try:  # nothing changed: say so before loading anything heavy
        if cache.up_to_date(Path(args.out), cache.site_keys(Path(args.notebooks), data_dir, args.execute,
                                                            provenance, None)):
            print(f"{Path(args.out) / 'index.html'} is up to date (no notebook, data or library file "
                  "changed)", file=sys.stderr)
            return 0
    except OSError:
        pass  # an unreadable input: the full build below reports it
    from stances.errors import CorpusError
    from stances.report.site import build_report

    try:
        build_report(Path(args.notebooks), Path(args.out), execute=args.execute,
                     data_dir=Path(args.data_dir) if args.data_dir else None, workers=args.workers,
                     provenance=provenance)
    except CorpusError as err:
        print(f"error: the corpus does not validate; run `python -m stances validate`\n{err}",
              file=sys.stderr)
        return 1
    except ValueError as err:  # a refused --out, a notebook that is no file
        print(f"error: {err}", file=sys.stderr)
        return 1
    except OSError as err:  # missing notebooks, an unwritable folder, a full disk: the old site stays
        where = f"{err.filename}: " if err.filename else ""
        unchanged = f"; {args.out} is as it was" if err.errno else ""
        print(f"error: {where}{err.strerror or err}{unchanged}", file=sys.stderr)
        return 1
    return 0


def _pdf(args) -> int:
    from stances.report.pdf import write_pdf

    report = Path(args.report)
    out = Path(args.out) if args.out else report.with_name(report.name + ".pdf")
    try:
        written = write_pdf(report, out)
    except (OSError, ImportError) as err:
        print(f"error: {err}", file=sys.stderr)
        return 1
    print(f"wrote {written}", file=sys.stderr)
    return 0


def _execute(args) -> int:
    from stances.files import regular_file
    from stances.report.execute import execute_notebooks

    refused = [f"error: {path}: {why}" for path in args.notebooks if (why := regular_file(path))]
    if refused:  # a FIFO is refused before anything runs, never waited on
        print(*refused, sep="\n", file=sys.stderr)
        return 1
    execute_notebooks([(Path(path), Path(path)) for path in args.notebooks], workers=args.workers)
    return 0


def _schema(args) -> int:
    """Report the descriptor's drift from the method's schema, or (``--write``) rewrite it."""
    from stances import files
    from stances.corpus import schema
    from stances.corpus.descriptor import read_descriptor  # the loader's strict reader
    from stances.errors import CorpusError

    path = Path(args.data_dir) / schema.PACKAGE_FILE
    if not args.write and (args.topics or args.relation_types or args.tables is not None):
        print("error: --topics, --relation-types and --tables change the descriptor: add --write",
              file=sys.stderr)
        return 1
    try:
        package = read_descriptor(args.data_dir)
    except CorpusError as err:
        print(*(str(problem) for problem in err.problems), sep="\n", file=sys.stderr)
        return 1
    try:
        if not isinstance(package, dict):
            raise ValueError("not a JSON object")
        declared = schema.vocabulary_of(package)
        vocabulary = schema.Vocabulary(
            topics=schema.split_names(args.topics) or declared.topics,
            relation_types=schema.split_names(args.relation_types) or declared.relation_types,
            tables=schema.split_names(args.tables) if args.tables is not None else declared.tables)
    except (OSError, ValueError) as err:  # a vocabulary the method refuses
        print(f"error: {path}: {err}", file=sys.stderr)
        return 1
    if args.write:
        try:
            files.write_text(path, schema.dumps(schema.keep_unowned(schema.descriptor(vocabulary, package),
                                                                    package)), within=args.data_dir)
        except files.WriteError as err:
            print(f"error: {err}", file=sys.stderr)
            return 1
        print(f"{path}: written from the method ({len(vocabulary.topics)} topics, "
              f"{len(vocabulary.relation_types)} relation types, optional tables: "
              f"{', '.join(vocabulary.tables) or 'none'})")
        return 0
    problems = schema.drift(package)
    for problem in problems[:20]:
        print(f"{path}: {problem}")
    if problems:
        print(f"{len(problems)} difference(s) from the method's schema"
              f"{' (the first 20 shown)' if len(problems) > 20 else ''}; `--write` regenerates the file",
              file=sys.stderr)
        return 1
    print(f"{path}: follows the method's schema (topics: {', '.join(declared.topics)})")
    return 0


def _command(sub, name: str, help: str, run, *positional: str) -> argparse.ArgumentParser:
    """The parser of the command ``name``; ``run``: a function here, or ``"module:function"`` of
    ``stances``, imported only when it runs."""
    parser = sub.add_parser(name, help=help)
    for argument in positional:
        parser.add_argument(argument)
    parser.set_defaults(run=run)
    return parser


def _add_study_commands(sub) -> None:
    """Building a study: init, schema, sentences, suggest, code, check-findings."""
    p = _command(sub, "init", "write a complete, valid starting study for one document",
                 "coding.init:init_command")
    p.add_argument("folder", help="the study's folder (data/ and notebooks/ are written in it)")
    p.add_argument("--doc-id", required=True)
    p.add_argument("--source", required=True, help="the document's text file (UTF-8), copied verbatim")
    p.add_argument("--topics", required=True, help="comma-separated topic ids, e.g. bridge,river")
    p.add_argument("--relation-types", default=None, help="comma-separated (default: the method's)")
    p.add_argument("--tables", default=None,
                   help="optional tables besides the study description, comma-separated: reliability, "
                        "factcheck, factcheck_reliability")
    p.add_argument("--title", default=None, help="the document's title (default: its first line)")
    p.add_argument("--language", default="en")
    p = _command(sub, "schema", "check datapackage.json against the method's schema, or --write it",
                 _schema)
    p.add_argument("data_dir", nargs="?", default="data")
    p.add_argument("--write", action="store_true", help="regenerate the descriptor from the method")
    p.add_argument("--topics", default=None)
    p.add_argument("--relation-types", default=None)
    p.add_argument("--tables", default=None)
    p = _command(sub, "sentences", "list a document's sentences with their offsets (CSV)",
                 "coding.locate:sentences_command", "doc_id")
    p.add_argument("--data-dir", default="data")
    p = _command(sub, "suggest", "write a coding sheet of candidate statements to accept or reject",
                 "coding.suggest_cli:suggest_command")
    p.add_argument("doc_id", nargs="*", help="the document(s); several write one sheet each into --out")
    p.add_argument("--all", action="store_true", help="every document of documents.csv (--out: a folder)")
    p.add_argument("--data-dir", default="data")
    p.add_argument("--out", default=None, help="the sheet to write (default: standard output); with no "
                   "actors yet, the proposed actors go to actors-proposed.csv next to it")
    p.add_argument("--replace", action="store_true", help="write over a sheet that holds rows")
    p = _command(sub, "add-actors", "add the actors of a sheet (actors-proposed.csv) to actors.csv",
                 "coding.actors:add_actors_command", "sheet")
    p.add_argument("--data-dir", default="data")
    p = _command(sub, "code", "anchor a coding sheet's quotes; write statements.csv and relations.csv",
                 "coding.sheet:code_command", "sheet")
    p.add_argument("--data-dir", default="data")
    p.add_argument("--doc-id", default=None, help="for rows with no doc_id")
    p.add_argument("--coder", default=None, help="for rows with no coder")
    p.add_argument("--all", action="store_true", help="print every problem")
    p.add_argument("--replace", action="store_true",
                   help="replace statements.csv and relations.csv when they already hold rows")
    p = _command(sub, "check-findings", "every number in a 'What we found' cell is bound to a fact",
                 "report.findings:check_findings_command")
    p.add_argument("notebooks", nargs="+")
    p.add_argument("--name", action="append", default=[], metavar="PHRASE",
                   help="a phrase that names a thing and may hold digits ('Resolution 2254'); allowed "
                        "while the study's source texts contain it")
    p.add_argument("--data-dir", default=None, help="the study's data (default: ../data from the notebooks)")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m stances", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    p = _command(sub, "validate", "check the corpus; one 'path:line: column: message' per problem", _validate)
    p.add_argument("data_dir", nargs="?", default="data")
    p.add_argument("--all", action="store_true",
                   help="print every problem (default: the first 5 of each file and column)")
    p.add_argument("--format", choices=("text", "json"), default="text",
                   help="json: one object {valid, problems: [{path, line, column, message, check}]}")
    p.add_argument("--notebooks", default=None,
                   help="the notebooks that *_notebook columns name (default: notebooks/ next to the data)")
    p = _command(sub, "locate", "print the start/end offsets of each quote in a document",
                 "coding.locate:locate_command", "doc_id")
    p.add_argument("quotes", nargs="*", metavar="quote")
    p.add_argument("--occurrence", type=int, default=None,
                   help="take the Nth occurrence (1-based, text order) of a quote that occurs several times")
    p.add_argument("--data-dir", default="data")
    _add_study_commands(sub)
    p = _command(sub, "report", "re-execute the notebooks and render the HTML report", _report)
    p.add_argument("--notebooks", default="notebooks")
    p.add_argument("--out", default="report",
                   help="the site's folder, replaced as a whole (a new or empty one, or one a build made)")
    p.add_argument("--data-dir", default=None, help="the study's data (default: next to --notebooks)")
    p.add_argument("--workers", type=int, default=None, help="notebooks run at a time (default: CPUs)")
    p.add_argument("--no-execute", dest="execute", action="store_false",
                   help="render the stored outputs as they are instead of re-executing")
    p.add_argument("--commit", default="", help="the code's version for the front page (make: git describe)")
    p.add_argument("--data-date", default="", help="the data's date (make: its last commit)")
    p.add_argument("--project-url", default="", help="where the project lives, linked from the front page")
    p = _command(sub, "pdf", "print the built report into one PDF (headless Chromium)", _pdf)
    p.add_argument("--report", default="report", help="the built report's folder")
    p.add_argument("--out", default=None, help="the PDF (default: <report>.pdf, beside the folder)")
    p = _command(sub, "execute", "re-execute notebooks in place (deterministic outputs)", _execute)
    p.add_argument("notebooks", nargs="+")
    p.add_argument("--workers", type=int, default=None, help="notebooks run at a time (default: CPUs)")
    args = parser.parse_args(argv)
    if isinstance(args.run, str):
        from importlib import import_module

        module, _, name = args.run.partition(":")
        args.run = getattr(import_module(f"stances.{module}"), name)
    return args.run(args)

