"""Compiled (numba) LSH candidate pairs (``lsh.column_pairs``): band buckets by hashing, and the
number of bands each pair of rows shares, counted in a hash table.

A band's rows are grouped by their key (numpy's argsort: numba's is 4x slower); every bucket of two rows or more gives its
pairs, a bucket of more than ``cap`` + 1 rows only the pairs with one of its first ``cap`` rows by rank.
A pair (i < j) is the code i * n + j; an open-addressing table counts how many bands gave each code
(saturating at 255), so the band pairs are never listed or sorted.
"""
from __future__ import annotations

import numpy as np
from numba import njit

_EMPTY = np.int64(-1)
_GOLDEN = np.uint64(0x9E3779B97F4A7C15)


@njit(cache=True, nogil=True)
def _slot(value, shift):
    """Table slot of a 64-bit value: the top bits of a Fibonacci hash."""
    return np.int64((np.uint64(value) * _GOLDEN) >> np.uint64(shift))


@njit(cache=True, nogil=True)
def new_tally(capacity):
    """An empty pair-code table of at least ``capacity`` slots, and its [used, shift]. A slot holds
    ``code << 8 | count`` (one memory access per counted pair), or -1."""
    bits = 4
    while (1 << bits) < 2 * capacity:
        bits += 1
    return np.full(1 << bits, _EMPTY, dtype=np.int64), np.array([0, 64 - bits], dtype=np.int64)


@njit(cache=True, nogil=True)
def _resized(table, state, capacity):
    """A table of at least ``capacity`` slots holding the codes and counts of ``table``."""
    new, new_state = new_tally(capacity)
    mask = new.size - 1
    for k in range(table.size):
        if table[k] != _EMPTY:
            s = _slot(table[k] >> 8, new_state[1])
            while new[s] != _EMPTY:
                s = (s + 1) & mask
            new[s] = table[k]
    new_state[0] = state[0]
    return new, new_state


@njit(cache=True, nogil=True)
def _runs_pairs(col, order, cap):
    """The number of pairs the buckets of a band give (before the ``groups`` rule)."""
    n = col.size
    total = 0
    start = 0
    while start < n:
        end = start + 1
        while end < n and col[order[end]] == col[order[start]]:
            end += 1
        m = end - start
        for p in range(min(m, cap)):
            total += m - 1 - p
        start = end
    return total


@njit(cache=True, nogil=True)
def _count_band(col, order, rank, groups, cap, table, state):
    """Count the pairs of the band's buckets in ``table`` (which has room for them); the rows past
    ``cap`` in their bucket."""
    n = col.size
    mask = table.size - 1
    shift = np.uint64(state[1])
    used = state[0]
    capped = 0
    start = 0
    while start < n:
        end = start + 1
        while end < n and col[order[end]] == col[order[start]]:
            end += 1
        m = end - start
        if m > 1:
            rows = order[start:end]
            if m > cap:
                capped += m - cap
            if m > cap + 1:  # only the first ``cap`` rows by rank pair with the others
                rows = rows[np.argsort(rank[rows])]
            for p in range(min(m, cap)):
                a = rows[p]
                for q in range(p + 1, m):
                    b = rows[q]
                    if groups.size and groups[a] == groups[b]:
                        continue
                    code = min(a, b) * n + max(a, b)
                    s = np.int64((np.uint64(code) * _GOLDEN) >> shift)
                    while True:  # inline: a call per pair costs 5x the probe
                        v = table[s]
                        if v == _EMPTY:
                            table[s] = (code << 8) | 1
                            used += 1
                            break
                        if v >> 8 == code:
                            if v & 255 < 255:
                                table[s] = v + 1
                            break
                        s = (s + 1) & mask
        start = end
    state[0] = used
    return capped


@njit(cache=True, nogil=True)
def tally_band(col, order, rank, groups, cap, table, state):
    """Count the pairs of rows of one band (``col``: a key per row, ``order``: its argsort) sharing a
    key, rows of equal ``groups`` excluded (``groups`` empty: none); returns the (possibly grown) table,
    its state and the number of rows past ``cap`` in their bucket."""
    need = state[0] + _runs_pairs(col, order, cap)
    if 2 * need > table.size:  # at most half full
        table, state = _resized(table, state, need)
    capped = _count_band(col, order, rank, groups, cap, table, state)
    return table, state, capped


@njit(cache=True, nogil=True)
def at_least(table, hits):
    """The sorted codes counted at least ``hits`` times."""
    out = np.empty(table.size, dtype=np.int64)
    k = 0
    for s in range(table.size):
        if table[s] != _EMPTY and table[s] & 255 >= hits:
            out[k] = table[s] >> 8
            k += 1
    return np.sort(out[:k])


@njit(cache=True, nogil=True)
def add_tally(table, state, other, other_state):
    """``table`` with the counts of ``other`` added (saturating at 255): the tally of two sets of bands."""
    need = state[0] + other_state[0]
    if 2 * need > table.size:
        table, state = _resized(table, state, need)
    mask = table.size - 1
    shift = np.uint64(state[1])
    used = state[0]
    for k in range(other.size):
        if other[k] == _EMPTY:
            continue
        code = other[k] >> 8
        s = np.int64((np.uint64(code) * _GOLDEN) >> shift)
        while True:
            v = table[s]
            if v == _EMPTY:
                table[s] = other[k]
                used += 1
                break
            if v >> 8 == code:
                table[s] = (code << 8) | min(255, (v & 255) + (other[k] & 255))
                break
            s = (s + 1) & mask
    state[0] = used
    return table, state
