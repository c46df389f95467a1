"""The run's on-disk features (store), the output lines from fragments (records), the flat
verification and the band-by-band LSH pairs: each equal to the plain computation it replaces."""
from __future__ import annotations

import numpy as np
import pytest

from cleantext.dedup.lsh import band_keys, candidate_pairs, column_pairs
from cleantext.dedup.records import fragments
from cleantext.dedup.store import FlatSpool, Segments, offsets_of
from cleantext.dedup.verify import contained_pairs, overlap, overlaps
from cleantext.document import Document, PassageMatch, Removal
from cleantext.io import jsonl_line


def _random_sets(rng, n):
    return [np.unique(rng.integers(0, 300, size=rng.integers(0, 60))).astype(np.uint32) for _ in range(n)]


def test_flat_spool_round_trip_and_release(tmp_path):
    rng = np.random.default_rng(1)
    sets = _random_sets(rng, 50)
    spool = FlatSpool(tmp_path / "sets.u32", np.uint32)
    for k in range(0, 50, 7):  # appended batch by batch
        spool.append(np.concatenate(sets[k:k + 7]))
    assert np.array_equal(spool.load(), np.concatenate(sets))  # a plain read: nothing stays mapped
    segs = Segments(spool, offsets_of([np.array([s.size for s in sets[k:k + 7]]) for k in range(0, 50, 7)]),
                    release_every=3)
    assert len(segs) == 50 and segs.sizes().tolist() == [s.size for s in sets]
    assert all(np.array_equal(a, b) for a, b in zip(segs, sets))  # iterating releases pages on the way
    assert np.array_equal(segs[17], sets[17])
    assert not segs.flat.flags.writeable
    with pytest.raises(ValueError):
        spool.append(np.zeros(3, dtype=np.uint32))  # written first, then read
    spool.close()


def test_empty_spool_reads_as_empty(tmp_path):
    spool = FlatSpool(tmp_path / "x.u64", np.uint64)
    assert spool.view().size == 0 and spool.load().dtype == np.uint64
    spool.close()


def test_flat_overlaps_equal_pairwise_overlap():
    rng = np.random.default_rng(2)
    sets = _random_sets(rng, 30)
    flat = np.concatenate(sets)
    off = offsets_of([np.array([s.size for s in sets])])
    pairs = np.array([(i, j) for i in range(30) for j in range(i + 1, 30)], dtype=np.int64)
    assert overlaps(pairs, flat, off) == [overlap(sets[i], sets[j]) for i, j in pairs.tolist()]


def test_contained_pairs_reads_segments_like_a_list(tmp_path):
    long_doc = np.arange(0, 1000, dtype=np.uint32)
    short = np.arange(500, 530, dtype=np.uint32)
    other = np.arange(2000, 2040, dtype=np.uint32)
    sets = [long_doc, short, other]
    spool = FlatSpool(tmp_path / "s.u32", np.uint32)
    spool.append(np.concatenate(sets))
    segs = Segments(spool, offsets_of([np.array([s.size for s in sets])]), release_every=1)
    assert contained_pairs(segs, [1, 2], 0.65) == contained_pairs(sets, [1, 2], 0.65) == {(0, 1)}
    spool.close()


def test_column_pairs_equal_candidate_pairs():
    rng = np.random.default_rng(3)
    sig = rng.integers(0, 4, size=(200, 12), dtype=np.uint64).astype(np.uint32)  # many collisions
    keys = band_keys(sig, 4, 3)
    groups = rng.integers(0, 50, size=200)
    expected = candidate_pairs(keys, groups=groups)
    got = column_pairs((keys[:, b].copy() for b in range(4)), 200, groups=groups)
    assert expected.size and np.array_equal(expected, got)
    assert column_pairs(iter([np.zeros(1, dtype=np.uint64)]), 1).shape == (0, 2)


