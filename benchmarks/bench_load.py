"""Time ``stances.load`` against a plain pyarrow CSV read and against ``frictionless validate``.

    make bench                      # = .venv/bin/python benchmarks/bench_load.py
    python benchmarks/bench_load.py --statements 200000 --repeat 3 --skip-frictionless-full

1. Generates (or reuses) a synthetic corpus under ``benchmarks/_corpus/`` with
   ``generate.py``: 1,000,000 statements, 250,000 relations, 2,000 documents by default.
2. Runs every measurement in a fresh Python process (so one measurement's memory and
   caches neither help nor hurt the next; imports are done before the clock starts) and
   reports, side by side:

   a. ``stances.load(dir)``: read, every check (schema, enums, keys, foreign keys,
      sha256 of the sources, offsets and the ``text[start:end] == quote`` check), typed
      DataFrames; wall time, peak RSS increase, in-memory size of the DataFrames;
   b. ``pandas.read_csv(path, engine="pyarrow")`` of the same six CSV files, nothing
      checked;
   c. ``frictionless.validate(datapackage.json)`` on sub-corpora of 20,000 and 100,000
      statements, and on the full corpus unless it runs past ``--frictionless-timeout``
      (then its time is extrapolated from the largest sub-corpus, and labelled so).

3. Prints the ratios against the targets: load <= 3x the pyarrow read,
   >= 20x faster than frictionless, peak memory <= 3x the loaded DataFrames.

(a) and (b) run ``--repeat`` times each, alternating; the verdicts use the medians.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from generate import STAMP  # noqa: E402

TABLES = ("documents.csv", "actors.csv", "claims.csv", "statements.csv", "relations.csv",
          "reliability/statements.csv")
TARGET_PYARROW, TARGET_FRICTIONLESS, TARGET_MEMORY = 3.0, 20.0, 3.0
MB = 2**20


def step(message: str) -> None:
    print(f"==> {message}", flush=True)


# --- the measurements, each run in a child process ----------------------------------------------

def _status(field: str) -> int | None:
    """A size from /proc/self/status (Linux), in bytes."""
    try:
        with open("/proc/self/status") as handle:
            for line in handle:
                if line.startswith(field + ":"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return None


def _peak() -> int:
    """Peak resident set size of this process. VmHWM, not ru_maxrss: Linux carries ru_maxrss
    over from the parent across fork and exec, so a child of a big parent would report the
    parent's peak."""
    return _status("VmHWM") or resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024


def _rss() -> int:
    return _status("VmRSS") or _peak()


def _frames_bytes(frames) -> int:
    return int(sum(frame.memory_usage(deep=True).sum() for frame in frames))


def _timed(run) -> dict:
    """Run ``run()`` once; wall time, CPU time (all threads), RSS before and peak RSS."""
    before = _rss()
    cpu0 = resource.getrusage(resource.RUSAGE_SELF)
    t0 = time.perf_counter()
    value = run()
    seconds = time.perf_counter() - t0
    cpu1 = resource.getrusage(resource.RUSAGE_SELF)
    return {"value": value, "seconds": seconds, "user": cpu1.ru_utime - cpu0.ru_utime,
            "sys": cpu1.ru_stime - cpu0.ru_stime, "rss_before": before, "peak": _peak()}


def child(kind: str, corpus: Path) -> dict:
    if kind == "stances":
        import stances

        result = _timed(lambda: stances.load(corpus))
        loaded = result.pop("value")
        frames = [loaded.documents, loaded.actors, loaded.claims, loaded.statements,
                  loaded.relations, loaded.reliability]
        return {**result, "frames_bytes": _frames_bytes(frames), "rows": sum(len(f) for f in frames),
                "valid": True}
    if kind == "pyarrow":
        import pandas as pd

        result = _timed(lambda: [pd.read_csv(corpus / name, engine="pyarrow") for name in TABLES])
        frames = result.pop("value")
        return {**result, "frames_bytes": _frames_bytes(frames), "rows": sum(len(f) for f in frames),
                "valid": None}
    if kind == "frictionless":
        import frictionless

        # One untimed call on the one-article corpus first: frictionless spends ~2 s on its
        # first call setting itself up, which says nothing about how it scales.
        frictionless.validate(str(HERE.parent / "data" / "datapackage.json"))
        result = _timed(lambda: frictionless.validate(str(corpus / "datapackage.json")))
        report = result.pop("value")
        errors = [f"{task.name}: {error.message}" for task in report.tasks for error in task.errors]
        return {**result, "rows": sum(task.stats.get("rows") or 0 for task in report.tasks),
                "valid": bool(report.valid), "errors": errors[:5]}
    raise ValueError(kind)


