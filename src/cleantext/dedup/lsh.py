"""Locality-sensitive hashing over MinHash signatures: bands x rows, band keys, candidate pairs.

Bands and rows come from a Jaccard threshold exactly as datasketch's ``MinHashLSH`` chooses them:
the (b, r) with b * r <= num_perm minimising the weighted false-positive area (integral of
1 - (1 - s^r)^b over s < t) plus the false-negative area (its complement over s >= t). The areas
come from a fixed composite Gauss-Legendre rule (numpy only; datasketch calls scipy's ``quad``, whose
import alone costs most of a CPU second of start-up); the choice is tested equal to datasketch's.

Only the band keys (one uint64 per band) are kept per item, not the whole signature; two items are
candidates when they agree on every row of at least one band, i.e. share a band key. A key is a
deterministic 64-bit mix of the band's rows (FNV-style multiply/xor, then MurmurHash3's finalizer),
so a rare key collision only adds a candidate, which the exact verification then rejects.
"""
from __future__ import annotations

import threading
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from functools import lru_cache

import numpy as np

from cleantext.dedup import _lsh_kernel
from cleantext.dedup.shingle import fmix64

try:  # the compiled kernel computes the same keys, faster
    from cleantext.dedup import _kernels
except ImportError:  # numba is optional here
    _kernels = None

__all__ = ["all_bands", "band_keys", "candidate_pairs", "column_pairs", "lsh_params"]

_U64 = np.uint64
_MUL = _U64(0x100000001B3)
_BASIS = _U64(0xCBF29CE484222325)
_EMPTY_PAIRS = np.empty((0, 2), dtype=np.int64)


_NODES, _WEIGHTS = np.polynomial.legendre.leggauss(32)  # Gauss-Legendre on [-1, 1]
_PANELS = 16  # equal panels per integral: within ~4e-15 of the exact areas for num_perm <= 1024


def _no_band_area(lo: float, hi: float, b: int, r: np.ndarray) -> np.ndarray:
    """Integral over [lo, hi] of (1 - s^r)^b (the chance that no band agrees) for each of ``r``."""
    edges = np.linspace(lo, hi, _PANELS + 1)
    half = (edges[1] - edges[0]) / 2
    s = ((edges[:-1] + half)[:, None] + half * _NODES[None, :]).ravel()
    return ((1.0 - s[None, :] ** r[:, None]) ** b) @ np.tile(_WEIGHTS, _PANELS) * half


