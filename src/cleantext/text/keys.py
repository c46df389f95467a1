"""Matching keys: a normalised form of a line used only for hashing and comparison.

Two lines that a reader would call the same text get the same key: case (casefold), ё/е,
dash and quote styles, white space, digit grouping ("1 500" = "1500") and Latin/Cyrillic
look-alike letters inside one word ("Сaravan.kz" with a Cyrillic С = "Caravan.kz").
The key is never shown in the output text.
"""
from __future__ import annotations

import codecs
import re
from functools import lru_cache
from typing import Callable

import numpy as np

from cleantext.text import _keys_kernel

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
# Letters that neither are nor have a case partner that is a look-alike (nor "ё", folded to "е"):
# folding and casefolding keep their counts, which give a line's main script.
_LATIN_OWN = re.compile(r"[dfglnqruvwzDFGLNQRUVWZ]")
_CYRILLIC_OWN = re.compile(r"[^\W\d_A-Za-zАВСЕНКМОРТХУавсенкмортхуІіЈјЅѕҺһЁё\u0500-\U0010ffff\x00-\u03ff]")
_LATIN_WORD = re.compile(r"\b\w*?[A-Za-z]\w*")  # a word with a Latin letter
_CYRILLIC_WORD = re.compile(r"\b\w*?[\u0400-\u04ff]\w*")  # a word with a Cyrillic letter
_WORD_CHAR = re.compile(r"\w")
_NON_WORD = re.compile(r"\W")
# Runs of Latin letters and of the Cyrillic block, and the letters of each script that are no look-alike.
_LATIN_RUN = re.compile("[A-Za-z]+")
_CYRILLIC_RUN = re.compile("[\u0400-\u04ff]+")
_LATIN_UNLIKE = re.compile("[^" + "".join(_LAT_CYR) + "]")
_CYRILLIC_UNLIKE = re.compile("[^" + "".join(_LAT_CYR.values()) + "]")

_FOLD = {
    "ё": "е",
    **dict.fromkeys("\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe58\ufe63\uff0d", "-"),
    **dict.fromkeys("\u00ab\u00bb\u201c\u201d\u201e\u201f\u2018\u2019\u201a\u201b\u2039\u203a"
                    "'`\u00b4\uff02", '"'),
}
_FOLD_RE = re.compile("[" + "".join(_FOLD) + "]")  # re.sub beats str.translate on non-ASCII
# A digit group: 1-3 digits then groups of exactly three after single spaces ("2 334 000").
_DIGIT_GROUP = re.compile(r"(?<![\d.,])\d{1,3}(?: \d{3})+(?!\d)")
_DIGIT_HINT = re.compile(r" (?<=\d )\d\d\d")  # "\d \d\d\d", searched from its space (a literal: faster)
_ODD_SPACE = re.compile(r"[^\S\n ]")
_UNICODE = 0x110000
_CASED_LIMIT = 0x20000  # no code point from here on changes under casefold or _FOLD
_WORD = re.compile(r"\d+(?:[.,]\d+)+|\w+")


def _fold(word: str) -> str:
    """A mixed word folded to the script of most of its letters."""
    latin = len(_LATIN.findall(word))
    cyrillic = len(_CYRILLIC.findall(word))
    return word.translate(_TO_CYR if cyrillic >= latin else _TO_LAT)


def _fold_word(m: re.Match[str]) -> str:
    return _fold(m.group())


def _fold_to(word: str, cyrillic_line: bool) -> str:
    """``word`` in one script when its look-alike letters allow it (the line's script when both
    do: a lone "а" or "B" of the other script), else folded to its main script (``_fold``)."""
    to_cyr = word.translate(_TO_CYR)
    cyr_ok = _LATIN.search(to_cyr) is None
    to_lat = word.translate(_TO_LAT)
    lat_ok = _CYRILLIC.search(to_lat) is None
    if cyr_ok and (cyrillic_line or not lat_ok):
        return to_cyr
    if lat_ok:
        return to_lat
    return _fold(word)


def _fold_to_cyrillic(m: re.Match[str]) -> str:
    return _fold_to(m.group(), True)


def _fold_to_latin(m: re.Match[str]) -> str:
    return _fold_to(m.group(), False)


