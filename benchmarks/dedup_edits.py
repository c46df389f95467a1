"""Text edits the web applies to reprints, for the near-duplicate benchmark (dedup_data.py).

Each takes a seeded ``random.Random``: number, dash and quote restyling, Latin/Cyrillic
homoglyphs, typos, sentence drops, truncation; plus the sentence splitter and the normalised word
view the labels use to compare texts.
"""
from __future__ import annotations

import random
import re
from dataclasses import dataclass

_SENT_END = re.compile(r"(?:(?<=[.!?…])|(?<=[.!?…][»\"”)]))\s+(?=[«\"“„(]?[A-ZА-ЯЁ0-9—–-])")


def split_sentences(text: str) -> list[str]:
    """Sentences of a paragraph (a simple punctuation rule; never loses characters but spaces)."""
    return [s for s in _SENT_END.split(text) if s]


def sentence_spans(text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int]]:
    """Character spans of the sentences of text[start:end] (line breaks end a sentence too)."""
    end = len(text) if end is None else end
    spans = []
    for m in re.finditer(r"[^\n]+", text[start:end]):
        pos = start + m.start()
        for sep in _SENT_END.finditer(m.group(0)):
            spans.append((pos, start + m.start() + sep.start()))
            pos = start + m.start() + sep.end()
        spans.append((pos, start + m.end()))
    return [(a, b) for a, b in spans if b > a]


@dataclass
class Unit:
    """A body paragraph on its way into a document, with the paragraph it came from."""

    text: str
    origin: tuple[str, int]  # (article key, paragraph index)
    whole: bool = True  # no sentence of it dropped, not truncated
    inserted: bool = False  # reused inside another article
    kinds: tuple[str, ...] = ()  # character edits applied to this paragraph


HOMOGLYPHS = {"а": "a", "е": "e", "о": "o", "р": "p", "с": "c", "у": "y", "х": "x", "А": "A", "В": "B",
         "Е": "E", "К": "K", "М": "M", "Н": "H", "О": "O", "Р": "P", "С": "C", "Т": "T", "Х": "X"}
HOMOGLYPHS.update({v: k for k, v in list(HOMOGLYPHS.items())})
_DASHES = ["—", "–", "-"]
_QUOTES = [("«", "»"), ("“", "”"), ('"', '"'), ("„", "“")]


def restyle_numbers(text: str, rng: random.Random, p: float) -> str:
    """'1500' -> '1 500' (space, no-break or thin space) and '1 500' -> '1500', each with chance p
    (years stay); half the time also decimal comma <-> point."""
    sep = rng.choice([" ", "\u00a0", "\u202f"])

    def group(m: re.Match) -> str:
        if rng.random() >= p:
            return m.group(0)
        s = m.group(0)
        if len(s) == 4 and 1800 <= int(s) <= 2100:  # a year keeps its style
            return s
        if re.search(r"[ \u00a0\u202f]", s):
            return re.sub(r"[ \u00a0\u202f]", "", s)
        return f"{int(s):,}".replace(",", sep)

    text = re.sub(r"(?<![\d.,])(?:\d{1,3}(?:[ \u00a0\u202f]\d{3})+|[1-9]\d{3,6})(?![\d.,]\d)", group, text)
    if rng.random() < 0.5:  # decimal comma <-> point ("3,5" / "3.5")
        text = re.sub(r"(?<=\d)([.,])(?=\d{1,2}\b)",
                      lambda m: ("," if m.group(1) == "." else ".") if rng.random() < p else m.group(1), text)
    return text


def restyle_dashes(text: str, rng: random.Random, p: float) -> str:
    """Spaced dashes and dialogue dashes opening a line become another style (— – -), each with
    chance p."""
    to = rng.choice(_DASHES)
    return re.sub(r"(?:(?<= )|^)[—–-](?= )", lambda m: to if rng.random() < p else m.group(0), text,
                  flags=re.M)


def restyle_quotes(text: str, rng: random.Random, p: float) -> str:
    """Quote pairs «» “” "" „“ become another style, each pair with chance p."""
    op, cl = rng.choice(_QUOTES)
    return re.sub(r"[«“„\"]([^«»“”„\"\n]{1,300})[»”“\"]",
                  lambda m: f"{op}{m.group(1)}{cl}" if rng.random() < p else m.group(0), text)


