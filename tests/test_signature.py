"""Batched MinHash signatures are bit-identical to datasketch's MinHash."""
import numpy as np
import pytest
from datasketch import MinHash

from cleantext.dedup import signature
from cleantext.dedup.signature import empty_value, minhash_flat, minhash_signatures


def _datasketch(values, num_perm, seed, scheme):
    m = MinHash(num_perm, seed, hashfunc=lambda x: x, scheme=scheme)
    m.update_batch(values)
    return m.hashvalues


def _random_arrays(rng, count=40):
    arrays = [rng.integers(0, 2**32, size=int(rng.integers(0, 60)), dtype=np.uint64).astype(np.uint32)
              for _ in range(count)]
    arrays.append(rng.integers(0, 2**32, size=9000, dtype=np.uint64).astype(np.uint32))  # > one block
    arrays.append(np.array([0, 2**32 - 1], dtype=np.uint32))
    return arrays


@pytest.mark.parametrize("scheme", ["affine32", "legacy"])
@pytest.mark.parametrize("num_perm,seed", [(128, 1), (17, 42)])
def test_bit_identical_to_datasketch(scheme, num_perm, seed):
    arrays = _random_arrays(np.random.default_rng(seed))
    sigs = minhash_signatures(arrays, num_perm=num_perm, seed=seed, scheme=scheme)
    assert sigs.shape == (len(arrays), num_perm)
    for values, sig in zip(arrays, sigs):
        expected = _datasketch(values.tolist(), num_perm, seed, scheme)
        assert sig.dtype == expected.dtype
        assert np.array_equal(sig, expected)


@pytest.mark.parametrize("scheme", ["affine32", "legacy"])
def test_numpy_path_equals_compiled_kernel(scheme, monkeypatch):
    arrays = _random_arrays(np.random.default_rng(7))
    fast = minhash_signatures(arrays, scheme=scheme)
    monkeypatch.setattr(signature, "_numba_kernel", lambda s: None)
    assert np.array_equal(minhash_signatures(arrays, scheme=scheme), fast)


@pytest.mark.parametrize("scheme", ["affine32", "legacy"])
def test_empty_input_is_all_max(scheme):
    sigs = minhash_signatures([np.empty(0, np.uint32), np.array([5], np.uint32)], num_perm=8, scheme=scheme)
    assert np.all(sigs[0] == empty_value(scheme))
    assert np.array_equal(sigs[0], MinHash(8, 1, scheme=scheme).hashvalues)
    assert minhash_signatures([], num_perm=8, scheme=scheme).shape == (0, 8)


def test_flat_offsets_and_out_of_range():
    flat = np.array([3, 1, 2, 9], dtype=np.uint32)
    sigs = minhash_flat(flat, np.array([0, 3, 3, 4]), num_perm=16)
    assert np.array_equal(sigs, minhash_signatures([flat[:3], flat[3:3], flat[3:]], num_perm=16))
    with pytest.raises(ValueError):
        minhash_signatures([np.array([2**32], dtype=np.int64)])
    with pytest.raises(ValueError):
        minhash_signatures([np.array([1])], scheme="affine64")
