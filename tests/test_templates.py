"""Template digests of raw lines: the compiled paths equal the line-by-line definition, pass 1
(whole raw documents) and pass 2 (blocks' raw spans) agree, and counting is order-independent."""
from __future__ import annotations

import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cleantext.boilerplate import templates
from cleantext.boilerplate.templates import (COUNTED, ELIGIBLE, TemplateCounter, _line_digest,
                                             digest, document_lines, line_digests, template_key)
from cleantext.config import BoilerplateConfig, Config
from cleantext.document import Document
from cleantext.pipeline import count_templates
from cleantext.text.meta import extract_meta
from cleantext.text.segment import split_lines, to_blocks

LINES = ["Курс 513 7 / 516 3", "", "главная  новости\u00a0спорт", "Привет, мир. Да", "٣٤ test",
         "a\u3000b;", "x" * 301, "end;", "1 000 000", "года…", "tab\there", "a.b c", "x" * 300,
         " ".join(["w"] * 16), " ".join(["w"] * 17), "emoji 🔥 12", "ǅ ﬁ ß", "Ёлка — «тест»",
         "a\u00adb\u200bc", "1,500 300", "12 345 6789", " \u200b "]
HEADS = ["date 2025-11-28 ", "Аким избран в селе 12 - Караван", "Аким избран в селе 12",
         "Аким избран в селе 13", "\n", "\n"]  # a date prefix, a title, its copy, a near copy
ALPHABET = list("aB0٣９ .,;!?…\u3000\t\n\rЁж🔥\u00ad\u2014«\u2028\x1c")


def test_template_key_folds_like_matching_keys_and_zeroes_digits() -> None:
    assert template_key("Курс 513 7 / 516 3") == "курс 0 0 / 0 0"
    assert template_key("  Просмотров:\u00a01 500 ") == template_key("просмотров: 7") == "просмотров: 0"
    assert template_key("Ёлка — «тест»") == 'елка - "тест"'
    assert template_key("Сomment") == template_key("Comment")  # a Cyrillic "С": one skeleton
    assert template_key("d\u00adf\u200bg") == "dfg"  # invisible characters dropped
    assert template_key("1,500 300") == "0,0 0" and template_key("12 345 6789") == "0 0"


def test_line_digest_definition() -> None:
    d, flags = _line_digest("курс 513 7 / 516 3", 300, 16)
    assert d == digest(template_key("курс 513 7 / 516 3")) == digest("курс 0 0 / 0 0")
    assert flags == COUNTED | ELIGIBLE
    assert _line_digest("", 300, 16) == (0, 0) and _line_digest("x" * 301, 300, 16) == (0, 0)
    assert _line_digest(" \u200b ", 300, 16) == (0, 0)  # nothing left: not counted
    assert _line_digest("Привет, мир. Да", 300, 16)[1] == COUNTED  # a sentence end: not eligible
    assert _line_digest(" ".join(["w"] * 17), 300, 16)[1] == COUNTED  # too many words
    assert digest("abc") != digest("abd") and digest("ab") != digest("ab\0")


@pytest.mark.skipif(templates._template_kernel is None, reason="numba not installed")
def test_kernel_equals_line_by_line() -> None:
    assert line_digests(LINES, 300, 16) == ([_line_digest(k, 300, 16)[0] for k in LINES],
                                            [_line_digest(k, 300, 16)[1] for k in LINES])


@pytest.mark.skipif(templates._template_kernel is None, reason="numba not installed")
@settings(max_examples=200, deadline=None)
@given(st.lists(st.text(alphabet=st.sampled_from(ALPHABET), max_size=40), max_size=8),
       st.integers(1, 30), st.integers(0, 6))
def test_kernel_equals_line_by_line_on_random_lines(lines: list[str], max_chars: int,
                                                    max_words: int) -> None:
    pairs = [_line_digest(k, max_chars, max_words) for k in lines]
    assert line_digests(lines, max_chars, max_words) == ([h for h, _ in pairs], [f for _, f in pairs])


def _lists(arrays: tuple) -> tuple[list, ...]:
    return tuple(a.tolist() for a in arrays)


def _by_lines(raw: str, max_chars: int, max_words: int) -> tuple[list, list, list, list]:
    lines = list(split_lines(raw))
    pairs = [_line_digest(ln.text, max_chars, max_words) for ln in lines]
    return ([ln.start for ln in lines], [ln.end for ln in lines], [h for h, _ in pairs],
            [f for _, f in pairs])


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.sampled_from(ALPHABET), max_size=80), st.integers(1, 30),
       st.integers(0, 6))
def test_document_lines_are_the_split_lines_digests(raw: str, max_chars: int,
                                                    max_words: int) -> None:
    assert _lists(document_lines(raw, max_chars, max_words)) == _by_lines(raw, max_chars, max_words)


