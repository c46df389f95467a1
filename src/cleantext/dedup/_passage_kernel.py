"""Compiled (numba) verification and alignment of candidate passage pairs (``PassageIndex.matches``),
and the shared-shingle counts of candidate document pairs (``verify.overlaps``).

For each candidate pair (u, v) of passages: the number of shared n-grams (a merge of the two sorted
sets), and, when asked for, the aligned word ranges: the positions of u's n-gram sequence whose
n-gram is in v's set (a small hash set of it; such an n-gram is shared, as u's own n-grams are all
in u's set) and whose neighbouring position's n-gram is in it too, first to last, and the same for v.
"""
from __future__ import annotations

import numpy as np
from numba import njit


@njit(cache=True, nogil=True)
def _contains(flat, lo, hi, value):
    """Whether the sorted ``flat[lo:hi]`` holds ``value``."""
    end = hi
    while lo < hi:
        mid = (lo + hi) >> 1
        if flat[mid] < value:
            lo = mid + 1
        else:
            hi = mid
    return lo < end and flat[lo] == value


_GOLDEN = np.uint64(0x9E3779B97F4A7C15)


@njit(cache=True, nogil=True)
def _fill(table, shift, sets, lo, hi, slots):
    """Put the values ``sets[lo:hi]`` into the zeroed open-addressing ``table`` (a slot: value + 1, or
    0); the slots taken go to ``slots`` (to zero them again); returns how many."""
    mask = table.size - 1
    used = 0
    for k in range(lo, hi):
        value = np.uint64(sets[k]) + np.uint64(1)
        s = np.int64((value * _GOLDEN) >> shift) & mask
        while table[s] != 0 and table[s] != value:
            s = (s + 1) & mask
        if table[s] == 0:
            table[s] = value
            slots[used] = s
            used += 1
    return used


@njit(cache=True, nogil=True)
def _has(table, shift, value):
    """Whether ``value`` is in the table ``_fill`` filled."""
    mask = table.size - 1
    v = np.uint64(value) + np.uint64(1)
    s = np.int64((v * _GOLDEN) >> shift) & mask
    while table[s] != 0:
        if table[s] == v:
            return True
        s = (s + 1) & mask
    return False


@njit(cache=True, nogil=True)
def _align(seq, base, lo, hi, n, table, shift, out, col):
    """Aligned word range of words [lo, hi) of a document (sequence at ``seq[base:]``) against the
    set in ``table``: written to ``out[col], out[col + 1]``; False when nothing aligns."""
    end = max(lo + 1, hi - n + 1)
    first = -1
    last = -1
    prev = False
    cur = _has(table, shift, seq[base + lo])
    for p in range(lo, end):
        nxt = False
        if p + 1 < end:
            nxt = _has(table, shift, seq[base + p + 1])
        if cur and (end - lo == 1 or prev or nxt):
            if first < 0:
                first = p
            last = p
        prev = cur
        cur = nxt
    if first < 0:
        return False
    out[col] = first
    out[col + 1] = min(hi, last + n)
    return True


@njit(cache=True, nogil=True)
def _merge_count(flat, i, ie, j, je):
    """The number of values shared by the sorted unique ``flat[i:ie]`` and ``flat[j:je]``."""
    count = 0
    while i < ie and j < je:
        a = flat[i]
        b = flat[j]
        if a == b:
            count += 1
            i += 1
            j += 1
        elif a < b:
            i += 1
        else:
            j += 1
    return count


@njit(cache=True, nogil=True)
def shared_counts(us, vs, flat, off):
    """The number of values shared by sets us[k] and vs[k] (set i is the sorted unique
    ``flat[off[i]:off[i + 1]]``)."""
    out = np.zeros(us.size, dtype=np.int64)
    for k in range(us.size):
        out[k] = _merge_count(flat, off[us[k]], off[us[k] + 1], off[vs[k]], off[vs[k] + 1])
    return out


