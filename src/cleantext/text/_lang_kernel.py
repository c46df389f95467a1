"""Compiled (numba) kernels of the "profiles" language engine (``text.lang``): a document's
language scores from its code points in one pass, over a cache of word score rows.

The kernels compute what the Python definitions of ``text.lang`` compute (``_cleaned``,
``_normalize``, ``_padded_words``, ``_grams`` and the sparse n-gram weights); the tests
compare them.  Tables that Python fills lazily (normalisation, upper case) hold ``UNSET``
where not filled yet: a kernel meeting one returns ``NEED_TABLES`` and is called again.
"""
from __future__ import annotations

import numpy as np
from numba import njit

OK = 0
NO_GRAM = 1  # no known n-gram in the text
NEED_TABLES = 2  # a code point's normalisation or case is not in the tables yet
FULL = 3  # the word cache has no room for the text's new words (the caller empties it first)
SPECIAL = 4  # the text needs langdetect's URL, address or Vietnamese substitutions first
UNSET = 0xFFFFFFFF  # normalisation table: not filled yet (the case table uses 2)
SCORE, UND, KK, REWRITE = 0, -1, -2, -3  # batch verdicts (a language index is >= 0)
LETTER, CYRILLIC, KAZAKH, KAZAKH_ONLY, MARK = 1, 2, 4, 8, 16  # character classes (text.lang)

_U64 = np.uint64
_S21 = _U64(21)
_S32 = _U64(32)
_S33 = _U64(33)
_LOW = _U64(0xFFFFFFFF)
_M1 = _U64(0xFF51AFD7ED558CCD)
_M2 = _U64(0xC4CEB9FE1A85EC53)
_FNV = _U64(0x100000001B3)
_SPACE = 0x20
_MARKS = (0x300, 0x301, 0x303, 0x309, 0x323)  # NGram.DMARK_CLASS


@njit(cache=True, nogil=True)
def _mix(h):
    h ^= h >> _S33
    h *= _M1
    h ^= h >> _S33
    h *= _M2
    return h ^ (h >> _S33)


@njit(cache=True, nogil=True)
def gram_table(keys, starts, size):
    """Open-addressing table (``size`` a power of two) of n-gram keys: per slot the key (0:
    free) and the n-gram's entries, first << 8 | count (its languages, at most 255)."""
    slots = np.zeros((size, 2), dtype=np.uint64)
    mask = _U64(size - 1)
    for row in range(len(keys)):
        s = _mix(keys[row]) & mask
        while slots[s, 0]:
            s = (s + _U64(1)) & mask
        slots[s, 0] = keys[row]
        slots[s, 1] = (_U64(starts[row]) << _U64(8)) | _U64(starts[row + 1] - starts[row])
    return slots


@njit(cache=True, nogil=True)
def _entries(key, slots):
    """The n-gram's first entry << 8 | count; 0 for an unknown n-gram."""
    mask = _U64(len(slots) - 1)
    s = _mix(key) & mask
    while slots[s, 0]:
        if slots[s, 0] == key:
            return slots[s, 1]
        s = (s + _U64(1)) & mask
    return _U64(0)


@njit(cache=True, nogil=True)
def _score_word(buf, a, b, last, out, upper, slots, entries):
    """Add to ``out`` the weights of the n-grams ``_grams`` takes from the padded word
    " " + buf[a:b] (+ " " unless ``last``); the number of known n-grams, or -1 when a case is
    not in ``upper`` yet.  ``entries``: per row a language and the weight of an n-gram in it."""
    n = b - a + (1 if last else 2)  # the padded word's length
    known = 0
    p1 = _U64(_SPACE)  # the character before position i
    p2 = _U64(0)  # and the one before that
    for i in range(1, n):
        cu = _U64(buf[a + i - 1]) if a + i - 1 < b else _U64(_SPACE)
        up = upper[cu]
        up1 = upper[p1]
        if up == 2 or up1 == 2:
            return -1
        if not (up == 1 and up1 == 1):
            for k in range(3):
                if k == 0:
                    if cu == _SPACE:
                        continue
                    key = cu
                elif k == 1:
                    key = (p1 << _S21) | cu
                else:
                    if i < 2:
                        continue
                    key = (((p2 << _S21) | p1) << _S21) | cu
                found = _entries(key, slots)
                if found:
                    known += 1
                    first = np.int64(found >> _U64(8))
                    for e in range(first, first + np.int64(found & _U64(255))):
                        out[np.int64(entries[e, 0])] += entries[e, 1]
        p2 = p1
        p1 = cu
    return known


@njit(cache=True, nogil=True)
def _special(codes):
    """Whether langdetect's ``Detector.append`` would change the text before its cut: a URL
    ("://"), an address ("@") or a Vietnamese combining mark."""
    for i in range(len(codes)):
        c = codes[i]
        if c == 0x40 or c in _MARKS:
            return True
        if c == 0x3A and i + 2 < len(codes) and codes[i + 1] == 0x2F and codes[i + 2] == 0x2F:
            return True
    return False


@njit(cache=True, nogil=True)
def doc_scores(codes, raw, max_length, total, norm, upper, buf, slots, entries, cache_slots, pool,
               scores, used):
    """The language scores of a text's code points into ``total`` (zeroed first): langdetect's
    cleaning and normalisation, the words between spaces, each word's row from the cache
    (scored and added when new), summed in word order.  ``raw``: the text is not through
    ``Detector.append``'s substitutions yet (returns SPECIAL when it needs them; else only the
    cut to ``max_length`` applies).  The cache: per slot a word's hash, row (0: free),
    position in ``pool``, and 2 x its length + whether it ends the text | its number of known
    n-grams << 32; per row its scores.  ``used`` holds the next row and pool position.
    Returns OK, NO_GRAM, NEED_TABLES, FULL or SPECIAL."""
    if raw and _special(codes):
        return SPECIAL
    return _text_scores(codes[:max_length], total, norm, upper, buf, slots, entries, cache_slots,
                        pool, scores, used)


