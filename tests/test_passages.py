"""Passage links: units, alignment on the seeds (000/001 share a presidential quote), stripping."""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pytest

from cleantext.config import Config
from cleantext.dedup import dedupe_results
from cleantext.dedup.passages import passage_units
from cleantext.dedup.strip import sentence_spans
from cleantext.document import Document
from cleantext.text.segment import join_blocks, to_blocks

SEEDS = Path(__file__).resolve().parent.parent / "seeds"


@dataclass
class Cleaned:
    """A cleaned document as the pipeline hands it over (repair + segmentation only here)."""

    doc: Document
    blocks: tuple


def cleaned(doc_id: str, raw: str) -> Cleaned:
    blocks = tuple(to_blocks(raw))
    return Cleaned(Document(doc_id, raw, text=join_blocks(blocks)), blocks)


def seed(prefix: str) -> Cleaned:
    path = next(SEEDS.glob(prefix + "_*.txt"))
    return cleaned(path.stem, path.read_text(encoding="utf-8"))


def test_passage_units_group_short_lines_and_window_long_paragraphs():
    # lines of 10, 10, 15 words make one passage (35 >= 30); a 250-word paragraph is windowed
    units = passage_units([10, 10, 15, 250, 5], min_words=30, window=100)
    assert units[0] == (0, 35)
    assert units[1:] == [(35, 135), (85, 185), (135, 235), (185, 285)]
    assert passage_units([10, 5], min_words=30, window=100) == []


def test_passage_units_of_a_batch_with_whole_short_documents():
    import numpy as np
    from cleantext.dedup._passage_kernel import passage_units as batch_units
    docs = [[10, 10, 15, 250, 5], [10, 5], [3], [40]]
    per_block = np.array([c for d in docs for c in d], dtype=np.int64)
    doc_blocks = np.cumsum([0] + [len(d) for d in docs])
    doc, lo, hi, report = batch_units(per_block, doc_blocks, 30, 100, 12)
    expected = [(k, a, b, True) for k, d in enumerate(docs) for a, b in passage_units(d, 30, 100)]
    expected.insert(5, (1, 0, 15, False))  # no passage, 15 >= 12 words: one unit, never reported
    assert list(zip(doc.tolist(), lo.tolist(), hi.tolist(), report.tolist())) == expected


QUOTE_START = "представителей политических организаций были избраны акимами"
QUOTE_END = "84% сельских жителей доверяют своим акимам"


def _result(items, **options):
    return dedupe_results(items, Config.from_options(**options))


def test_seed_quote_is_linked_with_spans_on_both_sides():
    a, b = seed("000"), seed("001")
    result = _result([a, b, seed("002"), seed("003"), seed("004")])
    docs = {d.id: d for d in result.documents}
    da, db = docs[a.doc.id], docs[b.doc.id]
    assert len(da.passages) == 1 and len(db.passages) == 1  # adjacent matches merged into one span
    pa, pb = da.passages[0], db.passages[0]
    assert (pa.other_id, pb.other_id) == (db.id, da.id)
    assert (pa.start, pa.end, pa.other_start, pa.other_end) == (pb.other_start, pb.other_end, pb.start, pb.end)
    for doc, p in ((da, pa), (db, pb)):
        span = doc.raw[p.start:p.end]
        assert QUOTE_START in span and QUOTE_END in span
        assert span.lower().startswith("выборы в селах придали новый импульс")  # all the shared text
        assert not doc.raw[p.start - 1].isalnum() and not doc.raw[p.end].isalnum()
    assert pa.similarity >= 0.9
    # the quote is a part of each, so they are not duplicates as wholes: that is stated
    assert da.duplicate_of is None and db.duplicate_of is None and da.canonical and db.canonical
    rel = result.related[da.id]
    assert rel[0]["id"] == db.id and rel[0]["containment"] < 0.8
    for other in ("002", "003", "004"):
        assert not next(d for d in result.documents if d.id.startswith(other)).passages


def test_sentence_spans():
    text = "Первое предложение. Второе — «с цитатой!» Третье? Да… конец"
    assert [text[s:e] for s, e in sentence_spans(text)] == [
        "Первое предложение.", "Второе — «с цитатой!»", "Третье?", "Да…", "конец"]


