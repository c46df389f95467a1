"""The words of documents' kept blocks, for passage matching: key hashes and raw spans, a batch at a time.

A word is a match of ``TOKEN`` in a block's text: a grouped number ("1 500", "2 334 000"), a number
with a decimal part, or a ``\\w+`` run; no word spans two blocks. Its key is the word of the
homoglyph-folded text (``text.keys.fold_homoglyphs``, line by line, letter for letter: the same
split), casefolded, "ё" as "е", a grouped number's spaces dropped ("1 500" is "1500"); its hash
is ``shingle.word_hashes`` of the key. Its raw span comes from ``Block.raw_offset``.

The whole batch is one array of code points handled by the compiled kernels (``_word_kernel``);
the tests compare them with these definitions.
"""
from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from itertools import chain

import numpy as np

from cleantext.dedup import _word_kernel
from cleantext.dedup.shingle import _char_classes
from cleantext.text.keys import _CYRILLIC_OWN, _LAT_CYR, _LATIN_OWN, fold_homoglyphs
from cleantext.text.segment import Block

__all__ = ["TOKEN", "BatchWords", "batch_words"]

# A grouped number ("1 500", "2 334 000"), a number with a decimal part, or a \w+ run.
TOKEN = re.compile(r"(?<![\d.,])\d{1,3}(?:[ \u00a0\u202f\u2009]\d{3})+(?!\d)|\d+(?:[.,]\d+)+|\w+")
CASED_LIMIT = 0x20000  # casefold changes no code point from here on


@dataclass(slots=True)
class BatchWords:
    """The words of a batch of documents, in order, as flat arrays."""

    hashes: np.ndarray  # per word: the hash of its key (uint64)
    starts: np.ndarray  # per word: raw offset of its first character (int32: documents are < 2 GB)
    ends: np.ndarray  # per word: raw offset just past it
    word_start: np.ndarray  # per document: index of its first word (plus the end)
    per_block: np.ndarray  # per kept block of every document in turn: its number of words
    doc_blocks: np.ndarray  # per document: index of its first block (plus the end)


@lru_cache(maxsize=1)
def _casefold_table() -> tuple[np.ndarray, np.ndarray]:
    """``(offsets, code points)``: code point c below ``CASED_LIMIT`` casefolded, "ё" as "е", is
    ``cps[offsets[c]:offsets[c + 1]]`` (one ``str.casefold`` of them all, "\\0"-separated); casefold
    leaves the code points above (tested)."""
    spaced = np.zeros(2 * CASED_LIMIT, dtype=np.uint32)
    spaced[0::2] = np.arange(CASED_LIMIT, dtype=np.uint32)
    folded = np.frombuffer(spaced.tobytes().decode("utf-32-le", "surrogatepass").casefold()
                           .encode("utf-32-le", "surrogatepass"), dtype=np.uint32)[2:]  # after "\0" "\0"
    seps = np.flatnonzero(folded == 0)
    if seps.size != CASED_LIMIT - 1:
        raise RuntimeError("casefold made a NUL character")
    lengths = np.diff(np.append(-1, seps)) - 1
    offsets = np.ones(CASED_LIMIT + 1, dtype=np.int64)
    offsets[0] = 0
    np.cumsum(lengths, out=offsets[2:])
    offsets[2:] += 1
    cps = np.concatenate(([0], folded[folded != 0])).astype(np.uint32)
    cps[cps == ord("ё")] = ord("е")
    return offsets, cps


@lru_cache(maxsize=1)
def _fold_tables() -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Look-alike tables for ``_word_kernel.fold_lines``, from ``text.keys``'s definitions."""
    to_cyr = np.zeros(0x80, dtype=np.uint32)
    to_lat = np.zeros(0x100, dtype=np.uint32)
    for lat, cyr in _LAT_CYR.items():
        to_cyr[ord(lat)] = ord(cyr)
        to_lat[ord(cyr) - 0x400] = ord(lat)
    own_lat = np.array([_LATIN_OWN.match(chr(c)) is not None for c in range(0x80)])
    own_cyr = np.array([_CYRILLIC_OWN.match(chr(c)) is not None for c in range(0x400, 0x500)])
    return to_cyr, to_lat, own_lat, own_cyr


def _code_points(s: str) -> np.ndarray:
    return np.frombuffer(s.encode("utf-32-le", "surrogatepass"), dtype=np.uint32).copy()


def batch_words(blocks_per_doc: Sequence[Sequence[Block]]) -> BatchWords:
    """The words of each document's kept blocks (see the module docstring)."""
    blocks = [b for doc in blocks_per_doc for b in doc]
    texts = [b.text for b in blocks]
    joined = "\n".join(texts)
    text = _code_points(joined)
    classes = _char_classes()
    if not _word_kernel.fold_lines(text, classes, *_fold_tables()):  # a rare line the kernel leaves to Python
        text = _code_points(fold_homoglyphs(joined))
    lengths = np.fromiter(map(len, texts), dtype=np.int64, count=len(texts))
    pos = np.zeros(len(texts), dtype=np.int64)
    np.cumsum(lengths[:-1] + 1, out=pos[1:])
    given = [b.offsets for b in blocks if b.offsets is not None]
    off_len = np.array([-1 if b.offsets is None else len(b.offsets) for b in blocks], dtype=np.int64)
    off_base = np.where(off_len < 0, -1, np.cumsum(np.maximum(off_len, 0)) - np.maximum(off_len, 0))
    offsets = np.fromiter(chain.from_iterable(given), dtype=np.int64)
    hashes, starts, ends, per_block = _word_kernel.block_words(
        text, pos, lengths, np.array([b.start for b in blocks], dtype=np.int64),
        np.array([b.end for b in blocks], dtype=np.int64), off_base, offsets, classes, *_casefold_table())
    doc_blocks = np.zeros(len(blocks_per_doc) + 1, dtype=np.int64)
    np.cumsum(np.fromiter(map(len, blocks_per_doc), dtype=np.int64, count=len(blocks_per_doc)), out=doc_blocks[1:])
    block_word = np.zeros(per_block.size + 1, dtype=np.int64)  # per block: index of its first word
    np.cumsum(per_block, out=block_word[1:])
    word_start = block_word[doc_blocks]
    return BatchWords(hashes, starts, ends, word_start, per_block, doc_blocks)
