"""Compiled (numba) kernel: one pass over the code points of a raw text for ``repair.scan``: the
characters ``repair.suspects`` looks at, the runs of spaces, and the non-blank lines (``segment.Line``).
The tests compare it with the regex definitions (``repair.suspects``, ``segment.split_lines``);
``scan_keys`` adds the matching keys of the lines (``segment.to_blocks``).
"""
from __future__ import annotations

import numpy as np
from numba import njit

from cleantext.text._keys_kernel import line_keys

_SPACE_BIT = 8  # ``flags`` bit of a white-space character (``str.isspace``)
_SEVERAL_BIT = 16  # of a code point that casefolds to several (``keys.key_tables``)
_SCRIPT_BITS = 32 | 64  # of a Latin letter (A-Z, a-z) and of a code point of the Cyrillic block
_NOT_NFC_BIT = 128  # of a code point without which a text is in NFC (``repair._maybe_not_nfc``)


@njit(cache=True, nogil=True)
def _line_end(cp):
    """Whether ``cp`` ends a line (``segment._LINE_END``; "\\r\\n" is one end, handled by the caller)."""
    return cp == 10 or cp == 13 or cp == 11 or cp == 12 or cp == 0x85 or cp == 0x2028 or cp == 0x2029


@njit(cache=True, nogil=True)
def windows(triggers, reach):
    """``repair._windows`` of the sorted ``triggers``: (lo, hi, first, stop) of each merged window,
    its triggers being ``triggers[first:stop]``."""
    n = triggers.size
    out = np.empty((n, 4), dtype=np.int64)
    count = 0
    first = 0
    for k in range(n):
        i = triggers[k]
        if k > first and i - reach > out[count, 1]:  # a new window: close the one before
            out[count, 3] = k
            count += 1
            first = k
        if k == first:
            out[count, 0] = max(0, i - reach)
            out[count, 2] = k
        out[count, 1] = i + reach + 1
    if n:
        out[count, 3] = n
        count += 1
    return out[:count]


@njit(cache=True, nogil=True)
def window_stand_ins(points, wins, stand_ins):
    """``stand_ins`` of the code points of each window ``points[lo:hi]`` of ``wins`` (``windows``; ``hi``
    clipped at the end of ``points``), concatenated."""
    n = points.size
    size = 0
    for w in range(wins.shape[0]):
        size += min(wins[w, 1], n) - wins[w, 0]
    out = np.empty(size, dtype=np.uint32)
    o = 0
    for w in range(wins.shape[0]):
        for p in range(wins[w, 0], min(wins[w, 1], n)):
            out[o] = stand_ins[points[p]]
            o += 1
    return out


@njit(cache=True, nogil=True)
def scan(points, flags, dirty_bit, trigger_bit):
    """``(dirty, triggers, space_runs, amp, nfc, starts, ends, blanks, mixed, several)`` of the text ``points``.

    dirty / triggers: the offsets whose ``flags`` have ``dirty_bit`` / ``trigger_bit``; space_runs:
    the start of each run of two or more " "; amp: whether "&" occurs; nfc: True when the text is
    certainly in NFC (no code point has ``_NOT_NFC_BIT``); starts/ends/blanks: each
    non-blank line's span trimmed of white space and whether a blank line precedes it (a blank
    segment at offset 0 opens no paragraph), lines ending at "\\r\\n", "\\n", "\\r", VT, FF, NEL, LS or PS;
    mixed: whether each line holds a Latin letter and a Cyrillic-block code point (``flags`` bits
    ``_SCRIPT_BITS``); several: how many code points casefold to several (``_SEVERAL_BIT``).

    The buffers are sized for a usual text first (a large fresh buffer costs more than the scan), and
    the scan is redone with buffers of the sizes found when one was too small.
    """
    room = points.size // 16 + 16
    found = _scan_into(points, flags, dirty_bit, trigger_bit, room, room, room, room)
    if found[10] > room or found[11] > room or found[12] > room or found[13] > room:
        found = _scan_into(points, flags, dirty_bit, trigger_bit, found[10], found[11], found[12], found[13])
    return found[:10]


