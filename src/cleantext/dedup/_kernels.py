"""Compiled (numba) kernels for shingle hashing and MinHash; imported only when numba is installed.

Each kernel computes exactly what the numpy code in ``shingle.py`` / ``signature.py`` computes (the tests
compare them); it only fuses the passes and avoids the temporary matrices.
"""
from __future__ import annotations

import numpy as np
from numba import njit

_U64 = np.uint64
_P = _U64(0x100000001B3)
_Q = _U64(0x9E3779B97F4A7C15)
_LEN = _U64(0xC2B2AE3D27D4EB4F)
_M1 = _U64(0xFF51AFD7ED558CCD)
_M2 = _U64(0xC4CEB9FE1A85EC53)
_S33 = _U64(33)
_S32 = _U64(32)
_ONE = _U64(1)
_MERSENNE = _U64((1 << 61) - 1)
_S61 = _U64(61)
_MAX32 = _U64(0xFFFFFFFF)


@njit(cache=True, nogil=True)
def _fmix64(h):
    h ^= h >> _S33
    h *= _M1
    h ^= h >> _S33
    h *= _M2
    return h ^ (h >> _S33)


@njit(cache=True, nogil=True)
def word_hashes(buf, starts, lengths):
    """Hash of every word ``buf[starts[i]:starts[i] + lengths[i]]`` (uint64)."""
    out = np.empty(starts.size, dtype=np.uint64)
    for i in range(starts.size):
        h = _U64(0)
        s = starts[i]
        for j in range(s, s + lengths[i]):
            h = h * _P + (_U64(buf[j]) + _ONE)
        out[i] = _fmix64(h ^ (_U64(lengths[i]) * _LEN))
    return out


@njit(cache=True, nogil=True)
def shingle_keys(wh, word_start, n):
    """``document << 32 | shingle hash`` for every shingle of every document (unsorted, uint64)."""
    ndocs = word_start.size - 1
    total = 0
    for d in range(ndocs):
        c = word_start[d + 1] - word_start[d]
        if c > 0:
            total += max(c - n + 1, 1)
    keys = np.empty(total, dtype=np.uint64)
    pos = 0
    for d in range(ndocs):
        lo = word_start[d]
        c = word_start[d + 1] - lo
        k = min(n, c)
        top = _U64(d) << _S32
        for i in range(c - k + 1 if c > 0 else 0):
            acc = wh[lo + i]
            for j in range(1, k):
                acc = acc * _Q + wh[lo + i + j]
            keys[pos] = top | (_fmix64(acc) >> _S32)
            pos += 1
    return keys


@njit(cache=True, nogil=True)
def affine32(h, offsets, a, b, out):
    """datasketch affine32: min over the document of ``a * fmix32(x) + b mod 2**32`` (``h`` is pre-mixed)."""
    num_perm = a.size
    acc = np.empty(num_perm, dtype=np.uint32)
    for d in range(offsets.size - 1):
        if offsets[d + 1] == offsets[d]:
            continue
        acc[:] = np.uint32(0xFFFFFFFF)
        for i in range(offsets[d], offsets[d + 1]):
            x = h[i]
            for k in range(num_perm):
                v = np.uint32(a[k] * x + b[k])
                if v < acc[k]:
                    acc[k] = v
        out[d, :] = acc


@njit(cache=True, nogil=True)
def legacy(h, offsets, a, b, out):
    """datasketch legacy: min of ``((a * x + b) mod 2**64) mod (2**61 - 1)``, low 32 bits."""
    num_perm = a.size
    acc = np.empty(num_perm, dtype=np.uint64)
    for d in range(offsets.size - 1):
        if offsets[d + 1] == offsets[d]:
            continue
        acc[:] = _MAX32
        for i in range(offsets[d], offsets[d + 1]):
            x = _U64(h[i])
            for k in range(num_perm):
                y = a[k] * x + b[k]
                r = (y & _MERSENNE) + (y >> _S61)
                if r >= _MERSENNE:
                    r -= _MERSENNE
                r &= _MAX32
                if r < acc[k]:
                    acc[k] = r
        out[d, :] = acc