@lru_cache(maxsize=64)
def lsh_params(threshold: float, num_perm: int, fp_weight: float = 0.5,
               fn_weight: float = 0.5) -> tuple[int, int]:
    """(bands, rows) for a Jaccard ``threshold``, as datasketch's optimiser picks them (tested equal)."""
    if not 0.0 < threshold < 1.0:
        raise ValueError(f"LSH threshold must be in (0, 1), got {threshold}")
    best, least = (0, 0), np.inf
    for b in range(1, num_perm + 1):  # datasketch's order: b, then r; the first least error wins
        r = np.arange(1, num_perm // b + 1, dtype=np.float64)
        false_positive = threshold - _no_band_area(0.0, threshold, b, r)
        false_negative = _no_band_area(threshold, 1.0, b, r)
        error = false_positive * fp_weight + false_negative * fn_weight
        k = int(np.argmin(error))
        # a tie within rounding (t = 0.5, num_perm 2: (1, 1) and (1, 2) both err 1/8) keeps the first
        if error[k] < least - 1e-12:
            best, least = (b, k + 1), float(error[k])
    return best


def all_bands(threshold: float, num_perm: int) -> tuple[int, int]:
    """(bands, rows) with the rows ``lsh_params`` picks for ``threshold`` and as many bands as the
    permutations hold: for candidates that must agree on several bands (``column_pairs(min_hits=)``)."""
    rows = lsh_params(threshold, num_perm)[1]
    return num_perm // rows, rows


def band_keys(signatures: np.ndarray, bands: int, rows: int) -> np.ndarray:
    """A (n, bands) uint64 array: one key per band of each signature row."""
    sig = np.asarray(signatures)
    if sig.ndim != 2 or sig.shape[1] < bands * rows:
        raise ValueError(f"signatures of shape {sig.shape} cannot hold {bands} bands x {rows} rows")
    n = sig.shape[0]
    keys = np.empty((n, bands), dtype=np.uint64)
    if _kernels is not None and sig.dtype in (np.uint32, np.uint64):
        _kernels.band_keys(np.ascontiguousarray(sig), bands, rows, _MUL, _BASIS, keys)
        return keys
    with np.errstate(over="ignore"):
        for b in range(bands):
            h = np.full(n, _BASIS ^ _U64(b), dtype=np.uint64)
            for k in range(b * rows, (b + 1) * rows):
                h = (h ^ sig[:, k].astype(np.uint64)) * _MUL
            keys[:, b] = fmix64(h)
    return keys


MAX_BUCKET = 64  # rows of a larger bucket pair only with its first MAX_BUCKET rows (by rank)


def candidate_pairs(keys: np.ndarray, groups: np.ndarray | None = None,
                    rank: np.ndarray | None = None, stats: dict[str, int] | None = None) -> np.ndarray:
    """Sorted unique (i, j), i < j, of rows sharing a band key: an (m, 2) int64 array.

    ``groups`` (optional, one int per row) excludes pairs of rows in the same group (e.g. two
    passages of one document). ``rank`` (optional, one int per row; default the row number) orders
    the rows of an oversized bucket: give a rank that does not depend on the input order (e.g. the
    position in id order) to keep the result independent of it. ``stats`` (optional) gets
    "capped_rows": the rows past ``MAX_BUCKET`` in their bucket, summed over the bands.

    Inside a bucket every row pairs with the rows before it by rank, but only with the first
    ``MAX_BUCKET`` of them, so a bucket of k exact copies costs k x 64 pairs, not k^2 / 2
    (verification and clustering still join all of them). This is the guard against quadratic
    growth on text repeated in many documents: the pairs grow linearly with the rows.
    """
    keys = np.asarray(keys)
    return column_pairs((keys[:, b] for b in range(keys.shape[1])), keys.shape[0], groups, rank, stats)


def column_pairs(columns: Iterable[np.ndarray], n: int, groups: np.ndarray | None = None,
                 rank: np.ndarray | None = None, stats: dict[str, int] | None = None, min_hits: int = 1,
                 threads: int = 1) -> np.ndarray:
    """``candidate_pairs`` of ``n`` rows whose band keys come one band (column) at a time, so only
    one band per thread is in memory at once (e.g. read from a ``store.FlatSpool`` per band); with
    ``min_hits``, only the pairs sharing the keys of at least that many bands (compiled:
    ``_lsh_kernel``). ``threads`` > 1 tallies the bands in that many threads (the kernels release
    the GIL), then adds the tallies up: the same pairs."""
    if n < 2:
        for _ in columns:
            pass
        return _EMPTY_PAIRS
    rows = np.arange(n, dtype=np.int64)
    rank = rows if rank is None else np.lexsort((rows, np.asarray(rank))).argsort()  # ties: row order
    g = np.empty(0, dtype=np.int64) if groups is None else np.asarray(groups, dtype=np.int64)
    if n >= 1 << 27 or not 1 <= min_hits <= 255:
        raise ValueError(f"{n} rows or min_hits {min_hits} out of range for the pair table")
    bands = iter(columns)
    lock = threading.Lock()

    def tally(_: int) -> tuple[np.ndarray, np.ndarray, int]:
        table, state = _lsh_kernel.new_tally(n)
        capped = 0
        while True:
            with lock:
                col = next(bands, None)
            if col is None:
                return table, state, capped
            col = np.ascontiguousarray(col, dtype=np.uint64)
            table, state, past = _lsh_kernel.tally_band(col, np.argsort(col), rank, g, MAX_BUCKET, table, state)
            capped += past

    if threads > 1:
        with ThreadPoolExecutor(threads) as pool:
            parts = list(pool.map(tally, range(threads)))
    else:
        parts = [tally(0)]
    table, state, capped = parts[0]
    for other, other_state, past in parts[1:]:
        table, state = _lsh_kernel.add_tally(table, state, other, other_state)
        capped += past
    if stats is not None:
        stats["capped_rows"] = stats.get("capped_rows", 0) + capped
    found = _lsh_kernel.at_least(table, min_hits)
    if not found.size:
        return _EMPTY_PAIRS
    return np.stack((found // n, found % n), axis=1)
