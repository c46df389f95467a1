"""Text repair: ftfy fixes, white space, offsets back into the input, the fast path."""
from __future__ import annotations

import re
from pathlib import Path

import ftfy
import ftfy.bad_codecs  # noqa: F401 - registers sloppy-windows-1251
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cleantext.config import RepairConfig
from cleantext.text.repair import align, needs_ftfy, repair
from cleantext.text.segment import split_lines

SEEDS = sorted((Path(__file__).parent.parent / "seeds").glob("*.txt"))
CFG = RepairConfig()
RUSSIAN = "Более 1 500 представителей политических организаций были избраны акимами — «Казинформ»."
PIECES = ["&amp;", "&lt;", "&quot;", "&#1055;", "&nbsp;", "\r\n", "\r", "  ", "\t", "\u00a0", "\u200b",
          "\u00ad", "\x07", "\x1b[31m", "е\u0308", "ﬁ", "Ａ", "Ã©", "â€™", "Â«", "Привет", "мир",
          "Выборы".encode("utf-8").decode("cp1251"), "é".encode("utf-8").decode("latin-1"),
          "Kazakh", "әқ", "1 500", ", ", ".", "«", "»", "—", "🥩"]
lines = st.one_of(st.lists(st.sampled_from(PIECES), max_size=12).map("".join),
                  st.text(max_size=40))


def _check_offsets(s: str, out: str, offsets: tuple[int, ...] | None) -> None:
    if offsets is None:
        assert out == s
        return
    assert len(offsets) == len(out)
    assert all(0 <= o < len(s) for o in offsets)
    assert all(a <= b for a, b in zip(offsets, offsets[1:]))


@settings(max_examples=300, deadline=None)
@given(lines)
def test_repair_is_idempotent_and_offsets_stay_inside(s: str) -> None:
    out, offsets = repair(s, CFG)
    _check_offsets(s, out, offsets)
    assert repair(out, CFG) == (out, None)


@settings(max_examples=400, deadline=None)
@given(st.one_of(st.text(alphabet=st.characters(codec="utf-8"), max_size=30),
                 st.text(alphabet=st.characters(min_codepoint=0xA0, max_codepoint=0x4FF),
                         max_size=12)))
def test_fast_path_gives_the_slow_path_result(s: str) -> None:
    assert repair(s, CFG)[0] == repair(s, CFG.replace(fast_path=False))[0]


def test_white_space_is_collapsed_with_exact_offsets() -> None:
    s = "  a\r\nb \u00a0\tc\u200bd  "
    out, offsets = repair(s, CFG)
    assert out == "a b cd"
    assert [s[i] for i in offsets] == ["a", s[offsets[1]], "b", " ", "c", "d"]
    assert s[offsets[1]] in "\r\n"


def test_html_entity_maps_to_its_start() -> None:
    s = "Tom &amp; Jerry &quot;ok&quot;"
    out, offsets = repair(s, CFG)
    assert out == 'Tom & Jerry "ok"'
    assert offsets[4] == s.index("&amp;")
    assert offsets[out.index("J")] == s.index("J")
    assert offsets[-1] == s.rindex("&quot;")


def test_cp1251_mojibake_is_fixed_and_mapped() -> None:
    bad = RUSSIAN.encode("utf-8").decode("cp1251")
    out, offsets = repair(bad, CFG)
    assert out == RUSSIAN
    # every character maps into its own one- to three-char rendering in the mojibake
    pos = 0
    for ch, off in zip(out, offsets):
        width = len(ch.encode("utf-8").decode("cp1251"))
        assert pos <= off < pos + width, (ch, off, pos)
        pos += width


def test_latin1_mojibake_is_fixed() -> None:
    for good in (RUSSIAN, "Café crème — déjà vu", "Ақорда әкімдері"):
        bad = good.encode("utf-8").decode("latin-1")
        out, offsets = repair(bad, CFG)
        assert out == good
        assert offsets[0] == 0 and offsets[-1] <= len(bad) - 1
        assert bad[offsets[out.index(good.split()[1][0])]] != " "


def test_mojibake_inside_clean_text() -> None:
    bad = "Глава государства: " + "«Выборы акимов»".encode("utf-8").decode("cp1251")
    out, offsets = repair(bad, CFG)
    assert out == "Глава государства: «Выборы акимов»"
    assert offsets[:19] == tuple(range(19))


