"""Near-duplicate passages across documents, with aligned raw character spans on both sides.

Words. A document's words are the word tokens of its kept blocks, in order, each with its raw span
and a key folded like ``text.keys.matching_key`` (homoglyphs, case, "ё", digit grouping: "1 500" is
the one word "1500"): ``words.batch_words``.

Passages. A passage is a paragraph: a kept block of at least ``passage_min_words`` words, or a run
of consecutive shorter blocks (lines) closed as soon as it holds that many words. A shorter run
followed by a long block also makes one passage with that block (besides the block alone); a short
run at the end is ignored. A passage longer than ``passage_window``
words is cut into windows of that many words overlapping by half, the last one ending at the
passage's end.

Matching. Each passage gets a MinHash of its word n-gram set (n = ``passage_shingle_size``); LSH
with a low threshold (a short paragraph inside a long window has a low Jaccard), in all the bands
the permutations hold, proposes the pairs of passages of different documents that agree on
``passage_band_hits`` bands (``lsh.all_bands``). A proposed pair sharing at least half of a minimal passage's
n-grams is aligned: the positions whose n-gram is shared and whose neighbouring position's n-gram
is shared too (an isolated common phrase is ignored) give the first and last shared word on each
side. The aligned ranges of two documents are merged when they overlap or are close (at most half
of ``passage_min_words`` words apart) on both sides, then grown over the shared text next to them
(``_passage_kernel.extend_range``: the rest of a paragraph that the other side splits into
different passages, or a sentence inserted in one copy) while their Jaccard stays at least
``passage_threshold``, and merged again. A merged range is a passage match when each
side spans at least ``MIN_SPAN_SHARE`` x ``passage_min_words`` words and the exact Jaccard of the
two sides' n-gram sets (its reported similarity) is at least ``passage_threshold``.

Document candidates. Every pair of passages whose n-gram containment (|A & B| / min(|A|, |B|)) is
at least ``passage_threshold`` makes its two documents a candidate pair for the document level,
aligned or not; a document too short to hold a passage (but long enough for the containment
rule) is one unit used only for this, never reported as a passage.
"""
from __future__ import annotations

from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from cleantext.dedup._passage_kernel import pair_spans, verify_pairs
from cleantext.dedup._passage_kernel import passage_units as _units
from cleantext.dedup.lsh import band_keys, column_pairs
from cleantext.dedup.shingle import hashed_sequences_batch, unique_per_doc
from cleantext.dedup.signature import minhash_flat
from cleantext.dedup.store import FlatSpool, offsets_of
from cleantext.dedup.words import batch_words
from cleantext.text.segment import Block

__all__ = ["PassageIndex", "SpanMatch", "PassageBatch", "passage_units", "sketch_passages"]

MIN_SPAN_SHARE = 0.8  # a reported match spans at least this share of passage_min_words on each side
MERGE_GAP_SHARE = 0.5  # matches of one pair this share of passage_min_words apart (or less) merge


def passage_units(per_block: Sequence[int], min_words: int, window: int) -> list[tuple[int, int]]:
    """Word ranges [lo, hi) of the passages of a document (see the module docstring)."""
    counts = np.asarray(per_block, dtype=np.int64)
    _, lo, hi, _ = _units(counts, np.array([0, counts.size]), min_words, window, np.iinfo(np.int64).max)
    return list(zip(lo.tolist(), hi.tolist()))


@dataclass(frozen=True, slots=True)
class SpanMatch:
    """Aligned word ranges of two documents x < y, with the similarity of the ranges."""

    x_lo: int
    x_hi: int
    y_lo: int
    y_hi: int
    similarity: float


def _unit_sets(seq: np.ndarray, seq_off: np.ndarray, docs: np.ndarray, los: np.ndarray, his: np.ndarray,
               n: int) -> tuple[np.ndarray, np.ndarray]:
    """The sorted unique n-gram hashes of every unit (words [lo, hi) of a document; one n-gram if
    fewer than n words), all at once: ``(flat, offsets)`` as in ``shingle.shingle_hashes_batch``."""
    length = np.maximum(his - los - n + 1, 1)
    first = seq_off[docs] + los
    total = int(length.sum())
    idx = np.repeat(first - (np.cumsum(length) - length), length) + np.arange(total)
    keys = (np.repeat(np.arange(docs.size, dtype=np.uint64), length) << np.uint64(32)) | seq[idx].astype(np.uint64)
    return unique_per_doc(keys, docs.size)


@dataclass(slots=True)
class PassageBatch:
    """The passage sketches of a batch of documents, as flat arrays (picklable: computed in a worker)."""

    seq: np.ndarray  # per document in turn: the n-gram hash at each word position (uint32)
    seq_counts: np.ndarray  # per document: its number of sequence values
    starts: np.ndarray  # per document in turn: raw start of each word (int32)
    ends: np.ndarray  # ... and raw end of each word
    word_counts: np.ndarray  # per document: its number of words
    unit_doc: np.ndarray  # per passage: its document's position in the batch
    unit_lo: np.ndarray  # per passage: its word range [lo, hi)
    unit_hi: np.ndarray
    unit_report: np.ndarray  # per passage: False for a short whole document (a candidate only)
    sets: np.ndarray  # per passage in turn: its n-gram set (sorted unique uint32)
    set_sizes: np.ndarray  # per passage: the size of its set
    keys: np.ndarray  # per passage: LSH band keys, (passages, bands) uint64


