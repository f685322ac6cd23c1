"""Write a synthetic but valid stance corpus in the layout of ``data/``.

    python benchmarks/generate.py OUT_DIR --documents N --statements M [--seed S]

``datapackage.json`` (its resources for the tables below; the fact-check tables are
anchored to the real article and left out), ``actors.csv`` and ``claims.csv`` are copied
from the real corpus (so the schema, enums and keys are the real ones); everything else
is made up from a seeded ``numpy.random.default_rng``:

- ``sources/doc_XXXXX.txt``: one text per document, sentences of words drawn from a
  small vocabulary (with commas, straight and curly quote marks, a dash and a few
  non-ASCII letters, so CSV quoting and character-vs-byte offsets are exercised);
- ``documents.csv`` with the true sha256 of each source file;
- ``statements.csv`` (M rows) and ``relations.csv`` (M // 4 rows): spans of 1-20
  words inside one sentence, ``quote == text[start:end]``, sorted by document and
  offset, with speakers, claims and targets drawn from the real actors and claims;
- ``reliability/statements.csv``: a small second coding (at most 1,000 rows).

Everything is vectorised with numpy/pyarrow (the CSV quoting too); the only
per-row Python is cutting the quotes out of the texts. The same arguments give the
same bytes. A one-line progress display goes to stderr.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import json
import shutil
import sys
import time
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

DATA = Path(__file__).resolve().parents[1] / "data"
STAMP = "GENERATED.json"  # parameters of the run, so a benchmark can tell whether to reuse it
CHUNK = 100_000  # rows per block when writing a CSV

VOCABULARY = (
    "the government said that talks on Idlib would continue after the meeting in Sochi "
    "Erdoğan Putin Türkiye Russia Ankara Moscow NATO S-400 F-35 missiles ceasefire "
    "agreement troops border rebels regime migration crisis sanctions Washington "
    "alliance deal pressure strategy negotiations officials reported according to "
    "both leaders were, however, cautious; analysts called it a “constructive” step "
    "while others spoke of \"no real progress\" — a café in Geneva hosted the envoys "
    "again, despite earlier résumés of failure and a naïve hope for peace"
)
WORDS = VOCABULARY.split()
SEPARATORS = (" ", ". ", ".\n\n", ".\n")  # within a sentence, sentence end, paragraph end, text end
OUTLETS = ("Daily Gazette", "The Evening Post", "Agence Exemple", "")


class Progress:
    """One status line on stderr, rewritten in place."""

    def __init__(self, enabled: bool = True):
        self.enabled, self.t0, self.width = enabled, time.perf_counter(), 0

    def __call__(self, message: str) -> None:
        if self.enabled:
            line = f"[generate {time.perf_counter() - self.t0:6.1f}s] {message}"
            sys.stderr.write("\r" + line.ljust(self.width))
            sys.stderr.flush()
            self.width = len(line)

    def done(self) -> None:
        if self.enabled:
            sys.stderr.write("\n")

GENERATED_TABLES = ("documents.csv", "actors.csv", "claims.csv", "statements.csv", "relations.csv",
                    "reliability/statements.csv")


def _column(values) -> pa.Array:
    """Any column as Arrow strings (ints become their decimal form)."""
    array = values if isinstance(values, pa.Array) else pa.array(values)
    return array if array.type == pa.string() else pc.cast(array, pa.string())


def _csv_field(column: pa.Array) -> pa.Array:
    """RFC 4180 minimal quoting, as csv.writer does it: quote only values with , " CR or LF."""
    needs = pc.match_substring_regex(column, '[,"\r\n]')
    quoted = pc.binary_join_element_wise('"', pc.replace_substring(column, '"', '""'), '"', "")
    return pc.if_else(needs, quoted, column)


def write_csv(path: Path, columns: dict, progress: Progress | None = None) -> None:
    """Write equal-length columns as a UTF-8, LF, minimally quoted CSV with a header row."""
    path.parent.mkdir(parents=True, exist_ok=True)
    names = list(columns)
    n = len(next(iter(columns.values())))
    with path.open("wb") as handle:
        handle.write((",".join(names) + "\n").encode())
        for lo in range(0, n, CHUNK):
            cells = [_csv_field(_column(values[lo : lo + CHUNK])) for values in columns.values()]
            rows = pc.binary_join_element_wise(*cells, ",")
            lines = pc.binary_join_element_wise(rows, "", "\n")  # row + "\n"
            offsets = np.frombuffer(lines.buffers()[1], dtype=np.int32)[lines.offset :]
            data = memoryview(lines.buffers()[2])
            handle.write(data[offsets[0] : offsets[len(lines)]])
            if progress:
                progress(f"{path.name}: {min(lo + CHUNK, n):,}/{n:,} rows")


