"""Compiled (numba) template digests of raw lines; imported only when numba is installed.

``document_lines`` splits a raw document into its non-blank lines (``text.segment``'s line
ends) and ``span_digests`` takes given spans; both compute, for each line, exactly what
``templates._line_digest`` computes (the tests compare them).  The character table packs a
code point's fold and its classes: ``fold << SHIFT | kind bits``.
"""
from __future__ import annotations

import numpy as np
from numba import njit

_U64 = np.uint64
_P = _U64(0x100000001B3)
_LEN = _U64(0xC2B2AE3D27D4EB4F)
_M1 = _U64(0xFF51AFD7ED558CCD)
_M2 = _U64(0xC4CEB9FE1A85EC53)
_S33 = _U64(33)
_ZERO = _U64(ord("0") + 1)
SPACE, DIGIT, PUNCT, LINE_END, INVISIBLE = 1, 2, 4, 8, 16  # kind bits
SHIFT = 5
_BLANK = ord(" ") << SHIFT | SPACE  # the space a white space run collapses to
_DOT, _COMMA = ord(".") << SHIFT | PUNCT, ord(",") << SHIFT


@njit(cache=True, nogil=True)
def _digest(buf, n, max_chars, max_words):
    """(digest, flags) of the collapsed line ``buf[:n]`` (table codes): (0, 0) unless it has 1
    to ``max_chars`` characters, else digit groups ("1 500") joined, every digit run hashed as
    "0", flags 1 (counted) and 2 (at most ``max_words`` words and no sentence punctuation before
    a space or the end)."""
    if n == 0 or n > max_chars:
        return _U64(0), 0
    h = _U64(0)
    m = 0
    words = 0
    ends = False
    word = True  # the next non-space character starts a word
    prev = 0
    i = 0
    while i < n:
        code = buf[i]
        if code & DIGIT:
            j = i + 1
            while j < n and buf[j] & DIGIT:
                j += 1
            if j - i <= 3 and prev != _DOT and prev != _COMMA:
                while (j + 3 < n and buf[j] == _BLANK and buf[j + 1] & DIGIT
                       and buf[j + 2] & DIGIT and buf[j + 3] & DIGIT
                       and (j + 4 == n or not buf[j + 4] & DIGIT)):
                    j += 4  # a group of three digits after one space
            h = h * _P + _ZERO
            code = buf[j - 1]
            i = j
        else:
            h = h * _P + (_U64(code >> SHIFT) + _U64(1))
            i += 1
        m += 1
        if code == _BLANK:
            ends = ends or prev & PUNCT != 0
            word = True
        elif word:
            words += 1
            word = False
        prev = code
    ends = ends or prev & PUNCT != 0
    h ^= _U64(m) * _LEN
    h ^= h >> _S33
    h *= _M1
    h ^= h >> _S33
    h *= _M2
    return h ^ (h >> _S33), 1 | (2 if words <= max_words and not ends else 0)


@njit(cache=True, nogil=True)
def _collapse(cps, a, b, table, buf, limit):
    """Write the codes of ``cps[a:b]`` into ``buf``: invisible characters dropped, white space
    runs collapsed to one space, none at either end; returns their number, or ``limit + 1`` when
    there are more than ``limit`` (``buf`` holds ``limit + 2``)."""
    n = 0
    pending = False
    for j in range(a, b):
        code = table[cps[j]]
        if code & SPACE:
            pending = n > 0
        elif not code & INVISIBLE:
            if pending:
                buf[n] = _BLANK
                n += 1
                pending = False
            buf[n] = code
            n += 1
            if n > limit:
                return limit + 1
    return n


@njit(cache=True, nogil=True)
def span_digests(cps, starts, lens, table, max_chars, max_words, digests, flags):
    """``digests[i]`` and ``flags[i]`` of the line ``cps[starts[i]:starts[i] + lens[i]]``."""
    buf = np.empty(max_chars + 2, dtype=np.int32)
    for i in range(starts.size):
        n = _collapse(cps, starts[i], starts[i] + lens[i], table, buf, max_chars)
        digests[i], flags[i] = _digest(buf, n, max_chars, max_words)


@njit(cache=True, nogil=True)
def line_digest(cps, table, max_chars, max_words):
    """(digest, flags) of ``cps`` as one line."""
    buf = np.empty(max_chars + 2, dtype=np.int32)
    return _digest(buf, _collapse(cps, 0, cps.size, table, buf, max_chars), max_chars, max_words)


@njit(cache=True, nogil=True)
def most_lines(cps, table):
    """An upper bound of the number of non-blank lines of ``cps``: its line ends plus one."""
    k = 1
    for j in range(cps.size):
        if table[cps[j]] & LINE_END:
            k += 1
    return k


@njit(cache=True, nogil=True)
def document_lines(cps, table, max_chars, max_words, starts, ends, digests, flags):
    """Fill the first k entries of the output arrays for the k non-blank lines of ``cps``
    (``starts``/``ends``: the line without surrounding white space); returns k."""
    buf = np.empty(max_chars + 2, dtype=np.int32)
    total = cps.size
    k = 0
    j = 0
    while j <= total:
        n = 0
        s = -1
        e = -1
        pending = False
        while j < total:
            code = table[cps[j]]
            if code & LINE_END:
                break
            if code & SPACE:
                pending = n > 0
            else:
                if s < 0:
                    s = j
                e = j + 1
                if not code & INVISIBLE:
                    if pending:
                        buf[n] = _BLANK
                        n += 1
                        pending = False
                    buf[n] = code
                    n += 1
                    if n > max_chars:  # not counted: only the line's end matters
                        j += 1
                        while j < total:
                            code = table[cps[j]]
                            if code & LINE_END:
                                break
                            if not code & SPACE:
                                e = j + 1
                            j += 1
                        break
            j += 1
        if s >= 0:
            starts[k], ends[k] = s, e
            digests[k], flags[k] = _digest(buf, n, max_chars, max_words)
            k += 1
        j += 1  # past the line end
    return k
