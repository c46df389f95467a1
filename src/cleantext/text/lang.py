"""Language identification over langdetect's profiles, on a bounded sample of the text.

The default engine ("profiles") scores the sample with langdetect's own n-gram profiles as a
naive-Bayes classifier: langdetect's text cleaning, normalisation and 1-3-gram extraction,
then the sum of log(p + alpha/BASE_FREQ) per language and the best language -- what
langdetect's random trials estimate, computed exactly, so it is deterministic by
construction and about ten times faster (tests/test_lang.py checks agreement with
langdetect on real texts).  Score rows are cached per word.  The "langdetect" engine runs
langdetect itself (seeded), with its per-character loops rewritten over cached
normalisation: the same n-grams and so the same answers.

Profiles load once per process.  langdetect has no Kazakh profile (it reads Kazakh as
Russian, Bulgarian or Macedonian), so Cyrillic text rich in Kazakh-only letters is labelled
"kk" before either engine is asked.
"""
from __future__ import annotations

import re
from collections.abc import Iterator
from functools import lru_cache
from itertools import islice

import numpy as np
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
_ASCII_LETTERISH = re.compile("[A-z]")
_WORD_CACHE = 50_000  # cached word score rows (x 55 languages x 8 bytes: at most ~22 MB)


class _Detector(Detector):
    """langdetect's Detector; ``append``, ``cleaning_text`` and ``_extract_ngrams`` give the
    same results as the originals with cached per-character work."""

    def append(self, text: str) -> None:
        text = NGram.normalize_vi(self.MAIL_RE.sub(" ", self.URL_RE.sub(" ", text)))
        self.text += _SPACES.sub(" ", text[:self.max_text_length])

    def cleaning_text(self) -> None:
        # langdetect counts "A" <= ch <= "z" as Latin and every ch >= U+0300 as not (it means
        # "but Latin Extended Additional", yet compares a block number with a name)
        codes = np.frombuffer(self.text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
        latin = np.count_nonzero((codes >= 0x41) & (codes <= 0x7A))
        if 2 * latin < np.count_nonzero(codes >= 0x300):
            self.text = _ASCII_LETTERISH.sub("", self.text)

    def _extract_ngrams(self) -> list[str]:
        vocabulary = self.word_lang_prob_map
        return [g for p in _padded_words(self.text) for g in _grams(p) if g in vocabulary]


def _padded_words(text: str) -> Iterator[str]:
    """langdetect's NGram buffer, word by word: each normalised word with the space before
    it, and the space after it when one follows."""
    words = text.translate(_NORMALIZE).split(" ")
    last = len(words) - 1
    for k, word in enumerate(words):
        if word:
            yield " " + word + " " if k < last else " " + word


def _grams(p: str) -> Iterator[str]:
    """The 1-, 2- and 3-grams langdetect takes from a padded word (none for a character
    right after an upper-case one)."""
    for i in range(1, len(p)):
        if p[i].isupper() and p[i - 1].isupper():
            continue
        if p[i] != " ":
            yield p[i]
        yield p[i - 1:i + 1]
        if i > 1:
            yield p[i - 2:i + 1]


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


class _Profiles:
    """langdetect's profiles as a (n-gram x language) log-probability matrix."""

    def __init__(self, factory: DetectorFactory) -> None:
        self.factory = factory
        order = sorted(range(len(factory.langlist)), key=factory.langlist.__getitem__)
        self.langs = [factory.langlist[i] for i in order]  # sorted: ties break the same anywhere
        vocabulary = factory.word_lang_prob_map
        self.index = {g: i for i, g in enumerate(vocabulary)}
        probs = np.array(list(vocabulary.values()), dtype=np.float64)[:, order]
        self.logp = np.log(probs + Detector.ALPHA_DEFAULT / Detector.BASE_FREQ)
        self._rows: dict[str, int] = {}  # padded word -> row of _scores (-1: no n-gram)
        self._scores = np.zeros((1024, len(self.langs)))
        self._used = 0

    def _add(self, words: list[str]) -> None:
        """Score rows for new padded words, all summed by one ``reduceat`` (the same way
        whatever else is in the batch, so a row never depends on the cache's history)."""
        grams = [[self.index[g] for g in _grams(p) if g in self.index] for p in words]
        scored = [(p, ids) for p, ids in zip(words, grams) if ids]
        self._rows.update((p, -1) for p, ids in zip(words, grams) if not ids)
        if not scored:
            return
        while self._used + len(scored) > len(self._scores):
            self._scores = np.concatenate([self._scores, np.zeros_like(self._scores)])
        flat = np.fromiter((i for _, ids in scored for i in ids), dtype=np.intp)
        starts = np.cumsum([0] + [len(ids) for _, ids in scored[:-1]])
        end = self._used + len(scored)
        self._scores[self._used:end] = np.add.reduceat(self.logp[flat], starts, axis=0)
        self._rows.update((p, self._used + k) for k, (p, _) in enumerate(scored))
        self._used = end

    def detect(self, text: str) -> str:
        """The best language for ``text`` (langdetect's cleaning first), or "und"."""
        if self._used >= _WORD_CACHE:  # only between documents: rows stay valid within one
            self._rows.clear()
            self._used = 0
        detector = _Detector(self.factory)
        detector.append(text)
        detector.cleaning_text()
        words = list(_padded_words(detector.text))
        fresh = [p for p in dict.fromkeys(words) if p not in self._rows]
        if fresh:
            self._add(fresh)
        rows = [r for p in words if (r := self._rows[p]) >= 0]
        if not rows:
            return UNDETERMINED
        return self.langs[int(np.argmax(self._scores[rows].sum(axis=0)))]


@lru_cache(maxsize=1)
def _profiles() -> _Profiles:
    return _Profiles(_factory(0))  # the seed only matters to langdetect's random trials


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


def _is_kazakh(text: str, cfg: LangConfig) -> bool:
    if _KAZAKH_ONLY.search(text) is None:
        return False
    cyrillic = len(_CYRILLIC.findall(text))
    if 2 * cyrillic < len(_LETTER.findall(text)):
        return False
    return len(_KAZAKH.findall(text)) >= cfg.kazakh_share * cyrillic


def _has_letters(text: str, n: int) -> bool:
    """Whether ``text`` holds at least ``n`` letters (stops counting there)."""
    return n <= 0 or next(islice(_LETTER.finditer(text), n - 1, None), None) is not None


def detect_language(text: str, cfg: LangConfig = LangConfig()) -> str:
    """ISO 639-1 code of the text's language (langdetect's codes, plus "kk"), or "und"."""
    part = sample(text, cfg.sample_chars)
    if not _has_letters(part, cfg.min_chars):
        return UNDETERMINED
    if _is_kazakh(part, cfg):
        return "kk"
    if cfg.engine == "profiles":
        return _profiles().detect(part)
    if cfg.engine != "langdetect":
        raise ValueError(f"unknown language engine {cfg.engine!r} (profiles, langdetect)")
    try:
        detector = _Detector(_factory(cfg.seed))
        detector.append(part)
        return detector.detect()
    except LangDetectException:
        return UNDETERMINED
