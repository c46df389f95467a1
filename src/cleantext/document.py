"""The records that flow through cleantext: documents, removed spans, passage links.

Every offset in this module is a Python string index (code point) into ``Document.raw``:
the input text as read, after decoding and before any repair, so a user can highlight it
in the original.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True, slots=True, init=False)
class Removal:
    """A span of the raw text left out of the clean text, and why."""

    start: int
    end: int
    reason: str  # "<layer>:<kind>", e.g. "widget:exchange_rate", "template:site", "meta:title"
    text: str
    score: float = 1.0  # confidence or statistic behind the decision (rule hit = 1.0)

    def __init__(self, start: int, end: int, reason: str, text: str, score: float = 1.0) -> None:
        # the slots' own setters: ~2x faster than the frozen dataclass's object.__setattr__
        # calls (hundreds of thousands of removals per 100 MB)
        _SET_START(self, start)
        _SET_END(self, end)
        _SET_REASON(self, reason)
        _SET_TEXT(self, text)
        _SET_SCORE(self, score)

    def to_dict(self) -> dict[str, Any]:
        return {"start": self.start, "end": self.end, "reason": self.reason,
                "text": self.text, "score": round(float(self.score), 4)}

    def __reduce__(self) -> tuple[type, tuple[int, int, str, str, float]]:
        # pickled as its fields (results cross processes): ~2.5x faster than the frozen-slots default
        return Removal, (self.start, self.end, self.reason, self.text, self.score)


_SET_START, _SET_END, _SET_REASON, _SET_TEXT, _SET_SCORE = (
    Removal.start.__set__, Removal.end.__set__, Removal.reason.__set__,  # type: ignore[attr-defined]
    Removal.text.__set__, Removal.score.__set__)  # type: ignore[attr-defined]


@dataclass(frozen=True, slots=True)
class PassageMatch:
    """A passage of this document that is a near-duplicate of a passage of another."""

    start: int
    end: int
    other_id: str
    other_start: int
    other_end: int
    similarity: float

    def to_dict(self) -> dict[str, Any]:
        return {"start": self.start, "end": self.end, "other_id": self.other_id,
                "other_start": self.other_start, "other_end": self.other_end,
                "similarity": round(float(self.similarity), 4)}


@dataclass(slots=True)
class Document:
    """One input document and everything cleantext decided about it."""

    id: str
    raw: str  # text as read (decoded); all offsets point into it
    url: str | None = None
    source: str | None = None  # where it was read from: "path" or "path:line"
    date: str | None = None
    meta: dict[str, Any] = field(default_factory=dict)  # unknown input fields, kept as they came
    # filled in by the stages
    text: str = ""  # the clean text
    title: str | None = None
    lang: str = "und"
    site: str | None = None
    removed: list[Removal] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # recorded input problems, e.g. "invalid_utf8: 3 bytes replaced"
    skipped: str | None = None  # reason code when the document could not be processed
    # filled in by dedupe
    cluster_id: str | None = None
    duplicate_of: str | None = None
    canonical: bool = True
    duplicate_score: dict[str, float] | None = None  # {"jaccard": .., "containment": ..} against duplicate_of
    passages: list[PassageMatch] = field(default_factory=list)

    def to_dict(self, *, dedupe: bool = False) -> dict[str, Any]:
        """The output record of the contract (README: "Output contract")."""
        out: dict[str, Any] = {
            "id": self.id,
            "text": self.text,
            "lang": self.lang,
            "title": self.title,
            "date": self.date,
            "source": self.source,
            "url": self.url,
            "site": self.site,
            "removed": [r.to_dict() for r in self.removed],
            "notes": list(self.notes),
            "skipped": self.skipped,
        }
        if dedupe:
            out.update(dedupe_fields(self.cluster_id, self.duplicate_of, self.canonical, self.duplicate_score,
                                     self.passages))
        if self.meta:
            out["meta"] = self.meta
        return out


def dedupe_fields(cluster_id: str | None, duplicate_of: str | None, canonical: bool,
                  duplicate_score: dict[str, float] | None, passages: list[PassageMatch]) -> dict[str, Any]:
    """The dedupe fields of an output record, in contract order."""
    return {"cluster_id": cluster_id, "duplicate_of": duplicate_of, "canonical": canonical,
            "duplicate_score": duplicate_score, "passages": [p.to_dict() for p in passages]}
