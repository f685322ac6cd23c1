"""Time ``stances.load`` against a warm pyarrow read of the same files, and time the error path.

    make bench                      # = .venv/bin/python benchmarks/bench_load.py
    python benchmarks/bench_load.py --shapes 200000x2000 --warm 3
    python benchmarks/bench_load.py --shapes 10000000x20000 --warm 1 --no-errors   # linearity

For each corpus shape (statements x documents; by default 1M over 2,000 and 1M over 10,000
documents), generated once under ``benchmarks/_corpus/`` with ``generate.py``:

1. **read**: the floor. ``pyarrow.csv.read_csv`` of every table the package declares plus
   the bytes of every source text, i.e. the same files the loader reads, nothing checked.
2. **load**: ``stances.load(dir)``: every check, typed DataFrames.
3. **ragged row at the end**: a copy whose last statement has one field too many, and
   **100,000 bad rows**: a copy where 100,000 statements spread over the file lack a field;
   each timed through ``stances.corpus.loader.validate`` (the problems are collected, not printed),
   plus the number of lines ``python -m stances validate`` prints by default.

Each measurement runs in a fresh process: the first call is the *fresh* time (cold caches of
the process, not of the disk), then ``--warm`` more calls in the same process give the *warm*
median. CPU seconds are user + system over all threads (``getrusage``) of the fresh call; peak
memory is the increase of the process's VmHWM during the fresh call.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import resource
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from generate import STAMP  # noqa: E402

MB = 2**20
TARGET_LOAD, TARGET_ERROR_TIME, TARGET_ERROR_MEMORY = 2.0, 3.0, 1.5


def step(message: str) -> None:
    print(f"==> {message}", flush=True)


# --- the measurements, each in a child process --------------------------------------------------

def _status(field: str) -> int:
    with open("/proc/self/status") as handle:
        return next(int(line.split()[1]) * 1024 for line in handle if line.startswith(field + ":"))


def _timed(run) -> dict:
    before, cpu0, t0 = _status("VmRSS"), resource.getrusage(resource.RUSAGE_SELF), time.perf_counter()
    value = run()
    seconds, cpu1 = time.perf_counter() - t0, resource.getrusage(resource.RUSAGE_SELF)
    return {"value": value, "seconds": seconds, "cpu": cpu1.ru_utime - cpu0.ru_utime
            + cpu1.ru_stime - cpu0.ru_stime, "peak": _status("VmHWM") - before}


def _read_everything(corpus: Path) -> int:
    """The floor: every table the package declares, parsed by pyarrow, and every source's bytes."""
    import pyarrow.csv as pacsv

    descriptor = json.loads((corpus / "datapackage.json").read_text(encoding="utf-8"))
    rows = sum(pacsv.read_csv(corpus / r["path"]).num_rows for r in descriptor["resources"])
    for source in sorted((corpus / "sources").iterdir()):
        source.read_bytes()
    return rows


def child(kind: str, corpus: Path, warm: int) -> dict:
    import stances
    from stances.corpus.loader import validate

    run = {"read": lambda: _read_everything(corpus),
           "load": lambda: sum(map(len, stances.load(corpus).tables.values())),
           "validate": lambda: len(validate(corpus))}[kind]
    fresh = _timed(run)
    warm_runs = [_timed(run)["seconds"] for _ in range(warm)]
    return {"seconds": fresh["seconds"], "cpu": fresh["cpu"], "peak": fresh["peak"],
            "value": fresh["value"], "warm": statistics.median(warm_runs) if warm_runs else None}


def measure(kind: str, corpus: Path, warm: int) -> dict:
    command = [sys.executable, str(Path(__file__).resolve()), "--child", kind, str(corpus), str(warm)]
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise SystemExit(f"{kind} on {corpus} failed:\n{done.stderr[-3000:]}")
    return json.loads(done.stdout.splitlines()[-1])


def printed_lines(corpus: Path) -> int:
    """How many lines ``python -m stances validate`` prints (stdout + stderr) by default."""
    done = subprocess.run([sys.executable, "-m", "stances", "validate", str(corpus)],
                          capture_output=True, text=True, check=False)
    return len(done.stdout.splitlines()) + len(done.stderr.splitlines())


# --- corpora ----------------------------------------------------------------------------------------

def ensure_corpus(root: Path, statements: int, documents: int) -> Path:
    out = root / f"s{statements}_d{documents}"
    stamp = out / STAMP
    if stamp.is_file():
        made = json.loads(stamp.read_text(encoding="utf-8"))
        if (made.get("documents"), made.get("statements")) == (documents, statements):
            return out
    step(f"generating {statements:,} statements over {documents:,} documents -> {out}")
    subprocess.run([sys.executable, str(HERE / "generate.py"), str(out), "--documents", str(documents),
                    "--statements", str(statements), "--quiet"], check=True)
    return out


def broken_copy(corpus: Path, name: str, break_statements) -> Path:
    """A copy of ``corpus`` (hard links, so no disk is spent) with statements.csv rewritten."""
    out = corpus.parent / f"{corpus.name}_{name}"
    if out.exists():
        shutil.rmtree(out)
    shutil.copytree(corpus, out, copy_function=os.link)
    lines = (corpus / "statements.csv").read_bytes().split(b"\n")
    (out / "statements.csv").unlink()
    (out / "statements.csv").write_bytes(b"\n".join(break_statements(lines)))
    return out


def ragged_last_row(lines: list[bytes]) -> list[bytes]:
    last = len(lines) - 2 if lines[-1] == b"" else len(lines) - 1
    return [*lines[:last], lines[last] + b",one too many", *lines[last + 1:]]


