"""Language identification over langdetect's profiles, on a bounded sample of the text.

The default engine ("profiles") scores the sample with langdetect's own n-gram profiles as a
naive-Bayes classifier: langdetect's text cleaning, normalisation and 1-3-gram extraction,
then the sum of log(p + alpha/BASE_FREQ) per language and the best language -- what
langdetect's random trials estimate, computed exactly, so it is deterministic by
construction and about ten times faster (tests/test_lang.py checks agreement with
langdetect on real texts).  Score rows are cached per word; the n-grams of new words are
taken for all of them at once in numpy (integer keys looked up in the sorted profile keys).
The "langdetect" engine runs langdetect itself (seeded), with its per-character loops
rewritten over a normalisation table: the same n-grams and so the same answers.

Profiles load once per process.  langdetect has no Kazakh profile (it reads Kazakh as
Russian, Bulgarian or Macedonian), so Cyrillic text rich in Kazakh-only letters is labelled
"kk" before either engine is asked.
"""
from __future__ import annotations

import json
import os
import re
from collections.abc import Iterator
from functools import lru_cache
from itertools import islice, repeat

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
_DIACRITIC = re.compile(f"[{NGram.DMARK_CLASS}]")  # what NGram.normalize_vi looks for after a letter
_MAX_TEXT = 10_000  # langdetect's default max_text_length (set per Detector instance)
_NEW = -2  # a word not in the row cache yet
_WORD_CACHE = 50_000  # cached word score rows (x 55 languages x 8 bytes: at most ~22 MB)


class _Detector(Detector):
    """langdetect's Detector; ``append``, ``cleaning_text`` and ``_extract_ngrams`` give the
    same results as the originals with cached per-character work."""

    def append(self, text: str) -> None:
        self.text += _appended(text, self.max_text_length)

    def cleaning_text(self) -> None:
        self.text = _cleaned(self.text)

    def _extract_ngrams(self) -> list[str]:
        vocabulary = self.word_lang_prob_map
        return [g for p in _padded_words(self.text) for g in _grams(p) if g in vocabulary]


def _appended(text: str, max_length: int = _MAX_TEXT) -> str:
    """What langdetect's ``Detector.append`` adds for ``text``: URLs and addresses out,
    Vietnamese marks composed, cut to ``max_length``, runs of spaces as one."""
    # each substitution only where it can match: a URL needs "://", an address "@"
    if "://" in text:
        text = Detector.URL_RE.sub(" ", text)
    if "@" in text:
        text = Detector.MAIL_RE.sub(" ", text)
    if _DIACRITIC.search(text) is not None:
        text = NGram.normalize_vi(text)
    text = text[:max_length]
    return _SPACES.sub(" ", text) if "  " in text else text


def _cleaned(text: str) -> str:
    """langdetect's ``Detector.cleaning_text``: mostly non-Latin text loses its ASCII letters."""
    # langdetect counts "A" <= ch <= "z" as Latin and every ch >= U+0300 as not (it means
    # "but Latin Extended Additional", yet compares a block number with a name)
    codes = _codes(text)
    latin = np.count_nonzero((codes >= 0x41) & (codes <= 0x7A))
    if 2 * latin < np.count_nonzero(codes >= 0x300):
        return _ASCII_LETTERISH.sub("", text)
    return text


def _padded_words(text: str) -> list[str]:
    """langdetect's NGram buffer, word by word: each normalised word with the space before
    it, and the space after it when one follows."""
    words = _normalize(text).split(" ")
    padded = [" " + word + " " for word in words[:-1] if word]
    if words[-1]:
        padded.append(" " + words[-1])
    return padded


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
_BMP = 0x10000
_SPACE = ord(" ")


@lru_cache(maxsize=1)
def _bmp_tables() -> tuple[np.ndarray, np.ndarray]:
    """langdetect's normalisation of every Basic Multilingual Plane code point, and whether
    the normalised character is upper-case."""
    normalized = "".join(map(NGram.normalize, map(chr, range(_BMP))))
    return _codes(normalized), np.array([ch.isupper() for ch in normalized])


def _codes(text: str) -> np.ndarray:
    return np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)


def _normalize(text: str) -> str:
    """``text`` with langdetect's per-character normalisation (a table lookup per code point)."""
    codes = _codes(text)
    if not len(codes) or codes.max() >= _BMP:
        return text.translate(_NORMALIZE)
    return _bmp_tables()[0][codes].tobytes().decode("utf-32-le", "surrogatepass")


def _gram_key(gram: str) -> int:
    """An n-gram (1 to 3 characters) as one integer, 21 bits per code point (no normalised
    character is NUL, so n-grams of different lengths never share a key)."""
    key = 0
    for ch in gram:
        key = key << 21 | ord(ch)
    return key


@lru_cache(maxsize=4)
def _factory(seed: int) -> DetectorFactory:
    factory = DetectorFactory()
    factory.load_profile(PROFILES_DIRECTORY)
    factory.set_seed(seed)
    return factory


