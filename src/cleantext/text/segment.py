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
from cleantext.text.keys import matching_key
from cleantext.text.repair import repair

# \r\n, \r, \n and the Unicode line/paragraph separators all end a line.
_LINE_END = re.compile(r"\r\n|[\n\r\u2028\u2029\x0b\x0c\x85]")


@dataclass(frozen=True, slots=True)
class Line:
    """A non-blank line of the raw text, trimmed of surrounding white space."""

    start: int  # offset of the first non-space character in the raw text
    end: int  # offset just past the last non-space character
    text: str  # raw[start:end]
    blank_before: bool  # a blank line (paragraph break) precedes it


def split_lines(raw: str) -> Iterator[Line]:
    """Yield the non-blank lines of ``raw`` with their offsets, in order."""
    pos = 0
    blank = False
    n = len(raw)
    while pos <= n:
        m = _LINE_END.search(raw, pos)
        stop = m.start() if m else n
        seg = raw[pos:stop]
        stripped = seg.strip()
        if stripped:
            lead = len(seg) - len(seg.lstrip())
            start = pos + lead
            yield Line(start, start + len(stripped), stripped, blank)
            blank = False
        elif pos > 0:
            blank = True
        if m is None:
            break
        pos = m.end()


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


def to_blocks(raw: str, cfg: RepairConfig = RepairConfig()) -> list[Block]:
    """Split ``raw`` into lines, repair each and key it; lines that repair to nothing are
    dropped and count as a paragraph break."""
    blocks: list[Block] = []
    pending_blank = False
    for line in split_lines(raw):
        text, offsets = repair(line.text, cfg)
        if not text:
            pending_blank = bool(blocks)
            continue
        blocks.append(Block(line.start, line.end, line.text, text, matching_key(text),
                            line.blank_before or pending_blank, offsets))
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