def test_strip_passages_cuts_whole_sentences_and_says_where_the_text_lives():
    a, b = seed("000"), seed("001")
    result = _result([a, b], strip_passages=True)
    docs = {d.id: d for d in result.documents}
    # 001 has more clean text: it is ranked first and keeps the quote; 000 loses it
    kept, cut = docs[b.doc.id], docs[a.doc.id]
    assert not [r for r in kept.removed if r.reason == "dedup:passage"]
    removals = [r for r in cut.removed if r.reason == "dedup:passage"]
    assert removals and QUOTE_START not in cut.text and QUOTE_END not in cut.text
    assert "Касым-Жомарт Токаев поручил" in cut.text  # its own paragraph stays
    for r in removals:
        assert cut.raw[r.start:r.end] == r.text
        assert not cut.raw[r.start - 1:r.start].isalnum() and not cut.raw[r.end:r.end + 1].isalnum()
        assert re.search(r"[.!?…]$", r.text)  # whole sentences only
    assert any(n.startswith("dedup:passage") and b.doc.id in n for n in cut.notes)


@pytest.mark.parametrize("seed_value", range(5))
def test_strip_never_cuts_inside_a_word(seed_value):
    import random

    rng = random.Random(seed_value)
    base = seed("001")
    paragraphs = base.doc.raw.split("\n\n")[1:]
    # a document reusing two of 001's paragraphs amid other text from 003
    other = SEEDS.glob("003_*.txt").__next__().read_text(encoding="utf-8").split("\n")[:6]
    picked = rng.sample(paragraphs, 2)
    mixed = "\n".join(other[:3] + [picked[0]] + other[3:] + [picked[1]])
    result = _result([base, cleaned("mixed", mixed)], strip_passages=True)
    doc = next(d for d in result.documents if d.id == "mixed")
    assert [r for r in doc.removed if r.reason == "dedup:passage"]
    for r in doc.removed:
        assert not mixed[r.start - 1:r.start].isalnum() and not mixed[r.end:r.end + 1].isalnum()
    for word in re.findall(r"\w+", doc.text):
        assert word in mixed


def test_a_long_block_is_a_passage_of_its_own():
    # a 27-word line before a 40-word paragraph does not swallow it: the paragraph matches alone
    assert passage_units([27, 40, 12, 12, 12], min_words=30, window=100) == [(0, 67), (27, 67), (67, 103)]


def _seq(values: list[int]) -> "np.ndarray":
    import numpy as np
    return np.asarray(values, dtype=np.uint32)


def test_extend_range_grows_over_the_rest_of_a_shared_passage_and_a_one_sided_insertion():
    from cleantext.dedup._passage_kernel import extend_range
    shared = list(range(100, 160))  # 60 shared n-grams
    inserted = list(range(500, 520))  # 20 n-grams only in x, between shared[:30] and shared[30:]
    sx = _seq(list(range(1000, 1040)) + shared[:30] + inserted + shared[30:] + list(range(2000, 2040)))
    sy = _seq(list(range(3000, 3010)) + shared + list(range(4000, 4040)))
    n = 3
    # seed: the first 10 shared n-grams only (words [40, 52) of x, [10, 22) of y)
    grown = extend_range(sx, sy, 40, 52, 10, 22, n, 15, 30, 30, 0.5)
    assert grown == (40, 40 + 30 + 20 + 30 + n - 1, 10, 10 + 60 + n - 1)
    # a seed at the end grows backward to the start of the shared text, and never into unrelated text
    assert extend_range(sx, sy, 110, 122, 60, 72, n, 15, 30, 30, 0.5)[0::2] == (40, 10)
    # an insertion longer than `far` on one side stops the growth
    assert extend_range(sx, sy, 40, 52, 10, 22, n, 5, 10, 30, 0.5) == (40, 70 + n - 1, 10, 40 + n - 1)


