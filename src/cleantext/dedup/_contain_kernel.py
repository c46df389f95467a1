"""Compiled (numba) scan of ``verify.contained_pairs``: which documents hold enough of a short
document's indexed (rare) shingles.

The indexed shingles go to an open-addressing table (shingle -> its postings: the short documents
holding it) behind a 1 MB bit filter of their hashes; each scanned document's shingles are looked up
there and the hits counted per short document: one filter probe per shingle of the corpus (no sort,
no binary search), a table probe for the few that pass.
"""
from __future__ import annotations

import numpy as np
from numba import njit

_GOLDEN = np.uint64(0x9E3779B97F4A7C15)


_FILTER_BITS = 23  # a 1 MB bit filter (one bit per top-23-bit hash): most shingles stop there


@njit(cache=True, nogil=True)
def _mix(v):
    return (np.uint64(v) * _GOLDEN) >> np.uint64(32)  # 32 well-mixed bits of a uint32


@njit(cache=True, nogil=True)
def index_table(keys):
    """An open-addressing table of the distinct ``keys`` (a slot: its position << 32 | key, or -1)
    and a bit filter of their hashes."""
    bits = 4
    while (1 << bits) < 2 * keys.size:
        bits += 1
    table = np.full(1 << bits, -1, dtype=np.int64)
    mask = table.size - 1
    bloom = np.zeros(1 << (_FILTER_BITS - 6), dtype=np.uint64)
    for k in range(keys.size):
        h = _mix(keys[k])
        f = h >> np.uint64(32 - _FILTER_BITS)
        bloom[f >> np.uint64(6)] |= np.uint64(1) << (f & np.uint64(63))
        s = np.int64(h >> np.uint64(32 - bits))
        while table[s] >= 0:
            s = (s + 1) & mask
        table[s] = (np.int64(k) << 32) | np.int64(keys[k])
    return table, bloom, 32 - bits


@njit(cache=True, nogil=True)
def _lookup(table, bloom, shift, v):
    """The position of key ``v`` in the table's keys, or -1."""
    h = _mix(v)
    f = h >> np.uint64(32 - _FILTER_BITS)
    if not bloom[f >> np.uint64(6)] & (np.uint64(1) << (f & np.uint64(63))):
        return -1
    mask = table.size - 1
    s = np.int64(h >> np.uint64(shift))
    want = np.int64(v)
    while table[s] >= 0:
        if table[s] & 0xFFFFFFFF == want:
            return table[s] >> 32
        s = (s + 1) & mask
    return -1


@njit(cache=True, nogil=True)
def contained_in(flat, offsets, first_doc, last_doc, table, bloom, shift, first, held, owners, size,
                 containment):
    """Pairs (owner, document) for documents ``first_doc`` .. ``last_doc - 1`` (document j's shingles:
    ``flat[offsets[j]:offsets[j + 1]]``) holding at least ``containment`` x ``size[owner]`` of the
    indexed shingles of short document ``owner`` (owner != document); key k's postings are
    ``owners[first[k]:first[k] + held[k]]``. Returns (owners, documents) in scan order."""
    count = np.zeros(size.size, dtype=np.int64)
    touched = np.empty(size.size, dtype=np.int64)
    out_owner = np.empty(16, dtype=np.int64)
    out_doc = np.empty(16, dtype=np.int64)
    found = 0
    for j in range(first_doc, last_doc):
        ntouched = 0
        for p in range(offsets[j], offsets[j + 1]):
            k = _lookup(table, bloom, shift, flat[p])
            if k < 0:
                continue
            for q in range(first[k], first[k] + held[k]):
                o = owners[q]
                if count[o] == 0:
                    touched[ntouched] = o
                    ntouched += 1
                count[o] += 1
        for t in range(ntouched):
            o = touched[t]
            if o != j and count[o] >= containment * size[o]:
                if found == out_owner.size:
                    out_owner = np.concatenate((out_owner, np.empty(found, dtype=np.int64)))
                    out_doc = np.concatenate((out_doc, np.empty(found, dtype=np.int64)))
                out_owner[found] = o
                out_doc[found] = j
                found += 1
            count[o] = 0
    return out_owner[:found], out_doc[:found]