def test_document_lines_fallback_equals_kernel(monkeypatch: pytest.MonkeyPatch) -> None:
    raw = "\n".join(LINES) + "\r\n\u2028  x \x1c y\x85z\n"
    compiled = _lists(document_lines(raw, 300, 16))
    monkeypatch.setattr(templates, "_template_kernel", None)
    assert _lists(document_lines(raw, 300, 16)) == compiled == _by_lines(raw, 300, 16)


def _pass2_digests(doc: Document) -> list[int]:
    """The digests pass 2 looks up: those of the raw spans of the blocks meta leaves as text."""
    blocks = extract_meta(doc, to_blocks(doc.raw))
    cfg = BoilerplateConfig()
    digests, flags = line_digests([b.raw for b in blocks], cfg.template_max_chars,
                                  cfg.template_corpus_max_words)
    return [h for h, f in zip(digests, flags) if f]


@pytest.mark.parametrize("raw, meta, dropped", [
    ("date 2025-11-28 Первая строка текста\nВторая строка\nТретья 12", {}, 0),  # the prefix is cut
    ("date 2025-11-28\nАким села избран в районе - Караван\nТекст статьи.\nЕщё", {}, 2),
    ("Аким села избран в районе области\nТекст.\nАким села избран в районе области\nКонец", {}, 2),
    ("Дан отдельно: заголовок\nТекст статьи.\nДан отдельно: заголовок", {"title": "Дан отдельно: заголовок"}, 2),
    ("Просто первая строка без признаков\nТекст.", {}, 0), ("date 2025-11-28", {}, 1), ("", {}, 0)])
def test_pass_one_counts_the_lines_pass_two_looks_up(raw: str, meta: dict, dropped: int) -> None:
    counter = TemplateCounter(BoilerplateConfig())
    counter.add_documents([Document(id="d", raw=raw, meta=dict(meta), site="s")])
    pass2 = _pass2_digests(Document(id="d", raw=raw, meta=dict(meta), site="s"))
    assert set(counter.sites["s"]) == set(pass2)
    assert len(pass2) == len(list(split_lines(raw))) - dropped


def test_add_lines_equals_add_and_the_lookup_uses_the_same_digests() -> None:
    cfg = BoilerplateConfig(template_min_count=2)

    class B:
        def __init__(self, raw: str) -> None:
            self.raw = raw

    a, b, c = TemplateCounter(cfg), TemplateCounter(cfg), TemplateCounter(cfg)
    docs = [["Главная 1", "новости дня прошли.", "текст один"], ["главная  22", "текст два"]]
    for lines in docs:
        a.add("s", [B(k) for k in lines])
        b.add_lines("s", lines)
    c.add_documents(Document(id="d", raw="\n".join(lines), site="s") for lines in docs)
    assert a == b == c
    index = a.freeze()
    assert index.lookup_lines("s", ["ГЛАВНАЯ 333", "текст три"]) == [("template:site", 1.0), None]
    assert index.lookup_lines(None, ["главная 4"]) == [("template:corpus", 1.0)]


def test_count_templates_is_order_and_batch_independent() -> None:
    raws = [f"Главная | Новости\nПросмотров: {i * 37}\nСвоя строка номер {w}\nПодпишитесь на нас"
            for i, w in enumerate(["один", "два", "три", "четыре", "пять"])]
    docs = [Document(id=f"site.kz/{i}", raw=r) for i, r in enumerate(raws)]
    cfg = Config()
    whole = count_templates(docs, cfg)
    shuffled = docs[:]
    random.Random(5).shuffle(shuffled)
    parts = count_templates(shuffled[:2], cfg).merge(count_templates(shuffled[2:], cfg))
    assert (parts.sites, parts.corpus, parts.site_docs, parts.docs) == \
        (whole.sites, whole.corpus, whole.site_docs, whole.docs)
    index = whole.freeze()
    assert index.lookup_lines("site.kz", ["Просмотров: 1 234", "Своя строка номер шесть"]) == \
        [("template:site", 1.0), None]
    assert all(d.removed == [] and d.site is None for d in docs)  # documents unchanged


@settings(max_examples=60, deadline=None)
@given(st.lists(st.lists(st.sampled_from(ALPHABET + HEADS), max_size=12).map("".join),
                max_size=6), st.integers(1, 200))
def test_a_batch_counts_as_its_documents_one_by_one(raws: list[str], batch_chars: int) -> None:
    docs = [Document(id=f"site.kz/{i}", raw=r) for i, r in enumerate(raws)]
    one_by_one = TemplateCounter(BoilerplateConfig(template_max_chars=20))
    for d in docs:
        one_by_one.add_documents([d])
    batched = TemplateCounter(BoilerplateConfig(template_max_chars=20))
    old, templates._BATCH_CHARS = templates._BATCH_CHARS, batch_chars
    try:
        batched.add_documents(docs)
    finally:
        templates._BATCH_CHARS = old
    assert batched == one_by_one


@pytest.mark.parametrize("line", LINES)
def test_text_digest_is_the_line_digest(line: str) -> None:
    assert templates.text_digest(line, 300, 16) == _line_digest(line, 300, 16)