def test_extend_range_keeps_the_jaccard_threshold():
    from cleantext.dedup._passage_kernel import extend_range
    shared = list(range(100, 140))
    sx = _seq(shared[:20] + list(range(500, 528)) + shared[20:])
    sy = _seq(shared)
    # 28 inserted n-grams: growing over them gives Jaccard 40 / 68 < 0.7, so the seed stays
    assert extend_range(sx, sy, 0, 22, 0, 22, 3, 15, 30, 30, 0.7) == (0, 22, 0, 22)
    assert extend_range(sx, sy, 0, 22, 0, 22, 3, 15, 30, 30, 0.5) == (0, 70, 0, 42)


def test_extend_range_grows_over_a_long_shared_text_in_few_steps():
    from cleantext.dedup._passage_kernel import extend_range
    sx = _seq(list(range(50_000)))
    sy = _seq(list(range(7, 50_000)))  # the same text without its first 7 n-grams
    assert extend_range(sx, sy, 20_000, 20_030, 19_993, 20_023, 3, 15, 30, 30, 0.5) == (7, 50_002, 0, 49_995)


def _aligned_side(seq, lo, hi, n, other):
    """Reference of the kernel's alignment: the first and last position of [lo, end) whose n-gram is
    in ``other`` with a neighbour's in it too (end: one n-gram per window of n words)."""
    end = max(lo + 1, hi - n + 1)
    inside = [seq[p] in other for p in range(lo, end)]
    keep = [p for k, p in enumerate(range(lo, end)) if inside[k] and (
        end - lo == 1 or (k > 0 and inside[k - 1]) or (k + 1 < len(inside) and inside[k + 1]))]
    return (keep[0], min(hi, keep[-1] + n)) if keep else None


def test_verify_pairs_equal_a_reference_of_counts_and_alignment():
    from cleantext.dedup._passage_kernel import verify_pairs

    rng = np.random.default_rng(4)
    n, docs = 3, 12
    seqs = [rng.integers(0, 60, size=int(rng.integers(1, 150))).astype(np.uint32) for _ in range(docs)]
    seq_off = np.concatenate([[0], np.cumsum([s.size for s in seqs])]).astype(np.int64)
    units = [(d, lo, min(len(seqs[d]) + n - 1, lo + int(rng.integers(1, 60))))
             for d in range(docs) for lo in range(0, len(seqs[d]), 40)]
    sets = [np.unique(seqs[d][lo:max(lo + 1, hi - n + 1)]) for d, lo, hi in units]
    set_off = np.concatenate([[0], np.cumsum([s.size for s in sets])]).astype(np.int64)
    report = rng.random(len(units)) < 0.9
    us, vs = (a.astype(np.int64) for a in np.triu_indices(len(units), k=1))
    doc, lo, hi = (np.array(col, dtype=np.int32) for col in zip(*units))
    shared, ranges = verify_pairs(us, vs, np.concatenate(sets), set_off, np.concatenate(seqs), seq_off,
                                  doc, lo, hi, report, 4, n)
    aligned = 0
    for k, (u, v) in enumerate(zip(us.tolist(), vs.tolist())):
        common = set(sets[u].tolist()) & set(sets[v].tolist())
        assert shared[k] == len(common)
        expected = [-1] * 4
        if len(common) >= 4 and report[u] and report[v]:
            x = _aligned_side(seqs[units[u][0]].tolist(), units[u][1], units[u][2], n, set(sets[v].tolist()))
            y = _aligned_side(seqs[units[v][0]].tolist(), units[v][1], units[v][2], n, set(sets[u].tolist()))
            if x and y:
                expected, aligned = [*x, *y], aligned + 1
        assert ranges[k].tolist() == expected, (u, v)
    assert aligned > 50


def _merge_ranges_reference(spans, gap):
    """The Python definition of ``_passage_kernel.merge_ranges``."""
    merged = [list(s) for s in sorted(set(spans))]
    joined = len(merged) > 1
    while joined:
        joined = False
        for a in range(len(merged)):
            for b in range(a + 1, len(merged)):
                m, k = merged[a], merged[b]
                if k[0] <= m[1] + gap and m[0] <= k[1] + gap and k[2] <= m[3] + gap and m[2] <= k[3] + gap:
                    merged[a] = [min(m[0], k[0]), max(m[1], k[1]), min(m[2], k[2]), max(m[3], k[3])]
                    del merged[b]
                    joined = True
                    break
            if joined:
                break
    return sorted(tuple(m) for m in merged)


