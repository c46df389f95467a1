"""Compiled (numba) kernels for the words of kept blocks (``words.batch_words``): homoglyph folding
line by line, tokenising, casefolded key hashes and raw offsets, over the code points of a batch.

Each kernel computes what the Python definitions compute (``text.keys.fold_homoglyphs``, the
``words.TOKEN`` regex, ``str.casefold``, ``shingle.word_hashes``); the tests compare them.
"""
from __future__ import annotations

import numpy as np
from numba import njit

_U64 = np.uint64
_P = _U64(0x100000001B3)
_LEN = _U64(0xC2B2AE3D27D4EB4F)
_ONE = _U64(1)
_M1 = _U64(0xFF51AFD7ED558CCD)
_M2 = _U64(0xC4CEB9FE1A85EC53)
_S33 = _U64(33)
_NL = 10


@njit(cache=True, nogil=True)
def _fmix64(h):
    h ^= h >> _S33
    h *= _M1
    h ^= h >> _S33
    h *= _M2
    return h ^ (h >> _S33)


@njit(cache=True, nogil=True)
def _latin(cp):
    return (0x41 <= cp <= 0x5A) or (0x61 <= cp <= 0x7A)


@njit(cache=True, nogil=True)
def _cyrillic(cp):
    return 0x400 <= cp <= 0x4FF


@njit(cache=True, nogil=True)
def _fold_run(text, lo, hi, to_cyr, to_lat, mode):
    """Fold the word ``text[lo:hi]`` as ``keys._fold_to`` (mode 1: Cyrillic line, 2: Latin line) or
    ``keys._fold`` (mode 0: a line without a main script); in place."""
    lat = 0
    cyr = 0
    cyr_ok = True  # every Latin letter has a Cyrillic look-alike
    lat_ok = True  # every Cyrillic letter has a Latin look-alike
    for p in range(lo, hi):
        cp = text[p]
        if _latin(cp):
            lat += 1
            if to_cyr[cp] == 0:
                cyr_ok = False
        elif _cyrillic(cp):
            cyr += 1
            if to_lat[cp - 0x400] == 0:
                lat_ok = False
    if mode == 0:
        if lat == 0 or cyr == 0:
            return
        cyrillic = cyr >= lat
    elif mode == 1:
        if lat == 0:
            return
        cyrillic = cyr_ok or (not lat_ok and cyr >= lat)
    else:
        if cyr == 0:
            return
        cyrillic = (cyr_ok and not lat_ok) or (not lat_ok and cyr >= lat)
    for p in range(lo, hi):
        cp = text[p]
        if cyrillic:
            if cp < 0x80 and to_cyr[cp] != 0:
                text[p] = to_cyr[cp]
        elif _cyrillic(cp) and to_lat[cp - 0x400] != 0:
            text[p] = to_lat[cp - 0x400]


@njit(cache=True, nogil=True)
def fold_lines(text, classes, to_cyr, to_lat, own_lat, own_cyr):
    """``fold_homoglyphs`` of the "\\n"-separated lines of ``text`` (code points), in place.

    ``to_cyr[cp]`` (ASCII) / ``to_lat[cp - 0x400]``: the look-alike of the other script or 0;
    ``own_lat[cp]`` / ``own_cyr[cp - 0x400]``: a letter that neither is nor has a case partner that is
    a look-alike (the letters counted for a line's main script).
    Returns False (text partly folded) when a line with both scripts holds a U+0400-U+04FF code
    point that is no word character (the regexes then reach across words): fold in Python.
    """
    n = text.size
    start = 0
    while start < n:
        end = start
        has_lat = False
        has_cyr = False
        while end < n and text[end] != _NL:
            cp = text[end]
            if _latin(cp):
                has_lat = True
            elif _cyrillic(cp):
                has_cyr = True
            end += 1
        if has_lat and has_cyr:
            lat_own = 0
            cyr_own = 0
            for p in range(start, end):
                cp = text[p]
                if _latin(cp):
                    if own_lat[cp]:
                        lat_own += 1
                elif _cyrillic(cp):
                    if classes[cp] == 0:
                        return False
                    if own_cyr[cp - 0x400]:
                        cyr_own += 1
            mode = 0 if lat_own == cyr_own else (1 if cyr_own > lat_own else 2)
            p = start
            while p < end:
                if classes[text[p]] == 0:
                    p += 1
                    continue
                q = p
                while q < end and classes[text[q]] != 0:
                    q += 1
                _fold_run(text, p, q, to_cyr, to_lat, mode)
                p = q
        start = end + 1
    return True


@njit(cache=True, nogil=True)
def _space(cp):
    return cp == 0x20 or cp == 0xA0 or cp == 0x202F or cp == 0x2009


@njit(cache=True, nogil=True)
def _digits_end(text, i, end, classes):
    while i < end and classes[text[i]] == 2:
        i += 1
    return i


