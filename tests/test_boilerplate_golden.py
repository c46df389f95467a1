"""Golden removals of the boilerplate stage: speed work must not change what is removed.

Also: the rules' prefilters (first/last character dispatch, per-document phrase search) agree
with trying every rule in order.

The fixture ``data/boilerplate_golden.json`` holds (reason, start, end, score) of every removal
on the five seeds and on 20 pages of the article-extraction benchmark (MIT, Scrapinghub; copy
of the licence in ``data/LICENSE-article-extraction-benchmark``), cleaned as the pipeline does
(blocks, meta stage, templates counted over the same documents). Regenerate it only for an
intended change of behaviour: ``python tests/test_boilerplate_golden.py --write``.
"""
from __future__ import annotations

import json
import re
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cleantext import Config, Document
from cleantext.boilerplate import remove_boilerplate
from cleantext.boilerplate.rules import _BULLET_CHARS, DEFAULT_RULES, PHRASES, RULES
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


def _reference_match(text: str) -> tuple[str, float] | None:
    """The rules' meaning spelled out: every rule tried in order, no prefilter."""
    if not text or len(text) > DEFAULT_RULES.max_chars:
        return None
    if text[0] in _BULLET_CHARS:
        text = text.lstrip(_BULLET_CHARS)
        if not text:
            return ("widget:separator", 1.0)
    n, low, digit = len(text), text.lower(), re.search(r"\d", text) is not None
    for r in [r for r in RULES if not r.cased] + [r for r in RULES if r.cased]:
        if n <= r.max_chars and (digit or not r.digit) and (not r.cased or low != text) \
                and re.fullmatch(r.pattern, text if r.cased else low):
            return (r.reason, r.score)
    for p in PHRASES:
        if n <= p.max_chars and any(ph in low for ph in p.phrases):
            return (p.reason, p.score)
    return None


def test_rule_prefilter_matches_reference() -> None:
    """The first/last-character dispatch and the per-document phrase search change nothing."""
    docs = _corpora()
    texts = [b.text for d in docs["seeds"] + docs["aeb"][:8] for b in to_blocks(d.raw, Config().repair)]
    assert len(texts) > 300
    assert DEFAULT_RULES.match_lines(texts) == [_reference_match(t) for t in texts]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.text(alphabet="aAbByBYsdi:. -•0123456789$°©/@#|фФтТоОUSD\n€ž", max_size=40)
                .map(lambda s: s.replace("\n", " ").strip()).filter(bool), max_size=6))
def test_rule_prefilter_matches_reference_random(texts: list[str]) -> None:
    assert DEFAULT_RULES.match_lines(texts) == [_reference_match(t) for t in texts]


if __name__ == "__main__" and sys.argv[1:] == ["--write"]:
    FIXTURE.write_text(json.dumps(removals(), ensure_ascii=False, indent=0, sort_keys=True) + "\n",
                       encoding="utf-8")
