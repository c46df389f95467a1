"""Hard-wrapped text: lines of a fixed width that continue each other make one paragraph.

Plain-text dumps often wrap paragraphs at 60-80 characters; classifying each wrapped line
alone would see a run of short lines without sentence ends (a "headline list"). When a
document looks wrapped, consecutive lines are joined back into paragraphs for classification.
"""
from __future__ import annotations

from typing import Sequence

from cleantext.text.segment import Block

MAX_WIDTH = 120  # a wrapped document's longest line is at most this long
MIN_LINES = 4  # fewer lines than this are never taken for wrapped text
NEAR_WIDTH = 0.75  # most lines of a wrapped paragraph fill at least this share of the width
FULL_SHARE = 0.5  # ... and at least this share of the document's lines do


def wrapped_units(blocks: Sequence[Block], skip: Sequence[bool]) -> list[tuple[int, int]] | None:
    """[start, end) block spans of the paragraphs of a hard-wrapped document, or None when the
    document is not wrapped. ``skip[i]`` lines (already removed by a rule) stand alone."""
    lengths = [len(b.text) for b in blocks]
    if len(lengths) < MIN_LINES:
        return None
    width = max(lengths)
    if width > MAX_WIDTH or sum(n >= NEAR_WIDTH * width for n in lengths) < FULL_SHARE * len(lengths):
        return None
    units: list[tuple[int, int]] = []
    i, n = 0, len(blocks)
    while i < n:
        j = i + 1
        if not skip[i]:
            # a line filling the width continues into the next one, unless a blank line or a
            # removed line comes between
            while (j < n and not skip[j] and not blocks[j].blank_before
                   and lengths[j - 1] >= NEAR_WIDTH * width * 0.8):
                j += 1
        units.append((i, j))
        i = j
    return units
