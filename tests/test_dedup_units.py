"""Unit tests of the dedup building blocks: LSH parameters and candidates, verification, clusters."""
from __future__ import annotations

import numpy as np
import pytest
from datasketch import MinHashLSH

from cleantext.dedup.canonical import RankInfo, rank_key
from cleantext.dedup.cluster import build_clusters, components
from cleantext.dedup.lsh import all_bands, band_keys, candidate_pairs, lsh_params
from cleantext.dedup.verify import Overlap, is_duplicate, overlap


@pytest.mark.parametrize("num_perm", [2, 3, 16, 64, 128, 256])
@pytest.mark.parametrize("threshold", [0.05, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 0.95])
def test_lsh_params_match_datasketch(threshold, num_perm):
    from datasketch.lsh import _optimal_param  # what MinHashLSH calls (it refuses num_perm < 4 itself)

    assert lsh_params(threshold, num_perm) == tuple(_optimal_param(threshold, num_perm, 0.5, 0.5))


@pytest.mark.parametrize("weights", [(0.3, 0.7), (0.9, 0.1)])
def test_lsh_params_match_datasketch_weights(weights):
    for threshold in (0.2, 0.5, 0.8):
        lsh = MinHashLSH(threshold=threshold, num_perm=128, weights=weights)
        assert lsh_params(threshold, 128, *weights) == (lsh.b, lsh.r)


