"""Corpus-level templates: lines whose template form repeats across a site's documents.

Two passes, independent of input order: ``TemplateCounter.add_documents`` counts, per site, the
number of distinct documents in which each line's template form appears (as 64-bit digests
computed from the raw text of a whole document at once, before repair, not strings);
``freeze`` keeps the digests seen in at least ``template_min_count`` documents, and pass 2
looks up the digests of its blocks' raw spans, computed by the same function.  Without a site,
the corpus-wide counts flag only short list-like lines: a long prose passage repeated across
documents is a reprint (the dedupe stage's business), never template.

The template form of a raw line (``template_key``): each code point casefolded (when that
gives one code point) and folded as in matching keys (ё/е, dash and quote styles, look-alike
Latin/Cyrillic letters: to one skeleton, the Cyrillic letter), invisible characters dropped,
white space collapsed, digit groups joined ("1 500") and every digit run written "0", so
rotating counters, rates and dates collide.  No repair: a site's pages share their encoding.
"""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from typing import Iterable, Iterator, Protocol, Sequence

import numpy as np

from cleantext.config import BoilerplateConfig
from cleantext.document import Document
from cleantext.text.keys import _DIGIT_GROUP, _FOLD, _LAT_CYR
from cleantext.text.meta import date_prefix, document_site, title_rule
from cleantext.text.repair import _INVISIBLE

try:  # the compiled kernel computes the same digests for a whole document at once
    from cleantext.boilerplate import _template_kernel
except ImportError:  # numba is optional
    _template_kernel = None  # type: ignore[assignment]

_DIGITS = re.compile(r"\d+")
_PUNCT = ".!?…;"  # sentence punctuation, when a space or the end follows
_SENTENCE_PUNCT = re.compile(f"[{_PUNCT}](?: |$)")
_LINE_ENDS = "\n\r\u2028\u2029\x0b\x0c\x85"  # text.segment's line ends
_MASK = (1 << 64) - 1
_P = 0x100000001B3  # the polynomial's base (FNV-1a's 64-bit prime)
_LEN = 0xC2B2AE3D27D4EB4F  # mixes the form's length into its digest
_fold: np.ndarray | None = None  # see _fold_table
_codes: np.ndarray | None = None  # see _code_table
_translate: dict[int, int | None] | None = None  # see _collapsed
COUNTED, ELIGIBLE = 1, 2  # line flags: the line counts; corpus-wide repetition may flag it


class _Lined(Protocol):
    raw: str


def _chunks(pattern: str) -> Iterator[tuple[int, str]]:
    """(first code point, text) of the blocks of 256 code points where ``pattern`` matches
    (``(?s).``: all of them)."""
    every = np.arange(0x110000, dtype=np.uint32).tobytes().decode("utf-32-le", "surrogatepass")
    test = re.compile(pattern)
    for lo in range(0, 0x110000, 256):
        chunk = every[lo:lo + 256]
        if test.search(chunk) is not None:
            yield lo, chunk


def _fold_table() -> np.ndarray:
    """The template fold of every code point (int32): its casefold when that is one code point,
    then matching keys' ё/dash/quote folds, then Latin letters with a Cyrillic look-alike to it
    (matching keys fold them word by word; a digest needs no script, only a skeleton)."""
    global _fold
    if _fold is None:
        after = dict(_FOLD)
        for lat, cyr in _LAT_CYR.items():  # "h" has two look-alikes: the first one
            after.setdefault(lat.casefold(), cyr.casefold())
        fold = np.arange(0x110000, dtype=np.int32)
        for ch, to in after.items():
            fold[ord(ch)] = ord(to)
        for lo, chunk in _chunks("(?s)."):  # casefolding changes few blocks: test them whole
            if chunk.casefold() == chunk:
                continue
            for i, ch in enumerate(chunk):
                f = ch.casefold()
                f = f if len(f) == 1 else ch
                fold[lo + i] = ord(after.get(f, f))
        _fold = fold
    return _fold


