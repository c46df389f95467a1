"""Matching keys: what counts as the same line."""
from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from cleantext.text.keys import fold_homoglyphs, matching_key, words


def test_case_yo_dashes_quotes_and_space() -> None:
    assert matching_key("Всё  «Хорошо» — да") == matching_key('все "хорошо" - ДА')
    assert matching_key("Ёлка – “ёж”") == 'елка - "еж"'
    assert matching_key("й") == "й"


def test_digit_groups() -> None:
    assert matching_key("Более 1 500 человек") == matching_key("более 1500 человек")
    assert matching_key("1\u00a0500") == matching_key("1\u2009500") == "1500"
    assert matching_key("2 334 000 тг") == "2334000 тг"
    assert matching_key("1,3 тысячи") == "1,3 тысячи"  # a decimal comma stays
    assert matching_key("в 2023 100 человек") == "в 2023 100 человек"  # not a group of three
    assert matching_key("1 5000") == "1 5000"


def test_homoglyphs_fold_to_the_word_script() -> None:
    assert matching_key("передает Сaravan.kz") == matching_key("передает Caravan.kz")
    assert matching_key("Алмaты") == matching_key("Алматы")  # Latin a in a Cyrillic word
    assert fold_homoglyphs("Kazakhstan Казахстан") == "Kazakhstan Казахстан"
    assert fold_homoglyphs("iPhone") == "iPhone"


def test_homoglyph_words_the_line_script_decides() -> None:
    # a word of look-alikes only takes the script of the line's other letters
    assert fold_homoglyphs("imposes а tariff") == "imposes a tariff"  # Cyrillic а in English
    assert fold_homoglyphs("B школах многих городов") == "В школах многих городов"  # Latin B
    # a mixed word goes to the one script its look-alikes allow, whatever its majority
    assert fold_homoglyphs("border bу a broker") == "border by a broker"
    assert matching_key("Сoрок") == matching_key("сорок")
    # no look-alike is folded in a line of one script, nor a word with letters of its own
    assert fold_homoglyphs("a cat") == "a cat" and fold_homoglyphs("в Алматы") == "в Алматы"
    assert fold_homoglyphs("Caravan в Алматы") == "Caravan в Алматы"


def test_words() -> None:
    assert words(matching_key("Более 1,3 тысячи акимов, 2023-2024 годах")) == [
        "более", "1,3", "тысячи", "акимов", "2023", "2024", "годах"]


@given(st.text(max_size=60))
def test_key_is_stable(s: str) -> None:
    key = matching_key(s)
    assert matching_key(key) == key
    assert key == key.strip()


@settings(deadline=None)  # the first call builds the kernel tables
@given(st.lists(st.text(alphabet=st.sampled_from("aA ЯяСc1 5\u2014'ßΣ\u0130\t\n"), max_size=12), max_size=6))
def test_matching_keys_equals_one_by_one(texts: list[str]) -> None:
    from cleantext.text.keys import matching_keys
    assert matching_keys(texts) == [matching_key(t) for t in texts]


@settings(deadline=None)
@given(st.lists(st.text(alphabet=st.sampled_from("aAeE ЯяСсcCоo1 5\u2014'«ßΣ\u0130ё_"), max_size=12), max_size=6))
def test_spaced_keys_equals_one_by_one(texts: list[str]) -> None:
    from cleantext.text.keys import spaced_keys
    spaced = [" ".join(t.split()) for t in texts]
    assert spaced_keys(spaced) == [matching_key(t) for t in spaced]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.one_of(st.text(max_size=20), st.text(alphabet=st.sampled_from("12 .,\u0661\u0662x"), max_size=20),
                          st.text(alphabet=st.characters(min_codepoint=0x10000), max_size=5)), max_size=8))
def test_spaced_keys_kernel_on_any_text(texts: list[str]) -> None:
    # casefold table over all code points, digit groups (Unicode digits, "." and "," before) in the kernel
    from cleantext.text.keys import spaced_keys
    spaced = [" ".join(t.split()) for t in texts]
    assert spaced_keys(spaced) == [matching_key(t) for t in spaced]


