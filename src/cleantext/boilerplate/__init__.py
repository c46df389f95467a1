"""Boilerplate removal: typed widget rules, a jusText-like line classifier, corpus templates.

``remove_boilerplate`` keeps the article's lines and returns one ``Removal`` (raw offsets,
reason, text, score) for every line it drops.
"""
from __future__ import annotations

from typing import Sequence

from cleantext.boilerplate.classifier import (BAD, GOOD, SHORT, LineInfo, classify_lines,
                                              headline_runs, headline_spans, introduced_lists,
                                              line_tokens, main_region, promote_if_no_good,
                                              smooth, stop_densities, with_chars)
from cleantext.boilerplate.paragraphs import wrapped_units
from cleantext.boilerplate.rules import DEFAULT_RULES, RuleSet
from cleantext.boilerplate.stopwords import (DEFAULT_PROSE_DENSITY, PROSE_DENSITY, guess_language,
                                             stopwords)
from cleantext.boilerplate.templates import TemplateCounter, TemplateIndex
from cleantext.config import BoilerplateConfig
from cleantext.document import Removal
from cleantext.text.segment import Block

__all__ = ["TemplateCounter", "TemplateIndex", "remove_boilerplate"]

# rule hits that end a section (what follows is not the article); other hits are inline
# widgets (a date, a credit, a counter) that neighbour smoothing looks through
_BOUNDARY = frozenset({"widget:trending_header", "widget:teaser", "widget:headline_list",
                       "widget:comments", "widget:subscribe", "widget:legal", "widget:ui",
                       "widget:tags", "widget:copyright", "widget:cookies",
                       "template:site", "template:corpus"})
_GUESS_WORDS = 80  # words sampled to guess a document's stopword language
_ENDS = frozenset(".!?…\"»”")


def _document_stopwords(tokens: list[list[str]], lang: str | None
                        ) -> tuple[frozenset[str], str | None]:
    """The stopwords of the document's language (given, or guessed from a sample) and the language."""
    if lang:
        code = lang.split("-")[0]
        sw = stopwords(code)
        if sw:
            return sw, code
    sample: list[str] = []
    for t in tokens:
        sample.extend(t)
        if len(sample) >= _GUESS_WORDS:
            break
    guessed = guess_language(sample)
    return (stopwords(guessed), guessed) if guessed else (frozenset(), None)


def _prose_density(texts: Sequence[str], density: list[float], lang: str | None) -> float:
    """The document's typical stopword density of prose: the median over its long sentence
    lines, kept within 30% of the language's usual figure."""
    usual = PROSE_DENSITY.get(lang or "", DEFAULT_PROSE_DENSITY)
    found = [d for t, d in zip(texts, density) if len(t) >= 150 and t[-1] in _ENDS]
    if len(found) < 3:
        return usual
    found = sorted(found[:15])
    return min(max(found[len(found) // 2], 0.7 * usual), 1.3 * usual)


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
    context smoothing drop."""
    infos = _line_infos(blocks, texts, keys, hits, cfg, lang)
    promote_if_no_good(infos, cfg)
    # None: no rule; True: a section boundary (bad context); False: an inline widget
    fixed = [None if h is None else h[0] in _BOUNDARY for h in hits]
    _after_headers(infos, hits)
    final = smooth(infos, fixed)
    spans = headline_spans(infos)
    lists = introduced_lists(infos, fixed, final, spans)
    for i, listed in enumerate(lists):
        if listed and hits[i] is None:
            final[i] = GOOD
    start, end = main_region(infos, final, fixed, cfg) if cfg.region else (0, len(blocks))
    runs = headline_runs(infos, final, (start, end), lists, spans, cfg)
    for i, info in enumerate(infos):
        if hits[i] is not None:
            continue
        if runs[i]:
            hits[i] = ("classifier:headline_list", 1.0 - info.score / 2)
        elif final[i] != GOOD:
            reason = info.reason if info.cls in (BAD, SHORT) else "classifier:context"
            hits[i] = (reason, 1.0 - info.score)
        elif not start <= i < end:
            hits[i] = ("classifier:outside_body", 1.0 - info.score)


def _line_infos(blocks: Sequence[Block], texts: list[str], keys: list[str],
                hits: list[tuple[str, float] | None], cfg: BoilerplateConfig, lang: str | None
                ) -> list[LineInfo]:
    """Context-free classes of the lines; the lines of a hard-wrapped paragraph are classified
    together and share its class. Lines a rule or template removed need no statistics."""
    removed = [h is not None for h in hits]
    units = wrapped_units(blocks, removed)
    if units is not None:
        texts = [" ".join(b.text for b in blocks[i:j]) for i, j in units]
        keys = [" ".join(b.key for b in blocks[i:j]) for i, j in units]
        removed = [hits[i] is not None for i, _ in units]
    tokens = line_tokens(keys, removed)
    stop, lang = _document_stopwords(tokens, lang)
    density = stop_densities(tokens, stop) if stop else [0.0] * len(tokens)
    prose = _prose_density(texts, density, lang) if stop else 0.0
    infos = classify_lines(texts, density, [len(t) for t in tokens], removed, prose, cfg)
    if units is None:
        return infos
    out: list[LineInfo] = []
    for (i, j), info in zip(units, infos):
        out.extend(with_chars(info, len(b.text)) for b in blocks[i:j])
    return out


def _after_headers(infos: list[LineInfo], hits: list[tuple[str, float] | None]) -> None:
    """A "В тренде:" / "Read more" header takes the list that follows it (up to real prose)."""
    i, n = 0, len(hits)
    while i < n:
        h = hits[i]
        i += 1
        if h is None or h[0] != "widget:trending_header":
            continue
        while i < n and (hits[i] is not None or infos[i].cls in (BAD, SHORT) or
                         (infos[i].headline and infos[i].cls != GOOD)):
            if hits[i] is None:
                hits[i] = ("classifier:headline_list", h[1])
            i += 1

