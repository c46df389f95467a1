"""Batched MinHash signatures, bit-identical to datasketch's ``MinHash`` for the same 32-bit hash values.

``minhash_signatures(arrays)[i]`` equals ``MinHash(num_perm, seed, hashfunc=lambda x: x, scheme=scheme)``
after ``update_batch(arrays[i])``: same permutations (drawn from ``np.random.RandomState(seed)`` exactly as
datasketch draws them), same wrap-around arithmetic, same "empty" value. Two schemes:

- ``"affine32"`` (datasketch >= 2.0's default): MurmurHash3 fmix32 pre-mix, then ``a * h + b mod 2**32``
  (uint32 signatures);
- ``"legacy"`` (datasketch < 2.0): ``((a * h + b) mod 2**64) mod (2**61 - 1)``, low 32 bits kept
  (uint64 signatures).

All documents of a batch are computed at once on one flat array of hashes (a block of hashes x all
permutations at a time, then a per-document minimum), so the per-document Python overhead of datasketch
disappears; a numba kernel is used when numba is installed (same results, no temporary matrix).
"""
from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache

import numpy as np

__all__ = ["SCHEMES", "minhash_flat", "minhash_signatures", "permutations", "empty_value"]

SCHEMES = ("affine32", "legacy")
_MERSENNE = np.uint64((1 << 61) - 1)
_MAX32 = np.uint64((1 << 32) - 1)
_BLOCK = 1 << 20  # hash x permutation cells per numpy block (bounds the temporary matrix)


def _check(scheme: str) -> None:
    if scheme not in SCHEMES:
        raise ValueError(f"scheme must be one of {SCHEMES}, got {scheme!r}")


@lru_cache(maxsize=16)
def permutations(num_perm: int, seed: int, scheme: str = "affine32") -> tuple[np.ndarray, np.ndarray]:
    """datasketch's permutation parameters ``(a, b)`` for ``num_perm`` and ``seed`` (read-only arrays)."""
    _check(scheme)
    if num_perm < 1:
        raise ValueError("num_perm must be positive")
    gen = np.random.RandomState(seed)
    if scheme == "legacy":
        ab = np.array([(gen.randint(1, _MERSENNE, dtype=np.uint64), gen.randint(0, _MERSENNE, dtype=np.uint64))
                       for _ in range(num_perm)], dtype=np.uint64).T
        a, b = ab[0].copy(), ab[1].copy()
    else:
        a = gen.randint(0, 1 << 31, num_perm, dtype=np.uint32) * np.uint32(2) + np.uint32(1)
        b = gen.randint(0, 1 << 32, num_perm, dtype=np.uint32)
    a.setflags(write=False)
    b.setflags(write=False)
    return a, b


def empty_value(scheme: str = "affine32") -> np.integer:
    """The signature value of an empty set (datasketch's initial hash value)."""
    _check(scheme)
    return np.uint32(0xFFFFFFFF) if scheme == "affine32" else _MAX32


def _dtype(scheme: str) -> type:
    return np.uint32 if scheme == "affine32" else np.uint64


def _fmix32(h: np.ndarray) -> np.ndarray:
    """MurmurHash3's 32-bit finalizer, element-wise (as datasketch's affine32 pre-mix)."""
    h = h ^ (h >> np.uint32(16))
    h = h * np.uint32(0x85EBCA6B)
    h = h ^ (h >> np.uint32(13))
    h = h * np.uint32(0xC2B2AE35)
    return h ^ (h >> np.uint32(16))


def _permute_numpy(h: np.ndarray, a: np.ndarray, b: np.ndarray, scheme: str) -> np.ndarray:
    """Every hash under every permutation: a (len(h), num_perm) matrix."""
    if scheme == "affine32":
        return h[:, None] * a + b
    x = h.astype(np.uint64)[:, None] * a + b  # wraps mod 2**64, as datasketch's uint64 arithmetic
    # x mod (2**61 - 1) without a division: fold the top 3 bits, then one conditional subtraction
    r = (x & _MERSENNE) + (x >> np.uint64(61))
    r -= _MERSENNE * (r >= _MERSENNE)
    return r & _MAX32


def _minhash_numpy(h: np.ndarray, offsets: np.ndarray, a: np.ndarray, b: np.ndarray, scheme: str,
                   out: np.ndarray) -> None:
    """Fill ``out`` (documents with at least one hash) block by block with numpy."""
    counts = np.diff(offsets)
    rows = max(1, _BLOCK // a.size)
    doc = 0
    ndocs = counts.size
    while doc < ndocs:
        # a block of whole documents (a single document larger than a block is split)
        end = int(np.searchsorted(offsets, offsets[doc] + rows, side="right")) - 1
        end = min(max(end, doc + 1), ndocs)
        lo, hi = int(offsets[doc]), int(offsets[end])
        if end == doc + 1 and hi - lo > rows:
            acc = out[doc]
            for s in range(lo, hi, rows):
                np.minimum(acc, _permute_numpy(h[s:min(s + rows, hi)], a, b, scheme).min(axis=0), out=acc)
        elif hi > lo:
            nonempty = np.flatnonzero(counts[doc:end])
            starts = offsets[doc:end][nonempty] - lo
            out[doc + nonempty] = np.minimum.reduceat(_permute_numpy(h[lo:hi], a, b, scheme), starts, axis=0)
        doc = end


def minhash_flat(flat: np.ndarray, offsets: np.ndarray, num_perm: int = 128, seed: int = 1,
                 scheme: str = "affine32") -> np.ndarray:
    """Signatures of documents given as one flat hash array: document i is ``flat[offsets[i]:offsets[i+1]]``.

    Returns a ``(len(offsets) - 1, num_perm)`` array (uint32 for affine32, uint64 for legacy).
    """
    a, b = permutations(num_perm, seed, scheme)
    offsets = np.asarray(offsets, dtype=np.int64)
    out = np.full((offsets.size - 1, num_perm), empty_value(scheme), dtype=_dtype(scheme))
    if flat.size == 0:
        return out
    if flat.dtype != np.uint32:
        if flat.size and (flat.min() < 0 or flat.max() > 0xFFFFFFFF):
            raise ValueError("hash values must fit in 32 bits")
        flat = flat.astype(np.uint32)
    h = _fmix32(flat) if scheme == "affine32" else flat
    kernel = _numba_kernel(scheme)
    if kernel is not None:
        kernel(h, offsets, a, b, out)
    else:
        _minhash_numpy(h, offsets, a, b, scheme, out)
    return out


def minhash_signatures(hash_arrays: Sequence[np.ndarray], num_perm: int = 128, seed: int = 1,
                       scheme: str = "affine32") -> np.ndarray:
    """One MinHash signature per array of 32-bit hash values: shape ``(len(hash_arrays), num_perm)``."""
    offsets = np.zeros(len(hash_arrays) + 1, dtype=np.int64)
    np.cumsum([np.size(x) for x in hash_arrays], out=offsets[1:])
    parts = [np.asarray(x).ravel() for x in hash_arrays]
    flat = np.concatenate(parts) if parts else np.empty(0, dtype=np.uint32)
    if flat.dtype.kind not in "ui":
        flat = flat.astype(np.int64)
    return minhash_flat(flat, offsets, num_perm, seed, scheme)


@lru_cache(maxsize=2)
def _numba_kernel(scheme: str):
    """The compiled kernel for ``scheme``, or None without numba (the numpy path gives the same values)."""
    try:
        from cleantext.dedup import _kernels
    except ImportError:
        return None
    return _kernels.affine32 if scheme == "affine32" else _kernels.legacy