def _fold_minority(line: str, run: re.Pattern[str], own: re.Pattern[str], word: re.Pattern[str],
                   fold: Callable[[re.Match[str]], str]) -> str:
    """``word.sub(fold, line)``, skipped when each run of the minority script (``run``) is a whole
    word (``\\w`` only, between non-word characters) with a letter of its own (``own``: no
    look-alike): ``word`` matches just that run and ``_fold_to`` returns it unchanged."""
    for m in run.finditer(line):
        start, end = m.span()
        if (start and _WORD_CHAR.match(line, start - 1) is not None or _WORD_CHAR.match(line, end) is not None
                or _NON_WORD.search(line, start, end) is not None or own.search(line, start, end) is None):
            return word.sub(fold, line)
    return line


def _fold_line(line: str) -> str:
    """One line with letters of both scripts folded (see ``fold_homoglyphs``); its main script
    from the letters that are no look-alikes."""
    latin, cyrillic = _LATIN_OWN.finditer(line), _CYRILLIC_OWN.finditer(line)
    while True:  # in step, so only as many letters are found as the fewer script has
        if next(latin, None) is None:
            if next(cyrillic, None) is None:
                return _MIXED_WORD.sub(_fold_word, line)
            return _fold_minority(line, _LATIN_RUN, _LATIN_UNLIKE, _LATIN_WORD, _fold_to_cyrillic)
        if next(cyrillic, None) is None:
            return _fold_minority(line, _CYRILLIC_RUN, _CYRILLIC_UNLIKE, _CYRILLIC_WORD, _fold_to_latin)