def _make_texts(rng: np.random.Generator, n_docs: int, words_per_doc: tuple[int, int]):
    """Return the texts and, per word (all documents in one stream): doc, start, end, sentence end."""
    vocab = np.array(WORDS + [w[:1].upper() + w[1:] for w in WORDS], dtype=object)
    vocab_len = np.array([len(w) for w in vocab], dtype=np.int64)
    sep_len = np.array([len(s) for s in SEPARATORS], dtype=np.int64)

    n_words = rng.integers(*words_per_doc, size=n_docs)
    doc_end = np.cumsum(n_words)  # one past each document's last word
    doc_start = doc_end - n_words
    total = int(doc_end[-1])
    word_doc = np.repeat(np.arange(n_docs), n_words)

    # Separator after each word: mostly a space; ~1 in 14 ends a sentence, a quarter of those a
    # paragraph; a document's last word ends the text.
    sep = np.zeros(total, dtype=np.int64)
    sentence_end = rng.random(total) < 1 / 14
    sep[sentence_end] = np.where(rng.random(int(sentence_end.sum())) < 0.25, 2, 1)
    sep[doc_end - 1] = 3
    sentence_end[doc_end - 1] = True
    first_of_sentence = np.zeros(total, dtype=bool)
    first_of_sentence[1:] = sentence_end[:-1]
    first_of_sentence[doc_start] = True
    word = rng.integers(0, len(WORDS), size=total) + len(WORDS) * first_of_sentence

    # Character offsets within each document.
    piece = vocab_len[word] + sep_len[sep]
    ends = np.cumsum(piece)
    starts = ends - piece
    starts -= np.repeat(starts[doc_start], n_words)
    word_start = starts
    word_end = starts + vocab_len[word]

    pieces = np.empty(2 * total, dtype=object)
    pieces[0::2] = vocab[word]
    pieces[1::2] = np.array(SEPARATORS, dtype=object)[sep]
    texts = ["".join(pieces[2 * a : 2 * b]) for a, b in zip(doc_start, doc_end, strict=True)]

    ends_idx = np.flatnonzero(sentence_end)
    last_of_sentence = ends_idx[np.searchsorted(ends_idx, np.arange(total))]
    return texts, word_doc, word_start, word_end, last_of_sentence


def _spans(rng, count, texts, word_doc, word_start, word_end, last_of_sentence):
    """``count`` spans of 1-20 words inside one sentence (sometimes with its full stop), sorted."""
    first = np.sort(rng.integers(0, len(word_doc), size=count))
    last = np.minimum(first + rng.integers(0, 20, size=count), last_of_sentence[first])
    doc = word_doc[first]
    start = word_start[first]
    end = word_end[last] + ((last == last_of_sentence[first]) & (rng.random(count) < 0.5))
    quote = [texts[d][s:e] for d, s, e in zip(doc.tolist(), start.tolist(), end.tolist(), strict=True)]
    return doc, start, end, pa.array(quote, pa.string())


def _ids(prefix: str, count: int, width: int) -> pa.Array:
    numbers = pc.cast(pa.array(np.arange(1, count + 1)), pa.string())
    return pc.binary_join_element_wise(prefix, pc.utf8_lpad(numbers, width, padding="0"), "")


def _pick(rng, values, count, empty_share: float = 0.0) -> pa.Array:
    chosen = np.asarray(values, dtype=object)[rng.integers(0, len(values), size=count)]
    if empty_share:
        chosen[rng.random(count) < empty_share] = ""
    return pa.array(chosen, pa.string())


def _read_ids(path: Path, column: str) -> list[str]:
    with path.open(encoding="utf-8", newline="") as handle:
        return [row[column] for row in csv.DictReader(handle)]


def _enums(package: dict, resource: str) -> dict[str, list[str]]:
    res = next(r for r in package["resources"] if r["name"] == resource)
    return {f["name"]: f["constraints"]["enum"] for f in res["schema"]["fields"]
            if "enum" in f.get("constraints", {})}