def swap_homoglyphs(text: str, rng: random.Random, rate: float) -> str:
    """In about rate of the words, one letter becomes its look-alike of the other script."""
    out = re.split(r"(\s+)", text)
    for k in range(0, len(out), 2):
        if rng.random() < rate:
            w = out[k]
            cands = [i for i, ch in enumerate(w) if ch in HOMOGLYPHS]
            if cands:
                i = rng.choice(cands)
                out[k] = w[:i] + HOMOGLYPHS[w[i]] + w[i + 1:]
    return "".join(out)


def add_typos(text: str, rng: random.Random, n: int) -> str:
    """n single-character edits (drop, double, swap, replace) inside words of 4+ letters."""
    spans = [m.span() for m in re.finditer(r"[^\W\d_]{4,}", text)]
    for _ in range(min(n, len(spans))):
        s, e = spans[rng.randrange(len(spans))]
        i = rng.randrange(s + 1, e - 1)
        op = rng.randrange(4)
        if op == 0:
            text = text[:i] + text[i + 1:]
        elif op == 1:
            text = text[:i] + text[i] + text[i:]
        elif op == 2:
            text = text[:i] + text[i + 1] + text[i] + text[i + 2:]
        else:
            text = text[:i] + text[i - 1] + text[i + 1:]
        spans = [m.span() for m in re.finditer(r"[^\W\d_]{4,}", text)]
    return text


def drop_sentences(units: list[Unit], rng: random.Random, k: int) -> list[Unit]:
    """Drop k sentences from the article's own paragraphs (a paragraph left empty goes)."""
    for _ in range(k):
        cands = [i for i, u in enumerate(units) if not u.inserted and len(split_sentences(u.text)) >= 2]
        if not cands:
            break
        i = rng.choice(cands)
        sents = split_sentences(units[i].text)
        del sents[rng.randrange(len(sents))]
        units[i] = Unit(" ".join(sents), units[i].origin, False, False, units[i].kinds)
    return units


def truncate(units: list[Unit], rng: random.Random, frac: float) -> list[Unit]:
    """Keep the first frac of the words, cut at a sentence end (a containment duplicate)."""
    total = sum(len(u.text.split()) for u in units)
    budget = int(total * frac)
    out: list[Unit] = []
    for u in units:
        n = len(u.text.split())
        if n <= budget:
            out.append(u)
            budget -= n
            continue
        kept: list[str] = []
        for s in split_sentences(u.text):
            if len(s.split()) > budget:
                break
            kept.append(s)
            budget -= len(s.split())
        if kept:
            out.append(Unit(" ".join(kept), u.origin, False, u.inserted, u.kinds))
        break
    return out or units[:1]


def edit_text(text: str, rng: random.Random, kinds: list[str], typos: int | None = None
              ) -> tuple[str, list[str]]:
    """Apply the character-level edits named in kinds; returns the text and the kinds that changed it.

    "typos" makes 1 to words/80 edits, unless ``typos`` gives their number (then kinds need not
    name it).
    """
    done = []
    words = len(text.split())
    if typos:
        kinds = [k for k in kinds if k != "typos"] + ["typos"]
    for kind in kinds:
        before = text
        if kind == "numbers":
            text = restyle_numbers(text, rng, rng.uniform(0.5, 1.0))
        elif kind == "dashes":
            text = restyle_dashes(text, rng, rng.uniform(0.5, 1.0))
        elif kind == "quotes":
            text = restyle_quotes(text, rng, rng.uniform(0.5, 1.0))
        elif kind == "homoglyphs":
            text = swap_homoglyphs(text, rng, rng.uniform(0.01, 0.15))
        elif kind == "typos":
            text = add_typos(text, rng, typos or rng.randint(1, max(1, words // 80)))
        if text != before and kind not in done:
            done.append(kind)
    return text, done


CHAR_EDITS = ("numbers", "dashes", "quotes", "homoglyphs", "typos")
STRUCT_EDITS = ("sentence_drop", "truncation", "rewrap")


def norm_words(text: str) -> list[str]:
    """Lower-cased words, Latin look-alikes folded to Cyrillic, digit groups joined ("1 500")."""
    t = text.lower().translate(str.maketrans({v: k for k, v in HOMOGLYPHS.items() if k.isascii()}))
    t = re.sub(r"(?<=\d)[ \u00a0\u202f](?=\d{3}\b)", "", t)
    return re.findall(r"\w+", t)


def shingles(words: list[str], n: int) -> set[tuple[str, ...]]:
    """The set of word n-grams (one shorter gram for a shorter text)."""
    return {tuple(words[i:i + n]) for i in range(max(1, len(words) - n + 1))}