def test_control_chars_and_nfc() -> None:
    out, offsets = repair("Привет\x07 ми\u0438\u0306р", CFG)
    assert out == "Привет мийр"
    assert repair("e\u0301", CFG.replace(normalization=None))[0] == "e\u0301"


def test_quotes_keep_their_typography_unless_asked() -> None:
    assert repair("“Да” — ’", CFG) == ("“Да” — ’", None)
    assert repair("“Да”", CFG.replace(uncurl_quotes=True))[0] == '"Да"'


@pytest.mark.parametrize("path", SEEDS, ids=lambda p: p.name[:3])
def test_seed_lines_are_unchanged_and_mostly_fast(path: Path) -> None:
    lines = list(split_lines(path.read_text(encoding="utf-8")))
    for line in lines:
        out, offsets = repair(line.text, CFG)
        assert out == ftfy.fix_text(" ".join(line.text.split()), uncurl_quotes=False)
        _check_offsets(line.text, out, offsets)
    slow = [line.text for line in lines if needs_ftfy(line.text, CFG)]
    assert len(slow) <= len(lines) // 5


def test_fast_path_rejects_mojibake_made_of_safe_letters() -> None:
    assert needs_ftfy("Р’С‹Р±РѕСЂС‹", CFG)  # "Выборы" read as cp1251
    assert needs_ftfy("â€”", CFG)
    assert needs_ftfy("a &amp; b", CFG)
    assert not needs_ftfy(RUSSIAN, CFG)


def test_align_is_monotonic_and_anchored() -> None:
    a, b = "xx&amp;yy zz", "xx&yy zz"
    assert align(a, b) == [0, 1, 2, 7, 8, 9, 10, 11]


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from(
    "aZ0 .,?!-\"'—–―…’·´\u00a0\u00adАВГРСЯвгрсяЁёЂў°«"), max_size=20))
def test_mojibake_gate_is_sound(s: str) -> None:
    # lines without a trigger character are never sent to ftfy's badness test
    from ftfy.badness import is_bad

    from cleantext.text.repair import _MOJIBAKE_TRIGGER
    assert _MOJIBAKE_TRIGGER.search(s) is not None or not is_bad(s)


def test_long_mojibake_paragraph_maps_every_character_into_its_rendering() -> None:
    good = (SEEDS[0].read_text(encoding="utf-8").split("\n")[0]).strip()
    assert len(good) > 900
    bad = good.encode("utf-8").decode("sloppy-windows-1251")  # "И" has a byte cp1251 lacks
    out, offsets = repair(bad, CFG)
    assert out == " ".join(good.split())
    pos = 0
    for ch, off in zip(good, offsets):
        width = len(ch.encode("utf-8").decode("sloppy-windows-1251"))
        assert pos <= off < pos + width
        pos += width


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from(
    "aZz0 .,?!-\"'—–―…’·´\u00a0АВГРСЯвгрсяЁёЂў°«»ÃÂœŒ€™\n"), max_size=40))
def test_windowed_badness_equals_ftfy_is_bad(s: str) -> None:
    from ftfy.badness import is_bad

    from cleantext.text.repair import _is_bad
    assert _is_bad(s) == is_bad(s)


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from(
    "aZz0 .,?!-\"'—–―…’·´АВГРСЯвгрсяЁёЂў°«»ÃÂœ€™\n\r\t&&;amp<\u200b\u0301é\u2028"), max_size=40))
def test_unchanged_and_suspects_are_conservative(s: str) -> None:
    from cleantext.text.repair import suspects, unchanged
    for cfg in (CFG, CFG.replace(uncurl_quotes=True), CFG.replace(fix_mojibake=False),
                CFG.replace(normalization="NFKC")):
        marks = suspects(s, cfg)
        for line in split_lines(s):
            if marks is not None and not any(line.start <= p < line.end for p in marks):
                assert repair(line.text, cfg) == (line.text, None)
            if unchanged(line.text, cfg):
                assert repair(line.text, cfg) == (line.text, None)


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet=st.sampled_from(
    "aZzx0 .,?!-\"'—–…’·АВГРСЯвгрсяЁёЂў°«»Ã€™\n\t\u00a0\u2009\u202f\u3000&;amp\u200b\u0301é"), max_size=40))
