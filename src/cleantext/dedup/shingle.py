"""Word shingles -> deterministic 32-bit hashes (numpy, vectorised over a whole batch of documents).

A word's hash is a polynomial over its UTF-8 bytes (mod 2^64) passed through the MurmurHash3 64-bit
finalizer; a shingle's hash is the Horner combination of its words' hashes, finalized again, and its top
32 bits are kept. Nothing depends on Python's randomised ``hash()``: the values are the same in every
process, run and platform.
"""
from __future__ import annotations

from collections.abc import Sequence

import re

import numpy as np

from cleantext.text.keys import words

try:  # the compiled kernels compute the same values, faster
    from cleantext.dedup import _kernels
except ImportError:  # numba is optional
    _kernels = None

__all__ = ["hashed_sequences_batch", "shingle_hashes", "shingle_hashes_batch", "shingle_sequence",
           "shingle_sequences_batch", "shingle_hashes_lines", "shingle_hashes_texts", "unique_per_doc",
           "word_hashes"]

_U64 = np.uint64
_P = _U64(0x100000001B3)  # FNV-1a 64-bit prime: the byte polynomial's base
_Q = _U64(0x9E3779B97F4A7C15)  # golden-ratio constant: the shingle polynomial's base
_LEN = _U64(0xC2B2AE3D27D4EB4F)  # mixes the word length into its hash
_SEP = 0x0A  # words are joined with "\n" to be encoded in one call
_pow_table = np.ones(1, dtype=np.uint64)
_classes: np.ndarray | None = None  # code point classes for the compiled tokenizer (built on first use)


def fmix64(h: np.ndarray) -> np.ndarray:
    """MurmurHash3's 64-bit finalizer (an avalanching bijection), element-wise with wrap-around."""
    h = h ^ (h >> _U64(33))
    h = h * _U64(0xFF51AFD7ED558CCD)
    h = h ^ (h >> _U64(33))
    h = h * _U64(0xC4CEB9FE1A85EC53)
    return h ^ (h >> _U64(33))


def _powers(n: int) -> np.ndarray:
    """P**k mod 2**64 for k < n (cached, grown on demand)."""
    global _pow_table
    if _pow_table.size < n:
        size = max(n, 2 * _pow_table.size)
        table = np.full(size, _P, dtype=np.uint64)
        table[0] = 1
        _pow_table = np.cumprod(table, dtype=np.uint64)
    return _pow_table[:n]


