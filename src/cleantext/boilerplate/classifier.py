"""A jusText-like line classifier for plain text, with context smoothing.

Each line is first classified on its own (context-free) as GOOD, NEAR_GOOD, SHORT or BAD from
its length, stopword density, link-likeness and sentence punctuation; then SHORT and NEAR_GOOD
lines take the class of their neighbours, runs of short headline-like lines become one
"headline_list", and lines far outside the article's main region are dropped.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Sequence

from cleantext.boilerplate import BOUNDARY, HEADER
from cleantext.boilerplate.paragraphs import wrapped_units
from cleantext.boilerplate.stopwords import (DEFAULT_PROSE_DENSITY, PROSE_DENSITY, guess_language,
                                             stopwords)
from cleantext.config import BoilerplateConfig
from cleantext.text.segment import Block

BAD, SHORT, NEAR_GOOD, GOOD = 0, 1, 2, 3
_SKIP = -1  # an inline widget line: invisible to neighbour search

_LIST_MARK = re.compile(r"(?:\d{1,2}[.)]|[-–—•*▪◦]|[a-zа-я]\))\s")
_SENTENCE_END = frozenset('.!?…:;"»”)\'。！？')
_FULL_STOP = frozenset(".!?…。！？")
_CLOSING = frozenset('"»”)\'')
_ENDS = frozenset(".!?…\"»”")
_GUESS_WORDS = 80  # words sampled to guess a document's stopword language


def _ends_sentence(text: str) -> bool:
    """The line ends with a full stop, possibly inside closing quotes or a bracket."""
    last = text[-1]
    return last in _FULL_STOP or (last in _CLOSING and len(text) > 1 and text[-2] in _FULL_STOP)
_SAMPLE = 600  # characters of a line's key used for word statistics


@dataclass(slots=True)
class LineInfo:
    """What the classifier knows about one line."""

    cls: int  # context-free class
    reason: str  # why the line would be bad ("classifier:...")
    score: float  # how prose-like the line is, 0..1
    chars: int
    headline: bool  # short, no sentence punctuation at the end: a title or a link text
    listed: bool  # starts with a list marker ("1.", "-", "•")
    sentence: bool = False  # ends a sentence and has a few words
    intro: bool = False  # ends with ":" after a few words: introduces what follows
    long_sentence: bool = False  # longer than length_high and ends a sentence


def with_chars(info: LineInfo, chars: int) -> LineInfo:
    """A copy of ``info`` for a line of ``chars`` characters (``dataclasses.replace`` costs ~5x)."""
    return LineInfo(info.cls, info.reason, info.score, chars, info.headline, info.listed,
                    info.sentence, info.intro, info.long_sentence)


def line_tokens(keys: list[str], removed: list[bool]) -> list[list[str]]:
    """The white-space tokens of (a bounded prefix of) each line's matching key, free dashes
    left out; none for a ``removed`` line."""
    return [[] if r else k[:_SAMPLE].replace(" - ", " ").split() for k, r in zip(keys, removed)]


def stop_densities(lines: list[list[str]], stop: frozenset[str]) -> list[float]:
    """Share of stopwords among each line's tokens (0 for none)."""
    has = stop.__contains__
    return [sum(map(has, tokens)) / len(tokens) if tokens else 0.0 for tokens in lines]


# link-like marks: urls, e-mails and handles, hashtags, menu separators, breadcrumbs
_LINK = re.compile(r"http|www\.|[@#|]| [»›/] |\.(?:com|ru|kz|org)\b")


# what the classifier records for a line a rule or template removed (shared, never changed)
WIDGET = LineInfo(BAD, "", 0.0, 0, True, False)


def classify_lines(texts: list[str], densities: list[float], ntoks: list[int],
                   removed: list[bool], prose: float, cfg: BoilerplateConfig) -> list[LineInfo]:
    """Context-free class of every line from its stopword density over its number of tokens;
    ``prose`` is the document's typical density (0 when no stopword list applies). A line a
    rule or template ``removed`` gets ``WIDGET``."""
    low, high, sentence_chars = cfg.length_low, cfg.length_high, cfg.length_sentence
    sw_low, sw_high = cfg.stopwords_low, cfg.stopwords_high
    headline_chars, link_density = cfg.headline_max_chars, cfg.max_link_density
    min_words = cfg.sentence_min_words
    list_mark, links_in = _LIST_MARK.match, _LINK.findall
    out: list[LineInfo] = []
    for text, density, ntok, r in zip(texts, densities, ntoks, removed):
        if r:
            out.append(WIDGET)
            continue
        n = len(text)
        last = text[-1]
        sentence = last in _SENTENCE_END
        headline = not sentence and n <= headline_chars
        listed = list_mark(text) is not None
        if ntok == 0:
            out.append(LineInfo(BAD, "classifier:no_words", 0.0, n, headline, listed))
            continue
        if prose:
            rel = density / prose
        else:  # no stopword list for this language: sentence punctuation stands in
            rel = sw_high if sentence else sw_low
        score = (rel / sw_high if rel < sw_high else 1.0) * (n / high if n < high else 1.0)
        links = len(links_in(text)) if n < high else 0  # long lines are never menus
        if links and links / ntok > link_density:
            info = LineInfo(BAD, "classifier:link_dense", score, n, headline, listed)
        elif n < low:
            info = LineInfo(SHORT, "classifier:short", score, n, headline, listed,
                            ntok >= 3 and _ends_sentence(text), ntok >= 3 and last == ":")
        elif rel >= sw_high:
            good = n > high or (sentence and n >= sentence_chars)
            info = LineInfo(GOOD if good else NEAR_GOOD, "classifier:context", score, n,
                            headline, listed, True, last == ":")
        elif rel >= sw_low or (last in _FULL_STOP and ntok >= min_words):
            # a whole sentence with few stopwords (names, terms) may still be prose: context
            # decides
            ends = _ends_sentence(text)
            info = LineInfo(NEAR_GOOD, "classifier:context", score, n, headline, listed,
                            ends, last == ":", ends and n > high)
        else:
            info = LineInfo(BAD, "classifier:no_prose", score, n, headline, listed)
        out.append(info)
    return out


