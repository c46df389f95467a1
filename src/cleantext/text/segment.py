"""Split raw text into blocks (non-blank lines) with their character offsets.

Segmentation runs on the raw text, before repair, so every block knows where it came
from; each block is then repaired on its own (see ``text.repair``) and carries a map from
its repaired text back to raw offsets.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Iterable, Iterator

from cleantext.config import RepairConfig
from cleantext.text.keys import spaced_keys
from cleantext.text.repair import SOFT_SPACES, repair, spaced_repair, suspects, unchanged

# \r\n, \r, \n and the Unicode line/paragraph separators all end a line.
_LINE_END = re.compile(r"\r\n|[\n\r\u2028\u2029\x0b\x0c\x85]")
_NOT_A_LINE_END = re.compile("[\x1c-\x1e]")  # str.splitlines ends lines there too


@dataclass(frozen=True, slots=True)
class Line:
    """A non-blank line of the raw text, trimmed of surrounding white space."""

    start: int  # offset of the first non-space character in the raw text
    end: int  # offset just past the last non-space character
    text: str  # raw[start:end]
    blank_before: bool  # a blank line (paragraph break) precedes it


def _spans(raw: str) -> list[tuple[int, int, str, bool]]:
    """(start, end, text, blank_before) of each non-blank line: what ``split_lines`` yields."""
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


def split_lines(raw: str) -> Iterator[Line]:
    """Yield the non-blank lines of ``raw`` with their offsets, in order."""
    for start, end, text, blank in _spans(raw):
        yield Line(start, end, text, blank)


@dataclass(frozen=True, slots=True)
class Block:
    """A line after repair: what the stages look at, with the way back to raw offsets."""

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


def _soft_only(raw: str, marks: list[int], j: int, end: int) -> bool:
    """Whether every mark from ``marks[j]`` up to ``end`` is at one of ``SOFT_SPACES``."""
    while j < len(marks) and marks[j] < end:
        if raw[marks[j]] not in SOFT_SPACES:
            return False
        j += 1
    return True


def to_blocks(raw: str, cfg: RepairConfig = RepairConfig()) -> list[Block]:
    """Split ``raw`` into lines, repair each and key it; lines that repair to nothing are
    dropped and count as a paragraph break."""
    spans = _spans(raw)
    marks = suspects(raw, cfg)
    if marks == []:  # no line changes: no per-line repair
        texts = [text for _, _, text, _ in spans]
        return [Block(start, end, text, text, key, blank, None)
                for (start, end, text, blank), key in zip(spans, spaced_keys(texts))]
    rows: list[tuple[int, int, str, str, bool, tuple[int, ...] | None]] = []
    pending_blank = False
    j = 0
    for start, end, line, blank in spans:
        if marks is not None:
            while j < len(marks) and marks[j] < start:
                j += 1
        soft = marks is not None and _soft_only(raw, marks, j, end)  # a soft space is never unchanged
        if marks is not None and (j == len(marks) or marks[j] >= end) or not soft and unchanged(line, cfg):
            text, offsets = line, None
        elif soft and (fast := spaced_repair(line, cfg)) is not None:
            text, offsets = fast
        else:
            text, offsets = repair(line, cfg)
        if not text:
            pending_blank = bool(rows)
            continue
        rows.append((start, end, line, text, blank or pending_blank, offsets))
        pending_blank = False
    keys = spaced_keys([row[3] for row in rows])
    return [Block(start, end, line, text, key, blank, offsets)
            for (start, end, line, text, blank, offsets), key in zip(rows, keys)]


def join_blocks(blocks: Iterable[Block]) -> str:
    """The text of ``blocks``: a blank line before a block that had one, else a newline."""
    parts: list[str] = []
    for block in blocks:
        if parts:
            parts.append("\n\n" if block.blank_before else "\n")
        parts.append(block.text)
    return "".join(parts)
