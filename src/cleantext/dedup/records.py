"""Output lines of documents.jsonl and canonical.jsonl assembled from JSON fragments made once per document.

``json.dumps`` of a dict is ``"{" + ", ".join('"key": value', ...) + "}"`` with the separators of
``io.jsonl_line``, so a record's line can be put together from the serialised items of its parts: the
contract fields (known after cleaning), the dedupe fields (known after the analysis), ``meta`` and
``related``. The line is byte-identical to ``jsonl_line`` of the whole record (tested), and a document is
serialised once, when it arrives, instead of being kept as an object until the end of the run.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from cleantext.document import Document

__all__ = ["Fragments", "fragments", "items"]


def items(record: dict[str, Any]) -> str:
    """The items of a JSON object as ``jsonl_line`` writes them, without the braces."""
    return json.dumps(record, ensure_ascii=False, separators=(", ", ": "))[1:-1]


@dataclass(frozen=True, slots=True)
class Fragments:
    """A cleaned document's serialised contract fields and its ``meta`` item ("" without meta), and what
    the run counts of it: its skip reason, whether its clean text is empty, its removals' reasons (so the
    document itself need not come back from the worker that cleaned it)."""

    head: str
    meta: str
    skipped: str | None = None
    empty: bool = True
    reasons: tuple[str, ...] = ()

    def document_line(self, dedupe: dict[str, Any], related: list[dict[str, Any]]) -> str:
        """The documents.jsonl line: contract fields, dedupe fields, meta, related."""
        parts = [self.head, items(dedupe), self.meta, items({"related": related})]
        return "{" + ", ".join(p for p in parts if p) + "}\n"

    def canonical_line(self) -> str:
        """The canonical.jsonl line: contract fields and meta."""
        return "{" + ", ".join(p for p in (self.head, self.meta) if p) + "}\n"


def fragments(doc: Document) -> Fragments:
    """The fragments of a cleaned document (its dedupe fields are added later)."""
    record = doc.to_dict()
    meta = record.pop("meta", None)
    return Fragments(items(record), items({"meta": meta}) if meta is not None else "", doc.skipped, not doc.text,
                     tuple(r.reason for r in doc.removed))
