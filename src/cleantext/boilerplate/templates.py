"""Corpus-level templates: lines whose key (digits -> 0) repeats across a site's documents.

Two passes, independent of input order: ``TemplateCounter.add`` counts, per site, the number of
distinct documents in which each line key appears (as 64-bit digests computed for a whole
document at once, not strings);
``freeze`` keeps the keys seen in at least ``template_min_count`` documents. Without a site, the
corpus-wide counts flag only short list-like lines: a long prose passage repeated across
documents is a reprint (the dedupe stage's business), never template.
"""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from typing import Iterable, Protocol, Sequence

import numpy as np

from cleantext.config import BoilerplateConfig

try:  # the compiled kernel computes the same digests for a whole document at once
    from cleantext.boilerplate import _template_kernel
except ImportError:  # numba is optional
    _template_kernel = None  # type: ignore[assignment]

_DIGITS = re.compile(r"\d+")
_PUNCT = ".!?…;"  # sentence punctuation, when a space or the end follows
_SENTENCE_PUNCT = re.compile(f"[{_PUNCT}](?:\\s|$)")
_MASK = (1 << 64) - 1
_P = 0x100000001B3  # the polynomial's base (FNV-1a's 64-bit prime)
_LEN = 0xC2B2AE3D27D4EB4F  # mixes the key's length into its digest
_tables: tuple[np.ndarray, np.ndarray, np.ndarray] | None = None  # see _char_tables
COUNTED, ELIGIBLE = 1, 2  # line flags: the line counts; corpus-wide repetition may flag it


class _Keyed(Protocol):
    key: str


def template_key(key: str) -> str:
    """The template form of a matching key: every digit group becomes "0"."""
    return _DIGITS.sub("0", key)


def digest(tkey: str) -> int:
    """A stable 64-bit digest of a template key (the same in every process): a polynomial over
    its code points mod 2**64, then MurmurHash3's finalizer with the length mixed in."""
    h = 0
    for ch in tkey:
        h = (h * _P + ord(ch) + 1) & _MASK
    h ^= (len(tkey) * _LEN) & _MASK
    h ^= h >> 33
    h = (h * 0xFF51AFD7ED558CCD) & _MASK
    h ^= h >> 33
    h = (h * 0xC4CEB9FE1A85EC53) & _MASK
    return h ^ (h >> 33)


def _line_digest(key: str, max_chars: int, max_words: int) -> tuple[int, int]:
    """(digest of the line's template key, flags) of one line key: COUNTED for a key of 1 to
    ``max_chars`` chars, plus ELIGIBLE when it is short and list-like, the only kind corpus-wide
    repetition may flag without a site (at most ``max_words`` words, no sentence punctuation
    before a space or the end)."""
    if not key or len(key) > max_chars:
        return 0, 0
    tkey = template_key(key)
    eligible = len(tkey.split()) <= max_words and _SENTENCE_PUNCT.search(tkey) is None
    return digest(tkey), COUNTED | (ELIGIBLE if eligible else 0)


