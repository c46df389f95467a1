"""Blocks: raw lines, repaired and keyed, and back to text."""
from __future__ import annotations

from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from cleantext.config import RepairConfig
from cleantext.text.keys import matching_key
from cleantext.text.segment import join_blocks, split_lines, to_blocks

SEEDS = sorted((Path(__file__).parent.parent / "seeds").glob("*.txt"))


def test_split_lines_keeps_offsets() -> None:
    raw = "a\r\n\r\n  b c \u2028d"
    lines = list(split_lines(raw))
    assert [(raw[x.start:x.end], x.blank_before) for x in lines] == [
        ("a", False), ("b c", True), ("d", False)]


def test_to_blocks_repairs_keys_and_drops_empty_lines() -> None:
    raw = "Tom &amp;  Jerry\r\n\u200b\nСaravan.kz\n\n1 500"
    blocks = to_blocks(raw, RepairConfig())
    assert [b.text for b in blocks] == ["Tom & Jerry", "Сaravan.kz", "1 500"]
    assert [b.blank_before for b in blocks] == [False, True, True]
    assert blocks[1].key == matching_key("Caravan.kz")
    assert blocks[0].raw == raw[blocks[0].start:blocks[0].end]
    assert raw[blocks[0].raw_offset(blocks[0].text.index("J"))] == "J"
    assert join_blocks(blocks) == "Tom & Jerry\n\nСaravan.kz\n\n1 500"


@settings(max_examples=100, deadline=None)
@given(st.text(alphabet=st.sampled_from("ab &;amp\r\n\u00a0\u200bЯ"), max_size=40))
def test_block_offsets_point_into_their_line(raw: str) -> None:
    for b in to_blocks(raw, RepairConfig()):
        assert raw[b.start:b.end] == b.raw
        for i in range(len(b.text) + 1):
            assert b.start <= b.raw_offset(i) <= b.end
        if b.offsets is None:
            assert b.text == b.raw


def test_seeds_round_trip() -> None:
    for path in SEEDS:
        raw = path.read_text(encoding="utf-8")
        blocks = to_blocks(raw, RepairConfig())
        assert join_blocks(blocks).split() == raw.split()


def _reference_blocks(raw: str, cfg: RepairConfig) -> list[tuple]:
    """to_blocks the slow way: every line through ``repair`` and ``matching_key`` one by one."""
    from cleantext.text.repair import repair
    out: list[tuple] = []
    pending = False
    for line in split_lines(raw):
        text, offsets = repair(line.text, cfg)
        if not text:
            pending = bool(out)
            continue
        out.append((line.start, line.end, line.text, text, matching_key(text),
                    line.blank_before or pending, offsets))
        pending = False
    return out


_TRICKY = st.text(alphabet=st.sampled_from(
    "ab Я1 5\t\n\r\u2028\x0b\x85\x1c\u00a0\u00ad\u200b&;'\u2019\u0301e\u0435ёΣ\u00e9Р’С‹\u201cß"), max_size=60)


@settings(max_examples=300, deadline=None)
@given(_TRICKY, st.sampled_from([RepairConfig(), RepairConfig(uncurl_quotes=True),
                                 RepairConfig(normalization=None), RepairConfig(normalization="NFKC")]))
def test_fast_paths_match_line_by_line_repair(raw: str, cfg: RepairConfig) -> None:
    got = [(b.start, b.end, b.raw, b.text, b.key, b.blank_before, b.offsets) for b in to_blocks(raw, cfg)]
    assert got == _reference_blocks(raw, cfg)


@settings(max_examples=300, deadline=None)
@given(st.one_of(_TRICKY, st.text(max_size=40)))
def test_split_lines_matches_regex_split(raw: str) -> None:
    import re
    ends = re.compile(r"\r\n|[\n\r\u2028\u2029\x0b\x0c\x85]")
    pos, blank, want = 0, False, []
    for seg in ends.split(raw):
        if seg.strip():
            start = pos + len(seg) - len(seg.lstrip())
            want.append((start, seg.strip(), blank))
            blank = False
        elif pos > 0:
            blank = True
        m = ends.match(raw, pos + len(seg))
        pos += len(seg) + (m.end() - m.start() if m else 0)
    assert [(x.start, x.text, x.blank_before) for x in split_lines(raw)] == want


def test_mojibake_anchored_at_a_line_start_is_repaired() -> None:
    # ftfy's badness pattern has "^[ÃÂ] ": it matches the second line alone, not the whole text
    assert [b.text for b in to_blocks("1\nÃ y", RepairConfig())] == ["1", "à y"]


def _variants(raw: str) -> list[str]:
    """The seed text damaged in the ways scraped text is: line ends, mojibake, entities, odd and
    invisible spaces, look-alike letters, decomposed letters (every kind on some of its lines)."""
    import ftfy.bad_codecs  # noqa: F401 - registers sloppy-windows-1251/1252
    import unicodedata

    lines = raw.split("\n")

    def every(k: int, fix) -> str:
        return "\n".join(fix(line) if i % k == 1 else line for i, line in enumerate(lines))

    return [
        raw.replace("\n", "\r\n"), raw.replace("\n", "\r"), "\ufeff" + raw.replace("\n\n", "\n\u2028\x0b\n\x85"),
        every(3, lambda s: s.encode("utf-8").decode("sloppy-windows-1251")),
        every(4, lambda s: s.encode("utf-8").decode("sloppy-windows-1252")),
        every(5, lambda s: s.encode("utf-8").decode("latin-1")),
        every(2, lambda s: s.replace("&", "&amp;").replace('"', "&quot;").replace("«", "&laquo;") + " &nbsp;&#1040;"),
        every(2, lambda s: s.replace(" ", "\u00a0", 2).replace(" ", "\t", 1).replace(" ", "  ", 1) + " \u202f"),
        every(3, lambda s: s.replace("е", "\u200bе", 1).replace("о", "о\u00ad", 1).replace(" ", "\u2009", 1)),
        every(2, lambda s: s.replace("о", "o").replace("С", "C").replace("р", "p", 1).replace("e", "е", 1)),
        every(3, lambda s: unicodedata.normalize("NFD", s) + " ёй\x1c"),
        every(2, lambda s: s.replace('"', "\u201c", 1).replace("'", "\u2019") + " \u2018x\u201d"),
    ]


def test_blocks_equal_the_slow_path_on_damaged_seeds() -> None:
    # every shortcut of to_blocks (whole-text scan, marked lines, soft spaces, key kernels) against
    # each line through ftfy and matching_key one by one
    raws = [p.read_text(encoding="utf-8") for p in SEEDS]
    docs = raws + [v for raw in raws for v in _variants(raw)]
    for cfg in (RepairConfig(), RepairConfig(uncurl_quotes=True), RepairConfig(normalization="NFKC")):
        slow = cfg.replace(fast_path=False)
        for raw in docs:
            got = [(b.start, b.end, b.raw, b.text, b.key, b.blank_before, b.offsets) for b in to_blocks(raw, cfg)]
            assert got == _reference_blocks(raw, slow)
