"""Loaders for the boilerplate benchmarks: the article-extraction pages, the seeds and the
line-labelled Russian set (``data/ru_labelled/ru_labelled.jsonl``, format in its README)."""
from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
REPO_DIR = BENCH_DIR.parent
AEB_DIR = BENCH_DIR / "data" / "article-extraction-benchmark"
RU_LABELLED = BENCH_DIR / "data" / "ru_labelled" / "ru_labelled.jsonl"
SEEDS_DIR = REPO_DIR / "seeds"


@dataclass(frozen=True)
class Page:
    """One article-extraction-benchmark page: whole-page text and the human article body."""

    key: str
    url: str | None
    text: str
    truth: str


def load_aeb(root: Path = AEB_DIR) -> list[Page]:
    """The benchmark's pages in key order (``html-text.json`` against ``ground-truth.json``)."""
    pages = json.loads((root / "html-text.json").read_text(encoding="utf-8"))
    pages = pages.get("output", pages)  # the benchmark wraps its outputs in {"output": ...}
    truth = json.loads((root / "ground-truth.json").read_text(encoding="utf-8"))
    if set(pages) != set(truth):
        raise ValueError("html-text.json and ground-truth.json have different keys")
    return [Page(k, truth[k].get("url") or pages[k].get("url"), pages[k].get("articleBody") or "",
                 truth[k].get("articleBody") or "") for k in sorted(truth)]


def load_seeds(root: Path = SEEDS_DIR) -> list[tuple[str, str]]:
    """(id, text) of every seed document, in file name order."""
    return [(p.stem, p.read_text(encoding="utf-8")) for p in sorted(root.glob("*.txt"))]


@dataclass(frozen=True)
class Line:
    """A labelled unit of a document: a line, or a distinct part of one (e.g. a date prefix)."""

    start: int
    end: int
    text: str
    remove: bool
    kind: str  # what it is: "article", "title", "date", "trending", "rate", ...
    src: str  # where the string comes from


@dataclass(frozen=True)
class LabelledDoc:
    id: str
    source: str  # group for per-source figures, e.g. "seeds", "aeb-ru", "ods/gazeta"
    url: str | None
    raw: str
    lines: tuple[Line, ...]


def parse_labelled(record: dict) -> LabelledDoc:
    """Assemble a record's raw text (``sep + text`` of every line, then ``tail``) with spans."""
    parts: list[str] = []
    lines: list[Line] = []
    pos = 0
    for item in record["lines"]:
        sep, text = item.get("sep", "\n"), item["text"]
        if item["label"] not in ("keep", "remove"):
            raise ValueError(f"{record['id']}: bad label {item['label']!r}")
        parts.append(sep)
        pos += len(sep)
        lines.append(Line(pos, pos + len(text), text, item["label"] == "remove",
                          item.get("kind", ""), item.get("src", "")))
        parts.append(text)
        pos += len(text)
    parts.append(record.get("tail", ""))
    return LabelledDoc(record["id"], record["source"], record.get("url"), "".join(parts),
                       tuple(lines))


def load_ru_labelled(path: Path = RU_LABELLED) -> list[LabelledDoc]:
    """The labelled Russian documents, in file order."""
    with path.open(encoding="utf-8") as fh:
        return [parse_labelled(json.loads(line)) for line in fh if line.strip()]