@njit(cache=True, nogil=True)
def _token_end(text, i, lo, hi, classes):
    """End of the token starting at word character ``i`` of the block ``text[lo:hi]``, and whether
    it is a grouped number ("1 500"): the first alternative of ``words.TOKEN`` that matches."""
    if classes[text[i]] == 2:
        prev = text[i - 1] if i > lo else _NL
        run = _digits_end(text, i, hi, classes)
        if run - i <= 3 and classes[prev] != 2 and prev != 0x2E and prev != 0x2C:
            p = run
            groups = 0
            while (p + 4 <= hi and _space(text[p]) and classes[text[p + 1]] == 2
                   and classes[text[p + 2]] == 2 and classes[text[p + 3]] == 2):
                p += 4
                groups += 1
            if groups and p < hi and classes[text[p]] == 2:  # (?!\d): give the last group back
                p -= 4
                groups -= 1
            if groups:
                return p, True
        stop = -1
        j = run
        while j + 1 < hi and (text[j] == 0x2E or text[j] == 0x2C) and classes[text[j + 1]] == 2:
            j = _digits_end(text, j + 1, hi, classes)
            stop = j
        if stop >= 0:
            return stop, False
    j = i
    while j < hi and classes[text[j]] != 0:
        j += 1
    return j, False


@njit(cache=True, nogil=True)
def _hash_utf8(h, size, c):
    """``h`` and the byte count ``size`` after the UTF-8 bytes of code point c (``h = h * P + byte + 1``)."""
    if c < 0x80:
        return h * _P + (_U64(c) + _ONE), size + 1
    if c < 0x800:
        h = h * _P + (_U64(0xC0 | (c >> 6)) + _ONE)
        return h * _P + (_U64(0x80 | (c & 0x3F)) + _ONE), size + 2
    if c < 0x10000:
        h = h * _P + (_U64(0xE0 | (c >> 12)) + _ONE)
        h = h * _P + (_U64(0x80 | ((c >> 6) & 0x3F)) + _ONE)
        return h * _P + (_U64(0x80 | (c & 0x3F)) + _ONE), size + 3
    h = h * _P + (_U64(0xF0 | (c >> 18)) + _ONE)
    h = h * _P + (_U64(0x80 | ((c >> 12) & 0x3F)) + _ONE)
    h = h * _P + (_U64(0x80 | ((c >> 6) & 0x3F)) + _ONE)
    return h * _P + (_U64(0x80 | (c & 0x3F)) + _ONE), size + 4


@njit(cache=True, nogil=True)
def block_words(text, block_pos, block_len, block_start, block_end, off_base, offsets, classes,
                fold_off, fold_cps):
    """The words of every block ``text[block_pos[k]:block_pos[k] + block_len[k]]``: their key hashes
    (``shingle.word_hashes`` of the casefolded word, "ё" as "е", a grouped number's spaces dropped),
    raw starts and ends, and the number of words per block.

    ``fold_cps[fold_off[cp]:fold_off[cp + 1]]`` is code point cp casefolded (itself past the table).
    """
    cap = 0
    for k in range(block_len.size):
        cap += (block_len[k] + 1) // 2
    hashes = np.empty(cap, dtype=np.uint64)
    starts = np.empty(cap, dtype=np.int32)
    ends = np.empty(cap, dtype=np.int32)
    per_block = np.zeros(block_len.size, dtype=np.int64)
    nw = 0
    for k in range(block_len.size):
        lo = block_pos[k]
        hi = lo + block_len[k]
        base = block_start[k]
        ob = off_base[k]  # the block's offsets start at offsets[ob]; -1: identity
        i = lo
        while i < hi:
            if classes[text[i]] == 0:
                i += 1
                continue
            stop, grouped = _token_end(text, i, lo, hi, classes)
            h = _U64(0)
            size = 0
            for p in range(i, stop):
                cp = text[p]
                if grouped and _space(cp):
                    continue
                if cp + 1 >= fold_off.size:  # past the table: casefold leaves it
                    h, size = _hash_utf8(h, size, cp)
                    continue
                for f in range(fold_off[cp], fold_off[cp + 1]):
                    h, size = _hash_utf8(h, size, fold_cps[f])
            hashes[nw] = _fmix64(h ^ (_U64(size) * _LEN))
            starts[nw] = base + (i - lo if ob < 0 else offsets[ob + i - lo])
            if stop == hi:  # the end of the block's text maps to the block's end
                ends[nw] = block_end[k]
            else:
                ends[nw] = base + (stop - lo if ob < 0 else offsets[ob + stop - lo])
            nw += 1
            per_block[k] += 1
            i = stop
    return hashes[:nw].copy(), starts[:nw].copy(), ends[:nw].copy(), per_block
