"""Exact verification of candidate pairs on shingle-hash sets (sorted unique uint32 arrays).

Jaccard = |A & B| / |A | B|; containment = |A & B| / min(|A|, |B|) (the share of the smaller set
found in the larger one). LSH only proposes pairs; these numbers decide.
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from cleantext.dedup._passage_kernel import shared_counts

__all__ = ["Overlap", "contained_pairs", "is_duplicate", "overlap", "overlaps"]


@dataclass(frozen=True, slots=True)
class Overlap:
    """Exact similarity of two shingle sets."""

    jaccard: float
    containment: float
    shared: int

    def to_dict(self) -> dict[str, float]:
        return {"jaccard": round(self.jaccard, 4), "containment": round(self.containment, 4)}


def overlap(a: np.ndarray, b: np.ndarray) -> Overlap:
    """Exact Jaccard and containment of two sorted unique hash arrays."""
    if a.size == 0 or b.size == 0:
        return Overlap(0.0, 0.0, 0)
    shared = int(np.intersect1d(a, b, assume_unique=True).size)
    return Overlap(shared / (a.size + b.size - shared), shared / min(a.size, b.size), shared)


def overlaps(pairs: np.ndarray, flat: np.ndarray, offsets: np.ndarray) -> list[Overlap]:
    """``overlap`` of the sets of every pair (i, j) of ``pairs`` (an (m, 2) int array), where set i is
    ``flat[offsets[i]:offsets[i + 1]]`` (compiled: one pass, no per-pair numpy calls)."""
    pairs = np.asarray(pairs, dtype=np.int64).reshape(-1, 2)
    shared = shared_counts(pairs[:, 0], pairs[:, 1], flat, offsets).tolist()
    size = np.diff(offsets)
    out = []
    for s, a, b in zip(shared, size[pairs[:, 0]].tolist(), size[pairs[:, 1]].tolist()):
        out.append(Overlap(s / (a + b - s), s / min(a, b), s) if a and b else Overlap(0.0, 0.0, 0))
    return out


def is_duplicate(ov: Overlap, smaller: int, *, threshold: float, containment: float,
                 min_contained: int) -> bool:
    """A duplicate pair: Jaccard >= ``threshold``, or the smaller set (of ``smaller`` shingles, at
    least ``min_contained``) has a share >= ``containment`` inside the larger one."""
    return ov.jaccard >= threshold or (smaller >= min_contained and ov.containment >= containment)


def contained_pairs(sets: Sequence[np.ndarray], small: Sequence[int], containment: float,
                    max_postings: int = 64, chunk: int = 1 << 20) -> set[tuple[int, int]]:
    """Pairs (i, j) where the short document ``i`` (one of ``small``) has at least ``containment`` of
    its shingles in document ``j``, found exactly with an inverted index of the short documents'
    shingles, not by LSH (a short text inside a long one has too low a Jaccard for LSH).

    Shingles held by more than ``max_postings`` short documents are left out of the index (and of
    the short document's size), so the pairs are candidates: they are verified afterwards. The
    documents are scanned in order, about ``chunk`` shingles at a time (vectorised; linear in the
    corpus size).
    """
    if not small:
        return set()
    owners = np.repeat(np.asarray(small, dtype=np.int64), [sets[i].size for i in small])
    hashes = np.concatenate([sets[i] for i in small]) if owners.size else np.empty(0, np.uint32)
    keys, counts = np.unique(hashes, return_counts=True)
    rare = counts[np.searchsorted(keys, hashes)] <= max_postings
    owners, hashes = owners[rare], hashes[rare]
    order = np.argsort(hashes, kind="stable")
    owners, hashes = owners[order], hashes[order]
    size = np.bincount(owners, minlength=len(sets))
    found: set[tuple[int, int]] = set()
    if not hashes.size:
        return found
    index = np.unique(hashes, return_index=True, return_counts=True)  # hash, first posting, postings
    docs: list[int] = []
    parts: list[np.ndarray] = []
    held = 0
    for j, s in enumerate(sets):
        docs.append(j)
        parts.append(s)
        held += s.size
        if held >= chunk or j == len(sets) - 1:
            found |= _contained_in(np.repeat(np.asarray(docs, dtype=np.int64), [p.size for p in parts]),
                                   np.concatenate(parts), index, owners, size, containment)
            docs, parts, held = [], [], 0
    return found


def _contained_in(doc_of: np.ndarray, values: np.ndarray, index: tuple[np.ndarray, np.ndarray, np.ndarray],
                  owners: np.ndarray, size: np.ndarray, containment: float) -> set[tuple[int, int]]:
    """The pairs (owner, document) of ``contained_pairs`` among documents whose shingles are
    ``values`` (document ``doc_of[k]`` holds ``values[k]``); ``index``: each indexed hash with its
    first position and number of postings in ``owners`` (sorted by hash)."""
    keys, first, held = index
    pos = np.minimum(np.searchsorted(keys, values), keys.size - 1)
    hit = np.flatnonzero(keys[pos] == values)
    if not hit.size:
        return set()
    lo, counts, doc_of = first[pos[hit]], held[pos[hit]], doc_of[hit]
    starts = np.repeat(lo, counts) + (np.arange(counts.sum()) - np.repeat(np.cumsum(counts) - counts, counts))
    who = owners[starts]
    where = np.repeat(doc_of, counts)
    n = np.int64(size.size)
    codes, shared = np.unique(who * n + where, return_counts=True)
    who, where = codes // n, codes % n
    keep = (who != where) & (shared >= containment * size[who])
    return {(int(min(a, b)), int(max(a, b))) for a, b in zip(who[keep].tolist(), where[keep].tolist())}
