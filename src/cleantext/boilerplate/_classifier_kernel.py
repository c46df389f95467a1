"""Compiled (numba) line classifier: one call per document computes what ``classifier.py``
defines in Python (the reference the tests compare it with): stopword tokens and densities,
the document's stopword language, each line's context-free class, then promotion, the
"read more" header lists, smoothing, introduced lists, the main region and headline runs.

Text comes as code points (``uint32``) with span offsets; the stopwords as an open-addressing
table of word hashes (``stopword_table``), each word with a bit per language.
"""
from __future__ import annotations

import numpy as np
from numba import njit

BAD, SHORT, NEAR_GOOD, GOOD = 0, 1, 2, 3
_SKIP = -1
# output reason codes (``classifier.REASONS``); 0: the line is kept
NO_WORDS, LINK_DENSE, SHORT_LINE, CONTEXT, NO_PROSE, HEADLINE_LIST, OUTSIDE_BODY = 1, 2, 3, 4, 5, 6, 7
# hit codes of the lines a rule or template removed
NO_HIT, INLINE, BOUNDARY, HEADER = 0, 1, 2, 3
# the float and int parameters (``classifier._params``), by position
(P_SW_LOW, P_SW_HIGH, P_LINK_DENSITY, P_GAP, P_LONE, P_BOUNDARY) = range(6)
(P_LOW, P_HIGH, P_SENTENCE, P_MIN_WORDS, P_HEADLINE_CHARS, P_RUN, P_REGION) = range(7)

_SAMPLE = 600  # characters of a line's key used for word statistics
_GUESS_WORDS = 80  # words sampled to guess the stopword language
_CYR_WORDS = 20  # ... of which these decide the script
_MIN_SHARE = 0.08  # the guessed language's stopwords cover at least this share of the sample
_FNV = np.uint64(0x100000001B3)
_FNV0 = np.uint64(0xCBF29CE484222325)


@njit(cache=True, nogil=True)
def word_hash(buf, a, b):
    """FNV-1a hash of the code points buf[a:b]."""
    h = _FNV0
    for i in range(a, b):
        h = (h ^ np.uint64(buf[i])) * _FNV
    return h


@njit(cache=True, nogil=True)
def build_table(words, starts, masks, size):
    """Open-addressing table (``size`` a power of two) of the words ``words[starts[k]:starts[k+1]]``:
    per slot the word's hash and (k + 1) << 32 | its ``masks[k]`` (0: a free slot), so that a
    token that is no stopword costs one memory access."""
    table = np.zeros((size, 2), dtype=np.uint64)
    mask = np.uint64(size - 1)
    for k in range(len(starts) - 1):
        h = word_hash(words, starts[k], starts[k + 1])
        s = h & mask
        while table[s, 1]:
            s = (s + np.uint64(1)) & mask
        table[s, 0] = h
        table[s, 1] = (np.uint64(k + 1) << np.uint64(32)) | np.uint64(masks[k])
    return table


@njit(cache=True, nogil=True)
def _lookup(h, buf, a, b, table, words, starts):
    """The language bits of the token buf[a:b] of hash ``h`` (0: no stopword)."""
    mask = np.uint64(len(table) - 1)
    s = h & mask
    while table[s, 1]:
        if table[s, 0] == h:
            v = table[s, 1]
            k = np.int64(v >> np.uint64(32)) - 1
            w = starts[k]
            if starts[k + 1] - w == b - a:
                same = True
                for i in range(b - a):
                    if words[w + i] != buf[a + i]:
                        same = False
                        break
                if same:
                    return np.uint32(v & np.uint64(0xFFFFFFFF))
        s = (s + np.uint64(1)) & mask
    return np.uint32(0)


@njit(cache=True, nogil=True)
def _is_cyrillic(c):
    """``stopwords._CYRILLIC``: [а-яёәғқңөұүһі]."""
    return (0x430 <= c <= 0x44F or c == 0x451 or c == 0x4D9 or c == 0x493 or c == 0x49B
            or c == 0x4A3 or c == 0x4E9 or c == 0x4B1 or c == 0x4AF or c == 0x4BB or c == 0x456)