def promote_if_no_good(infos: list[LineInfo], cfg: BoilerplateConfig) -> None:
    """A document without one "good" line (a language the stopwords serve badly, a text of
    short paragraphs): its near-good lines stand in as good, or else its short sentences."""
    if any(info.cls == GOOD for info in infos):
        return
    promoted = False
    for info in infos:
        if info.cls == NEAR_GOOD and info.chars >= cfg.length_sentence:
            info.cls = GOOD
            promoted = True
    if not promoted:  # a very short text (a note, a message): its whole sentences stay
        for info in infos:
            if info.sentence and info.cls in (SHORT, NEAR_GOOD):
                info.cls = GOOD


def smooth(infos: list[LineInfo], fixed: list[bool | None]) -> list[int]:
    """Final GOOD/BAD class per line.

    ``fixed[i]`` is True for a line a rule marks as a section boundary (bad context), False for
    an inline widget (a date, a credit: neighbours look through it), None for no rule.

    A short line takes the class of its nearest decisive (good or bad) neighbours when they
    agree; a near-good line stays unless both are bad (jusText) and it is not a long line
    ending a sentence. Neighbours are found in two
    passes: the ones after each line backwards first, the ones before it while deciding.
    """
    cf = [info.cls if f is None else (BAD if f else _SKIP) for info, f in zip(infos, fixed)]
    n = len(cf)
    # the class of the nearest line after each line that is decisive (bad or good), decisive
    # or near-good, or any line but an inline widget; BAD past the document's end
    nxt, nxt_near, nxt_adj = [BAD] * n, [BAD] * n, [BAD] * n
    dec = near = adj = BAD
    for i in range(n - 1, -1, -1):
        nxt[i], nxt_near[i], nxt_adj[i] = dec, near, adj
        c = cf[i]
        if c != _SKIP:
            adj = c
            if c != SHORT:
                near = c
                if c != NEAR_GOOD:
                    dec = c
    out = []
    dec = near = adj = BAD  # now: the nearest such lines before the current one
    for i, c in enumerate(cf):
        x = c
        if c == SHORT:
            p, nx = dec, nxt[i]
            if p == nx:  # both good or both bad
                x = p
            elif (p == BAD and near == NEAR_GOOD) or (nx == BAD and nxt_near[i] == NEAR_GOOD):
                x = GOOD
            elif infos[i].sentence and max(adj, nxt_adj[i]) >= NEAR_GOOD:
                x = GOOD  # a short closing (or opening) sentence of a paragraph run
            else:
                x = BAD
        elif c == NEAR_GOOD:  # a long whole sentence is not junk for its neighbours alone
            x = BAD if dec == BAD and nxt[i] == BAD and not infos[i].long_sentence else GOOD
        out.append(GOOD if x == GOOD and fixed[i] is None else BAD)
        if c != _SKIP:
            adj = c
            if c != SHORT:
                near = c
                if c != NEAR_GOOD:
                    dec = c
    return out


def headline_spans(infos: list[LineInfo]) -> list[tuple[int, int]]:
    """[start, end) of every run of headline-like lines that are not good prose."""
    out = []
    i, n = 0, len(infos)
    while i < n:
        if not (infos[i].headline and infos[i].cls != GOOD):
            i += 1
            continue
        j = i
        while j < n and infos[j].headline and infos[j].cls != GOOD:
            j += 1
        out.append((i, j))
        i = j
    return out


def introduced_lists(infos: list[LineInfo], fixed: list[bool | None], final: list[int],
                     spans: list[tuple[int, int]]) -> list[bool]:
    """Lines of a list that a line of the running text introduces ("Tour dates:", "You need:"):
    article content however short its items are. The intro must follow kept text or be it.
    ``spans``: ``headline_spans(infos)``."""
    flag = [False] * len(infos)
    for i, j in spans:
        p = i - 1
        if p < 0 or fixed[p] is not None or not infos[p].intro:
            continue
        if final[p] != GOOD and not (p > 0 and final[p - 1] == GOOD):
            continue
        for k in range(p, j):
            flag[k] = True
    return flag


