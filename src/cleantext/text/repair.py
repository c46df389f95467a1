"""Repair one line of text: ftfy, Unicode normalisation, white space; with an offset map.

``repair(s, cfg)`` returns the repaired line and ``offsets`` (``offsets[i]`` is the index in
``s`` of repaired character ``i``; non-decreasing, always inside ``s``), or ``None`` when the
line came out unchanged.  Clean lines take a fast path that never calls ftfy: a line made only
of characters ftfy's other fixers leave alone (ASCII without "&", Latin, Greek, Cyrillic,
common typography) that ftfy's own mojibake test (``is_bad``) passes cannot change under ftfy.
"""
from __future__ import annotations

import difflib
import os
import re
import re._constants as _sre
import re._parser
import unicodedata
from bisect import bisect_left
from functools import lru_cache
from typing import Iterable, Iterator

import ftfy
import numpy as np
from ftfy.badness import BADNESS_RE, MOJIBAKE_CATEGORIES
from ftfy.chardata import HTML_ENTITY_RE as _ENTITY

from cleantext.config import RepairConfig
from cleantext.text import _scan_kernel
from cleantext.text.keys import char_classes, several_points

# Characters no ftfy fixer touches except the mojibake fixer (with uncurl_quotes off): ASCII
# printable but "&", tab, Latin-1 and Latin Extended-A letters (no ligatures), Greek,
# Cyrillic, general punctuation (no line separators or invisible controls), currency and
# letterlike symbols, and emoji.  A line of these that ftfy's own mojibake gate
# (``ftfy.badness.is_bad``) passes comes out of ftfy unchanged.
_SAFE_CHARS = ("\t\x20-\x25\x27-\x7e\u00a0-\u0131\u0134-\u0148\u014a-\u017f\u0370-\u052f"
               "\u2000-\u2027\u202f-\u205f\u20a0-\u20bf\u2100-\u214f\u2190-\u21ff"
               "\u2600-\u27bf\ufe0f\U0001f300-\U0001faff")
_UNSAFE = re.compile(f"[^{_SAFE_CHARS}]")
_UNSAFE_CURLY = re.compile(f"[^{_SAFE_CHARS}]|[\u2018-\u201f]")


def _mojibake_triggers() -> frozenset[str]:
    """The characters without which ``ftfy.badness.is_bad`` cannot match.

    Every alternative of ftfy's badness pattern holds a character of a mojibake category
    other than "common", or a non-ASCII literal; plain Russian letters (А-я, Ёё) only occur
    there next to such a character.  Checked by tests/test_repair.py against ``is_bad``.
    """
    def expand(chars: str) -> set[str]:
        return set(re.sub(r"(.)-(.)", lambda m: "".join(
            chr(c) for c in range(ord(m.group(1)), ord(m.group(2)) + 1)), chars, flags=re.S))

    chars = set().union(*(expand(v) for k, v in MOJIBAKE_CATEGORIES.items() if k != "common"))
    chars |= {ch for ch in BADNESS_RE.pattern if not ch.isascii()}
    chars -= expand(MOJIBAKE_CATEGORIES["common"]) | expand("\u0410-\u044f\u0401\u0451")
    return frozenset(chars)


_TRIGGERS = _mojibake_triggers()
_MOJIBAKE_TRIGGER = re.compile("[" + "".join(re.escape(ch) for ch in sorted(_TRIGGERS)) + "]")
_BAD_WIDTH = re._parser.parse(BADNESS_RE.pattern, BADNESS_RE.flags).getwidth()[1]  # longest match

# White space: runs collapse to one space; these invisible characters are dropped.
_INVISIBLE = "\u00ad\u200b\u2060\ufeff"
_KEEP = re.compile(f"[^\\s{_INVISIBLE}]+")
_INVISIBLE_RE = re.compile(f"[{_INVISIBLE}]")

_TOKEN = re.compile(r"[^ \t\n\r\f\v]*[ \t\n\r\f\v]*")  # ASCII spaces: mojibake keeps them
_MAX_CHAR_ALIGN = 40_000  # len(a) * len(b) above which a replaced span is mapped proportionally
_MAX_PASSES = 3  # repair is re-applied until it no longer changes the line (idempotence)


