"""Stopword lists per language: the ``stop-words`` package (BSD-3-Clause) plus a shipped Kazakh list.

Words are casefolded with ё -> е, like the matching keys they are compared with.
"""
from __future__ import annotations

import re
from functools import lru_cache
from itertools import repeat
from importlib import resources

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
    if lang == "kk":
        text = resources.files("cleantext.boilerplate").joinpath("data/kazakh_stopwords.txt")
        words = [w for w in text.read_text(encoding="utf-8").splitlines()
                 if w.strip() and not w.startswith("#")]
    elif lang in LANGUAGE_MAPPING:
        words = get_stop_words(lang)
    else:
        return frozenset()
    return frozenset(_norm(w) + p for w in words if w.strip() for p in _ATTACHED)


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