def _encode(words: Sequence[str]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """All words' UTF-8 bytes in one buffer, with each word's start and byte length."""
    buf = np.frombuffer("\n".join(words).encode("utf-8", "surrogatepass"), dtype=np.uint8)
    seps = np.flatnonzero(buf == _SEP)
    starts = np.zeros(len(words), dtype=np.int64)
    if seps.size == len(words) - 1:
        starts[1:] = seps + 1
        return buf, starts, np.diff(np.append(starts, buf.size + 1)) - 1
    # a word holds the separator itself: encode word by word, without separators
    encoded = [w.encode("utf-8", "surrogatepass") for w in words]
    lengths = np.fromiter(map(len, encoded), dtype=np.int64, count=len(encoded))
    np.cumsum(lengths[:-1], out=starts[1:])
    return np.frombuffer(b"".join(encoded), dtype=np.uint8), starts, lengths


def _word_hashes_numpy(buf: np.ndarray, starts: np.ndarray, lengths: np.ndarray) -> np.ndarray:
    """Horner hash ``h = h * P + (byte + 1)`` of every word's bytes, then fmix64 with its length mixed in."""
    region = np.diff(np.append(starts, buf.size))  # a word's bytes plus the separator after it
    inside = np.arange(buf.size) - np.repeat(starts, region)
    rev = np.repeat(lengths, region) - 1 - inside  # power of P for each byte; -1 on separators
    contrib = np.zeros(buf.size + 1, dtype=np.uint64)
    contrib[:-1] = (buf.astype(np.uint64) + _U64(1)) * _powers(int(lengths.max(initial=0)) + 1)[np.maximum(rev, 0)]
    contrib[:-1][rev < 0] = 0
    sums = np.add.reduceat(contrib, starts)
    sums[lengths == 0] = 0  # reduceat gives an empty segment the next element, not 0
    return fmix64(sums ^ (lengths.astype(np.uint64) * _LEN))


def word_hashes(words: Sequence[str]) -> np.ndarray:
    """A 64-bit hash per word (uint64 array, same order), from the word's UTF-8 bytes."""
    if not words:
        return np.empty(0, dtype=np.uint64)
    buf, starts, lengths = _encode(words)
    if _kernels is not None:
        return _kernels.word_hashes(buf, starts, lengths)
    return _word_hashes_numpy(buf, starts, lengths)


def _combine(wh: np.ndarray, k: int) -> np.ndarray:
    """Hash of every run of k consecutive word hashes (len(wh) - k + 1 values, uint32)."""
    m = wh.size - k + 1
    acc = wh[:m].copy()
    for j in range(1, k):
        acc *= _Q
        acc += wh[j:j + m]
    return (fmix64(acc) >> _U64(32)).astype(np.uint32)


def shingle_hashes(words: Sequence[str], n: int) -> np.ndarray:
    """Sorted unique uint32 hashes of the word n-grams of one document.

    Fewer than ``n`` words give one shingle of all the words; no words give an empty array.
    """
    flat, offsets = shingle_hashes_batch([words], n)
    return flat[offsets[0]:offsets[1]]


def shingle_sequence(words: Sequence[str], n: int) -> np.ndarray:
    """The uint32 hash of the n-gram starting at every word position, in order.

    ``max(1, len(words) - n + 1)`` values (none for no words); ``np.unique`` of it is ``shingle_hashes``.
    """
    return (_keys([words], n) & _U64(0xFFFFFFFF)).astype(np.uint32)


def shingle_sequences_batch(docs: Sequence[Sequence[str]], n: int) -> tuple[np.ndarray, np.ndarray]:
    """``shingle_sequence`` of many documents at once: ``(flat, offsets)`` as in ``shingle_hashes_batch``."""
    keys = _keys(docs, n)
    return (keys & _U64(0xFFFFFFFF)).astype(np.uint32), _offsets(keys, len(docs))


def hashed_sequences_batch(wh: np.ndarray, word_start: np.ndarray, n: int) -> tuple[np.ndarray, np.ndarray]:
    """``shingle_sequences_batch`` of documents given by their word hashes (``word_hashes``): document
    i's words are ``wh[word_start[i]:word_start[i + 1]]``."""
    keys = _hashed_keys(wh, np.asarray(word_start, dtype=np.int64), n)
    return (keys & _U64(0xFFFFFFFF)).astype(np.uint32), _offsets(keys, word_start.size - 1)


def shingle_hashes_texts(texts: Sequence[str], n: int) -> tuple[np.ndarray, np.ndarray]:
    """``shingle_hashes_batch([words(t) for t in texts], n)`` with ``text.keys.words``, tokenised in the kernel.

    The compiled path reads the texts' UTF-8 bytes once (no Python word lists); its word rule is
    ``words``'s regex (``\\d+(?:[.,]\\d+)+|\\w+`` with Python's Unicode classes), checked by the tests.
    """
    if _kernels is None:
        return shingle_hashes_batch([words(t) for t in texts], n)
    if n < 1:
        raise ValueError("shingle size n must be >= 1")
    encoded = [t.encode("utf-8", "surrogatepass") for t in texts]
    doc_end = np.cumsum(np.fromiter(map(len, encoded), dtype=np.int64, count=len(encoded)) + 1) - 1
    return _text_shingles(np.frombuffer(b"\n".join(encoded), dtype=np.uint8), doc_end, n)


def shingle_hashes_lines(lines: Sequence[str], doc_lines: np.ndarray, n: int) -> tuple[np.ndarray, np.ndarray]:
    """``shingle_hashes_texts`` of the texts ``"\n".join(lines[doc_lines[d]:doc_lines[d + 1]])``, from one
    encoding of all the lines (none may hold a line break)."""
    if _kernels is None:
        return shingle_hashes_texts(["\n".join(lines[a:b]) for a, b in zip(doc_lines[:-1], doc_lines[1:])], n)
    if n < 1:
        raise ValueError("shingle size n must be >= 1")
    buf = np.frombuffer("\n".join(lines).encode("utf-8", "surrogatepass"), dtype=np.uint8)
    line_end = np.append(np.flatnonzero(buf == _SEP), buf.size)
    if line_end.size != max(len(lines), 1):
        raise ValueError("a line holds a line break")
    doc_lines = np.asarray(doc_lines, dtype=np.int64)
    doc_end = np.where(doc_lines[1:] > 0, line_end[np.maximum(doc_lines[1:] - 1, 0)], 0)  # an empty document
    return _text_shingles(buf, doc_end, n)  # ends where the one before it ends (no words)


def _text_shingles(buf: np.ndarray, doc_end: np.ndarray, n: int) -> tuple[np.ndarray, np.ndarray]:
    """Sorted unique shingle hashes of the texts of ``buf`` (UTF-8), text d ending at byte ``doc_end[d]``."""
    wh, word_start = _kernels.text_word_hashes(buf, doc_end, _char_classes())
    return unique_per_doc(_kernels.shingle_keys(wh, word_start, n), doc_end.size)


def _char_classes() -> np.ndarray:
    """Per code point: 2 for a decimal digit (``\\d``), 1 for another word character (``\\w``), else 0."""
    global _classes
    if _classes is None:
        chars = np.arange(0x110000, dtype=np.uint32).tobytes().decode("utf-32-le", "surrogatepass")
        table = np.zeros(0x110000, dtype=np.uint8)
        for pattern, kind in ((r"\w+", 1), (r"\d+", 2)):
            for m in re.finditer(pattern, chars):
                table[m.start():m.end()] = kind
        _classes = table
    return _classes


def shingle_hashes_batch(docs: Sequence[Sequence[str]], n: int) -> tuple[np.ndarray, np.ndarray]:
    """Shingle hashes of many documents at once: ``(flat, offsets)``.

    ``flat[offsets[i]:offsets[i + 1]]`` is ``shingle_hashes(docs[i], n)`` (sorted, unique, uint32).
    """
    return unique_per_doc(_keys(docs, n), len(docs))


def unique_per_doc(keys: np.ndarray, ndocs: int) -> tuple[np.ndarray, np.ndarray]:
    """``document << 32 | hash`` keys -> each document's sorted unique hashes, flat, with offsets."""
    keys.sort()  # by document, then hash
    if _kernels is not None:
        return _kernels.split_sorted_keys(keys, ndocs)
    if keys.size:
        keys = keys[np.append(True, keys[1:] != keys[:-1])]
    return (keys & _U64(0xFFFFFFFF)).astype(np.uint32), _offsets(keys, ndocs)


def _offsets(keys: np.ndarray, ndocs: int) -> np.ndarray:
    """Start of each document's run in ``keys`` (grouped by document), plus the end."""
    offsets = np.zeros(ndocs + 1, dtype=np.int64)
    np.cumsum(np.bincount((keys >> _U64(32)).astype(np.int64), minlength=ndocs), out=offsets[1:])
    return offsets


def _keys(docs: Sequence[Sequence[str]], n: int) -> np.ndarray:
    """``document << 32 | shingle hash`` at every word position of every document, in order (uint64)."""
    counts = np.fromiter(map(len, docs), dtype=np.int64, count=len(docs))
    word_start = np.zeros(len(docs) + 1, dtype=np.int64)
    np.cumsum(counts, out=word_start[1:])
    return _hashed_keys(word_hashes([w for doc in docs for w in doc]), word_start, n)


def _hashed_keys(wh: np.ndarray, word_start: np.ndarray, n: int) -> np.ndarray:
    """``_keys`` of documents given by their word hashes."""
    if n < 1:
        raise ValueError("shingle size n must be >= 1")
    if word_start.size > 1 << 32:
        raise ValueError("at most 2**32 - 1 documents per batch")
    if not wh.size:
        return np.empty(0, dtype=np.uint64)
    if _kernels is not None:
        return _kernels.shingle_keys(wh, word_start, n)
    return _shingle_keys_numpy(wh, np.diff(word_start), word_start, n)


def _shingle_keys_numpy(wh: np.ndarray, counts: np.ndarray, word_start: np.ndarray, n: int) -> np.ndarray:
    """The numpy version of ``_kernels.shingle_keys``."""
    per_doc = np.where(counts > 0, np.maximum(counts - n + 1, 1), 0)
    doc_of = np.repeat(np.arange(counts.size), per_doc)
    local = np.arange(doc_of.size) - np.repeat(np.cumsum(per_doc) - per_doc, per_doc)
    first_word = word_start[doc_of] + local
    hashes = np.empty(doc_of.size, dtype=np.uint32)
    full = counts[doc_of] >= n
    if wh.size >= n:
        hashes[full] = _combine(wh, n)[first_word[full]]
    for pos in np.flatnonzero(~full):  # a document shorter than n words: one shingle of all its words
        d = doc_of[pos]
        hashes[pos] = _combine(wh[word_start[d]:word_start[d + 1]], int(counts[d]))[0]
    return (doc_of.astype(np.uint64) << _U64(32)) | hashes.astype(np.uint64)