def measure(kind: str, corpus: Path, timeout: float | None = None) -> dict | None:
    """Run one measurement in a fresh interpreter; None if it ran past ``timeout`` seconds."""
    command = [sys.executable, str(Path(__file__).resolve()), "--child", kind, str(corpus)]
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=timeout, check=False)
    except subprocess.TimeoutExpired:
        return None
    if done.returncode != 0:
        raise SystemExit(f"{kind} on {corpus} failed:\n{done.stderr[-3000:]}")
    return json.loads(done.stdout.splitlines()[-1])


# --- corpus handling -----------------------------------------------------------------------------

def ensure_corpus(root: Path, documents: int, statements: int, seed: int) -> Path:
    out = root / f"s{statements}_d{documents}_seed{seed}"
    stamp = out / STAMP
    if stamp.is_file():
        made = json.loads(stamp.read_text(encoding="utf-8"))
        if (made.get("documents"), made.get("statements"), made.get("seed")) == (documents, statements,
                                                                                 seed):
            step(f"reusing corpus {out}")
            return out
    step(f"generating corpus: {documents:,} documents, {statements:,} statements -> {out}")
    # In a child process, so that this process stays small.
    subprocess.run([sys.executable, str(HERE / "generate.py"), str(out), "--documents", str(documents),
                    "--statements", str(statements), "--seed", str(seed)], check=True)
    return out


def corpus_facts(path: Path) -> dict:
    sources = list((path / "sources").glob("*.txt"))
    return {"csv_bytes": sum((path / name).stat().st_size for name in TABLES),
            "source_bytes": sum(f.stat().st_size for f in sources), "sources": len(sources)}


# --- report --------------------------------------------------------------------------------------

def versions() -> str:
    import frictionless
    import numpy
    import pandas
    import pyarrow

    return (f"Python {platform.python_version()}, pandas {pandas.__version__}, pyarrow "
            f"{pyarrow.__version__}, numpy {numpy.__version__}, frictionless {frictionless.__version__}")


