"""Language identification over langdetect's profiles, on a bounded sample of the text.

The default engine ("profiles") scores the sample with langdetect's own n-gram profiles as a
naive-Bayes classifier: langdetect's text cleaning, normalisation and 1-3-gram extraction,
then the sum of log(p + alpha/BASE_FREQ) per language and the best language -- what
langdetect's random trials estimate, computed exactly, so it is deterministic by
construction and about ten times faster (tests/test_lang.py checks agreement with
langdetect on real texts, tests/test_lang_labels.py that every real text keeps its label).
One compiled kernel (``_lang_kernel``) scores a text from its code points: the profiles
kept sparse (an n-gram is in a few languages), a score row cached per word, a new word's
row the sum of its n-grams' weights.  The "langdetect" engine runs langdetect itself (seeded), with its per-character loops
rewritten over a normalisation table: the same n-grams and so the same answers.

``detect_languages`` labels a batch of texts in one kernel call (cheaper per text: the tables
stay warm from one text to the next); ``detect_language`` is a batch of one.

Profiles load once per process.  langdetect has no Kazakh profile (it reads Kazakh as
Russian, Bulgarian or Macedonian), so Cyrillic text rich in Kazakh-only letters is labelled
"kk" before either engine is asked.
"""
from __future__ import annotations

import json
import os
import re
from collections.abc import Iterator, Sequence
from functools import lru_cache
from itertools import chain, islice, repeat

import numpy as np
from langdetect import DetectorFactory, LangDetectException
from langdetect.detector import Detector
from langdetect.detector_factory import PROFILES_DIRECTORY
from langdetect.utils.ngram import NGram

from cleantext.config import LangConfig
from cleantext.text import _lang_kernel

UNDETERMINED = "und"
_SLICES = 4  # a long text is sampled as this many evenly spaced slices
_LETTER = re.compile(r"[^\W\d_]")
_CYRILLIC = re.compile(r"[\u0400-\u04ff]")
_KAZAKH = re.compile(r"[әғқңөұүһіӘҒҚҢӨҰҮҺІ]")
_KAZAKH_ONLY = "құҚҰ"  # not in Russian, Tatar, Bashkir, Kyrgyz or Ukrainian
_SPACES = re.compile(" {2,}")
_DIACRITIC = NGram.DMARK_CLASS  # the marks NGram.normalize_vi looks for after a letter
_MAX_TEXT = 10_000  # langdetect's default max_text_length (set per Detector instance)
_WORD_CACHE = 50_000  # cached word score rows (x 55 languages x 8 bytes: at most ~24 MB)


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
    if any(mark in text for mark in _DIACRITIC):
        text = NGram.normalize_vi(text)
    text = text[:max_length]
    return _SPACES.sub(" ", text) if "  " in text else text


def _cleaned(text: str) -> str:
    """langdetect's ``Detector.cleaning_text``: mostly non-Latin text loses its ASCII letters."""
    return _text(_cleaned_codes(_codes(text)))


def _cleaned_codes(codes: np.ndarray) -> np.ndarray:
    """``_cleaned`` on code points."""
    # langdetect counts "A" <= ch <= "z" as Latin and every ch >= U+0300 as not (it means
    # "but Latin Extended Additional", yet compares a block number with a name)
    latin = (codes >= 0x41) & (codes <= 0x7A)
    if 2 * np.count_nonzero(latin) < np.count_nonzero(codes >= 0x300):
        return codes[~latin]
    return codes


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


_UNICODE = 0x110000
_NORM = np.full(_UNICODE, _lang_kernel.UNSET, dtype=np.uint32)  # langdetect's normalisation
_UPPER = np.full(_UNICODE, 2, dtype=np.int8)  # whether a normalised character is upper case
_UPPER[ord(" ")] = 0  # both tables are filled lazily (_fill_tables); 2: not yet


_CLASSES = np.zeros(_UNICODE, dtype=np.uint8)  # character classes, filled with _NORM


def _classes(ch: str) -> int:
    """The kernel's class bits of a character (what ``_has_letters`` and ``_is_kazakh`` count,
    the characters ``Detector.append`` rewrites)."""
    k = _lang_kernel
    return ((k.LETTER if _LETTER.match(ch) else 0) | (k.CYRILLIC if _CYRILLIC.match(ch) else 0)
            | (k.KAZAKH if _KAZAKH.match(ch) else 0) | (k.KAZAKH_ONLY if ch in _KAZAKH_ONLY else 0)
            | (k.MARK if ch == "@" or ch in _DIACRITIC else 0))


def _fill_tables(codes: np.ndarray) -> None:
    """Fill ``_NORM`` and ``_CLASSES`` for ``codes`` and ``_UPPER`` for their normalised forms."""
    for code in np.unique(codes[_NORM[codes] == _lang_kernel.UNSET]).tolist():
        _CLASSES[code] = _classes(chr(code))
        _NORM[code] = ord(NGram.normalize(chr(code)))
    normalized = np.unique(_NORM[codes])
    for code in normalized[_UPPER[normalized] == 2].tolist():
        _UPPER[code] = chr(code).isupper()