def test_pair_spans_equal_merging_growing_and_scoring_one_by_one():
    from cleantext.dedup._passage_kernel import extend_range, pair_spans, range_jaccard

    rng = np.random.default_rng(8)
    n, gap, far, threshold, min_span = 3, 15, 30, 0.5, 24
    seqs, xs, ys, rows, starts = [], [], [], [], [0]
    for d in range(0, 80, 2):  # document pairs sharing edited stretches, aligned ranges around them
        shared = rng.integers(0, 10**6, size=int(rng.integers(20, 300)))
        x = np.concatenate([rng.integers(0, 10**6, size=int(rng.integers(0, 80))), shared,
                            rng.integers(0, 10**6, size=int(rng.integers(0, 80)))])
        y = np.concatenate([rng.integers(0, 10**6, size=int(rng.integers(0, 80))), shared.copy()])
        y[rng.integers(0, y.size, size=y.size // 15)] = rng.integers(0, 10**6, size=y.size // 15)
        seqs += [x.astype(np.uint32), y.astype(np.uint32)]
        for _ in range(int(rng.integers(1, 8))):
            xl, yl = int(rng.integers(0, x.size)), int(rng.integers(0, y.size))
            rows.append([xl, min(x.size + n - 1, xl + int(rng.integers(5, 60))),
                         yl, min(y.size + n - 1, yl + int(rng.integers(5, 60)))])
        rows.append(rows[-1])  # a repeated range
        xs.append(d)
        ys.append(d + 1)
        starts.append(len(rows))
    seq_off = np.concatenate([[0], np.cumsum([s.size for s in seqs])]).astype(np.int64)
    flat = np.concatenate(seqs)
    xs, ys, starts, rows = (np.array(a, dtype=np.int64) for a in (xs, ys, starts, rows))
    expected = []
    for k in range(xs.size):
        sx, sy = seqs[xs[k]], seqs[ys[k]]
        grown = [extend_range(sx, sy, *r, n, gap, far, far, threshold)
                 for r in _merge_ranges_reference([tuple(r) for r in rows[starts[k]:starts[k + 1]].tolist()], gap)]
        for x_lo, x_hi, y_lo, y_hi in _merge_ranges_reference(grown, gap):
            sim = range_jaccard(sx[x_lo:max(x_lo + 1, x_hi - n + 1)], sy[y_lo:max(y_lo + 1, y_hi - n + 1)])
            if sim >= threshold and min(x_hi - x_lo, y_hi - y_lo) >= min_span:
                expected.append((k, x_lo, x_hi, y_lo, y_hi, sim))
    for lo, hi in ((0, xs.size), (3, 11)):
        pair, kept, sims = pair_spans(lo, hi, xs, ys, starts, rows, flat, seq_off, n, gap, far, threshold, min_span)
        got = [(k, *r, s) for k, r, s in zip(pair.tolist(), kept.tolist(), sims.tolist())]
        assert got == [e for e in expected if lo <= e[0] < hi]
    assert len(expected) > 10


def test_threads_give_the_same_passages_and_clusters(monkeypatch):
    from cleantext.dedup import passages

    monkeypatch.setattr(passages, "_SPAN_CHUNK", 1)  # one document pair per chunk: chunks in two threads
    items = [seed(p) for p in ("000", "001", "002", "003", "004")]
    for k, base in enumerate(items[:2]):  # copies with a line dropped: more linked pairs
        raw = "\n".join(line for i, line in enumerate(base.doc.raw.splitlines()) if i % 5 != 2)
        items.append(cleaned(f"copy{k}", raw))
    runs = [_result(items, workers=w) for w in (1, 2)]
    assert sum(len(d.passages) for d in runs[0].documents) >= 6
    one, two = ([(d.id, d.cluster_id, d.duplicate_of, d.passages) for d in r.documents] for r in runs)
    assert one == two and runs[0].clusters == runs[1].clusters and runs[0].related == runs[1].related
