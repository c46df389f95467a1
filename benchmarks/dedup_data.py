"""Near-duplicate benchmark data built from real texts only, and a scalable corpus generator.

Every sentence in the output comes from a real text in the repository (benchmarks/data and seeds/):
the corus news samples (MIT), the article bodies and page texts of the article-extraction benchmark
(MIT) and the project's seeds. Documents are made by transforming them as the web does: reprints
wrapped in other portals' boilerplate, edited reprints, passages reused inside other articles.

    python benchmarks/dedup_data.py build [--seed 13] [-o benchmarks/data/dedup]
    python benchmarks/dedup_data.py corpus --mb 100 -o corpus.jsonl [--seed 1]

``build`` writes ``documents.jsonl`` (id, text, url, source) and ``labels.json`` (true cluster per
document, the transformations applied, and passage links with character spans on both sides).
``generate_corpus`` streams documents of any total size for the speed benchmarks.
"""
from __future__ import annotations

import argparse
import gzip
import io
import json
import random
import re
import sys
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from dedup_edits import (CHAR_EDITS, STRUCT_EDITS, Unit, drop_sentences, edit_text, norm_words,
                         sentence_spans, shingles, split_sentences, truncate)
from dedup_sources import (AMBIGUOUS, DATA, Article, Portal, hash_str, load_all, make_portals,
                           near_duplicate_articles, page_junk, script)

OUT = DATA / "dedup"
PASSAGE_MIN_WORDS = 40  # a reused passage has at least this many words
REQUIRED_LINK_WORDS = 40  # a true passage link must be found when both sides are whole and this long
OPTIONAL_LINK_WORDS = 20  # shorter or partly cut shared passages are "optional": neither found nor missed
MAX_SHARED = 0.35  # reused passages above this share of a document make its pair ambiguous
STORY_MIN_WORDS = 80  # a generated corpus's stories come from real articles at least this long


# ---------------------------------------------------------------- documents


@dataclass
class Built:
    """A document of the set with its body units' character spans."""

    text: str
    url: str
    site: str
    spans: list[tuple[Unit, int, int]]
    kinds: list[str] = field(default_factory=list)
    junk: list[tuple[int, int]] = field(default_factory=list)  # portal lines


def _counter_lines(rng: random.Random) -> list[str]:
    return [str(rng.randint(100, 9999)), str(rng.randint(0, 9)), str(rng.randint(0, 60))]


def layout(units: list[Unit], rng: random.Random, portal: Portal | None, title: str,
           rewrap: bool) -> tuple[str, list[tuple[Unit, int, int]], list[tuple[int, int]]]:
    """Body paragraphs (optionally re-wrapped) inside the portal's header, widgets and footer.

    Returns the text, the body units' spans and the spans of the portal's junk lines.
    """
    para_sep = portal.para_sep if portal else rng.choice(["\n\n", "\n"])
    line_sep = portal.line_sep if portal else "\n"
    texts = [u.text for u in units]
    seps = [para_sep] * (len(units) - 1)
    if rewrap:
        mode = rng.choice(["join", "split", "hard"])
        if mode == "join":
            seps = [" " if rng.random() < 0.5 and not (units[i].inserted or units[i + 1].inserted)
                    else s for i, s in enumerate(seps)]
        elif mode == "split":
            texts = [re.sub(r"(?<=[.!?…]) (?=[A-ZА-ЯЁ«])",
                            lambda m: para_sep if rng.random() < 0.5 else " ", t) for t in texts]
        else:
            width = rng.randint(55, 95)
            texts = [_hard_wrap(t, width) for t in texts]
    pre: list[tuple[str, bool]] = []  # (line, is junk)
    post: list[str] = []
    if portal:
        pre = [(ln, True) for ln in portal.header]
        if rng.random() < 0.5 and portal.widgets:
            pre += [(ln, True) for ln in _widget(portal, rng)]
        if title and rng.random() < 0.7:
            pre.append((title + (f" - {portal.domain.split('/')[0]}" if rng.random() < 0.3 else ""), False))
        if portal.widgets:
            post += _widget(portal, rng)
        post += portal.footer
    elif title and rng.random() < 0.5:
        pre.append((title, False))
    parts: list[str] = []
    pos = 0
    spans = []
    junk = []
    for k, (line, is_junk) in enumerate(pre):
        if is_junk:
            junk.append((pos, pos + len(line)))
        sep = line_sep if k + 1 < len(pre) else para_sep
        parts += [line, sep]
        pos += len(line) + len(sep)
    for i, (u, t) in enumerate(zip(units, texts)):
        spans.append((Unit(t, u.origin, u.whole, u.inserted, u.kinds), pos, pos + len(t)))
        parts.append(t)
        pos += len(t)
        if i < len(seps):
            parts.append(seps[i])
            pos += len(seps[i])
    if post:
        parts.append(para_sep)
        pos += len(para_sep)
        for k, line in enumerate(post):
            if k:
                parts.append(line_sep)
                pos += len(line_sep)
            junk.append((pos, pos + len(line)))
            parts.append(line)
            pos += len(line)
    return "".join(parts) + "\n", spans, junk


