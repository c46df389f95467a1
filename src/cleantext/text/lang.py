"""Language identification: langdetect, seeded, on a bounded sample of the text.

One ``DetectorFactory`` per process and seed (loading the profiles is the costly part);
each call builds a cheap detector from it, so results do not depend on call order.  The
detector is langdetect's own with its per-character loops rewritten over cached character
normalisation: the same n-grams and so the same answers (tests/test_lang.py), in less time.
langdetect has no Kazakh profile (it reads Kazakh as Russian, Bulgarian or Macedonian), so
Cyrillic text rich in Kazakh-only letters is labelled "kk" before langdetect is asked.
"""
from __future__ import annotations

import re
from functools import lru_cache

from langdetect import DetectorFactory, LangDetectException
from langdetect.detector import Detector
from langdetect.detector_factory import PROFILES_DIRECTORY
from langdetect.utils.ngram import NGram

from cleantext.config import LangConfig

UNDETERMINED = "und"
_SLICES = 4  # a long text is sampled as this many evenly spaced slices
_LETTER = re.compile(r"[^\W\d_]")
_CYRILLIC = re.compile(r"[\u0400-\u04ff]")
_KAZAKH = re.compile(r"[әғқңөұүһіӘҒҚҢӨҰҮҺІ]")
_KAZAKH_ONLY = re.compile(r"[құҚҰ]")  # not in Russian, Tatar, Bashkir, Kyrgyz or Ukrainian
_SPACES = re.compile(" {2,}")


class _Detector(Detector):
    """langdetect's Detector; ``append``, ``cleaning_text`` and ``_extract_ngrams`` give the
    same results as the originals with cached per-character work."""

    def append(self, text: str) -> None:
        text = NGram.normalize_vi(self.MAIL_RE.sub(" ", self.URL_RE.sub(" ", text)))
        self.text += _SPACES.sub(" ", text[:self.max_text_length])

    def cleaning_text(self) -> None:
        latin = non_latin = 0
        for ch in self.text:
            if "A" <= ch <= "z":
                latin += 1
            elif ch >= "\u0300":  # langdetect means "but not Latin Extended Additional"; its
                non_latin += 1  # test compares a block number with a name, so all count
        if latin * 2 < non_latin:
            self.text = "".join(ch for ch in self.text if ch < "A" or "z" < ch)

    def _extract_ngrams(self) -> list[str]:
        # langdetect's NGram buffer, word by word: a word is padded with the space before it
        # (and after it, when one follows); a character right after an upper-case one inside
        # a word adds nothing; otherwise its 1-, 2- and 3-grams in the profiles are kept.
        vocabulary = self.word_lang_prob_map
        words = self.text.translate(_NORMALIZE).split(" ")
        result: list[str] = []
        last = len(words) - 1
        for k, word in enumerate(words):
            if not word:
                continue
            p = " " + word + " " if k < last else " " + word
            for i in range(1, len(p)):
                if p[i].isupper() and p[i - 1].isupper():
                    continue
                for g in (p[i], p[i - 1:i + 1], p[i - 2:i + 1] if i > 1 else ""):
                    if g and g != " " and g in vocabulary:
                        result.append(g)
        return result


class _NormalizeTable(dict):
    """``str.translate`` table for langdetect's per-character normalisation, filled lazily."""

    def __missing__(self, code: int) -> str:
        self[code] = NGram.normalize(chr(code))
        return self[code]


_NORMALIZE = _NormalizeTable()


@lru_cache(maxsize=4)
def _factory(seed: int) -> DetectorFactory:
    factory = DetectorFactory()
    factory.load_profile(PROFILES_DIRECTORY)
    factory.set_seed(seed)
    return factory


def sample(text: str, size: int) -> str:
    """At most about ``size`` characters of ``text``: evenly spaced slices cut at spaces."""
    if len(text) <= size:
        return text
    width = (size - _SLICES + 1) // _SLICES  # room for the joining newlines
    step = (len(text) - width) / (_SLICES - 1)
    parts = []
    for k in range(_SLICES):
        start = int(k * step)
        if start:
            space = text.find(" ", start, start + width // 2)
            start = space + 1 if space >= 0 else start
        chunk = text[start:start + width]
        cut = chunk.rfind(" ") if start + width < len(text) else -1
        parts.append(chunk[:cut] if cut > width // 2 else chunk)
    return "\n".join(parts)


def _is_kazakh(letters: int, text: str, cfg: LangConfig) -> bool:
    cyrillic = len(_CYRILLIC.findall(text))
    if 2 * cyrillic < letters or _KAZAKH_ONLY.search(text) is None:
        return False
    return len(_KAZAKH.findall(text)) >= cfg.kazakh_share * cyrillic


def detect_language(text: str, cfg: LangConfig = LangConfig()) -> str:
    """ISO 639-1 code of the text's language (langdetect's codes, plus "kk"), or "und"."""
    part = sample(text, cfg.sample_chars)
    letters = len(_LETTER.findall(part))
    if letters < cfg.min_chars:
        return UNDETERMINED
    if _is_kazakh(letters, part, cfg):
        return "kk"
    try:
        detector = _Detector(_factory(cfg.seed))
        detector.append(part)
        return detector.detect()
    except LangDetectException:
        return UNDETERMINED