@lru_cache(maxsize=16)
def _ftfy_config(cfg: RepairConfig) -> ftfy.TextFixerConfig:
    return ftfy.TextFixerConfig(
        unescape_html="auto" if cfg.unescape_html else False,
        fix_encoding=cfg.fix_mojibake,
        uncurl_quotes=cfg.uncurl_quotes,
        normalization=None,  # done below, so the fast path shares it
        explain=False,
    )


def needs_ftfy(s: str, cfg: RepairConfig) -> bool:
    """Whether ``s`` may change under ftfy (False only when that is certain)."""
    unsafe = _UNSAFE_CURLY if cfg.uncurl_quotes else _UNSAFE
    if unsafe.search(s) is not None:
        return True
    return cfg.fix_mojibake and _MOJIBAKE_TRIGGER.search(s) is not None and _is_bad(s)


def _bad_windows(s: str) -> Iterator[tuple[int, int, list[int]]]:
    """Merged windows (pos, endpos, trigger offsets) of ``s`` around its trigger characters."""
    return _windows(m.start() for m in _MOJIBAKE_TRIGGER.finditer(s))


def _windows(offsets: Iterable[int], reach: int = _BAD_WIDTH - 1) -> Iterator[tuple[int, int, list[int]]]:
    """Merged windows (pos, endpos, trigger offsets) around the sorted trigger ``offsets``.

    Every match of ftfy's pattern holds a trigger character and is at most ``_BAD_WIDTH``
    long, so it lies in the window of one; ``search(s, pos, endpos)`` sees the same
    characters as a search of ``s`` (``^`` only matches at the real start).
    """
    lo = hi = 0
    triggers: list[int] = []
    for i in offsets:
        if i - reach > hi and triggers:  # a new window: yield the one before
            yield lo, hi, triggers
            triggers = []
        if not triggers:
            lo = max(0, i - reach)
        triggers.append(i)
        hi = i + reach + 1
    if triggers:
        yield lo, hi, triggers


def _is_bad(s: str) -> bool:
    """``ftfy.badness.is_bad(s)``, searched only near trigger characters."""
    return any(BADNESS_RE.search(s, lo, hi) is not None for lo, hi, _ in _bad_windows(s))


def _ranges_class(chars: set[str]) -> str:
    """A regex character-class body matching exactly ``chars`` (as ranges)."""
    points = sorted(map(ord, chars))
    parts: list[str] = []
    i = 0
    while i < len(points):
        j = i
        while j + 1 < len(points) and points[j + 1] == points[j] + 1:
            j += 1
        lo, hi = re.escape(chr(points[i])), re.escape(chr(points[j]))
        parts.append(lo if i == j else f"{lo}-{hi}")
        i = j + 1
    return "".join(parts)


def _quiet_chars() -> set[str]:
    """Fast-path characters that are no white space but " " and not invisible, and "&"
    (ftfy only unescapes a whole entity: ``_ENTITY``, tested apart)."""
    safe = {m.group() for m in re.finditer(f"[{_SAFE_CHARS}]", "".join(map(chr, range(0x1fb00))))}
    return safe - {ch for ch in safe if ch.isspace() and ch != " "} - set(_INVISIBLE) | {"&"}


_QUIET_CHARS = _quiet_chars()
# White space of the fast path but " ": never a mojibake trigger, "Ã", "Â", "&" or " ", so a
# mark of ``suspects`` at one of these is the character itself (``spaced_repair``)
SOFT_SPACES = frozenset(ch for ch in map(chr, range(0x3000)) if ch.isspace() and ch != " "
                        and _UNSAFE.match(ch) is None and _MOJIBAKE_TRIGGER.match(ch) is None)
_SOFT_SPACE = re.compile(f"[{_ranges_class(set(SOFT_SPACES))}]")


# What a line may hold for repair to leave it unchanged (without testing further; by
# ``uncurl_quotes``): no character outside the fast path, no white space other than a space,
# no invisible character; no curly quote when they are uncurled.
_CLEAN = (frozenset(_QUIET_CHARS), frozenset(_QUIET_CHARS - {chr(c) for c in range(0x2018, 0x2020)}))
_DIRTY = tuple(re.compile(f"[^{_ranges_class(safe | {chr(10), chr(13)})}]") for safe in _CLEAN)
_WHITE = re.compile(r"\s+")