@njit(cache=True, nogil=True)
def _screen(codes, norm, classes, min_letters, kazakh_share):
    """What ``text.lang`` decides before scoring a sample's code points: UND (fewer than
    ``min_letters`` letters), KK (Kazakh-only letters, mostly Cyrillic, at least
    ``kazakh_share`` Kazakh letters per Cyrillic one), REWRITE (a URL, address or Vietnamese
    mark: ``Detector.append``'s substitutions first), SCORE, or NEED_TABLES."""
    letters = 0
    cyrillic = 0
    kazakh = 0
    only = False
    rewrite = False
    for i in range(len(codes)):
        c = codes[i]
        if norm[c] == UNSET:  # the class table is filled with the normalisation table
            return NEED_TABLES
        k = classes[c]
        if k & LETTER:
            letters += 1
        if k & CYRILLIC:
            cyrillic += 1
        if k & KAZAKH:
            kazakh += 1
        if k & KAZAKH_ONLY:
            only = True
        if k & MARK or (c == 0x3A and i + 2 < len(codes) and codes[i + 1] == 0x2F
                        and codes[i + 2] == 0x2F):
            rewrite = True
    if letters < min_letters:
        return UND
    if only and 2 * cyrillic >= letters and kazakh >= kazakh_share * cyrillic:
        return KK
    return REWRITE if rewrite else SCORE


@njit(cache=True, nogil=True)
def batch_best(codes, bounds, first, screen, min_letters, kazakh_share, max_length, max_rows,
               max_pool, best, total, norm, upper, classes, buf, slots, entries, cache_slots, pool,
               scores, used):
    """The verdict on each text ``codes[bounds[i]:bounds[i + 1]]`` from text ``first`` on, into
    ``best``: with ``screen``, UND, KK or REWRITE when ``_screen`` says so; else the index of
    the best language of the text cut to ``max_length`` (``doc_scores``; the first of equal
    scores), UND without a known n-gram.  Stops at a text that needs the tables filled
    (returns its index and NEED_TABLES) or a cache with room for it (FULL: the caller empties
    the cache), checked before each text against ``max_rows`` rows and ``max_pool`` pool code
    points; (number of texts, OK) when all are done."""
    for i in range(first, len(bounds) - 1):
        if used[0] > max_rows or used[1] > max_pool:
            return i, FULL
        text = codes[bounds[i]:bounds[i + 1]]
        if screen:
            verdict = _screen(text, norm, classes, min_letters, kazakh_share)
            if verdict == NEED_TABLES:
                return i, NEED_TABLES
            if verdict != SCORE:
                best[i] = verdict
                continue
        status = _text_scores(text[:max_length], total, norm, upper, buf, slots, entries,
                              cache_slots, pool, scores, used)
        if status == NEED_TABLES or status == FULL:
            return i, status
        best[i] = np.argmax(total) if status == OK else UND
    return len(bounds) - 1, OK


@njit(cache=True, nogil=True)
def _text_scores(codes, total, norm, upper, buf, slots, entries, cache_slots, pool, scores, used):
    """``doc_scores`` of code points already through ``Detector.append`` and cut."""
    latin = 0
    other = 0
    for c in codes:
        if 0x41 <= c <= 0x7A:
            latin += 1
        elif c >= 0x300:
            other += 1
    drop = 2 * latin < other  # mostly non-Latin text loses its ASCII letters
    n = 0
    for c in codes:
        if drop and 0x41 <= c <= 0x7A:
            continue
        m = norm[c]
        if m == UNSET:
            return NEED_TABLES
        buf[n] = m
        n += 1
    total[:] = 0.0
    any_known = False
    mask = len(cache_slots) - 1
    a = 0
    while a < n:
        if buf[a] == _SPACE:
            a += 1
            continue
        b = a
        while b < n and buf[b] != _SPACE:
            b += 1
        last = b == n
        size = _U64(2 * (b - a) + last)
        h = _U64(0xCBF29CE484222325) ^ _U64(last)
        for i in range(a, b):
            h = (h ^ _U64(buf[i])) * _FNV
        h = _mix(h ^ _U64(b - a))
        s = np.int64(h & _U64(mask))
        row = -1
        while cache_slots[s, 1]:
            if cache_slots[s, 0] == h and cache_slots[s, 3] & _LOW == size:
                st = np.int64(cache_slots[s, 2])
                same = True
                for i in range(b - a):
                    if pool[st + i] != buf[a + i]:
                        same = False
                        break
                if same:
                    row = np.int64(cache_slots[s, 1])
                    break
            s = (s + 1) & mask
        if row < 0:
            row = used[0]
            if row >= len(scores) or used[1] + (b - a) > len(pool):
                return FULL
            out = scores[row]
            out[:] = 0.0
            known = _score_word(buf, a, b, last, out, upper, slots, entries)
            if known < 0:
                return NEED_TABLES
            pool[used[1]:used[1] + (b - a)] = buf[a:b]
            cache_slots[s, 0] = h
            cache_slots[s, 1] = row
            cache_slots[s, 2] = used[1]
            cache_slots[s, 3] = size | (_U64(known) << _S32)
            used[0] += 1
            used[1] += b - a
        if cache_slots[s, 3] >> _S32:
            any_known = True
            for j in range(len(total)):
                total[j] += scores[row, j]
        a = b
    return OK if any_known else NO_GRAM
