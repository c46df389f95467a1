"""Exact verification of candidate pairs on shingle-hash sets (sorted unique uint32 arrays).

Jaccard = |A & B| / |A | B|; containment = |A & B| / min(|A|, |B|) (the share of the smaller set
found in the larger one). LSH only proposes pairs; these numbers decide.
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from cleantext.dedup import _contain_kernel
from cleantext.dedup._passage_kernel import shared_counts
from cleantext.dedup.store import Segments

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
    documents are scanned in order (compiled: one table probe per shingle), about ``chunk`` shingles
    at a time; a ``store.Segments`` is read in place and its pages released after each chunk.
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
    if not hashes.size:
        return set()
    keys, first, held = np.unique(hashes, return_index=True, return_counts=True)  # postings per hash
    table, bloom, shift = _contain_kernel.index_table(keys)
    if isinstance(sets, Segments):
        flat, offsets, release = sets.flat, sets.offsets, sets.spool.release
    else:
        flat = np.concatenate(list(sets)) if len(sets) else np.empty(0, np.uint32)
        offsets = np.zeros(len(sets) + 1, dtype=np.int64)
        np.cumsum([s.size for s in sets], out=offsets[1:])
        release = None
    found: set[tuple[int, int]] = set()
    lo = 0
    while lo < len(sets):  # documents lo .. hi - 1: about ``chunk`` shingles
        hi = min(len(sets), max(lo + 1, int(np.searchsorted(offsets, offsets[lo] + chunk))))
        who, where = _contain_kernel.contained_in(flat, offsets, lo, hi, table, bloom, shift, first, held,
                                                  owners, size, containment)
        found.update(zip(np.minimum(who, where).tolist(), np.maximum(who, where).tolist()))
        if release is not None:
            release()
        lo = hi
    return found
