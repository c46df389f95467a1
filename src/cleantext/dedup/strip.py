"""``--strip-passages``: cut from a document the passages another (earlier canonical) document holds.

Cuts follow sentence boundaries inside the kept blocks: a sentence is cut when at least half of its
raw characters lie inside a shared passage's raw span, so a cut never splits a word or a sentence.
A block whose sentences are all cut disappears; the others keep their remaining sentences, joined
by a space. Every cut run of sentences becomes a ``Removal`` with reason "dedup:passage" (score: the
passage similarity) and a note "dedup:passage START-END: also in OTHER_ID OTHER_START-OTHER_END".
"""
from __future__ import annotations

import re
from collections.abc import Sequence

from cleantext.document import Document, PassageMatch, Removal
from cleantext.text.keys import matching_key
from cleantext.text.segment import Block, join_blocks

__all__ = ["sentence_spans", "strip_passages"]

# A sentence ends after . ! ? … (and closing quotes/brackets) followed by white space.
_SENTENCE_END = re.compile(r"[.!?…]+[\"'»”’)\]]*(?=\s)")


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """[start, end) of each sentence of ``text`` (leading/trailing white space excluded)."""
    spans: list[tuple[int, int]] = []
    pos = 0
    for m in _SENTENCE_END.finditer(text):
        spans.append((pos, m.end()))
        pos = m.end()
    spans.append((pos, len(text)))
    out = []
    for s, e in spans:
        while s < e and text[s].isspace():
            s += 1
        while e > s and text[e - 1].isspace():
            e -= 1
        if e > s:
            out.append((s, e))
    return out


def _cut_of(block: Block, s: int, e: int, cuts: Sequence[PassageMatch]) -> PassageMatch | None:
    """The cut covering at least half of the sentence text[s:e] (in raw characters), if any."""
    rs, re_ = block.raw_offset(s), block.raw_offset(e)
    length = max(1, re_ - rs)
    for cut in cuts:
        inside = min(re_, cut.end) - max(rs, cut.start)
        if inside * 2 >= length:
            return cut
    return None


def _rebuilt(block: Block, keep: list[tuple[int, int]]) -> Block:
    """``block`` with only the sentences ``keep`` (joined by one space), offsets mapped back."""
    parts: list[str] = []
    offsets: list[int] = []
    for k, (s, e) in enumerate(keep):
        if k:
            parts.append(" ")
            offsets.append(block.raw_offset(s) - block.start)
        parts.append(block.text[s:e])
        offsets.extend(block.raw_offset(i) - block.start for i in range(s, e))
    text = "".join(parts)
    return block._replace(text=text, key=matching_key(text), offsets=tuple(offsets))


def strip_passages(doc: Document, blocks: Sequence[Block], cuts: Sequence[PassageMatch]) -> list[Block]:
    """Cut the sentences covered by ``cuts`` from ``doc`` (text, removals, notes); return the kept blocks."""
    if not cuts:
        return list(blocks)
    kept_blocks: list[Block] = []
    removed: list[tuple[int, int, PassageMatch]] = []
    for block in blocks:
        spans = sentence_spans(block.text)
        keep: list[tuple[int, int]] = []
        for s, e in spans:
            cut = _cut_of(block, s, e, cuts)
            if cut is None:
                keep.append((s, e))
                continue
            rs, re_ = block.raw_offset(s), block.raw_offset(e)
            if removed and removed[-1][2] is cut and _only_space(doc.raw, removed[-1][1], rs):
                removed[-1] = (removed[-1][0], re_, cut)
            else:
                removed.append((rs, re_, cut))
        if keep == spans:
            kept_blocks.append(block)
        elif keep:
            kept_blocks.append(_rebuilt(block, keep))
    if not removed:
        return list(blocks)
    for rs, re_, cut in removed:
        doc.removed.append(Removal(rs, re_, "dedup:passage", doc.raw[rs:re_], cut.similarity))
        doc.notes.append(f"dedup:passage {rs}-{re_}: also in {cut.other_id} "
                         f"{cut.other_start}-{cut.other_end}")
    doc.removed.sort(key=lambda r: (r.start, r.end, r.reason))
    doc.text = join_blocks(kept_blocks)
    return kept_blocks


def _only_space(raw: str, a: int, b: int) -> bool:
    return a <= b and not raw[a:b].strip()