def bad_rows(lines: list[bytes], count: int = 100_000) -> list[bytes]:
    """Drops the (empty) last field of ``count`` rows spread over the file: each becomes one
    'row has 11 fields' problem. Only rows ending ``,coderN,`` are touched, never a line of a
    multi-line value."""
    ends = [i for i, line in enumerate(lines) if re.search(rb",coder[0-9]+,$", line)]
    chosen = set(ends[:: max(1, len(ends) // count)][:count])
    return [line[:-1] if i in chosen else line for i, line in enumerate(lines)]


# --- report -----------------------------------------------------------------------------------------

def table(rows: list[list[str]]) -> str:
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    lines = ["| " + " | ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)) + " |" for r in rows]
    lines.insert(1, "|" + "|".join("-" * (w + 2) for w in widths) + "|")
    return "\n".join(lines)


def versions() -> str:
    import numpy
    import pandas
    import pyarrow

    return (f"Python {platform.python_version()}, pandas {pandas.__version__}, pyarrow "
            f"{pyarrow.__version__}, numpy {numpy.__version__}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--shapes", default="1000000x2000,1000000x10000",
                        help="comma-separated STATEMENTSxDOCUMENTS (default: 1M over 2,000 and 10,000)")
    parser.add_argument("--warm", type=int, default=3, help="warm calls after the fresh one (3)")
    parser.add_argument("--repeat", type=int, default=2, help="fresh processes per measurement (2)")
    parser.add_argument("--no-errors", action="store_true", help="skip the error-path measurements")
    parser.add_argument("--corpus-root", type=Path, default=HERE / "_corpus")
    parser.add_argument("--json", type=Path, help="also write the raw measurements here")
    parser.add_argument("--child", nargs=3, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        print(json.dumps(child(args.child[0], Path(args.child[1]), int(args.child[2]))))
        return 0

    started = time.perf_counter()
    load_average = os.getloadavg()
    step(f"machine: {os.cpu_count()} CPUs; {versions()}; load average {load_average[0]:.2f}")
    rows = [["corpus", "measurement", "fresh s", "warm s", "CPU s (fresh)", "peak MiB", "ratio",
             "note"]]
    verdicts = [["target", "corpus", "measured", "met"]]
    raw = {}
    for shape in args.shapes.split(","):
        statements, documents = (int(n) for n in shape.split("x"))
        corpus = ensure_corpus(args.corpus_root, statements, documents)
        label = f"{statements / 1e6:g}M / {documents:,} docs"
        runs = {"read": [], "load": []}
        for i in range(args.repeat):
            for kind in ("read", "load"):  # alternate, so that noise hits both alike
                step(f"{label}: {kind}, process {i + 1}/{args.repeat}")
                runs[kind].append(measure(kind, corpus, args.warm))
        if not args.no_errors:
            for name, breaker in (("ragged_last_row", ragged_last_row),
                                  ("100k_bad_rows", bad_rows)):
                broken = broken_copy(corpus, name, breaker)
                step(f"{label}: validate {name}")
                runs[name] = [measure("validate", broken, 0)]
                runs[name][0]["printed"] = printed_lines(broken)
                shutil.rmtree(broken)
        raw[label] = runs

        def med(kind, key="seconds", runs=runs):
            return statistics.median(r[key] for r in runs[kind])

        warm = args.warm > 0
        rows.append([label, "read (pyarrow, every table + sources)", f"{med('read'):.2f}",
                     f"{med('read', 'warm'):.2f}" if warm else "-", f"{med('read', 'cpu'):.2f}",
                     f"{med('read', 'peak') / MB:,.0f}", "1.00", f"{runs['read'][0]['value']:,} rows"])
        rows.append([label, "stances.load", f"{med('load'):.2f}",
                     f"{med('load', 'warm'):.2f}" if warm else "-", f"{med('load', 'cpu'):.2f}",
                     f"{med('load', 'peak') / MB:,.0f}",
                     f"{med('load') / med('read'):.2f} fresh"
                     + (f", {med('load', 'warm') / med('read', 'warm'):.2f} warm" if warm else ""),
                     f"{runs['load'][0]['value']:,} rows"])
        if warm:
            ratio = med("load", "warm") / med("read", "warm")
            verdicts.append([f"load <= {TARGET_LOAD:g}x warm read", label, f"{ratio:.2f}x",
                             "yes" if ratio <= TARGET_LOAD else "NO"])
        for name in ("ragged_last_row", "100k_bad_rows"):
            if name not in runs:
                continue
            result = runs[name][0]
            time_ratio, memory_ratio = result["seconds"] / med("load"), result["peak"] / med("load", "peak")
            rows.append([label, f"validate, {name.replace('_', ' ')}", f"{result['seconds']:.2f}", "-",
                         f"{result['cpu']:.2f}", f"{result['peak'] / MB:,.0f}",
                         f"{time_ratio:.2f} time, {memory_ratio:.2f} memory (of the load)",
                         f"{result['value']:,} problems, {result['printed']} lines printed"])
            verdicts.append([f"error path ({name}) <= {TARGET_ERROR_TIME:g}x load time, "
                             f"<= {TARGET_ERROR_MEMORY:g}x its memory", label,
                             f"{time_ratio:.2f}x, {memory_ratio:.2f}x",
                             "yes" if time_ratio <= TARGET_ERROR_TIME
                             and memory_ratio <= TARGET_ERROR_MEMORY else "NO"])

    print()
    print(f"stances.load benchmark, {time.strftime('%Y-%m-%d %H:%M')}, {os.cpu_count()} CPUs, "
          f"{versions()}; load average at start {load_average[0]:.2f}; {args.repeat} fresh processes "
          f"per measurement, medians")
    print()
    print(table(rows))
    print()
    print(table(verdicts))
    print(f"\nbenchmark took {time.perf_counter() - started:.0f} s")
    if args.json:
        args.json.write_text(json.dumps(raw, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
