"""The deduplication benchmark: its metrics (benchmarks/bench_dedup.py) and its labelled set
(benchmarks/dedup_data.py, benchmarks/data/dedup/)."""
from __future__ import annotations

import json
import random
import sys
from collections import Counter
from itertools import islice
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parent.parent / "benchmarks"
sys.path.insert(0, str(BENCH))

import bench_dedup as bd  # noqa: E402
import dedup_data as dd  # noqa: E402
import dedup_edits as de  # noqa: E402
import dedup_scoring as sc  # noqa: E402
import dedup_sources as ds  # noqa: E402

SET = BENCH / "data" / "dedup"


@pytest.fixture(scope="module")
def dataset() -> tuple[list[dict], dict]:
    return bd.load_set(SET)


@pytest.fixture(scope="module", params=["committed", "seed 5"])
def any_set(request, dataset) -> tuple[list[dict], dict]:
    """The committed set, and one drawn with another seed (the invariants hold for any draw)."""
    return dataset if request.param == "committed" else dd.build(seed=5)


# ---------------------------------------------------------------- metrics


def test_ari_known_values():
    assert sc.adjusted_rand_index([0, 0, 1, 1], [0, 0, 1, 1]) == 1.0
    assert sc.adjusted_rand_index([0, 0, 1, 1], [5, 5, 7, 7]) == 1.0  # names do not matter
    # the worked examples of scikit-learn's adjusted_rand_score documentation
    assert sc.adjusted_rand_index([0, 0, 1, 1], [0, 0, 1, 2]) == pytest.approx(0.5714285714)
    assert sc.adjusted_rand_index([0, 0, 1, 1], [0, 1, 0, 1]) == pytest.approx(-0.5)
    assert sc.adjusted_rand_index([0, 0, 0, 0], [0, 1, 2, 3]) == pytest.approx(0.0)


def test_pairwise_precision_recall():
    truth = {"a": "x", "b": "x", "c": "x", "d": "y"}
    pred = {"a": "1", "b": "1", "c": "2", "d": "2"}
    tp = sc.cluster_pairs(truth) & sc.cluster_pairs(pred)
    assert sc.cluster_pairs(truth) == {("a", "b"), ("a", "c"), ("b", "c")}
    r = sc.prf(len(tp), len(sc.cluster_pairs(pred) - tp), len(sc.cluster_pairs(truth) - tp))
    assert (r["precision"], r["recall"]) == (0.5, round(1 / 3, 4))


def test_links_are_oriented_and_adjacent_windows_merged():
    texts = {"a": "x" * 30 + " " + "x" * 69, "b": "one two three four.\n\nfive six seven eight." + "y" * 50}
    links = [("b", 0, 19, "a", 10, 30), ("b", 21, 41, "a", 31, 50), ("a", 10, 30, "b", 0, 19)]
    assert sc.normalise_links(links, texts) == [("a", 10, 50, "b", 0, 41)]
    # a gap with words in it keeps two links apart
    assert len(sc.normalise_links([("a", 0, 5, "b", 0, 4), ("a", 0, 5, "b", 9, 14)],
                                  {"a": "x" * 20, "b": "abcd word xxxxx"})) == 2


def test_link_matching_needs_overlap_on_both_sides():
    true = [{"a": "a", "a_start": 100, "a_end": 200, "b": "b", "b_start": 0, "b_end": 100}]
    assert sc.match_links(true, [("a", 110, 210, "b", 0, 90)])[0] == {0: 0}
    assert sc.match_links(true, [("a", 160, 260, "b", 0, 100)])[0] == {}  # IoU 0.25 on side a
    assert sc.match_links(true, [("a", 100, 200, "c", 0, 100)])[0] == {}  # another document
    got, used = sc.match_links(true, [("a", 100, 200, "b", 0, 100), ("a", 100, 190, "b", 0, 100)])
    assert got == {0: 0} and used == {0}  # one to one


def _truth_prediction(labels: dict) -> sc.Prediction:
    links = [(t["a"], t["a_start"], t["a_end"], t["b"], t["b_start"], t["b_end"]) for t in labels["passages"]]
    return sc.Prediction("truth", {d: v["cluster"] for d, v in labels["documents"].items()}, links)


