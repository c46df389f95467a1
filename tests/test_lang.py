"""Language identification: seeded, bounded, never raising."""
from __future__ import annotations

import csv
import gzip
import json
from pathlib import Path

import pytest

from hypothesis import given, settings
from hypothesis import strategies as st

from cleantext.config import LangConfig
from cleantext.text.lang import detect_language, sample

ROOT = Path(__file__).parent.parent
SEEDS = sorted((ROOT / "seeds").glob("*.txt"))
DATA = ROOT / "benchmarks" / "data"
CFG = LangConfig()
KAZAKH = ("Қазақстан Республикасының Президенті Қасым-Жомарт Тоқаев ауыл әкімдерінің сайлауы "
          "туралы мәлімдеме жасады. Ауылдық округ әкімдерін тікелей сайлау жүйесі енгізілді.")
ENGLISH = "The president said that rural elections gave a new impulse to the work of parties."


def test_seeds_are_russian() -> None:
    for path in SEEDS:
        assert detect_language(path.read_text(encoding="utf-8"), CFG) == "ru"


def test_other_languages() -> None:
    assert detect_language(ENGLISH, CFG) == "en"
    assert detect_language(KAZAKH, CFG) == "kk"
    # Russian that names Kazakh people and places stays Russian
    assert detect_language("Президент Қасым-Жомарт Тоқаев посетил Ақорду и встретился "
                           "с акимами сельских округов, сообщает пресс-служба.", CFG) == "ru"


def test_short_or_letterless_text_is_undetermined() -> None:
    assert detect_language("Да, ок", CFG) == "und"
    assert detect_language("12 345 + 67 = 12 412 !!! 2025-11-28", CFG) == "und"
    assert detect_language("", CFG) == "und"


def test_deterministic_whatever_the_call_order() -> None:
    texts = [p.read_text(encoding="utf-8")[:300] for p in SEEDS] + [ENGLISH, "mixed да yes нет no"]
    first = [detect_language(t, CFG) for t in texts]
    assert [detect_language(t, CFG) for t in reversed(texts)] == first[::-1]


def test_sample_is_bounded_and_spread() -> None:
    text = " ".join(f"w{i}" for i in range(200_000))
    part = sample(text, 2000)
    assert len(part) <= 2000
    assert part.startswith("w0 ") and "w199999" in part and "w100000" not in part[:500]
    assert sample("short text", 2000) == "short text"
    long_doc = SEEDS[0].read_text(encoding="utf-8") * 500
    assert detect_language(long_doc, CFG) == "ru"


@settings(max_examples=100, deadline=None)
@given(st.text(max_size=200))
def test_never_raises(text: str) -> None:
    assert isinstance(detect_language(text, CFG), str)


def _stock(text: str) -> tuple[str, list[str]]:
    from langdetect.detector import Detector

    from cleantext.text.lang import _factory
    d = Detector(_factory(CFG.seed))
    d.append(text)
    d.cleaning_text()
    return d.text, d._extract_ngrams()


def _ours(text: str) -> tuple[str, list[str]]:
    from cleantext.text.lang import _Detector, _factory
    d = _Detector(_factory(CFG.seed))
    d.append(text)
    d.cleaning_text()
    return d.text, d._extract_ngrams()


@settings(max_examples=300, deadline=None)
@given(st.one_of(st.text(max_size=120), st.text(
    alphabet=st.sampled_from("abcXYZ ÀÉ абвГДЁ  ӘқҚ.,!\u0300\u0301ệ日ひカ한\u2014@:/"), max_size=120)))
def test_fast_detector_extracts_what_langdetect_extracts(text: str) -> None:
    assert _ours(text) == _stock(text)


def test_fast_detector_on_real_text() -> None:
    for path in SEEDS:
        text = sample(path.read_text(encoding="utf-8"), CFG.sample_chars)
        assert _ours(text) == _stock(text)
    assert _ours("ВАШ ТЕКСТ  ABC def http://x.com/a a@b.c Tiếng Việt") == \
        _stock("ВАШ ТЕКСТ  ABC def http://x.com/a a@b.c Tiếng Việt")


def _real_texts() -> list[str]:
    """Seeds, multilingual article bodies and Russian news from benchmarks/data."""
    texts = [p.read_text(encoding="utf-8") for p in SEEDS]
    truth = json.loads((DATA / "article-extraction-benchmark" / "ground-truth.json")
                       .read_text(encoding="utf-8"))
    texts += [v.get("articleBody", "") for v in list(truth.values())[:70]]
    csv.field_size_limit(1 << 30)
    for path in sorted((DATA / "ru-news-samples" / "ods").glob("*.csv.gz")):
        with gzip.open(path, "rt", encoding="utf-8") as f:
            texts += [row["text"] for _, row in zip(range(3), csv.DictReader(f))]
    return texts


def test_profiles_engine_agrees_with_langdetect_on_real_texts() -> None:
    texts = _real_texts()
    ours = [detect_language(t, CFG) for t in texts]
    theirs = [detect_language(t, CFG.replace(engine="langdetect")) for t in texts]
    assert len(set(ours)) >= 5  # several languages really are in the set
    agree = sum(a == b for a, b in zip(ours, theirs))
    assert agree >= 0.98 * len(texts), [(a, b) for a, b in zip(ours, theirs) if a != b]