@njit(cache=True, nogil=True)
def _space(c, spaces):
    # (an ``and`` of a bool and a table's np.bool_ compiles to a slow mixed-type value)
    if c < len(spaces):
        return bool(spaces[c])
    return False


@njit(cache=True, nogil=True)
def _word(c, classes):
    if c < len(classes):
        return classes[c] > 0
    return False


@njit(cache=True, nogil=True)
def _digit(c, classes):
    if c < len(classes):
        return classes[c] == 2
    return False


@njit(cache=True, nogil=True)
def _in(c, chars):
    for x in chars:
        if c == x:
            return True
    return False


_SENTENCE_END = np.array([ord(c) for c in '.!?…:;"»”)\'。！？'], dtype=np.uint32)
_FULL_STOP = np.array([ord(c) for c in ".!?…。！？"], dtype=np.uint32)
_CLOSING = np.array([ord(c) for c in '"»”)\''], dtype=np.uint32)
_ENDS = np.array([ord(c) for c in ".!?…\"»”"], dtype=np.uint32)
_ATTACHED = np.array([ord(c) for c in ",.:;!?"], dtype=np.uint32)  # stopwords._ATTACHED
_DASHES = np.array([ord(c) for c in "-–—•*▪◦"], dtype=np.uint32)


@njit(cache=True, nogil=True)
def _list_mark(t, a, b, classes, spaces):
    """``classifier._LIST_MARK.match``: (?:\\d{1,2}[.)]|[-–—•*▪◦]|[a-zа-я]\\))\\s at t[a:b]."""
    n = b - a
    c0 = t[a]
    if _digit(c0, classes):
        if n >= 3 and (t[a + 1] == 0x2E or t[a + 1] == 0x29) and _space(t[a + 2], spaces):
            return True
        return (n >= 4 and _digit(t[a + 1], classes) and (t[a + 2] == 0x2E or t[a + 2] == 0x29)
                and _space(t[a + 3], spaces))
    if _in(c0, _DASHES):
        return n >= 2 and _space(t[a + 1], spaces)
    if 0x61 <= c0 <= 0x7A or 0x430 <= c0 <= 0x44F:
        return n >= 3 and t[a + 1] == 0x29 and _space(t[a + 2], spaces)
    return False


@njit(cache=True, nogil=True)
def _links(t, a, b, classes):
    """``len(classifier._LINK.findall(t[a:b]))``: http|www\\.|[@#|]| [»›/] |\\.(?:com|ru|kz|org)\\b."""
    count = 0
    i = a
    while i < b:
        c = t[i]
        step = 0
        if c == 0x68 and i + 4 <= b and t[i + 1] == 0x74 and t[i + 2] == 0x74 and t[i + 3] == 0x70:
            step = 4  # http
        elif c == 0x77 and i + 4 <= b and t[i + 1] == 0x77 and t[i + 2] == 0x77 and t[i + 3] == 0x2E:
            step = 4  # www.
        elif c == 0x40 or c == 0x23 or c == 0x7C:
            step = 1
        elif (c == 0x20 and i + 3 <= b and (t[i + 1] == 0xBB or t[i + 1] == 0x203A or t[i + 1] == 0x2F)
              and t[i + 2] == 0x20):
            step = 3
        elif c == 0x2E:
            k = 0
            if i + 4 <= b and t[i + 1] == 0x63 and t[i + 2] == 0x6F and t[i + 3] == 0x6D:
                k = 4  # .com
            elif i + 4 <= b and t[i + 1] == 0x6F and t[i + 2] == 0x72 and t[i + 3] == 0x67:
                k = 4  # .org
            elif i + 3 <= b and ((t[i + 1] == 0x72 and t[i + 2] == 0x75) or
                                 (t[i + 1] == 0x6B and t[i + 2] == 0x7A)):
                k = 3  # .ru .kz
            if k and (i + k == b or not _word(t[i + k], classes)):
                step = k
        if step:
            count += 1
            i += step
        else:
            i += 1
    return count