def _code_table() -> np.ndarray:
    """The kernel's table over all code points (int32): ``fold << SHIFT | kind bits`` (``\\s``,
    ``\\d``, sentence punctuation, line end, invisible: what the fallback's str methods and
    regexes test)."""
    global _codes
    if _codes is None:
        k = _template_kernel
        kinds = np.zeros(0x110000, dtype=np.int32)
        for lo, chunk in _chunks(r"[\d\s]"):
            for m in re.finditer(r"(\d+)|\s+", chunk):
                kinds[lo + m.start():lo + m.end()] |= k.DIGIT if m.group(1) else k.SPACE
        for chars, bit in ((_PUNCT, k.PUNCT), (_LINE_ENDS, k.LINE_END), (_INVISIBLE, k.INVISIBLE)):
            kinds[[ord(c) for c in chars]] |= bit
        _codes = _fold_table() << k.SHIFT | kinds
    return _codes


def _collapsed(line: str) -> str:
    """A raw line folded (``_fold_table``), invisible characters dropped, white space collapsed."""
    global _translate
    if _translate is None:
        fold = _fold_table()
        changed = np.flatnonzero(fold != np.arange(0x110000, dtype=np.int32))
        table: dict[int, int | None] = dict(zip(changed.tolist(), fold[changed].tolist()))
        table.update(dict.fromkeys(map(ord, _INVISIBLE)))
        _translate = table
    return " ".join(line.translate(_translate).split())


def _zeros(s: str) -> str:
    """Digit groups ("1 500") joined, then every digit run "0"."""
    if _DIGITS.search(s) is None:
        return s
    return _DIGITS.sub("0", _DIGIT_GROUP.sub(lambda m: m.group().replace(" ", ""), s))


def template_key(line: str) -> str:
    """The template form of a raw line (see the module docstring)."""
    return _zeros(_collapsed(line))