def test_engines_and_their_guards() -> None:
    assert detect_language(KAZAKH, CFG.replace(engine="langdetect")) == "kk"
    assert detect_language("Да, ок", CFG.replace(engine="langdetect")) == "und"
    with pytest.raises(ValueError, match="engine"):
        detect_language(ENGLISH, CFG.replace(engine="cld3"))


def test_word_cache_does_not_change_answers(monkeypatch: pytest.MonkeyPatch) -> None:
    import cleantext.text.lang as lang
    texts = [p.read_text(encoding="utf-8")[:400] for p in SEEDS] + [ENGLISH, "Hola, ¿cómo estás hoy amigo?"]
    first = [detect_language(t, CFG) for t in texts]
    monkeypatch.setattr(lang, "_WORD_CACHE", 3)  # the cache is emptied before every document
    assert [detect_language(t, CFG) for t in reversed(texts)] == first[::-1]


def _dense_scores(words: list[str]) -> list[list[float]]:
    """Per padded word, sum over the n-grams langdetect takes of log(p + a) - log(a) by language,
    from langdetect's own probability table."""
    import math

    from cleantext.text.lang import _factory, _grams
    factory = _factory(CFG.seed)
    order = sorted(range(len(factory.langlist)), key=factory.langlist.__getitem__)
    a = 0.5 / 10000
    out = []
    for p in words:
        probs = [factory.word_lang_prob_map[g] for g in _grams(p) if g in factory.word_lang_prob_map]
        out.append([sum(math.log(q[k] + a) - math.log(a) for q in probs) for k in order])
    return out


@settings(max_examples=200, deadline=None)
@given(st.lists(st.text(alphabet=st.sampled_from("abXYZéÀ абвГДЁ ӘқҚ日ひカ한\U0001d400\U0001f600"),
                        min_size=1, max_size=9).map(lambda w: w.replace(" ", "")).filter(bool),
                min_size=1, max_size=6, unique=True))
def test_word_rows_sum_the_weights_of_the_n_grams_of_grams(words: list[str]) -> None:
    import copy

    import numpy as np

    from cleantext.text.lang import _profiles
    fresh = copy.copy(_profiles())  # shares the loaded profiles, not the word cache
    fresh._old = {}
    fresh._new_generation()
    keys = words[:-1] + [" " + words[-1]]  # the last word of a text has no space after it
    fresh._add(keys)
    got = fresh._scores[[fresh._rows[k] for k in keys]]
    expected = np.array(_dense_scores([" " + w + " " for w in words[:-1]] + [" " + words[-1]]))
    assert np.allclose(got, expected, rtol=1e-12, atol=1e-9)
    assert all((fresh._rows[k] == 0) == (not expected[i].any()) for i, k in enumerate(keys))


def test_old_generation_rows_are_reused(monkeypatch: pytest.MonkeyPatch) -> None:
    import cleantext.text.lang as lang
    profiles = lang._profiles()
    texts = [p.read_text(encoding="utf-8")[:400] for p in SEEDS] + [ENGLISH]
    first = [detect_language(t, CFG) for t in texts]
    monkeypatch.setattr(lang, "_WORD_CACHE", 40)  # a new generation every few documents
    assert [detect_language(t, CFG) for t in texts] == first
    assert profiles._old and profiles._used <= 40 + len(max(texts, key=len).split())
    again = detect_language(texts[-1], CFG)
    assert again == first[-1] and set(ENGLISH.lower().split()[:3]) <= set(profiles._rows) | set(profiles._old)


def test_normalization_table_is_langdetects() -> None:
    from langdetect.utils.ngram import NGram

    from cleantext.text.lang import _normalize
    text = "".join(map(chr, range(1, 0x10000, 3)))
    assert _normalize(text) == "".join(map(NGram.normalize, text))


def test_profiles_are_read_as_langdetect_reads_them() -> None:
    import numpy as np

    from langdetect.detector import Detector

    from cleantext.text.lang import _MAX_TEXT, _factory, _profiles
    profiles, factory = _profiles(), _factory(CFG.seed)
    assert Detector(factory).max_text_length == _MAX_TEXT
    order = sorted(range(len(factory.langlist)), key=factory.langlist.__getitem__)
    assert profiles.langs == sorted(factory.langlist)
    assert set(profiles._gram_row) == set(factory.word_lang_prob_map)
    grams = list(factory.word_lang_prob_map)
    rows = np.array([profiles._gram_row[g] for g in grams])
    dense = np.zeros((len(grams), len(order)))
    cells = np.repeat(np.arange(len(grams)), np.diff(profiles._starts)[rows])
    entries = np.concatenate([np.arange(profiles._starts[r], profiles._starts[r + 1]) for r in rows])
    dense[cells, profiles._cols[entries]] = profiles._weights[entries]
    probs = np.array(list(factory.word_lang_prob_map.values()))[:, order]
    expected = np.log(probs + 0.5 / 10000) - np.log(0.5 / 10000)
    assert np.allclose(dense, expected, rtol=1e-12, atol=1e-12)
    assert np.array_equal(dense > 0, probs > 0)