@njit(cache=True, nogil=True)
def verify_pairs(us, vs, set_flat, set_off, seq_flat, seq_off, unit_doc, unit_lo, unit_hi, report,
                 min_shared, n):
    """Shared n-gram counts of the passage pairs (us[k], vs[k]), and for the pairs of reported
    passages sharing at least ``min_shared`` n-grams their aligned word ranges (x_lo, x_hi, y_lo,
    y_hi; -1 when they do not align)."""
    m = us.size
    shared = np.zeros(m, dtype=np.int64)
    ranges = np.full((m, 4), -1, dtype=np.int64)
    largest = 1
    for k in range(m):
        largest = max(largest, set_off[us[k] + 1] - set_off[us[k]], set_off[vs[k] + 1] - set_off[vs[k]])
    bits = 4
    while (1 << bits) < 2 * largest:
        bits += 1
    table = np.zeros(1 << bits, dtype=np.uint64)  # membership in the other side's set (a hash set)
    slots = np.empty(largest, dtype=np.int64)
    shift = np.uint64(64 - bits)
    for k in range(m):
        u = us[k]
        v = vs[k]
        count = _merge_count(set_flat, set_off[u], set_off[u + 1], set_off[v], set_off[v + 1])
        shared[k] = count
        if count < min_shared or not (report[u] and report[v]):
            continue
        row = ranges[k]
        used = _fill(table, shift, set_flat, set_off[v], set_off[v + 1], slots)
        aligned = _align(seq_flat, seq_off[unit_doc[u]], unit_lo[u], unit_hi[u], n, table, shift, row, 0)
        table[slots[:used]] = 0
        if aligned:
            used = _fill(table, shift, set_flat, set_off[u], set_off[u + 1], slots)
            if not _align(seq_flat, seq_off[unit_doc[v]], unit_lo[v], unit_hi[v], n, table, shift, row, 2):
                row[0] = -1
                row[1] = -1
            table[slots[:used]] = 0
    return shared, ranges


@njit(cache=True, nogil=True)
def range_jaccard(a, b):
    """Jaccard of the sets of values of two n-gram sequence slices."""
    a = np.unique(a)
    b = np.unique(b)
    i = 0
    j = 0
    shared = 0
    while i < a.size and j < b.size:
        if a[i] == b[j]:
            shared += 1
            i += 1
            j += 1
        elif a[i] < b[j]:
            i += 1
        else:
            j += 1
    union = a.size + b.size - shared
    return shared / union if union else 0.0


@njit(cache=True, nogil=True)
def _shared_run(seq, start, stop, step, sorted_other, gap):
    """Walking ``seq`` from ``start`` towards ``stop`` (exclusive) by ``step``: the first position
    whose value is in ``sorted_other`` with a neighbour's value in it too, and the last such
    position before more than ``gap`` positions in a row without one; (-1, -1) when none."""
    first = -1
    last = -1
    p = start
    while p != stop:
        if first >= 0 and (p - last) * step > gap + 1:
            break
        v = sorted_other
        if _contains(v, 0, v.size, seq[p]) and (
                (p - 1 >= 0 and _contains(v, 0, v.size, seq[p - 1]))
                or (p + 1 < seq.size and _contains(v, 0, v.size, seq[p + 1]))):
            if first < 0:
                first = p
            last = p
        p += step
    return first, last


@njit(cache=True, nogil=True)
def _region(seq, start, length, step):
    """The sorted values of ``length`` positions of ``seq`` from ``start`` in direction ``step``,
    and the (exclusive) end of the walk."""
    if step == 1:
        stop = min(seq.size, start + length)
        return np.sort(seq[start:stop]), stop
    stop = max(0, start - length + 1) - 1
    return np.sort(seq[stop + 1:start + 1]), stop


@njit(cache=True, nogil=True)
def _next_runs(sx, sy, ex, ey, step, gap, far, window):
    """The shared runs of ``sx`` and ``sy`` next to positions ``ex`` / ``ey`` in direction ``step``:
    (first_x, last_x, first_y, last_y); first_x = -1 when a run starts more than ``far`` positions
    away on either side or more than ``gap`` on both."""
    oy, _ = _region(sy, ey, far + window, step)
    ox, _ = _region(sx, ex, far + window, step)
    _, stop_x = _region(sx, ex, far + 1, step)
    _, stop_y = _region(sy, ey, far + 1, step)
    fx, _ = _shared_run(sx, ex, stop_x, step, oy, 0)
    fy, _ = _shared_run(sy, ey, stop_y, step, ox, 0)
    if fx < 0 or fy < 0 or min(abs(fx - ex), abs(fy - ey)) > gap:
        return -1, -1, -1, -1
    oy, _ = _region(sy, fy, window, step)
    ox, _ = _region(sx, fx, window, step)
    _, stop_x = _region(sx, fx, window, step)
    _, stop_y = _region(sy, fy, window, step)
    _, lx = _shared_run(sx, fx, stop_x, step, oy, gap)
    _, ly = _shared_run(sy, fy, stop_y, step, ox, gap)
    if lx < 0 or ly < 0:
        return -1, -1, -1, -1
    return fx, lx, fy, ly


