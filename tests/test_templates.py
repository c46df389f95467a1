"""Template digests: the compiled whole-document path equals the line-by-line definition."""
from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cleantext.boilerplate import templates
from cleantext.boilerplate.templates import (COUNTED, ELIGIBLE, TemplateCounter, _line_digest,
                                             digest, line_digests, template_key)
from cleantext.config import BoilerplateConfig

KEYS = ["курс 513 7 / 516 3", "", "главная новости спорт", "Привет, мир. Да", "٣٤ test",
        "a\u3000b;", "x" * 301, "end;", "1 000 000", "года…", "tab\there", "a.b c", "x" * 300,
        " ".join(["w"] * 16), " ".join(["w"] * 17), "emoji 🔥 12", "ǅ ﬁ ß"]


def test_line_digest_definition() -> None:
    d, flags = _line_digest("курс 513 7 / 516 3", 300, 16)
    assert d == digest(template_key("курс 513 7 / 516 3")) == digest("курс 0 0 / 0 0")
    assert flags == COUNTED | ELIGIBLE
    assert _line_digest("", 300, 16) == (0, 0) and _line_digest("x" * 301, 300, 16) == (0, 0)
    assert _line_digest("Привет, мир. Да", 300, 16)[1] == COUNTED  # a sentence end: not eligible
    assert _line_digest(" ".join(["w"] * 17), 300, 16)[1] == COUNTED  # too many words
    assert digest("abc") != digest("abd") and digest("ab") != digest("ab\0")


@pytest.mark.skipif(templates._template_kernel is None, reason="numba not installed")
def test_kernel_equals_line_by_line() -> None:
    assert line_digests(KEYS, 300, 16) == ([_line_digest(k, 300, 16)[0] for k in KEYS],
                                           [_line_digest(k, 300, 16)[1] for k in KEYS])


@pytest.mark.skipif(templates._template_kernel is None, reason="numba not installed")
@settings(max_examples=200, deadline=None)
@given(st.lists(st.text(alphabet=st.sampled_from(list("ab0٣９ .;!?…\u3000\t\nЁж🔥")), max_size=40),
                max_size=8), st.integers(1, 30), st.integers(0, 6))
def test_kernel_equals_line_by_line_on_random_keys(keys: list[str], max_chars: int,
                                                   max_words: int) -> None:
    pairs = [_line_digest(k, max_chars, max_words) for k in keys]
    assert line_digests(keys, max_chars, max_words) == ([h for h, _ in pairs], [f for _, f in pairs])


def test_add_keys_equals_add_and_the_lookup_uses_the_same_digests() -> None:
    cfg = BoilerplateConfig(template_min_count=2)

    class B:
        def __init__(self, key: str) -> None:
            self.key = key

    a, b = TemplateCounter(cfg), TemplateCounter(cfg)
    docs = [["главная 1", "новости дня прошли.", "текст один"], ["главная 22", "текст два"]]
    for keys in docs:
        a.add("s", [B(k) for k in keys])
        b.add_keys("s", keys)
    assert a == b
    index = a.freeze()
    assert index.lookup_lines("s", ["главная 333", "текст три"]) == [("template:site", 1.0), None]
    assert index.lookup_lines(None, ["главная 4"]) == [("template:corpus", 1.0)]