def unchanged(s: str, cfg: RepairConfig) -> bool:
    """True only when ``repair`` returns ``s`` (without surrounding white space) unchanged.
    A cheap, conservative test: False means "maybe not"."""
    if not cfg.fast_path or _DIRTY[cfg.uncurl_quotes].search(s) is not None or "  " in s:
        return False
    if cfg.fix_mojibake and _MOJIBAKE_TRIGGER.search(s) is not None and _is_bad(s):
        return False
    if cfg.unescape_html and "&" in s and _ENTITY.search(s) is not None:
        return False
    return not cfg.normalization or unicodedata.is_normalized(cfg.normalization, s)


def _pattern_sets(items: list, literals: set[int], ranges: list[tuple[int, int]]) -> None:
    """Collect the literals and ranges of a parsed pattern; raise ValueError on a construct that
    looks at a character otherwise than by those, ``\\s``, ``\\w``, "." or "^" (see ``_stand_ins``)."""
    for op, arg in items:
        if op in (_sre.LITERAL, _sre.NOT_LITERAL):
            literals.add(arg)
        elif op == _sre.IN:
            _pattern_sets(arg, literals, ranges)
        elif op == _sre.RANGE:
            ranges.append(arg)
        elif op == _sre.BRANCH:
            for branch in arg[1]:
                _pattern_sets(branch, literals, ranges)
        elif op == _sre.SUBPATTERN:
            _pattern_sets(arg[3], literals, ranges)
        elif op in (_sre.MAX_REPEAT, _sre.MIN_REPEAT):
            _pattern_sets(arg[2], literals, ranges)
        elif not (op in (_sre.ANY, _sre.NEGATE) or op == _sre.AT and arg == _sre.AT_BEGINNING
                  or op == _sre.CATEGORY and arg in (_sre.CATEGORY_SPACE, _sre.CATEGORY_WORD)):
            raise ValueError(f"{op} {arg}")


@lru_cache(maxsize=1)
def _stand_ins() -> np.ndarray:
    """Per code point, the first code point ftfy's pattern cannot tell from it: same literals and
    ranges of the pattern it is or lies in, same ``\\s`` and ``\\w``.  Put in place of every
    character, the pattern matches where it matched, so a window's verdict holds for every window
    of the same stand-ins (``_bad_window``)."""
    literals: set[int] = set()
    ranges: list[tuple[int, int]] = []
    _pattern_sets(list(re._parser.parse(BADNESS_RE.pattern, BADNESS_RE.flags)), literals, ranges)
    ranges += [(c, c) for c in literals]
    lo, hi = np.array(ranges, dtype=np.int64).T
    cuts = np.unique(np.concatenate((lo, hi + 1, [0, 0x110000])))
    # the sets each elementary interval between the cuts lies in: equal sets, one class
    inside = (lo[None, :] <= cuts[:-1, None]) & (cuts[:-1, None] <= hi[None, :])
    interval_class = np.unique(inside, axis=0, return_inverse=True)[1].reshape(-1).astype(np.int64)
    points = np.arange(0x110000, dtype=np.int64)
    key = interval_class[np.searchsorted(cuts, points, side="right") - 1] * 4
    key += (_flags() & 8 > 0) * 2 + (char_classes() > 0)
    _, first, inverse = np.unique(key, return_index=True, return_inverse=True)
    return first[inverse].astype(np.uint32)


_NFC_LOOKED_AT = 0x3000  # ``_maybe_not_nfc`` looks at the code points below
_VERDICTS: dict[bytes, bool] = {}  # stand-ins of a window (not at offset 0) -> ftfy's pattern matches
_MAX_VERDICTS = 200_000


def _bad_window(text: str, stand_ins: bytes, lo: int, hi: int) -> bool:
    """``BADNESS_RE.search(text, lo, hi) is not None``, remembered by the window's stand-ins
    (``stand_ins``: UTF-32 of ``_stand_ins()`` of ``text[lo:hi]``)."""
    if lo == 0:  # "^" can match here
        return BADNESS_RE.search(text, 0, hi) is not None
    verdict = _VERDICTS.get(stand_ins)
    if verdict is None:
        if len(_VERDICTS) >= _MAX_VERDICTS:
            _VERDICTS.clear()
        # searched from 1 after a space: "^" cannot match, as at ``lo`` in ``text``
        verdict = _VERDICTS[stand_ins] = BADNESS_RE.search(
            " " + stand_ins.decode("utf-32-le", "surrogatepass"), 1) is not None
    return verdict


