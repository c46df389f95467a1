"""Stopword lists per language: the ``stop-words`` package (BSD-3-Clause) plus a shipped Kazakh list.

Words are casefolded with ё -> е, like the matching keys they are compared with.
"""
from __future__ import annotations

import re
from functools import lru_cache
from itertools import repeat
from importlib import resources

import numpy as np

from stop_words import LANGUAGE_MAPPING, get_stop_words

# the languages a document is tested against when its language is not given
GUESS_LANGUAGES: tuple[str, ...] = ("ru", "kk", "en", "de", "fr", "es", "pl", "uk", "it", "pt", "nl")
_CYRILLIC_LANGS = frozenset({"ru", "kk", "uk"})

# the usual stopword density of news prose per language with these lists (measured: en on the
# article-extraction benchmark's article bodies, ru on Russian news; others estimated)
PROSE_DENSITY: dict[str, float] = {"en": 0.55, "ru": 0.31, "uk": 0.31, "kk": 0.22, "pl": 0.30,
                                   "de": 0.45, "fr": 0.48, "es": 0.50, "it": 0.45, "pt": 0.48,
                                   "nl": 0.48}
DEFAULT_PROSE_DENSITY = 0.40


def _norm(word: str) -> str:
    return word.strip().casefold().replace("ё", "е").replace("’", "'")


_ATTACHED = ("", ",", ".", ":", ";", "!", "?")  # tokens are white-space split: "which," is "which"


@lru_cache(maxsize=None)
def stopwords(lang: str) -> frozenset[str]:
    """The stopwords of ``lang`` (ISO 639-1), empty when none are known, each also with the
    punctuation a white-space token may carry."""
    return frozenset(w + p for w in base_stopwords(lang) for p in _ATTACHED)


@lru_cache(maxsize=None)
def base_stopwords(lang: str) -> frozenset[str]:
    """The stopwords of ``lang`` without attached punctuation."""
    if lang == "kk":
        text = resources.files("cleantext.boilerplate").joinpath("data/kazakh_stopwords.txt")
        words = [w for w in text.read_text(encoding="utf-8").splitlines()
                 if w.strip() and not w.startswith("#")]
    elif lang in LANGUAGE_MAPPING:
        words = get_stop_words(lang)
    else:
        return frozenset()
    return frozenset(_norm(w) for w in words if w.strip())


_CYRILLIC = re.compile(r"[а-яёәғқңөұүһі]")


_BITS = 32  # bits per language in a packed count (no sample holds 2**32 words)


@lru_cache(maxsize=None)
def _script_index(cyrillic: bool) -> tuple[tuple[str, ...], dict[str, int]]:
    """The languages tried for a script and, for each of their stopwords, a packed count: bit
    field i (``_BITS`` wide) is 1 when the word is a stopword of language i."""
    langs = tuple(lang for lang in GUESS_LANGUAGES if (lang in _CYRILLIC_LANGS) == cyrillic)
    index: dict[str, int] = {}
    for i, lang in enumerate(langs):
        for word in stopwords(lang):
            index[word] = index.get(word, 0) | 1 << (_BITS * i)
    return langs, index


def guess_language(words: list[str], min_share: float = 0.08) -> str | None:
    """The language whose stopwords cover most of ``words`` (None below ``min_share``; the
    first in GUESS_LANGUAGES on a tie); only the languages of the sample's script are tried."""
    if not words:
        return None
    langs, index = _script_index(_CYRILLIC.search(" ".join(words[:20])) is not None)
    packed = sum(map(index.get, words, repeat(0)))  # every language's count in one sum
    mask = (1 << _BITS) - 1
    hits = [packed >> (_BITS * i) & mask for i in range(len(langs))]
    best = max(range(len(hits)), key=lambda i: (hits[i], -i))
    return langs[best] if hits[best] >= min_share * len(words) else None


@lru_cache(maxsize=None)
def stopword_table(langs: tuple[str, ...]
                   ) -> tuple[np.ndarray, np.ndarray, np.ndarray, int, np.ndarray, np.ndarray]:
    """The stopwords of ``langs`` for ``_classifier_kernel.classify``: (table, words, starts,
    longest, script, usual): a hash table over the words without attached punctuation
    (code points, ``words[starts[k]:starts[k+1]]``; the kernel looks a token up with and
    without its last character when that is one of ``_ATTACHED``) with a bit per language,
    the longest token that may be a stopword;
    per language its ``script`` (0 Latin, 1 Cyrillic, 2 not in GUESS_LANGUAGES:
    never guessed) and its usual prose density."""
    from cleantext.boilerplate import _classifier_kernel

    bits: dict[str, int] = {}
    for i, lang in enumerate(langs):
        for word in base_stopwords(lang):
            bits[word] = bits.get(word, 0) | 1 << i
    ordered = sorted(bits)
    if len(langs) > 32:
        raise ValueError("stopword table: at most 32 languages (a bit each)")
    lengths = np.fromiter(map(len, ordered), dtype=np.int64, count=len(ordered))
    starts = np.zeros(len(ordered) + 1, dtype=np.int64)
    np.cumsum(lengths, out=starts[1:])
    words = np.frombuffer("".join(ordered).encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
    masks = np.array([bits[w] for w in ordered], dtype=np.uint32)
    table = _classifier_kernel.build_table(words, starts, masks,
                                           1 << max(4, (2 * len(ordered)).bit_length()))
    script = np.array([2 if lang not in GUESS_LANGUAGES else int(lang in _CYRILLIC_LANGS)
                       for lang in langs], dtype=np.int64)
    usual = np.array([PROSE_DENSITY.get(lang, DEFAULT_PROSE_DENSITY) for lang in langs])
    longest = max(map(len, ordered), default=0) + 1  # with attached punctuation
    return table, words, starts, longest, script, usual
