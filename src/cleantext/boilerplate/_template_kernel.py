"""Compiled (numba) digests of template keys; imported only when numba is installed.

``line_digests`` computes exactly what ``templates._line_digest`` computes line by line (the
tests compare them), over the code points of a whole document in one call.
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


@njit(cache=True, nogil=True)
def line_digests(cps, starts, lens, max_chars, max_words, decimal, space, punct, digests, flags):
    """For line i (code points ``cps[starts[i]:starts[i] + lens[i]]``): ``digests[i]`` and
    ``flags[i]`` (1: counted, a key of 1 to ``max_chars`` chars; 2: corpus-eligible)."""
    for i in range(starts.size):
        n = lens[i]
        if n == 0 or n > max_chars:
            digests[i] = _U64(0)
            flags[i] = 0
            continue
        h = _U64(0)
        m = 0
        words = 0
        ends = False
        prev_digit = False
        prev_space = True
        prev_punct = False
        for j in range(starts[i], starts[i] + n):
            c = cps[j]
            if decimal[c]:
                if not prev_digit:
                    h = h * _P + _ZERO
                    m += 1
                prev_digit = True
            else:
                h = h * _P + (_U64(c) + _U64(1))
                m += 1
                prev_digit = False
            sp = space[c]
            if sp:
                ends = ends or prev_punct
            elif prev_space:
                words += 1
            prev_space = sp
            prev_punct = punct[c]
        ends = ends or prev_punct
        h ^= _U64(m) * _LEN
        h ^= h >> _S33
        h *= _M1
        h ^= h >> _S33
        h *= _M2
        digests[i] = h ^ (h >> _S33)
        flags[i] = 1 | (2 if words <= max_words and not ends else 0)
