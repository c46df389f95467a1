"""Which document of a cluster is the canonical one.

The rule (smallest rank wins), deterministic and independent of input order:

1. a preferred source first: the position of the first entry of ``DedupConfig.preferred_sources`` that
   matches the document's site (the domain or a parent domain of it: "kazpravda.kz" matches
   "www.kazpravda.kz"), its URL's host, or its ``source`` (the input path, or a prefix of it);
   documents matching no entry come after all that match one;
2. the most complete clean text: more characters of clean text first;
3. the earliest date (ISO dates compare as strings; a document without a date comes last);
4. the smallest id (then the raw text's digest, so equal ids still order the same way every run).
"""
from __future__ import annotations

import zlib
from dataclasses import dataclass
from urllib.parse import urlsplit

__all__ = ["RankInfo", "rank_key"]


@dataclass(frozen=True, slots=True)
class RankInfo:
    """The few fields of a document the canonical rule looks at."""

    id: str
    site: str | None
    url: str | None
    source: str | None
    date: str | None
    text_chars: int
    digest: str  # of the raw text: a last tie-break for equal ids

    @classmethod
    def of(cls, doc) -> "RankInfo":
        """From a cleaned ``Document``."""
        digest = f'{zlib.crc32(doc.raw.encode("utf-8", "surrogatepass")):08x}'  # a tie-break only: crc32 is enough
        return cls(doc.id, doc.site, doc.url, doc.source, doc.date, len(doc.text), digest)


def _host(url: str | None) -> str | None:
    if not url:
        return None
    try:
        return urlsplit(url if "//" in url else "//" + url).hostname
    except ValueError:
        return None


def _matches(entry: str, info: RankInfo) -> bool:
    entry = entry.strip()
    if not entry:
        return False
    low = entry.lower()
    for domain in (info.site, _host(info.url)):
        if domain:
            domain = domain.lower()
            if domain == low or domain.endswith("." + low):
                return True
    return bool(info.source) and info.source.startswith(entry)


def rank_key(info: RankInfo, preferred: tuple[str, ...] = ()) -> tuple:
    """The sort key of the canonical rule: the smallest key of a cluster is its canonical."""
    pref = next((k for k, entry in enumerate(preferred) if _matches(entry, info)), len(preferred))
    return (pref, -info.text_chars, info.date is None, info.date or "", info.id, info.digest)
