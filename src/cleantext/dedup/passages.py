"""Near-duplicate passages across documents, with aligned raw character spans on both sides.

Words. A document's words are the word tokens of its kept blocks, in order, each with its raw span
(``Block.raw_offset``) and a key folded like ``text.keys.matching_key`` (homoglyphs, case, "ё",
digit grouping: "1 500" is the one word "1500").

Passages. A passage is a paragraph: a kept block of at least ``passage_min_words`` words, or a run
of consecutive shorter blocks (lines) closed as soon as it holds that many words. A shorter run
followed by a long block also makes one passage with that block (besides the block alone); a short
run at the end is ignored. A passage longer than ``passage_window``
words is cut into windows of that many words overlapping by half, the last one ending at the
passage's end.

Matching. Each passage gets a MinHash of its word n-gram set (n = ``passage_shingle_size``); LSH
with a low threshold (a short paragraph inside a long window has a low Jaccard) proposes pairs of
passages of different documents. A proposed pair sharing at least half of a minimal passage's
n-grams is aligned: the positions whose n-gram is shared and whose neighbouring position's n-gram
is shared too (an isolated common phrase is ignored) give the first and last shared word on each
side. The aligned ranges of two documents are merged when they overlap or are close (at most half
of ``passage_min_words`` words apart) on both sides. A merged range is a passage match when each
side spans at least ``MIN_SPAN_SHARE`` x ``passage_min_words`` words and the exact Jaccard of the
two sides' n-gram sets (its reported similarity) is at least ``passage_threshold``.

Document candidates. Every pair of passages whose n-gram containment (|A & B| / min(|A|, |B|)) is
at least ``passage_threshold`` makes its two documents a candidate pair for the document level,
aligned or not; a document too short to hold a passage (but long enough for the containment
rule) is one unit used only for this, never reported as a passage.
"""
from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from cleantext.dedup._passage_kernel import range_jaccard, verify_pairs
from cleantext.dedup.lsh import band_keys, candidate_pairs
from cleantext.dedup.shingle import shingle_sequences_batch
from cleantext.dedup.signature import minhash_signatures
from cleantext.text.keys import fold_homoglyphs, matching_key
from cleantext.text.segment import Block

__all__ = ["DocWords", "PassageIndex", "SpanMatch", "doc_words", "merge_spans", "PassageBatch",
           "passage_units", "sketch_passages"]

# A grouped number ("1 500", "2 334 000"), a number with a decimal part, or a \w+ run.
_TOKEN = re.compile(r"(?<![\d.,])\d{1,3}(?:[ \u00a0\u202f\u2009]\d{3})+(?!\d)|\d+(?:[.,]\d+)+|\w+")
_SPACES = re.compile(r"\s")
_NO_OFFSETS = np.empty(0, dtype=np.int32)
MIN_SPAN_SHARE = 0.8  # a reported match spans at least this share of passage_min_words on each side
MERGE_GAP_SHARE = 0.5  # matches of one pair this share of passage_min_words apart (or less) merge


@dataclass(slots=True)
class DocWords:
    """The words of one document's kept blocks: keys, raw spans, words per block."""

    keys: list[str]
    starts: np.ndarray  # raw offset of each word's first character (int32: documents are < 2 GB)
    ends: np.ndarray  # raw offset just past each word
    per_block: list[int]  # number of words in each kept block


def _block_words(block: Block) -> tuple[list[str], np.ndarray, np.ndarray]:
    text = block.text
    spans = [m.span() for m in _TOKEN.finditer(text)]
    if not spans:
        return [], _NO_OFFSETS, _NO_OFFSETS
    folded = fold_homoglyphs(text).casefold()
    if len(folded) == len(text):
        folded = folded.replace("ё", "е")
        keys = [folded[s:e] for s, e in spans]
        keys = [k if k.isalnum() else _SPACES.sub("", k) for k in keys]  # "1 500" -> "1500"
    else:  # casefold changed a length (e.g. "ß" -> "ss"): key each token alone
        keys = [matching_key(text[s:e]).replace(" ", "") for s, e in spans]
    raw = np.empty(len(text) + 1, dtype=np.int32)  # raw offset of every text index, and of its end
    raw[:-1] = block.start + (np.arange(len(text)) if block.offsets is None else np.asarray(block.offsets))
    raw[-1] = block.end
    idx = np.asarray(spans, dtype=np.int64)
    return keys, raw[idx[:, 0]], raw[idx[:, 1]]