def test_spaced_keys_digit_groups_and_folds() -> None:
    from cleantext.text.keys import spaced_keys
    lines = ["2 334 000 тг", "1 5000", "x 1 000 0000", "1,000 000", "1234 567", "Straße ΣΑΣ «Ёж» — да"]
    assert spaced_keys(lines) == ["2334000 тг", "1 5000", "x 1000 0000", "1,000 000", "1234 567",
                                  'strasse σασ "еж" - да']


def test_casefold_neither_makes_nor_changes_white_space() -> None:
    # what lets spaced_keys key many lines in one pass (and skip the white-space normalisation)
    for c in range(0x30000):
        if 0xD800 <= c <= 0xDFFF:
            continue
        ch = chr(c)
        folded = ch.casefold()
        assert folded == ch if ch.isspace() else not any(x.isspace() for x in folded), hex(c)


@given(st.text(alphabet=st.sampled_from("aAbBcCxoOPtT СсаАоОрЯяуВвбё1_ -.\n\u00e9"), max_size=80))
def test_fold_homoglyphs_is_letter_for_letter_line_by_line_and_stable(s: str) -> None:
    folded = fold_homoglyphs(s)
    assert len(folded) == len(s)
    assert all(a == b or (a.isalpha() and b.isalpha()) for a, b in zip(s, folded))
    assert folded == "\n".join(fold_homoglyphs(line) for line in s.split("\n"))
    assert fold_homoglyphs(folded) == folded
    assert fold_homoglyphs(folded.casefold()) == folded.casefold()


def _fold_line_by_words(line: str) -> str:
    """The homoglyph fold of one line the plain way: every word with a letter of the line's
    minority script through ``_fold_to`` (what ``_fold_minority`` must equal)."""
    import re

    from cleantext.text.keys import _CYRILLIC_OWN, _LATIN_OWN, _fold_to, _fold_word
    lat, cyr = len(_LATIN_OWN.findall(line)), len(_CYRILLIC_OWN.findall(line))
    if lat == cyr:
        return re.sub(r"\b(?=\w*?[A-Za-z])(?=\w*?[\u0400-\u04ff])\w+", _fold_word, line)
    minority = r"\b\w*?[A-Za-z]\w*" if cyr > lat else r"\b\w*?[\u0400-\u04ff]\w*"
    return re.sub(minority, lambda m: _fold_to(m.group(), cyr > lat), line)


@settings(max_examples=400)
@given(st.text(alphabet=st.sampled_from("aAbBcCxXoOpPtTdD СсаАоОрРЯяуВвЖжіё1_ -.\u0301\u0482\u00e9ß"), max_size=50))
def test_fold_minority_equals_a_fold_of_every_word(line: str) -> None:
    assert fold_homoglyphs(line) == _fold_line_by_words(line)


def test_no_code_point_past_the_fold_table_changes() -> None:
    from cleantext.text.keys import _CASED_LIMIT, _FOLD
    rest = "".join(map(chr, range(_CASED_LIMIT, 0x110000)))
    assert rest.casefold() == rest and all(ord(ch) < _CASED_LIMIT for ch in _FOLD)


@settings(deadline=None)
@given(st.lists(st.text(alphabet=st.sampled_from("aAoOcC ЯяСсо\u0482\u0301ß1 5"), max_size=12), max_size=6))
def test_spaced_keys_with_lines_folded_in_python(texts: list[str]) -> None:
    # a mixed line with a Cyrillic-block character that is no word character (U+0482) is folded in Python
    from cleantext.text.keys import spaced_keys
    spaced = [" ".join(t.split()) for t in texts]
    assert spaced_keys(spaced) == [matching_key(t) for t in spaced]


def test_line_keys_of_spans() -> None:
    import numpy as np

    from cleantext.text.keys import line_keys
    text = "  Сaravan.kz  x\n1 500 STRASSE Straße\n\u0482 Bо\n"
    starts, ends = np.array([2, 16, 37]), np.array([12, 36, 41])
    points = np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32)
    assert line_keys(points, starts, ends, text) == [matching_key(text[a:b]) for a, b in zip(starts, ends)]