@njit(cache=True, nogil=True)
def extend_range(sx, sy, x_lo, x_hi, y_lo, y_hi, n, gap, far, window, threshold):
    """Grow the aligned word ranges [x_lo, x_hi) / [y_lo, y_hi) of two documents (n-gram sequences
    ``sx``, ``sy``) forward, then backward, while the text next to them keeps matching: a shared
    run (``_shared_run`` against the other side's next ``window`` positions, or half the range's
    length when that is more) must start at most
    ``gap`` positions away on one side and ``far`` on the other (a sentence inserted in one copy),
    and the grown ranges' Jaccard must stay at least ``threshold``."""
    for step in (1, -1):
        while True:
            ex = x_hi - n + 1 if step == 1 else x_lo - 1
            ey = y_hi - n + 1 if step == 1 else y_lo - 1
            if ex < 0 or ey < 0 or ex >= sx.size or ey >= sy.size:
                break
            # the walk reaches up to half the range further: a long shared text takes few steps
            reach = max(window, min(x_hi - x_lo, y_hi - y_lo) // 2)
            fx, lx, fy, ly = _next_runs(sx, sy, ex, ey, step, gap, far, reach)
            if fx < 0:
                break
            if step == 1:
                nx_lo, nx_hi, ny_lo, ny_hi = x_lo, lx + n, y_lo, ly + n
            else:
                nx_lo, nx_hi, ny_lo, ny_hi = lx, x_hi, ly, y_hi
            if range_jaccard(sx[nx_lo:max(nx_lo + 1, nx_hi - n + 1)],
                             sy[ny_lo:max(ny_lo + 1, ny_hi - n + 1)]) < threshold:
                break
            x_lo, x_hi, y_lo, y_hi = nx_lo, nx_hi, ny_lo, ny_hi
    return x_lo, x_hi, y_lo, y_hi


@njit(cache=True, nogil=True)
def _windows(lo, hi, window, step, doc, out_doc, out_lo, out_hi, k):
    """Write the units of paragraph [lo, hi) from index k (windows when longer than ``window``);
    returns the next index."""
    if hi - lo <= window:
        out_doc[k], out_lo[k], out_hi[k] = doc, lo, hi
        return k + 1
    start = lo
    while start + window < hi:
        out_doc[k], out_lo[k], out_hi[k] = doc, start, start + window
        k += 1
        start += step
    out_doc[k], out_lo[k], out_hi[k] = doc, hi - window, hi
    return k + 1


@njit(cache=True, nogil=True)
def passage_units(per_block, doc_blocks, min_words, window, whole_min_words):
    """The passages of every document (``passages.passage_units``), document d's blocks holding
    ``per_block[doc_blocks[d]:doc_blocks[d + 1]]`` words; a document without one but with at least
    ``whole_min_words`` words is one unit that is not reported. Returns per unit: its document, word
    range [lo, hi) and whether it is reported."""
    step = max(1, window // 2)
    cap = doc_blocks.size + 1  # a block makes at most two paragraphs, a paragraph of L words L // step + 1 units
    for b in range(per_block.size):
        cap += 4 + 2 * (per_block[b] // step)
    out_doc = np.empty(cap, dtype=np.int64)
    out_lo = np.empty(cap, dtype=np.int64)
    out_hi = np.empty(cap, dtype=np.int64)
    report = np.ones(cap, dtype=np.bool_)
    k = 0
    for d in range(doc_blocks.size - 1):
        first = k
        lo = 0
        pos = 0
        for b in range(doc_blocks[d], doc_blocks[d + 1]):
            count = per_block[b]
            if count >= min_words:  # a long block is a passage of its own ...
                if pos > lo:  # ... and, with the short run before it, one more
                    k = _windows(lo, pos + count, window, step, d, out_doc, out_lo, out_hi, k)
                k = _windows(pos, pos + count, window, step, d, out_doc, out_lo, out_hi, k)
                pos += count
                lo = pos
                continue
            pos += count
            if pos - lo >= min_words:
                k = _windows(lo, pos, window, step, d, out_doc, out_lo, out_hi, k)
                lo = pos
        if k == first and pos >= whole_min_words:
            out_doc[k], out_lo[k], out_hi[k] = d, 0, pos
            report[k] = False
            k += 1
    return out_doc[:k].copy(), out_lo[:k].copy(), out_hi[:k].copy(), report[:k].copy()


@njit(cache=True, nogil=True)
def _before(a, b):
    """Whether row ``a`` sorts before row ``b`` (lexicographic over their 4 values)."""
    for c in range(4):
        if a[c] != b[c]:
            return a[c] < b[c]
    return False


@njit(cache=True, nogil=True)
def _sorted_unique(rows):
    """The distinct rows of an (m, 4) array, sorted (insertion sort: a pair has few ranges)."""
    out = rows.copy()
    for i in range(1, out.shape[0]):
        j = i
        while j > 0 and _before(out[j], out[j - 1]):
            for c in range(4):
                out[j, c], out[j - 1, c] = out[j - 1, c], out[j, c]
            j -= 1
    k = 0
    for i in range(out.shape[0]):
        if k == 0 or _before(out[k - 1], out[i]):
            out[k] = out[i]
            k += 1
    return out[:k]


@njit(cache=True, nogil=True)
def merge_ranges(rows, gap):
    """Aligned ranges (x_lo, x_hi, y_lo, y_hi) merged while any two overlap or are at most ``gap``
    words apart on both sides (an edited sentence between two matching ones), sorted: the first
    touching pair (in sorted order) merges into the first of them, until none touch."""
    merged = _sorted_unique(rows)
    count = merged.shape[0]
    joined = count > 1
    while joined:
        joined = False
        for a in range(count):
            for b in range(a + 1, count):
                m = merged[a]
                k = merged[b]
                if k[0] <= m[1] + gap and m[0] <= k[1] + gap and k[2] <= m[3] + gap and m[2] <= k[3] + gap:
                    m[0], m[1], m[2], m[3] = min(m[0], k[0]), max(m[1], k[1]), min(m[2], k[2]), max(m[3], k[3])
                    merged[b:count - 1] = merged[b + 1:count].copy()
                    count -= 1
                    joined = True
                    break
            if joined:
                break
    return _sorted_unique(merged[:count])


@njit(cache=True, nogil=True)
def pair_spans(first_pair, last_pair, xs, ys, starts, rows, seq_flat, seq_off, n, gap, far, threshold,
               min_span):
    """The passage matches of document pairs ``first_pair`` .. ``last_pair - 1`` (pair k: documents
    xs[k], ys[k], aligned ranges ``rows[starts[k]:starts[k + 1]]``): the ranges merged, each grown
    (``extend_range``), merged again, scored by ``range_jaccard``; a range is kept when its score is
    at least ``threshold`` and each side spans at least ``min_span`` words. Returns per kept range:
    its pair, (x_lo, x_hi, y_lo, y_hi) and score, in pair order then range order."""
    out_pair = np.empty(16, dtype=np.int64)
    out_rows = np.empty((16, 4), dtype=np.int64)
    out_sim = np.empty(16, dtype=np.float64)
    found = 0
    for k in range(first_pair, last_pair):
        sx = seq_flat[seq_off[xs[k]]:seq_off[xs[k] + 1]]
        sy = seq_flat[seq_off[ys[k]]:seq_off[ys[k] + 1]]
        grown = merge_ranges(rows[starts[k]:starts[k + 1]], gap)
        for r in range(grown.shape[0]):
            g = grown[r]
            g[0], g[1], g[2], g[3] = extend_range(sx, sy, g[0], g[1], g[2], g[3], n, gap, far, far, threshold)
        spans = merge_ranges(grown, gap)
        for r in range(spans.shape[0]):
            x_lo, x_hi, y_lo, y_hi = spans[r, 0], spans[r, 1], spans[r, 2], spans[r, 3]
            sim = range_jaccard(sx[x_lo:max(x_lo + 1, x_hi - n + 1)], sy[y_lo:max(y_lo + 1, y_hi - n + 1)])
            if sim < threshold or min(x_hi - x_lo, y_hi - y_lo) < min_span:
                continue
            if found == out_pair.size:
                out_pair = np.concatenate((out_pair, np.empty(found, dtype=np.int64)))
                out_rows = np.concatenate((out_rows, np.empty((found, 4), dtype=np.int64)))
                out_sim = np.concatenate((out_sim, np.empty(found, dtype=np.float64)))
            out_pair[found] = k
            out_rows[found] = spans[r]
            out_sim[found] = sim
            found += 1
    return out_pair[:found], out_rows[:found], out_sim[:found]