def doc_words(blocks: Sequence[Block]) -> DocWords:
    """The words of a document's kept blocks, in order."""
    keys: list[str] = []
    starts: list[np.ndarray] = []
    ends: list[np.ndarray] = []
    per_block: list[int] = []
    for block in blocks:
        k, s, e = _block_words(block)
        keys.extend(k)
        starts.append(s)
        ends.append(e)
        per_block.append(len(k))
    if not keys:
        return DocWords([], _NO_OFFSETS, _NO_OFFSETS, per_block)
    return DocWords(keys, np.concatenate(starts), np.concatenate(ends), per_block)


def passage_units(per_block: Sequence[int], min_words: int, window: int) -> list[tuple[int, int]]:
    """Word ranges [lo, hi) of the passages of a document (see the module docstring)."""
    paragraphs: list[tuple[int, int]] = []
    lo = pos = 0
    for count in per_block:
        if count >= min_words:  # a long block is a passage of its own ...
            if pos > lo:  # ... and, with the short run before it, one more
                paragraphs.append((lo, pos + count))
            paragraphs.append((pos, pos + count))
            pos += count
            lo = pos
            continue
        pos += count
        if pos - lo >= min_words:
            paragraphs.append((lo, pos))
            lo = pos
    units: list[tuple[int, int]] = []
    step = max(1, window // 2)
    for lo, hi in paragraphs:
        if hi - lo <= window:
            units.append((lo, hi))
            continue
        start = lo
        while start + window < hi:
            units.append((start, start + window))
            start += step
        units.append((hi - window, hi))
    return units


def _flat(arrays: list[np.ndarray], dtype: type) -> np.ndarray:
    return np.concatenate(arrays).astype(dtype, copy=False) if arrays else np.empty(0, dtype=dtype)


def _offsets(arrays: list[np.ndarray]) -> np.ndarray:
    out = np.zeros(len(arrays) + 1, dtype=np.int64)
    np.cumsum([a.size for a in arrays], out=out[1:])
    return out


@dataclass(frozen=True, slots=True)
class SpanMatch:
    """Aligned word ranges of two documents x < y, with the similarity of the ranges."""

    x_lo: int
    x_hi: int
    y_lo: int
    y_hi: int
    similarity: float


def _ngram_set(seq: np.ndarray, lo: int, hi: int, n: int) -> np.ndarray:
    """Sorted unique n-gram hashes of the words [lo, hi) (one n-gram if fewer than n words)."""
    return np.unique(seq[lo:max(lo + 1, hi - n + 1)])


def merge_spans(spans: list[tuple[int, int, int, int]], seq_x: np.ndarray, seq_y: np.ndarray,
                n: int, gap: int) -> list[SpanMatch]:
    """Merge aligned ranges that overlap or are at most ``gap`` words apart on both sides (an
    edited sentence between two matching ones); score each merged range."""
    merged = [list(s) for s in sorted(set(spans))]
    joined = len(merged) > 1
    while joined:  # merge any two touching ranges until none touch (ranges per pair are few)
        joined = False
        for a in range(len(merged)):
            for b in range(a + 1, len(merged)):
                m, k = merged[a], merged[b]
                if (k[0] <= m[1] + gap and m[0] <= k[1] + gap and k[2] <= m[3] + gap and m[2] <= k[3] + gap):
                    merged[a] = [min(m[0], k[0]), max(m[1], k[1]), min(m[2], k[2]), max(m[3], k[3])]
                    del merged[b]
                    joined = True
                    break
            if joined:
                break
    merged.sort()
    return [SpanMatch(x_lo, x_hi, y_lo, y_hi,
                      float(range_jaccard(seq_x[x_lo:max(x_lo + 1, x_hi - n + 1)],
                                          seq_y[y_lo:max(y_lo + 1, y_hi - n + 1)])))
            for x_lo, x_hi, y_lo, y_hi in merged]


@dataclass(slots=True)
class PassageBatch:
    """The passage sketches of a batch of documents (picklable: computed in a worker)."""

    seqs: list[np.ndarray]  # per document: the n-gram hash at each word position
    starts: list[np.ndarray]  # per document: raw start of each word
    ends: list[np.ndarray]  # per document: raw end of each word
    unit_doc: np.ndarray  # per passage: its document's position in the batch
    unit_lo: np.ndarray  # per passage: its word range [lo, hi)
    unit_hi: np.ndarray
    unit_report: np.ndarray  # per passage: False for a short whole document (a candidate only)
    sets: list[np.ndarray]  # per passage: its n-gram set (sorted unique uint32)
    keys: np.ndarray  # per passage: LSH band keys, (passages, bands) uint64


def sketch_passages(blocks_per_doc: Sequence[Sequence[Block]], n: int, min_words: int, window: int,
                    num_perm: int, seed: int, bands: int, rows: int, whole_min_words: int) -> PassageBatch:
    """Words, passages, n-gram sequences and passage band keys of a batch of documents.

    A document without any passage but with at least ``whole_min_words`` words is one unit that
    is never reported as a passage: it only finds the longer documents that may contain it.
    """
    dws = [doc_words(blocks) for blocks in blocks_per_doc]
    flat, offs = shingle_sequences_batch([dw.keys for dw in dws], n)
    seqs = [flat[offs[k]:offs[k + 1]] for k in range(len(dws))]
    sets: list[np.ndarray] = []
    docs: list[int] = []
    los: list[int] = []
    his: list[int] = []
    report: list[bool] = []
    for k, dw in enumerate(dws):
        units = passage_units(dw.per_block, min_words, window)
        whole = not units and len(dw.keys) >= whole_min_words
        for lo, hi in units or ([(0, len(dw.keys))] if whole else []):
            sets.append(_ngram_set(seqs[k], lo, hi, n))
            docs.append(k)
            los.append(lo)
            his.append(hi)
            report.append(not whole)
    keys = (band_keys(minhash_signatures(sets, num_perm, seed), bands, rows) if sets
            else np.empty((0, bands), dtype=np.uint64))
    return PassageBatch(seqs, [dw.starts for dw in dws], [dw.ends for dw in dws],
                        np.asarray(docs, dtype=np.int64), np.asarray(los, dtype=np.int64),
                        np.asarray(his, dtype=np.int64), np.asarray(report, dtype=bool), sets, keys)


@dataclass(slots=True)
class PassageIndex:
    """Passages of many documents, added batch by batch; documents are numbered in order."""

    n: int
    seqs: list[np.ndarray] = field(default_factory=list)  # per document: n-gram hash at each word
    starts: list[np.ndarray] = field(default_factory=list)  # per document: raw start of each word
    ends: list[np.ndarray] = field(default_factory=list)
    unit_doc: list[np.ndarray] = field(default_factory=list)  # per batch: document of each passage
    unit_lo: list[np.ndarray] = field(default_factory=list)
    unit_hi: list[np.ndarray] = field(default_factory=list)
    unit_report: list[np.ndarray] = field(default_factory=list)
    sets: list[np.ndarray] = field(default_factory=list)  # per passage: its n-gram set
    keys: list[np.ndarray] = field(default_factory=list)  # per batch: (passages, bands) uint64

    def add(self, batch: PassageBatch) -> None:
        """Append a batch; its documents get the next numbers."""
        first = len(self.seqs)
        self.seqs.extend(batch.seqs)
        self.starts.extend(batch.starts)
        self.ends.extend(batch.ends)
        if batch.unit_doc.size:
            self.unit_doc.append(batch.unit_doc + first)
            self.unit_lo.append(batch.unit_lo)
            self.unit_hi.append(batch.unit_hi)
            self.unit_report.append(batch.unit_report)
            self.sets.extend(batch.sets)
            self.keys.append(batch.keys)

    def raw_span(self, doc: int, lo: int, hi: int) -> tuple[int, int]:
        """The raw character span of words [lo, hi) of a document."""
        return int(self.starts[doc][lo]), int(self.ends[doc][hi - 1])

    def matches(self, threshold: float, min_words: int, order: Sequence[int]
                ) -> tuple[dict[tuple[int, int], list[SpanMatch]], set[tuple[int, int]]]:
        """Passage matches per document pair (x, y), x before y in ``order`` (a rank per document,
        e.g. its position in id order, so the result does not depend on input order); and the
        document pairs with a pair of passages (or short whole documents) whose n-gram
        containment is at least ``threshold``: document candidates, whatever the alignment.

        A candidate pair of passages sharing at least half of a minimal passage's n-grams is
        aligned; the aligned ranges of a document pair are merged, and a merged range is a match
        when both its sides hold at least ``MIN_SPAN_SHARE`` of ``min_words`` words and the
        Jaccard of their n-gram sets is at least ``threshold``.
        """
        if not self.keys:
            return {}, set()
        doc = np.concatenate(self.unit_doc)
        lo = np.concatenate(self.unit_lo)
        hi = np.concatenate(self.unit_hi)
        report = np.concatenate(self.unit_report)
        doc_rank = np.asarray(order, dtype=np.int64)[doc]  # id order: independent of input order
        unit_rank = np.lexsort((lo, doc_rank)).argsort()
        pairs = candidate_pairs(np.concatenate(self.keys), groups=doc, rank=unit_rank)
        flip = doc_rank[pairs[:, 0]] > doc_rank[pairs[:, 1]]  # x: the document first in id order
        us = np.where(flip, pairs[:, 1], pairs[:, 0])
        vs = np.where(flip, pairs[:, 0], pairs[:, 1])
        n = self.n
        min_shared = max(2, (min_words - n + 1) // 2)
        min_span = max(1, int(MIN_SPAN_SHARE * min_words))
        gap = max(n, int(MERGE_GAP_SHARE * min_words))
        shared, ranges = verify_pairs(us, vs, _flat(self.sets, np.uint32), _offsets(self.sets),
                                      _flat(self.seqs, np.uint32), _offsets(self.seqs), doc, lo, hi,
                                      report, min_shared, n)
        set_size = np.diff(_offsets(self.sets))
        contained = (shared > 0) & (shared >= threshold * np.minimum(set_size[us], set_size[vs]))
        candidates = {(int(x), int(y)) for x, y in zip(doc[us[contained]], doc[vs[contained]])}
        found: dict[tuple[int, int], list[tuple[int, int, int, int]]] = {}
        aligned = np.flatnonzero(ranges[:, 0] >= 0)
        for x, y, r in zip(doc[us[aligned]].tolist(), doc[vs[aligned]].tolist(), ranges[aligned].tolist()):
            found.setdefault((x, y), []).append(tuple(r))
        spans: dict[tuple[int, int], list[SpanMatch]] = {}
        for key in sorted(found, key=lambda k: (order[k[0]], order[k[1]])):
            kept = [m for m in merge_spans(found[key], self.seqs[key[0]], self.seqs[key[1]], n, gap)
                    if m.similarity >= threshold and min(m.x_hi - m.x_lo, m.y_hi - m.y_lo) >= min_span]
            if kept:
                spans[key] = kept
        return spans, candidates