class _Profiles:
    """langdetect's profiles as a (n-gram x language) log-probability matrix."""

    def __init__(self, directory: str) -> None:
        self.langs, grams, probs = _read_profiles(directory)  # languages sorted: ties break alike
        keys = np.array([_gram_key(g) for g in grams], dtype=np.uint64)
        by_key = np.argsort(keys)
        self.keys = keys[by_key]  # sorted n-gram keys, row by row of logp
        self.logp = np.log(probs[by_key] + Detector.ALPHA_DEFAULT / Detector.BASE_FREQ)
        # a word between spaces -> row of _scores (-1: no n-gram); a text's last word, with no
        # space after it, is keyed by " " + word (no word holds a space)
        self._rows: dict[str, int] = {}
        self._scores = np.zeros((1024, len(self.langs)))
        self._used = 0

    def _add(self, words: list[str]) -> None:
        """Score rows for new words (keys of ``_rows``): each the sum, by one ``reduceat``, of
        its n-grams' rows in ``_grams`` order (so a row never depends on the batch or the cache's
        history)."""
        rows, word = self._gram_rows([w if w[0] == " " else " " + w + " " for w in words])
        hit = np.unique(word)
        self._rows.update((p, -1) for p in words)
        if not len(hit):
            return
        while self._used + len(hit) > len(self._scores):
            self._scores = np.concatenate([self._scores, np.zeros_like(self._scores)])
        starts = np.flatnonzero(np.concatenate(([True], word[1:] != word[:-1])))
        end = self._used + len(hit)
        distinct, inverse = np.unique(rows, return_inverse=True)  # one read of each profile row
        self._scores[self._used:end] = np.add.reduceat(self.logp[distinct][inverse], starts, axis=0)
        self._rows.update((words[w], self._used + k) for k, w in enumerate(hit.tolist()))
        self._used = end

    def _gram_rows(self, words: list[str]) -> tuple[np.ndarray, np.ndarray]:
        """The profile rows of the n-grams ``_grams`` takes from each padded word (in its
        order, unknown n-grams left out) and the index of the word of each, all at once."""
        lengths = np.fromiter(map(len, words), dtype=np.intp, count=len(words))
        t = _codes("".join(words)).astype(np.uint64)
        word = np.repeat(np.arange(len(words)), lengths)
        at = np.arange(len(t)) - np.repeat(np.cumsum(lengths) - lengths, lengths)  # index in word
        table, upper_table = _bmp_tables()
        upper = upper_table[np.where(t < _BMP, t, 0)]
        for i in np.flatnonzero(t >= _BMP).tolist():
            upper[i] = chr(int(t[i])).isupper()
        space = np.array([_SPACE], dtype=np.uint64)
        prev, shift = np.concatenate((space, t[:-1])), np.uint64(21)
        prev2 = np.concatenate((space, prev[:-1]))
        ok = (at >= 1) & ~(upper & np.concatenate(([False], upper[:-1])))
        # per position: its 1-gram, 2-gram and 3-gram, in that order
        keys = np.stack([t, prev << shift | t, (prev2 << shift | prev) << shift | t], axis=1)
        valid = np.stack([ok & (t != _SPACE), ok, ok & (at >= 2)], axis=1)
        keys, word = keys[valid], np.repeat(word, 3)[valid.ravel()]
        found = np.minimum(np.searchsorted(self.keys, keys), len(self.keys) - 1)
        known = self.keys[found] == keys
        return found[known], word[known]

    def detect(self, text: str) -> str:
        """The best language for ``text`` (langdetect's cleaning first), or "und"."""
        if self._used >= _WORD_CACHE:  # only between documents: rows stay valid within one
            self._rows.clear()
            self._used = 0
        words = _normalize(_cleaned(_appended(text))).split(" ")  # as _padded_words, unpadded
        last = words.pop()
        words = list(filter(None, words))
        if last:
            words.append(" " + last)
        known = self._rows
        rows = np.fromiter(map(known.get, words, repeat(_NEW)), dtype=np.intp, count=len(words))
        new = np.flatnonzero(rows == _NEW).tolist()
        if new:
            self._add(list(dict.fromkeys(words[i] for i in new)))
            rows[new] = [known[words[i]] for i in new]
        rows = rows[rows >= 0]
        if not len(rows):
            return UNDETERMINED
        return self.langs[int(np.argmax(self._scores[rows].sum(axis=0)))]


@lru_cache(maxsize=1)
def _profiles() -> _Profiles:
    return _Profiles(PROFILES_DIRECTORY)


def _read_profiles(directory: str) -> tuple[list[str], list[str], np.ndarray]:
    """langdetect's profile files as ``DetectorFactory.load_profile`` reads them: the languages
    (sorted), the n-grams and their (n-gram x language) probabilities, count / n-grams of that
    length in the language (an n-gram longer than 3 keeps probability 0)."""
    profiles = []
    for name in sorted(os.listdir(directory)):
        path = os.path.join(directory, name)
        if not name.startswith(".") and os.path.isfile(path):
            with open(path, encoding="utf-8") as f:
                profiles.append(json.load(f))
    profiles.sort(key=lambda p: p["name"])
    index: dict[str, int] = {}
    rows: list[int] = []
    cols: list[int] = []
    counts: list[float] = []
    totals: list[float] = []
    for col, profile in enumerate(profiles):
        n_words = profile["n_words"]
        for gram, count in profile["freq"].items():
            row = index.setdefault(gram, len(index))
            if 1 <= len(gram) <= 3:
                rows.append(row)
                cols.append(col)
                counts.append(count)
                totals.append(n_words[len(gram) - 1])
    probs = np.zeros((len(index), len(profiles)))
    probs[rows, cols] = np.array(counts, dtype=np.float64) / np.array(totals, dtype=np.float64)
    return [p["name"] for p in profiles], list(index), probs


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