def _hard_wrap(text: str, width: int) -> str:
    out, col = [], 0
    for w in text.split(" "):
        if col and col + 1 + len(w) > width:
            out.append("\n")
            col = 0
        elif col:
            out.append(" ")
            col += 1
        out.append(w)
        col += len(w)
    return "".join(out)


def _widget(portal: Portal, rng: random.Random) -> list[str]:
    lines = rng.sample(portal.widgets, min(len(portal.widgets), rng.randint(2, 6)))
    if not portal.counters:
        return lines
    return [x for ln in lines for x in [ln, *_counter_lines(rng)]]


def _raw_spans(art: Article) -> list[tuple[Unit, int, int]]:
    """Spans of a seed page's body lines in the page as it is."""
    spans, pos = [], 0
    for i, p in enumerate(art.paragraphs):
        s = art.raw.index(p, pos)
        spans.append((Unit(p, (art.key, i)), s, s + len(p)))
        pos = s + len(p)
    return spans


def make_variant(art: Article, units: list[Unit], rng: random.Random, portal: Portal | None,
                 kinds: list[str]) -> Built:
    """Apply the structural and character edits in kinds, then lay the page out."""
    done: list[str] = []
    if "sentence_drop" in kinds:
        n_sent = sum(len(split_sentences(u.text)) for u in units if not u.inserted)
        k = rng.randint(1, max(1, n_sent // 8))
        if n_sent >= 4:
            units = drop_sentences(units, rng, k)
            done.append("sentence_drop")
    if "truncation" in kinds:
        units = truncate(units, rng, rng.uniform(0.5, 0.8))
        done.append("truncation")
    char_kinds = [k for k in kinds if k in CHAR_EDITS and k != "typos"]
    if "typos" in kinds:  # a few per document, not per paragraph
        total = sum(len(u.text.split()) for u in units)
        for _ in range(rng.randint(1, max(1, total // 100))):
            char_kinds.append("typo")
    if char_kinds:
        sub = random.Random(rng.random())
        typo_at = Counter(sub.choices(range(len(units)), [len(u.text.split()) for u in units],
                                      k=char_kinds.count("typo")))
        new = []
        for i, u in enumerate(units):
            t, d = edit_text(u.text, sub, [k for k in char_kinds if k != "typo"], typos=typo_at[i])
            ukinds = tuple(sorted((set(u.kinds) | set(d)) - {"verbatim"})) if d else u.kinds
            new.append(Unit(t, u.origin, u.whole, u.inserted, ukinds))
            done += d
        units = new
    rewrap = "rewrap" in kinds
    if rewrap:
        done.append("rewrap")
    text, spans, junk = layout(units, rng, portal, art.title, rewrap)
    if portal:
        done.append("boilerplate")
    return Built(text, _url(art, portal, rng), portal.domain if portal else "",
                 spans, sorted(set(done)) or ["exact"], junk)


def _url(art: Article, portal: Portal | None, rng: random.Random) -> str:
    if portal is None:
        return art.url
    slug = re.sub(r"[^a-z0-9]+", "-", art.key.lower()).strip("-")[-40:]
    return f"https://{portal.domain.split('/')[0]}/news/{rng.randint(100000, 999999)}-{slug}"


# ---------------------------------------------------------------- the labelled set


def align_sentences(text_x: str, spans_x: list[tuple[int, int]], text_y: str,
                    spans_y: list[tuple[int, int]], min_jaccard: float = 0.5
                    ) -> list[tuple[int, int, int, int, float]]:
    """Runs of near-identical sentences in the same order in two texts: (sx, ex, sy, ey, jaccard).

    Sentences match when their normalised word 3-shingles have Jaccard >= min_jaccard; a run
    continues while the next sentence of x matches the next (or next but one) sentence of y.
    """
    sx = [shingles(norm_words(text_x[a:b]), 3) for a, b in spans_x]
    sy = [shingles(norm_words(text_y[a:b]), 3) for a, b in spans_y]
    index: dict[tuple[str, ...], list[int]] = {}
    for j, sh in enumerate(sy):
        for g in sh:
            index.setdefault(g, []).append(j)
    best: dict[int, tuple[int, float]] = {}
    for i, sh in enumerate(sx):
        if len(sh) < 3:
            continue
        for j in sorted({j for g in sh for j in index.get(g, [])}):
            jac = len(sh & sy[j]) / len(sh | sy[j])
            if jac >= min_jaccard and jac > best.get(i, (0, 0.0))[1]:
                best[i] = (j, jac)
    runs: list[list[tuple[int, int, float]]] = []
    for i, (j, jac) in sorted(best.items()):
        if runs and i - runs[-1][-1][0] == 1 and 1 <= j - runs[-1][-1][1] <= 2:
            runs[-1].append((i, j, jac))
        else:
            runs.append([(i, j, jac)])
    return [(spans_x[r[0][0]][0], spans_x[r[-1][0]][1], spans_y[r[0][1]][0], spans_y[r[-1][1]][1],
             sum(x[2] for x in r) / len(r)) for r in runs]


def sharing_articles(arts: list[Article]) -> set[tuple[str, str]]:
    """Pairs of different real articles that print a common sentence (a quote, an "About" note)."""
    index: dict[tuple[str, ...], set[str]] = {}
    for a in arts:
        for p in a.paragraphs:
            for sent in split_sentences(p):
                w = norm_words(sent)
                if len(w) >= 8:
                    index.setdefault(tuple(w[:8]), set()).add(a.key)
                    index.setdefault(tuple(w[-8:]), set()).add(a.key)
    return {(x, y) for keys in index.values() for x in keys for y in keys if x < y}


def build(seed: int = 13, n_reprinted: float = 0.6, n_hosts: int = 100) -> tuple[list[dict], dict]:
    """The labelled set: (documents, labels). Deterministic for a seed."""
    rng = random.Random(seed)
    arts = load_all()
    portals = make_portals(rng, page_junk())
    by_key = {a.key: a for a in arts}
    home: dict[str, Portal | None] = {}
    for src in sorted({a.source for a in arts}):
        lang = next(a.lang for a in arts if a.source == src)
        home[src] = rng.choice(portals[script(lang)]) if rng.random() < 0.75 else None
    for a in arts:  # single English sources share a few portals: same template, different articles
        if a.source.startswith("aeb/"):
            family = portals[script(a.lang)]
            home[a.source] = family[hash_str(a.source) % min(8, len(family))] \
                if rng.random() < 0.75 else None
    # which documents each article gets: the original, then reprints
    plans: list[tuple[Article, Portal | None, list[str], str]] = []
    for a in arts:
        plans.append((a, home[a.source], [], "original"))
        if rng.random() < n_reprinted:
            for _ in range(rng.choice([1, 2, 2, 3])):
                plans.append((a, _other_portal(rng, portals[script(a.lang)], home[a.source]),
                              _reprint_kinds(rng), "reprint"))
    # passage reuse: a paragraph of article A inside a document of an unrelated article B
    units_of = {a.key: [Unit(p, (a.key, i)) for i, p in enumerate(a.paragraphs)] for a in arts}
    inserts: dict[int, tuple[int, list[Unit]]] = {}
    shared = sharing_articles(arts)
    sharing = {k for pair in shared for k in pair}
    donors = [a for a in arts if a.words >= 130 and a.key not in sharing]
    for _ in range(n_hosts * 4):
        if len(inserts) >= n_hosts:
            break
        pi = rng.randrange(len(plans))
        b = plans[pi][0]
        cands = [a for a in donors if a.lang == b.lang and a.source != b.source and a.key != b.key
                 and (not a.topic or a.topic != b.topic)]
        if pi in inserts or not cands:
            continue
        a = rng.choice(cands)
        paras = [i for i, p in enumerate(a.paragraphs) if PASSAGE_MIN_WORDS <= len(norm_words(p)) and len(p.split()) <= 160]
        if not paras:
            continue
        i = rng.choice(paras)
        take = [i] + ([i + 1] if i + 1 < len(a.paragraphs) and rng.random() < 0.25 else [])
        n = sum(len(a.paragraphs[j].split()) for j in take)
        if n > 0.3 * a.words or n > 0.3 * b.words:
            take, n = [i], len(a.paragraphs[i].split())
        if n > 0.3 * a.words or n > 0.3 * b.words:
            continue
        kinds = [k for k in CHAR_EDITS if rng.random() < 0.35]
        sub = random.Random(rng.random())
        ins = []
        for j in take:
            t, done = edit_text(a.paragraphs[j], sub, kinds)
            ins.append(Unit(t, (a.key, j), True, True, tuple(done) or ("verbatim",)))
        inserts[pi] = (rng.randint(0, len(units_of[b.key])), ins)
    docs: list[tuple[Article, Built, str]] = []
    for pi, (a, portal, kinds, role) in enumerate(plans):
        units = list(units_of[a.key])
        if pi in inserts:
            at, ins = inserts[pi]
            units[at:at] = ins
        if a.raw and role == "original" and pi not in inserts:
            body = _raw_spans(a)
            junk = [(m.start(), m.end()) for m in re.finditer(r"[^\s](?:[^\n]*[^\s])?", a.raw)
                    if not any(s <= m.start() < e for _, s, e in body)]
            built = Built(a.raw, "", "seeds", body, ["exact"], junk)
        else:
            built = make_variant(a, units, random.Random(rng.random()), portal, kinds)
        if pi in inserts:
            built.kinds.append("passage_host")
        docs.append((a, built, role))
    order = list(range(len(docs)))
    rng.shuffle(order)
    ids = {pi: f"d{n:04d}" for n, pi in enumerate(order)}
    records, labels_docs = [], {}
    for pi in order:
        a, b, role = docs[pi]
        records.append({"id": ids[pi], "text": b.text, "url": b.url, "source": b.site or a.source})
        labels_docs[ids[pi]] = {"cluster": "c:" + a.key, "article": a.key, "role": role,
                                "kinds": b.kinds, "site": b.site, "lang": a.lang,
                                "article_source": a.source, "topic": a.topic,
                                "body": [[s, e] for _, s, e in b.spans], "junk": [list(j) for j in b.junk]}
    named = {ids[pi]: docs[pi] for pi in order}
    links = passage_links(named) + natural_links(named, shared)
    ambiguous = [[f"c:{x}", f"c:{y}"] for x, y, _ in near_duplicate_articles(arts, AMBIGUOUS)]
    labels = {"seed": seed, "documents": labels_docs, "passages": links, "ambiguous_clusters": ambiguous,
              "ambiguous_pairs": _passage_heavy_pairs(named, links),
              "natural_cluster_pairs": [[f"c:{x}", f"c:{y}"] for x, y in sorted(shared)],
              "provenance": _provenance(by_key, {docs[pi][0].key for pi in order})}
    return records, labels


def _other_portal(rng: random.Random, portals: list[Portal], not_this: Portal | None) -> Portal | None:
    if rng.random() < 0.12:
        return None
    return rng.choice([p for p in portals if p is not not_this])


_KIND_WEIGHTS = {"numbers": 3, "dashes": 2}  # often find nothing to change: drawn more often


def _reprint_kinds(rng: random.Random) -> list[str]:
    """0-4 distinct edits for a reprint."""
    names = list(CHAR_EDITS + STRUCT_EDITS)
    weights = [_KIND_WEIGHTS.get(n, 1) for n in names]
    kinds: list[str] = []
    for _ in range(rng.choice([0, 1, 2, 2, 3, 3, 4])):
        pick = rng.choices(names, weights)[0]
        if pick not in kinds:
            kinds.append(pick)
    return kinds


def natural_links(docs: dict[str, tuple[Article, Built, str]], shared: set[tuple[str, str]]
                  ) -> list[dict]:
    """Passages two different real articles print in common, aligned by sentences in their originals.

    Only the original documents are labelled; links between other documents of such a pair of
    clusters are left unscored (``natural_cluster_pairs`` in the labels).
    """
    originals = {a.key: did for did, (a, _, role) in sorted(docs.items()) if role == "original"}
    links = []
    for x, y in sorted(shared):
        if x not in originals or y not in originals:
            continue
        d1, d2 = sorted([originals[x], originals[y]])
        b1, b2 = docs[d1][1], docs[d2][1]
        s1 = [sp for u, s, e in b1.spans if not u.inserted for sp in sentence_spans(b1.text, s, e)]
        s2 = [sp for u, s, e in b2.spans if not u.inserted for sp in sentence_spans(b2.text, s, e)]
        for k, (a_s, a_e, b_s, b_e, jac) in enumerate(align_sentences(b1.text, s1, b2.text, s2)):
            words = min(len(norm_words(b1.text[a_s:a_e])), len(norm_words(b2.text[b_s:b_e])))
            if words >= OPTIONAL_LINK_WORDS:
                links.append({"a": d1, "a_start": a_s, "a_end": a_e, "b": d2, "b_start": b_s,
                              "b_end": b_e, "required": words >= REQUIRED_LINK_WORDS,
                              "kind": "natural", "edits": ["natural"], "jaccard": round(jac, 3),
                              "passage": f"natural:{x}|{y}#{k}"})
    return links


def passage_links(docs: dict[str, tuple[Article, Built, str]]) -> list[dict]:
    """True passage links: a reused real paragraph in documents of different clusters.

    Consecutive shared paragraphs adjacent in both documents are merged into one link. A link is
    "required" when both sides are whole paragraphs of at least REQUIRED_LINK_WORDS words, else
    "optional" (it is neither counted as found nor as missed, and a prediction matching it is ignored).
    """
    where: dict[tuple[str, int], list[tuple[str, int]]] = {}
    for did, (a, b, _) in sorted(docs.items()):
        for ui, (u, s, e) in enumerate(b.spans):
            if len(norm_words(u.text)) >= OPTIONAL_LINK_WORDS:
                where.setdefault(u.origin, []).append((did, ui))
    pairs: dict[tuple[str, str], list[tuple[int, int]]] = {}
    for occ in where.values():
        for x in range(len(occ)):
            for y in range(x + 1, len(occ)):
                (d1, u1), (d2, u2) = sorted([occ[x], occ[y]])
                if d1 != d2 and docs[d1][0].key != docs[d2][0].key:
                    pairs.setdefault((d1, d2), []).append((u1, u2))
    links = []
    for (d1, d2), ups in sorted(pairs.items()):
        ups.sort()
        runs: list[list[tuple[int, int]]] = []
        for u1, u2 in ups:
            if runs and runs[-1][-1] == (u1 - 1, u2 - 1):
                runs[-1].append((u1, u2))
            else:
                runs.append([(u1, u2)])
        for run in runs:
            s1, e1 = docs[d1][1].spans[run[0][0]][1], docs[d1][1].spans[run[-1][0]][2]
            s2, e2 = docs[d2][1].spans[run[0][1]][1], docs[d2][1].spans[run[-1][1]][2]
            units = [docs[d1][1].spans[i][0] for i, _ in run] + [docs[d2][1].spans[j][0] for _, j in run]
            w1 = len(norm_words(docs[d1][1].text[s1:e1]))
            w2 = len(norm_words(docs[d2][1].text[s2:e2]))
            required = all(u.whole for u in units) and min(w1, w2) >= REQUIRED_LINK_WORDS
            edits = sorted({k for u in units for k in u.kinds} - {"verbatim"})
            origin = units[0].origin
            links.append({"a": d1, "a_start": s1, "a_end": e1, "b": d2, "b_start": s2, "b_end": e2,
                          "required": required, "kind": "reuse", "edits": edits or ["verbatim"],
                          "passage": f"{origin[0]}#{origin[1]}"})
    return links


def _passage_heavy_pairs(docs: dict[str, tuple[Article, Built, str]], links: list[dict]) -> list[list[str]]:
    """Document pairs of different stories whose shared passages are more than MAX_SHARED of the
    smaller body (a truncated copy that kept a reused paragraph): not scored at document level."""
    shared: dict[tuple[str, str], list[int]] = {}
    for t in links:
        n = shared.setdefault((t["a"], t["b"]), [0, 0])
        n[0] += len(norm_words(docs[t["a"]][1].text[t["a_start"]:t["a_end"]]))
        n[1] += len(norm_words(docs[t["b"]][1].text[t["b_start"]:t["b_end"]]))

    def body(d: str) -> int:
        b = docs[d][1]
        return max(1, sum(len(norm_words(b.text[s:e])) for _, s, e in b.spans))

    return [[a, b] for (a, b), (na, nb) in sorted(shared.items())
            if max(na / body(a), nb / body(b)) > MAX_SHARED]


def _provenance(by_key: dict[str, Article], used: set[str]) -> dict:
    return {
        "articles": {k: {"source": by_key[k].source, "url": by_key[k].url} for k in sorted(used)},
        "licences": {
            "ru-news-samples": "MIT, natasha/corus test fixtures: benchmarks/data/ru-news-samples/LICENSE.corus-repo",
            "article-extraction-benchmark": "MIT, scrapinghub/article-extraction-benchmark: "
                                            "benchmarks/data/article-extraction-benchmark/LICENSE",
            "seeds": "the project's sample corpus (seeds/README.md)",
        },
    }


# ---------------------------------------------------------------- corpus of any size (speed)

_TOKEN = re.compile(r"\w+")


@dataclass(frozen=True)
class WordPool:
    """The words of one language's real texts, for the per-document variation of generated articles."""

    function: tuple[str, ...]  # the most frequent words (lower case)
    content: tuple[str, ...]  # every other word type seen (lower case, letters only)
    is_function: frozenset[str]


def word_pools(arts: tuple[Article, ...], langs: tuple[str, ...], top: int = 150) -> dict[str, WordPool]:
    """A WordPool per language from the paragraphs of its real articles (``top`` function words)."""
    pools = {}
    for lang in langs:
        counts = Counter(w.lower() for a in arts if a.lang == lang for p in a.paragraphs
                         for w in _TOKEN.findall(p))
        ranked = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
        function = tuple(w for w, _ in ranked[:top])
        content = tuple(sorted(w for w, _ in ranked[top:] if w.isalpha() and len(w) > 1))
        pools[lang] = WordPool(function, content, frozenset(function))
    return pools


def vary_words(text: str, pool: WordPool, rng: random.Random, rate: float) -> str:
    """Replace each word with probability rate: a function word by a random function word, any other
    word by a random content word (keeping its capitalisation), a number by one of as many digits.

    Punctuation, layout and the share of function words stay, so the text keeps its language and
    its look to the cleaner (stop-word density, line lengths) while its word 3-grams become the
    document's own: two variations of one paragraph share about (1 - rate)^6 of them.
    """
    def sub(m: re.Match) -> str:
        w = m.group()
        if rng.random() >= rate:
            return w
        if w.isdigit():
            return str(rng.randint(10 ** (len(w) - 1) if len(w) > 1 else 0, 10 ** len(w) - 1))
        words = pool.function if w.lower() in pool.is_function else pool.content
        r = words[rng.randrange(len(words))]
        if w.isupper() and len(w) > 1:
            return r.upper()
        return r[0].upper() + r[1:] if w[0].isupper() else r

    return _TOKEN.sub(sub, text)


def _base_article(rng: random.Random, by_lang: dict[str, list[Article]], pools: dict[str, WordPool],
                  key: str, vary: float) -> tuple[str, str, list[Unit]]:
    """A new story (language, title, paragraphs): 3-30 consecutive paragraphs of one real article
    (the whole article when shorter), words varied."""
    lang = rng.choice(sorted(by_lang))
    src = by_lang[lang][rng.randrange(len(by_lang[lang]))]
    k = rng.randint(3, 30)
    start = rng.randint(0, max(0, len(src.paragraphs) - k))
    paras = [vary_words(p, pools[lang], rng, vary) for p in src.paragraphs[start:start + k]]
    title = vary_words(src.title, pools[lang], rng, vary)
    return lang, title, [Unit(p, (key, i)) for i, p in enumerate(paras)]


def generate_corpus(target_bytes: int, seed: int = 1, **rates: float) -> Iterator[dict]:
    """Stream documents (id, text, url, source) until their JSONL lines reach target_bytes (UTF-8).

    A new document is a run of consecutive paragraphs of a real article (ru or en) whose words are
    replaced at rate ``vary`` by other real words of the language (``vary_words``): the
    real texts are small (0.6 MB), so without this every copy of a paragraph would be a passage
    shared by chance, and those links would grow with the square of the corpus size. With it,
    two unrelated documents share few word 3-grams whatever the size, and the duplicate
    structure is set by rates per document (``corpus_records``). Deterministic for a seed.
    """
    return (doc for doc, _, _ in corpus_records(target_bytes, seed, **rates))


def corpus_records(target_bytes: int, seed: int = 1, *, reprint_rate: float = 0.25,
                   reuse_rate: float = 0.1, wrap_rate: float = 0.7, vary: float = 0.5,
                   recent: int = 2000) -> Iterator[tuple[dict, str, tuple[str, ...]]]:
    """generate_corpus's documents with their truth: (document, story key, keys of reused stories).

    ``reprint_rate`` of the documents are edited reprints of a recent story (the benchmark's
    transformations; same story key), ``reuse_rate`` of the new stories carry a paragraph of a
    recent one (>= PASSAGE_MIN_WORDS words, at most a third of the new story), ``wrap_rate`` of the documents are wrapped in a
    portal's boilerplate. Memory is bounded by ``recent`` (the stories that can be reprinted).
    """
    rng = random.Random(seed)
    arts = load_all()
    portals = make_portals(rng, page_junk())
    by_lang = {lang: [a for a in arts if a.lang == lang and a.words >= STORY_MIN_WORDS] for lang in ("ru", "en")}
    pools = word_pools(arts, tuple(by_lang))
    ring: list[tuple[Article, list[Unit]]] = []
    size, n = 0, 0
    while size < target_bytes:
        kinds: list[str] = []
        if ring and rng.random() < reprint_rate:
            art, units = ring[rng.randrange(len(ring))]
            kinds = _reprint_kinds(rng)
        else:
            lang, title, units = _base_article(rng, by_lang, pools, f"gen/{n}", vary)
            if ring and rng.random() < reuse_rate:
                most = sum(len(u.text.split()) for u in units) // 2  # the passage stays a minor part
                donor = [u for u in ring[rng.randrange(len(ring))][1]
                         if not u.inserted and PASSAGE_MIN_WORDS <= len(u.text.split()) <= most]
                if donor:
                    u = donor[rng.randrange(len(donor))]
                    units.insert(rng.randint(0, len(units)), Unit(u.text, u.origin, inserted=True))
            art = Article(f"gen/{n}", "generated", lang, "", title, "", [u.text for u in units])
            ring.append((art, units))
            if len(ring) > recent:
                ring.pop(rng.randrange(len(ring)))
        portal = rng.choice(portals[script(art.lang)]) if rng.random() < wrap_rate else None
        built = make_variant(art, list(units), rng, portal, kinds)
        doc = {"id": f"g{n:09d}", "text": built.text, "url": built.url or f"https://{art.lang}.example/{n}",
               "source": built.site or "generated"}
        size += len(json.dumps(doc, ensure_ascii=False).encode("utf-8")) + 1
        n += 1
        yield doc, art.key, tuple(sorted({u.origin[0] for u, _, _ in built.spans if u.inserted}))


def write_corpus(path: Path, target_bytes: int, seed: int = 1, truth: Path | None = None) -> tuple[int, int]:
    """Write generate_corpus(...) as JSONL (``.gz``/``.zst`` compressed by suffix); (docs, bytes).

    With ``truth``, also write one tab-separated line per document: id, story key, reused story keys
    (comma-separated), the labels ``gen_corpus.py --links`` checks a dedupe run against.
    """
    if path.suffix == ".gz":
        fh = gzip.open(path, "wt", encoding="utf-8")
    elif path.suffix == ".zst":
        import zstandard

        fh = io.TextIOWrapper(zstandard.ZstdCompressor().stream_writer(path.open("wb")), encoding="utf-8")
    else:
        fh = path.open("w", encoding="utf-8")
    tf = truth.open("w", encoding="utf-8") if truth else None
    n = size = 0
    with fh:
        for doc, story, reused in corpus_records(target_bytes, seed):
            line = json.dumps(doc, ensure_ascii=False) + "\n"
            fh.write(line)
            if tf:
                tf.write(f"{doc['id']}\t{story}\t{','.join(reused)}\n")
            n += 1
            size += len(line.encode("utf-8"))
    if tf:
        tf.close()
    return n, size


def write_set(out: Path, seed: int = 13) -> tuple[int, int]:
    """Build and write documents.jsonl and labels.json; returns (documents, bytes)."""
    records, labels = build(seed)
    out.mkdir(parents=True, exist_ok=True)
    body = "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records)
    (out / "documents.jsonl").write_text(body, "utf-8")
    (out / "labels.json").write_text(json.dumps(labels, ensure_ascii=False, indent=1) + "\n", "utf-8")
    return len(records), len(body.encode())


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = ap.add_subparsers(dest="cmd", required=True)
    b = sub.add_parser("build", help="write the labelled near-duplicate set")
    b.add_argument("--seed", type=int, default=13)
    b.add_argument("-o", "--out", type=Path, default=OUT)
    c = sub.add_parser("corpus", help="write a corpus of about --mb megabytes for speed runs")
    c.add_argument("--mb", type=float, required=True, help="size in 10^6 bytes of JSONL")
    c.add_argument("--seed", type=int, default=1)
    c.add_argument("-o", "--out", type=Path, required=True, help=".jsonl, .jsonl.gz or .jsonl.zst")
    args = ap.parse_args(argv)
    if args.cmd == "build":
        n, size = write_set(args.out, args.seed)
    else:
        n, size = write_corpus(args.out, int(args.mb * 1e6), args.seed)
    print(f"{n} documents, {size / 1e6:.2f} MB -> {args.out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
