"""What `suggest` costs at corpus scale: per article as a study's actors grow from 10 to 5,000, and
per document as it grows to 1 MB.

* Actors: the six eval texts' speakers (``benchmarks/eval/gold.csv``) plus synthetic people and
  organisations ("Halvard Brennick", "Ostrava Council"...), seeded, up to N in all. The actors'
  names are compiled into one matcher once per actor list (timed apart); the per-article cost
  is the mean over the six eval texts of the fastest of five calls of ``suggest`` given that
  matcher, as in a run over a folder of documents (the fastest: the machine is shared, and
  other work only ever adds time).
* Length: the six eval texts joined and repeated to 100 KB ... 1 MB (newswire paragraphs, 50
  actors); the fastest of three calls, sentence splitting included.

Run: ``.venv/bin/python benchmarks/bench_suggest.py`` (a minute or so).
"""

from __future__ import annotations

import random
import statistics
import time
from pathlib import Path

import pandas as pd

from stances.coding.matcher import _compiled, matcher
from stances.coding.suggest import suggest

EVAL = Path(__file__).resolve().parent / "eval"
TEXTS = sorted((EVAL / "texts").glob("*.txt"))
SIZES = (10, 100, 1000, 5000)
LENGTHS = (100_000, 250_000, 500_000, 1_000_000)
_SYLLABLES = ["bren", "hal", "vard", "ost", "ra", "mik", "tel", "son", "dor", "ane", "lis", "kov", "ber",
              "gan"]


def actors(n: int, seed: int = 0) -> pd.DataFrame:
    gold = pd.read_csv(EVAL / "gold.csv")
    rows = [{"actor_id": f"g{i}", "name": name, "kind": "person" if " " in name else "organization",
             "aliases": pd.NA, "label": name} for i, name in enumerate(sorted(set(gold["speaker"])))]
    rng = random.Random(seed)
    while len(rows) < n:
        word = lambda: "".join(rng.choice(_SYLLABLES) for _ in range(rng.randint(2, 3))).capitalize()  # noqa: E731
        person = rng.random() < 0.7
        name = f"{word()} {word()}" if person else f"{word()} {rng.choice(['Council', 'Ministry', 'Party'])}"
        kind = "person" if person else "organization"
        rows.append({"actor_id": f"a{len(rows)}", "name": name, "kind": kind, "aliases": pd.NA,
                     "label": name})
    return pd.DataFrame(rows[:n]).astype({"aliases": "string"})


def per_article(n: int) -> tuple[float, float]:
    """(seconds to compile the matcher, seconds per article) with ``n`` actors."""
    table = actors(n)
    _compiled.cache_clear()
    start = time.perf_counter()
    names = matcher(table)
    compiled = time.perf_counter() - start
    texts = [path.read_text(encoding="utf-8") for path in TEXTS]
    for text in texts:
        suggest(text, table, names)  # warm: imports and first calls
    best = {}
    for _ in range(5):
        for i, text in enumerate(texts):
            start = time.perf_counter()
            suggest(text, table, names)
            best[i] = min(best.get(i, float("inf")), time.perf_counter() - start)
    return compiled, statistics.mean(best.values())


def per_length(size: int) -> float:
    base = "\n\n".join(path.read_text(encoding="utf-8") for path in TEXTS)
    text = ("\n\n".join([base] * (size // len(base) + 1)))[:size]
    table = actors(50)
    suggest("", table)
    times = []
    for _ in range(3):
        start = time.perf_counter()
        suggest(text, table)
        times.append(time.perf_counter() - start)
    return min(times)


if __name__ == "__main__":
    print("| actors | matcher compiled once (s) | per article (ms) |")
    print("|---|---|---|")
    for n in SIZES:
        compiled, article = per_article(n)
        print(f"| {n:,} | {compiled:.3f} | {article * 1000:.1f} |")
    print("\n| document | suggest (s) | s per MB |")
    print("|---|---|---|")
    for size in LENGTHS:
        seconds = per_length(size)
        print(f"| {size / 1e6:.2f} MB | {seconds:.2f} | {seconds / size * 1e6:.2f} |")