def test_lsh_params_need_no_scipy():
    import subprocess
    import sys
    code = ("import sys, cleantext.cli, cleantext.pipeline; from cleantext.dedup.lsh import lsh_params; "
            "lsh_params(0.3, 128); "
            "print(sorted(m for m in sys.modules if m.startswith(('datasketch', 'scipy.integrate'))))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


def test_all_bands_keep_the_thresholds_rows_and_use_every_permutation():
    assert lsh_params(0.2, 128) == (28, 2) and all_bands(0.2, 128) == (64, 2)
    assert all_bands(0.5, 128) == (128 // lsh_params(0.5, 128)[1], lsh_params(0.5, 128)[1])


@pytest.mark.parametrize("dtype", [np.uint32, np.uint64])
def test_band_keys_compiled_equal_numpy(dtype, monkeypatch):
    from cleantext.dedup import lsh
    sig = np.random.default_rng(1).integers(0, 2**32, size=(50, 128), dtype=np.uint64).astype(dtype)
    fast = band_keys(sig, 64, 2)
    monkeypatch.setattr(lsh, "_kernels", None)
    assert np.array_equal(fast, band_keys(sig, 64, 2)) and np.array_equal(fast[:, :25], band_keys(sig, 25, 2))


def test_candidates_share_a_band():
    rng = np.random.default_rng(0)
    sig = rng.integers(0, 2**32, size=(5, 128), dtype=np.uint64).astype(np.uint32)
    sig[3] = sig[1]  # identical
    sig[4, :5] = sig[0, :5]  # the first band (5 rows) equal, the rest different
    keys = band_keys(sig, 25, 5)
    pairs = candidate_pairs(keys)
    assert pairs.tolist() == [[0, 4], [1, 3]]
    assert candidate_pairs(keys, groups=np.array([0, 1, 2, 1, 4])).tolist() == [[0, 4]]


def test_overlap_and_containment_rule():
    a = np.arange(100, dtype=np.uint32)
    b = np.arange(50, 300, dtype=np.uint32)
    ov = overlap(a, b)
    assert ov.shared == 50 and ov.jaccard == pytest.approx(50 / 300) and ov.containment == pytest.approx(0.5)
    small = np.arange(60, 90, dtype=np.uint32)  # 30 shingles, all inside b
    ov = overlap(small, b)
    assert ov.containment == 1.0 and ov.jaccard < 0.2
    assert is_duplicate(ov, 30, threshold=0.7, containment=0.8, min_contained=20)
    assert not is_duplicate(ov, 30, threshold=0.7, containment=0.8, min_contained=40)
    assert overlap(a, np.empty(0, dtype=np.uint32)) == Overlap(0.0, 0.0, 0)


def test_components_are_union_find():
    assert components(range(6), [(0, 1), (1, 2), (4, 5), (2, 9)]) == [[0, 1, 2], [3], [4, 5]]


def _sets():
    # A ~ B and B ~ C, but A and C share little: B sits between them
    a = np.arange(0, 100, dtype=np.uint32)
    b = np.arange(15, 115, dtype=np.uint32)
    c = np.arange(30, 130, dtype=np.uint32)
    d = np.arange(1000, 1100, dtype=np.uint32)
    return [a, b, c, d]


def _check(sets):
    def check(i, j):
        ov = overlap(sets[i], sets[j])
        return ov if is_duplicate(ov, min(sets[i].size, sets[j].size), threshold=0.7, containment=0.95,
                                  min_contained=20) else None
    return check


def test_chaining_guard_keeps_only_members_verified_against_the_canonical():
    sets = _sets()
    check = _check(sets)
    pairs = {(0, 1): check(0, 1), (1, 2): check(1, 2)}
    assert all(pairs.values()) and check(0, 2) is None
    # A ranks first: C is not a duplicate of A, so it must not join A's cluster
    clusters = build_clusters(pairs, [(0,), (1,), (2,), (3,)], check)
    assert [(c.canonical, c.members) for c in clusters] == [(0, [0, 1])]
    # B ranks first: both A and C are duplicates of B
    clusters = build_clusters(pairs, [(1,), (0,), (2,), (3,)], check)
    assert [(c.canonical, c.members) for c in clusters] == [(1, [0, 1, 2])]
    assert set(clusters[0].to_canonical) == {0, 2}


def test_chaining_guard_reclusters_the_rest():
    # A ~ B, B ~ C, C ~ D', A !~ C: with A canonical, C and D' form their own cluster
    a = np.arange(0, 100, dtype=np.uint32)
    b = np.arange(15, 115, dtype=np.uint32)
    c = np.arange(30, 130, dtype=np.uint32)
    d = np.arange(31, 131, dtype=np.uint32)
    sets = [a, b, c, d]
    check = _check(sets)
    pairs = {p: check(*p) for p in [(0, 1), (1, 2), (2, 3)]}
    clusters = build_clusters(pairs, [(0,), (1,), (2,), (3,)], check)
    assert [(c.canonical, c.members) for c in clusters] == [(0, [0, 1]), (2, [2, 3])]


def _info(id_, chars, date=None, site=None):
    return RankInfo(id_, site, None, None, date, chars, "0")


def test_canonical_rule_order():
    docs = [_info("b", 100, "2024-01-02"), _info("a", 100, "2024-01-02"), _info("c", 100, "2024-01-01"),
            _info("d", 120), _info("e", 50, site="www.kazpravda.kz")]
    ranked = sorted(docs, key=lambda i: rank_key(i))
    assert [i.id for i in ranked] == ["d", "c", "a", "b", "e"]
    ranked = sorted(docs, key=lambda i: rank_key(i, ("kazpravda.kz",)))
    assert ranked[0].id == "e"


def test_a_contained_document_joins_the_most_similar_canonical():
    article = np.arange(0, 100, dtype=np.uint32)
    host = np.concatenate([np.arange(0, 40), np.arange(500, 900)]).astype(np.uint32)  # quotes article[:40]
    truncated = np.arange(0, 40, dtype=np.uint32)  # the article's first 40%: inside both
    sets = [host, article, truncated]
    check = _check(sets)
    pairs = {p: ov for p in [(0, 1), (0, 2), (1, 2)] if (ov := check(*p))}
    assert set(pairs) == {(0, 2), (1, 2)}  # host and article are not duplicates
    # the host ranks first (longest), yet the truncated copy joins its own article
    clusters = build_clusters(pairs, [(0,), (1,), (2,)], check)
    assert [(c.canonical, c.members) for c in clusters] == [(1, [1, 2])]


def test_an_oversized_bucket_is_capped_but_stays_connected():
    from cleantext.dedup import lsh

    n = lsh.MAX_BUCKET + 40
    keys = np.zeros((n, 1), dtype=np.uint64)  # n identical rows
    rank = np.arange(n)[::-1].copy()  # the last row ranks first
    stats: dict[str, int] = {}
    pairs = candidate_pairs(keys, rank=rank, stats=stats)
    assert stats == {"capped_rows": 40}  # the rows past the cap are counted (stats.json)
    first = set(np.argsort(rank)[:lsh.MAX_BUCKET].tolist())
    assert all(i in first or j in first for i, j in pairs.tolist())  # every pair touches the head
    assert len(pairs) < n * (n - 1) // 2
    assert components(range(n), [tuple(p) for p in pairs.tolist()]) == [list(range(n))]


def test_contained_pairs_finds_a_short_text_inside_a_long_one_exactly():
    from cleantext.dedup.verify import contained_pairs

    long_doc = np.arange(0, 1000, dtype=np.uint32)
    short = np.arange(500, 530, dtype=np.uint32)  # inside long_doc: Jaccard 0.03, too low for LSH
    half = np.concatenate([np.arange(600, 615), np.arange(5000, 5015)]).astype(np.uint32)
    other = np.arange(2000, 2040, dtype=np.uint32)
    sets = [long_doc, short, half, other]
    assert contained_pairs(sets, [1, 2, 3], 0.65) == {(0, 1)}
    assert contained_pairs(sets, [1, 2, 3], 0.5) == {(0, 1), (0, 2)}
    assert contained_pairs(sets, [], 0.5) == set()


@pytest.mark.parametrize("chunk", [1, 37, 1 << 20])
def test_contained_pairs_equal_brute_force(chunk):
    from cleantext.dedup.verify import contained_pairs

    rng = np.random.default_rng(chunk)
    alphabet = rng.integers(0, 2**32, size=300, dtype=np.uint64).astype(np.uint32)
    sets = [np.unique(rng.choice(alphabet, size=int(rng.integers(0, 60)))) for _ in range(60)]
    for _ in range(30):  # short texts mostly inside a longer one, some of them in several
        host = sets[int(rng.integers(0, len(sets)))]
        part = rng.choice(host, size=min(host.size, int(rng.integers(4, 25))), replace=False) if host.size else host
        sets.append(np.unique(np.concatenate([part, rng.choice(alphabet, size=int(rng.integers(0, 6)))])))
    small = [i for i, s in enumerate(sets) if 5 <= s.size <= 30]
    held: dict[int, set[int]] = {}
    for i in small:
        for h in sets[i].tolist():
            held.setdefault(h, set()).add(i)
    rare = {h for h, owners in held.items() if len(owners) <= 4}
    expected = set()
    for i in small:
        mine = rare & set(sets[i].tolist())
        for j, s in enumerate(sets):
            if j != i and mine and len(mine & set(s.tolist())) >= 0.6 * len(mine):
                expected.add((min(i, j), max(i, j)))
    assert expected and contained_pairs(sets, small, 0.6, max_postings=4, chunk=chunk) == expected
