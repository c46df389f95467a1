"""Compiled (numba) verification and alignment of candidate passage pairs (``PassageIndex.matches``),
and the shared-shingle counts of candidate document pairs (``verify.overlaps``).

For each candidate pair (u, v) of passages: the number of shared n-grams (a merge of the two sorted
sets), and, when asked for, the aligned word ranges: the positions of u's n-gram sequence whose
n-gram is in v's set (binary search; such an n-gram is shared, as u's own n-grams are all in u's
set) and whose neighbouring position's n-gram is in it too, first to last, and the same for v.
"""
from __future__ import annotations

import numpy as np
from numba import njit


@njit(cache=True, nogil=True)
def _contains(flat, lo, hi, value):
    """Whether the sorted ``flat[lo:hi]`` holds ``value``."""
    end = hi
    while lo < hi:
        mid = (lo + hi) >> 1
        if flat[mid] < value:
            lo = mid + 1
        else:
            hi = mid
    return lo < end and flat[lo] == value


@njit(cache=True, nogil=True)
def _align(seq, base, lo, hi, n, sets, s_lo, s_hi, out, col):
    """Aligned word range of words [lo, hi) of a document (sequence at ``seq[base:]``) against the
    set ``sets[s_lo:s_hi]``: written to ``out[col], out[col + 1]``; False when nothing aligns."""
    end = max(lo + 1, hi - n + 1)
    first = -1
    last = -1
    prev = False
    cur = _contains(sets, s_lo, s_hi, seq[base + lo])
    for p in range(lo, end):
        nxt = False
        if p + 1 < end:
            nxt = _contains(sets, s_lo, s_hi, seq[base + p + 1])
        if cur and (end - lo == 1 or prev or nxt):
            if first < 0:
                first = p
            last = p
        prev = cur
        cur = nxt
    if first < 0:
        return False
    out[col] = first
    out[col + 1] = min(hi, last + n)
    return True


@njit(cache=True, nogil=True)
def _merge_count(flat, i, ie, j, je):
    """The number of values shared by the sorted unique ``flat[i:ie]`` and ``flat[j:je]``."""
    count = 0
    while i < ie and j < je:
        a = flat[i]
        b = flat[j]
        if a == b:
            count += 1
            i += 1
            j += 1
        elif a < b:
            i += 1
        else:
            j += 1
    return count


@njit(cache=True, nogil=True)
def shared_counts(us, vs, flat, off):
    """The number of values shared by sets us[k] and vs[k] (set i is the sorted unique
    ``flat[off[i]:off[i + 1]]``)."""
    out = np.zeros(us.size, dtype=np.int64)
    for k in range(us.size):
        out[k] = _merge_count(flat, off[us[k]], off[us[k] + 1], off[vs[k]], off[vs[k] + 1])
    return out


@njit(cache=True, nogil=True)
def verify_pairs(us, vs, set_flat, set_off, seq_flat, seq_off, unit_doc, unit_lo, unit_hi, report,
                 min_shared, n):
    """Shared n-gram counts of the passage pairs (us[k], vs[k]), and for the pairs of reported
    passages sharing at least ``min_shared`` n-grams their aligned word ranges (x_lo, x_hi, y_lo,
    y_hi; -1 when they do not align)."""
    m = us.size
    shared = np.zeros(m, dtype=np.int64)
    ranges = np.full((m, 4), -1, dtype=np.int64)
    for k in range(m):
        u = us[k]
        v = vs[k]
        count = _merge_count(set_flat, set_off[u], set_off[u + 1], set_off[v], set_off[v + 1])
        shared[k] = count
        if count < min_shared or not (report[u] and report[v]):
            continue
        row = ranges[k]
        if _align(seq_flat, seq_off[unit_doc[u]], unit_lo[u], unit_hi[u], n, set_flat, set_off[v],
                  set_off[v + 1], row, 0):
            if not _align(seq_flat, seq_off[unit_doc[v]], unit_lo[v], unit_hi[v], n, set_flat,
                          set_off[u], set_off[u + 1], row, 2):
                row[0] = -1
                row[1] = -1
    return shared, ranges


@njit(cache=True, nogil=True)
def range_jaccard(a, b):
    """Jaccard of the sets of values of two n-gram sequence slices."""
    a = np.unique(a)
    b = np.unique(b)
    i = 0
    j = 0
    shared = 0
    while i < a.size and j < b.size:
        if a[i] == b[j]:
            shared += 1
            i += 1
            j += 1
        elif a[i] < b[j]:
            i += 1
        else:
            j += 1
    union = a.size + b.size - shared
    return shared / union if union else 0.0
