"""The compiled classifier (``_classifier_kernel`` via ``boilerplate._classify``) decides every
line as its Python reference (``classifier.classify_reference``): reason and score, on the
seeds, on every page of the article-extraction benchmark (MIT, Scrapinghub; licence beside the
data) and on generated documents (hard-wrapped text, lists, links, rule hits, languages)."""
from __future__ import annotations

import json
import textwrap
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import cleantext.boilerplate as bp
from cleantext import Config, Document
from cleantext.boilerplate.classifier import classify_reference
from cleantext.boilerplate.stopwords import base_stopwords, stopwords
from cleantext.boilerplate.templates import TemplateCounter
from cleantext.config import BoilerplateConfig
from cleantext.text.meta import extract_meta
from cleantext.text.segment import Block, to_blocks

ROOT = Path(__file__).resolve().parent.parent
AEB = ROOT / "benchmarks" / "data" / "article-extraction-benchmark" / "html-text.json"


def _documents() -> list[Document]:
    seeds = [Document(id=p.stem, raw=p.read_text(encoding="utf-8"))
             for p in sorted((ROOT / "seeds").glob("*.txt"))]
    pages = json.loads(AEB.read_text(encoding="utf-8"))["output"]
    return seeds + [Document(id=k, raw=pages[k].get("articleBody") or "", url=pages[k].get("url"))
                    for k in sorted(pages)]


def _both(blocks: list[Block], hits: list, cfg: BoilerplateConfig, lang: str | None
          ) -> tuple[list, list]:
    texts, keys = [b.text for b in blocks], [b.key for b in blocks]
    compiled, reference = list(hits), list(hits)
    bp._classify(blocks, texts, keys, compiled, cfg, lang)
    classify_reference(blocks, texts, keys, reference, cfg, lang)
    return compiled, reference


def test_kernel_equals_reference_on_real_pages() -> None:
    cfg = Config()
    docs = _documents()
    blocks = [extract_meta(d, to_blocks(d.raw, cfg.repair)) for d in docs]
    counter = TemplateCounter()
    for d, b in zip(docs, blocks):
        counter.add(d.site, b)
    index = counter.freeze(cfg.boilerplate)
    decided = 0
    for d, b in zip(docs, blocks):
        if not b:
            continue
        hits = index.lookup_lines(d.site, [x.raw for x in b])
        found = bp.DEFAULT_RULES.match_lines([x.text for x in b], [h is not None for h in hits])
        hits = [h if h is not None else r for h, r in zip(hits, found)]
        compiled, reference = _both(b, hits, cfg.boilerplate, None)
        assert compiled == reference, d.id
        decided += sum(h is not None for h in compiled) - sum(h is not None for h in hits)
    assert decided > 1000  # the classifier decided many lines


_WORDS = {"ru": ["выборы", "аким", "района", "прошли", "кандидат", "голосов", "Алматы", "2024"],
          "en": ["election", "akim", "district", "held", "candidate", "votes", "Almaty", "2024"],
          "de": ["Wahl", "Bezirk", "Kandidat", "Stimmen"]}
_SHAPES = ["Home", "Главная | Новости | Спорт", "http://example.com/news", "news.ru", "site.com.",
           "@user #tag", "Читайте также:", "1. Пункт", "12) item", "- dash item", "а) пункт",
           "• bullet", "—", "Tour dates:", "a - b - - c", "Он сказал: «Да.»", "(AP Photo)"]
_HITS = [None] * 6 + [("widget:date", 1.0), ("widget:trending_header", 0.9),
                      ("template:site", 0.5), ("widget:teaser", 1.0), ("template:corpus", 0.25)]