def digest(tkey: str) -> int:
    """A stable 64-bit digest of a template form (the same in every process): a polynomial over
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


def _line_digest(line: str, max_chars: int, max_words: int) -> tuple[int, int]:
    """(digest of the line's template form, flags) of one raw line: COUNTED for a line of 1 to
    ``max_chars`` chars (white space collapsed), plus ELIGIBLE when it is short and list-like,
    the only kind corpus-wide repetition may flag without a site (at most ``max_words`` words,
    no sentence punctuation before a space or the end); (0, 0) for a line not counted."""
    collapsed = _collapsed(line)
    if not 0 < len(collapsed) <= max_chars:
        return 0, 0
    tkey = _zeros(collapsed)
    eligible = len(tkey.split()) <= max_words and _SENTENCE_PUNCT.search(tkey) is None
    return digest(tkey), COUNTED | (ELIGIBLE if eligible else 0)


def _code_points(s: str) -> np.ndarray:
    return np.frombuffer(s.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)


def text_digest(line: str, max_chars: int, max_words: int) -> tuple[int, int]:
    """``_line_digest`` of one raw line (the compiled path's single call)."""
    if _template_kernel is None:
        return _line_digest(line, max_chars, max_words)
    h, f = _template_kernel.line_digest(_code_points(line), _code_table(), max_chars, max_words)
    return int(h), int(f)


def line_digests(lines: Sequence[str], max_chars: int, max_words: int
                 ) -> tuple[list[int], list[int]]:
    """``_line_digest`` of every raw line of one document: (digests, flags)."""
    if _template_kernel is None or not lines:
        pairs = [_line_digest(s, max_chars, max_words) for s in lines]
        return [h for h, _ in pairs], [f for _, f in pairs]
    n = len(lines)
    lens = np.fromiter(map(len, lines), dtype=np.int64, count=n)
    starts = np.zeros(n, dtype=np.int64)
    np.cumsum(lens[:-1], out=starts[1:])
    digests = np.empty(n, dtype=np.uint64)
    flags = np.empty(n, dtype=np.uint8)
    _template_kernel.span_digests(_code_points("".join(lines)), starts, lens, _code_table(),
                                  max_chars, max_words, digests, flags)
    return digests.tolist(), flags.tolist()


def document_lines(raw: str, max_chars: int, max_words: int
                   ) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """The non-blank lines of a raw text (``text.segment.split_lines``): arrays (starts, ends,
    digests, flags), ``_line_digest`` of ``raw[start:end]`` for each."""
    if _template_kernel is None:
        from cleantext.text.segment import split_lines
        lines = list(split_lines(raw))
        digests, flags = line_digests([ln.text for ln in lines], max_chars, max_words)
        return (np.array([ln.start for ln in lines], dtype=np.int64),
                np.array([ln.end for ln in lines], dtype=np.int64),
                np.array(digests, dtype=np.uint64), np.array(flags, dtype=np.uint8))
    cps = _code_points(raw)
    size = _template_kernel.most_lines(cps, _code_table())  # memory in lines, not characters
    starts, ends = np.empty(size, dtype=np.int64), np.empty(size, dtype=np.int64)
    digests, flags = np.empty(size, dtype=np.uint64), np.empty(size, dtype=np.uint8)
    k = _template_kernel.document_lines(cps, _code_table(), max_chars, max_words,
                                        starts, ends, digests, flags)
    return starts[:k], ends[:k], digests[:k], flags[:k]


class _Folded:
    """A text keyed for ``title_rule`` in pass 1: equal to another when their folded texts are
    (``_collapsed``), compared only when their template digests agree."""

    __slots__ = ("text", "digest")

    def __init__(self, text: str, digest: int) -> None:
        self.text, self.digest = text, digest

    def __eq__(self, other: object) -> bool:
        return (isinstance(other, _Folded) and self.digest == other.digest
                and _collapsed(self.text) == _collapsed(other.text))

    __hash__ = None  # type: ignore[assignment]


class _Batch:
    """Pass 1 over a few documents joined by line ends: their lines' digests and flags, with
    what ``text.meta`` takes out of the text undone (``meta_free``)."""

    def __init__(self, docs: Sequence[Document], cfg: BoilerplateConfig) -> None:
        self.cfg = cfg
        self.text = "\n".join(d.raw for d in docs)  # a document's last line ends before the next
        starts, ends, digests, flags = document_lines(self.text, cfg.template_max_chars,
                                                      cfg.template_corpus_max_words)
        firsts = np.cumsum([0] + [len(d.raw) + 1 for d in docs])
        self.bounds = np.searchsorted(starts, firsts).tolist()  # doc i: lines bounds[i]:bounds[i+1]
        self.starts, self.ends = starts.tolist(), ends.tolist()
        self.digests, self.flags = digests, flags.copy()
        self._digests = digests.tolist()

    def _digest(self, text: str) -> tuple[int, int]:
        return text_digest(text, self.cfg.template_max_chars, self.cfg.template_corpus_max_words)

    def _line(self, i: int) -> str:
        return self.text[self.starts[i]:self.ends[i]]

    def meta_free(self, i: int, doc: Document) -> None:
        """Drop (flags 0) the lines of document ``i`` that ``text.meta`` takes out of its text: a
        leading "date 2025-11-28" cut off the first line (its digest is the rest's), the title line
        and its copies (``title_rule``)."""
        lo, hi = self.bounds[i], self.bounds[i + 1]
        if lo == hi:
            return
        first = self._line(lo)
        cut = date_prefix(first)
        if cut is not None:
            first = first[cut[1]:]
            if first:
                self.digests[lo], self.flags[lo] = self._digest(first)
                self._digests[lo] = int(self.digests[lo])
            else:
                self.flags[lo] = 0
                lo += 1
                if lo == hi:
                    return
                first = self._line(lo)
        digests = self._digests

        def copies(key: _Folded, start: int) -> Iterator[int]:
            """The counted lines from ``start`` on whose folded text is the key's (a copy of a
            line not counted is not counted either)."""
            if key.digest == 0:
                return
            for j in range(start, hi):
                if digests[j] == key.digest and key == _Folded(
                        first if j == lo else self._line(j), key.digest):
                    yield j

        rule = title_rule(doc, first, lambda t: _Folded(t, self._digest(t)[0]),
                          lambda key: next(copies(key, lo + 1), None) is not None)
        if rule is None:
            return
        _, key, first_is_title = rule
        for j in copies(key, lo):
            self.flags[j] = 0
        if first_is_title:
            self.flags[lo] = 0

    def count(self, counter: "TemplateCounter", sites: list[str | None]) -> None:
        """Add each document's distinct counted lines to ``counter`` (``sites``: theirs)."""
        n = len(sites)
        doc = np.repeat(np.arange(n), np.diff(self.bounds))
        order = np.lexsort((self.digests, doc))  # by document, then digest
        d, f, doc = self.digests[order], self.flags[order], doc[order]
        for eligible in (True, False):
            mask = (f & ELIGIBLE) != 0 if eligible else f != 0
            dd, docs = d[mask], doc[mask]
            first = np.ones(dd.size, dtype=bool)  # the first of equal digests in a document
            first[1:] = (dd[1:] != dd[:-1]) | (docs[1:] != docs[:-1])
            if eligible:
                counter.corpus.update(dd[first].tolist())
                continue
            digests = dd[first].tolist()
            cuts = np.searchsorted(docs[first], np.arange(n + 1)).tolist()
            for i, site in enumerate(sites):
                if site is not None:
                    counter.site_docs[site] += 1
                    counter.sites.setdefault(site, Counter()).update(digests[cuts[i]:cuts[i + 1]])
        counter.docs += n


_BATCH_CHARS = 1 << 20  # pass 1 joins documents up to about this many characters


@dataclass
class TemplateCounter:
    """Pass 1: per site (and corpus-wide) document counts of line digests. Picklable, mergeable."""

    cfg: BoilerplateConfig = field(default_factory=BoilerplateConfig)
    sites: dict[str, Counter[int]] = field(default_factory=dict)
    site_docs: Counter[str] = field(default_factory=Counter)
    corpus: Counter[int] = field(default_factory=Counter)
    docs: int = 0

    def add_documents(self, docs: Iterable[Document]) -> None:
        """Count, for each document, the distinct lines of its raw text that ``text.meta``
        leaves as text (the lines pass 2 looks up)."""
        batch: list[Document] = []
        size = 0
        for doc in docs:
            batch.append(doc)
            size += len(doc.raw)
            if size >= _BATCH_CHARS:
                self._add_batch(batch)
                batch, size = [], 0
        if batch:
            self._add_batch(batch)

    def _add_batch(self, docs: list[Document]) -> None:
        batch = _Batch(docs, self.cfg)
        for i, doc in enumerate(docs):
            batch.meta_free(i, doc)
        batch.count(self, [document_site(d) for d in docs])

    def add(self, site: str | None, blocks: Iterable[_Lined]) -> None:
        """Count one document given as its blocks (their raw spans)."""
        self.add_lines(site, [b.raw for b in blocks])

    def add_lines(self, site: str | None, lines: Sequence[str]) -> None:
        """``add`` for a document given as its raw lines."""
        digests, flags = line_digests(lines, self.cfg.template_max_chars,
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
        """Pass 2's lookup table: digests seen in at least ``template_min_count`` documents."""
        cfg = cfg or self.cfg
        k = cfg.template_min_count
        sites = {s: {h: c for h, c in counts.items() if c >= k} for s, counts in self.sites.items()}
        corpus = {h: c for h, c in self.corpus.items() if c >= k}
        return TemplateIndex(cfg, {s: v for s, v in sites.items() if v}, dict(self.site_docs),
                             corpus, self.docs)


@dataclass(frozen=True)
class TemplateIndex:
    """Frozen template digests per site and corpus-wide, with their document counts."""

    cfg: BoilerplateConfig
    sites: dict[str, dict[int, int]]
    site_docs: dict[str, int]
    corpus: dict[int, int]
    docs: int

    def lookup(self, site: str | None, line: str) -> tuple[str, float] | None:
        """("template:site" | "template:corpus", share of documents with the line) or None."""
        return self.lookup_lines(site, [line])[0]

    def lookup_lines(self, site: str | None, lines: Sequence[str]
                     ) -> list[tuple[str, float] | None]:
        """``lookup`` for every raw line (a block's raw span) of one document."""
        out: list[tuple[str, float] | None] = [None] * len(lines)
        counts = self.sites.get(site) if site is not None else None
        if counts is None and not self.corpus:
            return out
        site_docs = max(1, self.site_docs.get(site, 1)) if site is not None else 1
        digests, flags = line_digests(lines, self.cfg.template_max_chars,
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