def table(rows: list[list[str]]) -> str:
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    lines = ["| " + " | ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)) + " |" for r in rows]
    lines.insert(1, "|" + "|".join("-" * (w + 2) for w in widths) + "|")
    return "\n".join(lines)


def spread(runs: list[dict]) -> str:
    times = sorted(r["seconds"] for r in runs)
    if len(times) == 1:
        return f"{times[0]:.2f}"
    return f"{statistics.median(times):.2f} ({times[0]:.2f}-{times[-1]:.2f})"


def cpu(runs: list[dict]) -> str:
    return (f"{statistics.median(r['user'] for r in runs):.2f} + "
            f"{statistics.median(r['sys'] for r in runs):.2f}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--statements", type=int, default=1_000_000)
    parser.add_argument("--documents", type=int, default=2_000)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--repeat", type=int, default=5, help="runs of (a) and (b) each (5)")
    parser.add_argument("--corpus-root", type=Path, default=HERE / "_corpus")
    parser.add_argument("--frictionless-sizes", default="20000,100000",
                        help="statement counts of the sub-corpora frictionless validates")
    parser.add_argument("--frictionless-timeout", type=float, default=300.0,
                        help="seconds to let frictionless run on the full corpus (300)")
    parser.add_argument("--skip-frictionless-full", action="store_true",
                        help="only the sub-corpora; the full-corpus time is extrapolated")
    parser.add_argument("--json", type=Path, help="also write the raw measurements here")
    parser.add_argument("--child", nargs=2, metavar=("KIND", "CORPUS"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        print(json.dumps(child(args.child[0], Path(args.child[1]))))
        return 0

    started = time.perf_counter()
    step(f"machine: {os.cpu_count()} CPUs, {platform.machine()}; {versions()}")
    full = ensure_corpus(args.corpus_root, args.documents, args.statements, args.seed)
    facts = corpus_facts(full)
    step(f"corpus: {facts['csv_bytes'] / MB:,.0f} MiB of CSV, {facts['sources']:,} source texts "
         f"({facts['source_bytes'] / MB:,.1f} MiB)")
    subs = {}
    for size in sorted({int(s) for s in args.frictionless_sizes.split(",") if s.strip()}):
        if size < args.statements:
            docs = max(1, round(args.documents * size / args.statements))
            subs[size] = ensure_corpus(args.corpus_root, docs, size, args.seed)

    loads, reads = [], []
    for i in range(args.repeat):
        step(f"(a) stances.load with full validation, run {i + 1}/{args.repeat}")
        loads.append(measure("stances", full))
        step(f"(b) pandas.read_csv(engine='pyarrow') of the six CSV files, run {i + 1}/{args.repeat}")
        reads.append(measure("pyarrow", full))

    fric = {}
    for size, path in subs.items():
        step(f"(c) frictionless.validate on the {size:,}-statement sub-corpus")
        fric[size] = measure("frictionless", path)
    fric_full = None
    if not args.skip_frictionless_full:
        step(f"(c) frictionless.validate on the full corpus (given up after "
             f"{args.frictionless_timeout:.0f} s)")
        fric_full = measure("frictionless", full, timeout=args.frictionless_timeout)
        if fric_full is None:
            step("    frictionless ran past the timeout; its full-corpus time will be extrapolated")

    # ---- summary ----
    load_med = statistics.median(r["seconds"] for r in loads)
    read_med = statistics.median(r["seconds"] for r in reads)
    rows_full = loads[0]["rows"]
    frames = loads[0]["frames_bytes"]
    peak_increase = statistics.median(r["peak"] - r["rss_before"] for r in loads)
    read_increase = statistics.median(r["peak"] - r["rss_before"] for r in reads)

    lines = [["measurement", "corpus", "rows", "wall s: median (min-max)", "CPU s: user + sys",
              "rows/s", "peak RSS increase", "note"]]
    lines.append(["(a) stances.load, all checks, typed DataFrames", "full", f"{rows_full:,}",
                  spread(loads), cpu(loads), f"{rows_full / load_med:,.0f}",
                  f"{peak_increase / MB:,.0f} MiB", f"{len(loads)} fresh processes"])
    lines.append(["(b) pandas.read_csv(engine='pyarrow'), no checks", "full", f"{reads[0]['rows']:,}",
                  spread(reads), cpu(reads), f"{reads[0]['rows'] / read_med:,.0f}",
                  f"{read_increase / MB:,.0f} MiB", f"{len(reads)} fresh processes"])
    for size, result in fric.items():
        lines.append(["(c) frictionless.validate", f"{size:,} statements", f"{result['rows']:,}",
                      spread([result]), cpu([result]), f"{result['rows'] / result['seconds']:,.0f}",
                      f"{(result['peak'] - result['rss_before']) / MB:,.0f} MiB",
                      "1 run, " + ("valid" if result["valid"] else f"INVALID: {result['errors']}")])
    if fric_full is not None:
        fric_seconds, fric_label = fric_full["seconds"], "measured"
        lines.append(["(c) frictionless.validate", "full", f"{fric_full['rows']:,}", spread([fric_full]),
                      cpu([fric_full]), f"{fric_full['rows'] / fric_seconds:,.0f}",
                      f"{(fric_full['peak'] - fric_full['rss_before']) / MB:,.0f} MiB",
                      "1 run, measured, " + ("valid" if fric_full["valid"] else
                                             f"INVALID: {fric_full['errors']}")])
    elif fric:
        largest = fric[max(fric)]
        rate = largest["rows"] / largest["seconds"]
        fric_seconds, fric_label = rows_full / rate, "EXTRAPOLATED"
        lines.append(["(c) frictionless.validate", "full", f"{rows_full:,}",
                      f"~{fric_seconds:.0f} EXTRAPOLATED", "-", f"{rate:,.0f}", "-",
                      f"not run: rows / rate of the {max(fric):,}-statement run"])
    else:
        fric_seconds, fric_label = None, "not measured"

    print()
    print(f"stances.load benchmark, {time.strftime('%Y-%m-%d')}, {os.cpu_count()} CPUs, {versions()}")
    print(f"full corpus: {args.statements:,} statements, {args.statements // 4:,} relations, "
          f"{args.documents:,} documents; {facts['csv_bytes'] / MB:,.0f} MiB CSV + "
          f"{facts['source_bytes'] / MB:,.1f} MiB source text")
    print()
    print(table(lines))
    print()
    ratio_read = load_med / read_med
    ratio_best = min(r["seconds"] for r in loads) / min(r["seconds"] for r in reads)
    ratio_mem = peak_increase / frames
    targets = [["target", "measured (medians)", "met"],
               ["load <= 3x pyarrow read time",
                f"{ratio_read:.2f}x ({load_med:.2f} s / {read_med:.2f} s; best runs: {ratio_best:.2f}x)",
                "yes" if ratio_read <= TARGET_PYARROW else "NO"]]
    if fric_seconds is not None:
        speedup = fric_seconds / load_med
        targets.append([f">= 20x faster than frictionless ({fric_label})",
                        f"{speedup:.1f}x ({fric_seconds:.1f} s / {load_med:.2f} s)",
                        "yes" if speedup >= TARGET_FRICTIONLESS else "NO"])
    targets.append(["peak memory <= 3x loaded DataFrames",
                    f"{ratio_mem:.2f}x ({peak_increase / MB:,.0f} MiB / {frames / MB:,.0f} MiB)",
                    "yes" if ratio_mem <= TARGET_MEMORY else "NO"])
    print(table(targets))
    print()
    print(f"peak RSS of a whole stances.load process (interpreter and imports included): "
          f"{max(r['peak'] for r in loads) / MB:,.0f} MiB; in-memory size of the DataFrames "
          f"pandas.read_csv returns: {reads[0]['frames_bytes'] / MB:,.0f} MiB")
    print(f"benchmark took {time.perf_counter() - started:.0f} s")
    if args.json:
        args.json.write_text(json.dumps({"loads": loads, "reads": reads, "frictionless": fric,
                                         "frictionless_full": fric_full, "facts": facts},
                                        indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
