"""The words of kept blocks for passage matching (``dedup.words``): the compiled kernels against the
Python definitions (``TOKEN``, ``fold_homoglyphs`` of the line, ``str.casefold``, ``word_hashes``)."""
from __future__ import annotations

import re

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cleantext.dedup import _word_kernel
from cleantext.dedup.shingle import _char_classes, word_hashes
from cleantext.dedup.words import CASED_LIMIT, TOKEN, _casefold_table, _code_points, _fold_tables, batch_words
from cleantext.text.keys import fold_homoglyphs
from cleantext.text.segment import to_blocks


def _reference(blocks):
    """Word by word, block by block: keys, raw spans and words per block."""
    keys, spans, per_block = [], [], []
    for b in blocks:
        found = list(TOKEN.finditer(b.text))
        per_block.append(len(found))
        folded = fold_homoglyphs(b.text)  # the line's script decides a word of look-alikes only
        for m in found:
            word = folded[m.start():m.end()]
            keys.append(re.sub("[ \u00a0\u202f\u2009]", "", word.casefold().replace("ё", "е")))
            spans.append((b.raw_offset(m.start()), b.raw_offset(m.end())))
    return keys, spans, per_block


def _check(raws):
    docs = [to_blocks(raw) for raw in raws]
    words = batch_words(docs)
    assert words.word_start[-1] == words.hashes.size == words.starts.size == words.ends.size
    for d, blocks in enumerate(docs):
        keys, spans, per_block = _reference(blocks)
        lo, hi = words.word_start[d], words.word_start[d + 1]
        assert words.per_block[words.doc_blocks[d]:words.doc_blocks[d + 1]].tolist() == per_block
        assert words.hashes[lo:hi].tolist() == word_hashes(keys).tolist(), keys
        assert list(zip(words.starts[lo:hi].tolist(), words.ends[lo:hi].tolist())) == spans


def test_words_have_raw_spans_and_folded_keys():
    raw = "  Более 1 500 акимов — Сaravan.kz ЁЛКА"
    words = batch_words([to_blocks(raw)])
    keys = ["более", "1500", "акимов", "caravan", "kz", "елка"]
    assert words.hashes.tolist() == word_hashes(keys).tolist()
    assert [raw[s:e] for s, e in zip(words.starts, words.ends)] == ["Более", "1 500", "акимов", "Сaravan", "kz",
                                                                    "ЁЛКА"]


@pytest.mark.parametrize("raw", [
    "Цена 2 334 000 тг, рост 3,5%.\n\nÐŸÑ€Ð¸Ð²ÐµÑ‚ мир &amp; Straße\nİstanbul ﬁle 1\u00a0500 Ёж",
    "x1,5abc 12 345abc 1 5000 1234 567 1 500 600x 1.5.x 7\u202f000,5\n\n\n— Сaravan.kz —\n7",
    "B школаx мнoгих городов, а Coca в Алматы\nimposes а tariff bу о\nо а",
    "Кaзaх\u0483стан bу\nплан B",  # a Cyrillic mark that is no word character: folded in Python
    "\U00020000\U0002a6d6x \U0001e900\U0001e922 \U00010400",  # past the casefold table, and in it
    "",
])
def test_batch_words_equal_the_word_by_word_definition(raw):
    _check([raw])
    _check([raw, "", raw.upper()])  # a batch: documents never share a word


_ALPHABET = "aAbBcCxoOPtTdD СсаАоОрЯяуВвбЁё1 5 .,\n\u00a0\u2009\u202f_-İßﬁΣ\u0483\u0301é«"


@settings(max_examples=150, deadline=None)
@given(st.lists(st.text(alphabet=st.sampled_from(_ALPHABET), max_size=60), max_size=4))
def test_batch_words_equal_the_definition_on_any_text(raws):
    _check(raws)


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from("aAbBcCxoOPtTdDfF kKmM СсаАоОрЯяуВвбЁёкКмМ1_-.\n\u00e9\u0483Ӂ"), max_size=80))
def test_fold_lines_is_fold_homoglyphs(s):
    text = _code_points(s)
    if _word_kernel.fold_lines(text, _char_classes(), *_fold_tables()):
        assert text.tobytes().decode("utf-32-le") == fold_homoglyphs(s)
    else:  # left to Python only for a line with both scripts and a Cyrillic non-word character
        assert "\u0483" in s


def test_casefold_table_is_str_casefold():
    offsets, cps = _casefold_table()
    for c in [*range(0x2000), 0x130, 0x1E9E, 0xFB01, 0x10400, 0x1E900, 0xD800, CASED_LIMIT - 1]:
        folded = chr(c).casefold().replace("ё", "е")
        assert cps[offsets[c]:offsets[c + 1]].tolist() == [ord(x) for x in folded], hex(c)
    assert offsets.size == CASED_LIMIT + 1 and offsets[-1] == cps.size and np.all(np.diff(offsets) >= 1)
    # past the table the kernel keeps the code point: casefold must leave all of them
    above = np.arange(CASED_LIMIT, 0x110000, dtype=np.uint32).tobytes().decode("utf-32-le", "surrogatepass")
    assert above.casefold() == above