@njit(cache=True, nogil=True)
def _scan_into(points, flags, dirty_bit, trigger_bit, room_hits, room_trig, room_runs, room_lines):
    """``scan`` into buffers of the given sizes, and how many hits, triggers, runs and lines there are
    (more than a buffer holds: only its first ones are kept)."""
    n = points.size
    hits = np.empty(room_hits, dtype=np.int64)
    nhits = 0
    trig = np.empty(room_trig, dtype=np.int64)
    ntrig = 0
    runs = np.empty(room_runs, dtype=np.int64)
    nruns = 0
    amp = False
    starts = np.empty(room_lines, dtype=np.int64)
    ends = np.empty(room_lines, dtype=np.int64)
    blanks = np.empty(room_lines, dtype=np.bool_)
    mixed = np.empty(room_lines, dtype=np.bool_)
    nlines = 0
    several = 0
    kinds = 0  # the flags of the current segment's code points, or-ed
    seen = 0  # those of the segments before
    blank = False
    seg = 0  # start of the current segment
    first = -1  # its first non-space character
    last = -1  # its last non-space character
    p = 0
    while p < n:
        cp = points[p]
        f = flags[cp]
        if f & dirty_bit:
            if nhits < room_hits:
                hits[nhits] = p
            nhits += 1
        if f & trigger_bit:
            if ntrig < room_trig:
                trig[ntrig] = p
            ntrig += 1
        if f & _SEVERAL_BIT:
            several += 1
        kinds |= f
        if cp == 0x20:
            if p + 1 < n and points[p + 1] == 0x20 and (p == 0 or points[p - 1] != 0x20):
                if nruns < room_runs:
                    runs[nruns] = p
                nruns += 1
        elif cp == 0x26:
            amp = True
        if not f & _SPACE_BIT:
            if first < 0:
                first = p
            last = p
        elif _line_end(cp):
            if cp == 13 and p + 1 < n and points[p + 1] == 10:
                p += 1
            if first >= 0:
                if nlines < room_lines:
                    starts[nlines] = first
                    ends[nlines] = last + 1
                    blanks[nlines] = blank
                    mixed[nlines] = kinds & _SCRIPT_BITS == _SCRIPT_BITS
                nlines += 1
                blank = False
            elif seg > 0:
                blank = True
            seg = p + 1
            first = -1
            seen |= kinds
            kinds = 0
        p += 1
    if first >= 0:
        if nlines < room_lines:
            starts[nlines] = first
            ends[nlines] = last + 1
            blanks[nlines] = blank
            mixed[nlines] = kinds & _SCRIPT_BITS == _SCRIPT_BITS
        nlines += 1
    nfc = (seen | kinds) & _NOT_NFC_BIT == 0
    return (hits[:nhits], trig[:ntrig], runs[:nruns], amp, nfc, starts[:nlines], ends[:nlines], blanks[:nlines],
            mixed[:nlines], several, nhits, ntrig, nruns, nlines)


@njit(cache=True, nogil=True)
def scan_keys(points, flags, dirty_bit, trigger_bit, widest, classes, to_cyr, to_lat, own_lat, own_cyr,
              single, fold_offsets, fold_points):
    """``scan`` and then ``_keys_kernel.line_keys`` of the lines found, in one call: the key of each
    line as it is (``segment.to_blocks`` keys again the lines repair changes)."""
    dirty, triggers, runs, amp, nfc, starts, ends, blanks, mixed, several = scan(points, flags, dirty_bit,
                                                                                 trigger_bit)
    keys, ok = line_keys(points, starts, ends, mixed, several, widest, classes, to_cyr, to_lat, own_lat,
                         own_cyr, single, fold_offsets, fold_points)
    return dirty, triggers, runs, amp, nfc, starts, ends, blanks, keys, ok
