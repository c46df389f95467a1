"""Output fragments written field by field (orjson strings, UTF-8) equal json.dumps of the whole record."""
from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cleantext.dedup.records import fragments, head, item_bytes, items, json_string
from cleantext.document import Document, Removal
from cleantext.io import jsonl_line


def test_every_code_point_below_u0800_and_samples_above_escape_as_json_does() -> None:
    chars = [chr(c) for c in range(0x800)] + ["\u2028", "\u2029", "\ufeff", "\uffff", "\U0001f600", "\U0010ffff"]
    for c in chars:
        assert json_string(c) == json.dumps(c, ensure_ascii=False).encode(), hex(ord(c))
    assert json_string("".join(chars)) == json.dumps("".join(chars), ensure_ascii=False).encode()


def test_lone_surrogates_and_other_values_fall_back_to_json() -> None:
    for value in [None, 5, 2.5, True, ["x"]]:
        assert json_string(value) == json.dumps(value, ensure_ascii=False).encode()
    with pytest.raises(UnicodeEncodeError):  # as writing the line to a UTF-8 file failed
        json_string("a\ud800b")


_text = st.text(st.characters(blacklist_categories=("Cs",)), max_size=40) | st.sampled_from(["", "\x00\x1f\"\\"])
_score = st.floats(allow_nan=True, allow_infinity=True) | st.sampled_from([1.0, 0.5, 1e-5, 1e17, 0.12345678])
_removal = st.builds(Removal, st.integers(0, 10**6), st.integers(0, 10**6), _text, _text, _score)


@settings(max_examples=200, deadline=None)
@given(doc_id=_text, text=_text, title=st.none() | _text, date=st.none() | _text, site=st.none() | _text,
       removed=st.lists(_removal, max_size=5), notes=st.lists(_text, max_size=3),
       skipped=st.none() | _text, meta=st.dictionaries(_text, st.integers() | _text | st.none(), max_size=3))
def test_head_and_lines_equal_json_dumps_of_the_record(doc_id, text, title, date, site, removed, notes, skipped,
                                                       meta) -> None:
    doc = Document(id=doc_id, raw="", date=date, meta=meta, text=text, title=title, site=site,
                   removed=removed, notes=notes, skipped=skipped)
    record = doc.to_dict()
    record.pop("meta", None)
    assert head(doc) == items(record).encode()
    assert fragments(doc).canonical_line() == jsonl_line(doc.to_dict()).encode()


_json = st.recursive(st.none() | st.booleans() | st.integers() | _score | _text,
                     lambda inner: st.lists(inner, max_size=3) | st.dictionaries(_text, inner, max_size=3), max_leaves=8)


@settings(max_examples=300, deadline=None)
@given(record=st.dictionaries(_text, _json, max_size=6))
def test_item_bytes_equal_items(record) -> None:
    assert item_bytes(record) == items(record).encode()
