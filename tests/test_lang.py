"""Language identification: seeded, bounded, never raising."""
from __future__ import annotations

import csv
import math
import gzip
import json
from pathlib import Path

import pytest

from hypothesis import given, settings
from hypothesis import strategies as st

from cleantext.config import LangConfig
from cleantext.text.lang import detect_language, detect_languages, sample

ROOT = Path(__file__).parent.parent
SEEDS = sorted((ROOT / "seeds").glob("*.txt"))
DATA = ROOT / "benchmarks" / "data"
CFG = LangConfig()
KAZAKH = ("Қазақстан Республикасының Президенті Қасым-Жомарт Тоқаев ауыл әкімдерінің сайлауы "
          "туралы мәлімдеме жасады. Ауылдық округ әкімдерін тікелей сайлау жүйесі енгізілді.")
AMHARIC = "ሰላም ለዓለም ይህ የአማርኛ ጽሑፍ ነው እና በጣም ረጅም ነው"
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


def test_batch_gives_each_texts_label(monkeypatch: pytest.MonkeyPatch) -> None:
    import cleantext.text.lang as lang
    texts = ([p.read_text(encoding="utf-8")[:500] for p in SEEDS]
             + [ENGLISH, KAZAKH, "Да, ок", "", "see http://example.com/a now please, friends",
                "Tiếng Việt rất đẹp và phong phú, e\u0301 ban ngày", "ქართული ენა ძალიან ლამაზია დღეს",
                "हिन्दी भाषा बहुत सुंदर है और पुरानी है, भारत के लोग इसे बोलते हैं",
                AMHARIC,  # letters, but no n-gram of any profile
                "Hola, ¿cómo estás hoy amigo?", "x" * 10_050 + " die Wahl"])
    alone = [detect_language(t, CFG) for t in texts]
    assert len(set(alone)) >= 8 and alone[texts.index(AMHARIC)] == "und"
    lang._profiles()._clear()
    assert detect_languages(texts, CFG) == alone
    monkeypatch.setattr(lang, "_WORD_CACHE", 3)  # the cache is emptied between texts of the batch
    assert detect_languages(texts[::-1], CFG) == alone[::-1]
    slow = CFG.replace(engine="langdetect")
    assert detect_languages(texts[:7], slow) == [detect_language(t, slow) for t in texts[:7]]
    assert detect_languages([], CFG) == []


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.sampled_from("abXé абвГ ӘқҚұҰіһ.,!12_\u0300ệ日@:/ \U0001d400"), max_size=60),
       st.sampled_from([0, 1, 5, 20]), st.sampled_from([0.0, 0.06, 0.5]))
def test_batch_screens_as_the_python_rules(text: str, min_chars: int, share: float) -> None:
    import numpy as np

    from cleantext.text.lang import _has_letters, _is_kazakh, _profiles
    cfg = CFG.replace(min_chars=min_chars, kazakh_share=share)
    profiles = _profiles()
    if not _has_letters(text, min_chars):
        expected = "und"
    elif _is_kazakh(text, cfg):
        expected = "kk"
    else:
        scores = profiles.scores(text)
        expected = "und" if scores is None else profiles.langs[int(np.argmax(scores))]
    assert detect_languages([text, ENGLISH, text], cfg) == [expected, "en", expected]


def test_batch_rewrites_addresses_and_urls_first() -> None:
    # scored without Detector.append's substitutions, both would be "en"
    import numpy as np

    from cleantext.text.lang import _profiles
    texts = ["пишите thebestcompanyintheworld@gmail.com сегодня",
             "сайт http://www.thebestcompanyintheworld.com/news/elections сегодня"]
    expected = [_profiles().langs[int(np.argmax(_reference_scores(t)))] for t in texts]
    assert "en" not in expected
    assert detect_languages(texts + [ENGLISH], CFG) == expected + ["en"]


def _reference_scores(text: str) -> list[float] | None:
    """Per language, the sum over the n-grams langdetect takes from ``text`` (its own cleaning,
    normalisation and n-grams) of log(p + a) - log(a), from langdetect's probability table;
    None without a known n-gram."""
    import math

    from cleantext.text.lang import _Detector, _factory
    factory = _factory(CFG.seed)
    order = sorted(range(len(factory.langlist)), key=factory.langlist.__getitem__)
    detector = _Detector(factory)
    detector.append(text)
    detector.cleaning_text()
    grams = detector._extract_ngrams()
    if not grams:
        return None
    a = 0.5 / 10000
    probs = [factory.word_lang_prob_map[g] for g in grams]
    return [sum(math.log(q[k] + a) - math.log(a) for q in probs) for k in order]


def _kernel_scores(text: str, fresh: bool) -> list[float] | None:
    from cleantext.text.lang import _profiles
    profiles = _profiles()
    if fresh:
        profiles._clear()
    total = profiles.scores(text)
    return None if total is None else total.tolist()


@settings(max_examples=150, deadline=None)
@given(st.one_of(st.text(max_size=80), st.text(
    alphabet=st.sampled_from("abXYZéÀ абвГДЁ ӘқҚ.,!\u0300ệ日ひカ한\U0001d400\U0001f600@:/ "), max_size=80)))
def test_kernel_scores_are_langdetects_naive_bayes(text: str) -> None:
    expected = _reference_scores(text)
    for fresh in (True, False):  # new words scored, then the same words from the cache
        got = _kernel_scores(text, fresh)
        assert (got is None) == (expected is None)
        if got is not None:
            assert all(math.isclose(x, y, rel_tol=1e-12, abs_tol=1e-9) for x, y in zip(got, expected))


def test_kernel_scores_on_real_text() -> None:
    for path in SEEDS:
        text = sample(path.read_text(encoding="utf-8"), CFG.sample_chars)
        got, expected = _kernel_scores(text, True), _reference_scores(text)
        assert got is not None and expected is not None
        assert all(math.isclose(x, y, rel_tol=1e-12) for x, y in zip(got, expected))


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


def test_kernel_marks_are_langdetects() -> None:
    from langdetect.utils.ngram import NGram

    from cleantext.text._lang_kernel import _MARKS
    assert _MARKS == tuple(map(ord, NGram.DMARK_CLASS))


def test_texts_langdetect_rewrites_are_scored_rewritten() -> None:
    # a URL, an address and a decomposed Vietnamese letter: Detector.append's substitutions
    for text in ("Tiếng Việt rất đẹp và phong phú, e\u0301 ban ngày", "see http://example.com/a/b now please",
                 "write to someone@example.com about the elections", "x" * 10_050 + " die Wahl"):
        assert _kernel_scores(text, True) == pytest.approx(_reference_scores(text), rel=1e-12)
