"""Golden removals of the boilerplate stage: speed work must not change what is removed.

The fixture ``data/boilerplate_golden.json`` holds (reason, start, end, score) of every removal
on the five seeds and on 20 pages of the article-extraction benchmark (MIT, Scrapinghub; copy
of the licence in ``data/LICENSE-article-extraction-benchmark``), cleaned as the pipeline does
(blocks, meta stage, templates counted over the same documents). Regenerate it only for an
intended change of behaviour: ``python tests/test_boilerplate_golden.py --write``.
"""
from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

from cleantext import Config, Document
from cleantext.boilerplate import remove_boilerplate
from cleantext.boilerplate.templates import TemplateCounter
from cleantext.text.meta import extract_meta
from cleantext.text.segment import to_blocks

ROOT = Path(__file__).resolve().parent.parent
FIXTURE = Path(__file__).resolve().parent / "data" / "boilerplate_golden.json"
AEB = ROOT / "benchmarks" / "data" / "article-extraction-benchmark" / "html-text.json"
AEB_EVERY = 9  # every 9th page in key order: 20 pages of many sites and languages
EXPECTED: dict[str, list[list]] = (json.loads(FIXTURE.read_text(encoding="utf-8"))
                                   if FIXTURE.exists() else {})


def _corpora() -> dict[str, list[Document]]:
    seeds = [Document(id=p.stem, raw=p.read_text(encoding="utf-8"))
             for p in sorted((ROOT / "seeds").glob("*.txt"))]
    pages = json.loads(AEB.read_text(encoding="utf-8"))["output"]
    keys = sorted(pages)[::AEB_EVERY]
    aeb = [Document(id=k, raw=pages[k].get("articleBody") or "", url=pages[k].get("url"))
           for k in keys]
    return {"seeds": seeds, "aeb": aeb}


def removals() -> dict[str, list[list]]:
    """"corpus:id" -> [reason, start, end, score] of every removal, in order."""
    cfg = Config()
    out: dict[str, list[list]] = {}
    for name, docs in _corpora().items():
        blocks = [extract_meta(d, to_blocks(d.raw, cfg.repair)) for d in docs]
        counter = TemplateCounter()
        for d, b in zip(docs, blocks):
            counter.add(d.site, b)
        index = counter.freeze(cfg.boilerplate)
        for d, b in zip(docs, blocks):
            _, removed = remove_boilerplate(b, site=d.site, templates=index, cfg=cfg.boilerplate)
            out[f"{name}:{d.id}"] = [[r.reason, r.start, r.end, round(r.score, 6)]
                                     for r in removed]
    return out


@pytest.fixture(scope="module")
def actual() -> dict[str, list[list]]:
    return removals()


def test_golden_documents(actual: dict[str, list[list]]) -> None:
    assert sorted(actual) == sorted(EXPECTED)
    assert sum(map(len, EXPECTED.values())) > 500  # the fixture covers real removals


@pytest.mark.parametrize("doc", sorted(EXPECTED))
def test_golden_removals(actual: dict[str, list[list]], doc: str) -> None:
    assert actual[doc] == EXPECTED[doc]


if __name__ == "__main__" and sys.argv[1:] == ["--write"]:
    FIXTURE.write_text(json.dumps(removals(), ensure_ascii=False, indent=0, sort_keys=True) + "\n",
                       encoding="utf-8")