def test_spaced_repair_is_repair_for_lines_suspect_only_at_lone_spaces(s: str) -> None:
    from cleantext.text.repair import SOFT_SPACES, spaced_repair, suspects
    for cfg in (CFG, CFG.replace(uncurl_quotes=True), CFG.replace(fix_mojibake=False)):
        marks = suspects(s, cfg)
        for line in split_lines(s):
            inside = [p for p in marks or () if line.start <= p < line.end]
            if inside and all(s[p] in SOFT_SPACES for p in inside):
                fast = spaced_repair(line.text, cfg)
                assert fast is None or fast == repair(line.text, cfg)


def test_spaced_repair_declines_when_a_new_space_completes_mojibake() -> None:
    from cleantext.text.repair import spaced_repair
    # ftfy's pattern has "ГўВЂВ.[A-Za-z ]": a no-break space there is not bad, a space is
    assert spaced_repair("ГўВЂВx\u00a0y", CFG) is None
    assert spaced_repair("Выборы\u00a0акимов\tв\u202fрайоне", CFG) == (
        "Выборы акимов в районе", tuple(range(22)))
    assert spaced_repair("два\u00a0\u00a0пробела", CFG) is None


def _regex_suspects(text: str, cfg: RepairConfig) -> list[int] | None:
    """``suspects`` by regex scans (what the compiled scan must equal)."""
    import re
    import unicodedata

    from ftfy.badness import BADNESS_RE
    from ftfy.chardata import HTML_ENTITY_RE

    from cleantext.text.repair import _DIRTY, _bad_windows
    if not cfg.fast_path or cfg.normalization and not unicodedata.is_normalized(cfg.normalization, text):
        return None
    marks = [m.start() for m in _DIRTY[cfg.uncurl_quotes].finditer(text)]
    marks += [m.start() for m in re.finditer("  +", text)]
    if cfg.fix_mojibake:
        marks += [m.start() for m in re.finditer("[ÃÂ]", text)]
        for lo, hi, triggers in _bad_windows(text):
            if BADNESS_RE.search(text, lo, hi) is not None:
                marks += triggers
    if cfg.unescape_html:
        marks += [m.start() for m in HTML_ENTITY_RE.finditer(text)]
    return sorted(marks)


@settings(max_examples=300, deadline=None)
@given(st.one_of(st.text(max_size=40), st.text(alphabet=st.sampled_from(
    "aZ0 .,-\"'—’АВРСяЁЂў°«»ÃÂœ€\n\r\t\x0b\x1c\x85\u2028&;amp\u00a0\u200b\u0301é\U0001f600"), max_size=40)))
def test_compiled_scan_equals_the_regex_scans(s: str) -> None:
    from cleantext.text.repair import suspects
    for cfg in (CFG, CFG.replace(uncurl_quotes=True), CFG.replace(fix_mojibake=False),
                CFG.replace(unescape_html=False), CFG.replace(normalization=None)):
        assert suspects(s, cfg) == _regex_suspects(s, cfg)


@settings(max_examples=400, deadline=None)
@given(st.one_of(
    st.text(alphabet=st.sampled_from("aeZ09 .,!?\n\xa0ÃÂÎÐØÙ×²³àµ√±≈‚Äâó€™βΒΓΞΟāГўВЂРСя•˜œŒŸ¡¢£¤¦§¨ª¬¯¹¼½«»“”╔═é"),
            max_size=40),
    st.text(alphabet=st.characters(max_codepoint=0x500), max_size=30).map(
        lambda s: s.encode("utf-8", "replace").decode("cp1251", "replace"))))
