"""Compiled (numba) kernels for the matching keys of many lines at once (``keys.line_keys``).

``line_keys`` keys lines given by their spans: homoglyphs folded as ``keys.fold_homoglyphs`` does (the
rules of ``dedup._word_kernel.fold_lines``), casefolding with the key's character folds (one table),
then a digit group's spaces dropped as ``keys._DIGIT_GROUP`` does. The tests compare it with the
Python definitions.
"""
from __future__ import annotations

import numpy as np
from numba import njit

_NL = 10
_SPACE = 0x20
_SEVERAL = 0xFFFFFFFF  # ``single``: the code point casefolds to several


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
def _mixed(text, start, end):
    """Whether ``text[start:end]`` holds a Latin and a Cyrillic letter (only such a line can fold)."""
    has_lat = False
    has_cyr = False
    for p in range(start, end):
        cp = text[p]
        if _latin(cp):
            has_lat = True
        elif _cyrillic(cp):
            has_cyr = True
    return has_lat and has_cyr


@njit(cache=True, nogil=True)
def _fold_mixed(text, start, end, classes, to_cyr, to_lat, own_lat, own_cyr):
    """``fold_homoglyphs`` of the ``_mixed`` line ``text[start:end]`` (code points, no line end), in
    place. Returns False (the line unchanged) when it holds a U+0400-U+04FF code point that is no
    word character (the regexes then reach across words): fold in Python."""
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
    return True


@njit(cache=True, nogil=True)
def _join_digit_groups(out, lo, hi, classes):
    """Drop the spaces of each digit group of ``out[lo:hi]`` in place (``keys._DIGIT_GROUP``: 1-3
    digits not after a digit, "." or ",", then groups of " " and three digits, not followed by a
    digit; ``classes[cp] == 2`` for a digit); returns the new end. Writing never overtakes reading,
    so ``out[i - 1]`` is still the character before ``i`` whenever it is read."""
    o = lo
    i = lo
    while i < hi:
        c = out[i]
        if classes[c] == 2 and (i == lo or (classes[out[i - 1]] != 2 and out[i - 1] != 0x2E
                                            and out[i - 1] != 0x2C)):
            run = i
            while run < hi and classes[out[run]] == 2:
                run += 1
            if run - i <= 3:
                p = run
                groups = 0
                while (p + 3 < hi and out[p] == _SPACE and classes[out[p + 1]] == 2
                       and classes[out[p + 2]] == 2 and classes[out[p + 3]] == 2):
                    p += 4
                    groups += 1
                if groups and p < hi and classes[out[p]] == 2:  # (?!\d): give the last group back
                    p -= 4
                    groups -= 1
                if groups:
                    for q in range(i, p):
                        if out[q] != _SPACE:
                            out[o] = out[q]
                            o += 1
                    i = p
                    continue
        out[o] = c
        o += 1
        i += 1
    return o


@njit(cache=True, nogil=True)
def _key_line(src, start, end, out, o, single, fold_offsets, fold_points, classes):
    """Append the key of the line ``src[start:end]`` (homoglyphs folded) to ``out`` from ``o``:
    casefolded with the key's folds (``single[c]``: the one code point ``c`` folds to, or
    ``_SEVERAL``: ``fold_points[fold_offsets[c]:fold_offsets[c + 1]]``; ``c`` itself past the table),
    then digit groups joined, only when a digit, a space and three digits follow each other (which
    every group holds). Returns the new end."""
    limit = single.size  # code points from here on fold to themselves
    lo = o
    grouped = False
    digits = 0  # digits just written
    spaced = False  # the current digit run follows a digit and a space
    for p in range(start, end):
        c = src[p]
        f = single[c] if c < limit else c
        if f == _SEVERAL:  # letters only: no digit, no space
            for q in range(fold_offsets[c], fold_offsets[c + 1]):
                out[o] = fold_points[q]
                o += 1
            digits = 0
            spaced = False
            continue
        out[o] = f
        o += 1
        if classes[f] == 2:
            digits += 1
            if digits == 3 and spaced:
                grouped = True
        else:
            spaced = f == _SPACE and digits > 0
            digits = 0
    return _join_digit_groups(out, lo, o, classes) if grouped else o


@njit(cache=True, nogil=True)
def survey(points, starts, ends, single):
    """What ``line_keys`` needs to know of the lines ``points[starts[i]:ends[i]]`` beforehand: which are
    ``_mixed`` and how many code points casefold to several (``single``)."""
    mixed = np.zeros(starts.size, dtype=np.bool_)
    several = 0
    limit = single.size
    for i in range(starts.size):
        mixed[i] = _mixed(points, starts[i], ends[i])
        for p in range(starts[i], ends[i]):
            if points[p] < limit and single[points[p]] == _SEVERAL:
                several += 1
    return mixed, several


@njit(cache=True, nogil=True)
def line_keys(points, starts, ends, mixed, several, widest, classes, to_cyr, to_lat, own_lat, own_cyr,
              single, fold_offsets, fold_points):
    """The keys (``keys.matching_key``) of the white-space normalised lines ``points[starts[i]:ends[i]]``,
    "\\n"-separated, and True; or (empty, False) when a line's homoglyphs must be folded in Python
    (``_fold_mixed``). ``mixed[i]``: the line has both scripts (its homoglyphs are folded); ``several``:
    at most this many of the code points casefold to several, each to at most ``widest``. Casefolding
    and the folds neither make nor change white space, so the key's white-space normalisation is a
    no-op and lines stay apart."""
    n = starts.size
    size = n + several * (widest - 1)
    longest = 0
    for i in range(n):
        size += ends[i] - starts[i]
        if mixed[i]:
            longest = max(longest, ends[i] - starts[i])
    out = np.empty(size, dtype=np.uint32)
    line = np.empty(longest, dtype=np.uint32)
    o = 0
    for i in range(n):
        if i:
            out[o] = _NL
            o += 1
        start, end = starts[i], ends[i]
        if mixed[i]:
            line[:end - start] = points[start:end]
            if not _fold_mixed(line, 0, end - start, classes, to_cyr, to_lat, own_lat, own_cyr):
                return out[:0], False
            o = _key_line(line, 0, end - start, out, o, single, fold_offsets, fold_points, classes)
        else:
            o = _key_line(points, start, end, out, o, single, fold_offsets, fold_points, classes)
    return out[:o], True
