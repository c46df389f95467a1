"""Scores for the boilerplate benchmarks: word 4-gram overlap and removed-line precision/recall.

The 4-gram score follows scrapinghub/article-extraction-benchmark (``evaluate.py``): words are
``\\w+`` runs; per document the multisets of word 4-grams (one shorter n-gram when a text has
fewer than four words) of prediction and truth give tp/fp/fn, normalised to sum to one;
precision is averaged over documents with ``tp + fp > 0``, recall over documents with
``tp + fn > 0``; F1 is computed from the two averages. The issue asks for lowercased words;
``lower=False`` is the benchmark's own case-sensitive variant.
"""
from __future__ import annotations

import html
import re
from bisect import bisect_right
from collections import Counter
from dataclasses import dataclass
from statistics import mean
from typing import Iterable, Sequence

_WORD = re.compile(r"\w+")


def word_ngrams(text: str, n: int = 4, *, lower: bool = True) -> Counter[tuple[str, ...]]:
    """The multiset of word ``n``-grams of ``text`` (a text of 1..n-1 words is one short n-gram)."""
    words = _WORD.findall(text.lower() if lower else text)
    if not words:
        return Counter()
    if len(words) < n:
        return Counter([tuple(words)])
    return Counter(tuple(words[i:i + n]) for i in range(len(words) - n + 1))


@dataclass(frozen=True)
class Overlap:
    """Normalised true positives, false positives and false negatives of one document."""

    tp: float
    fp: float
    fn: float

    @property
    def precision(self) -> float:
        if self.fp == 0 and self.fn == 0:
            return 1.0
        if self.tp == 0 and self.fp == 0:
            return 0.0
        return self.tp / (self.tp + self.fp)

    @property
    def recall(self) -> float:
        if self.fp == 0 and self.fn == 0:
            return 1.0
        if self.tp == 0 and self.fn == 0:
            return 0.0
        return self.tp / (self.tp + self.fn)


def overlap(truth: str, pred: str, *, n: int = 4, lower: bool = True) -> Overlap:
    """Compare one predicted text with its ground truth by word n-gram multisets."""
    t = word_ngrams(truth, n, lower=lower)
    p = word_ngrams(pred, n, lower=lower)
    tp = float(sum((t & p).values()))
    fp = float(sum((p - t).values()))
    fn = float(sum((t - p).values()))
    total = tp + fp + fn
    if total:
        tp, fp, fn = tp / total, fp / total, fn / total
    return Overlap(tp, fp, fn)


@dataclass(frozen=True)
class PRF:
    precision: float
    recall: float
    f1: float

    def to_dict(self) -> dict[str, float]:
        return {"precision": round(self.precision, 4), "recall": round(self.recall, 4),
                "f1": round(self.f1, 4)}


def _f1(p: float, r: float) -> float:
    return 2 * p * r / (p + r) if p + r else 0.0


def aggregate(overlaps: Iterable[Overlap]) -> PRF:
    """Average precision and recall over documents as the benchmark does; F1 of the averages.

    A set where no document has a prediction (or a truth) scores 0 for that average.
    """
    items = list(overlaps)
    ps = [o.precision for o in items if o.tp + o.fp > 0]
    rs = [o.recall for o in items if o.tp + o.fn > 0]
    p = mean(ps) if ps else 0.0
    r = mean(rs) if rs else 0.0
    return PRF(p, r, _f1(p, r))


# --- removed lines -------------------------------------------------------------------------

def _words_key(text: str) -> str:
    """Casefolded words, HTML entities decoded (repair unescapes them: "&amp;" is not a word)."""
    return " ".join(_WORD.findall(html.unescape(text).casefold()))


def merge_spans(spans: Iterable[tuple[int, int]]) -> list[tuple[int, int]]:
    """Sorted, non-overlapping union of half-open spans."""
    out: list[tuple[int, int]] = []
    for s, e in sorted(spans):
        if out and s <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], e))
        elif e > s:
            out.append((s, e))
    return out


def covered(start: int, end: int, spans: Sequence[tuple[int, int]], raw: str) -> bool:
    """True when every non-space character of ``raw[start:end]`` lies inside ``spans``
    (merged, as from ``merge_spans``)."""
    starts = [s for s, _ in spans]
    for i in range(start, end):
        if raw[i].isspace():
            continue
        k = bisect_right(starts, i) - 1
        if k < 0 or i >= spans[k][1]:
            return False
    return True


def line_removed(start: int, end: int, raw: str, spans: Sequence[tuple[int, int]],
                 clean_key: str) -> bool:
    """A labelled line counts as removed when the removals (merged ``spans``) cover it whole, or
    when its words no longer appear as a contiguous run in the clean text (``clean_text_key``)."""
    if covered(start, end, spans, raw):
        return True
    key = _words_key(raw[start:end])
    if not key:
        return False
    return f" {key} " not in clean_key


def clean_text_key(text: str) -> str:
    """The form of a clean text that ``line_removed`` searches (words, casefolded, padded)."""
    return f" {_words_key(text)} "


@dataclass
class LineCounts:
    """Confusion counts for 'this line is boilerplate' (positive = labelled remove)."""

    tp: int = 0  # labelled remove, removed
    fp: int = 0  # labelled keep, removed
    fn: int = 0  # labelled remove, kept
    tn: int = 0  # labelled keep, kept

    def add(self, label_remove: bool, removed: bool) -> None:
        if label_remove and removed:
            self.tp += 1
        elif removed:
            self.fp += 1
        elif label_remove:
            self.fn += 1
        else:
            self.tn += 1

    def merge(self, other: "LineCounts") -> None:
        self.tp += other.tp
        self.fp += other.fp
        self.fn += other.fn
        self.tn += other.tn

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def keep_rate(self) -> float:
        """Share of article (keep) lines that survived."""
        return self.tn / (self.tn + self.fp) if self.tn + self.fp else 1.0

    def to_dict(self) -> dict[str, float | int]:
        p, r = self.precision, self.recall
        return {"tp": self.tp, "fp": self.fp, "fn": self.fn, "tn": self.tn,
                "precision": round(p, 4), "recall": round(r, 4), "f1": round(_f1(p, r), 4),
                "keep_rate": round(self.keep_rate, 4)}
