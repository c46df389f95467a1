"""Language identification: seeded, bounded, never raising."""
from __future__ import annotations

from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from cleantext.config import LangConfig
from cleantext.text.lang import detect_language, sample

SEEDS = sorted((Path(__file__).parent.parent / "seeds").glob("*.txt"))
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