@lru_cache(maxsize=1)
def _flags() -> np.ndarray:
    """Per code point, the bits ``_scan_kernel.scan`` tests: 1 and 2 a character a line must not hold
    (``_DIRTY``, without and with ``uncurl_quotes``), 4 a mojibake trigger, 8 white space, 16 a code
    point that casefolds to several (``keys.several_points``), 32 a Latin letter A-Z a-z, 64 a code
    point of the Cyrillic block (U+0400-U+04FF), 128 one that may make a text not NFC."""
    table = np.full(0x110000, 3, dtype=np.uint8)
    for bit, allowed in ((1, _CLEAN[0] | {"\n", "\r"}), (2, _CLEAN[1] | {"\n", "\r"})):
        table[np.fromiter(map(ord, allowed), dtype=np.int64)] &= ~np.uint8(bit)
    table[np.fromiter(map(ord, _TRIGGERS), dtype=np.int64)] |= 4
    chars = np.arange(0x110000, dtype=np.uint32).tobytes().decode("utf-32-le", "surrogatepass")
    for m in _WHITE.finditer(chars):
        table[m.start():m.end()] |= 8
    table[several_points()] |= 16
    table[0x41:0x5B] |= 32
    table[0x61:0x7B] |= 32
    table[0x400:0x500] |= 64
    table[_maybe_not_nfc()] |= 128
    table[_NFC_LOOKED_AT:] |= 128
    return table


def _maybe_not_nfc() -> list[int]:
    """Code points below U+3000 without which (and without any code point from U+3000 on, not looked
    at one by one) a text is in NFC: those NFC changes and those with a combining class; the second of
    every two-character canonical decomposition and the Hangul vowel and trailing jamo (what NFC's
    quick check calls "No" or "Maybe", or may reorder)."""
    nfc = unicodedata.normalize("NFC", "\0".join(map(chr, range(1, _NFC_LOOKED_AT)))).split("\0")
    found = [c for c, ch in enumerate(nfc, 1) if ch != chr(c) or unicodedata.combining(ch)]
    # no decomposition from U+30000 on
    decompositions = map(unicodedata.decomposition, map(chr, range(0x30000)))
    found += [int(d.split()[1], 16) for d in decompositions if d and d[0] != "<" and d.count(" ") == 1]
    return [c for c in found if c < _NFC_LOOKED_AT] + list(range(0x1161, 0x1176)) + list(range(0x11A8, 0x11C3))


def scan_args(cfg: RepairConfig) -> tuple[np.ndarray, int, int]:
    """The arguments of ``_scan_kernel.scan`` after the code points: the flags table and its bits."""
    return _flags(), 2 if cfg.uncurl_quotes else 1, 4 if cfg.fix_mojibake else 0


def code_points(text: str) -> np.ndarray:
    """The code points of ``text`` (read-only, uint32)."""
    return np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)


def scan(text: str, cfg: RepairConfig) -> tuple[list[int] | None, list[int], list[int], list[bool]]:
    """``suspects(text, cfg)``, and the starts, ends and blank_before of the non-blank lines of
    ``text`` (see ``segment.Line``): one compiled pass over its code points."""
    points = code_points(text)
    dirty, triggers, runs, amp, nfc, starts, ends, blanks, _, _ = _scan_kernel.scan(points, *scan_args(cfg))
    found = marks(text, points, dirty, triggers, runs, amp, nfc, cfg)
    return found, starts.tolist(), ends.tolist(), blanks.tolist()


def marks(text: str, points: np.ndarray, dirty: np.ndarray, triggers: np.ndarray, runs: np.ndarray, amp: bool,
          nfc: bool, cfg: RepairConfig) -> list[int] | None:
    """``suspects(text, cfg)`` from what ``_scan_kernel.scan`` found in ``points`` (``text``'s)."""
    if not cfg.fast_path:
        return None
    if cfg.normalization and not (nfc and cfg.normalization == "NFC") and not unicodedata.is_normalized(
            cfg.normalization, text):
        return None
    if not (dirty.size or runs.size or triggers.size or amp and cfg.unescape_html):
        return []
    found = dirty.tolist() + runs.tolist()
    if triggers.size:
        offsets = triggers.tolist()
        # every "Ã" and "Â": ftfy's pattern anchors "^[ÃÂ] ", which matches at a line's start only
        found += [i for i in offsets if text[i] in "ÃÂ"]
        wins = _scan_kernel.windows(triggers, _BAD_WIDTH - 1)
        stand_ins = _scan_kernel.window_stand_ins(points, wins, _stand_ins()).tobytes()
        done = 0
        for lo, hi, first, stop in wins.tolist():
            end = done + 4 * (min(hi, len(text)) - lo)
            if _bad_window(text, stand_ins[done:end], lo, hi):
                found += offsets[first:stop]
            done = end
    if cfg.unescape_html and amp:
        found += [m.start() for m in _ENTITY.finditer(text)]
    found.sort()
    return found


