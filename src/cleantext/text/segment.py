"""Split raw text into blocks (non-blank lines) with their character offsets.

Segmentation runs on the raw text, before repair, so every block knows where it came
from; each block is then repaired on its own (see ``text.repair``) and carries a map from
its repaired text back to raw offsets.  A document in which repair finds nothing to look
at (no ``suspects``) goes from its lines to blocks without any per-line Python work.
"""
from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from itertools import accumulate, compress, repeat
from operator import add, not_, sub
from typing import Iterable, Iterator, NamedTuple

from cleantext.config import RepairConfig
from cleantext.text.keys import spaced_keys
from cleantext.text.repair import SOFT_SPACES, repair, spaced_repair, suspects, unchanged

# \r\n, \r, \n and the Unicode line/paragraph separators all end a line.
_LINE_END = re.compile(r"\r\n|[\n\r\u2028\u2029\x0b\x0c\x85]")
_NOT_A_LINE_END = re.compile("[\x1c-\x1e]")  # str.splitlines ends lines there too
_RARE_ENDS = "\u2028\u2029\x0b\x0c\x85"
_RARE_LINE_END = re.compile(f"[{_RARE_ENDS}]")

Columns = tuple[list[int], list[int], list[str], list[bool]]  # starts, ends, texts, blank_before


@dataclass(frozen=True, slots=True)
class Line:
    """A non-blank line of the raw text, trimmed of surrounding white space."""

    start: int  # offset of the first non-space character in the raw text
    end: int  # offset just past the last non-space character
    text: str  # raw[start:end]
    blank_before: bool  # a blank line (paragraph break) precedes it


def _spans(raw: str) -> list[tuple[int, int, str, bool]]:
    """(start, end, text, blank_before) of each non-blank line, for any mix of line ends."""
    if _NOT_A_LINE_END.search(raw) is None:  # str.splitlines ends lines exactly where we do
        segs = raw.splitlines(keepends=True)
    else:
        stops = [m.end() for m in _LINE_END.finditer(raw)]
        segs = [raw[a:b] for a, b in zip([0] + stops, stops + [len(raw)])]
    out: list[tuple[int, int, str, bool]] = []
    blank = False
    pos = 0
    for seg in segs:
        stripped = seg.strip()  # line ends are white space too
        if stripped:
            start = pos + seg.find(stripped[0])
            out.append((start, start + len(stripped), stripped, blank))
            blank = False
        elif pos > 0:
            blank = True
        pos += len(seg)
    return out


def _line_end(raw: str, rare: bool) -> str | None:
    """The one kind of line end ``raw`` uses ("\\n", "\\r\\n" or "\\r"), or None for a mix;
    ``rare``: look for the rarer line ends too (a text without ``suspects`` holds none)."""
    if rare and _RARE_LINE_END.search(raw) is not None:
        return None
    if "\r" not in raw:
        return "\n"
    if "\n" not in raw:
        return "\r"
    crlf = raw.count("\r\n")
    return "\r\n" if crlf == raw.count("\r") == raw.count("\n") else None


def _columns(raw: str, rare: bool = True, plain: bool = False) -> Columns:
    """Starts, ends, texts and blank_before of the non-blank lines (see ``Line``), by column:
    str.split and C-level maps when ``raw`` uses one kind of line end.  ``rare``: ``raw`` may
    hold a rare line end; ``plain``: its only white space is " " and line ends."""
    sep = _line_end(raw, rare)
    if sep is None:
        spans = _spans(raw)
        return ([s[0] for s in spans], [s[1] for s in spans], [s[2] for s in spans],
                [s[3] for s in spans])
    segs = raw.split(sep)
    stripped = list(map(str.strip, segs))
    sizes = list(map(len, stripped))
    firsts = accumulate(map(add, map(len, segs), repeat(len(sep))), initial=0)
    if not plain or raw[:1] == " " or sep + " " in raw:  # some line may start with white space
        firsts = map(add, firsts, map(sub, map(len, segs), map(len, map(str.lstrip, segs))))
    starts = list(compress(firsts, sizes))
    texts = list(compress(stripped, sizes))
    # a blank segment after the first one (a line end at offset 0 opens no paragraph) precedes
    blanks = list(compress([False, False, *map(not_, sizes[1:-1])], sizes))
    return starts, list(map(add, starts, map(len, texts))), texts, blanks


def split_lines(raw: str) -> Iterator[Line]:
    """Yield the non-blank lines of ``raw`` with their offsets, in order."""
    for start, end, text, blank in zip(*_columns(raw)):
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


def _repaired(raw: str, cols: Columns, marks: list[int] | None, cfg: RepairConfig
              ) -> tuple[list[str], list[tuple[int, ...] | None]]:
    """The repaired text and offsets of each line: only the lines holding one of the
    ``suspects`` ``marks`` (every line when no line is certain: None) go through ``repair``."""
    texts = cols[2]
    out = list(texts)
    offsets: list[tuple[int, ...] | None] = [None] * len(texts)
    todo = ((i, None) for i in range(len(texts))) if marks is None else _marked_lines(cols[0], cols[1], marks)
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
    marks = suspects(raw, cfg)
    if marks == []:  # no line changes
        starts, ends, texts, blanks = _columns(raw, rare=False, plain=True)
        return list(map(_new, repeat(Block), zip(starts, ends, texts, texts, spaced_keys(texts), blanks,
                                                 repeat(None))))
    # a rare line end is white space other than " ", so a mark when there are marks
    cols = _columns(raw, rare=marks is None or any(raw[m] in _RARE_ENDS for m in marks))
    starts, ends, texts, blanks = cols
    out, offsets = _repaired(raw, cols, marks, cfg)
    rows = zip(starts, ends, texts, out, blanks, offsets)
    if "" in out:
        kept: list[tuple[int, int, str, str, bool, tuple[int, ...] | None]] = []
        pending_blank = False
        for start, end, line, text, blank, offs in rows:
            if not text:
                pending_blank = bool(kept)
                continue
            kept.append((start, end, line, text, blank or pending_blank, offs))
            pending_blank = False
        starts, ends, texts, out, blanks, offsets = map(list, zip(*kept)) if kept else ([],) * 6
    return list(map(_new, repeat(Block), zip(starts, ends, texts, out, spaced_keys(out), blanks, offsets)))


def join_blocks(blocks: Iterable[Block]) -> str:
    """The text of ``blocks``: a blank line before a block that had one, else a newline."""
    parts: list[str] = []
    for block in blocks:
        if parts:
            parts.append("\n\n" if block.blank_before else "\n")
        parts.append(block.text)
    return "".join(parts)
