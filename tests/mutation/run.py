"""Run cosmic-ray mutation sessions, one module at a time, and print the score table.

Usage (from the repository root, with cosmic-ray installed in .venv; ``make mutation`` does both):

    .venv/bin/python tests/mutation/run.py [NAME ...]     # NAME = a TOML here, e.g. anchor, measures
    .venv/bin/python tests/mutation/run.py --report-only  # summarise the stored sessions again
    .venv/bin/python tests/mutation/run.py --retest-survivors NAME  # run only its survivors again

Score: killed (timeouts and incompetent mutants included, as cosmic-ray counts them) over all
mutants ("raw score"), and over the mutants not judged equivalent ("score": the classic mutation
score). Survivors judged equivalent are listed, with the reason, in ``equivalent.toml``.

Each ``tests/mutation/NAME.toml`` is one session, stored in ``tests/mutation/sessions/NAME.sqlite``
(git-ignored). A config may name the top-level functions/assignments to mutate under
``[cosmic-ray.filters.line-filter] names``; their line ranges are computed from the source
here (so they follow edits to the module) and every mutant outside them is marked skipped
with cosmic-ray's own line filter. Skipped mutants are left out of the score.

cosmic-ray mutates the module file in place and restores it after each mutant; as a guard,
this script also restores the original bytes if the file differs after a session.
"""

from __future__ import annotations

import argparse
import ast
import subprocess
import sys
import time
from pathlib import Path

import toml
from cosmic_ray.work_db import WorkDB, WorkResultStorage, use_db
from cosmic_ray.work_item import TestOutcome, WorkerOutcome

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
SESSIONS = HERE / "sessions"
BIN = Path(sys.executable).parent


def name_ranges(module: Path, names: list[str]) -> list[str]:
    """``"first-last"`` line ranges of the top-level definitions/assignments called ``names``."""
    tree = ast.parse(module.read_text(encoding="utf-8"))
    ranges = {}
    for node in tree.body:
        if isinstance(node, ast.FunctionDef | ast.ClassDef):
            found = [node.name]
        elif isinstance(node, ast.Assign):
            found = [t.id for t in node.targets if isinstance(t, ast.Name)]
        else:
            continue
        for name in found:
            if name in names:
                first = min([node.lineno] + [d.lineno for d in getattr(node, "decorator_list", [])])
                ranges[name] = f"{first}-{node.end_lineno}"
    missing = sorted(set(names) - set(ranges))
    if missing:
        sys.exit(f"{module}: no top-level definition of {', '.join(missing)}")
    return [ranges[name] for name in names]


def run(*command: str) -> None:
    print("+", " ".join(command), flush=True)
    subprocess.run(command, cwd=REPO, check=True)


def forget_survivors(db: Path) -> int:
    """Drop the results of the surviving mutants of a stored session, so that ``exec`` runs them
    again (against tests that only grew since: a mutant killed before stays killed)."""
    with use_db(str(db), WorkDB.Mode.open) as work_db, work_db._session_maker.begin() as store:
        return (store.query(WorkResultStorage)
                .filter(WorkResultStorage.test_outcome == TestOutcome.SURVIVED).delete())


def session(name: str, retest_survivors: bool = False) -> float:
    """Run the session of ``tests/mutation/<name>.toml`` from scratch (or only its survivors
    again); return its wall time."""
    config_path = HERE / f"{name}.toml"
    config = toml.loads(config_path.read_text(encoding="utf-8"))["cosmic-ray"]
    module = REPO / config["module-path"]
    original = module.read_bytes()
    db = SESSIONS / f"{name}.sqlite"
    SESSIONS.mkdir(exist_ok=True)
    began = time.monotonic()
    try:
        if retest_survivors:
            print(f"{name}: {forget_survivors(db)} survivors to run again", flush=True)
            run(str(BIN / "cosmic-ray"), "exec", str(config_path), str(db))
            return time.monotonic() - began
        run(str(BIN / "cosmic-ray"), "baseline", str(config_path))
        run(str(BIN / "cosmic-ray"), "init", "--force", str(config_path), str(db))
        names = config.get("filters", {}).get("line-filter", {}).get("names")
        if names:
            config["filters"]["line-filter"]["lines"] = {config["module-path"]: name_ranges(module, names)}
            derived = SESSIONS / f"{name}.lines.toml"
            derived.write_text(toml.dumps({"cosmic-ray": config}), encoding="utf-8")
            run(str(BIN / "cr-filter-lines"), str(db), "--config", str(derived))
        run(str(BIN / "cosmic-ray"), "exec", str(config_path), str(db))
    finally:
        if module.read_bytes() != original:
            module.write_bytes(original)
            print(f"warning: {module} was left mutated; restored", file=sys.stderr)
    return time.monotonic() - began


