"""The scaled corpus generator (benchmarks/dedup_data.py corpus part, benchmarks/gen_corpus.py)."""
from __future__ import annotations

import json
import random
import re
import sys
from collections import defaultdict
from itertools import islice
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parent.parent / "benchmarks"
sys.path.insert(0, str(BENCH))

import dedup_data as dd  # noqa: E402
import dedup_sources as ds  # noqa: E402
import gen_corpus as gc  # noqa: E402

PARA = ("В понедельник, 3 марта, министр энергетики Казахстана сообщил журналистам, что новые тарифы "
        "вступят в силу с 1 апреля 2025 года. По его словам, решение было принято после консультаций "
        "с регионами и бизнесом, а повышение составит не более 12 процентов для населения.")


@pytest.fixture(scope="module")
def pools() -> dict[str, dd.WordPool]:
    return dd.word_pools(ds.load_all(), ("ru", "en"))


def grams(text: str, n: int = 3) -> set[tuple[str, ...]]:
    w = re.findall(r"\w+", text.lower())
    return {tuple(w[i:i + n]) for i in range(len(w) - n + 1)}


def test_word_pools_split_function_and_content_words(pools):
    ru, en = pools["ru"], pools["en"]
    assert {"и", "в", "на"} <= ru.is_function and {"the", "of", "and"} <= en.is_function
    assert not ru.is_function & set(ru.content) and all(w.isalpha() for w in ru.content)
    assert len(ru.content) > 5000 and len(en.content) > 5000


def test_vary_words_keeps_layout_and_function_share(pools):
    pool = pools["ru"]
    assert dd.vary_words(PARA, pool, random.Random(1), 0.0) == PARA
    out = dd.vary_words(PARA, pool, random.Random(1), 1.0)
    assert re.sub(r"\w+", "", out) == re.sub(r"\w+", "", PARA)  # punctuation and spaces stay
    before, after = re.findall(r"\w+", PARA), re.findall(r"\w+", out)
    assert len(before) == len(after)
    for a, b in zip(before, after):
        assert (a.lower() in pool.is_function) == (b.lower() in pool.is_function) or a.isdigit()
        assert a[0].isupper() == b[0].isupper()
        if a.isdigit():
            assert b.isdigit() and len(b) == len(a)
    assert sum(a != b for a, b in zip(before, after)) > 0.8 * len(before)
    assert dd.vary_words(PARA, pool, random.Random(5), 0.5) == dd.vary_words(PARA, pool, random.Random(5), 0.5)


def test_two_variations_of_a_paragraph_share_few_3grams(pools):
    rng = random.Random(2)
    shared = [len(grams(a) & grams(b)) / len(grams(PARA))
              for a, b in ((dd.vary_words(PARA, pools["ru"], rng, 0.5),
                            dd.vary_words(PARA, pools["ru"], rng, 0.5)) for _ in range(50))]
    assert sum(shared) / len(shared) < 0.05  # (1 - 0.5)^6 ~ 0.016 expected


def test_unrelated_documents_share_no_passage():
    """Documents of different stories, neither reusing the other, share no run of 12 words (a run of
    8 unchanged words in two variations has a chance of 2^-16 per position: a few such runs occur)."""
    records = list(islice(dd.corpus_records(10**12, seed=4, wrap_rate=0.0), 600))
    story = {d["id"]: s for d, s, _ in records}
    reused = {d["id"]: set(r) for d, _, r in records}
    where = defaultdict(set)
    for d, _, _ in records:
        for g in grams(d["text"], 12):
            where[g].add(d["id"])
    pairs = {(a, b) for ids in where.values() for a in ids for b in ids if a < b}
    kinds = [gc.link_kind(a, b, story, reused) for a, b in pairs]
    assert kinds.count("chance") == 0
    assert kinds.count("reprint") > 50 and kinds.count("reuse") > 5


def test_rates_are_per_document():
    """Reprints and reused passages keep their share of the documents along the stream."""
    records = list(islice(dd.corpus_records(10**12, seed=5), 3000))
    seen: set[str] = set()
    reprints, reuse = [], []
    for _, s, r in records:
        reprints.append(s in seen)
        reuse.append(bool(r))
        seen.add(s)
    for lo, hi in ((500, 1500), (1500, 3000)):
        assert 0.18 < sum(reprints[lo:hi]) / (hi - lo) < 0.32
        assert 0.02 < sum(reuse[lo:hi]) / (hi - lo) < 0.12


def test_truth_file_and_link_classification(tmp_path):
    corpus = tmp_path / "corpus-1mb.jsonl"
    n, _ = dd.write_corpus(corpus, 200_000, seed=3, truth=gc.truth_path(corpus))
    story, reused = gc.read_truth(gc.truth_path(corpus))
    ids = [json.loads(line)["id"] for line in corpus.open(encoding="utf-8")]
    assert list(story) == ids and len(ids) == n
    a, b = ids[0], ids[1]
    assert gc.link_kind(a, a, story, reused) == "reprint"
    reused[b] = {story[a]}
    assert gc.link_kind(a, b, story, reused) == "reuse"
    reused[b] = set()
    assert gc.link_kind(a, b, story, reused) == ("reprint" if story[a] == story[b] else "chance")