def _codes(text: str) -> np.ndarray:
    return np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)


def _text(codes: np.ndarray) -> str:
    return codes.tobytes().decode("utf-32-le", "surrogatepass")


def _normalized(codes: np.ndarray) -> str:
    """The text of ``codes`` with langdetect's per-character normalisation (a table lookup)."""
    _fill_tables(codes)
    return _text(_NORM[codes])


def _normalize(text: str) -> str:
    """``text`` with langdetect's per-character normalisation."""
    return _normalized(_codes(text))


@lru_cache(maxsize=4)
def _factory(seed: int) -> DetectorFactory:
    factory = DetectorFactory()
    factory.load_profile(PROFILES_DIRECTORY)
    factory.set_seed(seed)
    return factory


class _Profiles:
    """langdetect's profiles, sparse, and a cache of word score rows, for ``_lang_kernel``.

    A language's naive-Bayes score is the sum, over the text's n-grams, of log(p + a) =
    log(a) + log1p(p / a), p the n-gram's probability in the language and a the smoothing;
    the first term is the same for every language, so a word's row holds the sum of the
    second, the n-gram's weight, which is 0 where the language lacks the n-gram (an n-gram
    is in a few of the 55 languages).  The word cache is emptied when full (between texts)."""

    def __init__(self, directory: str) -> None:
        # languages sorted: ties break alike; n-gram g's weights are _weights[_starts[g]:_starts[g + 1]]
        # for the languages _cols[...] of the same slice
        self.langs, self._gram_row, self._starts, self._cols, self._weights = _read_profiles(directory)
        keys = _gram_keys(list(self._gram_row))
        self._grams = _lang_kernel.gram_table(keys, self._starts, _power_of_two(3 * len(keys) // 2))
        self._entries = np.stack([self._cols.astype(np.float64), self._weights], axis=1)
        self._buf = np.empty(_MAX_TEXT, dtype=np.uint32)  # a text's normalised code points
        self._total = np.empty(len(self.langs))  # its scores
        self._clear()

    def _clear(self) -> None:
        """An empty word cache, with room for ``_WORD_CACHE`` words and then one more text."""
        rows = _WORD_CACHE + _MAX_TEXT // 2 + 2  # a text of _MAX_TEXT characters has fewer words
        # per slot: word hash, row (0: free), pool position, 2 x length + whether it ends a
        # text | number of known n-grams << 32 (one cache line holds two slots)
        self._cache = (np.zeros((_power_of_two(2 * rows), 4), dtype=np.uint64),
                       np.zeros(_WORD_CACHE * 8 + _MAX_TEXT, dtype=np.uint32),  # the words' code points
                       np.zeros((rows, len(self.langs))),  # the words' score rows
                       np.array([1, 0], dtype=np.int64))  # next row, next pool position

    def scores(self, text: str) -> np.ndarray | None:
        """Per language, the score of ``text`` (langdetect's cleaning first) less its n-grams
        x log(a); None without a known n-gram."""
        used, pool = self._cache[-1], self._cache[1]
        if used[0] > _WORD_CACHE or used[1] > len(pool) - _MAX_TEXT:  # only between texts
            self._clear()
        codes = _codes(text)
        raw = True
        while True:  # at most three calls: the text through Detector.append, the tables filled
            status = _lang_kernel.doc_scores(codes, raw, _MAX_TEXT, self._total, _NORM, _UPPER,
                                             self._buf, self._grams, self._entries, *self._cache)
            if status == _lang_kernel.SPECIAL:
                codes, raw = _codes(_appended(text)), False
            elif status == _lang_kernel.NEED_TABLES:
                _fill_tables(codes)
            else:
                break
        if status == _lang_kernel.FULL:
            raise RuntimeError("language word cache overflow")  # the room left above prevents it
        return None if status == _lang_kernel.NO_GRAM else self._total.copy()

    def detect(self, parts: list[str], cfg: LangConfig) -> list[str]:
        """``detect_language`` of texts sampled already, in one kernel call (the tables stay
        warm from one text to the next), plus one for the texts that need
        ``Detector.append``'s substitutions."""
        best = self._best(parts, True, cfg)
        rewrite = np.flatnonzero(best == _lang_kernel.REWRITE)
        if rewrite.size:
            best[rewrite] = self._best([_appended(parts[i]) for i in rewrite.tolist()], False, cfg)
        names = {_lang_kernel.UND: UNDETERMINED, _lang_kernel.KK: "kk"}
        return [self.langs[b] if b >= 0 else names[b] for b in best.tolist()]

    def _best(self, texts: list[str], screen: bool, cfg: LangConfig) -> np.ndarray:
        """``_lang_kernel.batch_best``'s verdicts on ``texts``."""
        codes = _codes("".join(texts))
        bounds = np.zeros(len(texts) + 1, dtype=np.int64)
        np.cumsum(np.fromiter(map(len, texts), dtype=np.int64, count=len(texts)), out=bounds[1:])
        best = np.empty(len(texts), dtype=np.int64)
        done = 0
        while True:  # stops to empty the full word cache or to fill the tables, then goes on
            pool = self._cache[1]
            done, status = _lang_kernel.batch_best(
                codes, bounds, done, screen, cfg.min_chars, cfg.kazakh_share, _MAX_TEXT,
                _WORD_CACHE, len(pool) - _MAX_TEXT, best, self._total, _NORM, _UPPER, _CLASSES,
                self._buf, self._grams, self._entries, *self._cache)
            if status == _lang_kernel.FULL:
                self._clear()
            elif status == _lang_kernel.NEED_TABLES:
                _fill_tables(codes[bounds[done]:bounds[done + 1]])
            else:
                return best


def _power_of_two(n: int) -> int:
    return 1 << max(n - 1, 1).bit_length()


def _gram_keys(grams: list[str]) -> np.ndarray:
    """Each n-gram (1 to 3 characters) as one integer, 21 bits per code point (no normalised
    character is NUL, so n-grams of different lengths never share a key)."""
    lengths = np.fromiter(map(len, grams), dtype=np.intp, count=len(grams))
    codes = _codes("".join(grams)).astype(np.uint64)
    first = np.cumsum(lengths) - lengths
    keys = np.zeros(len(grams), dtype=np.uint64)
    for k in range(3):
        has = lengths > k
        keys[has] = keys[has] << np.uint64(21) | codes[first[has] + k]
    return keys


@lru_cache(maxsize=1)
def _profiles() -> _Profiles:
    return _Profiles(PROFILES_DIRECTORY)


def _read_profiles(directory: str) -> tuple[list[str], dict[str, int], np.ndarray, np.ndarray,
                                             np.ndarray]:
    """langdetect's profile files as ``DetectorFactory.load_profile`` reads them: the languages
    (sorted), the row of each n-gram (1 to 3 characters; a longer one would keep probability 0)
    and, row by row, the languages that have the n-gram and its weight log1p(p / a) in each,
    p = count / n-grams of that length in the language (langdetect's probability)."""
    profiles = []
    for name in sorted(os.listdir(directory)):
        path = os.path.join(directory, name)
        if not name.startswith(".") and os.path.isfile(path):
            with open(path, encoding="utf-8") as f:
                profiles.append(json.load(f))
    profiles.sort(key=lambda p: p["name"])
    grams = [g for g in dict.fromkeys(chain.from_iterable(p["freq"] for p in profiles))
             if 1 <= len(g) <= 3]
    index = dict(zip(grams, range(len(grams))))
    rows, cols, probs = [], [], []
    for col, profile in enumerate(profiles):
        freq = profile["freq"]
        row = np.fromiter(map(index.get, freq, repeat(-1)), dtype=np.intp, count=len(freq))
        length = np.fromiter(map(len, freq), dtype=np.intp, count=len(freq))
        count = np.fromiter(freq.values(), dtype=np.float64, count=len(freq))
        ok = row >= 0
        rows.append(row[ok])
        cols.append(np.full(np.count_nonzero(ok), col))
        probs.append(count[ok] / np.array(profile["n_words"], dtype=np.float64)[length[ok] - 1])
    row, col, prob = np.concatenate(rows), np.concatenate(cols), np.concatenate(probs)
    order = np.lexsort((col, row))
    starts = np.concatenate(([0], np.cumsum(np.bincount(row, minlength=len(grams)))))
    weights = np.log1p(prob[order] / (Detector.ALPHA_DEFAULT / Detector.BASE_FREQ))
    return [p["name"] for p in profiles], index, starts, col[order].astype(np.uint8), weights


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
    if not any(ch in text for ch in _KAZAKH_ONLY):
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
    return detect_languages([text], cfg)[0]


def detect_languages(texts: Sequence[str], cfg: LangConfig = LangConfig()) -> list[str]:
    """``detect_language`` of each text; the "profiles" engine screens and scores them all in
    one kernel call, so a batch of texts costs less than one call per text."""
    parts = [sample(text, cfg.sample_chars) for text in texts]
    if cfg.engine == "profiles":
        return _profiles().detect(parts, cfg) if parts else []
    if cfg.engine != "langdetect":
        raise ValueError(f"unknown language engine {cfg.engine!r} (profiles, langdetect)")
    return [UNDETERMINED if not _has_letters(part, cfg.min_chars) else
            "kk" if _is_kazakh(part, cfg) else _langdetect(part, cfg.seed) for part in parts]


def _langdetect(part: str, seed: int) -> str:
    """langdetect itself (seeded) on a sample."""
    try:
        detector = _Detector(_factory(seed))
        detector.append(part)
        return detector.detect()
    except LangDetectException:
        return UNDETERMINED