def headline_runs(infos: list[LineInfo], final: list[int], region: tuple[int, int],
                  kept_lists: list[bool], spans: list[tuple[int, int]], cfg: BoilerplateConfig
                  ) -> list[bool]:
    """Lines in a run of >= ``headline_run`` headline-like lines that are not article prose.

    A run of list items (lines starting with "1.", "-", "•") between kept prose of the main
    ``region`` on both sides is an in-article list and is left alone, as is a run in
    ``kept_lists`` (introduced by the text). ``spans``: ``headline_spans(infos)``.
    """
    start, end = region
    flag = [False] * len(infos)
    for i, j in spans:
        if j - i < cfg.headline_run or kept_lists[i]:
            continue
        inside = start <= i - 1 and final[i - 1] == GOOD and j < end and final[j] == GOOD
        listed = sum(infos[k].listed for k in range(i, j)) * 2 >= j - i
        if not (inside and listed):
            for k in range(i, j):
                flag[k] = True
    return flag


def main_region(infos: list[LineInfo], final: list[int], fixed: list[bool | None],
                cfg: BoilerplateConfig) -> tuple[int, int]:
    """The [start, end) lines of the densest run of kept prose (maximum-sum segment).

    A kept line weighs its length, a dropped line costs ``region_gap_cost`` characters, so
    the article may contain a few dropped lines but navigation far from it falls outside;
    inline widgets (dates, credits) cost nothing. A run of section-boundary lines (a template
    list, a "Related" header; inline widgets looked through) is one boundary: its first line
    costs ``region_boundary_cost``, the others a dropped line's cost. A run with kept prose
    right before and right after it is an insertion inside the article (an ad slot, a
    sub-heading its reprints share), and each of its lines costs a dropped line's cost.
    """
    alone = _lone_good(infos, fixed)
    best, best_start, best_end = 0.0, 0, 0
    cur, cur_start = 0.0, 0
    bounded = False  # inside a run of section-boundary lines
    inside = False  # ... with kept prose right before and after it
    prev_good, next_good = False, _next_good(final, fixed)
    for i, info in enumerate(infos):
        if final[i] == GOOD:
            w = float(info.chars) * (cfg.region_lone_weight if alone[i] else 1.0)
            bounded, prev_good = False, True
        elif fixed[i] is None:
            w = -cfg.region_gap_cost
            bounded, prev_good = False, False
        elif fixed[i]:  # a section boundary, charged once per run of them
            if not bounded:
                inside = prev_good and next_good[i]
            w = -cfg.region_gap_cost if bounded or inside else -cfg.region_boundary_cost
            bounded = True
        else:
            w = 0.0
        if cur <= 0:
            cur, cur_start = w, i
        else:
            cur += w
        if cur > best:
            best, best_start, best_end = cur, cur_start, i + 1
    return best_start, best_end


def _next_good(final: list[int], fixed: list[bool | None]) -> list[bool]:
    """For each line, whether the next line that no rule or template removed is kept prose."""
    out = [False] * len(final)
    good = False
    for i in range(len(final) - 1, -1, -1):
        out[i] = good
        if fixed[i] is None:
            good = final[i] == GOOD
    return out


def _lone_good(infos: list[LineInfo], fixed: list[bool | None]) -> list[bool]:
    """Good lines between headline-like lines (inline widgets looked through): a teaser
    snippet under its headline in a list of them, rather than a paragraph of a running text."""
    idx = [i for i, f in enumerate(fixed) if f is not False]  # lines that are not inline widgets
    out = [False] * len(infos)
    for k, i in enumerate(idx):
        if infos[i].cls != GOOD or k == 0 or not infos[idx[k - 1]].headline:
            continue
        out[i] = k + 1 == len(idx) or infos[idx[k + 1]].headline
    return out


# --- the whole classifier over a document (the compiled one's reference) ---

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



def classify_reference(blocks: Sequence[Block], texts: list[str], keys: list[str],
              hits: list[tuple[str, float] | None], cfg: BoilerplateConfig, lang: str | None
              ) -> None:
    """Fill ``hits`` for the lines (``texts``, ``keys``: those of ``blocks``) the classifier and
    context smoothing drop: the Python definition of what ``_classifier_kernel.classify``
    computes (the tests compare them)."""
    infos = _line_infos(blocks, texts, keys, hits, cfg, lang)
    promote_if_no_good(infos, cfg)
    # None: no rule; True: a section boundary (bad context); False: an inline widget
    fixed = [None if h is None else h[0] in BOUNDARY for h in hits]
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
        if h is None or h[0] != HEADER:
            continue
        while i < n and (hits[i] is not None or infos[i].cls in (BAD, SHORT) or
                         (infos[i].headline and infos[i].cls != GOOD)):
            if hits[i] is None:
                hits[i] = ("classifier:headline_list", h[1])
            i += 1