def sketch_passages(blocks_per_doc: Sequence[Sequence[Block]], n: int, min_words: int, window: int,
                    num_perm: int, seed: int, bands: int, rows: int, whole_min_words: int) -> PassageBatch:
    """Words, passages, n-gram sequences and passage band keys of a batch of documents.

    A document without any passage but with at least ``whole_min_words`` words is one unit that
    is never reported as a passage: it only finds the longer documents that may contain it.
    """
    words = batch_words(blocks_per_doc)
    flat, offs = hashed_sequences_batch(words.hashes, words.word_start, n)
    unit_doc, unit_lo, unit_hi, report = _units(words.per_block, words.doc_blocks, min_words, window,
                                                whole_min_words)
    sets, set_off = _unit_sets(flat, offs, unit_doc, unit_lo, unit_hi, n)
    keys = band_keys(minhash_flat(sets, set_off, num_perm, seed), bands, rows)
    return PassageBatch(flat, np.diff(offs), words.starts, words.ends, np.diff(words.word_start),
                        unit_doc.astype(np.int32), unit_lo.astype(np.int32), unit_hi.astype(np.int32), report,
                        sets, np.diff(set_off), keys)


_PARTS = ("seq_counts", "word_counts", "unit_doc", "unit_lo", "unit_hi", "unit_report", "set_sizes")
_OFFSETS = {"seq_off": "seq_counts", "word_off": "word_counts", "set_off": "set_sizes"}  # offsets <- lengths
_CHUNK = 1 << 16  # candidate passage pairs verified between two releases of the spools' pages
_SPAN_CHUNK = 1 << 12  # document pairs whose spans are grown between two releases


