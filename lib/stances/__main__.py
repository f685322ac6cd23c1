"""Command line: ``python -m stances validate|locate|report|execute``."""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path


def _validate(args) -> int:
    from ._checks import check_notebooks
    from ._corpus import _check
    from ._errors import capped

    corpus, problems = _check(Path(args.data_dir))
    notebooks = Path(args.notebooks) if args.notebooks else Path(args.data_dir).resolve().parent / "notebooks"
    if corpus is not None and (args.notebooks or notebooks.is_dir()):  # data may travel alone
        problems += check_notebooks(corpus, notebooks)
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


def _locate(args) -> int:
    from ._corpus import source_text
    from ._errors import CorpusError
    from .anchor import AnchorError, locate

    try:
        text = source_text(args.data_dir, args.doc_id)
        match = locate(text, args.quote)
    except CorpusError as err:
        print(f"error: cannot read the text of {args.doc_id!r}:\n{err}", file=sys.stderr)
        return 1
    except (AnchorError, KeyError) as err:
        print(f"error: {err.args[0] if err.args else err}", file=sys.stderr)
        return 1
    note = "" if match.exact else "  (after normalising whitespace/quote marks; copy the text's own)"
    print(f"start={match.start} end={match.end}{note}")
    print(text[match.start:match.end])
    return 0


def _report(args) -> int:
    from ._errors import CorpusError
    from ._site import build_report

    try:
        build_report(Path(args.notebooks), Path(args.out), execute=args.execute,
                     data_dir=Path(args.data_dir) if args.data_dir else None, workers=args.workers)
    except CorpusError as err:
        print(f"error: the corpus does not validate; run `python -m stances validate`\n{err}",
              file=sys.stderr)
        return 1
    except (ValueError, OSError) as err:  # a refused --out, missing notebooks, an unwritable folder
        print(f"error: {err}", file=sys.stderr)
        return 1
    return 0


def _execute(args) -> int:
    from ._execute import execute_notebooks

    execute_notebooks([(Path(path), Path(path)) for path in args.notebooks], workers=args.workers)
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m stances", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("validate", help="check the corpus; one 'path:line: column: message' per problem")
    p.add_argument("data_dir", nargs="?", default="data")
    p.add_argument("--all", action="store_true",
                   help="print every problem (default: the first 5 of each file and column)")
    p.add_argument("--format", choices=("text", "json"), default="text",
                   help="json: one object {valid, problems: [{path, line, column, message, check}]}")
    p.add_argument("--notebooks", default=None,
                   help="the notebooks that *_notebook columns name (default: notebooks/ next to the data)")
    p.set_defaults(run=_validate)
    p = sub.add_parser("locate", help="print the start/end offsets of a quote in a document")
    p.add_argument("doc_id")
    p.add_argument("quote")
    p.add_argument("--data-dir", default="data")
    p.set_defaults(run=_locate)
    p = sub.add_parser("report", help="re-execute the notebooks and render the HTML report")
    p.add_argument("--notebooks", default="notebooks")
    p.add_argument("--out", default="report", help="the site's folder, replaced as a whole")
    p.add_argument("--data-dir", default=None, help="the study's data (default: next to --notebooks)")
    p.add_argument("--workers", type=int, default=None, help="notebooks run at a time (default: CPUs)")
    p.add_argument("--no-execute", dest="execute", action="store_false",
                   help="render the stored outputs as they are instead of re-executing")
    p.set_defaults(run=_report)
    p = sub.add_parser("execute", help="re-execute notebooks in place (deterministic outputs)")
    p.add_argument("notebooks", nargs="+")
    p.add_argument("--workers", type=int, default=None, help="notebooks run at a time (default: CPUs)")
    p.set_defaults(run=_execute)
    args = parser.parse_args(argv)
    return args.run(args)


if __name__ == "__main__":
    code = main()
    # Leave without interpreter teardown: Arrow's native thread pools can abort the process at
    # exit ("terminate called without an active exception", apache/arrow#34314), turning a
    # finished, correct run into exit code -6. Everything is printed and flushed by now.
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)
