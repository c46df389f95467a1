"""Exact verification of candidate pairs on shingle-hash sets (sorted unique uint32 arrays).

Jaccard = |A & B| / |A | B|; containment = |A & B| / min(|A|, |B|) (the share of the smaller set
found in the larger one). LSH only proposes pairs; these numbers decide.
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

__all__ = ["Overlap", "is_duplicate", "overlap", "verify_pairs"]


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


def verify_pairs(sets: Sequence[np.ndarray], pairs: np.ndarray, *, threshold: float,
                 containment: float, min_contained: int) -> dict[tuple[int, int], Overlap]:
    """The candidate pairs that are duplicates, with their exact overlap."""
    out: dict[tuple[int, int], Overlap] = {}
    for i, j in pairs.tolist():
        a, b = sets[i], sets[j]
        ov = overlap(a, b)
        if is_duplicate(ov, min(a.size, b.size), threshold=threshold, containment=containment,
                        min_contained=min_contained):
            out[(i, j)] = ov
    return out
