"""Sentence segmenters on the English Golden Rules (benchmarks/golden_rules_en.json, 48 cases;
source and licence in the file's header fields).

A case passes when the segmenter's sentences, each stripped of surrounding whitespace and
empty ones dropped, equal the expected list. Candidates not installed are skipped; ``stances``
is this project's own ``stances.text.sentences.sentences``.

    .venv/bin/python benchmarks/bench_sentences.py [--repeat N] [--failures]
"""

from __future__ import annotations

import argparse
import importlib.metadata
import json
import time
from pathlib import Path

DATA = Path(__file__).with_name("golden_rules_en.json")


def candidates() -> dict[str, tuple[str, object]]:
    """name -> (version, function text -> list of sentences), for those installed."""
    found = {}
    try:
        import pysbd

        seg = pysbd.Segmenter(language="en", clean=False)
        found["pysbd"] = seg.segment
    except ImportError:
        pass
    try:
        import sentencex

        found["sentencex"] = lambda text: list(sentencex.segment("en", text))
    except ImportError:
        pass
    try:
        import nupunkt

        found["nupunkt"] = nupunkt.sent_tokenize
    except ImportError:
        pass
    from stances.text.sentences import sentences

    found["stances"] = lambda text: list(sentences(text)["sentence"])
    return {name: (importlib.metadata.version(name), split) for name, split in found.items()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=20, help="passes over the cases for the timing")
    parser.add_argument("--failures", action="store_true", help="list the failed cases")
    args = parser.parse_args()
    cases = json.loads(DATA.read_text(encoding="utf-8"))["cases"]
    print(f"{'segmenter':<10} {'version':<8} {'passed':>7} {'%':>6} {'ms per 1,000 cases':>19}")
    for name, (version, split) in candidates().items():
        failed = []
        for case in cases:
            got = [s.strip() for s in split(case["text"]) if s.strip()]
            if got != case["expected"]:
                failed.append((case, got))
        start = time.perf_counter()
        for _ in range(args.repeat):
            for case in cases:
                split(case["text"])
        ms = (time.perf_counter() - start) * 1000 / (args.repeat * len(cases)) * 1000
        passed = len(cases) - len(failed)
        share = 100 * passed / len(cases)
        print(f"{name:<10} {version:<8} {passed:>3}/{len(cases):<3} {share:>6.1f} {ms:>19.1f}")
        if args.failures:
            for case, got in failed:
                print(f"    {case['id']:>2}) {case['rule']}: {got}")


if __name__ == "__main__":
    main()