def test_the_truth_scores_perfectly(any_set):
    docs, labels = any_set
    r = sc.score(docs, labels, _truth_prediction(labels))
    assert (r["documents"]["f1"], r["documents"]["ari"]) == (1.0, 1.0)
    assert (r["passages"]["precision"], r["passages"]["recall"]) == (1.0, 1.0)


def test_joining_a_hard_negative_costs_precision(dataset):
    docs, labels = dataset
    pred = _truth_prediction(labels)
    info = labels["documents"]
    by_site = Counter(v["site"] for v in info.values() if v["site"])
    site = by_site.most_common(1)[0][0]
    members = sorted(d for d, v in info.items() if v["site"] == site)
    first = pred.clusters[members[0]]
    other = next(d for d in members if pred.clusters[d] != first)
    pred.clusters = {d: (first if c == pred.clusters[other] else c) for d, c in pred.clusters.items()}
    r = sc.score(docs, labels, pred)
    assert r["documents"]["precision"] < 1.0 and r["documents"]["recall"] == 1.0
    assert r["false_pairs_by_negative_kind"]["same_site"]["hit"] >= 1
    assert r["documents"]["ari"] < 1.0


def test_clean_text_scores(any_set):
    docs, labels = any_set
    raw = {d["id"]: d["text"] for d in docs}
    info = labels["documents"]
    body_only = {d: "\n".join(raw[d][s:e] for s, e in v["body"]) for d, v in info.items()}
    r = sc.score_clean_text(raw, info, body_only)
    assert (r["body_kept"], r["junk_left"], r["documents_losing_body"]) == (1.0, 0.0, 0)
    eq = r["portal_only_copies_equal"]
    assert eq["hit"] == eq["total"] >= 10
    r = sc.score_clean_text(raw, info, raw)  # nothing removed: all junk left
    assert r["body_kept"] == 1.0 and r["junk_left"] > 0.9
    assert r["portal_only_copies_equal"]["hit"] < r["portal_only_copies_equal"]["total"]
    r = sc.score_clean_text(raw, info, {})
    assert r["body_kept"] == 0.0 and r["documents_losing_body"] == len(info)


def test_missed_passages_removed_by_cleaning_are_counted(dataset):
    docs, labels = dataset
    pred = _truth_prediction(labels)
    copies = Counter(t["passage"] for t in labels["passages"])
    gone = next(t for t in labels["passages"] if t["required"] and copies[t["passage"]] == 1)
    pred.links = [ln for ln in pred.links if ln[0] != gone["a"] or ln[3] != gone["b"]]
    pred.removed = {gone["a"]: [(gone["a_start"] - 1, gone["a_end"], "rule:x")]}
    pred.texts = {d["id"]: d["text"] for d in docs}
    r = sc.score(docs, labels, pred)
    assert r["passages"]["missed_removed_by_cleaning"] == len(r["passages"]["missed"]) >= 1
    assert r["clean_text"]["body_removed_by_reason"] == {
        "rule:x": {"chars": gone["a_end"] - gone["a_start"], "documents": 1}}


def test_links_to_unknown_documents_are_ignored(dataset):
    docs, labels = dataset
    pred = _truth_prediction(labels)
    pred.links.append(("d0000", 0, 10, "not-in-the-set", 0, 10))
    assert sc.score(docs, labels, pred)["passages"]["precision"] == 1.0


def test_shifted_passage_spans_are_not_matches(dataset):
    docs, labels = dataset
    pred = _truth_prediction(labels)
    pred.links = [(a, e1, e1 + (e1 - s1), b, s2, e2) for a, s1, e1, b, s2, e2 in pred.links]
    r = sc.score(docs, labels, pred)["passages"]
    assert r["recall"] == 0.0 and r["precision"] < 0.2


def test_baseline_runs_on_a_subset(dataset):
    docs, labels = dataset
    keep = {d for d, v in labels["documents"].items() if v["lang"] == "ru"}
    sub_docs = [d for d in docs if d["id"] in keep]
    sub = {**labels, "documents": {d: v for d, v in labels["documents"].items() if d in keep},
           "passages": [t for t in labels["passages"] if t["a"] in keep and t["b"] in keep]}
    r = sc.score(sub_docs, sub, bd.run_baseline(sub_docs))
    assert 0.0 < r["documents"]["recall"] < 1.0  # boilerplate and edits defeat raw-text MinHash
    assert r["documents"]["precision"] > 0.9