@pytest.mark.parametrize("hits", [1, 2, 3])
def test_column_pairs_with_min_hits_count_the_bands_a_pair_shares(hits):
    rng = np.random.default_rng(5)
    keys = rng.integers(0, 6, size=(120, 8), dtype=np.uint64)
    groups = rng.integers(0, 40, size=120)
    got = column_pairs((keys[:, b].copy() for b in range(8)), 120, groups=groups, min_hits=hits)
    shared = (keys[:, None, :] == keys[None, :, :]).sum(axis=2)  # bands agreeing, per pair (brute force)
    i, j = np.nonzero(np.triu(shared >= hits, k=1) & (groups[:, None] != groups[None, :]))
    assert got.size and got.tolist() == sorted([a, b] for a, b in zip(i.tolist(), j.tolist()))


def _capped_pairs_brute_force(keys, rank, groups, cap):
    """Per band: each bucket's rows by rank, each pairing with every later row when among the first
    ``cap``; pairs of one group dropped; the number of bands giving each pair, and the capped rows."""
    hits: dict[tuple[int, int], int] = {}
    capped = 0
    for b in range(keys.shape[1]):
        buckets: dict[int, list[int]] = {}
        for i, k in enumerate(keys[:, b].tolist()):
            buckets.setdefault(k, []).append(i)
        for rows in buckets.values():
            rows.sort(key=lambda i: (rank[i], i))
            capped += max(0, len(rows) - cap)
            for p in range(min(cap, len(rows))):
                for q in range(p + 1, len(rows)):
                    a, c = sorted((rows[p], rows[q]))
                    if groups[a] != groups[c]:
                        hits[a, c] = hits.get((a, c), 0) + 1
    return hits, capped


@pytest.mark.parametrize("hits", [1, 2])
def test_column_pairs_equal_brute_force_with_oversized_buckets(hits):
    from cleantext.dedup.lsh import MAX_BUCKET
    rng = np.random.default_rng(11)
    n = 3 * MAX_BUCKET + 50
    keys = rng.integers(0, 3, size=(n, 5), dtype=np.uint64)  # buckets of ~n / 3 rows, well past the cap
    keys[:20, 4] = 7 + np.arange(20) // 10  # and small ones
    rank = rng.integers(0, 40, size=n)  # with ties (broken by row)
    groups = rng.integers(0, n // 2, size=n)
    expected, capped = _capped_pairs_brute_force(keys, rank.tolist(), groups.tolist(), MAX_BUCKET)
    stats: dict[str, int] = {}
    got = column_pairs((keys[:, b].copy() for b in range(5)), n, groups=groups, rank=rank, stats=stats,
                       min_hits=hits)
    assert stats == {"capped_rows": capped} and capped > 0
    assert got.tolist() == sorted([a, c] for (a, c), k in expected.items() if k >= hits)


@pytest.mark.parametrize("meta", [{}, {"rubric": "Политика", "n": [1, 2.5, None]}])
def test_lines_from_fragments_equal_the_whole_record(meta):
    doc = Document("d/1", "raw «текст»\n", url="https://x.kz/a", date="2024-01-02", meta=dict(meta))
    doc.text, doc.title, doc.lang, doc.site = "текст \"q\" \\ \u2028", "T", "ru", "x.kz"
    doc.removed = [Removal(0, 3, "widget:x", "raw", 0.123456)]
    doc.notes = ["invalid_utf8: 1 bytes replaced"]
    part = fragments(doc)
    assert part.canonical_line() == jsonl_line(doc.to_dict()).encode()
    doc.cluster_id, doc.duplicate_of, doc.canonical = "d/0", "d/0", False
    doc.duplicate_score = {"jaccard": 0.5, "containment": 0.9}
    doc.passages = [PassageMatch(1, 9, "d/0", 3, 11, 0.87654)]
    related = [{"id": "d/7", "jaccard": 0.1, "containment": 0.3}]
    record = doc.to_dict(dedupe=True)
    record["related"] = related
    fields = {k: record[k] for k in ("cluster_id", "duplicate_of", "canonical", "duplicate_score", "passages")}
    assert part.document_line(fields, related) == jsonl_line(record).encode()
