"""Matching keys: a normalised form of a line used only for hashing and comparison.

Two lines that a reader would call the same text get the same key: case (casefold), ё/е,
dash and quote styles, white space, digit grouping ("1 500" = "1500") and Latin/Cyrillic
look-alike letters inside one word ("Сaravan.kz" with a Cyrillic С = "Caravan.kz").
The key is never shown in the output text.
"""
from __future__ import annotations

import re

# Look-alike letters, Latin -> Cyrillic (the reverse table is its inverse).
_LAT_CYR = {
    "A": "А", "B": "В", "C": "С", "E": "Е", "H": "Н", "K": "К", "M": "М", "O": "О", "P": "Р",
    "T": "Т", "X": "Х", "Y": "У", "a": "а", "c": "с", "e": "е", "o": "о", "p": "р", "x": "х",
    "y": "у", "i": "і", "j": "ј", "s": "ѕ", "h": "һ",
}
_TO_CYR = str.maketrans(_LAT_CYR)
_TO_LAT = str.maketrans({c: lat for lat, c in _LAT_CYR.items()})
_LATIN = re.compile(r"[A-Za-z]")
_CYRILLIC = re.compile(r"[\u0400-\u04ff]")
_LATIN_RUN = re.compile(r"[A-Za-z]+")
_WORD_CHAR = re.compile(r"\w")
_WORD_END = re.compile(r"\w*")
_MAX_RUNS = 64
_MIXED_WORD = re.compile(r"\b(?=\w*?[A-Za-z])(?=\w*?[\u0400-\u04ff])\w+")

_FOLD = {
    "ё": "е",
    **dict.fromkeys("\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe58\ufe63\uff0d", "-"),
    **dict.fromkeys("\u00ab\u00bb\u201c\u201d\u201e\u201f\u2018\u2019\u201a\u201b\u2039\u203a"
                    "'`\u00b4\uff02", '"'),
}
_FOLD_RE = re.compile("[" + "".join(_FOLD) + "]")  # re.sub beats str.translate on non-ASCII
# A digit group: 1-3 digits then groups of exactly three after single spaces ("2 334 000").
_DIGIT_GROUP = re.compile(r"(?<![\d.,])\d{1,3}(?: \d{3})+(?!\d)")
_DIGIT_HINT = re.compile(r"\d \d\d\d")
_ODD_SPACE = re.compile(r"[^\S\n ]")
_WORD = re.compile(r"\d+(?:[.,]\d+)+|\w+")


def _fold(word: str) -> str:
    latin = len(_LATIN.findall(word))
    cyrillic = len(_CYRILLIC.findall(word))
    return word.translate(_TO_CYR if cyrillic >= latin else _TO_LAT)


def _fold_word(m: re.Match[str]) -> str:
    return _fold(m.group())


def fold_homoglyphs(s: str) -> str:
    """Map look-alike letters inside a mixed Latin/Cyrillic word to the word's main script."""
    if _LATIN.search(s) is None or _CYRILLIC.search(s) is None:
        return s
    spans = _touching_words(s)
    if spans is None:
        return _MIXED_WORD.sub(_fold_word, s)
    parts: list[str] = []
    done = 0
    for a, b in spans:
        word = s[a:b]
        if _CYRILLIC.search(word) is not None:
            parts += [s[done:a], _fold(word)]
            done = b
    return "".join(parts) + s[done:] if parts else s


def _touching_words(s: str) -> list[tuple[int, int]] | None:
    """Spans of the words of ``s`` in which a Latin run touches another word character
    (every mixed Latin/Cyrillic word is one), in order; None after ``_MAX_RUNS`` Latin runs,
    where a text is mostly Latin and one search of the whole text costs no more."""
    n = len(s)
    spans: list[tuple[int, int]] = []
    for k, m in enumerate(_LATIN_RUN.finditer(s)):
        if k == _MAX_RUNS:
            return None
        a, b = m.span()
        if spans and a < spans[-1][1]:
            continue  # inside the last word found
        if (a and _WORD_CHAR.match(s, a - 1)) or (b < n and _WORD_CHAR.match(s, b)):
            while a and _WORD_CHAR.match(s, a - 1):
                a -= 1
            spans.append((a, _WORD_END.match(s, b).end()))
    return spans


def _join_digits(m: re.Match[str]) -> str:
    return m.group().replace(" ", "")


def _fold_char(m: re.Match[str]) -> str:
    return _FOLD[m.group()]


def matching_key(s: str) -> str:
    """The matching key of ``s`` (see the module docstring)."""
    key = " ".join(_FOLD_RE.sub(_fold_char, fold_homoglyphs(s).casefold()).split())
    if _DIGIT_HINT.search(key) is not None:
        key = _DIGIT_GROUP.sub(_join_digits, key)
    return key


def _spaced_lines(s: str) -> bool:
    """Whether every "\\n"-separated line of ``s`` is white-space normalised (single spaces, stripped)."""
    return not ("  " in s or " \n" in s or "\n " in s or s.startswith(" ") or s.endswith(" ")
                or _ODD_SPACE.search(s) is not None)


def matching_keys(texts: list[str]) -> list[str]:
    """``[matching_key(t) for t in texts]``, in one pass when the texts are white-space
    normalised (see ``spaced_keys``)."""
    joined = "\n".join(texts)
    if joined.count("\n") != len(texts) - 1 or not _spaced_lines(joined):
        return [matching_key(t) for t in texts]
    return spaced_keys(texts)


def spaced_keys(texts: list[str]) -> list[str]:
    """``[matching_key(t) for t in texts]`` for texts already white-space normalised (single
    spaces, stripped, no line break: as ``text.repair`` leaves them), in one pass over their
    join.  Casefolding and the folds neither make nor change white space, so the key's
    white-space normalisation is a no-op and lines stay apart (checked in tests/test_keys.py)."""
    if not texts:
        return []
    key = fold_homoglyphs("\n".join(texts)).casefold()
    for ch, folded in _FOLD.items():
        if ch in key:
            key = key.replace(ch, folded)
    if _DIGIT_HINT.search(key) is not None:
        key = _DIGIT_GROUP.sub(_join_digits, key)
    return key.split("\n")


def words(key: str) -> list[str]:
    """Word tokens of a key: numbers (with their decimal part, "1,3") and ``\\w+`` runs."""
    return _WORD.findall(key)