def test_parse_grid():
    assert bd.parse_grid(["shingle_size=3,5", "threshold=0.5"]) == [
        {"shingle_size": 3, "threshold": 0.5}, {"shingle_size": 5, "threshold": 0.5}]


# ---------------------------------------------------------------- transformations


def test_number_dash_quote_restyling():
    rng = random.Random(1)
    assert de.restyle_numbers("более 1500 человек и 2 300 рублей", rng, 1.0) in {
        f"более 1{s}500 человек и 2300 рублей" for s in (" ", "\u00a0", "\u202f")}
    assert {de.restyle_numbers("в 2019 году, 3,5 процента", random.Random(i), 1.0) for i in range(20)} == {
        f"в 2019 году, 3{d}5 процента" for d in ",."}
    assert de.restyle_dashes("- Это очень ответственная работа", random.Random(0), 1.0)[0] in "—–-"
    assert len({de.restyle_dashes("- Это работа", random.Random(i), 1.0) for i in range(20)}) == 3
    styles = {de.restyle_dashes("аким — это служащий", random.Random(i), 1.0) for i in range(20)}
    assert styles == {f"аким {d} это служащий" for d in "—–-"}
    out = de.restyle_quotes("закон «О статусе» принят", random.Random(2), 1.0)
    assert "О статусе" in out and len(out) == len("закон «О статусе» принят")


def test_homoglyphs_keep_the_text_but_change_the_script():
    text = "Президент подписал закон о выборах акимов"
    out = de.swap_homoglyphs(text, random.Random(5), 1.0)
    assert out != text and len(out) == len(text)
    assert all(a == b or de.HOMOGLYPHS.get(a) == b for a, b in zip(text, out))
    assert any(b.isascii() for a, b in zip(text, out) if a != b)


def test_typos_and_truncation():
    text = "Глава государства напомнил о Послании народу в 2020 году с инициативой о выборах"
    out = de.add_typos(text, random.Random(4), 2)
    assert out != text and abs(len(out) - len(text)) <= 2
    units = [de.Unit("Первое предложение. Второе предложение здесь.", ("k", 0)),
             de.Unit("Третье предложение тоже. И четвертое.", ("k", 1))]
    assert de.truncate(units, random.Random(1), 0.6) == units[:1]
    cut = de.truncate(units, random.Random(1), 0.8)
    assert cut[1].text == "Третье предложение тоже." and not cut[1].whole


def test_sentence_alignment_finds_a_restyled_quote():
    x = "Он сказал. Более 1500 представителей партий были избраны акимами в селах. Конец."
    y = "Начало другое. Более 1 500 представителей партий были избраны акимами в селах! Иначе."
    runs = dd.align_sentences(x, de.sentence_spans(x), y, de.sentence_spans(y))
    assert len(runs) == 1
    sx, ex, sy, ey, jac = runs[0]
    assert x[sx:ex].startswith("Более 1500") and y[sy:ey].startswith("Более 1 500") and jac == 1.0


# ---------------------------------------------------------------- the committed set


def test_set_is_small_and_consistent(any_set):
    docs, labels = any_set
    assert (SET / "documents.jsonl").stat().st_size < 3_000_000
    ids = [d["id"] for d in docs]
    assert len(ids) == len(set(ids)) == len(labels["documents"]) >= 300
    assert all(set(d) == {"id", "text", "url", "source"} for d in docs)
    sizes = Counter(v["cluster"] for v in labels["documents"].values())
    assert sum(n >= 2 for n in sizes.values()) >= 60
    kinds = Counter(k for v in labels["documents"].values() for k in v["kinds"])
    for k in ("boilerplate", "sentence_drop", "numbers", "quotes", "homoglyphs", "typos", "truncation",
              "rewrap", "passage_host"):
        assert kinds[k] >= 8, k
    for d in docs:  # body and portal lines are disjoint spans of the text
        v = labels["documents"][d["id"]]
        spans = sorted(map(tuple, v["body"] + v["junk"]))
        assert all(e <= s2 for (_, e), (s2, _) in zip(spans, spans[1:])) and spans[-1][1] <= len(d["text"])
        assert all(d["text"][s:e].strip() == d["text"][s:e] != "" for s, e in spans)
        assert bool(v["junk"]) == ("boilerplate" in v["kinds"] or v["site"] == "seeds")
    # hard negatives: sites carrying several different stories
    per_site: dict[str, set] = {}
    for v in labels["documents"].values():
        per_site.setdefault(v["site"], set()).add(v["cluster"])
    assert sum(len(c) >= 5 for s, c in per_site.items() if s) >= 5


