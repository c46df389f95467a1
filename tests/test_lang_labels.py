"""Language labels of every real text in the repository, against labels committed in
tests/data/lang_labels.json (written by the profiles engine of 239ed47, the last one before
the engine was made cheaper): the engine's speed work must not change a label.

Texts: the seeds, the article-extraction benchmark (article bodies and whole pages), the
Russian news samples, the dedup labelled set and the labelled Russian pages; each whole and
cut to its first 150 and 600 characters (short texts are where languages are closest).
``python tests/test_lang_labels.py`` rewrites the labels from the installed engine.
"""
from __future__ import annotations

import csv
import gzip
import io
import json
import sys
import tarfile
from collections.abc import Iterator
from pathlib import Path

from cleantext.config import LangConfig
from cleantext.text.lang import detect_language

ROOT = Path(__file__).parent.parent
DATA = ROOT / "benchmarks" / "data"
NEWS = DATA / "ru-news-samples"
LABELS = Path(__file__).parent / "data" / "lang_labels.json"
CUTS = (150, 600)


def _csv_texts(f: io.TextIOBase, **fmt: str) -> Iterator[str]:
    csv.field_size_limit(1 << 30)
    yield from (row.get("text") or "" for row in csv.DictReader(f, **fmt))


def _documents() -> Iterator[tuple[str, str]]:
    """(name, text) of every real text in the repository, in a fixed order."""
    for path in sorted((ROOT / "seeds").glob("*.txt")):
        yield f"seeds/{path.name}", path.read_text(encoding="utf-8")
    aeb = DATA / "article-extraction-benchmark"
    truth = json.loads((aeb / "ground-truth.json").read_text(encoding="utf-8"))
    pages = json.loads((aeb / "html-text.json").read_text(encoding="utf-8"))["output"]
    for key in sorted(truth):
        yield f"aeb/truth/{key[:16]}", truth[key].get("articleBody") or ""
    for key in sorted(pages):
        yield f"aeb/page/{key[:16]}", pages[key].get("articleBody") or ""
    for path in sorted((NEWS / "ods").glob("*.csv.gz")) + [NEWS / "lenta-ru-news.csv.gz"]:
        with gzip.open(path, "rt", encoding="utf-8") as f:
            for i, text in enumerate(_csv_texts(f)):
                yield f"news/{path.name}/{i}", text
    with gzip.open(NEWS / "ria.json.gz", "rt", encoding="utf-8") as f:
        for i, line in enumerate(f):
            yield f"news/ria.json.gz/{i}", json.loads(line)["text"]
    for path in sorted((NEWS / "buriy").glob("*.tar.bz2")) + sorted((NEWS / "taiga").glob("*.tar.gz")):
        with tarfile.open(path) as tar:
            for member in sorted(tar.getmembers(), key=lambda m: m.name):
                if not member.isfile():
                    continue
                raw = tar.extractfile(member).read().decode("utf-8", "replace")  # type: ignore[union-attr]
                name = f"news/{path.name}/{member.name}"
                if member.name.endswith(".csv") and "buriy" in path.parts:
                    for i, text in enumerate(_csv_texts(io.StringIO(raw))):
                        yield f"{name}/{i}", text
                elif "/texts/" in member.name and member.name.endswith(".txt"):
                    yield name, raw
    for line in (DATA / "dedup" / "documents.jsonl").read_text(encoding="utf-8").splitlines():
        doc = json.loads(line)
        yield f"dedup/{doc['id']}", doc["text"]
    for line in (DATA / "ru_labelled" / "ru_labelled.jsonl").read_text(encoding="utf-8").splitlines():
        doc = json.loads(line)
        yield f"ru_labelled/{doc['id']}", "".join(x["text"] + x["sep"] for x in doc["lines"])


def texts() -> Iterator[tuple[str, str]]:
    """Each document whole and cut to each of CUTS characters (when longer)."""
    for name, text in _documents():
        yield name, text
        for cut in CUTS:
            if len(text) > cut:
                yield f"{name}[:{cut}]", text[:cut]


def labels() -> dict[str, str]:
    return {name: detect_language(text, LangConfig()) for name, text in texts()}


def test_labels_are_the_committed_ones() -> None:
    expected = json.loads(LABELS.read_text(encoding="utf-8"))["labels"]
    got = labels()
    assert len(got) == len(expected) > 3000
    assert len(set(expected.values())) >= 8  # several languages really are in the set
    assert {k: v for k, v in got.items() if expected.get(k) != v} == {}


if __name__ == "__main__":
    about = ("detect_language(text, LangConfig()) of each text of tests/test_lang_labels.py, by "
             + (sys.argv[1] if len(sys.argv) > 1 else "the installed engine"))
    LABELS.write_text(json.dumps({"about": about, "labels": labels()}, ensure_ascii=False, indent=0)
                      + "\n", encoding="utf-8")