@njit(cache=True, nogil=True)
def _ends_sentence(t, a, b):
    last = t[b - 1]
    return _in(last, _FULL_STOP) or (_in(last, _CLOSING) and b - a > 1 and _in(t[b - 2], _FULL_STOP))


@njit(cache=True, nogil=True)
def classify(buf, starts, ublock, bchars, hcode, hscore, classes, spaces,
             table, words, wstart, longest, script, usual, given, fp, ip, codes, scores):
    """Fill ``codes`` (a reason code, 0: kept) and ``scores`` per block.

    Units (a line, or the lines of a hard-wrapped paragraph) ``u`` of ``nu``: text
    ``buf[starts[u]:starts[u+1]]``, key ``buf[starts[nu+u]:starts[nu+u+1]]``, blocks
    ``ublock[u]:ublock[u+1]``.
    Per block: its text's length ``bchars``, its rule/template hit ``hcode`` (NO_HIT, INLINE,
    BOUNDARY, HEADER) with ``hscore``. Stopwords: ``build_table``'s ``table`` over
    ``words``/``wstart`` (bit l of a word's mask: a stopword of language l; no token longer
    than ``longest`` is one); per language its
    ``script`` (0 Latin, 1 Cyrillic: tried when guessing, 2: not tried) and ``usual`` prose
    density; ``given``: the language to use (-1: guess). ``fp``/``ip``: the parameters.
    """
    nu = len(ublock) - 1
    n = len(bchars)
    text, tstart, key, kstart = buf, starts[:nu + 1], buf, starts[nu:]
    # --- tokens: stopword bits per token, tokens per unit ---
    total = 0
    for u in range(nu):
        total += min(kstart[u + 1] - kstart[u], _SAMPLE)
    tbits = np.zeros(total + 1, dtype=np.uint32)
    tfirst = np.zeros(nu + 1, dtype=np.int64)
    g = 0
    cyr = False
    sample = -1  # tokens sampled for the guess (-1: not yet 80)
    for u in range(nu):
        tfirst[u] = g
        if hcode[ublock[u]] != NO_HIT:
            continue
        a = kstart[u]
        m = min(kstart[u + 1] - a, _SAMPLE)
        i = 0
        open_at = -1
        h = hp = _FNV0  # the open token's hash, and its hash without its last character
        while i <= m:
            gap = i == m
            step = 1
            c = np.uint32(0)
            if not gap:
                c = key[a + i]
                if c == 0x20 and i + 2 < m and key[a + i + 1] == 0x2D and key[a + i + 2] == 0x20:
                    gap = True  # " - " is replaced by " "
                    step = 3
                else:
                    gap = _space(c, spaces)
            if gap:
                if open_at >= 0:
                    t0, t1 = a + open_at, a + i
                    bits = np.uint32(0)
                    if t1 - t0 <= longest:
                        bits = _lookup(h, key, t0, t1, table, words, wstart)
                        if t1 - t0 > 1 and _in(key[t1 - 1], _ATTACHED):  # "which," is "which"
                            bits |= _lookup(hp, key, t0, t1 - 1, table, words, wstart)
                    tbits[g] = bits
                    if g < _CYR_WORDS and not cyr:
                        for j in range(a + open_at, a + i):
                            if _is_cyrillic(key[j]):
                                cyr = True
                                break
                    g += 1
                    open_at = -1
            else:
                if open_at < 0:
                    open_at = i
                    h = _FNV0
                hp = h
                h = (h ^ np.uint64(c)) * _FNV
            i += step
        if sample < 0 and g >= _GUESS_WORDS:
            sample = g
    tfirst[nu] = g
    if sample < 0:
        sample = g
    # --- the stopword language ---
    lang = given
    if lang < 0 and sample > 0:
        want = 1 if cyr else 0
        best = -1
        for l in range(len(script)):
            if script[l] != want:
                continue
            bit = np.uint32(1) << np.uint32(l)
            hits = 0
            for k in range(sample):
                if tbits[k] & bit:
                    hits += 1
            if best < 0 or hits > best:
                best, lang = hits, l
        if lang >= 0 and best < _MIN_SHARE * sample:
            lang = -1
    # --- densities and the document's prose density ---
    density = np.zeros(nu, dtype=np.float64)
    prose = 0.0
    if lang >= 0:
        bit = np.uint32(1) << np.uint32(lang)
        for u in range(nu):
            nt = tfirst[u + 1] - tfirst[u]
            if nt:
                hits = 0
                for k in range(tfirst[u], tfirst[u + 1]):
                    if tbits[k] & bit:
                        hits += 1
                density[u] = hits / nt
        found = np.empty(15, dtype=np.float64)
        nf = 0
        for u in range(nu):
            if nf < 15 and tstart[u + 1] - tstart[u] >= 150 and _in(text[tstart[u + 1] - 1], _ENDS):
                found[nf] = density[u]
                nf += 1
        prose = usual[lang]
        if nf >= 3:
            med = np.sort(found[:nf])[nf // 2]
            prose = min(max(med, 0.7 * prose), 1.3 * prose)
    # --- context-free classes of the units, spread over their blocks ---
    sw_low, sw_high, link_density = fp[P_SW_LOW], fp[P_SW_HIGH], fp[P_LINK_DENSITY]
    low, high, sentence_chars = ip[P_LOW], ip[P_HIGH], ip[P_SENTENCE]
    min_words, headline_chars = ip[P_MIN_WORDS], ip[P_HEADLINE_CHARS]
    cls = np.empty(n, dtype=np.int64)
    reason = np.zeros(n, dtype=np.int64)
    score = np.zeros(n, dtype=np.float64)
    head = np.zeros(n, dtype=np.bool_)
    listed = np.zeros(n, dtype=np.bool_)
    sent = np.zeros(n, dtype=np.bool_)
    intro = np.zeros(n, dtype=np.bool_)
    long_s = np.zeros(n, dtype=np.bool_)
    for u in range(nu):
        b0, b1 = ublock[u], ublock[u + 1]
        if hcode[b0] != NO_HIT:  # a rule's widget: bad, headline-like
            for b in range(b0, b1):
                cls[b] = BAD
                head[b] = True
            continue
        a, e = tstart[u], tstart[u + 1]
        nc = e - a
        ntok = tfirst[u + 1] - tfirst[u]
        last = text[e - 1]
        sentence = _in(last, _SENTENCE_END)
        hl = not sentence and nc <= headline_chars
        lm = _list_mark(text, a, e, classes, spaces)
        c, r, s = BAD, NO_WORDS, 0.0
        se = it = lo = False
        if ntok:
            if prose:
                rel = density[u] / prose
            else:
                rel = sw_high if sentence else sw_low
            s = (rel / sw_high if rel < sw_high else 1.0) * (nc / high if nc < high else 1.0)
            links = _links(text, a, e, classes) if nc < high else 0
            if links and links / ntok > link_density:
                r = LINK_DENSE
            elif nc < low:
                c, r = SHORT, SHORT_LINE
                se = ntok >= 3 and _ends_sentence(text, a, e)
                it = ntok >= 3 and last == 0x3A
            elif rel >= sw_high:
                good = nc > high or (sentence and nc >= sentence_chars)
                c, r = (GOOD if good else NEAR_GOOD), CONTEXT
                se, it = True, last == 0x3A
            elif rel >= sw_low or (_in(last, _FULL_STOP) and ntok >= min_words):
                c, r = NEAR_GOOD, CONTEXT
                se = _ends_sentence(text, a, e)
                it, lo = last == 0x3A, se and nc > high
            else:
                r = NO_PROSE
        for b in range(b0, b1):
            cls[b], reason[b], score[b] = c, r, s
            head[b], listed[b], sent[b], intro[b], long_s[b] = hl, lm, se, it, lo
    _context(cls, reason, score, head, listed, sent, intro, long_s, bchars, hcode, hscore,
             fp, ip, codes, scores)


@njit(cache=True, nogil=True)
def _context(cls, reason, score, head, listed, sent, intro, long_s, chars, hcode, hscore,
             fp, ip, codes, scores):
    """The context passes over the blocks' context-free classes (``__init__._classify``)."""
    n = len(cls)
    # promote_if_no_good
    any_good = False
    for i in range(n):
        if cls[i] == GOOD:
            any_good = True
            break
    if not any_good:
        promoted = False
        for i in range(n):
            if cls[i] == NEAR_GOOD and chars[i] >= ip[P_SENTENCE]:
                cls[i] = GOOD
                promoted = True
        if not promoted:
            for i in range(n):
                if sent[i] and (cls[i] == SHORT or cls[i] == NEAR_GOOD):
                    cls[i] = GOOD
    # fixed: -1 no rule, 1 a section boundary, 0 an inline widget; hit: a line removed so far
    fixed = np.empty(n, dtype=np.int64)
    hit = np.zeros(n, dtype=np.bool_)
    for i in range(n):
        h = hcode[i]
        fixed[i] = -1 if h == NO_HIT else (0 if h == INLINE else 1)
        hit[i] = h != NO_HIT
        codes[i] = 0
    # _after_headers
    i = 0
    while i < n:
        h, hs = hcode[i], hscore[i]
        i += 1
        if h != HEADER:
            continue
        while i < n and (hit[i] or cls[i] == BAD or cls[i] == SHORT or (head[i] and cls[i] != GOOD)):
            if not hit[i]:
                hit[i] = True
                codes[i], scores[i] = HEADLINE_LIST, hs
            i += 1
    final = _smooth(cls, fixed, sent, long_s)
    # headline spans, introduced lists
    in_span = np.zeros(n, dtype=np.bool_)
    for i in range(n):
        in_span[i] = bool(head[i]) and cls[i] != GOOD
    lists = np.zeros(n, dtype=np.bool_)
    i = 0
    while i < n:
        if not in_span[i]:
            i += 1
            continue
        j = i
        while j < n and in_span[j]:
            j += 1
        p = i - 1
        if (p >= 0 and fixed[p] < 0 and intro[p]
                and (final[p] == GOOD or (p > 0 and final[p - 1] == GOOD))):
            for k in range(p, j):
                lists[k] = True
        i = j
    for i in range(n):
        if lists[i] and not hit[i]:
            final[i] = GOOD
    start, end = 0, n
    if ip[P_REGION]:
        start, end = _main_region(cls, head, final, fixed, chars, fp)
    # headline runs
    runs = np.zeros(n, dtype=np.bool_)
    i = 0
    while i < n:
        if not in_span[i]:
            i += 1
            continue
        j = i
        while j < n and in_span[j]:
            j += 1
        if j - i >= ip[P_RUN] and not lists[i]:
            inside = start <= i - 1 and final[i - 1] == GOOD and j < end and final[j] == GOOD
            nl = 0
            for k in range(i, j):
                nl += listed[k]
            if not (inside and nl * 2 >= j - i):
                for k in range(i, j):
                    runs[k] = True
        i = j
    for i in range(n):
        if hit[i]:
            continue
        if runs[i]:
            codes[i], scores[i] = HEADLINE_LIST, 1.0 - score[i] / 2
        elif final[i] != GOOD:
            codes[i] = reason[i] if cls[i] == BAD or cls[i] == SHORT else CONTEXT
            scores[i] = 1.0 - score[i]
        elif not start <= i < end:
            codes[i], scores[i] = OUTSIDE_BODY, 1.0 - score[i]


@njit(cache=True, nogil=True)
def _smooth(cls, fixed, sent, long_s):
    """``classifier.smooth``: the final GOOD/BAD class per line."""
    n = len(cls)
    cf = np.empty(n, dtype=np.int64)
    for i in range(n):
        cf[i] = cls[i] if fixed[i] < 0 else (BAD if fixed[i] else _SKIP)
    nxt = np.empty(n, dtype=np.int64)
    nxt_near = np.empty(n, dtype=np.int64)
    nxt_adj = np.empty(n, dtype=np.int64)
    dec = near = adj = BAD
    for i in range(n - 1, -1, -1):
        nxt[i], nxt_near[i], nxt_adj[i] = dec, near, adj
        c = cf[i]
        if c != _SKIP:
            adj = c
            if c != SHORT:
                near = c
                if c != NEAR_GOOD:
                    dec = c
    out = np.empty(n, dtype=np.int64)
    dec = near = adj = BAD
    for i in range(n):
        c = cf[i]
        x = c
        if c == SHORT:
            p, nx = dec, nxt[i]
            if p == nx:
                x = p
            elif (p == BAD and near == NEAR_GOOD) or (nx == BAD and nxt_near[i] == NEAR_GOOD):
                x = GOOD
            elif sent[i] and max(adj, nxt_adj[i]) >= NEAR_GOOD:
                x = GOOD
            else:
                x = BAD
        elif c == NEAR_GOOD:
            x = BAD if dec == BAD and nxt[i] == BAD and not long_s[i] else GOOD
        out[i] = GOOD if x == GOOD and fixed[i] < 0 else BAD
        if c != _SKIP:
            adj = c
            if c != SHORT:
                near = c
                if c != NEAR_GOOD:
                    dec = c
    return out


@njit(cache=True, nogil=True)
def _main_region(cls, head, final, fixed, chars, fp):
    """``classifier.main_region``: [start, end) of the densest run of kept prose."""
    n = len(cls)
    gap, lone, boundary = fp[P_GAP], fp[P_LONE], fp[P_BOUNDARY]
    # _lone_good: good lines between headline-like lines (inline widgets looked through)
    alone = np.zeros(n, dtype=np.bool_)
    prev = -1  # the previous line that is not an inline widget
    for i in range(n):
        if fixed[i] == 0:
            continue
        if cls[i] == GOOD and prev >= 0 and head[prev]:
            k = i + 1
            while k < n and fixed[k] == 0:
                k += 1
            alone[i] = k == n or bool(head[k])
        prev = i
    # _next_good: whether the next line no rule removed is kept prose
    next_good = np.zeros(n, dtype=np.bool_)
    good = False
    for i in range(n - 1, -1, -1):
        next_good[i] = good
        if fixed[i] < 0:
            good = final[i] == GOOD
    best, best_start, best_end = 0.0, 0, 0
    cur, cur_start = 0.0, 0
    bounded = inside = prev_good = False
    for i in range(n):
        if final[i] == GOOD:
            w = float(chars[i]) * (lone if alone[i] else 1.0)
            bounded, prev_good = False, True
        elif fixed[i] < 0:
            w = -gap
            bounded, prev_good = False, False
        elif fixed[i]:
            if not bounded:
                inside = prev_good and bool(next_good[i])
            w = -gap if bounded or inside else -boundary
            bounded = True
        else:
            w = 0.0
        if cur <= 0:
            cur, cur_start = w, i
        else:
            cur += w
        if cur > best:
            best, best_start, best_end = cur, cur_start, i + 1
    return best_start, best_end


@njit(cache=True, nogil=True)
def wrap_width(lengths, max_width, near, full, min_lines):
    """``paragraphs.wrap_width`` (-1 for None) with its constants as arguments."""
    ls = np.sort(lengths)
    n = len(ls)
    chars = np.zeros(n + 1, dtype=np.int64)
    for i in range(n):
        chars[i + 1] = chars[i] + ls[i]
    k = 0  # bisect_right(ls, max_width)
    while k < n and ls[k] <= max_width:
        k += 1
    if chars[k] < full * chars[n]:
        return -1
    width, best = -1, 0
    lo = hi = 0
    for i in range(k):
        w = ls[i]
        if i and w == ls[i - 1]:
            continue
        while lo < n and ls[lo] < near * w:  # bisect_left(ls, near * w): w grows, so does lo
            lo += 1
        hi = max(hi, i)
        while hi < n and ls[hi] <= w:  # bisect_right(ls, w)
            hi += 1
        if hi - lo >= min_lines and chars[hi] - chars[lo] > best:
            width, best = w, chars[hi] - chars[lo]
    return width if best >= full * chars[n] else -1
