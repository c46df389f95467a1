"""Compiled (numba) kernels for the matching keys of many lines at once (``keys.spaced_keys``), over
the code points of the "\\n"-joined lines.

``fold_lines`` is ``keys.fold_homoglyphs`` line by line (the rules of ``dedup._word_kernel.fold_lines``);
``key_points`` is casefolding with the key's character folds (one table), then a digit group's spaces
dropped as ``keys._DIGIT_GROUP`` does. The tests compare them with the Python definitions.
"""
from __future__ import annotations

import numpy as np
from numba import njit

_NL = 10
_SPACE = 0x20


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

    ``classes[cp]``: 0 for a non-word character; ``to_cyr[cp]`` (ASCII) / ``to_lat[cp - 0x400]``: the
    look-alike of the other script or 0; ``own_lat[cp]`` / ``own_cyr[cp - 0x400]``: a letter that
    neither is nor has a case partner that is a look-alike (counted for a line's main script).
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
def key_points(text, fold_offsets, fold_points, classes):
    """The key code points of ``text``: each code point ``c`` replaced by
    ``fold_points[fold_offsets[c]:fold_offsets[c + 1]]`` (casefolded, then the key's folds; ``c``
    itself past the table), then
    the spaces of each digit group dropped (``keys._DIGIT_GROUP``: 1-3 digits not after a digit,
    "." or ",", then groups of " " and three digits, not followed by a digit; ``classes[cp] == 2``
    for a digit)."""
    limit = fold_offsets.size - 1  # code points from here on fold to themselves
    size = 0
    for p in range(text.size):
        c = text[p]
        size += 1 if c >= limit else fold_offsets[c + 1] - fold_offsets[c]
    folded = np.empty(size, dtype=np.uint32)
    m = 0
    for p in range(text.size):
        c = text[p]
        if c >= limit:
            folded[m] = c
            m += 1
            continue
        for q in range(fold_offsets[c], fold_offsets[c + 1]):
            folded[m] = fold_points[q]
            m += 1
    out = np.empty(size, dtype=np.uint32)
    o = 0
    i = 0
    while i < size:
        c = folded[i]
        if classes[c] == 2 and (i == 0 or (classes[folded[i - 1]] != 2 and folded[i - 1] != 0x2E
                                           and folded[i - 1] != 0x2C)):
            run = i
            while run < size and classes[folded[run]] == 2:
                run += 1
            if run - i <= 3:
                p = run
                groups = 0
                while (p + 3 < size and folded[p] == _SPACE and classes[folded[p + 1]] == 2
                       and classes[folded[p + 2]] == 2 and classes[folded[p + 3]] == 2):
                    p += 4
                    groups += 1
                if groups and p < size and classes[folded[p]] == 2:  # (?!\d): give the last group back
                    p -= 4
                    groups -= 1
                if groups:
                    for q in range(i, p):
                        if folded[q] != _SPACE:
                            out[o] = folded[q]
                            o += 1
                    i = p
                    continue
        out[o] = c
        o += 1
        i += 1
    return out[:o]
