"""Corpus-level templates: lines whose key (digits -> 0) repeats across a site's documents.

Two passes, independent of input order: ``TemplateCounter.add`` counts, per site, the number of
distinct documents in which each line key appears (as 8-byte blake2b digests, not strings);
``freeze`` keeps the keys seen in at least ``template_min_count`` documents. Without a site, the
corpus-wide counts flag only short list-like lines: a long prose passage repeated across
documents is a reprint (the dedupe stage's business), never template.
"""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from hashlib import blake2b
from typing import Iterable, Protocol, Sequence

from cleantext.config import BoilerplateConfig

_DIGITS = re.compile(r"\d+")
_SENTENCE_PUNCT = re.compile(r"[.!?…;](?:\s|$)")


class _Keyed(Protocol):
    key: str


def template_key(key: str) -> str:
    """The template form of a matching key: every digit group becomes "0"."""
    return _DIGITS.sub("0", key)


def digest(key: str) -> int:
    """A stable 64-bit digest of a template key (the same in every process)."""
    return int.from_bytes(blake2b(key.encode("utf-8"), digest_size=8).digest(), "little")


def corpus_eligible(key: str, cfg: BoilerplateConfig) -> bool:
    """Short and list-like: the only lines corpus-wide repetition may flag without a site."""
    return (len(key.split()) <= cfg.template_corpus_max_words
            and _SENTENCE_PUNCT.search(key) is None)


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
        site_keys: set[int] = set()
        corpus_keys: set[int] = set()
        for b in blocks:
            key = b.key
            if not key or len(key) > self.cfg.template_max_chars:
                continue
            tkey = template_key(key)
            h = digest(tkey)
            if site is not None:
                site_keys.add(h)
            if corpus_eligible(tkey, self.cfg):
                corpus_keys.add(h)
        self.docs += 1
        self.corpus.update(corpus_keys)
        if site is not None:
            self.site_docs[site] += 1
            self.sites.setdefault(site, Counter()).update(site_keys)

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
        max_chars = self.cfg.template_max_chars
        # keys hold no newline (white space is collapsed to single spaces): one substitution
        # for the document
        tkeys = _DIGITS.sub("0", "\n".join(k if len(k) <= max_chars else "" for k in keys)
                            ).split("\n")
        corpus, max_words, punct = self.corpus, self.cfg.template_corpus_max_words, \
            _SENTENCE_PUNCT.search
        for i, tkey in enumerate(tkeys):
            if not tkey:
                continue
            if counts is None:  # only the corpus-wide counts apply: corpus_eligible, inline
                if ((tkey.count(" ") < max_words or len(tkey.split()) <= max_words)
                        and punct(tkey) is None):
                    c = corpus.get(digest(tkey))
                    if c is not None:
                        out[i] = ("template:corpus", c / max(1, self.docs))
                continue
            h = digest(tkey)
            if h in counts:
                out[i] = ("template:site", counts[h] / site_docs)
                continue
            c = self.corpus.get(h)
            if c is not None and corpus_eligible(tkey, self.cfg):
                out[i] = ("template:corpus", c / max(1, self.docs))
        return out