def suspects(text: str, cfg: RepairConfig) -> list[int] | None:
    """Sorted offsets of ``text`` such that a line of it (stripped, with no line end inside)
    that holds none of them is returned unchanged by ``repair``; None when no line is
    certain (fast path off, or ``text`` not normalised).

    The tests of ``unchanged`` are all local: a character (``_DIRTY``), two spaces, ftfy's
    badness pattern in a window around a mojibake trigger, an HTML entity (no white space
    inside); a line of a normalised text is normalised (it starts and ends next to white space
    or a line end, which never composes nor reorders with a neighbour).
    """
    return scan(text, cfg)[0]


def spaced_repair(s: str, cfg: RepairConfig) -> tuple[str, tuple[int, ...]] | None:
    """``repair(s, cfg)`` for a line of a text whose only ``suspects`` in the line are at
    ``SOFT_SPACES``, when each of those stands alone (it becomes a space in place); else None.

    Such a line is left alone by ftfy (no mark) and normalised, so repair's first pass only
    turns those characters into spaces; the second pass leaves the result alone when it is
    normalised and ftfy's pattern matches nowhere near a changed character (a match that
    spans none would already match in ``s``).
    """
    out = " ".join(s.split())
    if len(out) != len(s) or _INVISIBLE_RE.search(s) is not None:
        return None
    if cfg.normalization and not unicodedata.is_normalized(cfg.normalization, out):
        return None
    if cfg.fix_mojibake and _MOJIBAKE_TRIGGER.search(out) is not None:
        changed = [m.start() for m in _SOFT_SPACE.finditer(s)]
        for lo, hi, _ in _bad_windows(out):
            k = bisect_left(changed, lo)
            if k < len(changed) and changed[k] < hi and BADNESS_RE.search(out, lo, hi) is not None:
                return None
    return out, _identity(len(s))


@lru_cache(maxsize=1024)
def _identity(n: int) -> tuple[int, ...]:
    """``tuple(range(n))``: one shared tuple per length (offsets are immutable)."""
    return tuple(range(n))


def _fix(s: str, cfg: RepairConfig) -> str:
    if not cfg.fast_path or needs_ftfy(s, cfg):
        s = ftfy.fix_text(s, _ftfy_config(cfg))
    if cfg.normalization and not unicodedata.is_normalized(cfg.normalization, s):
        s = unicodedata.normalize(cfg.normalization, s)
    return s


def _collapse_space(s: str) -> tuple[str, list[int] | None]:
    """Collapse white-space runs to one space, strip, drop invisibles; exact offsets."""
    if _INVISIBLE_RE.search(s) is None:
        out = " ".join(s.split())
        if out == s:
            return s, None
        if len(out) == len(s):  # lone white-space characters became spaces in place
            return out, list(range(len(s)))
    parts: list[str] = []
    offsets: list[int] = []
    prev_end = -1
    for m in _KEEP.finditer(s):
        if prev_end >= 0:
            gap = s[prev_end:m.start()]
            space = next((k for k, ch in enumerate(gap) if ch.isspace()), -1)
            if space >= 0:
                parts.append(" ")
                offsets.append(prev_end + space)
        parts.append(m.group())
        offsets.extend(range(m.start(), m.end()))
        prev_end = m.end()
    return "".join(parts), offsets


