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
def band_keys(sig, bands, rows, mul, basis, out):
    """``lsh.band_keys``: per signature and band, ``h = (h ^ row) * mul`` over the band's rows from
    ``basis ^ band``, then fmix64 (into ``out``, (n, bands) uint64)."""
    for i in range(sig.shape[0]):
        for b in range(bands):
            h = basis ^ _U64(b)
            for k in range(b * rows, (b + 1) * rows):
                h = (h ^ _U64(sig[i, k])) * mul
            out[i, b] = _fmix64(h)


@njit(cache=True, nogil=True)
def affine32(h, offsets, a, b, out):
    """datasketch affine32: min over the document of ``a * fmix32(x) + b mod 2**32`` (``h`` is pre-mixed).

    Four hashes per pass over the permutations (one load and store of the running minimum for four).
    """
    num_perm = a.size
    acc = np.empty(num_perm, dtype=np.uint32)
    for d in range(offsets.size - 1):
        lo, hi = offsets[d], offsets[d + 1]
        if hi == lo:
            continue
        acc[:] = np.uint32(0xFFFFFFFF)
        i = lo
        while i + 3 < hi:
            x0, x1, x2, x3 = h[i], h[i + 1], h[i + 2], h[i + 3]
            for k in range(num_perm):
                v0 = np.uint32(a[k] * x0 + b[k])
                v1 = np.uint32(a[k] * x1 + b[k])
                v2 = np.uint32(a[k] * x2 + b[k])
                v3 = np.uint32(a[k] * x3 + b[k])
                m01 = v0 if v0 < v1 else v1
                m23 = v2 if v2 < v3 else v3
                m = m01 if m01 < m23 else m23
                if m < acc[k]:
                    acc[k] = m
            i += 4
        while i < hi:
            x = h[i]
            for k in range(num_perm):
                v = np.uint32(a[k] * x + b[k])
                if v < acc[k]:
                    acc[k] = v
            i += 1
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


@njit(cache=True, nogil=True)
def _decode(buf, i):
    """The code point starting at byte i of UTF-8 ``buf`` and its byte length."""
    b = buf[i]
    if b < 0x80:
        return np.int64(b), 1
    if b < 0xE0:
        return (np.int64(b & 0x1F) << 6) | np.int64(buf[i + 1] & 0x3F), 2
    if b < 0xF0:
        return ((np.int64(b & 0x0F) << 12) | (np.int64(buf[i + 1] & 0x3F) << 6)
                | np.int64(buf[i + 2] & 0x3F)), 3
    return ((np.int64(b & 0x07) << 18) | (np.int64(buf[i + 1] & 0x3F) << 12)
            | (np.int64(buf[i + 2] & 0x3F) << 6) | np.int64(buf[i + 3] & 0x3F)), 4


@njit(cache=True, nogil=True)
def _digits_end(buf, i, end, table):
    """End of the run of decimal digits starting at byte i."""
    while i < end:
        cp, k = _decode(buf, i)
        if table[cp] != 2:
            break
        i += k
    return i


@njit(cache=True, nogil=True)
def text_word_hashes(buf, doc_end, table):
    """Hashes of the words of each text (``findall(r"\\d+(?:[.,]\\d+)+|\\w+")``), as ``word_hashes`` gives them.

    ``buf`` holds the UTF-8 texts one after another, text d ending at byte ``doc_end[d]``; ``table[cp]`` is
    0 for a non-word code point, 1 for a word character, 2 for a decimal digit. Returns the word hashes and
    each text's first word index (plus the end).
    """
    out = np.empty(buf.size // 2 + 1, dtype=np.uint64)
    word_start = np.zeros(doc_end.size + 1, dtype=np.int64)
    nw = 0
    i = 0
    for d in range(doc_end.size):
        end = doc_end[d]
        while i < end:
            cp, k = _decode(buf, i)
            kind = table[cp]
            if kind == 0:
                i += k
                continue
            start = i
            stop = -1
            if kind == 2:  # a number with decimal parts: \d+ then one or more [.,]\d+
                j = _digits_end(buf, i, end, table)
                while j + 1 < end and (buf[j] == 0x2E or buf[j] == 0x2C):
                    cp2, _ = _decode(buf, j + 1)
                    if table[cp2] != 2:
                        break
                    j = _digits_end(buf, j + 1, end, table)
                    stop = j
            if stop < 0:  # \w+
                j = i
                while j < end:
                    cp2, k2 = _decode(buf, j)
                    if table[cp2] == 0:
                        break
                    j += k2
                stop = j
            h = _U64(0)
            for p in range(start, stop):
                h = h * _P + (_U64(buf[p]) + _ONE)
            out[nw] = _fmix64(h ^ (_U64(stop - start) * _LEN))
            nw += 1
            i = stop
        word_start[d + 1] = nw
    return out[:nw].copy(), word_start


@njit(cache=True, nogil=True)
def split_sorted_keys(keys, ndocs):
    """Sorted ``document << 32 | hash`` keys -> the unique hashes (uint32) and each document's offsets."""
    flat = np.empty(keys.size, dtype=np.uint32)
    offsets = np.zeros(ndocs + 1, dtype=np.int64)
    n = 0
    for i in range(keys.size):
        if i == 0 or keys[i] != keys[i - 1]:
            flat[n] = np.uint32(keys[i] & _MAX32)
            n += 1
            offsets[np.int64(keys[i] >> _S32) + 1] = n
    for d in range(ndocs):  # documents without shingles end where the previous one ended
        if offsets[d + 1] < offsets[d]:
            offsets[d + 1] = offsets[d]
    return flat[:n].copy(), offsets
