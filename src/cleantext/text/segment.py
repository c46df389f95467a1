"""Split raw text into blocks (non-blank lines) with their character offsets.

Segmentation runs on the raw text, before repair, so every block knows where it came
from; each block is then repaired on its own (see ``text.repair``) and carries a map from
its repaired text back to raw offsets.  One compiled call (``_scan_kernel.scan_keys``) finds the
lines, what repair must look at and the matching key of each line as it is; a document with nothing
to look at (no ``suspects``) goes from its lines to blocks without any per-line Python work, and only
the lines repair changes are keyed again.
"""
from __future__ import annotations

from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from itertools import repeat
from typing import Iterable, Iterator, NamedTuple

from cleantext.config import RepairConfig
from cleantext.text import _scan_kernel
from cleantext.text.keys import decode_keys, key_tables, spaced_keys
from cleantext.text.repair import (SOFT_SPACES, code_points, marks, repair, scan, scan_args, spaced_repair,
                                   unchanged)

Columns = tuple[list[int], list[int], list[str], list[bool]]  # starts, ends, texts, blank_before
_NO_MARKS = RepairConfig(fast_path=False)  # ``scan`` for the lines only


@dataclass(frozen=True, slots=True)
class Line:
    """A non-blank line of the raw text, trimmed of surrounding white space.

    Lines end at "\\r\\n", "\\n", "\\r", VT, FF, NEL, LS and PS (``str.splitlines`` without the
    information separators); white space is ``str.isspace``."""

    start: int  # offset of the first non-space character in the raw text
    end: int  # offset just past the last non-space character
    text: str  # raw[start:end]
    blank_before: bool  # a blank line (paragraph break) precedes it


def _texts(raw: str, starts: list[int], ends: list[int]) -> list[str]:
    return list(map(raw.__getitem__, map(slice, starts, ends)))


def split_lines(raw: str) -> Iterator[Line]:
    """Yield the non-blank lines of ``raw`` with their offsets, in order."""
    _, starts, ends, blanks = scan(raw, _NO_MARKS)
    for start, end, text, blank in zip(starts, ends, _texts(raw, starts, ends), blanks):
        yield Line(start, end, text, blank)


class Block(NamedTuple):
    """A line after repair: what the stages look at, with the way back to raw offsets.

    A named tuple (immutable; ``block._replace(text=...)`` for a changed copy): the pipeline makes
    one per line, and a tuple is built and pickled several times faster than a dataclass."""

    start: int  # raw span of the line
    end: int
    raw: str  # raw[start:end]
    text: str  # repaired, white space normalised
    key: str  # matching key of ``text`` (text.keys.matching_key): for hashing and comparison only
    blank_before: bool
    offsets: tuple[int, ...] | None = None  # offsets[i]: raw offset (from start) of text[i]; None: identity

    def raw_offset(self, i: int) -> int:
        """The absolute raw offset of index ``i`` of ``text`` (``i == len(text)`` maps to ``end``)."""
        if i >= len(self.text):
            return self.end
        if self.offsets is None:
            return self.start + i
        return self.start + self.offsets[i]


_new = tuple.__new__


def _marked_lines(starts: list[int], ends: list[int], marks: list[int]) -> Iterator[tuple[int, list[int]]]:
    """(line index, its marks) of each line holding one of the sorted ``marks``."""
    i = k = 0
    while k < len(marks):
        i = bisect_right(ends, marks[k], i)  # the first line ending after the mark
        if i == len(ends):
            return
        if starts[i] > marks[k]:  # the mark lies between lines
            k = bisect_left(marks, starts[i], k)
            continue
        stop = bisect_left(marks, ends[i], k)
        yield i, marks[k:stop]
        k = stop


def _repaired(raw: str, cols: Columns, found: list[int] | None, cfg: RepairConfig
              ) -> tuple[list[str], list[tuple[int, ...] | None]]:
    """The repaired text and offsets of each line: only the lines holding one of the
    ``suspects`` ``found`` (every line when no line is certain: None) go through ``repair``."""
    texts = cols[2]
    out = list(texts)
    offsets: list[tuple[int, ...] | None] = [None] * len(texts)
    todo = ((i, None) for i in range(len(texts))) if found is None else _marked_lines(cols[0], cols[1], found)
    for i, line_marks in todo:
        line = texts[i]
        soft = line_marks is not None and all(raw[m] in SOFT_SPACES for m in line_marks)
        if not soft and unchanged(line, cfg):  # a soft space is never unchanged
            continue
        if soft and (fast := spaced_repair(line, cfg)) is not None:
            out[i], offsets[i] = fast
        else:
            out[i], offsets[i] = repair(line, cfg)
    return out, offsets


def to_blocks(raw: str, cfg: RepairConfig = RepairConfig()) -> list[Block]:
    """Split ``raw`` into lines, repair each and key it; lines that repair to nothing are
    dropped and count as a paragraph break."""
    points = code_points(raw)
    dirty, triggers, runs, amp, nfc, starts_a, ends_a, blanks_a, key, ok = _scan_kernel.scan_keys(
        points, *scan_args(cfg), *key_tables())
    found = marks(raw, points, dirty, triggers, runs, amp, nfc, cfg)
    starts, ends, blanks = starts_a.tolist(), ends_a.tolist(), blanks_a.tolist()
    texts = _texts(raw, starts, ends)
    keys = decode_keys(key) if ok else None  # of each line as it is
    if found == []:  # no line changes
        if keys is None:
            keys = spaced_keys(texts)
        return list(map(_new, repeat(Block), zip(starts, ends, texts, texts, keys, blanks, repeat(None))))
    out, offsets = _repaired(raw, (starts, ends, texts, blanks), found, cfg)
    if keys is None:
        keys = spaced_keys(out)
    else:
        changed = [i for i, offs in enumerate(offsets) if offs is not None]
        for i, changed_key in zip(changed, spaced_keys([out[i] for i in changed])):
            keys[i] = changed_key
    rows = zip(starts, ends, texts, out, keys, blanks, offsets)
    if "" not in out:
        return list(map(_new, repeat(Block), rows))
    blocks: list[Block] = []
    pending_blank = False
    for start, end, line, text, line_key, blank, offs in rows:
        if not text:
            pending_blank = bool(blocks)
            continue
        blocks.append(Block(start, end, line, text, line_key, blank or pending_blank, offs))
        pending_blank = False
    return blocks


def join_blocks(blocks: Iterable[Block]) -> str:
    """The text of ``blocks``: a blank line before a block that had one, else a newline."""
    parts: list[str] = []
    for block in blocks:
        if parts:
            parts.append("\n\n" if block.blank_before else "\n")
        parts.append(block.text)
    return "".join(parts)
