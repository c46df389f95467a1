"""The boilerplate benchmark's scorers (benchmarks/boilerplate_scoring.py) and its data."""
from __future__ import annotations

import sys
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parent.parent / "benchmarks"
sys.path.insert(0, str(BENCH))

from boilerplate_data import load_aeb, parse_labelled  # noqa: E402
from boilerplate_scoring import (LineCounts, aggregate, clean_text_key, line_removed,  # noqa: E402
                                 merge_spans, overlap, word_ngrams)

TRUTH = "The quick brown fox jumps over the lazy dog. It was not amused at all."


def test_perfect_output_scores_one():
    r = aggregate([overlap(TRUTH, TRUTH), overlap("один два три", "один два три")])
    assert (r.precision, r.recall, r.f1) == (1.0, 1.0, 1.0)


def test_empty_output_scores_zero_recall():
    r = aggregate([overlap(TRUTH, ""), overlap("a b c d e", "")])
    assert r.recall == 0.0
    assert r.f1 == 0.0


def test_counts_are_multisets_normalised_per_document():
    # truth 4-grams: (a b c d), (b c d e); prediction: (a b c d), (b c d x), (a b c d) again
    o = overlap("a b c d e", "a b c d x. a b c d")
    assert word_ngrams("a b c d x. a b c d")[("a", "b", "c", "d")] == 2
    assert o.precision == pytest.approx(1 / 6)  # only one of six predicted 4-grams matches
    assert o.recall == pytest.approx(1 / 2)
    assert o.tp + o.fp + o.fn == pytest.approx(1.0)


def test_short_text_is_one_short_ngram_and_case_option():
    assert word_ngrams("Hello World") == {("hello", "world"): 1}
    assert overlap("Hello World", "hello world").recall == 1.0
    assert overlap("Hello World", "hello world", lower=False).recall == 0.0


def test_precision_averages_skip_documents_without_prediction():
    r = aggregate([overlap(TRUTH, TRUTH), overlap(TRUTH, "")])
    assert r.precision == 1.0
    assert r.recall == 0.5


def test_keep_all_baseline_reproduces_the_reference_point():
    pages = load_aeb()
    assert len(pages) == 181
    r = aggregate(overlap(p.truth, p.text) for p in pages)
    assert round(r.f1, 3) == 0.665


def test_line_removed_by_cover_or_by_loss():
    raw = "Заголовок\nUSD: 513.7\nТекст статьи о выборах."
    lines = [(0, 9), (10, 20), (21, len(raw))]
    spans = merge_spans([(10, 14), (14, 20)])
    key = clean_text_key("Текст статьи о выборах.")
    got = [line_removed(s, e, raw, spans, key) for s, e in lines]
    assert got == [True, True, False]  # title lost from the text, rate covered, article kept
    assert not line_removed(10, 20, raw, merge_spans([(10, 14)]), clean_text_key("USD: 513.7"))


def test_line_counts_precision_recall():
    c = LineCounts()
    for label, removed in [(True, True), (True, False), (False, True), (False, False)]:
        c.add(label, removed)
    d = c.to_dict()
    assert (d["precision"], d["recall"], d["keep_rate"]) == (0.5, 0.5, 0.5)


def test_parse_labelled_rebuilds_raw_text_and_spans():
    rec = {"id": "x", "source": "t", "tail": "\n", "lines": [
        {"sep": " ", "text": "date 2025-11-28", "label": "remove", "kind": "date"},
        {"sep": " ", "text": "— Текст.", "label": "keep", "kind": "article"},
        {"sep": "\n\n", "text": "В тренде:", "label": "remove", "kind": "trending"}]}
    doc = parse_labelled(rec)
    assert doc.raw == " date 2025-11-28 — Текст.\n\nВ тренде:\n"
    assert all(doc.raw[ln.start:ln.end] == ln.text for ln in doc.lines)
    assert [ln.remove for ln in doc.lines] == [True, False, True]


def test_labelled_russian_set_is_consistent():
    from boilerplate_data import load_ru_labelled, load_seeds
    docs = load_ru_labelled()
    assert len(docs) >= 30
    assert len({d.id for d in docs}) == len(docs)
    seeds = {sid[:3]: text for sid, text in load_seeds()}
    for d in docs:
        assert any(ln.remove for ln in d.lines) and not all(ln.remove for ln in d.lines), d.id
        for ln in d.lines:
            assert d.raw[ln.start:ln.end] == ln.text and ln.text.strip() == ln.text
            assert "\n" not in ln.text and ln.kind and ln.src
        if d.source == "seeds":
            assert d.raw == seeds[d.id[-3:]]  # the seed file verbatim


def test_removed_lines_reads_removals_and_clean_text():
    from bench_boilerplate import removed_lines
    from cleantext import Document, Removal
    lab = parse_labelled({"id": "x", "source": "t", "lines": [
        {"sep": "", "text": "USD: 513.7", "label": "remove"},
        {"sep": "\n", "text": "Глава государства подчеркнул важность выборов.", "label": "keep"},
        {"sep": "\n", "text": "В тренде:", "label": "remove"}]})
    doc = Document(id="x", raw=lab.raw, text="Глава государства подчеркнул важность выборов.\nВ тренде:",
                   removed=[Removal(0, 10, "widget:exchange_rate", "USD: 513.7")])
    assert removed_lines(lab, doc) == [True, False, False]
    doc.text = ""  # text lost without a recorded removal still counts as removed
    assert removed_lines(lab, doc) == [True, True, True]


def test_c4_line_filter_keeps_sentences_only():
    from bench_boilerplate import c4_line_filter
    text = "Home\nThe council approved the new budget on Monday.\nPlease enable JavaScript to see this."
    assert c4_line_filter(text) == "The council approved the new budget on Monday."


def test_line_key_decodes_html_entities_as_repair_does():
    raw = "<p>research&amp;branding group</p>"
    assert not line_removed(0, len(raw), raw, [], clean_text_key("<p>research&branding group</p>"))
