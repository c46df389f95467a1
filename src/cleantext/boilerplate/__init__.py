"""Boilerplate removal: typed widget rules, a jusText-like line classifier, corpus templates.

``remove_boilerplate`` keeps the article's lines and returns one ``Removal`` (raw offsets,
reason, text, score) for every line it drops.
"""
from __future__ import annotations

from functools import lru_cache
from typing import Sequence

import numpy as np

from cleantext.boilerplate import _classifier_kernel as _k
from cleantext.boilerplate.paragraphs import (FULL_SHARE, MAX_WIDTH, MIN_LINES, NEAR_WIDTH,
                                              paragraph_units)
from cleantext.boilerplate.rules import DEFAULT_RULES, RuleSet
from cleantext.boilerplate.stopwords import GUESS_LANGUAGES, stopword_table, stopwords
from cleantext.boilerplate.templates import TemplateCounter, TemplateIndex
from cleantext.config import BoilerplateConfig
from cleantext.document import Removal
from cleantext.text.keys import char_classes
from cleantext.text.segment import Block

__all__ = ["TemplateCounter", "TemplateIndex", "remove_boilerplate"]

# rule hits that end a section (what follows is not the article); other hits are inline
# widgets (a date, a credit, a counter) that neighbour smoothing looks through
BOUNDARY = frozenset({"widget:trending_header", "widget:teaser", "widget:headline_list",
                      "widget:comments", "widget:subscribe", "widget:legal", "widget:ui",
                      "widget:tags", "widget:copyright", "widget:cookies",
                      "template:site", "template:corpus"})
HEADER = "widget:trending_header"  # a "В тренде:" / "Read more" header takes the list after it
# the kernel's reason codes
REASONS = {_k.NO_WORDS: "classifier:no_words", _k.LINK_DENSE: "classifier:link_dense",
           _k.SHORT_LINE: "classifier:short", _k.CONTEXT: "classifier:context",
           _k.NO_PROSE: "classifier:no_prose", _k.HEADLINE_LIST: "classifier:headline_list",
           _k.OUTSIDE_BODY: "classifier:outside_body"}
_HIT_CODES = {reason: _k.BOUNDARY for reason in BOUNDARY} | {HEADER: _k.HEADER}


def remove_boilerplate(blocks: Sequence[Block], *, site: str | None = None,
                       templates: TemplateIndex | None = None,
                       cfg: BoilerplateConfig = BoilerplateConfig(), lang: str | None = None,
                       rules: RuleSet = DEFAULT_RULES) -> tuple[list[Block], list[Removal]]:
    """Split ``blocks`` into the kept ones (in order) and one Removal per dropped block."""
    if not cfg.enabled or not blocks:
        return list(blocks), []
    texts = [b.text for b in blocks]
    keys = [b.key for b in blocks]
    hits: list[tuple[str, float] | None] = [None] * len(blocks)
    if cfg.templates and templates is not None:
        hits = templates.lookup_lines(site, [b.raw for b in blocks])
    if cfg.rules:
        found = rules.match_lines(texts, [h is not None for h in hits])
        hits = [h if h is not None else r for h, r in zip(hits, found)]
    if cfg.classifier:
        _classify(blocks, texts, keys, hits, cfg, lang)
    kept = [b for b, hit in zip(blocks, hits) if hit is None]
    if len(kept) == len(blocks):
        return kept, []
    return kept, [Removal(b.start, b.end, hit[0], b.raw, hit[1])
                  for b, hit in zip(blocks, hits) if hit is not None]


def _classify(blocks: Sequence[Block], texts: list[str], keys: list[str],
              hits: list[tuple[str, float] | None], cfg: BoilerplateConfig, lang: str | None
              ) -> None:
    """Fill ``hits`` for the lines (``texts``, ``keys``: those of ``blocks``) the classifier and
    context smoothing drop (one compiled call; ``classifier.classify_reference`` in Python).
    The lines of a hard-wrapped paragraph are classified together."""
    n = len(blocks)
    get = _HIT_CODES.get
    codes_in = [0 if h is None else get(h[0], _k.INLINE) for h in hits]
    hcode = np.array(codes_in, dtype=np.int8)
    hscore = np.zeros(n)
    if _k.HEADER in codes_in:
        for i in np.flatnonzero(hcode == _k.HEADER).tolist():
            hscore[i] = hits[i][1]  # type: ignore[index]
    lengths = list(map(len, texts))
    bchars = np.array(lengths, dtype=np.int64)
    width = _k.wrap_width(bchars, MAX_WIDTH, NEAR_WIDTH, FULL_SHARE, MIN_LINES) if n >= MIN_LINES else -1
    if width < 0:
        ublock = np.arange(n + 1, dtype=np.int64)
        spans = texts + keys
    else:
        units = paragraph_units(blocks, [h is not None for h in hits], lengths, width)
        ublock = np.array([i for i, _ in units] + [n], dtype=np.int64)
        spans = [" ".join(texts[i:j]) for i, j in units] + [" ".join(keys[i:j]) for i, j in units]
    starts = np.zeros(len(spans) + 1, dtype=np.int64)
    np.cumsum(list(map(len, spans)), out=starts[1:])
    buf = np.frombuffer("".join(spans).encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
    codes = np.empty(n, dtype=np.int8)
    scores = np.empty(n)
    _k.classify(buf, starts, ublock, bchars, hcode, hscore, char_classes(), _spaces(),
                *_language(lang), *_params(cfg), codes, scores)
    found = np.flatnonzero(codes)
    for i, c, score in zip(found.tolist(), codes[found].tolist(), scores[found].tolist()):
        hits[i] = (REASONS[c], score)


@lru_cache(maxsize=None)
def _language(lang: str | None) -> tuple:
    """The kernel's stopword table (``stopword_table``) and the index in it of the document's
    language (-1: guessed from its words): a given language with stopwords is used as it is."""
    code = lang.split("-")[0] if lang else ""
    if not code or not stopwords(code):
        return (*stopword_table(GUESS_LANGUAGES), -1)
    if code in GUESS_LANGUAGES:
        return (*stopword_table(GUESS_LANGUAGES), GUESS_LANGUAGES.index(code))
    return (*stopword_table(GUESS_LANGUAGES + (code,)), len(GUESS_LANGUAGES))


@lru_cache(maxsize=1)
def _spaces() -> np.ndarray:
    """Per code point up to U+3000 (the last white space): whether ``str.isspace``."""
    return np.array([chr(c).isspace() for c in range(0x3001)], dtype=np.bool_)


_PARAMS: dict[int, tuple[BoilerplateConfig, np.ndarray, np.ndarray]] = {}


def _params(cfg: BoilerplateConfig) -> tuple[np.ndarray, np.ndarray]:
    """The classifier parameters of ``cfg`` as the kernel's float and int arrays (cached by
    identity: hashing a config costs more than the classifier's work on a short document)."""
    got = _PARAMS.get(id(cfg))
    if got is None or got[0] is not cfg:
        if len(_PARAMS) > 64:
            _PARAMS.clear()
        floats = np.array([cfg.stopwords_low, cfg.stopwords_high, cfg.max_link_density,
                           cfg.region_gap_cost, cfg.region_lone_weight, cfg.region_boundary_cost],
                          dtype=np.float64)
        ints = np.array([cfg.length_low, cfg.length_high, cfg.length_sentence,
                         cfg.sentence_min_words, cfg.headline_max_chars, cfg.headline_run,
                         cfg.region], dtype=np.int64)
        got = _PARAMS[id(cfg)] = (cfg, floats, ints)
    return got[1], got[2]
