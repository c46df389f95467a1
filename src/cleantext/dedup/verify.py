"""Exact verification of candidate pairs on shingle-hash sets (sorted unique uint32 arrays).

Jaccard = |A & B| / |A | B|; containment = |A & B| / min(|A|, |B|) (the share of the smaller set
found in the larger one). LSH only proposes pairs; these numbers decide.
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

__all__ = ["Overlap", "contained_pairs", "is_duplicate", "overlap"]


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


def is_duplicate(ov: Overlap, smaller: int, *, threshold: float, containment: float,
                 min_contained: int) -> bool:
    """A duplicate pair: Jaccard >= ``threshold``, or the smaller set (of ``smaller`` shingles, at
    least ``min_contained``) has a share >= ``containment`` inside the larger one."""
    return ov.jaccard >= threshold or (smaller >= min_contained and ov.containment >= containment)


def contained_pairs(sets: Sequence[np.ndarray], small: Sequence[int], containment: float,
                    max_postings: int = 64) -> set[tuple[int, int]]:
    """Pairs (i, j) where the short document ``i`` (one of ``small``) has at least ``containment`` of
    its shingles in document ``j``, found exactly with an inverted index of the short documents'
    shingles, not by LSH (a short text inside a long one has too low a Jaccard for LSH).

    Shingles held by more than ``max_postings`` short documents are left out of the index (and of
    the short document's size), so the pairs are candidates: they are verified afterwards.
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
    index = np.unique(hashes)
    size = np.bincount(owners, minlength=len(sets))
    found: list[np.ndarray] = []
    for j, s in enumerate(sets):
        hit = s[np.isin(s, index, assume_unique=True)] if s.size else s
        if not hit.size:
            continue
        lo = np.searchsorted(hashes, hit, side="left")
        hi = np.searchsorted(hashes, hit, side="right")
        counts = hi - lo
        starts = np.repeat(lo, counts) + (np.arange(counts.sum()) - np.repeat(np.cumsum(counts) - counts, counts))
        who, shared = np.unique(owners[starts], return_counts=True)
        keep = (who != j) & (shared >= containment * size[who])
        if keep.any():
            found.append(np.stack((who[keep], np.full(int(keep.sum()), j)), axis=1))
    if not found:
        return set()
    pairs = np.concatenate(found)
    return {(int(min(a, b)), int(max(a, b))) for a, b in pairs.tolist()}
