"""Hard-wrapped text: lines of a fixed width that continue each other make one paragraph.

Plain-text dumps often wrap paragraphs at 60-80 characters; classifying each wrapped line
alone would see a run of short lines without sentence ends (a "headline list"). When a
document looks wrapped, consecutive lines are joined back into paragraphs for classification.
"""
from __future__ import annotations

from bisect import bisect_left, bisect_right
from itertools import accumulate
from typing import Sequence

from cleantext.text.segment import Block

MAX_WIDTH = 120  # a wrapped document's width is at most this long
MIN_LINES = 4  # fewer lines than this are never taken for wrapped text
NEAR_WIDTH = 0.75  # most lines of a wrapped paragraph fill at least this share of the width
FULL_SHARE = 0.5  # ... and such lines hold at least this share of the document's characters


def wrap_width(lengths: Sequence[int]) -> int | None:
    """The width W (<= MAX_WIDTH) whose lines of NEAR_WIDTH * W to W characters hold the most
    characters (the smallest such W), or None when they hold less than FULL_SHARE of all or
    are fewer than MIN_LINES. Unwrapped lines (menus, long headlines) may come around them."""
    ls = sorted(lengths)
    chars = [0, *accumulate(ls)]
    if chars[bisect_right(ls, MAX_WIDTH)] < FULL_SHARE * chars[-1]:
        return None  # the lines up to MAX_WIDTH long are too few for any width: prose
    width, best = None, 0
    for w in sorted({n for n in ls if n <= MAX_WIDTH}):
        lo, hi = bisect_left(ls, NEAR_WIDTH * w), bisect_right(ls, w)
        if hi - lo >= MIN_LINES and chars[hi] - chars[lo] > best:
            width, best = w, chars[hi] - chars[lo]
    return width if best >= FULL_SHARE * chars[-1] else None


def wrapped_units(blocks: Sequence[Block], skip: Sequence[bool]) -> list[tuple[int, int]] | None:
    """[start, end) block spans of the paragraphs of a hard-wrapped document, or None when the
    document is not wrapped. ``skip[i]`` lines (already removed by a rule) stand alone."""
    lengths = [len(b.text) for b in blocks]
    width = wrap_width(lengths) if len(lengths) >= MIN_LINES else None
    return None if width is None else paragraph_units(blocks, skip, lengths, width)


def paragraph_units(blocks: Sequence[Block], skip: Sequence[bool], lengths: Sequence[int],
                    width: int) -> list[tuple[int, int]]:
    """``wrapped_units`` of a document wrapped at ``width`` (``lengths``: of the blocks' texts)."""
    units: list[tuple[int, int]] = []
    i, n = 0, len(blocks)
    while i < n:
        j = i + 1
        if not skip[i]:
            # a line filling the width (not longer) continues into the next one, unless a
            # blank line or a removed line comes between
            while (j < n and not skip[j] and not blocks[j].blank_before
                   and NEAR_WIDTH * width * 0.8 <= lengths[j - 1] <= width):
                j += 1
        units.append((i, j))
        i = j
    return units
