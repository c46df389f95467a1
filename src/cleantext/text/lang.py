"""Language identification: langdetect, seeded, on a bounded sample of the text.

One ``DetectorFactory`` per process and seed (loading the profiles is the costly part);
each call builds a cheap ``Detector`` from it, so results do not depend on call order.
langdetect has no Kazakh profile (it reads Kazakh as Russian, Bulgarian or Macedonian), so
Cyrillic text rich in Kazakh-only letters is labelled "kk" before langdetect is asked.
"""
from __future__ import annotations

import re
from functools import lru_cache

from langdetect import DetectorFactory, LangDetectException
from langdetect.detector_factory import PROFILES_DIRECTORY

from cleantext.config import LangConfig

UNDETERMINED = "und"
_SLICES = 4  # a long text is sampled as this many evenly spaced slices
_LETTER = re.compile(r"[^\W\d_]")
_CYRILLIC = re.compile(r"[\u0400-\u04ff]")
_KAZAKH = re.compile(r"[әғқңөұүһіӘҒҚҢӨҰҮҺІ]")
_KAZAKH_ONLY = re.compile(r"[құҚҰ]")  # not in Russian, Tatar, Bashkir, Kyrgyz or Ukrainian


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
        detector = _factory(cfg.seed).create()
        detector.append(part)
        return detector.detect()
    except LangDetectException:
        return UNDETERMINED
