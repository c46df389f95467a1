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


def _fold_word(m: re.Match[str]) -> str:
    word = m.group()
    latin = len(_LATIN.findall(word))
    cyrillic = len(_CYRILLIC.findall(word))
    return word.translate(_TO_CYR if cyrillic >= latin else _TO_LAT)


def fold_homoglyphs(s: str) -> str:
    """Map look-alike letters inside a mixed Latin/Cyrillic word to the word's main script."""
    if _LATIN.search(s) is None or _CYRILLIC.search(s) is None:
        return s
    return _MIXED_WORD.sub(_fold_word, s)


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
    """``[matching_key(t) for t in texts]`` for texts that are already white-space normalised
    (single spaces, stripped, as ``text.repair`` leaves them), in one pass over their join."""
    if not texts:
        return []
    joined = "\n".join(texts)
    if not _spaced_lines(joined):  # not normalised: key them one by one
        return [matching_key(t) for t in texts]
    key = fold_homoglyphs(joined).casefold()
    if _FOLD_RE.search(key) is not None:
        key = _FOLD_RE.sub(_fold_char, key)
    if not _spaced_lines(key) or key.count("\n") != len(texts) - 1:
        return [matching_key(t) for t in texts]  # casefolding made white space: the slow way
    if _DIGIT_HINT.search(key) is not None:
        key = _DIGIT_GROUP.sub(_join_digits, key)
    return key.split("\n")


def words(key: str) -> list[str]:
    """Word tokens of a key: numbers (with their decimal part, "1,3") and ``\\w+`` runs."""
    return _WORD.findall(key)