def test_passage_links_point_at_the_same_text(any_set):
    docs, labels = any_set
    texts = {d["id"]: d["text"] for d in docs}
    truth = {d: v["cluster"] for d, v in labels["documents"].items()}
    required = [t for t in labels["passages"] if t["required"]]
    assert len(required) >= 60 and {t["kind"] for t in required} == {"reuse", "natural"}
    for t in labels["passages"]:
        a = texts[t["a"]][t["a_start"]:t["a_end"]]
        b = texts[t["b"]][t["b_start"]:t["b_end"]]
        assert t["a"] < t["b"] and truth[t["a"]] != truth[t["b"]]
        assert a == a.strip() and b == b.strip() and a and b
        wa, wb = de.norm_words(a), de.norm_words(b)
        assert min(len(wa), len(wb)) >= (dd.REQUIRED_LINK_WORDS if t["required"] else dd.OPTIONAL_LINK_WORDS)
        sa, sb = de.shingles(wa, 2), de.shingles(wb, 2)
        assert len(sa & sb) / len(sa | sb) >= 0.3, t
    linked = {(t["a"], t["b"]) for t in labels["passages"]}
    assert all(tuple(p) in linked for p in labels["ambiguous_pairs"])  # a heavy shared passage
    spans: dict[tuple, list] = {}
    for t in labels["passages"]:
        spans.setdefault((t["a"], t["b"]), []).append((t["a_start"], t["a_end"]))
    for pair, xs in spans.items():  # links of one pair of documents never overlap
        xs.sort()
        assert all(e <= s for (_, e), (s, _) in zip(xs, xs[1:])), pair


def test_seed_quote_is_a_labelled_natural_link(dataset):
    _, labels = dataset
    info = labels["documents"]
    pairs = {frozenset((info[t["a"]]["article"], info[t["b"]]["article"]))
             for t in labels["passages"] if t["kind"] == "natural" and t["required"]}
    assert frozenset(("seeds/000_8b13ecfee196e07e.txt", "seeds/001_515439b8dda2b386.txt")) in pairs


def test_documents_are_made_of_real_text(dataset):
    docs, _ = dataset
    pool: set = set()

    def grams(text: str) -> set:
        return de.shingles([w for w in de.norm_words(text) if not w.isdigit()], 3)

    for a in ds.load_all():
        pool |= grams("\n".join(a.paragraphs) + "\n" + a.title) | grams(a.raw or "")
    pages = json.loads((BENCH / "data" / "article-extraction-benchmark" / "html-text.json").read_text("utf-8"))
    for v in pages["output"].values():
        for line in v["articleBody"].splitlines():
            pool |= grams(line)
    for d in docs:
        g = set().union(*(grams(line) for line in d["text"].splitlines()))
        assert len(g & pool) / len(g) >= 0.7, d["id"]  # what is not found: typos, re-wrapped lines


def test_the_set_is_regenerated_exactly(dataset, tmp_path):
    dd.write_set(tmp_path, seed=13)
    assert (tmp_path / "documents.jsonl").read_bytes() == (SET / "documents.jsonl").read_bytes()
    assert (tmp_path / "labels.json").read_bytes() == (SET / "labels.json").read_bytes()


# ---------------------------------------------------------------- corpus generator


def test_corpus_generator_is_streaming_deterministic_and_sized(tmp_path):
    first = list(islice(dd.generate_corpus(10**12, seed=3), 50))
    again = list(islice(dd.generate_corpus(10**12, seed=3), 50))
    assert first == again and len({d["id"] for d in first}) == 50
    n, size = dd.write_corpus(tmp_path / "c.jsonl.gz", 300_000, seed=3)
    assert 300_000 <= size < 340_000 and n > 20