def mutated_line(diff: str | None) -> str:
    """The mutated source line of a mutant's diff, stripped: how equivalent.toml names it."""
    return next((line[1:].strip() for line in (diff or "").splitlines()
                 if line.startswith("+") and not line.startswith("+++")), "")


def equivalents(name: str) -> dict[str, str]:
    """Mutated line -> reason, for the survivors of ``name`` judged equivalent (equivalent.toml)."""
    path = HERE / "equivalent.toml"
    if not path.exists():
        return {}
    return {" ".join(entry["mutated"].split()): entry["reason"]
            for entry in toml.loads(path.read_text(encoding="utf-8")).get(name, [])}


def summary(name: str, markdown: bool = False) -> tuple[dict[str, int | str], list[str]]:
    """The counts of one stored session and one line per surviving mutant.

    A survivor whose mutated line is listed in ``equivalent.toml`` under ``name`` counts as
    equivalent; the score is the share of the other mutants that the tests kill."""
    counts = {"mutants": 0, "killed": 0, "survived": 0, "timeout": 0, "incompetent": 0,
              "skipped": 0, "pending": 0, "equivalent": 0}
    judged = equivalents(name)
    survivors = []
    with use_db(str(SESSIONS / f"{name}.sqlite"), WorkDB.Mode.open) as db:
        done = db.completed_work_items
        counts["pending"] = db.num_work_items - len(done)
        for item, result in done:
            if result.worker_outcome == WorkerOutcome.SKIPPED:
                counts["skipped"] += 1
                continue
            counts["mutants"] += 1
            if result.test_outcome == TestOutcome.SURVIVED:
                counts["survived"] += 1
                mutation = item.mutations[0]
                reason = judged.get(" ".join(mutated_line(result.diff).split()))
                counts["equivalent"] += reason is not None
                diff = "\n      ".join(line for line in (result.diff or "").splitlines()
                                       if line[:1] in "+-" and line[:3] not in ("+++", "---"))
                if markdown:
                    cells = [mutated_line(result.diff), reason or "**not judged equivalent**"]
                    code, why = (cell.replace("|", "\\|") for cell in cells)
                    survivors.append(f"| {mutation.start_pos[0]} | {mutation.operator_name[5:]} | "
                                     f"`{code}` | {why} |")
                else:
                    survivors.append(f"  line {mutation.start_pos[0]}:{mutation.start_pos[1]} "
                                     f"{mutation.operator_name} #{mutation.occurrence} "
                                     f"[{'equivalent: ' + reason if reason else 'NOT JUDGED EQUIVALENT'}]"
                                     f"\n      {diff}")
            elif result.test_outcome == TestOutcome.INCOMPETENT:
                counts["incompetent"] += 1
            elif result.output == "timeout":
                counts["timeout"] += 1
            else:
                counts["killed"] += 1
    caught = counts["killed"] + counts["timeout"] + counts["incompetent"]
    counts["raw score"] = f"{100 * caught / counts['mutants']:.1f} %" if counts["mutants"] else "n/a"
    scored = counts["mutants"] - counts["equivalent"]
    counts["score"] = f"{100 * caught / scored:.1f} %" if scored else "n/a"
    return counts, sorted(survivors, key=lambda s: int(s.split()[1].split(":")[0].strip("|")))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("names", nargs="*", help="config names (default: every TOML here)")
    parser.add_argument("--report-only", action="store_true", help="only summarise stored sessions")
    parser.add_argument("--markdown", action="store_true", help="survivors as Markdown tables")
    parser.add_argument("--retest-survivors", action="store_true",
                        help="run only the stored sessions' surviving mutants again")
    args = parser.parse_args()
    names = args.names or sorted(p.stem for p in HERE.glob("*.toml") if p.stem != "equivalent")
    times = {}
    if not args.report_only:
        for name in names:  # one at a time: the machine is shared
            times[name] = time.strftime("%M:%S", time.gmtime(session(name, args.retest_survivors)))
    columns = ["mutants", "killed", "timeout", "incompetent", "survived", "equivalent", "raw score",
               "score"]
    print("\n| module | " + " | ".join(columns) + " | skipped (out of scope) | wall time |")
    print("|---" * (len(columns) + 3) + "|")
    details = []
    for name in names:
        counts, survivors = summary(name, args.markdown)
        print(f"| {name} | " + " | ".join(str(counts[c]) for c in columns)
              + f" | {counts['skipped']} | {times.get(name, '-')} |")
        if counts["pending"]:
            details.append(f"{name}: {counts['pending']} mutants not run yet")
        if survivors and args.markdown:
            details.append(f"{name}: surviving mutants\n\n| line | operator | mutated line | why it "
                           "is equivalent |\n|---|---|---|---|\n" + "\n".join(survivors) + "\n")
        elif survivors:
            details.append(f"{name}: surviving mutants\n" + "\n".join(survivors))
    print("\n" + "\n".join(details))


if __name__ == "__main__":
    main()
