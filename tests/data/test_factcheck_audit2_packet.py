"""The second audit's packet (issue 27), input and output, is the set of files whose sha256 its
README gives."""
import hashlib
import re
from pathlib import Path

AUDIT2 = Path(__file__).resolve().parents[2] / "data" / "reliability" / "factcheck" / "audit2"
OUTPUT = {"rulings.csv", "new_evidence.csv", "REPORT.md"}
"""The third reader's three answer files, as its brief (input/PROMPT.md) asks for them."""


def _files() -> dict[str, Path]:
    return {path.name: path for folder in ("input", "output")
            for path in (AUDIT2 / folder).iterdir()}


def test_the_audit2_packet_is_the_files_whose_sha256_the_readme_gives():
    readme = (AUDIT2 / "README.md").read_text(encoding="utf-8")
    listed = dict(re.findall(r"\| `([\w.]+)` \| [^|]+ \| `([0-9a-f]{64})` \|", readme))
    files = _files()
    assert set(listed) == set(files)
    for name, digest in listed.items():
        assert hashlib.sha256(files[name].read_bytes()).hexdigest() == digest, name


def test_the_third_readers_answer_is_stored():
    assert {path.name for path in (AUDIT2 / "output").iterdir()} == OUTPUT
    assert not OUTPUT & {path.name for path in (AUDIT2 / "input").iterdir()}