def fold_homoglyphs(s: str) -> str:
    """Look-alike Latin/Cyrillic letters folded, line by line: in a line with more letters of one
    script (counting the letters that are no look-alikes), a word of look-alike letters only is
    written in that script (a Latin "B" in Russian text, a Cyrillic "а" in English), and a mixed
    word in the one script its look-alikes allow ("bу" -> "by"); other mixed words (and all of
    them in a line without a main script) go to the script of most of their letters.  Each
    character maps to one character."""
    lat, cyr = _LATIN.search(s), _CYRILLIC.search(s)
    if lat is None or cyr is None:
        return s
    if "\n" not in s:
        return _fold_line(s)
    parts: list[str] = []
    done = 0
    while lat is not None and cyr is not None:  # only a line with both scripts can change
        first, last = sorted((lat.start(), cyr.start()))
        start = s.rfind("\n", 0, last) + 1  # the later letter's line
        if first >= start:  # both letters in that line
            end = s.find("\n", last)
            end = len(s) if end < 0 else end
            line = s[start:end]
            folded = _fold_line(line)
            if folded != line:
                parts += [s[done:start], folded]
                done = end
            start = end
        if lat.start() < start:
            lat = _LATIN.search(s, start)
        if cyr.start() < start:
            cyr = _CYRILLIC.search(s, start)
    return "".join(parts) + s[done:] if parts else s


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
    join by the compiled kernel (``_keys_kernel.line_keys``)."""
    if not texts:
        return []
    joined = "\n".join(texts)
    lengths = np.fromiter(map(len, texts), dtype=np.int64, count=len(texts))
    ends = np.cumsum(lengths + 1) - 1
    return line_keys(_code_points(joined), ends - lengths, ends, joined)


def line_keys(points: np.ndarray, starts: np.ndarray, ends: np.ndarray, text: str) -> list[str]:
    """The keys of the white-space normalised lines ``text[starts[i]:ends[i]]`` (``points``: the code
    points of ``text``), in one kernel call; homoglyphs are folded in Python only when a line has
    both scripts and a Cyrillic-block character that is no word character (``_keys_kernel``)."""
    tables = key_tables()
    mixed, several = _keys_kernel.survey(points, starts, ends, _fold_table()[0])
    key, ok = _keys_kernel.line_keys(points, starts, ends, mixed, several, *tables)
    if not ok:  # fold every line in Python, then key without folding
        lines = "\n".join(map(text.__getitem__, map(slice, starts.tolist(), ends.tolist())))
        lengths = ends - starts
        ends = np.cumsum(lengths + 1) - 1
        key, _ = _keys_kernel.line_keys(_code_points(fold_homoglyphs(lines)), ends - lengths, ends,
                                        np.zeros_like(mixed), several, *tables)
    return decode_keys(key)


def decode_keys(key: np.ndarray) -> list[str]:
    """The "\n"-separated keys of the code points ``key`` (``_keys_kernel.line_keys``)."""
    return codecs.utf_32_le_decode(key, "surrogatepass")[0].split("\n")


def _code_points(s: str) -> np.ndarray:
    return np.frombuffer(s.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)


def several_points() -> np.ndarray:
    """The code points that casefold (with the key's folds) to several code points."""
    return np.flatnonzero(_fold_table()[0] == _keys_kernel._SEVERAL)


@lru_cache(maxsize=1)
def key_tables() -> tuple:
    """The tables of ``_keys_kernel.line_keys`` after its ``several`` argument: the most code points
    one casefolds to, ``char_classes()``, the look-alike tables (``_look_alikes``), the fold tables."""
    single, offsets, points = _fold_table()
    return (int(np.diff(offsets).max()), char_classes(), *_look_alikes(), single, offsets, points)


@lru_cache(maxsize=1)
def char_classes() -> np.ndarray:
    """Per code point: 2 for a decimal digit (``\\d``), 1 for another word character (``\\w``), else 0."""
    chars = np.arange(_UNICODE, dtype=np.uint32).tobytes().decode("utf-32-le", "surrogatepass")
    table = np.zeros(_UNICODE, dtype=np.uint8)
    for pattern, kind in ((r"\w+", 1), (r"\d+", 2)):
        for m in re.finditer(pattern, chars):
            table[m.start():m.end()] = kind
    return table


@lru_cache(maxsize=1)
def _fold_table() -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """``(single, offsets, code points)``: code point c below ``_CASED_LIMIT`` casefolded, then ``_FOLD``,
    is ``points[offsets[c]:offsets[c + 1]]`` (one ``str.casefold`` of those code points, "\\0"-separated),
    and ``single[c]`` is its one code point (``_keys_kernel._SEVERAL`` when it has several);
    casefolding leaves every code point from there on as it is (tests/test_keys.py)."""
    spaced = np.zeros(2 * _CASED_LIMIT, dtype=np.uint32)
    spaced[0::2] = np.arange(_CASED_LIMIT, dtype=np.uint32)
    text = spaced.tobytes().decode("utf-32-le", "surrogatepass").casefold()
    points = np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)[2:].copy()  # after "\0" "\0"
    for ch, folded in _FOLD.items():
        points[points == ord(ch)] = ord(folded)
    seps = np.flatnonzero(points == 0)
    if seps.size != _CASED_LIMIT - 1:
        raise RuntimeError("casefold made a NUL character")
    lengths = np.diff(np.append(-1, seps)) - 1
    offsets = np.ones(_CASED_LIMIT + 1, dtype=np.int64)
    offsets[0] = 0
    np.cumsum(lengths, out=offsets[2:])
    offsets[2:] += 1
    points = np.concatenate(([0], points[points != 0])).astype(np.uint32)
    single = np.where(np.diff(offsets) == 1, points[np.minimum(offsets[:-1], points.size - 1)],
                      _keys_kernel._SEVERAL).astype(np.uint32)
    return single, offsets, points


@lru_cache(maxsize=1)
def _look_alikes() -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Look-alike tables for ``_keys_kernel.line_keys``: ``to_cyr`` (ASCII), ``to_lat`` (U+0400-U+04FF),
    and the letters counted for a line's main script (``_LATIN_OWN``, ``_CYRILLIC_OWN``)."""
    to_cyr = np.zeros(0x80, dtype=np.uint32)
    to_lat = np.zeros(0x100, dtype=np.uint32)
    for lat, cyr in _LAT_CYR.items():
        to_cyr[ord(lat)] = ord(cyr)
        to_lat[ord(cyr) - 0x400] = ord(lat)
    own_lat = np.array([_LATIN_OWN.match(chr(c)) is not None for c in range(0x80)])
    own_cyr = np.array([_CYRILLIC_OWN.match(chr(c)) is not None for c in range(0x400, 0x500)])
    return to_cyr, to_lat, own_lat, own_cyr


def words(key: str) -> list[str]:
    """Word tokens of a key: numbers (with their decimal part, "1,3") and ``\\w+`` runs."""
    return _WORD.findall(key)