def _spread(i1: int, i2: int, j1: int, j2: int, out: list[int], last: int) -> None:
    """Map b[j1:j2] proportionally onto a[i1:i2] (onto i1 when that is empty)."""
    n = j2 - j1
    width = i2 - i1
    for k in range(n):
        out.append(min(i1 + (k * width) // n, last))


def _anchors(a: str, b: str) -> list[tuple[int, int, int]]:
    """Shared runs of ``a`` and ``b`` (i, j, size), but no lone shared letter."""
    p = len(os.path.commonprefix([a, b]))
    q = len(os.path.commonprefix([a[p:][::-1], b[p:][::-1]]))
    ma, mb = a[p:len(a) - q], b[p:len(b) - q]
    common = set(ma).intersection(mb)
    if all(ch.isalpha() for ch in common) and set(zip(ma, ma[1:])).isdisjoint(zip(mb, mb[1:])):
        # between the shared ends only lone letters could match, and those are not anchors
        runs = [(0, 0, p), (len(a) - q, len(b) - q, q)]
    else:
        runs = difflib.SequenceMatcher(None, a, b, autojunk=False).get_matching_blocks()
    return [(i, j, n) for i, j, n in runs if n > 1 or (n == 1 and not a[i].isalpha())]


def _align_chars(a: str, b: str, i0: int, out: list[int], last: int) -> None:
    """Append, for each char of ``b``, an index of ``a`` (offset by ``i0``).

    Shared runs found by ``difflib`` are anchors (a lone shared letter is not: mojibake
    words share letters like "Р" or "С" with text by chance); the rest is spread evenly,
    which is exact for a word whose every character became the same number of characters.
    """
    anchors = _anchors(a, b) if len(a) * len(b) <= _MAX_CHAR_ALIGN else []
    i_prev = j_prev = 0
    for i, j, n in anchors + [(len(a), len(b), 0)]:
        if j > j_prev:
            _spread(i0 + i_prev, i0 + i, j_prev, j, out, last)
        out.extend(range(i0 + i, i0 + i + n))
        i_prev, j_prev = i + n, j + n


def align(a: str, b: str) -> list[int]:
    """For each character of ``b``, the index of the character of ``a`` it came from.

    Words are aligned first (``difflib`` on word tokens), then characters inside replaced
    words (pairwise when as many words were replaced as replace them); the result is non-decreasing and inside ``a`` (``a`` must not be empty).
    """
    last = len(a) - 1
    ta = _TOKEN.findall(a)
    tb = _TOKEN.findall(b)
    starts_a = [0]
    for t in ta:
        starts_a.append(starts_a[-1] + len(t))
    starts_b = [0]
    for t in tb:
        starts_b.append(starts_b[-1] + len(t))
    out: list[int] = []
    sm = difflib.SequenceMatcher(None, ta, tb, autojunk=False)
    for tag, i1, i2, j1, j2 in sm.get_opcodes():
        ca, cb = starts_a[i1], starts_b[j1]
        if tag == "equal":
            out.extend(range(ca, starts_a[i2]))
        elif tag == "replace" and i2 - i1 == j2 - j1:  # word for word (mojibake keeps spaces)
            for k in range(i2 - i1):
                _align_chars(ta[i1 + k], tb[j1 + k], starts_a[i1 + k], out, last)
        elif tag == "replace":
            _align_chars(a[ca:starts_a[i2]], b[cb:starts_b[j2]], ca, out, last)
        elif tag == "insert":
            out.extend([min(ca, last)] * (starts_b[j2] - cb))
    return out


def _compose(outer: list[int] | None, inner: list[int] | None) -> list[int] | None:
    """offsets into the input of offsets into an intermediate text (None = identity)."""
    if inner is None:
        return outer
    if outer is None:
        return inner
    return [outer[i] for i in inner]


def _one_pass(s: str, cfg: RepairConfig) -> tuple[str, list[int] | None]:
    fixed = _fix(s, cfg)
    fix_map = None if fixed == s else align(s, fixed) if s else None
    out, ws_map = _collapse_space(fixed)
    return out, _compose(fix_map, ws_map)


def repair(s: str, cfg: RepairConfig = RepairConfig()) -> tuple[str, tuple[int, ...] | None]:
    """Repair one line; return it with its offset map into ``s`` (None: unchanged)."""
    out, offsets = _one_pass(s, cfg)
    if out == s:
        return s, None
    for _ in range(_MAX_PASSES - 1):
        again, more = _one_pass(out, cfg)
        if again == out:
            break
        offsets = _compose(offsets, more)
        out = again
    assert offsets is not None  # the line changed, so some step produced a map
    return out, tuple(offsets)
