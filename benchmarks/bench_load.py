"""Time ``stances.load`` on generated corpora: three measurements, three targets (issue 23).

    make bench        # = .venv/bin/python benchmarks/bench_load.py

1. 100,000 statements over 10,000 documents load in under 1 s;
2. cost grows linearly: over 10,000 documents, the seconds each further 100,000 statements add
   from 100k to 300k and from 300k to 1M are about equal;
3. 1M statements load within 3x a plain pyarrow read of the same files (every table and text).

Each corpus is generated once (seeded: the same bytes every time) under ``benchmarks/_corpus/``:
``datapackage.json``, ``actors.csv`` and ``claims.csv`` come from ``data/``; each text is
sentences of words (some non-ASCII, some with quote marks); each statement quotes 1-8 words of one
sentence, so every check passes. Each time is the median of three loads in one process.
"""

from __future__ import annotations

import csv
import hashlib
import json
import random
import shutil
import statistics
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
DATA = HERE.parent / "data"
WORDS = ["the", "talks", "on", "Idlib", "would", "continue", "after", "a", "meeting", "in", "Sochi",
         "Erdoğan", "Putin", "Türkiye", "Moscow", "NATO", "S-400", "missiles", "ceasefire", "troops",
         "border", "rebels", "“constructive”", '"no', 'progress"', "café", "résumé", "naïve", "peace,",
         "however,", "sanctions", "deal", "strategy", "officials", "reported"]
TABLES = ("documents", "actors", "claims", "statements", "relations")


def ids(path: Path) -> list[str]:
    with path.open(encoding="utf-8", newline="") as handle:
        return [row[0] for row in list(csv.reader(handle))[1:]]


def write(path: Path, header: str, rows) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        out = csv.writer(handle, lineterminator="\n")
        out.writerow(header.split(","))
        out.writerows(rows)


def generate(out: Path, statements: int, documents: int, seed: int = 0) -> Path:
    """A valid corpus of ``statements`` statements (and a quarter as many relations)."""
    if (out / "datapackage.json").exists():
        return out
    rng, tmp = random.Random(seed), out.with_suffix(".tmp")
    shutil.rmtree(tmp, ignore_errors=True)
    (tmp / "sources").mkdir(parents=True)
    package = json.loads((DATA / "datapackage.json").read_text(encoding="utf-8"))
    package["resources"] = [r for r in package["resources"] if r["name"] in TABLES]
    (tmp / "datapackage.json").write_text(json.dumps(package, indent=1), encoding="utf-8")
    for name in ("actors.csv", "claims.csv"):
        shutil.copy(DATA / name, tmp / name)
    actors, claims = ids(DATA / "actors.csv"), ids(DATA / "claims.csv")
    enums = {f["name"]: f["constraints"]["enum"] for r in package["resources"]
             for f in r["schema"]["fields"] if "enum" in f.get("constraints", {})}
    texts, sentences, docs = [], [], []
    for d in range(documents):
        text, spans = "", []  # spans: the (start, end) of each word, one list per sentence
        for _ in range(8):
            words = rng.choices(WORDS, k=rng.randint(8, 20))
            spans.append([])
            for word in words:
                spans[-1].append((len(text), len(text) + len(word)))
                text += word + " "
            text = text[:-1] + ". "
        doc_id = f"doc{d:05d}"
        (tmp / "sources" / f"{doc_id}.txt").write_text(text, encoding="utf-8")
        texts.append(text)
        sentences.append(spans)
        docs.append((doc_id, f"Article {d}", "", "", "en", f"sources/{doc_id}.txt",
                     hashlib.sha256(text.encode()).hexdigest(), ""))
    write(tmp / "documents.csv", "doc_id,title,outlet,published,language,path,sha256,note", docs)

    def span(i: int, n: int):
        d = i * documents // n  # sorted by document, as a coder writes them
        words = rng.choice(sentences[d])
        first = rng.randrange(len(words))
        start, end = words[first][0], words[min(len(words) - 1, first + rng.randint(0, 7))][1]
        return docs[d][0], start, end, texts[d][start:end]

    write(tmp / "statements.csv", "statement_id,doc_id,start,end,quote,speaker,claim_id,stance,"
          "attribution,target,coder,note",
          ((f"s{i:07d}", *span(i, statements), rng.choice(actors), rng.choice(claims),
            rng.choice(enums["stance"]), rng.choice(enums["attribution"]), "", "coder1", "")
           for i in range(statements)))
    n = statements // 4
    write(tmp / "relations.csv", "relation_id,doc_id,start,end,quote,source,relation,target,topic",
          ((f"rel{i:07d}", *span(i, n), rng.choice(actors), rng.choice(enums["relation"]),
            rng.choice(actors), rng.choice(enums["topic"])) for i in range(n)))
    tmp.rename(out)
    return out


def median_seconds(run, times: int = 3) -> float:
    seconds = []
    for _ in range(times):
        t0 = time.perf_counter()
        run()
        seconds.append(time.perf_counter() - t0)
    return statistics.median(seconds)


def pyarrow_read(corpus: Path) -> None:
    """The floor: every table parsed by pyarrow (all strings) and every source text read."""
    import pyarrow.csv as pacsv

    for name in TABLES:
        pacsv.read_csv(corpus / f"{name}.csv", convert_options=pacsv.ConvertOptions(
            column_types={}, strings_can_be_null=False))
    for source in (corpus / "sources").iterdir():
        source.read_bytes()


def main() -> int:
    import stances

    load = {}
    for statements in (100_000, 300_000, 1_000_000):
        corpus = generate(HERE / "_corpus" / f"s{statements}_d10000", statements, 10_000)
        stances.load(corpus)  # warm the imports and the file cache
        load[statements] = median_seconds(lambda c=corpus: stances.load(c))
    print(f"1. 100,000 statements / 10,000 documents: load {load[100_000]:.2f} s (target < 1 s)")
    steps = ((100_000, 300_000), (300_000, 1_000_000))
    low, high = ((load[b] - load[a]) / (b - a) * 100_000 for a, b in steps)
    print(f"2. load {load[100_000]:.2f} s, {load[300_000]:.2f} s, {load[1_000_000]:.2f} s for 100k, 300k, 1M "
          f"statements: each further 100k adds {low:.2f} s (100k-300k), {high:.2f} s (300k-1M)")
    big = HERE / "_corpus" / "s1000000_d10000"
    read = median_seconds(lambda: pyarrow_read(big))
    ratio = load[1_000_000] / read
    print(f"3. 1M statements: load {load[1_000_000]:.2f} s, pyarrow read {read:.2f} s, "
          f"ratio {ratio:.2f}x (target <= 3x)")
    return 0 if load[100_000] < 1 and ratio <= 3 else 1


if __name__ == "__main__":
    sys.exit(main())