class PassageIndex:
    """Passages of many documents, added batch by batch; documents are numbered in order.

    The per-word features (n-gram sequences, raw word offsets, passage n-gram sets) and the
    passage band keys (one file per band) go to spools in ``directory``; only the passages' word
    ranges and the offsets stay in memory.
    """

    def __init__(self, n: int, directory: str | Path, bands: int, hits: int = 1) -> None:
        d = Path(directory)
        self.n = n
        self.hits = hits  # passages are candidates when they share the keys of this many bands
        self.seq = FlatSpool(d / "passage_seq.u32", np.uint32)
        self.starts = FlatSpool(d / "word_starts.i32", np.int32)
        self.ends = FlatSpool(d / "word_ends.i32", np.int32)
        self.sets = FlatSpool(d / "passage_sets.u32", np.uint32)
        self.keys = [FlatSpool(d / f"passage_band{b:02d}.u64", np.uint64) for b in range(bands)]
        self.documents = 0
        self._parts: dict[str, list[np.ndarray]] = {name: [] for name in _PARTS}
        self._arrays: dict[str, np.ndarray] = {}

    def add(self, batch: PassageBatch) -> None:
        """Append a batch; its documents get the next numbers."""
        for spool, values in ((self.seq, batch.seq), (self.starts, batch.starts), (self.ends, batch.ends),
                              (self.sets, batch.sets)):
            spool.append(values)
        for b, spool in enumerate(self.keys):
            spool.append(batch.keys[:, b])
        for name in _PARTS:
            self._parts[name].append(getattr(batch, name))
        self._parts["unit_doc"][-1] = batch.unit_doc + np.int32(self.documents)
        self.documents += batch.seq_counts.size

    def _array(self, name: str) -> np.ndarray:
        """A per-document or per-passage array of all batches (built once, after the last ``add``)."""
        if name not in self._arrays:
            if name in _OFFSETS:
                self._arrays[name] = offsets_of(self._parts.pop(_OFFSETS[name]))
            else:
                parts = self._parts.pop(name)
                self._arrays[name] = np.concatenate(parts) if parts else np.empty(0, dtype=np.int32)
        return self._arrays[name]

    def raw_spans(self, docs: Sequence[int], lo: Sequence[int], hi: Sequence[int]) -> tuple[list[int], list[int]]:
        """The raw character spans (starts, ends) of words [lo[k], hi[k]) of documents docs[k]."""
        base = self._array("word_off")[np.asarray(docs, dtype=np.int64)]
        starts = self.starts.view()[base + np.asarray(lo, dtype=np.int64)] if base.size else base
        ends = self.ends.view()[base + np.asarray(hi, dtype=np.int64) - 1] if base.size else base
        return starts.tolist(), ends.tolist()

    def release(self) -> None:
        """Drop the spools' pages read so far from resident memory."""
        for spool in (self.seq, self.starts, self.ends, self.sets):
            spool.release()

    def close(self) -> None:
        for spool in (self.seq, self.starts, self.ends, self.sets, *self.keys):
            spool.close()

    def matches(self, threshold: float, min_words: int, order: Sequence[int], stats: dict[str, int] | None = None,
                threads: int = 1) -> tuple[dict[tuple[int, int], list[SpanMatch]], set[tuple[int, int]]]:
        """Passage matches per document pair (x, y), x before y in ``order`` (a rank per document,
        e.g. its position in id order, so the result does not depend on input order); and the
        document pairs with a pair of passages (or short whole documents) whose n-gram
        containment is at least ``threshold``: document candidates, whatever the alignment.

        A candidate pair of passages sharing at least half of a minimal passage's n-grams is
        aligned; the aligned ranges of a document pair are merged, and a merged range is a match
        when both its sides hold at least ``MIN_SPAN_SHARE`` of ``min_words`` words and the
        Jaccard of their n-gram sets is at least ``threshold``. ``stats`` (optional) gets
        "candidate_pairs" (passage pairs from LSH) and "capped_rows" (``lsh.candidate_pairs``).
        ``threads``: the band tally and the spans of the pairs run in that many threads (same result).
        """
        doc = self._array("unit_doc")
        if not doc.size:
            return {}, set()
        lo, hi, report = self._array("unit_lo"), self._array("unit_hi"), self._array("unit_report")
        set_off, seq_off = self._array("set_off"), self._array("seq_off")
        doc_rank = np.asarray(order, dtype=np.int64)[doc]  # id order: independent of input order
        unit_rank = np.lexsort((lo, doc_rank)).argsort()
        pairs = column_pairs((spool.load() for spool in self.keys), doc.size, groups=doc, rank=unit_rank,
                             stats=stats, min_hits=self.hits, threads=threads)
        if stats is not None:
            stats["candidate_pairs"] = len(pairs)
        flip = doc_rank[pairs[:, 0]] > doc_rank[pairs[:, 1]]  # x: the document first in id order
        us = np.where(flip, pairs[:, 1], pairs[:, 0])
        vs = np.where(flip, pairs[:, 0], pairs[:, 1])
        del pairs, flip
        n = self.n
        min_shared = max(2, (min_words - n + 1) // 2)
        min_span = max(1, int(MIN_SPAN_SHARE * min_words))
        gap = max(n, int(MERGE_GAP_SHARE * min_words))
        far = max(gap, min_words)
        set_size = np.diff(set_off)
        set_flat, seq_flat = self.sets.view(), self.seq.view()
        candidates: set[tuple[int, int]] = set()
        aligned_x, aligned_y, aligned_rows = [doc[:0]], [doc[:0]], [np.empty((0, 4), dtype=np.int64)]
        for c in range(0, us.size, _CHUNK):
            u, v = us[c:c + _CHUNK], vs[c:c + _CHUNK]
            shared, ranges = verify_pairs(u, v, set_flat, set_off, seq_flat, seq_off, doc, lo, hi,
                                          report, min_shared, n)
            self.release()
            contained = (shared > 0) & (shared >= threshold * np.minimum(set_size[u], set_size[v]))
            candidates.update(zip(doc[u[contained]].tolist(), doc[v[contained]].tolist()))
            aligned = np.flatnonzero(ranges[:, 0] >= 0)
            aligned_x.append(doc[u[aligned]])
            aligned_y.append(doc[v[aligned]])
            aligned_rows.append(ranges[aligned])
        # the aligned ranges grouped by document pair, pairs in id order (x, then y)
        xs, ys = np.concatenate(aligned_x).astype(np.int64), np.concatenate(aligned_y).astype(np.int64)
        rows = np.concatenate(aligned_rows)
        rank = np.asarray(order, dtype=np.int64)
        by_pair = np.argsort(rank[xs] * rank.size + rank[ys], kind="stable")
        xs, ys, rows = xs[by_pair], ys[by_pair], rows[by_pair]
        new_pair = np.ones(xs.size, dtype=bool)
        new_pair[1:] = (xs[1:] != xs[:-1]) | (ys[1:] != ys[:-1])
        starts = np.append(np.flatnonzero(new_pair), xs.size)
        xs, ys = xs[starts[:-1]], ys[starts[:-1]]

        def grown(c: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
            """The spans of pairs c .. c + _SPAN_CHUNK - 1 (the sequences read are then released)."""
            out = pair_spans(c, min(c + _SPAN_CHUNK, xs.size), xs, ys, starts, rows, seq_flat, seq_off, n, gap,
                             far, threshold, min_span)
            self.release()
            return out

        spans: dict[tuple[int, int], list[SpanMatch]] = {}
        with ThreadPoolExecutor(max(1, threads)) as pool:  # the kernel releases the GIL; results in chunk order
            for pair, kept, sims in pool.map(grown, range(0, xs.size, _SPAN_CHUNK)):
                for k, (x_lo, x_hi, y_lo, y_hi), sim in zip(pair.tolist(), kept.tolist(), sims.tolist()):
                    spans.setdefault((int(xs[k]), int(ys[k])), []).append(SpanMatch(x_lo, x_hi, y_lo, y_hi, sim))
        self.release()
        return spans, candidates