def _char_tables() -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Boolean tables over all code points: which ``\\d`` matches, which ``\\s`` matches,
    which is sentence punctuation (what ``_line_digest``'s regexes test)."""
    global _tables
    if _tables is None:
        every = np.arange(0x110000, dtype=np.uint32).tobytes().decode("utf-32-le", "surrogatepass")
        decimal = np.zeros(0x110000, dtype=np.bool_)
        space = np.zeros(0x110000, dtype=np.bool_)
        for m in re.finditer(r"(\d+)|\s+", every):  # one pass over all code points
            (decimal if m.group(1) else space)[m.start():m.end()] = True
        punct = np.zeros(0x110000, dtype=np.bool_)
        punct[[ord(c) for c in _PUNCT]] = True
        _tables = (decimal, space, punct)
    return _tables


def line_digests(keys: Sequence[str], max_chars: int, max_words: int
                 ) -> tuple[list[int], list[int]]:
    """``_line_digest`` of every line key of one document: (digests, flags)."""
    if _template_kernel is None or not keys:
        pairs = [_line_digest(k, max_chars, max_words) for k in keys]
        return [h for h, _ in pairs], [f for _, f in pairs]
    n = len(keys)
    cps = np.frombuffer("".join(keys).encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
    lens = np.fromiter(map(len, keys), dtype=np.int64, count=n)
    starts = np.zeros(n, dtype=np.int64)
    np.cumsum(lens[:-1], out=starts[1:])
    digests = np.empty(n, dtype=np.uint64)
    flags = np.empty(n, dtype=np.uint8)
    _template_kernel.line_digests(cps, starts, lens, max_chars, max_words, *_char_tables(),
                                  digests, flags)
    return digests.tolist(), flags.tolist()


@dataclass
class TemplateCounter:
    """Pass 1: per site (and corpus-wide) document counts of line keys. Picklable, mergeable."""

    cfg: BoilerplateConfig = field(default_factory=BoilerplateConfig)
    sites: dict[str, Counter[int]] = field(default_factory=dict)
    site_docs: Counter[str] = field(default_factory=Counter)
    corpus: Counter[int] = field(default_factory=Counter)
    docs: int = 0

    def add(self, site: str | None, blocks: Iterable[_Keyed]) -> None:
        """Count one document's distinct line keys."""
        self.add_keys(site, [b.key for b in blocks])

    def add_keys(self, site: str | None, keys: Sequence[str]) -> None:
        """``add`` for a document given as its lines' matching keys."""
        digests, flags = line_digests(keys, self.cfg.template_max_chars,
                                      self.cfg.template_corpus_max_words)
        self.docs += 1
        self.corpus.update({h for h, f in zip(digests, flags) if f & ELIGIBLE})
        if site is not None:
            self.site_docs[site] += 1
            self.sites.setdefault(site, Counter()).update(
                {h for h, f in zip(digests, flags) if f})

    def merge(self, other: "TemplateCounter") -> "TemplateCounter":
        """Add another counter's counts into this one (for parallel pass 1); returns self."""
        self.docs += other.docs
        self.corpus.update(other.corpus)
        self.site_docs.update(other.site_docs)
        for site, counts in other.sites.items():
            self.sites.setdefault(site, Counter()).update(counts)
        return self

    def freeze(self, cfg: BoilerplateConfig | None = None) -> "TemplateIndex":
        """Pass 2's lookup table: keys seen in at least ``template_min_count`` documents."""
        cfg = cfg or self.cfg
        k = cfg.template_min_count
        sites = {s: {h: c for h, c in counts.items() if c >= k} for s, counts in self.sites.items()}
        corpus = {h: c for h, c in self.corpus.items() if c >= k}
        return TemplateIndex(cfg, {s: v for s, v in sites.items() if v}, dict(self.site_docs),
                             corpus, self.docs)


@dataclass(frozen=True)
class TemplateIndex:
    """Frozen template keys per site and corpus-wide, with their document counts."""

    cfg: BoilerplateConfig
    sites: dict[str, dict[int, int]]
    site_docs: dict[str, int]
    corpus: dict[int, int]
    docs: int

    def lookup(self, site: str | None, key: str) -> tuple[str, float] | None:
        """("template:site" | "template:corpus", share of documents with the line) or None."""
        return self.lookup_lines(site, [key])[0]

    def lookup_lines(self, site: str | None, keys: Sequence[str]
                     ) -> list[tuple[str, float] | None]:
        """``lookup`` for every line key of one document."""
        out: list[tuple[str, float] | None] = [None] * len(keys)
        counts = self.sites.get(site) if site is not None else None
        if counts is None and not self.corpus:
            return out
        site_docs = max(1, self.site_docs.get(site, 1)) if site is not None else 1
        digests, flags = line_digests(keys, self.cfg.template_max_chars,
                                      self.cfg.template_corpus_max_words)
        corpus, docs = self.corpus, max(1, self.docs)
        for i, (h, f) in enumerate(zip(digests, flags)):
            if not f:
                continue
            c = counts.get(h) if counts is not None else None
            if c is not None:
                out[i] = ("template:site", c / site_docs)
            elif f & ELIGIBLE:
                c = corpus.get(h)
                if c is not None:
                    out[i] = ("template:corpus", c / docs)
        return out