def generate(out_dir: str | Path, documents: int, statements: int, seed: int = 0,
             source: Path = DATA, words_per_doc: tuple[int, int] = (700, 1000),
             progress: bool = True) -> Path:
    """Write the corpus to ``out_dir`` and return its path."""
    if documents < 1 or statements < 1:
        raise ValueError("need at least one document and one statement")
    out = Path(out_dir)
    show = Progress(progress)
    rng = np.random.default_rng(seed)
    out.mkdir(parents=True, exist_ok=True)
    (out / STAMP).unlink(missing_ok=True)  # written last: its presence means "complete"
    for name in ("actors.csv", "claims.csv"):
        shutil.copyfile(source / name, out / name)
    package = json.loads((source / "datapackage.json").read_text(encoding="utf-8"))
    package["resources"] = [r for r in package["resources"] if r["path"] in GENERATED_TABLES]
    (out / "datapackage.json").write_text(json.dumps(package, indent=2) + "\n", encoding="utf-8")
    actors = _read_ids(source / "actors.csv", "actor_id")
    claims = _read_ids(source / "claims.csv", "claim_id")

    show(f"texts for {documents:,} documents")
    texts, *words = _make_texts(rng, documents, words_per_doc)
    width = max(5, len(str(documents - 1)))
    doc_ids = [f"doc_{i:0{width}d}" for i in range(documents)]
    sources = out / "sources"
    sources.mkdir(exist_ok=True)
    for stale in sources.glob("doc_*.txt"):
        stale.unlink()
    digests = []
    for i, (doc_id, text) in enumerate(zip(doc_ids, texts, strict=True)):
        content = text.encode("utf-8")
        (sources / f"{doc_id}.txt").write_bytes(content)
        digests.append(hashlib.sha256(content).hexdigest())
        if i % 500 == 0:
            show(f"sources: {i + 1:,}/{documents:,} files")
    days = rng.integers(0, 5 * 365, size=documents)
    published = (np.datetime64("2019-01-01") + days).astype(str).astype(object)
    published[rng.random(documents) < 0.1] = ""
    write_csv(out / "documents.csv", {
        "doc_id": doc_ids,
        "title": [f'Synthetic article {i}: leaders meet, "talks continue"' for i in range(documents)],
        "outlet": _pick(rng, OUTLETS, documents),
        "published": pa.array(published, pa.string()),
        "language": ["en"] * documents,
        "path": [f"sources/{d}.txt" for d in doc_ids],
        "sha256": digests,
        "note": _pick(rng, ["synthetic text for benchmarking; not a real article"], documents, 0.5),
    }, show)

    doc_ids = pa.array(doc_ids, pa.string())
    stmt_enums = _enums(package, "statements")

    def statement_table(count: int, prefix: str, coders: list[str]) -> dict:
        doc, start, end, quote = _spans(rng, count, texts, *words)
        return {
            "statement_id": _ids(prefix, count, max(7, len(str(count)))),
            "doc_id": doc_ids.take(pa.array(doc)),
            "start": start,
            "end": end,
            "quote": quote,
            "speaker": _pick(rng, actors, count),
            "claim_id": _pick(rng, claims, count),
            "stance": _pick(rng, stmt_enums["stance"], count),
            "attribution": _pick(rng, stmt_enums["attribution"], count),
            "target": _pick(rng, actors, count, empty_share=0.7),
            "coder": _pick(rng, coders, count),
            "note": _pick(rng, ['speaker inferred, "see context"', "ambiguous scope, coded narrowly"],
                          count, empty_share=0.9),
        }

    show(f"statements: {statements:,} spans")
    write_csv(out / "statements.csv", statement_table(statements, "s", ["coder1", "coder3"]), show)

    n_rel = max(1, statements // 4)
    show(f"relations: {n_rel:,} spans")
    rel_enums = _enums(package, "relations")
    doc, start, end, quote = _spans(rng, n_rel, texts, *words)
    write_csv(out / "relations.csv", {
        "relation_id": _ids("rel", n_rel, max(6, len(str(n_rel)))),
        "doc_id": doc_ids.take(pa.array(doc)),
        "start": start,
        "end": end,
        "quote": quote,
        "source": _pick(rng, actors, n_rel),
        "relation": _pick(rng, rel_enums["relation"], n_rel),
        "target": _pick(rng, actors, n_rel),
        "topic": _pick(rng, rel_enums["topic"], n_rel),
    }, show)

    n_rel2 = min(1_000, statements)
    show(f"reliability: {n_rel2:,} spans")
    write_csv(out / "reliability" / "statements.csv", statement_table(n_rel2, "r", ["coder2"]), show)

    stamp = {"documents": documents, "statements": statements, "seed": seed,
             "words_per_doc": list(words_per_doc), "generator": Path(__file__).name}
    (out / STAMP).write_text(json.dumps(stamp, indent=1) + "\n", encoding="utf-8")
    show(f"done: {documents:,} documents, {statements:,} statements, {n_rel:,} relations "
         f"in {out}")
    show.done()
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out_dir", type=Path)
    parser.add_argument("--documents", type=int, default=1_000, help="number of documents (1000)")
    parser.add_argument("--statements", type=int, default=100_000, help="statement rows (100000)")
    parser.add_argument("--seed", type=int, default=0, help="random seed (0)")
    parser.add_argument("--source", type=Path, default=DATA,
                        help="real corpus to copy datapackage.json, actors.csv, claims.csv from")
    parser.add_argument("--quiet", action="store_true", help="no progress line")
    args = parser.parse_args(argv)
    generate(args.out_dir, args.documents, args.statements, args.seed, args.source,
             progress=not args.quiet)
    return 0


if __name__ == "__main__":
    sys.exit(main())