def test_window_verdicts_by_stand_ins_equal_the_pattern(s: str) -> None:
    # a verdict is remembered by the window's stand-ins and reused for other windows with the same
    from ftfy.badness import BADNESS_RE

    from cleantext.text.repair import _bad_window, _stand_ins, suspects
    points = np.frombuffer(s.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
    stand_ins = _stand_ins()[points].tobytes()
    for width in (2, 5, 13):
        for lo in range(len(s)):
            window = stand_ins[4 * lo:4 * min(lo + width, len(s))]
            assert _bad_window(s, window, lo, lo + width) == (BADNESS_RE.search(s, lo, lo + width) is not None)
    assert suspects(s, CFG) == _regex_suspects(s, CFG)


@settings(deadline=None)
@given(st.lists(st.integers(0, 200), max_size=30).map(sorted), st.integers(1, 8))
def test_compiled_windows_equal_windows(triggers: list[int], reach: int) -> None:
    from cleantext.text import _scan_kernel
    from cleantext.text.repair import _windows
    got = [(lo, hi, triggers[a:b]) for lo, hi, a, b in
           _scan_kernel.windows(np.array(triggers, dtype=np.int64), reach).tolist()]
    assert got == list(_windows(triggers, reach))


@settings(deadline=None)
@given(st.text(alphabet=st.sampled_from("ab «»“”•ÃÂ\u0420\u0421\u00e2"), max_size=60), st.integers(1, 8))
def test_window_stand_ins_are_the_stand_ins_of_each_window(s: str, reach: int) -> None:
    from cleantext.text import _scan_kernel
    from cleantext.text.repair import _stand_ins
    points = np.frombuffer(s.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
    triggers = np.array([i for i, ch in enumerate(s) if ch not in "ab "], dtype=np.int64)
    wins = _scan_kernel.windows(triggers, reach)
    got = _scan_kernel.window_stand_ins(points, wins, _stand_ins()).tolist()
    assert got == [int(_stand_ins()[ord(s[i])]) for lo, hi, _, _ in wins.tolist() for i in range(lo, min(hi, len(s)))]


@given(st.text(alphabet=st.sampled_from("aeoAEOuyзиеЕ\u0306\u0308\u0301\u0300\u0327\u212b\u00c5\u1100\u1161\u11a8"
                                        "\uac00\u0915\u093c\u0958\u09c7\u09be\u0b47\u0b3e\u0340\u0344 \n"), max_size=12))
def test_scan_says_nfc_only_of_nfc_text(s: str) -> None:
    # the kernel's certainty spares unicodedata.is_normalized on most documents; it must never be wrong
    import unicodedata

    from cleantext.text import _scan_kernel
    from cleantext.text.repair import code_points, scan_args
    nfc = _scan_kernel.scan(code_points(s), *scan_args(CFG))[4]
    assert not nfc or unicodedata.is_normalized("NFC", s)
    assert nfc or any(ch in s for ch in "\u0306\u0308\u0301\u0300\u0327\u212b\u1161\u11a8\uac00\u093c\u0958\u09be"
                      "\u0b3e\u0340\u0344")


def test_every_code_point_from_the_nfc_quick_checks_no_and_maybe_is_flagged() -> None:
    import unicodedata

    from cleantext.text.repair import _flags
    table = _flags()
    for c in range(0x30000):
        ch = chr(c)
        if 0xD800 <= c <= 0xDFFF:
            continue
        if unicodedata.normalize("NFC", ch) != ch or unicodedata.combining(ch):
            assert table[c] & 128, hex(c)
        d = unicodedata.decomposition(ch).split()
        if len(d) == 2 and not d[0].startswith("<"):
            assert table[int(d[1], 16)] & 128, hex(c)
    for a, b in (("\u1100", "\u1161"), ("\uac00", "\u11a8")):  # Hangul: composed without a decomposition
        assert table[ord(b)] & 128 and not unicodedata.is_normalized("NFC", a + b)


@pytest.mark.parametrize("s", ["x\n" * 300, "\u200b\u00a0«»  &amp;\r\n" * 120, "Ã" * 500, "\n\n" + "a  b\x0b" * 200])
def test_compiled_scan_with_more_lines_and_marks_than_its_first_buffers(s: str) -> None:
    # the scan's buffers are sized for usual text first and the scan is redone when one is too small
    from cleantext.text.repair import suspects
    assert suspects(s, CFG) == _regex_suspects(s, CFG)
    lines = [(x.start, x.end) for x in split_lines(s)]
    assert lines == [(m.start(), m.end()) for m in re.finditer(r"[^\s]+(?:[^\S\n\r\x0b\x0c\x85\u2028\u2029]+[^\s]+)*", s)]