@st.composite
def _doc(draw: st.DrawFn) -> tuple[list[Block], list, BoilerplateConfig, str | None]:
    lang = draw(st.sampled_from(["ru", "en", "de"]))
    stop = sorted(base_stopwords(lang))
    pool = stop + _WORDS[lang]
    lines: list[str] = []
    for _ in range(draw(st.integers(1, 25))):
        kind = draw(st.integers(0, 3))
        if kind == 0:
            lines.append(draw(st.sampled_from(_SHAPES)))
            continue
        n = draw(st.integers(1, 70 if kind == 1 else 12))
        words = draw(st.lists(st.sampled_from(pool), min_size=n, max_size=n))
        end = draw(st.sampled_from(["", ".", ":", "!", "»", '."', ",", " -"]))
        line = " ".join(words) + end
        if kind == 3 and len(line) > 60:  # a hard-wrapped paragraph
            lines.extend(textwrap.wrap(line, draw(st.integers(40, 80))))
        else:
            lines.append(line)
        if draw(st.integers(0, 5)) == 0:
            lines.append("")
    blocks = to_blocks("\n".join(lines), Config().repair)
    hits = [draw(st.sampled_from(_HITS)) for _ in blocks]
    cfg = BoilerplateConfig(region=draw(st.booleans()), headline_run=draw(st.integers(2, 4)),
                            length_low=draw(st.sampled_from([40, 70])))
    given_lang = draw(st.sampled_from([None, None, lang, "sv", "xx-YY"]))
    return blocks, hits, cfg, given_lang


@settings(max_examples=300, deadline=None)
@given(_doc())
def test_kernel_equals_reference_on_generated_documents(case: tuple) -> None:
    blocks, hits, cfg, lang = case
    if not blocks:
        return
    compiled, reference = _both(blocks, hits, cfg, lang)
    assert compiled == reference


@pytest.mark.parametrize("lang", ["ru", "en", "kk", "sv"])
def test_base_stopwords_with_punctuation_are_the_stopwords(lang: str) -> None:
    # the kernel looks a token up with and without one attached punctuation mark
    assert stopwords(lang) == {w + p for w in base_stopwords(lang) for p in ("", ",", ".", ":",
                                                                              ";", "!", "?")}
    assert base_stopwords(lang)


@settings(max_examples=400, deadline=None)
@given(st.lists(st.one_of(st.integers(1, 130), st.integers(55, 80), st.integers(100, 400)),
                max_size=40))
def test_compiled_wrap_width_equals_python(lengths: list[int]) -> None:
    from cleantext.boilerplate import _classifier_kernel as k
    from cleantext.boilerplate.paragraphs import (FULL_SHARE, MAX_WIDTH, MIN_LINES, NEAR_WIDTH,
                                                  wrap_width)

    got = k.wrap_width(np.array(lengths, dtype=np.int64), MAX_WIDTH, NEAR_WIDTH, FULL_SHARE,
                       MIN_LINES)
    want = wrap_width(lengths) if lengths else None
    assert (None if got < 0 else got) == want


def test_wrapped_paragraphs_are_classified_together() -> None:
    para = ("Выборы акимов сельских округов прошли в воскресенье, и явка избирателей "
            "была выше, чем ожидали в избирательной комиссии района. ") * 6
    raw = "Главная\nНовости\n\n" + "\n".join(textwrap.wrap(para, 64)) + "\n\nПодписаться"
    blocks = to_blocks(raw, Config().repair)
    from cleantext.boilerplate.paragraphs import wrapped_units

    assert wrapped_units(blocks, [False] * len(blocks)) is not None
    hits: list = [None] * len(blocks)
    compiled, reference = _both(blocks, hits, BoilerplateConfig(), None)
    assert compiled == reference
    assert compiled[3] is None and compiled[0] is not None  # the paragraph kept, the menu not


@pytest.mark.parametrize("word", ["notwithstanding", "aproximadamente", "многочисленное"])
def test_longest_stopwords_count_with_attached_punctuation(word: str) -> None:
    line = " ".join([word + ","] * 20) + "."
    blocks = to_blocks("Menu\n" + line + "\nFooter", Config().repair)
    compiled, reference = _both(blocks, [None] * len(blocks), BoilerplateConfig(), None)
    assert compiled == reference and compiled[1] is None  # all stopwords: prose, kept
