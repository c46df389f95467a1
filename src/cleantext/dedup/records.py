"""Output lines of documents.jsonl and canonical.jsonl assembled from JSON fragments made once per document.

``json.dumps`` of a dict is ``"{" + ", ".join('"key": value', ...) + "}"`` with the separators of
``io.jsonl_line``, so a record's line can be put together from the serialised items of its parts: the
contract fields (known after cleaning), the dedupe fields (known after the analysis), ``meta`` and
``related``. The line is byte-identical to ``jsonl_line`` of the whole record (tested), and a document is
serialised once, when it arrives, instead of being kept as an object until the end of the run.

The contract fields, most of the output's bytes, are written field by field (``head``): each string by
orjson, whose escaping of a string is ``json.dumps``' with ``ensure_ascii=False`` (tested over every code
point below U+0800 and samples above) and ~5x faster; a string orjson refuses (a lone surrogate) by ``json``.
Fragments and lines are UTF-8 bytes: from the worker to the output file they are copied, never re-encoded.
"""
from __future__ import annotations

import json
import math
from dataclasses import dataclass
from typing import Any

import orjson

from cleantext.document import Document, Removal

__all__ = ["Fragments", "fragments", "head", "item_bytes", "items", "json_string"]


def items(record: dict[str, Any]) -> str:
    """The items of a JSON object as ``jsonl_line`` writes them, without the braces."""
    return json.dumps(record, ensure_ascii=False, separators=(", ", ": "))[1:-1]


def item_bytes(record: dict[str, Any]) -> bytes:
    """``items(record)`` (string keys) in UTF-8, its common values written directly: strings (``json_string``), None, booleans,
    empty lists; any other value by ``json``."""
    return b", ".join([json_string(k) + b": " + _value(v) for k, v in record.items()])


_CONSTANTS: dict[Any, bytes] = {None: b"null", True: b"true", False: b"false"}


def _value(v: Any) -> bytes:
    if v is None or v is True or v is False:
        return _CONSTANTS[v]
    if type(v) is str:
        return json_string(v)
    if type(v) is list and not v:
        return b"[]"
    return json.dumps(v, ensure_ascii=False, separators=(", ", ": ")).encode()


def json_string(value: Any) -> bytes:
    """A string (or any other value) as ``json.dumps(value, ensure_ascii=False)`` writes it, in UTF-8."""
    if type(value) is str:
        try:
            return orjson.dumps(value)
        except TypeError:  # a lone surrogate: not UTF-8 (encoding json's text fails as writing it did)
            pass
    return json.dumps(value, ensure_ascii=False).encode()


_REASONS: dict[str, bytes] = {}  # removal reason -> its JSON string (reasons are a few codes per run)


def _reason(reason: str) -> bytes:
    out = _REASONS.get(reason)
    if out is None:
        out = json_string(reason)
        if len(_REASONS) < 4096:
            _REASONS[reason] = out
    return out


def _removal(r: Removal) -> bytes:
    """A removed span's object as ``json.dumps(r.to_dict())`` writes it."""
    score = round(float(r.score), 4)
    if type(r.start) is not int or type(r.end) is not int or not math.isfinite(score):
        return b"{" + items(r.to_dict()).encode() + b"}"
    return b'{"start": %d, "end": %d, "reason": %s, "text": %s, "score": %s}' % (
        r.start, r.end, _reason(r.reason) if type(r.reason) is str else json_string(r.reason), json_string(r.text),
        b"1.0" if score == 1.0 else repr(score).encode())


def head(doc: Document) -> bytes:
    """The items of ``doc.to_dict()`` without ``meta``, as ``items`` writes them (UTF-8)."""
    return b"".join((
        b'"id": ', json_string(doc.id), b', "text": ', json_string(doc.text), b', "lang": ', json_string(doc.lang),
        b', "title": ', json_string(doc.title), b', "date": ', json_string(doc.date),
        b', "source": ', json_string(doc.source), b', "url": ', json_string(doc.url),
        b', "site": ', json_string(doc.site), b', "removed": [', b", ".join([_removal(r) for r in doc.removed]),
        b'], "notes": [', b", ".join([json_string(n) for n in doc.notes]), b'], "skipped": ',
        json_string(doc.skipped)))


@dataclass(frozen=True, slots=True)
class Fragments:
    """A cleaned document's serialised contract fields and its ``meta`` item (b"" without meta), and what
    the run counts of it: its skip reason, whether its clean text is empty, its removals' reasons (so the
    document itself need not come back from the worker that cleaned it)."""

    head: bytes
    meta: bytes
    skipped: str | None = None
    empty: bool = True
    reasons: tuple[str, ...] = ()

    def document_line(self, dedupe: dict[str, Any], related: list[dict[str, Any]]) -> bytes:
        """The documents.jsonl line: contract fields, dedupe fields, meta, related."""
        parts = [self.head, item_bytes(dedupe), self.meta, b'"related": ' + _value(related)]
        return b"{" + b", ".join(p for p in parts if p) + b"}\n"

    def canonical_line(self) -> bytes:
        """The canonical.jsonl line: contract fields and meta."""
        return b"{" + b", ".join(p for p in (self.head, self.meta) if p) + b"}\n"


def fragments(doc: Document) -> Fragments:
    """The fragments of a cleaned document (its dedupe fields are added later)."""
    return Fragments(head(doc), items({"meta": doc.meta}).encode() if doc.meta else b"", doc.skipped, not doc.text,
                     tuple(r.reason for r in doc.removed))
